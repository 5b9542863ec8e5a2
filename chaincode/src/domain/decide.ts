/**
 * The whole write decision (domain.md §7), pure: the checks in their fixed order, the stored event, the
 * state and view after it, the warnings, and the one chaincode event the transaction emits (§5).
 */
import { berlinDate } from './calendar';
import { contentHash } from './canonical-json';
import {
  applyEventInPlace,
  confirmedFact,
  foldCase,
  initialState,
  retractedTxIds,
  toCaseView,
  type CaseState,
} from './case-state';
import { DomainError, type ErrorCode, type ErrorDetail } from './errors';
import { isCourtFact, NOT_RETRACTABLE, type EventType } from './event-types';
import { checkOwnership, checkRole } from './ownership';
import { checkPrecondition, refusedBecauseClosed, type PreconditionResult } from './preconditions';
import { nextActions } from './next-actions';
import {
  ActorSchema,
  EventInputSchema,
  StoredEventSchema,
  type Actor,
  type CaseView,
  type ChaincodeReceipt,
  type EventInput,
  type OrgDirectory,
  type StoredEvent,
  type ValueListVersions,
  type Warning,
  type WarningCode,
} from './schemas';
import { checkValueLists, type ValueListSet } from './value-lists';
import { CONTRACT_EVENTS } from './contract-names';
import type { ChaincodeEventPayload } from './contract-messages';
import { acknowledgeableWarningIds, eventRuleFindings, foldWithWarnings, judgeReturn } from './warning-rules';

/** The version of the domain rules in this build, recorded on every event it accepts (domain.md §9). */
export const RULE_VERSION = '1.0.0';

/** The chaincode events a case-event write emits (domain.md §5). */
export const CHAINCODE_EVENTS = { recorded: CONTRACT_EVENTS.CaseEventRecorded, returnConflict: CONTRACT_EVENTS.ReturnConflict } as const;
/** A chaincode event name emitted by a write. */
export type ChaincodeEventName = (typeof CHAINCODE_EVENTS)[keyof typeof CHAINCODE_EVENTS];

/** What the caller stored for an idempotency key (writer MSP, `sourceMessageId`). */
export interface IdempotencyRecord {
  readonly contentHash: string;
  readonly event: StoredEvent;
}

/**
 * A custom value-list check: returns the versions used or throws `UNKNOWN_CODE_VALUE`. Kept for callers
 * that built their own hook; the chaincode passes a {@link ValueListSet} and the domain checks it.
 */
export type ValueListCheck = (input: EventInput) => ValueListVersions;

/** Everything a write decision depends on. */
export interface DecideRequest {
  /** The parsed JSON the writer sent. */
  readonly input: unknown;
  /** From the client certificate: MSP ID, enrollment id and the `role` attribute. */
  readonly actor: { readonly mspId: string; readonly enrollmentId: string; readonly role: string };
  readonly txId: string;
  /** The transaction timestamp, RFC 3339 UTC. */
  readonly txTime: string;
  readonly orgs: OrgDirectory;
  /** Defaults to {@link RULE_VERSION}. */
  readonly ruleVersion?: string;
  /** The case's events in ledger order (`[]` if there is no case). */
  readonly history: readonly StoredEvent[];
  /** The record for (actor MSP, `sourceMessageId`), looked up by the caller. */
  readonly idempotency?: IdempotencyRecord | undefined;
  /**
   * The value-list versions to judge codes against (value-lists.ts): per list, the version in force at
   * `txTime` (or candidates it is chosen from). A list with no version in force refuses all its codes
   * (`UNKNOWN_CODE_VALUE`). The chaincode always passes it; omitted, codes are not checked and the event
   * records `valueListVersions: {}` (the gateway's in-memory ledger, until it passes lists too).
   */
  readonly valueLists?: ValueListSet | ValueListCheck;
}

