import { randomBytes, randomInt } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { caseIdFor, TRANSIENT_KEYS, type EventInput } from '@asl/chaincode/domain';
import type { Connection } from '@asl/network/connection';
import { COLUMNS, expected, type Answer, type Caller, type Column } from './bypass-matrix';
import { CODES, eventOf, fakeCaseDetails, newCourtRef, newMessageId, seededCode } from './cases';
import type { Agency, ClientRole } from './live-network';
import type { Call, CliAnswer, CliIdentity } from './peer-cli';

/**
 * The rows, the calls and the report of the bypass suite (`bypass-matrix.net.test.ts`). The expectation itself is
 * in `bypass-matrix.ts`; this module only says who calls, with which argument, and writes down what came back.
 */

/** One row: an identity the `peer` CLI signs as. */
export interface Row {
  /** Stable id for the report, e.g. `bamf/caseworker (bamf-cw-0001)`. */
  readonly id: string;
  readonly caller: Caller;
  readonly identity: CliIdentity;
}

const ROLES: readonly ClientRole[] = ['adapter', 'caseworker', 'auditor', 'admin'];

/**
 * Every identity of the two agencies in connection.json that a client could sign with (type `client` or `admin`:
 * the four role identities, the org's Fabric admin, the chaincode servers' client identities; the peers' own node
 * identities are left out). Throws, naming it, when an agency lacks an identity for one of the four roles.
 */
export function memberRows(connection: Connection): Row[] {
  const rows: Row[] = [];
  for (const agency of ['bamf', 'zab'] as const) {
    const org = connection.orgs[agency];
    if (org === undefined) throw new Error(`connection.json has no organisation ${agency}`);
    const missing = ROLES.filter((r) => !org.identities.some((i) => i.role === r));
    if (missing.length > 0) throw new Error(`${org.mspId} has no enrolled identity with role ${missing.join(', ')} in connection.json`);
    for (const i of org.identities.filter((x) => x.type === 'client' || x.type === 'admin')) {
      const what = i.role ?? `${i.purpose}, no role`;
      rows.push({
        id: `${agency}/${what} (${i.enrollmentId})`,
        caller: { member: true, agency, ...(i.role === undefined ? {} : { role: i.role }) },
        identity: { mspId: org.mspId, msp: i.msp, tls: i.tls },
      });
    }
  }
  return rows;
}

/** A fresh case pseudonym of a 999-prefixed fake AZR number under a throw-away key (never a real case). */
const CASE_KEY = randomBytes(32);
export function newCaseId(): string {
  return caseIdFor(CASE_KEY, `999${String(randomInt(0, 1_000_000_000)).padStart(9, '0')}`);
}

/** A private record's transient document with its 32 random bytes of salt (domain.md §2). */
export function salted(record: object): Uint8Array {
  return Buffer.from(JSON.stringify({ ...record, salt: randomBytes(32).toString('base64') }));
}

/** What the setup of a write column leaves for the calls. */
export interface Prepared {
  readonly caseId: string;
  /** The txId a call refers to (the warning's anchor, the event to retract). */
  readonly ref?: string;
}

const now = () => new Date().toISOString();
const facts = (agency: Agency) =>
  agency === 'bamf'
    ? [{ type: 'APPLICATION_FILED', data: { filedOn: '2026-01-07' } }]
    : [{ type: 'CASE_REGISTERED', data: { facility: CODES.facility, registeredOn: '2026-01-05' } }];
const other = (agency: Agency): Agency => (agency === 'bamf' ? 'zab' : 'bamf');
const recordEvent = (input: EventInput | Record<string, unknown>): Call => ({ transaction: 'RecordEvent', argument: input });

