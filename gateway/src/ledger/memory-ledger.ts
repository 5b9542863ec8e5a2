import { randomBytes } from 'node:crypto';
import {
  approveValueList,
  caseViewAt,
  decide,
  diffValueLists,
  DomainError,
  listsUsedBy,
  parseError,
  proposeValueList,
  receiptOf,
  RULE_VERSION,
  summarizeValueList,
  VALUE_LIST_NAMES,
  valueListStatus,
  versionInForceAt,
  type ListValueListsAnswer,
  type ValueListAnswer,
  type ValueListApproval,
  type ValueListChange,
  type ValueListChangeAnswer,
  type ValueListDiff,
  type ValueListHead,
  type ValueListName,
  type ValueListProposal,
  type ValueListSet,
  type ValueListSummary,
  type ValueListVersion,
  type CaseDetails,
  type CaseDetailsRecord,
  type CaseView,
  type Enforcement,
  type EventInput,
  type ImportedFact,
  type OrgDirectory,
  type Receipt,
  type StoredEvent,
  CHAINCODE_ENDORSERS,
  COLLECTION_ENDORSERS,
  inCollection,
  MEMBER_DIRECTORY,
} from '@asl/chaincode/domain';
import { GatewayError } from '../http/problem';
import type { Caller, CaseLedger, DetailsEntry, EnforcementCommit, LedgerEntry, WriteResult } from '../ports/case-ledger';
import { compareCheckpoints, type LedgerCheckpoint, type LedgerEventHandlers, type LedgerEvents, type Subscription } from '../ports/ledger-events';

/** The agencies of the channel (domain.md §1), from the topology (`@asl/chaincode/domain` org facts). */
export const DEFAULT_ORGS: OrgDirectory = MEMBER_DIRECTORY;

/** A one-shot failure the next ledger call raises (tests of the error mapping). */
export type LedgerFault = 'unavailable' | 'timeout' | Error;

/** Options of {@link MemoryChannel}. */
export interface MemoryChannelOptions {
  readonly orgs?: OrgDirectory;
  /** The transaction time (the submitting client's clock on a real network). */
  readonly now: () => Date;
}

interface Idempotency {
  readonly contentHash: string;
  readonly entry: LedgerEntry;
}

/**
 * An in-memory stand-in for the channel and the `procedure` chaincode, for unit tests of everything above
 * the ledger port. It runs the real domain `decide` and fold and the domain's value-list rules (proposal,
 * approval, the version in force at the transaction time, and every event's codes judged against it), so
 * it refuses exactly what the chaincode refuses, and assigns one block per transaction. Like the
 * chaincode it is strict: before a list is seeded, every code of that list is `UNKNOWN_CODE_VALUE`. It is a test double: no endorsement, no ordering, no
 * MVCC, no private-data dissemination.
 */
export class MemoryChannel {
  readonly orgs: OrgDirectory;
  readonly #now: () => Date;
  readonly #entries: LedgerEntry[] = [];
  readonly #byCase = new Map<string, StoredEvent[]>();
  readonly #idempotency = new Map<string, Idempotency>();
  readonly #details = new Map<string, Map<string, CaseDetailsRecord | 'erased'>>();
  readonly #enforcement = new Map<string, { enforcement: Enforcement; txId: string } | 'erased'>();
  readonly #listeners = new Set<() => void>();
  readonly #valueListHeads = new Map<ValueListName, ValueListHead>();
  readonly #valueListVersions = new Map<string, ValueListVersion>();
  #height = 1n;
  #fault: LedgerFault | undefined;

  constructor(options: MemoryChannelOptions) {
    this.orgs = options.orgs ?? DEFAULT_ORGS;
    this.#now = options.now;
  }

  /** The ledger port of one agency's gateway. */
  ledgerFor(mspId: string): CaseLedger {
    return new MemoryLedger(this, mspId);
  }

