import { Context, Contract, Info, Param, Returns, Transaction } from 'fabric-contract-api';
import type { z } from 'zod';
import {
  approveValueList,
  decide,
  diffValueLists,
  DiffValueListsRequestSchema,
  DomainError,
  GetValueListRequestSchema,
  ListValueListsRequestSchema,
  listsUsedBy,
  parseEventInput,
  parseValueListApproval,
  parseValueListProposal,
  proposeValueList,
  receiptOf,
  retractedTxIds,
  summarizeValueList,
  valueListStatus,
  versionInForceAt,
  type CaseDetailsInput,
  type DecideResult,
  type EventInput,
  type ValueListChange,
  type ValueListName,
} from '../domain';
import { CaseLedger, type CaseRecord } from './case-ledger';
import { actorOf, readCaller, requireMember, requireRole, type Caller } from './identity';
import { invalidInput, parseWith } from './invalid-input';
import { KEY_TYPES, Keys } from './keys';
import { COLLECTIONS, CONTRACT_EVENTS, CONTRACT_NAME, TRANSACTIONS, TRANSIENT_KEYS, type TransactionName } from './names';
import { COLLECTION_MEMBERS, ORG_DIRECTORY } from './org-directory';
import { DEFAULT_PAGE_SIZE } from './pagination';
import { PrivateRecords, readCaseDetailsInput, readEnforcementInput, visibleCaseDetails, visibleEnforcement, type RecordStamp } from './private-data';
import {
  CaseRequestSchema,
  ListCasesRequestSchema,
  PurgeRequestSchema,
  TimelineRequestSchema,
  WriteRequestSchema,
} from './schemas';
import { canonicalText, parseJsonText } from './state-codec';
import { ValueListLedger } from './value-list-ledger';
import { toWireError } from './wire-error';

/** Roles that write events and private records. */
const WRITER_ROLES = ['adapter', 'caseworker'] as const;
/** Roles that read public state (pseudonymous): everyone with a role. */
const READER_ROLES = ['adapter', 'caseworker', 'auditor', 'admin'] as const;
/** Roles that read private records (architecture.md: details are for adapters and caseworkers). */
const DETAIL_READER_ROLES = ['adapter', 'caseworker'] as const;

/** Event types that have their own transaction, because they do more than record an event. */
const OWN_TRANSACTION_TYPES: Partial<Record<EventInput['type'], TransactionName>> = {
  CASE_IMPORTED: TRANSACTIONS.ImportCase,
  PERSONAL_DATA_PURGED: TRANSACTIONS.PurgePrivateData,
};

/** The largest argument a transaction accepts (a `CASE_IMPORTED` with its facts fits easily). */
const MAX_ARGUMENT_LENGTH = 256 * 1024;
/** The largest value-list proposal (every German municipality with its name fits). */
const MAX_PROPOSAL_LENGTH = 2 * 1024 * 1024;

function parseArgumentJson(text: string, maxLength = MAX_ARGUMENT_LENGTH): unknown {
  if (text.length > maxLength) throw invalidInput('argument');
  const json = parseJsonText(text);
  if (!json.ok) throw invalidInput('argument');
  return json.value;
}

function parseArgument<S extends z.ZodType>(schema: S, text: string): z.infer<S> {
  return parseWith(schema, parseArgumentJson(text), 'argument');
}

function txTimeOf(ctx: Context): string {
  const { seconds, nanos } = ctx.stub.getTxTimestamp();
  return new Date(seconds.toNumber() * 1000 + Math.floor(nanos / 1_000_000)).toISOString();
}

function stampOf(ctx: Context, caller: Caller): RecordStamp {
  return { txId: ctx.stub.getTxID(), recordedAt: txTimeOf(ctx), writer: actorOf(caller) };
}

async function summaryOf(lists: ValueListLedger, list: ValueListName, version: number | null): Promise<ReturnType<typeof summarizeValueList> | null> {
  if (version === null) return null;
  const v = await lists.loadVersion(list, version);
  if (v === undefined) throw new Error('value-list head points at no version');
  return summarizeValueList(v);
}

async function requireCase(ledger: CaseLedger, caseId: string): Promise<CaseRecord> {
  const record = await ledger.loadRecord(caseId);
  if (record === undefined) throw new DomainError('CASE_NOT_FOUND', {});
  return record;
}

/**
 * The `procedure` chaincode (domain.md): records events on cases through the domain core and keeps
 * each agency's private records. Every transaction takes one JSON string argument and returns canonical
 * JSON (endorsers must return identical bytes). Errors are `[CODE] {json}` (domain.md §7).
 */