/** The outcome of an accepted write. */
export interface DecideResult {
  readonly event: StoredEvent;
  /** The idempotency record's hash (domain.md §6). */
  readonly contentHash: string;
  readonly receipt: ChaincodeReceipt;
  readonly state: CaseState;
  /** The view after the write with event and clock warnings and actions judged at `txTime`. */
  readonly view: CaseView;
  /** The view to store as the case's cache: event-rule warnings only (clock rules are never stored). */
  readonly storedView: CaseView;
  /** Every warning open after the write, clock rules judged at `txTime`. */
  readonly warnings: readonly Warning[];
  /** The open event-rule warnings, to store and index. */
  readonly storedWarnings: readonly Warning[];
  /** A `RETURN_SCHEDULED` / `RETURN_EXECUTION_STARTED` judged BLOCKING: recorded and answered as blocked. */
  readonly blocked: boolean;
  readonly blockedReasons: readonly WarningCode[];
  readonly chaincodeEvent: { readonly name: ChaincodeEventName; readonly payload: ChaincodeEventPayload };
}

/** Parses the input envelope alone (the contract needs `caseId` and `sourceMessageId` before loading). */
export function parseEventInput(input: unknown): EventInput {
  const parsed = EventInputSchema.safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 20).map((i) => ({ path: i.path.map(String).join('.'), code: i.code }));
    throw new DomainError('INVALID_INPUT', { issues });
  }
  return parsed.data;
}

/** The chaincode's part of an event's receipt (domain.md §8). */
export function receiptOf(event: StoredEvent): ChaincodeReceipt {
  return { txId: event.txId, writer: event.actor, recordedAt: event.recordedAt, ruleVersion: event.ruleVersion };
}

function refuse(result: PreconditionResult): never {
  if ('missing' in result) throw new DomainError('PRECONDITION_FAILED', { missing: [...result.missing] });
  if ('conflicting' in result) throw new DomainError('PRECONDITION_FAILED', { conflicting: [...result.conflicting] });
  throw new Error('refuse called with ok');
}

function parseActor(actor: DecideRequest['actor'], type: EventType): Actor {
  checkRole(type, actor.role);
  const parsed = ActorSchema.safeParse(actor);
  if (!parsed.success) throw new DomainError('FORBIDDEN_ROLE', { type, actor: 'INVALID' });
  return parsed.data;
}

/**
 * Decides a write. Checks, in the order of domain.md §7: schema → role → ownership → idempotency → case
 * exists → court-fact confirmation → closed → preconditions → value lists. Throws `DomainError` for every
 * refusal, and `ALREADY_APPLIED` (a success, HTTP 200) with the original receipt and event.
 */
