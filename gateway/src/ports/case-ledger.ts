import type {
  CaseDetails,
  CaseDetailsReadRecord,
  CaseView,
  Enforcement,
  EventInput,
  ImportedFact,
  ListValueListsAnswer,
  Receipt,
  Role,
  StoredEvent,
  ValueListAnswer,
  ValueListApproval,
  ValueListChangeAnswer,
  ValueListDiff,
  ValueListName,
  ValueListProposal,
  Warning,
} from '@asl/chaincode/domain';

/**
 * Whose identity a ledger call runs under. Every write is signed with the caller's own Fabric identity
 * (architecture.md); the implementation looks the identity up by `userId`.
 */
export interface Caller {
  /** The enrollment ID in the agency's Fabric CA (a staff or system number, never a name). */
  readonly userId: string;
  readonly role: Role;
}

/** A committed write (domain.md §8): `{receipt, event, warnings}`; `alreadyApplied` for an idempotent replay. */
export interface WriteResult {
  readonly receipt: Receipt;
  readonly event: StoredEvent;
  readonly warnings: readonly Warning[];
  /** True when the ledger answered `ALREADY_APPLIED`: the receipt is the original write's. */
  readonly alreadyApplied: boolean;
}

/** A committed `zabEnforcement` write: its transaction as the committed block shows it (domain.md §8). */
export interface EnforcementCommit {
  readonly txId: string;
  readonly blockNumber: string;
  readonly txIndex: number;
  readonly validationCode: string;
  /** Sorted MSP IDs of the endorsements: ZAB alone, as the collection's policy asks. */
  readonly endorsers: readonly string[];
}

/** One event with its receipt, in ledger order `(blockNumber, txIndex)`. */
export interface LedgerEntry {
  readonly event: StoredEvent;
  readonly receipt: Receipt;
  /** The warnings (event rules, evaluated at the transaction time) after this write. */
  readonly warnings: readonly Warning[];
}

/** A page of results; `cursor` is opaque and absent on the last page. */
export interface Page<T> {
  readonly items: readonly T[];
  readonly cursor?: string;
}

/** One agency's `caseDetails` record (never its salt), or the fact that it was erased. */
export type DetailsEntry =
  | { readonly agency: string; readonly state: 'present'; readonly record: CaseDetailsReadRecord }
  | { readonly agency: string; readonly state: 'erased' };

/** The ledger operations the gateway needs (the `procedure` chaincode behind the agency's peer). */
export interface CaseLedger {
  /**
   * Submits one event (with this agency's `caseDetails` as transient data when given), waits for the
   * commit and answers the completed receipt. A repeated `sourceMessageId` with the same content
   * answers the original write with `alreadyApplied: true`. Refusals throw `DomainError`.
   */
  submitEvent(caller: Caller, input: EventInput, caseDetails?: CaseDetails): Promise<WriteResult>;
  /** `CASE_IMPORTED` for go-live (admin). */
  importCase(
    caller: Caller,
    request: { caseId: string; sourceMessageId: string; occurredAt: string; facts: readonly ImportedFact[] },
    caseDetails?: CaseDetails,
  ): Promise<WriteResult>;
  /** Purges a private data collection of a case and records `PERSONAL_DATA_PURGED` (admin). */
  purge(
    caller: Caller,
    request: { caseId: string; collection: 'caseDetails' | 'zabEnforcement'; sourceMessageId: string; occurredAt: string },
  ): Promise<WriteResult>;
  /** Writes the ZAB-only `zabEnforcement` record (endorsed by ZAB alone; no chaincode event). */
  putEnforcement(caller: Caller, caseId: string, enforcement: Enforcement): Promise<EnforcementCommit>;
  /** The case view as the chaincode holds it (event rules only), or undefined. */
  getCase(caller: Caller, caseId: string): Promise<CaseView | undefined>;
  /** Every event of a case in ledger order, with receipts (undefined when there is no such case). */
  getTimeline(caller: Caller, caseId: string): Promise<readonly LedgerEntry[] | undefined>;
  /** The write this agency recorded for a `sourceMessageId`, if any. */
  getWrite(caller: Caller, sourceMessageId: string): Promise<WriteResult | undefined>;
  /** Both agencies' `caseDetails` records for a case. */
  getCaseDetails(caller: Caller, caseId: string): Promise<readonly DetailsEntry[]>;
  /** Whether a case exists (the pseudonym key-epoch rule needs it). */
  caseExists(caller: Caller, caseId: string): Promise<boolean>;
  /** The channel's block height (number of the next block). */
  blockHeight(): Promise<bigint>;
  /** Every value list: the version in force now, the pending proposal and when each version came into force. */
  listValueLists(caller: Caller): Promise<ListValueListsAnswer>;
  /** One version of a list with its entries, or (without `version`) the version in force now; `CASE_NOT_FOUND` when unknown. */
  getValueList(caller: Caller, list: ValueListName, version?: number): Promise<ValueListAnswer>;
  /** The difference between two versions of a list; `CASE_NOT_FOUND` when either is unknown. */
  diffValueLists(caller: Caller, list: ValueListName, from: number, to: number): Promise<ValueListDiff>;
  /** Proposes the next version of a list (admin; version = the version in force + 1), waits for the commit. */
  proposeValueList(caller: Caller, proposal: ValueListProposal): Promise<ValueListChangeAnswer>;
  /** Approves a proposed version with the content hash the admin reviewed (admin of another member), waits for the commit. */
  approveValueList(caller: Caller, approval: ValueListApproval): Promise<ValueListChangeAnswer>;
}