@Info({ title: 'procedure', description: 'Shared asylum-procedure status ledger of BAMF Dresden and ZAB Sachsen' })
export class ProcedureContract extends Contract {
  constructor() {
    super(CONTRACT_NAME);
  }

  /** Refuses transaction names the contract does not have, with a code instead of the shim's text. */
  override unknownTransaction(_ctx: Context): Promise<void> {
    return Promise.reject(new Error(invalidInput('transaction').message));
  }

  /**
   * Records one event (domain.md §3) given as the JSON envelope `{caseId, type, occurredAt,
   * sourceMessageId, data}`, optionally with the writer's `caseDetails` record in the transient data.
   * Emits exactly one chaincode event (`CaseEventRecorded` or `ReturnConflict`) and returns
   * `{receipt, event, warnings, blocked, reasons}`.
   */
  @Transaction()
  @Param('event', 'string', 'The event envelope as JSON')
  @Returns('string')
  async RecordEvent(ctx: Context, event: string): Promise<string> {
    return this.run(ctx, TRANSACTIONS.RecordEvent, async () => {
      const json = parseArgumentJson(event);
      const input = parseEventInput(json);
      const own = OWN_TRANSACTION_TYPES[input.type];
      if (own !== undefined) throw new DomainError('INVALID_INPUT', { where: 'argument', issues: [{ path: 'type', code: 'use_' + own }] });
      const details = readCaseDetailsInput(ctx.stub, TRANSIENT_KEYS.caseDetails);
      return this.record(ctx, json, input, details);
    });
  }

  /**
   * `CASE_IMPORTED` (admin only): a go-live import of an agency's facts of one case (domain.md §3),
   * optionally with its `caseDetails` record in the transient data. Answers as {@link RecordEvent}.
   */
  @Transaction()
  @Param('event', 'string', 'The CASE_IMPORTED event envelope as JSON')
  @Returns('string')
  async ImportCase(ctx: Context, event: string): Promise<string> {
    return this.run(ctx, TRANSACTIONS.ImportCase, async () => {
      const json = parseArgumentJson(event);
      const input = parseEventInput(json);
      if (input.type !== 'CASE_IMPORTED') {
        throw new DomainError('INVALID_INPUT', { where: 'argument', issues: [{ path: 'type', code: 'expected_CASE_IMPORTED' }] });
      }
      const details = readCaseDetailsInput(ctx.stub, TRANSIENT_KEYS.caseDetails);
      return this.record(ctx, json, input, details);
    });
  }

  /**
   * Purges a private data collection's records of a case (admin only; `zabEnforcement` only by its
   * member) and records `PERSONAL_DATA_PURGED`. For `caseDetails` every agency's record of the case is
   * purged: erasure concerns the person, not one agency's copy, and both agencies' peers endorse it.
   */
  @Transaction()
  @Param('request', 'string', '{caseId, collection, sourceMessageId, occurredAt} as JSON')
  @Returns('string')
  async PurgePrivateData(ctx: Context, request: string): Promise<string> {
    return this.run(ctx, TRANSACTIONS.PurgePrivateData, async () => {
      const req = parseArgument(PurgeRequestSchema, request);
      const caller = readCaller(ctx.clientIdentity);
      requireRole(caller, ['admin']);
      requireMember(caller, COLLECTION_MEMBERS[req.collection], req.collection);
      const input = {
        caseId: req.caseId,
        type: 'PERSONAL_DATA_PURGED',
        occurredAt: req.occurredAt,
        sourceMessageId: req.sourceMessageId,
        data: { collection: req.collection },
      };
      const ledger = new CaseLedger(ctx.stub);
      const result = await this.decideFor(ctx, ledger, caller, input, parseEventInput(input));
      const purged = await new PrivateRecords(ctx.stub, new Keys(ctx.stub)).purge(req.collection, req.caseId);
      await ledger.storeDecision(result.previous, result.decision);
      return this.emitAndAnswer(ctx, result.decision, { purged });
    });
  }

  /** The cached case view (event-rule warnings only; gateways judge clock rules and actions on read). */
  @Transaction(false)
  @Param('request', 'string', '{caseId} as JSON')
  @Returns('string')
  async GetCase(ctx: Context, request: string): Promise<string> {
    return this.run(ctx, TRANSACTIONS.GetCase, async () => {
      const req = parseArgument(CaseRequestSchema, request);
      requireRole(readCaller(ctx.clientIdentity), READER_ROLES);
      const record = await requireCase(new CaseLedger(ctx.stub), req.caseId);
      return canonicalText(record.view);
    });
  }