export function decide(req: DecideRequest): DecideResult {
  const input = parseEventInput(req.input);
  const actor = parseActor(req.actor, input.type);
  const ruleVersion = req.ruleVersion ?? RULE_VERSION;
  const history = req.history;
  const state = foldCase(history);
  checkOwnership(state, input, actor.mspId, req.orgs, history);

  const hash = contentHash(input);
  if (req.idempotency !== undefined) {
    if (req.idempotency.contentHash === hash) {
      throw new DomainError('ALREADY_APPLIED', { receipt: receiptOf(req.idempotency.event), event: req.idempotency.event });
    }
    throw new DomainError('IDEMPOTENCY_CONFLICT', { sourceMessageId: 'REUSED' });
  }

  if (input.type === 'CASE_REGISTERED') {
    if (state.exists) throw new DomainError('CASE_EXISTS', {});
  } else if (input.type !== 'CASE_IMPORTED' && !state.exists) {
    throw new DomainError('CASE_NOT_FOUND', {});
  }

  const today = berlinDate(req.txTime);
  const confirmationOf = confirmedFact(state, input.type, input.data, actor.mspId);
  if (confirmationOf === undefined) {
    if (refusedBecauseClosed(state, input.type)) throw new DomainError('CASE_CLOSED', { type: input.type });
    if (input.type === 'EVENT_RETRACTED') {
      checkRetraction(history, input.data.retractedTxId, req.orgs);
    } else {
      const acknowledgeable =
        input.type === 'WARNING_ACKNOWLEDGED' ? acknowledgeableWarningIds(history, req.txTime) : undefined;
      const result = checkPrecondition(state, input, { today, mspId: actor.mspId, ...(acknowledgeable && { acknowledgeable }) });
      if (!result.ok) refuse(result);
    }
  }
  const valueListVersions = judgeValueLists(input, req.valueLists, req.txTime);

  const writerKind = req.orgs[actor.mspId]?.kind;
  if (writerKind === undefined) throw new DomainError('NOT_OWNER', { type: input.type });
  const event = StoredEventSchema.parse({
    ...input,
    recordedAt: req.txTime,
    txId: req.txId,
    actor,
    writerKind,
    ruleVersion,
    valueListVersions,
    ...(confirmationOf !== undefined && { confirmationOf }),
  });
  const { state: stateAfter, warnings } = foldWithWarnings([...history, event], req.txTime, { clock: true });
  const storedWarnings = warnings.filter((w) => !w.clock);
  const view = toCaseView(stateAfter, warnings, nextActions(stateAfter, { today, orgs: req.orgs, warnings }), ruleVersion);
  const storedView = toCaseView(
    stateAfter,
    storedWarnings,
    nextActions(stateAfter, { today, orgs: req.orgs, warnings: storedWarnings }),
    ruleVersion,
  );

  let blockedReasons: WarningCode[] = [];
  if ((event.type === 'RETURN_SCHEDULED' || event.type === 'RETURN_EXECUTION_STARTED') && stateAfter.returnScheduled !== null) {
    blockedReasons = judgeReturn(stateAfter, stateAfter.returnScheduled.kind, today)
      .filter((f) => f.severity === 'BLOCKING')
      .map((f) => f.code);
  }
  const blocked = blockedReasons.length > 0;
  const conflict = blocked || newBlockingEventRule(state, stateAfter);
  return {
    event,
    contentHash: hash,
    receipt: receiptOf(event),
    state: stateAfter,
    view,
    storedView,
    warnings,
    storedWarnings,
    blocked,
    blockedReasons,
    chaincodeEvent: {
      name: conflict ? CHAINCODE_EVENTS.returnConflict : CHAINCODE_EVENTS.recorded,
      payload: { event, txId: event.txId, recordedAt: event.recordedAt, ruleVersion, warnings, blocked, reasons: blockedReasons },
    },
  };
}

/** The last check of §7: the event's codes against the value lists in force at the transaction time. */
function judgeValueLists(input: EventInput, lists: DecideRequest['valueLists'], txTime: string): ValueListVersions {
  if (lists === undefined) return {};
  if (typeof lists === 'function') return lists(input);
  return checkValueLists(input, lists, txTime);
}

/**
 * Whether, with a return scheduled after the write, a BLOCKING event rule holds that did not before — or
 * holds with an anchor it did not have (a second lost fax is news as much as the first).
 */
function newBlockingEventRule(before: CaseState, after: CaseState): boolean {
  if (after.returnScheduled === null) return false;
  const prior = new Map<string, Set<string>>();
  for (const f of eventRuleFindings(before)) {
    if (f.severity === 'BLOCKING') prior.set(f.code, new Set(f.anchors));
  }
  return eventRuleFindings(after).some(
    (f) => f.severity === 'BLOCKING' && f.anchors.some((a) => prior.get(f.code)?.has(a) !== true),
  );
}

function checkRetraction(history: readonly StoredEvent[], retractedTxId: string, orgs: OrgDirectory): void {
  const target = history.find((e) => e.txId === retractedTxId);
  if (target === undefined) throw new DomainError('PRECONDITION_FAILED', { conflicting: ['RETRACTED_EVENT_UNKNOWN'] });
  if (retractedTxIds(history).has(retractedTxId)) {
    throw new DomainError('PRECONDITION_FAILED', { conflicting: ['EVENT_RETRACTED'] });
  }
  if (NOT_RETRACTABLE.includes(target.type)) throw new DomainError('PRECONDITION_FAILED', { conflicting: [target.type] });
  const remaining = history.filter((e) => e.txId !== retractedTxId);
  const result = replay(remaining, { orgs });
  if (!result.ok) {
    const types = [...new Set(result.failures.map((f) => f.type))].sort();
    throw new DomainError('PRECONDITION_FAILED', { conflicting: types });
  }
}

