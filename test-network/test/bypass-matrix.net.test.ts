/**
 * Live, issue 21 item 1: the chaincode defends itself when the gateway is bypassed. Under every identity an agency
 * enrolled (connection.json: adapter, caseworker, auditor, admin, the org's Fabric admin and the chaincode servers'
 * client identities, the last two without a `role` attribute) and under a certificate of a CA that is not a channel
 * member, Fabric's own `peer` CLI calls every transaction of the `procedure` contract straight at the peers —
 * `peer chaincode invoke` endorsed by both peers with `--waitForEvent`, `peer chaincode query` on each peer — and
 * every answer must be the one domain.md's matrix gives (support/bypass-matrix.ts, the only place expectations
 * come from). An allowed write must have committed VALID on every endorsing peer and be visible in the state; a
 * refused one must have left the case (events, private records) or the value list exactly as it was. Each run
 * writes test-network/reports/bypass-matrix.{json,md} with every cell's answer.
 *
 * Fresh random cases (999-prefixed fake AZR numbers under a throw-away key), so the suite runs again and again on
 * the same ledger. The value-list cells propose and approve two new versions of `municipality` with the entries in
 * force unchanged (codes stay valid; no other live suite pins that list's version).
 *
 *   ASL_TEST_KIND=net npx jest test-network/test/bypass-matrix --runInBand
 */
import { TRANSACTIONS, type Enforcement } from '@asl/chaincode/domain';
import { identityFor } from '@asl/network/connection';
import {
  accessDeniedErrors,
  columnsOf,
  endorsersOf,
  fileSize,
  handshakeErrors,
  memberRows,
  newCaseId,
  peerLog,
  readCall,
  readCell,
  WRITE_CALLS,
  WRITE_SETUPS,
  writeCell,
  writeReport,
  type Cell,
  type Prepared,
  type Row,
  type Setup,
} from './support/bypass-cells';
import { column, COLUMNS, expected, type Column } from './support/bypass-matrix';
import { applicationFiled, caseRegistered, CODES, eventOf, fakeCaseDetails } from './support/cases';
import { LiveNetwork, type Agency, type ClientRole } from './support/live-network';
import { PeerCli, type Call, type CliAnswer } from './support/peer-cli';
import { refusalCodes, type RetryPolicy } from './support/procedure';
import { makeRogueCa, type RogueCa } from './support/rogue-ca';

const live = new LiveNetwork();
const connection = live.connection;
const PARALLEL_CLI = 4;
const SUITE_TIMEOUT_MS = 15 * 60_000;
/** Set-up writes ride out a busy network (other suites write to it too). */
const SETUP_RETRY: RetryPolicy = { commitWaitMs: 60_000, pauseMs: 500, maxAttempts: 4 };
const decoder = new TextDecoder();

let cli: PeerCli;
let rogue: RogueCa | undefined;
let rows: Row[] = [];
const cells: Cell[] = [];
const ownTls: { call: string; got: string; message?: string }[] = [];
const ownTlsPeerLog: Record<string, string[]> = {};
const peerLogs: Record<string, { file: string; from: number }> = {};
let calls = 0;
const started = Date.now();

const proc = (agency: Agency, role: ClientRole) => live.procedure({ agency, role });

/** Runs `work` over `items` with at most `n` at a time, in order of the results. */
async function mapLimit<T, R>(items: readonly T[], n: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, lane));
  return results;
}

/** A read's answer, or null when the chaincode says CASE_NOT_FOUND. */
async function orNotFound<T>(read: Promise<T>): Promise<T | null> {
  try {
    return await read;
  } catch (error) {
    const { codes } = await refusalCodes(Promise.reject(error instanceof Error ? error : new Error(String(error))));
    if (codes.includes('CASE_NOT_FOUND')) return null;
    throw error;
  }
}

/**
 * Everything a write can change about a case, as ZAB's caseworker sees it through ZAB's peer (a member of both
 * collections): the events with their retraction marks, both agencies' caseDetails records, the enforcement record.
 */