/** The call each write column makes for a row, on a case its setup prepared. */
export const WRITE_CALLS: Readonly<Record<string, (row: Row, p: Prepared) => Call>> = {
  'RecordEvent:CASE_REGISTERED': (_r, p) => recordEvent(eventOf(p.caseId, 'CASE_REGISTERED', { facility: CODES.facility, registeredOn: '2026-01-05' })),
  'RecordEvent:RECEPTION_ASSIGNED': (_r, p) => recordEvent(eventOf(p.caseId, 'RECEPTION_ASSIGNED', { facility: CODES.facility })),
  'RecordEvent:APPLICATION_FILED': (_r, p) => recordEvent(eventOf(p.caseId, 'APPLICATION_FILED', { filedOn: '2026-01-07' })),
  'RecordEvent:DEPORTATION_STAY_NOTIFIED': (_r, p) => recordEvent(eventOf(p.caseId, 'DEPORTATION_STAY_NOTIFIED', { courtRef: newCourtRef(CODES.court) })),
  'RecordEvent:WARNING_ACKNOWLEDGED': (_r, p) => recordEvent(eventOf(p.caseId, 'WARNING_ACKNOWLEDGED', { code: 'RET_KIND_MISMATCH', anchorTxId: p.ref ?? '' })),
  'RecordEvent:EVENT_RETRACTED(ZAB event)': (_r, p) =>
    recordEvent(eventOf(p.caseId, 'EVENT_RETRACTED', { retractedTxId: p.ref ?? '', retractionReason: seededCode('reason', 'RETRACT-WRONG-DATA') })),
  'RecordEvent:EVENT_RETRACTED(BAMF event)': (_r, p) =>
    recordEvent(eventOf(p.caseId, 'EVENT_RETRACTED', { retractedTxId: p.ref ?? '', retractionReason: seededCode('reason', 'RETRACT-WRONG-DATA') })),
  // Built by hand: the event schema accepts the envelope, the contract must refuse it outside the purge.
  'RecordEvent:PERSONAL_DATA_PURGED': (_r, p) =>
    recordEvent({ caseId: p.caseId, type: 'PERSONAL_DATA_PURGED', occurredAt: now(), sourceMessageId: newMessageId(), data: { collection: 'caseDetails' } }),
  'ImportCase(own facts)': (r, p) => ({ transaction: 'ImportCase', argument: { caseId: p.caseId, type: 'CASE_IMPORTED', occurredAt: now(), sourceMessageId: newMessageId(), data: { facts: facts(r.caller.agency) } } }),
  'ImportCase(partner facts)': (r, p) => ({
    transaction: 'ImportCase',
    argument: { caseId: p.caseId, type: 'CASE_IMPORTED', occurredAt: now(), sourceMessageId: newMessageId(), data: { facts: facts(other(r.caller.agency)) } },
  }),
  'PurgePrivateData(caseDetails)': (_r, p) => ({ transaction: 'PurgePrivateData', argument: { caseId: p.caseId, collection: 'caseDetails', sourceMessageId: newMessageId(), occurredAt: now() } }),
  'PurgePrivateData(zabEnforcement)': (_r, p) => ({ transaction: 'PurgePrivateData', argument: { caseId: p.caseId, collection: 'zabEnforcement', sourceMessageId: newMessageId(), occurredAt: now() } }),
  PutCaseDetails: (_r, p) => ({ transaction: 'PutCaseDetails', argument: { caseId: p.caseId }, transient: { [TRANSIENT_KEYS.caseDetails]: salted(fakeCaseDetails('Bypass-Test')) } }),
  PutEnforcement: (_r, p) => ({ transaction: 'PutEnforcement', argument: { caseId: p.caseId }, transient: { [TRANSIENT_KEYS.enforcement]: salted({ kind: 'DEPORTATION', scheduledOn: '2027-03-01' }) } }),
};

