/**
 * Live (ASL_TEST_KIND=net): changing a value list on the real network, through the REST routes of both agencies'
 * gateways, by the procedure of docs/operations.md "Changing a value list" — the proposal, review and approval are
 * made by `asl-value-lists` (`src/governance/value-list-cli.ts`, the operator's script, called through its `main`).
 *
 * BAMF's admin proposes the next version of `facility` with one new code; ZAB's admin reviews the diff (exactly that
 * code added) and approves with the content hash it reviewed. An event carrying the new code is refused
 * `422 UNKNOWN_CODE_VALUE` while the version is only proposed and accepted once it is in force, and it records the
 * version it was judged under (`valueListVersions`) — in the write's answer and in both gateways' event streams. A
 * wrong content hash, an approval by the proposer's own agency (the proposing admin and a second BAMF admin), a
 * proposal by a non-admin and a proposal skipping a version are refused with their codes and change nothing: the
 * list reads the same at both gateways and no transaction of this suite's identities reached the ledger.
 *
 * The network is shared and persistent: earlier runs already advanced the list, so the suite reads the version in
 * force first and adds a fresh code per run (`AE-NET-<random>`); it only ever adds, so the seed codes other suites
 * write (and the codes they expect to be unknown) stay as they are.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { ValueListVersionsSchema, type ValueListEntry } from '@asl/chaincode/domain';
import { EXIT, main } from '../../src/governance/value-list-cli';
import { ValueListClient } from '../../src/governance/value-list-client';
import type { ProposalOutcome, ReviewOutcome } from '../../src/governance/value-list-procedure';
import { liveCall } from '../support/live-client';
import { CODES, eventBody, newCaseId, recorded, registerUser, timelineOf, type LiveUser } from '../support/live-fixtures';
import { startLiveGateways, type LiveGateway, type LiveGateways } from '../support/live-gateways';
import { LedgerProbe } from '../support/ledger-probe';
import { markLedger, writtenSince, type LedgerMark } from '../support/live-ledger-checks';
import { openStream, type SseMessage, type SseStream } from '../support/sse-client';

jest.setTimeout(120_000);

const LIST = 'facility';
const NEW_ENTRY: ValueListEntry = (() => {
  const tag = randomBytes(4).toString('hex').toUpperCase();
  return { code: `AE-NET-${tag}`, label: `Aufnahmeeinrichtung ${tag} (Testdaten, value-lists.net.test)` };
})();

let gateways: LiveGateways;
let probe: LedgerProbe;
let dir: string;
let zabAdapter: LiveUser;
let zabCaseworker: LiveUser;
let bamfCaseworker: LiveUser;
let bamfSecondAdmin: LiveUser;
const streams: SseStream[] = [];
/** The version in force when the suite started, and the case the events go to. */
let inForce = 0;
let caseId = '';
let proposedHash = '';
let reviewedHash = '';

const RefusedSchema = z.strictObject({ refused: z.strictObject({ status: z.number(), code: z.string(), details: z.record(z.string(), z.unknown()) }) });
const CaseEventMessageSchema = z.object({
  caseId: z.string(),
  event: z.object({ type: z.string(), data: z.record(z.string(), z.unknown()), valueListVersions: ValueListVersionsSchema }).passthrough(),
  receipt: z.object({ txId: z.string() }).passthrough(),
});

function tokenFile(name: string, token: string): string {
  const file = join(dir, name);
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  return file;
}

/** `asl-value-lists … --json` as an operator at `gw` with `token` runs it: exit code and the parsed answer. */
async function operator(gw: LiveGateway, token: string, argv: string[]): Promise<{ code: number; json: unknown; err: string }> {
  let out = '';
  let err = '';
  const code = await main([...argv, '--json', '--url', gw.url, '--token-file', tokenFile(`t-${randomBytes(4).toString('hex')}`, token)], {
    stdout: (t) => void (out += t),
    stderr: (t) => void (err += t),
    env: {},
  });
  return { code, json: out === '' ? undefined : JSON.parse(out), err };
}