async function caseState(caseId: string): Promise<string> {
  const reader = proc('zab', 'caseworker');
  const timeline = await orNotFound(reader.getTimeline(caseId));
  const details = await orNotFound(reader.getCaseDetails(caseId));
  const enforcement = await orNotFound(reader.getEnforcement(caseId));
  return JSON.stringify({
    events: timeline?.items.map((i) => [i.event.type, i.event.txId, i.retracted]) ?? null,
    bookmark: timeline?.bookmark ?? null,
    details: details?.records.map((r) => [r.agency, r.status, r.record?.txId ?? null]) ?? null,
    enforcement: enforcement === null ? null : [enforcement.status, enforcement.record?.txId ?? null],
  });
}

const VALUE_LIST = 'municipality';

/** The value list's head as ListValueLists shows it: version in force, pending proposal, history. */
async function valueListState(): Promise<string> {
  const answer = await live.contract({ agency: 'zab', role: 'caseworker' }).evaluateTransaction(TRANSACTIONS.ListValueLists, '{}');
  const items = (JSON.parse(decoder.decode(answer)) as { items: { list: string }[] }).items;
  return JSON.stringify(items.find((i) => i.list === VALUE_LIST) ?? null);
}

/** A case in the state a write column needs, written through the fabric-gateway clients of the live suites. */
async function prepare(setup: Setup): Promise<Prepared> {
  const caseId = newCaseId();
  if (setup === 'none') return { caseId };
  const zabAdapter = proc('zab', 'adapter');
  await zabAdapter.recordEvent(caseRegistered(caseId), { caseDetails: fakeCaseDetails('Bypass-Test'), retry: SETUP_RETRY });
  switch (setup) {
    case 'registered':
      return { caseId };
    case 'warning': {
      // A DEPORTATION without any decision: RET_KIND_MISMATCH opens, anchored at the RETURN_SCHEDULED (§5).
      const r = await zabAdapter.recordEvent(eventOf(caseId, 'RETURN_SCHEDULED', { kind: 'DEPORTATION' }), { retry: SETUP_RETRY });
      const warning = r.answer.warnings.find((w) => w.code === 'RET_KIND_MISMATCH');
      if (warning === undefined) throw new Error('set-up: RETURN_SCHEDULED opened no RET_KIND_MISMATCH');
      return { caseId, ref: warning.anchors[0] };
    }
    case 'zabEvent':
      return { caseId, ref: (await zabAdapter.recordEvent(eventOf(caseId, 'RECEPTION_ASSIGNED', { facility: CODES.facility }), { retry: SETUP_RETRY })).txId };
    case 'bamfEvent':
      return { caseId, ref: (await proc('bamf', 'adapter').recordEvent(applicationFiled(caseId), { retry: SETUP_RETRY })).txId };
    case 'bothDetails':
      await proc('bamf', 'adapter').recordEvent(applicationFiled(caseId), { caseDetails: fakeCaseDetails('Bypass-Test'), retry: SETUP_RETRY });
      return { caseId };
    case 'enforcement': {
      const enforcement: Enforcement = { kind: 'DEPORTATION', scheduledOn: '2027-03-01' };
      await zabAdapter.putEnforcement(caseId, enforcement, [live.mspId('zab')]);
      return { caseId };
    }
  }
}

async function invoke(row: Row, endorsers: readonly Agency[], call: Call): Promise<CliAnswer> {
  calls++;
  return cli.invoke(row.identity, endorsers.map((a) => cli.peer(a)), call);
}

/** One write cell: the case's state, the CLI call, the state again, the verdict. */
async function writeOnCase(row: Row, col: Column, p: Prepared): Promise<Cell> {
  const endorsers = endorsersOf(col.id);
  const before = await caseState(p.caseId);
  const got = await invoke(row, endorsers, (WRITE_CALLS[col.id] ?? missing(col))(row, p));
  const after = await caseState(p.caseId);
  return writeCell(row, col, got, endorsers.map((a) => cli.peer(a).endpoint), before, after);
}