/** The case setup each write column needs, so that an allowed call can succeed. */
export type Setup = 'none' | 'registered' | 'warning' | 'zabEvent' | 'bamfEvent' | 'bothDetails' | 'enforcement';
export const WRITE_SETUPS: Readonly<Record<string, Setup>> = {
  'RecordEvent:CASE_REGISTERED': 'none',
  'RecordEvent:RECEPTION_ASSIGNED': 'registered',
  'RecordEvent:APPLICATION_FILED': 'registered',
  'RecordEvent:DEPORTATION_STAY_NOTIFIED': 'registered',
  'RecordEvent:WARNING_ACKNOWLEDGED': 'warning',
  'RecordEvent:EVENT_RETRACTED(ZAB event)': 'zabEvent',
  'RecordEvent:EVENT_RETRACTED(BAMF event)': 'bamfEvent',
  'RecordEvent:PERSONAL_DATA_PURGED': 'registered',
  'ImportCase(own facts)': 'none',
  'ImportCase(partner facts)': 'none',
  'PurgePrivateData(caseDetails)': 'bothDetails',
  'PurgePrivateData(zabEnforcement)': 'enforcement',
  PutCaseDetails: 'registered',
  PutEnforcement: 'registered',
};

/** The peers each write column is endorsed by: both (the chaincode's AND policy), ZAB alone for `PutEnforcement`. */
export function endorsersOf(columnId: string): Agency[] {
  return columnId === 'PutEnforcement' ? ['zab'] : ['bamf', 'zab'];
}

/** The read arguments, on the case the suite prepared for reads. */
export function readCall(col: Column, caseId: string, writeId: { sourceMessageId: string; mspId: string }): Call {
  const arg: Record<string, unknown> = {
    GetCase: { caseId },
    GetTimeline: { caseId },
    GetWrite: writeId,
    ListCases: { phase: 'PROCEDURE', pageSize: 1 },
    GetCaseDetails: { caseId },
    GetEnforcement: { caseId },
    GetValueList: { list: 'facility' },
    ListValueLists: {},
    DiffValueLists: { list: 'facility', from: 1, to: 1 },
  };
  if (!(col.transaction in arg)) throw new Error(`no read argument for ${col.transaction}`);
  return { transaction: col.transaction, argument: arg[col.transaction] };
}

/**
 * What a write did to the ledger, judged from the state before and after it: `committed`, `unchanged`, `n/a` (a
 * read), or what went wrong in words.
 */
export type Effect = string;

/** One cell of the report. */
export interface Cell {
  readonly row: string;
  readonly column: string;
  /** For reads: the peer asked. */
  readonly peer?: Agency;
  readonly expected: Answer;
  readonly got: string;
  readonly effect: Effect;
  /** The refusal's text (the chaincode's `[CODE] {detail}` or the peer's error), never a payload. */
  readonly message?: string;
  readonly ok: boolean;
}

/** The verdict of a write cell from its CLI answer and the state before and after. */
export function writeCell(row: Row, col: Column, got: CliAnswer, endorsers: readonly string[], before: string, after: string): Cell {
  const want = expected(row.caller, col);
  let effect: Effect;
  if (got.answer === 'OK') {
    const notValid = endorsers.filter((e) => got.commits?.[e] !== 'VALID');
    if (notValid.length > 0) effect = `no VALID commit event from ${notValid.join(', ')}`;
    else if (after === before) effect = 'answered OK but the state did not change';
    else if (got.txId !== undefined && !after.includes(got.txId) && col.transaction !== 'ProposeValueList' && col.transaction !== 'ApproveValueList') {
      effect = 'the state changed, but not by this transaction';
    } else effect = 'committed';
  } else {
    effect = after === before ? 'unchanged' : 'CHANGED although refused';
  }
  const ok = got.answer === want && effect === (want === 'OK' ? 'committed' : 'unchanged');
  return { row: row.id, column: col.id, expected: want, got: got.answer, effect, ...messageOf(got), ok };
}

/** The verdict of a read cell. */
export function readCell(row: Row, col: Column, peer: Agency, got: CliAnswer): Cell {
  const want = expected(row.caller, col, peer);
  let effect: Effect = 'n/a';
  if (got.answer === 'OK') {
    try {
      JSON.parse(got.payload ?? '');
    } catch {
      effect = 'answer is not JSON';
    }
  }
  return { row: row.id, column: col.id, peer, expected: want, got: got.answer, effect, ...messageOf(got), ok: got.answer === want && effect === 'n/a' };
}