async function refusal(gw: LiveGateway, token: string, argv: string[]): Promise<z.infer<typeof RefusedSchema>['refused']> {
  const r = await operator(gw, token, argv);
  expect(r.code).toBe(EXIT.REFUSED);
  return RefusedSchema.parse(r.json).refused;
}

/** The list as both gateways read it: overview item (in force, pending, history) and the version in force. */
async function listState(): Promise<unknown[]> {
  return Promise.all(
    [gateways.bamf, gateways.zab].map(async (gw) => {
      const client = new ValueListClient({ url: gw.url, token: gw === gateways.bamf ? bamfCaseworker.token : zabCaseworker.token });
      const item = (await client.overview()).items.find((i) => i.list === LIST);
      const current = await client.get(LIST);
      return { item, current: { version: current.version, contentHash: current.contentHash, status: current.status } };
    }),
  );
}

/** Ours: every identity this suite signs with. */
const ours = (): string[] => [gateways.bamf.adminId, gateways.zab.adminId, zabAdapter.userId, zabCaseworker.userId, bamfCaseworker.userId, bamfSecondAdmin.userId];

/** A refusal changed nothing: the list reads as before at both gateways and none of our identities wrote. */
async function expectUnchanged(before: unknown[], mark: LedgerMark): Promise<void> {
  expect(await listState()).toEqual(before);
  expect((await writtenSince(probe, mark, ours())).ours).toEqual([]);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'asl-live-vl-'));
  gateways = await startLiveGateways();
  probe = LedgerProbe.open('bamf');
  zabAdapter = await registerUser(gateways.zab, 'adapter', 'vl');
  zabCaseworker = await registerUser(gateways.zab, 'caseworker', 'vl');
  bamfCaseworker = await registerUser(gateways.bamf, 'caseworker', 'vl');
  bamfSecondAdmin = await registerUser(gateways.bamf, 'admin', 'vl2');
  caseId = newCaseId();
  await recorded(gateways.zab, zabAdapter.token, caseId, eventBody('CASE_REGISTERED', { facility: CODES.facility, registeredOn: '2026-01-05' }));
}, 180_000);

