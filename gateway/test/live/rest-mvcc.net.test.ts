/**
 * Live (ASL_TEST_KIND=net): concurrent writes on one case through both real gateways. Every write touches the case's
 * record, so transactions ordered into the same block lose to the first with MVCC_READ_CONFLICT (or, as the chaincode
 * range-reads the case's events, PHANTOM_READ_CONFLICT). The gateway runs a lost write again
 * (src/fabric/submit-retry.ts): every caller gets 201, each event is on the ledger exactly once, and the lost
 * transactions are there to see — committed as MVCC_READ_CONFLICT by our own users — as are the gateways' retry
 * counters on /metrics.
 */
import { liveCall, type LiveResponse } from '../support/live-client';
import { CODES, eventBody, eventually, metricSum, newCaseId, recorded, registerUser, timelineOf, type LiveUser } from '../support/live-fixtures';
import { startLiveGateways, type LiveGateway, type LiveGateways } from '../support/live-gateways';
import { LedgerProbe } from '../support/ledger-probe';
import { markLedger, viewsOf } from '../support/live-ledger-checks';
import { WriteResponseSchema } from '../../src/api/schemas';

jest.setTimeout(240_000);

/** Parallel writes per round, half through each gateway. */
const PARALLEL = 10;
/** Rounds until a conflict was provoked and retried (usually the first). */
const MAX_ROUNDS = 3;
const RACES = ['mvcc_read_conflict', 'phantom_read_conflict'];

let gateways: LiveGateways;
let probe: LedgerProbe;
let zab: LiveUser;
let zabReader: LiveUser;
let bamf: LiveUser;

beforeAll(async () => {
  gateways = await startLiveGateways();
  probe = LedgerProbe.open('zab');
  zab = await registerUser(gateways.zab, 'adapter', 'mvcc');
  zabReader = await registerUser(gateways.zab, 'caseworker', 'mvcc');
  bamf = await registerUser(gateways.bamf, 'adapter', 'mvcc');
}, 180_000);

afterAll(async () => {
  probe?.close();
  await gateways?.stop();
});

async function retriesOf(gw: LiveGateway): Promise<{ race: number; mismatch: number }> {
  let race = 0;
  for (const reason of RACES) race += await metricSum(gw.url, 'asl_ledger_retries_total', { reason });
  return { race, mismatch: await metricSum(gw.url, 'asl_ledger_retries_total', { reason: 'endorsement_mismatch' }) };
}