  /** The channel's event stream. */
  events(): LedgerEvents {
    return { subscribe: (after, handlers) => this.#subscribe(after, handlers) };
  }

  /** Makes the next ledger call fail. */
  injectFault(fault: LedgerFault): void {
    this.#fault = fault;
  }

  /** Every committed entry, in ledger order. */
  entries(): readonly LedgerEntry[] {
    return this.#entries;
  }

  /** @internal */
  checkFault(): void {
    const fault = this.#fault;
    if (fault === undefined) return;
    this.#fault = undefined;
    if (fault === 'unavailable') throw new GatewayError('LEDGER_UNAVAILABLE', {}, 5);
    if (fault === 'timeout') throw new GatewayError('LEDGER_TIMEOUT', {}, 5);
    throw fault;
  }

  /** @internal */
  height(): bigint {
    return this.#height;
  }

  /** @internal Runs the domain decision and commits the event in a new block. */
  write(mspId: string, caller: Caller, input: EventInput, mutate?: (event: StoredEvent) => void): WriteResult {
    this.checkFault();
    const key = `${mspId}\u0000${input.sourceMessageId}`;
    const prior = this.#idempotency.get(key);
    const txId = randomBytes(32).toString('hex');
    const txTime = this.#now().toISOString();
    let decided: ReturnType<typeof decide>;
    try {
      decided = decide({
        input,
        actor: { mspId, enrollmentId: caller.userId, role: caller.role },
        txId,
        txTime,
        orgs: this.orgs,
        ruleVersion: RULE_VERSION,
        history: this.#byCase.get(input.caseId) ?? [],
        idempotency: prior ? { contentHash: prior.contentHash, event: prior.entry.event } : undefined,
        valueLists: this.#valueListsInForce(listsUsedBy(input), txTime),
      });
    } catch (error) {
      if (error instanceof DomainError && error.code === 'ALREADY_APPLIED' && prior) {
        return { receipt: prior.entry.receipt, event: prior.entry.event, warnings: prior.entry.warnings, alreadyApplied: true };
      }
      throw error;
    }
    const blockNumber = this.#height;
    this.#height += 1n;
    const endorsers = Object.keys(this.orgs).sort();
    const receipt: Receipt = { ...receiptOf(decided.event), blockNumber: blockNumber.toString(), txIndex: 0, validationCode: 'VALID', endorsers };
    const entry: LedgerEntry = { event: decided.event, receipt, warnings: decided.warnings };
    this.#entries.push(entry);
    const history = this.#byCase.get(input.caseId) ?? [];
    history.push(decided.event);
    this.#byCase.set(input.caseId, history);
    this.#entriesByCase(input.caseId).push(entry);
    this.#idempotency.set(key, { contentHash: decided.contentHash, entry });
    mutate?.(decided.event);
    for (const listener of this.#listeners) listener();
    return { receipt, event: decided.event, warnings: decided.warnings, alreadyApplied: false };
  }

  readonly #timelines = new Map<string, LedgerEntry[]>();
  #entriesByCase(caseId: string): LedgerEntry[] {
    let list = this.#timelines.get(caseId);
    if (!list) {
      list = [];
      this.#timelines.set(caseId, list);
    }
    return list;
  }

  /** @internal */
  timeline(caseId: string): readonly LedgerEntry[] | undefined {
    return this.#timelines.get(caseId);
  }

  /** @internal */
  history(caseId: string): readonly StoredEvent[] {
    return this.#byCase.get(caseId) ?? [];
  }

  /** @internal */
  writeFor(mspId: string, sourceMessageId: string): LedgerEntry | undefined {
    return this.#idempotency.get(`${mspId}\u0000${sourceMessageId}`)?.entry;
  }

  /** @internal */
  putDetails(caseId: string, mspId: string, event: StoredEvent, details: CaseDetails): void {
    const records = this.#details.get(caseId) ?? new Map<string, CaseDetailsRecord | 'erased'>();
    records.set(mspId, { caseId, txId: event.txId, recordedAt: event.recordedAt, writer: event.actor, agency: mspId, details, salt: randomBytes(32).toString('base64') });
    this.#details.set(caseId, records);
  }

  /** @internal */
  details(caseId: string): readonly DetailsEntry[] {
    const records = this.#details.get(caseId);
    if (!records) return [];
    return [...records.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([agency, r]): DetailsEntry => {
        if (r === 'erased') return { agency, state: 'erased' };
        return { agency, state: 'present', record: { caseId: r.caseId, txId: r.txId, recordedAt: r.recordedAt, writer: r.writer, agency: r.agency, details: r.details } };
      });
  }

  /** @internal */
  purge(caseId: string, collection: 'caseDetails' | 'zabEnforcement'): void {
    if (collection === 'caseDetails') {
      const records = this.#details.get(caseId);
      if (records) for (const agency of records.keys()) records.set(agency, 'erased');
    } else if (this.#enforcement.has(caseId)) {
      this.#enforcement.set(caseId, 'erased');
    }
  }

  /** As the contract loads them: per list the event's codes use, the version in force at `at` (none: no candidates). */
  #valueListsInForce(lists: readonly ValueListName[], at: string): ValueListSet {
    const set: Partial<Record<ValueListName, readonly ValueListVersion[]>> = {};
    for (const list of lists) {
      const number = versionInForceAt(this.#valueListHeads.get(list), at);
      const version = number === null ? undefined : this.#valueListVersions.get(`${list}:${number}`);
      set[list] = version === undefined ? [] : [version];
    }
    return set;
  }

  #valueListSummary(list: ValueListName, version: number | null): ValueListSummary | null {
    const v = version === null ? undefined : this.#valueListVersions.get(`${list}:${version}`);
    return v === undefined ? null : summarizeValueList(v);
  }