afterAll(async () => {
  streams.forEach((s) => s.close());
  probe?.close();
  await gateways?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('changing a value list on the live network, by the procedure of docs/operations.md', () => {
  it('reads the version in force first (earlier runs may have advanced it); the new code is not in it', async () => {
    const shown = await operator(gateways.zab, zabCaseworker.token, ['show', LIST]);
    expect(shown.code).toBe(EXIT.DONE);
    const current = z.object({ version: z.number(), status: z.string(), entries: z.array(z.object({ code: z.string() })) }).parse(shown.json);
    expect(current.status).toBe('IN_FORCE');
    expect(current.entries.map((e) => e.code)).toContain(CODES.facility);
    expect(current.entries.map((e) => e.code)).not.toContain(NEW_ENTRY.code);
    inForce = current.version;
    process.stderr.write(`value-lists.net: ${LIST} version ${inForce} in force; proposing ${inForce + 1} with ${NEW_ENTRY.code}\n`);
  });

  it('refuses a proposal by a non-admin (403 FORBIDDEN_ROLE) and one skipping a version (409 VALUE_LIST_VERSION with current) — nothing changes', async () => {
    const add = join(dir, 'add.json');
    writeFileSync(add, JSON.stringify([NEW_ENTRY]));
    const before = await listState();
    const mark = await markLedger(probe);
    expect(await refusal(gateways.bamf, bamfCaseworker.token, ['propose', LIST, '--add', add])).toMatchObject({ status: 403, code: 'FORBIDDEN_ROLE' });
    expect(await refusal(gateways.bamf, gateways.bamf.adminToken, ['propose', LIST, '--add', add, '--version', String(inForce + 2)])).toEqual({
      status: 409,
      code: 'PRECONDITION_FAILED',
      details: { conflicting: ['VALUE_LIST_VERSION'], current: inForce },
    });
    await expectUnchanged(before, mark);
  });

  it('BAMF’s admin proposes version n+1 with the new code: committed VALID and endorsed by both agencies, pending at both gateways, the version in force unchanged', async () => {
    const add = join(dir, 'add.json');
    const mark = await markLedger(probe);
    const r = await operator(gateways.bamf, gateways.bamf.adminToken, ['propose', LIST, '--add', add]);
    expect(r.err).toBe('');
    expect(r.code).toBe(EXIT.DONE);
    const outcome = r.json as ProposalOutcome;
    expect(outcome.fromVersion).toBe(inForce);
    expect(outcome.result).toMatchObject({ status: 'PROPOSED', valueList: { list: LIST, version: inForce + 1, approvals: ['BamfMSP'], inForceFrom: null, proposedBy: { mspId: 'BamfMSP', enrollmentId: gateways.bamf.adminId } } });
    expect(outcome.diff).toEqual({ list: LIST, from: inForce, to: inForce + 1, added: [NEW_ENTRY], removed: [], changed: [], replaced: [] });
    proposedHash = outcome.result.valueList.contentHash;
    for (const state of (await listState()) as { item: { pending: { version: number; contentHash: string } }; current: { version: number } }[]) {
      expect(state.item.pending).toMatchObject({ version: inForce + 1, contentHash: proposedHash });
      expect(state.current.version).toBe(inForce);
    }
    const proposal = (await writtenSince(probe, mark, ours())).ours;
    expect(proposal.map((t) => [t.creatorMspId, t.creatorId, t.validationCode, [...t.endorsers].sort(), t.chaincodeEvent])).toEqual([
      ['BamfMSP', gateways.bamf.adminId, 'VALID', ['BamfMSP', 'ZabSachsenMSP'], 'ValueListChanged'],
    ]);
  });

  it('ZAB’s admin reviews it: the diff route shows exactly the added code', async () => {
    const r = await operator(gateways.zab, gateways.zab.adminToken, ['review', LIST]);
    expect(r.code).toBe(EXIT.DONE);
    const review = r.json as ReviewOutcome;
    expect(review.inForce?.version).toBe(inForce);
    expect(review.pending).toMatchObject({ version: inForce + 1, approvals: ['BamfMSP'], proposedBy: { mspId: 'BamfMSP' } });
    expect(review.diff).toEqual({ list: LIST, from: inForce, to: inForce + 1, added: [NEW_ENTRY], removed: [], changed: [], replaced: [] });
    reviewedHash = review.pending?.contentHash ?? '';
    expect(reviewedHash).toBe(proposedHash);
    const direct = await liveCall(gateways.zab.url, 'get', '/api/v1/value-lists/{list}/diff', { token: zabCaseworker.token, params: { list: LIST }, query: { from: String(inForce), to: String(inForce + 1) } });
    expect(direct).toEqual({ status: 200, body: review.diff });
  });

  it('while it is only proposed, an event carrying the new code is refused 422 UNKNOWN_CODE_VALUE under the version in force — nothing written', async () => {
    const before = await timelineOf(gateways.zab, zabCaseworker.token, caseId);
    const mark = await markLedger(probe);
    const res = await liveCall(gateways.zab.url, 'post', '/api/v1/cases/{caseId}/events', { token: zabAdapter.token, params: { caseId }, body: eventBody('RECEPTION_ASSIGNED', { facility: NEW_ENTRY.code }) });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ status: 422, code: 'UNKNOWN_CODE_VALUE', details: { field: 'data.facility', list: LIST, version: inForce } });
    expect((await writtenSince(probe, mark, ours())).ours).toEqual([]);
    expect(await timelineOf(gateways.zab, zabCaseworker.token, caseId)).toEqual(before);
  });

  it('refuses an approval with a wrong content hash (VALUE_LIST_CONTENT) and by the proposer’s own agency, the proposing admin or another BAMF admin (APPROVED_BY_ORGANISATION) — nothing changes', async () => {
    const before = await listState();
    const mark = await markLedger(probe);
    const version = String(inForce + 1);
    const wrongHash = reviewedHash.replace(/^./, (c) => (c === '0' ? '1' : '0'));
    expect(await refusal(gateways.zab, gateways.zab.adminToken, ['approve', LIST, '--version', version, '--content-hash', wrongHash])).toEqual({
      status: 409,
      code: 'PRECONDITION_FAILED',
      details: { conflicting: ['VALUE_LIST_CONTENT'] },
    });
    for (const token of [gateways.bamf.adminToken, bamfSecondAdmin.token]) {
      expect(await refusal(gateways.bamf, token, ['approve', LIST, '--version', version, '--content-hash', reviewedHash])).toEqual({
        status: 409,
        code: 'PRECONDITION_FAILED',
        details: { conflicting: ['APPROVED_BY_ORGANISATION'] },
      });
    }
    await expectUnchanged(before, mark);
  });

  it('ZAB’s admin approves with the hash it reviewed: in force at both gateways; the approval committed VALID, endorsed by both agencies', async () => {
    const mark = await markLedger(probe);
    const r = await operator(gateways.zab, gateways.zab.adminToken, ['approve', LIST, '--version', String(inForce + 1), '--content-hash', reviewedHash]);
    expect(r.code).toBe(EXIT.DONE);
    expect(r.json).toMatchObject({ status: 'IN_FORCE', valueList: { version: inForce + 1, contentHash: reviewedHash, approvals: ['BamfMSP', 'ZabSachsenMSP'], inForceFrom: expect.any(String) } });
    for (const state of (await listState()) as { item: { pending: unknown; inForce: { version: number } }; current: { version: number; status: string } }[]) {
      expect(state.item.pending).toBeNull();
      expect(state.item.inForce.version).toBe(inForce + 1);
      expect(state.current).toMatchObject({ version: inForce + 1, status: 'IN_FORCE' });
    }
    const approvals = (await writtenSince(probe, mark, ours())).ours;
    expect(approvals.map((t) => [t.creatorMspId, t.creatorId, t.validationCode, [...t.endorsers].sort(), t.chaincodeEvent])).toEqual([
      ['ZabSachsenMSP', gateways.zab.adminId, 'VALID', ['BamfMSP', 'ZabSachsenMSP'], 'ValueListChanged'],
    ]);
  });

  it('now the event with the new code is accepted (201) and records the version it was judged under, in the answer and in both gateways’ event streams', async () => {
    for (const gw of [gateways.bamf, gateways.zab]) {
      const stream = await openStream(gw.url, gw === gateways.bamf ? bamfCaseworker.token : zabCaseworker.token, { from: 'head' });
      expect(stream.status).toBe(200);
      streams.push(stream);
    }
    const written = await recorded(gateways.zab, zabAdapter.token, caseId, eventBody('RECEPTION_ASSIGNED', { facility: NEW_ENTRY.code }));
    expect(written.event).toMatchObject({ type: 'RECEPTION_ASSIGNED', data: { facility: NEW_ENTRY.code }, valueListVersions: { [LIST]: inForce + 1 } });
    const isOurs = (m: SseMessage): boolean => m.event === 'case-event' && CaseEventMessageSchema.parse(JSON.parse(m.data)).receipt.txId === written.receipt.txId;
    for (const stream of streams) {
      const item = CaseEventMessageSchema.parse(JSON.parse((await stream.next(isOurs, 30_000)).data));
      expect(item).toMatchObject({ caseId, event: { type: 'RECEPTION_ASSIGNED', data: { facility: NEW_ENTRY.code }, valueListVersions: { [LIST]: inForce + 1 } } });
    }
    const committed = await probe.find(written.receipt.txId, BigInt(written.receipt.blockNumber));
    expect(committed?.validationCode).toBe('VALID');
  });
});