describe('concurrent writes on one case through both gateways', () => {
  it(`${PARALLEL} parallel writes per round: each answered 201, none an error; lost races retried by the gateway (MVCC_READ_CONFLICT transactions of our users on the ledger, retry counters up); every sourceMessageId exactly once in the timeline`, async () => {
    const caseId = newCaseId();
    const written: { sourceMessageId: string; txId: string }[] = [];
    const register = eventBody('CASE_REGISTERED', { facility: CODES.facility, registeredOn: '2026-01-05' });
    written.push({ sourceMessageId: register.sourceMessageId, txId: (await recorded(gateways.zab, zab.token, caseId, register)).receipt.txId });
    const filed = eventBody('APPLICATION_FILED', { filedOn: '2026-01-07' });
    written.push({ sourceMessageId: filed.sourceMessageId, txId: (await recorded(gateways.bamf, bamf.token, caseId, filed)).receipt.txId });

    const before = { bamf: await retriesOf(gateways.bamf), zab: await retriesOf(gateways.zab) };
    const mark = await markLedger(probe);
    let rounds = 0;
    let raceRetries = 0;
    const started = performance.now();
    while (rounds < MAX_ROUNDS && raceRetries === 0) {
      rounds += 1;
      // allowed again and again: ZAB assigns a reception facility, BAMF schedules a hearing
      const bodies = Array.from({ length: PARALLEL }, (_, i) =>
        i % 2 === 0
          ? { gw: gateways.zab, token: zab.token, body: eventBody('RECEPTION_ASSIGNED', { facility: CODES.facility }) }
          : { gw: gateways.bamf, token: bamf.token, body: eventBody('HEARING_SCHEDULED', { hearingOn: `2027-03-${String(10 + i).padStart(2, '0')}` }) },
      );
      const answers: LiveResponse[] = await Promise.all(bodies.map((w) => liveCall(w.gw.url, 'post', '/api/v1/cases/{caseId}/events', { token: w.token, params: { caseId }, body: w.body })));
      // none surfaces as an error: the gateway's retries are invisible to the caller
      expect(answers.map((a) => a.status)).toEqual(bodies.map(() => 201));
      answers.forEach((a, i) => written.push({ sourceMessageId: bodies[i]!.body.sourceMessageId, txId: WriteResponseSchema.parse(a.body).receipt.txId }));
      const after = { bamf: await retriesOf(gateways.bamf), zab: await retriesOf(gateways.zab) };
      raceRetries = after.bamf.race - before.bamf.race + after.zab.race - before.zab.race;
      process.stdout.write(
        `round ${rounds}: ${PARALLEL} parallel writes all 201 after ${Math.round(performance.now() - started)} ms; gateway retries so far: ` +
          `MVCC/phantom BAMF ${after.bamf.race - before.bamf.race}, ZAB ${after.zab.race - before.zab.race}; ` +
          `endorsement mismatch BAMF ${after.bamf.mismatch - before.bamf.mismatch}, ZAB ${after.zab.mismatch - before.zab.mismatch}\n`,
      );
    }
    expect(raceRetries).toBeGreaterThan(0);

    // the ledger shows the lost races: transactions of our users committed as MVCC/phantom conflicts, and exactly one
    // VALID transaction per write
    const ours = (await probe.transactions(mark.height, await probe.height())).filter((t) => t.creatorId === zab.userId || t.creatorId === bamf.userId);
    const lost = ours.filter((t) => t.validationCode === 'MVCC_READ_CONFLICT' || t.validationCode === 'PHANTOM_READ_CONFLICT');
    const valid = ours.filter((t) => t.validationCode === 'VALID');
    process.stdout.write(`ledger: ${valid.length} VALID and ${lost.length} lost (${[...new Set(lost.map((t) => t.validationCode))].join(', ')}) transactions of ours over ${rounds} round(s)\n`);
    expect(lost.length).toBeGreaterThan(0);
    expect(lost.length).toBe(raceRetries);
    expect(valid.map((t) => t.txId).sort()).toEqual(written.slice(2).map((w) => w.txId).sort());
    expect(ours.filter((t) => t.validationCode !== 'VALID' && !lost.includes(t))).toEqual([]);

    // both read models: every write exactly once, with the txId its caller was given, in ledger order
    for (const [gw, token] of [
      [gateways.zab, zabReader.token],
      [gateways.bamf, bamf.token],
    ] as const) {
      const items = await eventually(
        () => timelineOf(gw, token, caseId),
        (t) => (t?.length ?? 0) >= written.length,
      );
      const ids = (items ?? []).map((i) => i.event.sourceMessageId);
      expect(ids).toHaveLength(written.length);
      expect(new Set(ids).size).toBe(ids.length);
      expect(new Map((items ?? []).map((i) => [i.event.sourceMessageId, i.receipt.txId]))).toEqual(new Map(written.map((w) => [w.sourceMessageId, w.txId])));
      const positions = (items ?? []).map((i) => [BigInt(i.receipt.blockNumber), i.receipt.txIndex] as const);
      expect(positions).toEqual([...positions].sort((a, b) => (a[0] === b[0] ? a[1] - b[1] : a[0] < b[0] ? -1 : 1)));
    }
    const views = await viewsOf(gateways.zab, zabReader.token, caseId);
    expect(views.readModel).toEqual(views.chaincode);

    const logged = gateways.zab.log() + gateways.bamf.log();
    expect(logged).toMatch(/"reason":"(mvcc_read_conflict|phantom_read_conflict)".*"msg":"ledger write retried"/);
    const attempts = [...logged.matchAll(/"reason":"(?:mvcc_read_conflict|phantom_read_conflict)","attempt":(\d+)/g)].map((m) => Number(m[1]));
    process.stdout.write(`the most retries one write needed: ${Math.max(...attempts)} (mvccRetries default 6)\n`);
  });
});