function missing(col: Column): never {
  throw new Error(`no call for column ${col.id}`);
}

/**
 * The case-bound write columns. Each row expected to be allowed gets a case of its own (its write changes it); the
 * rows expected to be refused share one case per column and go one after another, each judged by the state just
 * before and after its own call.
 */
async function writeCells(): Promise<Cell[]> {
  const plan = columnsOf('invoke')
    .filter((col) => WRITE_SETUPS[col.id] !== undefined)
    .map((col) => ({
      col,
      setup: WRITE_SETUPS[col.id] as Setup,
      allowed: rows.filter((r) => expected(r.caller, col) === 'OK'),
    }));
  const wanted = plan.flatMap((c) => [{ c, row: undefined as Row | undefined }, ...c.allowed.map((row) => ({ c, row }))]);
  const prepared = await mapLimit(wanted, 8, async (w) => ({ ...w, p: await prepare(w.c.setup) }));
  const jobs = plan.map(async ({ col }) => {
    const shared = prepared.find((x) => x.c.col === col && x.row === undefined)?.p as Prepared;
    const own = prepared.filter((x) => x.c.col === col && x.row !== undefined);
    const allowedCells = Promise.all(own.map((x) => writeOnCase(x.row as Row, col, x.p)));
    const refusedCells: Cell[] = [];
    for (const row of rows.filter((r) => expected(r.caller, col) !== 'OK')) refusedCells.push(await writeOnCase(row, col, shared));
    return [...(await allowedCells), ...refusedCells];
  });
  return (await Promise.all(jobs)).flat();
}

/**
 * The value-list governance cells, one after another (they share the list's head): two rounds on `municipality`,
 * each a proposal by one agency's admin approved by the other's, with the entries in force unchanged. Every other
 * row tries ProposeValueList before the first proposal, and ApproveValueList on the proposal of its own agency
 * ("own proposal") or of the partner ("partner proposal") while that one is pending.
 */
async function valueListCells(): Promise<Cell[]> {
  const out: Cell[] = [];
  const both: Agency[] = ['bamf', 'zab'];
  const propose = column('ProposeValueList');
  const approvePartner = column('ApproveValueList(partner proposal)');
  const approveOwn = column('ApproveValueList(own proposal)');
  const inForce = JSON.parse(
    decoder.decode(await live.contract({ agency: 'zab', role: 'caseworker' }).evaluateTransaction(TRANSACTIONS.GetValueList, JSON.stringify({ list: VALUE_LIST }))),
  ) as { version: number; entries: unknown[] };
  const head = JSON.parse(await valueListState()) as { pending: { proposedBy: { mspId: string } } | null } | null;
  // A proposal left pending by an interrupted run is replaced by a counter-proposal of the other agency.
  const first: Agency = head?.pending?.proposedBy.mspId === live.mspId('bamf') ? 'zab' : 'bamf';
  const second: Agency = first === 'bamf' ? 'zab' : 'bamf';
  const admin = (a: Agency) => rows.find((r) => r.caller.member && r.caller.agency === a && r.caller.role === 'admin') as Row;

  const cell = async (row: Row, col: Column, call: Call): Promise<CliAnswer> => {
    const before = await valueListState();
    const got = await invoke(row, both, call);
    const after = await valueListState();
    out.push(writeCell(row, col, got, both.map((a) => cli.peer(a).endpoint), before, after));
    return got;
  };
  const proposal = (version: number): Call => ({ transaction: TRANSACTIONS.ProposeValueList, argument: { list: VALUE_LIST, version, entries: inForce.entries } });
  const approval = (version: number, contentHash: string): Call => ({ transaction: TRANSACTIONS.ApproveValueList, argument: { list: VALUE_LIST, version, contentHash } });
  const hashOf = (got: CliAnswer) => /"contentHash":"([0-9a-f]{64})"/.exec(got.payload ?? '')?.[1] ?? '0'.repeat(64);

  for (const row of rows.filter((r) => r !== admin('bamf') && r !== admin('zab'))) await cell(row, propose, proposal(inForce.version + 1));
  for (const [round, proposer] of [first, second].entries()) {
    const version = inForce.version + 1 + round;
    const hash = hashOf(await cell(admin(proposer), propose, proposal(version)));
    const approver = proposer === 'bamf' ? 'zab' : 'bamf';
    for (const row of rows.filter((r) => r !== admin(approver))) {
      await cell(row, row.caller.agency === proposer ? approveOwn : approvePartner, approval(version, hash));
    }
    await cell(admin(approver), approvePartner, approval(version, hash));
  }
  return out;
}

