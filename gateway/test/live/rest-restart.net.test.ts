/**
 * Live (ASL_TEST_KIND=net): the ZAB gateway's read model — a classic-level store fed by the channel's blocks from its
 * checkpoint — survives a `kill -9` of the gateway process and a restart of its peer `peer0.zab`. Writes made while
 * the gateway was dead, and writes made (and held, as an adapter holds them on 503) while the peer was down, are in
 * its read model afterwards with no gap and no duplicate: every case view and timeline this suite wrote equals what
 * the chaincode holds (`?consistent=true`) and what the writers were answered.
 *
 * The peer is stopped through the network's own process supervisor and brought back with the idempotent
 * `network/src/cli.ts up`, in a `finally`, so the shared network is whole again whatever happens. Other suites'
 * writes fail while peer0.zab is down (both agencies endorse every event): they retry on 503/504 as the contract
 * allows.
 */
import { liveCall } from '../support/live-client';
import { CODES, eventBody, eventually, newCaseId, recorded, registerUser, timelineOf, type LiveUser, type Written } from '../support/live-fixtures';
import { startLiveGateways, type LiveGateways } from '../support/live-gateways';
import { viewsOf } from '../support/live-ledger-checks';
import { isNetworkProcessRunning, networkUp, stopNetworkProcess } from '../support/network-control';

jest.setTimeout(10 * 60_000);

const PEER = 'peer0.zab';

let gateways: LiveGateways;
let zab: LiveUser;
let zabReader: LiveUser;
let bamf: LiveUser;
/** What the writers were answered, per case, in the order written. */
const written = new Map<string, Written[]>();

beforeAll(async () => {
  gateways = await startLiveGateways();
  zab = await registerUser(gateways.zab, 'adapter', 'restart');
  zabReader = await registerUser(gateways.zab, 'caseworker', 'restart');
  bamf = await registerUser(gateways.bamf, 'adapter', 'restart');
}, 180_000);

afterAll(async () => {
  await gateways?.stop();
});

function remember(caseId: string, w: Written): Written {
  written.set(caseId, [...(written.get(caseId) ?? []), w]);
  return w;
}

async function newCase(): Promise<string> {
  const caseId = newCaseId();
  remember(caseId, await recorded(gateways.zab, zab.token, caseId, eventBody('CASE_REGISTERED', { facility: CODES.facility, registeredOn: '2026-01-05' })));
  remember(caseId, await recorded(gateways.bamf, bamf.token, caseId, eventBody('APPLICATION_FILED', { filedOn: '2026-01-07' })));
  return caseId;
}

/** BAMF writes `count` hearings on the case, one after the other (as an adapter: held and sent again on 503/504). */
async function bamfWrites(caseId: string, count: number, onEach?: (i: number) => void): Promise<void> {
  for (let i = 0; i < count; i++) {
    remember(caseId, await recorded(gateways.bamf, bamf.token, caseId, eventBody('HEARING_SCHEDULED', { hearingOn: `2027-04-${String(1 + i).padStart(2, '0')}` })));
    onEach?.(i);
  }
}

/**
 * Every case this suite wrote, at the ZAB gateway: the read model's timeline is exactly the writes in the order they
 * were answered (same txIds, each sourceMessageId once: no gap, no duplicate), and its case view equals the one
 * folded from the chaincode's timeline.
 */
async function expectReadModelComplete(): Promise<void> {
  for (const [caseId, writes] of written) {
    const items = await eventually(
      () => timelineOf(gateways.zab, zabReader.token, caseId),
      (t) => (t?.length ?? 0) >= writes.length,
      60_000,
      500,
    );
    expect({ caseId, txIds: (items ?? []).map((i) => i.receipt.txId) }).toEqual({ caseId, txIds: writes.map((w) => w.receipt.txId) });
    expect((items ?? []).map((i) => i.receipt)).toEqual(writes.map((w) => w.receipt));
    const views = await viewsOf(gateways.zab, zabReader.token, caseId);
    expect(views.readModel).toEqual(views.chaincode);
  }
}

describe('the ZAB read model across crashes and restarts', () => {
  it('kill -9 of the ZAB gateway while BAMF writes: after a restart with the same folders, every write is in its read model once, in order, equal to the chaincode', async () => {
    const caseA = await newCase();
    const caseB = await newCase();
    await expectReadModelComplete();
    const pidBefore = gateways.zab.pid;

    // kill once the stream is under way (three writes committed), so blocks keep arriving while the process dies
    let underWay: () => void = () => undefined;
    const killTime = new Promise<void>((resolve) => (underWay = resolve));
    const streamA = bamfWrites(caseA, 8, (i) => {
      if (i === 2) underWay();
    });
    await killTime;
    await gateways.kill('zab', 'SIGKILL');
    expect(gateways.zab.pid).toBeUndefined();
    // written while the ZAB gateway is dead (BAMF's gateway and both peers are up)
    await bamfWrites(caseB, 4);
    await streamA;
    const restartedAt = performance.now();
    await gateways.restart('zab');
    process.stdout.write(`ZAB gateway restarted after kill -9 (pid ${String(pidBefore)} → ${String(gateways.zab.pid)}); ready in ${Math.round(performance.now() - restartedAt)} ms\n`);
    expect(gateways.zab.pid).not.toBe(pidBefore);
    await expectReadModelComplete();
  });

  it(`a restart of ${PEER}: writes held while it is down (503, sent again) commit once it is back, and the ZAB read model has every one of them once, equal to the chaincode`, async () => {
    const caseC = await newCase();
    await expectReadModelComplete();
    const answered: number[] = [];
    let stoppedAt = 0;
    let held: Promise<void> | undefined;
    let up: ReturnType<typeof networkUp> | undefined;
    try {
      await stopNetworkProcess(PEER);
      stoppedAt = performance.now();
      expect(isNetworkProcessRunning(PEER)).toBe(false);
      // while the peer is down the ZAB gateway is not ready and refuses writes with 503 (nothing was submitted)
      const ready = await liveCall(gateways.zab.url, 'get', '/readyz');
      expect(ready.status).toBe(503);
      const refused = await liveCall(gateways.zab.url, 'post', '/api/v1/cases/{caseId}/events', { token: zab.token, params: { caseId: caseC }, body: eventBody('RECEPTION_ASSIGNED', { facility: CODES.facility }) });
      answered.push(refused.status);
      expect(refused).toMatchObject({ status: 503, body: { code: 'LEDGER_UNAVAILABLE' } });
      // BAMF's writes need ZAB's endorsement: held and retried like an adapter's, they drain once the peer is back
      held = bamfWrites(caseC, 3);
      await new Promise((resolve) => setTimeout(resolve, 3000));
    } finally {
      up = networkUp();
    }
    if (up.status !== 0) throw new Error(`network/src/cli.ts up exited ${String(up.status)}:\n${up.output}`);
    process.stdout.write(`${PEER} was down for ${Math.round(performance.now() - stoppedAt)} ms (until network up returned)\n`);
    expect(isNetworkProcessRunning(PEER)).toBe(true);
    await held;
    // and a ZAB write after the restart, through the reconnected gateway
    remember(caseC, await recorded(gateways.zab, zab.token, caseC, eventBody('RECEPTION_ASSIGNED', { facility: CODES.facility })));
    await eventually(
      () => liveCall(gateways.zab.url, 'get', '/readyz'),
      (r) => r.status === 200,
      120_000,
      500,
    );
    await expectReadModelComplete();
  });
});