  /** @internal `ProposeValueList` / `ApproveValueList`: the domain's rules, stored and answered as the contract does. */
  changeValueList(
    mspId: string,
    caller: Caller,
    kind: 'propose' | 'approve',
    input: ValueListProposal | ValueListApproval,
  ): ValueListChangeAnswer {
    this.checkFault();
    const txTime = this.#now().toISOString();
    const request = {
      input,
      actor: { mspId, enrollmentId: caller.userId, role: caller.role },
      txId: randomBytes(32).toString('hex'),
      txTime,
      orgs: this.orgs,
      head: this.#valueListHeads.get(input.list),
      existing: this.#valueListVersions.get(`${input.list}:${input.version}`),
    };
    const change: ValueListChange = kind === 'propose' ? proposeValueList(request) : approveValueList(request);
    if (change.changed) {
      this.#valueListVersions.set(`${change.version.list}:${change.version.version}`, change.version);
      this.#valueListHeads.set(change.head.list, change.head);
      this.#height += 1n;
      for (const listener of this.#listeners) listener();
    }
    return { valueList: change.payload.valueList, status: valueListStatus(change.version, change.head, txTime) };
  }

  /** @internal `ListValueLists`. */
  listValueLists(): ListValueListsAnswer {
    this.checkFault();
    const now = this.#now().toISOString();
    return {
      items: VALUE_LIST_NAMES.map((list) => {
        const head = this.#valueListHeads.get(list);
        return {
          list,
          inForce: this.#valueListSummary(list, versionInForceAt(head, now)),
          pending: this.#valueListSummary(list, head?.pending ?? null),
          history: [...(head?.inForce ?? [])],
        };
      }),
    };
  }

  /** @internal `GetValueList`. */
  getValueList(list: ValueListName, version: number | undefined): ValueListAnswer {
    this.checkFault();
    const now = this.#now().toISOString();
    const head = this.#valueListHeads.get(list);
    const number = version ?? versionInForceAt(head, now);
    const found = number === null ? undefined : this.#valueListVersions.get(`${list}:${number}`);
    if (found === undefined) throw new DomainError('CASE_NOT_FOUND', { valueList: 'UNKNOWN' });
    return { ...found, status: valueListStatus(found, head, now) };
  }

  /** @internal `DiffValueLists`. */
  diffValueLists(list: ValueListName, from: number, to: number): ValueListDiff {
    this.checkFault();
    const a = this.#valueListVersions.get(`${list}:${from}`);
    const b = this.#valueListVersions.get(`${list}:${to}`);
    if (a === undefined || b === undefined) throw new DomainError('CASE_NOT_FOUND', { valueList: 'UNKNOWN' });
    return diffValueLists(a, b);
  }

  /** @internal */
  putEnforcement(caseId: string, enforcement: Enforcement): EnforcementCommit {
    const txId = randomBytes(32).toString('hex');
    const blockNumber = this.#height;
    this.#height += 1n;
    this.#enforcement.set(caseId, { enforcement, txId });
    for (const listener of this.#listeners) listener();
    // endorsed as the collection's policy asks: ZAB alone
    return { txId, blockNumber: blockNumber.toString(), txIndex: 0, validationCode: 'VALID', endorsers: [...(COLLECTION_ENDORSERS['zabEnforcement'] ?? CHAINCODE_ENDORSERS)] };
  }

  /** @internal */
  enforcement(caseId: string): Enforcement | undefined {
    const record = this.#enforcement.get(caseId);
    return record === undefined || record === 'erased' ? undefined : record.enforcement;
  }

  #subscribe(after: LedgerCheckpoint | undefined, handlers: LedgerEventHandlers): Subscription {
    let closed = false;
    let delivering = false;
    let reported: bigint | undefined;
    let next = after === undefined ? 0 : this.#entries.findIndex((e) => compareCheckpoints(checkpointOf(e), after) > 0);
    if (next < 0) next = this.#entries.length;
    const pump = async (): Promise<void> => {
      if (delivering) return;
      delivering = true;
      try {
        for (;;) {
          while (!closed && next < this.#entries.length) {
            const entry = this.#entries[next];
            if (entry === undefined) break;
            try {
              await handlers.onEntry(entry);
              next += 1;
            } catch (error) {
              handlers.onError?.(error);
              return;
            }
          }
          // Caught up: every block committed so far is processed, also those without a case event.
          const height = this.#height;
          if (closed || handlers.onBlockProcessed === undefined || height <= 1n || height === reported) break;
          try {
            await handlers.onBlockProcessed((height - 1n).toString());
            reported = height;
          } catch (error) {
            handlers.onError?.(error);
            return;
          }
        }
      } finally {
        delivering = false;
      }
    };
    const listener = (): void => void pump();
    this.#listeners.add(listener);
    queueMicrotask(listener);
    return {
      close: () => {
        closed = true;
        this.#listeners.delete(listener);
      },
    };
  }
}

/** The checkpoint of an entry. */
export function checkpointOf(entry: LedgerEntry): LedgerCheckpoint {
  return { blockNumber: entry.receipt.blockNumber, txIndex: entry.receipt.txIndex };
}

/** One agency's view of a {@link MemoryChannel}. */
class MemoryLedger implements CaseLedger {
  constructor(
    private readonly channel: MemoryChannel,
    private readonly mspId: string,
  ) {}