function messageOf(got: CliAnswer): { message?: string } {
  if (got.answer === 'OK' || got.message === undefined) return {};
  return { message: got.message.length > 300 ? `${got.message.slice(0, 300)}…` : got.message };
}

/** Where the reports go. */
export const REPORT_DIR = join(__dirname, '..', '..', 'reports');

/** The report: JSON with every cell, and a generated Markdown table (one line per column, one column per row). */
export interface Report {
  readonly generatedAt: string;
  readonly durationSeconds: number;
  readonly network: { readonly channel: string; readonly chaincode: string; readonly peers: readonly string[] };
  readonly cli: { readonly calls: number; readonly parallel: number };
  readonly rows: readonly Row['id'][];
  readonly columns: readonly { id: string; transaction: string; kind: string; source: string; decision: boolean }[];
  readonly cells: readonly Cell[];
  /** The non-member's refusal as the peers logged it (the cause behind the CLI's "access denied"). */
  readonly nonMemberPeerLog: Readonly<Record<string, readonly string[]>>;
  /** The non-member presenting its own TLS certificate: refused before any proposal. */
  readonly nonMemberOwnTls: readonly { call: string; got: string; message?: string }[];
  /** The failed TLS handshakes the peers logged during that attempt. */
  readonly nonMemberOwnTlsPeerLog: Readonly<Record<string, readonly string[]>>;
  readonly mismatches: number;
}

function markdown(r: Report): string {
  const short = (row: string) => row.replace(/ \(.*\)$/, '');
  const lines = [
    '# Bypass matrix: every transaction under every identity, straight at the peers',
    '',
    `Generated by \`test-network/test/bypass-matrix.net.test.ts\` on ${r.generatedAt} (${r.durationSeconds.toFixed(0)} s, ${r.cli.calls} \`peer\` CLI calls, ${r.cli.parallel} at a time). Do not edit: run the suite.`,
    '',
    `Channel \`${r.network.channel}\`, chaincode \`${r.network.chaincode}\`, peers ${r.network.peers.join(', ')}. Writes: \`peer chaincode invoke\` endorsed by the peers named (PutEnforcement: ZAB's alone, its collection's policy), \`--waitForEvent\`; reads: \`peer chaincode query\` on each peer.`,
    'Each cell is the answer: `OK` (writes: committed VALID on every endorsing peer and visible in the state), the chaincode\'s error code, or `PEER_ACCESS_DENIED` (the peer refused the proposal before any chaincode ran). A refused write left the case (events, private records) or the value list unchanged.',
    `A cell that differs from domain.md's matrix (test-network/test/support/bypass-matrix.ts) shows \`got ≠ expected\` and is marked ✗. **Mismatches: ${r.mismatches}.** Cells marked † rest on a project decision where domain.md is silent (reads of public state by every role).`,
    '',
    'Rows:',
    ...r.rows.map((row, i) => `- R${i + 1}: ${row}`),
    '',
    `| transaction | peer(s) | ${r.rows.map((_, i) => `R${i + 1}`).join(' | ')} |`,
    `|---|---|${r.rows.map(() => '---').join('|')}|`,
  ];
  for (const col of r.columns) {
    const peers = col.kind === 'query' ? (['bamf', 'zab'] as const) : ([undefined] as const);
    for (const peer of peers) {
      const cells = r.rows.map((row) => {
        const c = r.cells.find((x) => x.row === row && x.column === col.id && x.peer === peer);
        if (c === undefined) return '–';
        return c.ok ? c.got : `✗ ${c.got} ≠ ${c.expected}${c.effect !== 'n/a' && c.effect !== 'committed' && c.effect !== 'unchanged' ? ` (${c.effect})` : ''}`;
      });
      lines.push(`| ${col.id}${col.decision ? ' †' : ''} | ${peer ?? endorsersOf(col.id).join(' + ')} | ${cells.join(' | ')} |`);
    }
  }
  lines.push('', '## Where each column\'s expectation comes from (domain.md)', '', '| transaction | source |', '|---|---|');
  for (const col of r.columns) lines.push(`| ${col.id} | ${col.source} |`);
  lines.push('', '## The non-member certificate', '');
  lines.push('Client side (what the `peer` CLI printed), per non-member row, first distinct messages:', '');
  for (const row of r.rows.filter((x) => x.startsWith('non-member'))) {
    const msgs = [...new Set(r.cells.filter((c) => c.row === row).map((c) => c.message ?? c.got))];
    for (const m of msgs) lines.push(`- ${short(row)}: \`${m}\``);
  }
  lines.push('', "Peer side (the endorser's log lines for these proposals, `error=`):", '');
  for (const [peer, errors] of Object.entries(r.nonMemberPeerLog)) for (const e of errors) lines.push(`- ${peer}: \`${e}\``);
  lines.push('', 'With its own TLS client certificate (issued by the same non-member CA) the peers refuse the connection before any proposal:', '');
  for (const t of r.nonMemberOwnTls) lines.push(`- ${t.call}: ${t.got} \`${t.message ?? ''}\``);
  for (const [peer, errors] of Object.entries(r.nonMemberOwnTlsPeerLog)) for (const e of errors) lines.push(`- ${peer} logged: \`${e}\``);
  lines.push('');
  return lines.join('\n');
}