/** Every read column under every row, on each peer, on one case that has both agencies' details and ZAB's enforcement record. */
async function readCells(): Promise<Cell[]> {
  const caseId = newCaseId();
  const registration = caseRegistered(caseId);
  await proc('zab', 'adapter').recordEvent(registration, { caseDetails: fakeCaseDetails('Bypass-Test'), retry: SETUP_RETRY });
  await proc('bamf', 'adapter').recordEvent(applicationFiled(caseId), { caseDetails: fakeCaseDetails('Bypass-Test'), retry: SETUP_RETRY });
  await proc('zab', 'adapter').putEnforcement(caseId, { kind: 'DEPORTATION', scheduledOn: '2027-03-01' }, [live.mspId('zab')]);
  const writeId = { sourceMessageId: registration.sourceMessageId, mspId: live.mspId('zab') };
  const jobs = rows.flatMap((row) =>
    columnsOf('query').flatMap((col) =>
      (['bamf', 'zab'] as const).map(async (peer) => {
        calls++;
        return readCell(row, col, peer, await cli.query(row.identity, cli.peer(peer), readCall(col, caseId, writeId)));
      }),
    ),
  );
  return Promise.all(jobs);
}

beforeAll(async () => {
  cli = await PeerCli.open(connection, PARALLEL_CLI);
  rogue = makeRogueCa();
  // The TLS handshake needs a client certificate of a member's TLS CA (every peer requires one): the non-member
  // presents a member's TLS pair, as an attacker holding one would, so that its proposals reach the peer's MSP check.
  const memberTls = identityFor(connection, 'bamf', 'auditor').tls;
  rows = [
    ...memberRows(connection),
    { id: 'non-member CA, as RogueMSP (rogue-adm-0001)', caller: { member: false, agency: 'bamf' }, identity: { mspId: 'RogueMSP', msp: rogue.msp, tls: memberTls } },
    { id: `non-member CA, claiming ${live.mspId('bamf')} (rogue-adm-0001)`, caller: { member: false, agency: 'bamf' }, identity: { mspId: live.mspId('bamf'), msp: rogue.msp, tls: memberTls } },
  ];
  for (const agency of ['bamf', 'zab']) {
    const name = connection.orgs[agency]?.peers[0]?.name ?? agency;
    const file = peerLog(connection, name);
    peerLogs[name] = { file, from: fileSize(file) };
  }
  cells.push(...(await writeCells()));
  cells.push(...(await readCells()));
  cells.push(...(await valueListCells()));
  // The non-member with its own TLS pair: refused at the handshake, before any proposal exists.
  const tlsFrom = Object.fromEntries(Object.entries(peerLogs).map(([name, { file }]) => [name, fileSize(file)]));
  const ownIdentity = { mspId: 'RogueMSP', msp: rogue.msp, tls: rogue.tls };
  const q = await cli.query(ownIdentity, cli.peer('zab'), { transaction: TRANSACTIONS.ListValueLists, argument: {} });
  const i = await cli.invoke(ownIdentity, [cli.peer('bamf'), cli.peer('zab')], { transaction: TRANSACTIONS.ListValueLists, argument: {} });
  calls += 2;
  ownTls.push({ call: `query ListValueLists at ${cli.peer('zab').endpoint}`, got: q.answer, ...(q.message === undefined ? {} : { message: q.message }) });
  ownTls.push({ call: 'invoke ListValueLists endorsed by both peers', got: i.answer, ...(i.message === undefined ? {} : { message: i.message }) });
  for (const [name, { file }] of Object.entries(peerLogs)) ownTlsPeerLog[name] = handshakeErrors(file, tlsFrom[name] ?? 0);
}, SUITE_TIMEOUT_MS);