  /**
   * A case's events in ledger order, each with its receipt part and whether it was retracted; paged by
   * event position (the bookmark is the position of the first event not returned).
   */
  @Transaction(false)
  @Param('request', 'string', '{caseId, pageSize?, bookmark?} as JSON')
  @Returns('string')
  async GetTimeline(ctx: Context, request: string): Promise<string> {
    return this.run(ctx, TRANSACTIONS.GetTimeline, async () => {
      const req = parseArgument(TimelineRequestSchema, request);
      requireRole(readCaller(ctx.clientIdentity), READER_ROLES);
      if (req.bookmark !== undefined && !/^(0|[1-9][0-9]{0,9})$/.test(req.bookmark)) throw invalidInput('argument');
      const start = req.bookmark === undefined ? 0 : Number(req.bookmark);
      const { record, history } = await new CaseLedger(ctx.stub).loadCase(req.caseId);
      if (record === undefined) throw new DomainError('CASE_NOT_FOUND', {});
      const retracted = retractedTxIds(history);
      const end = start + (req.pageSize ?? DEFAULT_PAGE_SIZE);
      const items = history.slice(start, end).map((e, i) => ({
        position: start + i,
        event: e,
        receipt: receiptOf(e),
        retracted: retracted.has(e.txId),
      }));
      return canonicalText(end < history.length ? { caseId: req.caseId, items, bookmark: String(end) } : { caseId: req.caseId, items });
    });
  }

  /** The write recorded for a `sourceMessageId` of the caller's organisation (or of `mspId`). */
  @Transaction(false)
  @Param('request', 'string', '{sourceMessageId, mspId?} as JSON')
  @Returns('string')
  async GetWrite(ctx: Context, request: string): Promise<string> {
    return this.run(ctx, TRANSACTIONS.GetWrite, async () => {
      const req = parseArgument(WriteRequestSchema, request);
      const caller = readCaller(ctx.clientIdentity);
      requireRole(caller, READER_ROLES);
      const mspId = req.mspId ?? caller.mspId;
      const write = await new CaseLedger(ctx.stub).loadWrite(mspId, req.sourceMessageId);
      if (write === undefined) throw new DomainError('CASE_NOT_FOUND', { write: 'UNKNOWN' });
      const { event, record } = write;
      return canonicalText({
        mspId,
        sourceMessageId: req.sourceMessageId,
        caseId: record.caseId,
        contentHash: record.contentHash,
        receipt: receiptOf(event),
        event,
      });
    });
  }

  /** Cases in a phase, or with an open event-rule warning, with their cached views; paged. */
  @Transaction(false)
  @Param('request', 'string', '{phase} or {warning}, with pageSize? and bookmark?, as JSON')
  @Returns('string')
  async ListCases(ctx: Context, request: string): Promise<string> {
    return this.run(ctx, TRANSACTIONS.ListCases, async () => {
      const req = parseArgument(ListCasesRequestSchema, request);
      requireRole(readCaller(ctx.clientIdentity), READER_ROLES);
      if (req.bookmark !== undefined && !/^c[a-z2-7]{31}$/.test(req.bookmark)) throw invalidInput('argument');
      const [family, value] =
        req.phase !== undefined ? [KEY_TYPES.phaseIndex, req.phase] : [KEY_TYPES.warningIndex, req.warning];
      if (value === undefined) throw invalidInput('argument');
      const ledger = new CaseLedger(ctx.stub);
      const page = await ledger.indexPage(family, value, req.pageSize ?? DEFAULT_PAGE_SIZE, req.bookmark);
      const items = [];
      for (const { attribute } of page.items) {
        const record = await ledger.loadRecord(attribute);
        if (record !== undefined) items.push({ caseId: attribute, view: record.view });
      }
      return canonicalText(page.bookmark === undefined ? { items } : { items, bookmark: page.bookmark });
    });
  }