/** Writes `bypass-matrix.json` and `bypass-matrix.md` into {@link REPORT_DIR}; returns their paths. */
export function writeReport(r: Report): string[] {
  mkdirSync(REPORT_DIR, { recursive: true });
  const json = join(REPORT_DIR, 'bypass-matrix.json');
  const md = join(REPORT_DIR, 'bypass-matrix.md');
  writeFileSync(json, JSON.stringify(r, null, 2) + '\n');
  writeFileSync(md, markdown(r));
  return [json, md];
}

/** The columns of the given kind, in report order. */
export function columnsOf(kind: Column['kind']): Column[] {
  return COLUMNS.filter((c) => c.kind === kind);
}

/** The size of a file now (to read only what a log gained during the suite), 0 if it does not exist. */
export function fileSize(file: string): number {
  return existsSync(file) ? readFileSync(file).length : 0;
}

/** The lines a peer logged after `from` bytes, without colour codes. */
function logLinesSince(logFile: string, from: number): string[] {
  // eslint-disable-next-line no-control-regex
  return readFileSync(logFile).subarray(from).toString('utf8').replace(/\u001b\[[0-9;]*m/g, '').split('\n');
}

/** The distinct `error="…"` of the endorser's "access denied" lines a peer logged after `from` bytes. */
export function accessDeniedErrors(logFile: string, from: number, mentions: readonly string[]): string[] {
  if (!existsSync(logFile)) return [`(no log at ${logFile})`];
  const errors = new Set<string>();
  for (const line of logLinesSince(logFile, from)) {
    if (!line.includes('access denied') || !mentions.some((m) => line.includes(m))) continue;
    const e = /error="([^"]*)"/.exec(line)?.[1];
    if (e !== undefined) errors.add(e);
  }
  return [...errors];
}

/** The distinct errors of the failed TLS handshakes a peer logged after `from` bytes. */
export function handshakeErrors(logFile: string, from: number): string[] {
  if (!existsSync(logFile)) return [`(no log at ${logFile})`];
  const errors = new Set<string>();
  for (const line of logLinesSince(logFile, from)) {
    const e = /Server TLS handshake failed in \S+ with error (.*?) server=/.exec(line)?.[1];
    if (e !== undefined) errors.add(e);
  }
  return [...errors];
}

/** The peer log file of `peer` in the network's data directory. */
export function peerLog(connection: Connection, peerName: string): string {
  return join(connection.home, 'network', 'logs', `${peerName}.log`);
}