  submitEvent(caller: Caller, input: EventInput, caseDetails?: CaseDetails): Promise<WriteResult> {
    return settle(() => {
      const result = this.channel.write(this.mspId, caller, input);
      if (caseDetails && !result.alreadyApplied) this.channel.putDetails(input.caseId, this.mspId, result.event, caseDetails);
      return result;
    });
  }

  importCase(
    caller: Caller,
    request: { caseId: string; sourceMessageId: string; occurredAt: string; facts: readonly ImportedFact[] },
    caseDetails?: CaseDetails,
  ): Promise<WriteResult> {
    const input = { caseId: request.caseId, type: 'CASE_IMPORTED', sourceMessageId: request.sourceMessageId, occurredAt: request.occurredAt, data: { facts: [...request.facts] } };
    return settle(() => {
      const result = this.channel.write(this.mspId, caller, input as EventInput);
      if (caseDetails && !result.alreadyApplied) this.channel.putDetails(request.caseId, this.mspId, result.event, caseDetails);
      return result;
    });
  }

  purge(
    caller: Caller,
    request: { caseId: string; collection: 'caseDetails' | 'zabEnforcement'; sourceMessageId: string; occurredAt: string },
  ): Promise<WriteResult> {
    return settle(() => {
      if (request.collection === 'zabEnforcement' && this.channel.orgs[this.mspId]?.kind !== 'STATE_AUTHORITY') {
        throw new DomainError('NOT_OWNER', { collection: 'zabEnforcement' });
      }
      const input: EventInput = {
        caseId: request.caseId,
        type: 'PERSONAL_DATA_PURGED',
        sourceMessageId: request.sourceMessageId,
        occurredAt: request.occurredAt,
        data: { collection: request.collection },
      };
      const result = this.channel.write(this.mspId, caller, input);
      if (!result.alreadyApplied) this.channel.purge(request.caseId, request.collection);
      return result;
    });
  }