  /** Writes the caller's agency's `caseDetails` record of a case from the transient data. No chaincode event. */
  @Transaction()
  @Param('request', 'string', '{caseId} as JSON; the record in the transient data under caseDetails')
  @Returns('string')
  async PutCaseDetails(ctx: Context, request: string): Promise<string> {
    return this.run(ctx, TRANSACTIONS.PutCaseDetails, async () => {
      const req = parseArgument(CaseRequestSchema, request);
      const details = readCaseDetailsInput(ctx.stub, TRANSIENT_KEYS.caseDetails);
      if (details === undefined) throw invalidInput(`transient.${TRANSIENT_KEYS.caseDetails}`);
      const caller = readCaller(ctx.clientIdentity);
      requireRole(caller, WRITER_ROLES);
      requireMember(caller, COLLECTION_MEMBERS.caseDetails, COLLECTIONS.caseDetails);
      await requireCase(new CaseLedger(ctx.stub), req.caseId);
      const stamp = stampOf(ctx, caller);
      await new PrivateRecords(ctx.stub, new Keys(ctx.stub)).putCaseDetails(req.caseId, details, stamp);
      return canonicalText({ caseId: req.caseId, agency: caller.mspId, txId: stamp.txId, recordedAt: stamp.recordedAt });
    });
  }

  /**
   * Both agencies' `caseDetails` records of a case: each `PRESENT` (without its salt), `ERASED` (purged
   * and not written again) or `ABSENT`.
   */
  @Transaction(false)
  @Param('request', 'string', '{caseId} as JSON')
  @Returns('string')
  async GetCaseDetails(ctx: Context, request: string): Promise<string> {
    return this.run(ctx, TRANSACTIONS.GetCaseDetails, async () => {
      const req = parseArgument(CaseRequestSchema, request);
      const caller = readCaller(ctx.clientIdentity);
      requireRole(caller, DETAIL_READER_ROLES);
      requireMember(caller, COLLECTION_MEMBERS.caseDetails, COLLECTIONS.caseDetails);
      const record = await requireCase(new CaseLedger(ctx.stub), req.caseId);
      const erased = record.view.purged.includes(COLLECTIONS.caseDetails);
      const privateRecords = new PrivateRecords(ctx.stub, new Keys(ctx.stub));
      const records = [];
      for (const agency of COLLECTION_MEMBERS.caseDetails) {
        const stored = await privateRecords.getCaseDetails(req.caseId, agency);
        if (stored === undefined) {
          records.push({ agency, status: erased ? 'ERASED' : 'ABSENT' });
        } else {
          records.push({ agency, status: 'PRESENT', record: visibleCaseDetails(stored) });
        }
      }
      return canonicalText({ caseId: req.caseId, records });
    });
  }

  /**
   * Writes ZAB's `zabEnforcement` record of a case from the transient data. Endorsed by ZAB alone (the
   * collection's policy; the transaction writes no public state) and emits no chaincode event, so the
   * dates never reach BAMF's peer.
   */
  @Transaction()
  @Param('request', 'string', '{caseId} as JSON; the record in the transient data under zabEnforcement')
  @Returns('string')
  async PutEnforcement(ctx: Context, request: string): Promise<string> {
    return this.run(ctx, TRANSACTIONS.PutEnforcement, async () => {
      const req = parseArgument(CaseRequestSchema, request);
      const enforcement = readEnforcementInput(ctx.stub, TRANSIENT_KEYS.enforcement);
      if (enforcement === undefined) throw invalidInput(`transient.${TRANSIENT_KEYS.enforcement}`);
      const caller = readCaller(ctx.clientIdentity);
      requireRole(caller, WRITER_ROLES);
      requireMember(caller, COLLECTION_MEMBERS.zabEnforcement, COLLECTIONS.zabEnforcement);
      await requireCase(new CaseLedger(ctx.stub), req.caseId);
      const stamp = stampOf(ctx, caller);
      await new PrivateRecords(ctx.stub, new Keys(ctx.stub)).putEnforcement(req.caseId, enforcement, stamp);
      return canonicalText({ caseId: req.caseId, txId: stamp.txId, recordedAt: stamp.recordedAt });
    });
  }

  /** ZAB's `zabEnforcement` record of a case (ZAB only): `PRESENT` (without its salt), `ERASED` or `ABSENT`. */
  @Transaction(false)
  @Param('request', 'string', '{caseId} as JSON')
  @Returns('string')
  async GetEnforcement(ctx: Context, request: string): Promise<string> {
    return this.run(ctx, TRANSACTIONS.GetEnforcement, async () => {
      const req = parseArgument(CaseRequestSchema, request);
      const caller = readCaller(ctx.clientIdentity);
      requireRole(caller, DETAIL_READER_ROLES);
      requireMember(caller, COLLECTION_MEMBERS.zabEnforcement, COLLECTIONS.zabEnforcement);
      const record = await requireCase(new CaseLedger(ctx.stub), req.caseId);
      const stored = await new PrivateRecords(ctx.stub, new Keys(ctx.stub)).getEnforcement(req.caseId);
      if (stored === undefined) {
        const status = record.view.purged.includes(COLLECTIONS.zabEnforcement) ? 'ERASED' : 'ABSENT';
        return canonicalText({ caseId: req.caseId, status });
      }
      return canonicalText({ caseId: req.caseId, status: 'PRESENT', record: visibleEnforcement(stored) });
    });
  }

