import { TRANSACTIONS, type TransactionName } from '@asl/chaincode/domain';
import type { Agency, ClientRole } from './live-network';

/**
 * Who may call which transaction of the `procedure` chaincode, written down once, as data, from
 * /work/shared/domain.md (section numbers below; `domain.md` is the contract) — the expectation of the bypass suite
 * (`bypass-matrix.net.test.ts`), which calls every transaction with the `peer` CLI straight at the peers.
 *
 * domain.md has no single table of roles × transactions; the matrix is assembled from:
 * - §1 "Who takes part": ownership by organisation kind (federal-office events by a federal-office member,
 *   state-authority events only by the case's responsible state authority) and the four roles: `adapter`
 *   (case-system bridge), `caseworker` (a person), `auditor` (read-only), `admin` (purges, imports, value lists,
 *   user administration). Plain events are written by adapters and caseworkers (architecture.md's REST table
 *   gives event writes to exactly those two).
 * - §2 private data: `caseDetails` both agencies, member-only read, each agency writes its own record, purged by an
 *   `admin`; `zabEnforcement` ZAB only, written by ZAB, purgeable (by ZAB's admin: the purge is an admin's, and
 *   only a member touches a collection). Auditors see no identifying details (issue 10 item 4; architecture.md
 *   gives details to adapter and caseworker only).
 * - §3 the event tables (writer per type) and the cross-cutting table: `CASE_IMPORTED` by either agency's admin
 *   with facts of its own event types; `WARNING_ACKNOWLEDGED` by either agency's caseworker; `EVENT_RETRACTED` by
 *   the agency that wrote the retracted event; `PERSONAL_DATA_PURGED` only "written by the purge transaction".
 * - §9 value lists: a version takes effect only when both agencies' admins approved it (the proposer's
 *   organisation counts once: its own admin approving again is refused).
 * - Reads of public (pseudonymous) state: domain.md makes only the auditor explicitly read-only and is silent on
 *   which roles read; every role reads public state here, as chaincode/src/contract/README.md records the
 *   decision ("any role"). NOTE: architecture.md's REST table gives case reads to adapter, caseworker and auditor,
 *   not admin — at the gateway. Cells resting on that decision are marked `decision`.
 *
 * Refusals follow §7's check order: schema → role → ownership. So a caller whose role is not allowed gets
 * `FORBIDDEN_ROLE` (also a member identity without a `role` attribute), a caller with the right role from the
 * wrong organisation `NOT_OWNER` (collection membership is `NOT_OWNER` too), and a certificate the channel does
 * not know never reaches the chaincode: the peer refuses the proposal (`PEER_ACCESS_DENIED`).
 */

/** What a cell answers: `OK`, a chaincode error code (domain.md §7), or a refusal by the peer itself. */
export type Answer =
  | 'OK'
  | 'INVALID_INPUT'
  | 'FORBIDDEN_ROLE'
  | 'NOT_OWNER'
  | 'PRECONDITION_FAILED'
  | 'LEDGER_UNAVAILABLE'
  | 'PEER_ACCESS_DENIED';

/** Who calls, as far as the matrix cares. */
export interface Caller {
  /** Whether the certificate comes from a channel member's CA. */
  readonly member: boolean;
  /** The member agency (for a non-member: the agency whose arguments it sends). */
  readonly agency: Agency;
  /** The `role` attribute; undefined for a certificate without one (an org's Fabric admin, a chaincode server). */
  readonly role?: ClientRole;
}

const ALL_ROLES: readonly ClientRole[] = ['adapter', 'caseworker', 'auditor', 'admin'];
const WRITERS: readonly ClientRole[] = ['adapter', 'caseworker'];
const BOTH: readonly Agency[] = ['bamf', 'zab'];