/** One event that no longer replays. */
export interface ReplayFailure {
  readonly txId: string;
  readonly type: EventType;
  readonly code: ErrorCode;
  readonly detail: ErrorDetail;
}

/** The answer of {@link replay}. */
export type ReplayResult =
  | { readonly ok: true; readonly state: CaseState }
  | { readonly ok: false; readonly state: CaseState; readonly failures: readonly ReplayFailure[] };

/** Options of {@link replay}. */
export interface ReplayOptions {
  /** With the directory, ownership is re-checked too (a retracted transfer of responsibility matters). */
  readonly orgs?: OrgDirectory;
}

/**
 * Re-checks every non-retracted event against the state folded from the events before it: existence,
 * confirmation, closed case, precondition (on the Berlin date of its `recordedAt`) and, with `orgs`,
 * ownership. Imported facts are not checked (domain.md §3); acknowledgements, retractions and purges
 * only need the case to exist, so an acknowledged warning never blocks correcting its anchor.
 */
export function replay(events: readonly StoredEvent[], options: ReplayOptions = {}): ReplayResult {
  const failures: ReplayFailure[] = [];
  const retracted = retractedTxIds(events);
  const state = initialState(events[0]?.caseId ?? '');
  for (const e of events) {
    if (retracted.has(e.txId)) continue;
    const failure = replayCheck(state, e, events, options);
    if (failure !== undefined) failures.push({ txId: e.txId, type: e.type, code: failure.code, detail: failure.detail });
    applyEventInPlace(state, e);
  }
  return failures.length === 0 ? { ok: true, state } : { ok: false, state, failures };
}

function replayCheck(
  state: CaseState,
  e: StoredEvent,
  events: readonly StoredEvent[],
  options: ReplayOptions,
): DomainError | undefined {
  if (e.type === 'CASE_REGISTERED' ? state.exists : e.type !== 'CASE_IMPORTED' && !state.exists) {
    return new DomainError(state.exists ? 'CASE_EXISTS' : 'CASE_NOT_FOUND', {});
  }
  if (e.type === 'WARNING_ACKNOWLEDGED' || e.type === 'EVENT_RETRACTED' || e.type === 'PERSONAL_DATA_PURGED') return undefined;
  if (options.orgs !== undefined) {
    try {
      checkOwnership(state, e, e.actor.mspId, options.orgs, events);
    } catch (err) {
      if (err instanceof DomainError) return err;
      throw err;
    }
  }
  if (isCourtFact(e.type) && confirmedFact(state, e.type, e.data, e.actor.mspId) !== undefined) return undefined;
  if (refusedBecauseClosed(state, e.type)) return new DomainError('CASE_CLOSED', { type: e.type });
  const result = checkPrecondition(state, e, { today: berlinDate(e.recordedAt), mspId: e.actor.mspId });
  if (result.ok) return undefined;
  return 'missing' in result
    ? new DomainError('PRECONDITION_FAILED', { missing: [...result.missing] })
    : new DomainError('PRECONDITION_FAILED', { conflicting: [...result.conflicting] });
}

/**
 * The case view of a history judged at the instant `now`: what a gateway shows on read (`clock: true`)
 * and what the chaincode caches (`clock: false`).
 */
export function caseViewAt(
  events: readonly StoredEvent[],
  now: string,
  orgs: OrgDirectory,
  options: { readonly clock: boolean; readonly ruleVersion?: string },
): CaseView {
  const { state, warnings: all } = foldWithWarnings(events, now, { clock: true });
  const warnings = options.clock ? all : all.filter((w) => !w.clock);
  const actions = nextActions(state, { today: berlinDate(now), orgs, warnings });
  return toCaseView(state, warnings, actions, options.ruleVersion ?? RULE_VERSION);
}