  /**
   * Proposes the next version of a value list (admin of a member organisation): `{list, version,
   * entries}` with version = the version in force + 1. The proposer's organisation counts as approving;
   * the version is in force once every other member organisation's admin approved it. Replaces a
   * pending proposal of the same version. Emits `ValueListChanged`; answers `{valueList, status}`.
   */
  @Transaction()
  @Param('proposal', 'string', '{list, version, entries} as JSON')
  @Returns('string')
  async ProposeValueList(ctx: Context, proposal: string): Promise<string> {
    return this.run(ctx, TRANSACTIONS.ProposeValueList, async () => {
      const json = parseArgumentJson(proposal, MAX_PROPOSAL_LENGTH);
      const parsed = parseValueListProposal(json);
      const caller = readCaller(ctx.clientIdentity);
      requireRole(caller, ['admin']);
      const lists = new ValueListLedger(ctx.stub);
      const change = proposeValueList({
        input: json,
        actor: actorOf(caller),
        txId: ctx.stub.getTxID(),
        txTime: txTimeOf(ctx),
        orgs: ORG_DIRECTORY,
        head: await lists.loadHead(parsed.list),
        existing: await lists.loadVersion(parsed.list, parsed.version),
      });
      return this.storeValueListChange(ctx, lists, change);
    });
  }

  /**
   * Approves a proposed value-list version (admin of a member organisation that has not approved it:
   * the proposer's own organisation never counts twice): `{list, version, contentHash}`, the hash the
   * admin reviewed (`GetValueList`). In force from this transaction's time once every member approved.
   * Emits `ValueListChanged`; answers `{valueList, status}`.
   */
  @Transaction()
  @Param('approval', 'string', '{list, version, contentHash} as JSON')
  @Returns('string')
  async ApproveValueList(ctx: Context, approval: string): Promise<string> {
    return this.run(ctx, TRANSACTIONS.ApproveValueList, async () => {
      const json = parseArgumentJson(approval);
      const parsed = parseValueListApproval(json);
      const caller = readCaller(ctx.clientIdentity);
      requireRole(caller, ['admin']);
      const lists = new ValueListLedger(ctx.stub);
      const change = approveValueList({
        input: json,
        actor: actorOf(caller),
        txId: ctx.stub.getTxID(),
        txTime: txTimeOf(ctx),
        orgs: ORG_DIRECTORY,
        head: await lists.loadHead(parsed.list),
        existing: await lists.loadVersion(parsed.list, parsed.version),
      });
      return this.storeValueListChange(ctx, lists, change);
    });
  }

  /** One version of a value list with its entries and status; without `version`, the version in force now. */
  @Transaction(false)
  @Param('request', 'string', '{list, version?} as JSON')
  @Returns('string')
  async GetValueList(ctx: Context, request: string): Promise<string> {
    return this.run(ctx, TRANSACTIONS.GetValueList, async () => {
      const req = parseArgument(GetValueListRequestSchema, request);
      requireRole(readCaller(ctx.clientIdentity), READER_ROLES);
      const lists = new ValueListLedger(ctx.stub);
      const head = await lists.loadHead(req.list);
      const number = req.version ?? versionInForceAt(head, txTimeOf(ctx));
      const version = number === null ? undefined : await lists.loadVersion(req.list, number);
      if (version === undefined) throw new DomainError('CASE_NOT_FOUND', { valueList: 'UNKNOWN' });
      return canonicalText({ ...version, status: valueListStatus(version, head, txTimeOf(ctx)) });
    });
  }

  /** Every value list: the version in force now, the pending proposal (without entries) and the versions in force so far. */
  @Transaction(false)
  @Param('request', 'string', '{} as JSON')
  @Returns('string')
  async ListValueLists(ctx: Context, request: string): Promise<string> {
    return this.run(ctx, TRANSACTIONS.ListValueLists, async () => {
      parseArgument(ListValueListsRequestSchema, request);
      requireRole(readCaller(ctx.clientIdentity), READER_ROLES);
      const lists = new ValueListLedger(ctx.stub);
      const now = txTimeOf(ctx);
      const items = [];
      for (const { list, head } of await lists.loadHeads()) {
        const inForce = versionInForceAt(head, now);
        items.push({
          list,
          inForce: await summaryOf(lists, list, inForce),
          pending: await summaryOf(lists, list, head?.pending ?? null),
          history: head?.inForce ?? [],
        });
      }
      return canonicalText({ items });
    });
  }