afterAll(() => {
  live.close();
  rogue?.remove();
  if (cells.length === 0) return;
  const nonMemberPeerLog = Object.fromEntries(
    Object.entries(peerLogs).map(([name, { file, from }]) => [name, accessDeniedErrors(file, from, ['RogueMSP', 'rogue-adm-0001'])]),
  );
  writeReport({
    generatedAt: new Date().toISOString(),
    durationSeconds: (Date.now() - started) / 1000,
    network: { channel: connection.channel, chaincode: connection.chaincode, peers: Object.keys(peerLogs) },
    cli: { calls, parallel: PARALLEL_CLI },
    rows: rows.map((r) => r.id),
    columns: COLUMNS.map((c) => ({ id: c.id, transaction: c.transaction, kind: c.kind, source: c.source, decision: c.decision ?? false })),
    cells,
    nonMemberPeerLog,
    nonMemberOwnTls: ownTls,
    nonMemberOwnTlsPeerLog: ownTlsPeerLog,
    mismatches: cells.filter((c) => !c.ok).length,
  });
});

const mismatches = (col: Column) => cells.filter((c) => c.column === col.id && !c.ok);

describe('the procedure chaincode called with the peer CLI, no gateway in between', () => {
  it('the matrix has a column for every transaction of the contract', () => {
    expect(new Set(COLUMNS.map((c) => c.transaction))).toEqual(new Set(Object.values(TRANSACTIONS)));
  });

  it('every agency has an identity for each of the four roles, and every row was tried on every column', () => {
    const members = rows.filter((r) => r.caller.member);
    for (const agency of ['bamf', 'zab'] as const) {
      expect(new Set(members.filter((r) => r.caller.agency === agency).map((r) => r.caller.role))).toEqual(new Set(['adapter', 'caseworker', 'auditor', 'admin', undefined]));
    }
    const perRow = columnsOf('invoke').length + 2 * columnsOf('query').length;
    expect(cells).toHaveLength(rows.length * perRow);
  });

  it.each(COLUMNS.map((c) => [c.id, c] as const))('%s: every identity gets exactly what domain.md allows', (_id, col) => {
    expect(cells.some((c) => c.column === col.id)).toBe(true);
    expect(mismatches(col)).toEqual([]);
  });

  it("a certificate of a CA that is not a channel member is refused by the peers' MSP check, every time", () => {
    const nonMember = cells.filter((c) => c.row.startsWith('non-member'));
    expect(nonMember.length).toBe(2 * (columnsOf('invoke').length + 2 * columnsOf('query').length));
    for (const c of nonMember) {
      expect(c.got).toBe('PEER_ACCESS_DENIED');
      expect(c.message).toMatch(/error validating proposal: access denied: channel \[[^\]]+\] creator org unknown, creator is malformed/);
    }
    const logged = Object.values(peerLogs).flatMap(({ file, from }) => accessDeniedErrors(file, from, ['RogueMSP', 'rogue-adm-0001']));
    expect(logged).toEqual(expect.arrayContaining(['MSP RogueMSP is not defined on channel', 'the supplied identity is not valid: x509: certificate signed by unknown authority']));
  });

  it('with its own TLS certificate the non-member does not even get a connection', () => {
    expect(ownTls).toHaveLength(2);
    for (const t of ownTls) {
      expect(t.got).toBe('ERROR');
      expect(t.message).toMatch(/failed to connect to .*: failed to create new connection/);
    }
    // The peers' side: the handshake failed. The client does not even offer the certificate, because its issuer is
    // not among the CAs the peer asks for (Go's TLS client only sends a certificate the server's request accepts).
    expect(Object.keys(ownTlsPeerLog)).toHaveLength(2);
    for (const errors of Object.values(ownTlsPeerLog)) expect(errors).toContain("tls: client didn't provide a certificate");
  });
});