  putEnforcement(caller: Caller, caseId: string, enforcement: Enforcement): Promise<EnforcementCommit> {
    return settle(() => {
      this.channel.checkFault();
      if (caller.role !== 'adapter' && caller.role !== 'caseworker') throw new DomainError('FORBIDDEN_ROLE', {});
      if (!inCollection('zabEnforcement', this.mspId)) throw new DomainError('NOT_OWNER', { collection: 'zabEnforcement' });
      if (this.channel.history(caseId).length === 0) throw new DomainError('CASE_NOT_FOUND', {});
      return this.channel.putEnforcement(caseId, enforcement);
    });
  }

  getCase(_caller: Caller, caseId: string): Promise<CaseView | undefined> {
    return settle(() => {
      this.channel.checkFault();
      const history = this.channel.history(caseId);
      if (history.length === 0) return undefined;
      return caseViewAt(history, history[history.length - 1]?.recordedAt ?? new Date(0).toISOString(), this.channel.orgs, { clock: false });
    });
  }

  getTimeline(_caller: Caller, caseId: string): Promise<readonly LedgerEntry[] | undefined> {
    return settle(() => {
      this.channel.checkFault();
      return this.channel.timeline(caseId);
    });
  }

  getWrite(_caller: Caller, sourceMessageId: string): Promise<WriteResult | undefined> {
    return settle(() => {
      this.channel.checkFault();
      const entry = this.channel.writeFor(this.mspId, sourceMessageId);
      return entry && { receipt: entry.receipt, event: entry.event, warnings: entry.warnings, alreadyApplied: true };
    });
  }

  getCaseDetails(caller: Caller, caseId: string): Promise<readonly DetailsEntry[]> {
    return settle(() => {
      this.channel.checkFault();
      if (caller.role !== 'adapter' && caller.role !== 'caseworker') throw new DomainError('FORBIDDEN_ROLE', {});
      if (this.channel.history(caseId).length === 0) throw new DomainError('CASE_NOT_FOUND', {});
      return this.channel.details(caseId);
    });
  }

  caseExists(_caller: Caller, caseId: string): Promise<boolean> {
    return settle(() => {
      this.channel.checkFault();
      return this.channel.history(caseId).length > 0;
    });
  }

  blockHeight(): Promise<bigint> {
    return settle(() => {
      this.channel.checkFault();
      return this.channel.height();
    });
  }

  listValueLists(_caller: Caller): Promise<ListValueListsAnswer> {
    return settle(() => this.channel.listValueLists());
  }

  getValueList(_caller: Caller, list: ValueListName, version?: number): Promise<ValueListAnswer> {
    return settle(() => this.channel.getValueList(list, version));
  }

  diffValueLists(_caller: Caller, list: ValueListName, from: number, to: number): Promise<ValueListDiff> {
    return settle(() => this.channel.diffValueLists(list, from, to));
  }

  proposeValueList(caller: Caller, proposal: ValueListProposal): Promise<ValueListChangeAnswer> {
    return settle(() => this.channel.changeValueList(this.mspId, caller, 'propose', proposal));
  }

  approveValueList(caller: Caller, approval: ValueListApproval): Promise<ValueListChangeAnswer> {
    return settle(() => this.channel.changeValueList(this.mspId, caller, 'approve', approval));
  }
}

/** Runs synchronously but answers like the network: a promise, and errors in their wire form `[CODE] {json}`. */
function settle<T>(fn: () => T): Promise<T> {
  try {
    return Promise.resolve(fn());
  } catch (error) {
    if (error instanceof DomainError) {
      const parsed = parseError(error.message);
      return Promise.reject(parsed ? new DomainError(parsed.code, parsed.detail) : error);
    }
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}