  /** The difference between two versions of a list: added, removed, changed and retired codes with their successors. */
  @Transaction(false)
  @Param('request', 'string', '{list, from, to} as JSON')
  @Returns('string')
  async DiffValueLists(ctx: Context, request: string): Promise<string> {
    return this.run(ctx, TRANSACTIONS.DiffValueLists, async () => {
      const req = parseArgument(DiffValueListsRequestSchema, request);
      requireRole(readCaller(ctx.clientIdentity), READER_ROLES);
      const lists = new ValueListLedger(ctx.stub);
      const from = await lists.loadVersion(req.list, req.from);
      const to = await lists.loadVersion(req.list, req.to);
      if (from === undefined || to === undefined) throw new DomainError('CASE_NOT_FOUND', { valueList: 'UNKNOWN' });
      return canonicalText(diffValueLists(from, to));
    });
  }

  /** Runs a transaction body; every failure leaves as `[CODE] {json}` (wire-error.ts). */
  private async run(ctx: Context, name: TransactionName, body: () => Promise<string>): Promise<string> {
    try {
      return await body();
    } catch (error) {
      throw toWireError(error, name, typeof ctx.logging === 'object' ? ctx.logging.getLogger(name) : undefined);
    }
  }

  /** Loads, decides (domain.md §7), stores, writes the caseDetails record if sent, emits, answers. */
  private async record(ctx: Context, json: unknown, input: EventInput, details: CaseDetailsInput | undefined): Promise<string> {
    const caller = readCaller(ctx.clientIdentity);
    if (details !== undefined) requireMember(caller, COLLECTION_MEMBERS.caseDetails, COLLECTIONS.caseDetails);
    const ledger = new CaseLedger(ctx.stub);
    const { previous, decision } = await this.decideFor(ctx, ledger, caller, json, input);
    await ledger.storeDecision(previous, decision);
    if (details !== undefined) {
      const stamp = { txId: decision.event.txId, recordedAt: decision.event.recordedAt, writer: decision.event.actor };
      await new PrivateRecords(ctx.stub, new Keys(ctx.stub)).putCaseDetails(input.caseId, details, stamp);
    }
    return this.emitAndAnswer(ctx, decision, {});
  }

  private async decideFor(
    ctx: Context,
    ledger: CaseLedger,
    caller: Caller,
    json: unknown,
    input: EventInput,
  ): Promise<{ previous: CaseRecord | undefined; decision: DecideResult }> {
    const { record, history } = await ledger.loadCase(input.caseId);
    const write = await ledger.loadWrite(caller.mspId, input.sourceMessageId);
    const txTime = txTimeOf(ctx);
    const valueLists = await new ValueListLedger(ctx.stub).loadInForce(listsUsedBy(input), txTime);
    const decision = decide({
      input: json,
      actor: actorOf(caller),
      txId: ctx.stub.getTxID(),
      txTime,
      orgs: ORG_DIRECTORY,
      history,
      idempotency: CaseLedger.idempotencyOf(write),
      valueLists,
    });
    return { previous: record, decision };
  }

  /** Stores a proposal or approval, emits `ValueListChanged` and answers; a retry that changed nothing only answers. */
  private async storeValueListChange(ctx: Context, lists: ValueListLedger, change: ValueListChange): Promise<string> {
    if (change.changed) {
      await lists.store(change);
      ctx.stub.setEvent(CONTRACT_EVENTS.ValueListChanged, new TextEncoder().encode(canonicalText(change.payload)));
    }
    return canonicalText({ valueList: change.payload.valueList, status: valueListStatus(change.version, change.head, txTimeOf(ctx)) });
  }

  private emitAndAnswer(ctx: Context, decision: DecideResult, extra: Readonly<Record<string, unknown>>): string {
    ctx.stub.setEvent(decision.chaincodeEvent.name, new TextEncoder().encode(canonicalText(decision.chaincodeEvent.payload)));
    return canonicalText({
      ...extra,
      receipt: decision.receipt,
      event: decision.event,
      warnings: decision.warnings,
      blocked: decision.blocked,
      reasons: decision.blockedReasons,
    });
  }
}