/** One column of the matrix: a transaction called in one way. */
export interface Column {
  /** Stable id, e.g. `RecordEvent:APPLICATION_FILED`. */
  readonly id: string;
  readonly transaction: TransactionName;
  /** `invoke`: endorsed and ordered; `query`: evaluated on one peer. */
  readonly kind: 'invoke' | 'query';
  /** The roles that may call it. */
  readonly roles: readonly ClientRole[];
  /** The agencies that may call it (given the case the suite prepares). */
  readonly agencies: readonly Agency[];
  /** What a caller with an allowed role from another agency gets (default `NOT_OWNER`). */
  readonly otherAgency?: Answer;
  /** What every member caller gets whatever its role: the schema check comes first (§7). */
  readonly everyMember?: Answer;
  /**
   * For reads of a collection: the peers that hold it. On another peer an allowed caller's read fails in Fabric
   * (the peer has only the hash; the contract reports peer failures as `LEDGER_UNAVAILABLE`).
   */
  readonly heldBy?: readonly Agency[];
  /** Where the expectation comes from. */
  readonly source: string;
  /** True where the expectation rests on a documented project decision because domain.md is silent. */
  readonly decision?: boolean;
}

/** Every column, in the order of the report. */
export const COLUMNS: readonly Column[] = [
  { id: 'RecordEvent:CASE_REGISTERED', transaction: TRANSACTIONS.RecordEvent, kind: 'invoke', roles: WRITERS, agencies: ['zab'], source: '§1 ownership, §3 intake (state authority)' },
  { id: 'RecordEvent:RECEPTION_ASSIGNED', transaction: TRANSACTIONS.RecordEvent, kind: 'invoke', roles: WRITERS, agencies: ['zab'], source: '§1 ownership (responsible state authority), §3 intake' },
  { id: 'RecordEvent:APPLICATION_FILED', transaction: TRANSACTIONS.RecordEvent, kind: 'invoke', roles: WRITERS, agencies: ['bamf'], source: '§1 ownership, §3 asylum procedure (federal office)' },
  { id: 'RecordEvent:DEPORTATION_STAY_NOTIFIED', transaction: TRANSACTIONS.RecordEvent, kind: 'invoke', roles: WRITERS, agencies: BOTH, source: '§3 court facts (either kind)' },
  { id: 'RecordEvent:WARNING_ACKNOWLEDGED', transaction: TRANSACTIONS.RecordEvent, kind: 'invoke', roles: ['caseworker'], agencies: BOTH, source: "§3 cross-cutting: either agency's caseworker" },
  { id: 'RecordEvent:EVENT_RETRACTED(ZAB event)', transaction: TRANSACTIONS.RecordEvent, kind: 'invoke', roles: WRITERS, agencies: ['zab'], source: '§3 cross-cutting: the agency that wrote the retracted event' },
  { id: 'RecordEvent:EVENT_RETRACTED(BAMF event)', transaction: TRANSACTIONS.RecordEvent, kind: 'invoke', roles: WRITERS, agencies: ['bamf'], source: '§3 cross-cutting: the agency that wrote the retracted event' },
  { id: 'RecordEvent:PERSONAL_DATA_PURGED', transaction: TRANSACTIONS.RecordEvent, kind: 'invoke', roles: [], agencies: [], everyMember: 'INVALID_INPUT', source: '§3 cross-cutting: written only by the purge transaction; §7 schema first' },
  { id: 'ImportCase(own facts)', transaction: TRANSACTIONS.ImportCase, kind: 'invoke', roles: ['admin'], agencies: BOTH, source: "§3 CASE_IMPORTED: either agency's admin, its own event types" },
  { id: 'ImportCase(partner facts)', transaction: TRANSACTIONS.ImportCase, kind: 'invoke', roles: ['admin'], agencies: [], source: "§3 CASE_IMPORTED: only this agency's own event types" },
  { id: 'PurgePrivateData(caseDetails)', transaction: TRANSACTIONS.PurgePrivateData, kind: 'invoke', roles: ['admin'], agencies: BOTH, source: '§2 caseDetails purgeable by an admin; §3 PERSONAL_DATA_PURGED' },
  { id: 'PurgePrivateData(zabEnforcement)', transaction: TRANSACTIONS.PurgePrivateData, kind: 'invoke', roles: ['admin'], agencies: ['zab'], source: '§2 zabEnforcement: member ZAB only, purgeable' },
  { id: 'PutCaseDetails', transaction: TRANSACTIONS.PutCaseDetails, kind: 'invoke', roles: WRITERS, agencies: BOTH, source: '§2 caseDetails: each agency writes its own record' },
  { id: 'PutEnforcement', transaction: TRANSACTIONS.PutEnforcement, kind: 'invoke', roles: WRITERS, agencies: ['zab'], source: '§2 zabEnforcement: ZAB only' },
  { id: 'ProposeValueList', transaction: TRANSACTIONS.ProposeValueList, kind: 'invoke', roles: ['admin'], agencies: BOTH, source: '§9, §1 (admin: value lists)' },
  { id: 'ApproveValueList(partner proposal)', transaction: TRANSACTIONS.ApproveValueList, kind: 'invoke', roles: ['admin'], agencies: BOTH, source: "§9 both agencies' admins approve" },
  { id: 'ApproveValueList(own proposal)', transaction: TRANSACTIONS.ApproveValueList, kind: 'invoke', roles: ['admin'], agencies: [], otherAgency: 'PRECONDITION_FAILED', source: "§9 both agencies' admins: the proposer's organisation counts once" },
  { id: 'GetCase', transaction: TRANSACTIONS.GetCase, kind: 'query', roles: ALL_ROLES, agencies: BOTH, source: '§1 (auditor reads); public state is pseudonymous (§2)', decision: true },
  { id: 'GetTimeline', transaction: TRANSACTIONS.GetTimeline, kind: 'query', roles: ALL_ROLES, agencies: BOTH, source: '§1, §8 (auditors verify history)', decision: true },
  { id: 'GetWrite', transaction: TRANSACTIONS.GetWrite, kind: 'query', roles: ALL_ROLES, agencies: BOTH, source: '§1, §6 (receipt of a write)', decision: true },
  { id: 'ListCases', transaction: TRANSACTIONS.ListCases, kind: 'query', roles: ALL_ROLES, agencies: BOTH, source: '§1, §4', decision: true },
  { id: 'GetCaseDetails', transaction: TRANSACTIONS.GetCaseDetails, kind: 'query', roles: WRITERS, agencies: BOTH, source: '§2 caseDetails: both agencies, member-only read, for caseworkers; auditors see no identifying details' },
  { id: 'GetEnforcement', transaction: TRANSACTIONS.GetEnforcement, kind: 'query', roles: WRITERS, agencies: ['zab'], heldBy: ['zab'], source: '§2 zabEnforcement: ZAB only, never on BAMF\'s peer' },
  { id: 'GetValueList', transaction: TRANSACTIONS.GetValueList, kind: 'query', roles: ALL_ROLES, agencies: BOTH, source: '§9 (shared lists; architecture.md: everyone reads)' },
  { id: 'ListValueLists', transaction: TRANSACTIONS.ListValueLists, kind: 'query', roles: ALL_ROLES, agencies: BOTH, source: '§9 (architecture.md: everyone reads)' },
  { id: 'DiffValueLists', transaction: TRANSACTIONS.DiffValueLists, kind: 'query', roles: ALL_ROLES, agencies: BOTH, source: '§9 (architecture.md: everyone reads)' },
];

/** The column with this id. */
export function column(id: string): Column {
  const c = COLUMNS.find((x) => x.id === id);
  if (c === undefined) throw new Error(`no matrix column ${id}`);
  return c;
}

/**
 * The answer domain.md expects when `caller` calls `col` (a query: on `peer`'s peer). The one place the suite
 * derives an expectation from.
 */
export function expected(caller: Caller, col: Column, peer?: Agency): Answer {
  if (!caller.member) return 'PEER_ACCESS_DENIED';
  if (col.everyMember !== undefined) return col.everyMember;
  if (caller.role === undefined || !col.roles.includes(caller.role)) return 'FORBIDDEN_ROLE';
  if (!col.agencies.includes(caller.agency)) return col.otherAgency ?? 'NOT_OWNER';
  if (peer !== undefined && col.heldBy !== undefined && !col.heldBy.includes(peer)) return 'LEDGER_UNAVAILABLE';
  return 'OK';
}
