/**
 * The one fold of domain.md §4: the non-retracted events of a case, in ledger order, into the full
 * internal state every other module reads (preconditions, deadlines, warning rules, next actions, the
 * API view). Stored views are caches of `toCaseView(foldCase(events), …)`.
 */
import type { IsoDate } from './calendar';
import { allocationNoticeDue, departureDeadline, dublinTransferDeadline, remedyDeadline } from './deadlines';
import {
  EVENT_WRITER,
  RETURN_CHALLENGING_COURT_FACTS,
  isCourtFact,
  type CourtFactType,
  type EventType,
  type Phase,
} from './event-types';
import {
  isProtection,
  type Action,
  type CaseView,
  type ImportedFact,
  type OrgKind,
  type Outcome,
  type ReturnKind,
  type StoredEvent,
  type SuspensiveReason,
  type Warning,
} from './schemas';

/** The event an internal fact came from: its txId, time, rule version and position in the ledger. */
export interface Anchor {
  readonly txId: string;
  readonly recordedAt: string;
  readonly ruleVersion: string;
  /** Index of the event among the case's folded events (imported facts share their import's). */
  readonly seq: number;
}

/** The decision currently in force (cleared by withdrawal, resumption, reopening or an overturning judgment). */
export interface DecisionState {
  outcome: Outcome;
  decidedOn: IsoDate;
  anchor: Anchor;
  /** Issued in revocation proceedings. */
  inRevocation: boolean;
  served: { servedOn: IsoDate; anchor: Anchor } | null;
  final: Anchor | null;
  /** An appeal was filed while this decision was in force. */
  appealed: boolean;
  /** Suspensive effect was ordered against it at some point (§ 37 Abs. 2 AsylG). */
  suspensiveOrdered: boolean;
  /** The last court conclusion (not overturning it) while it was in force. */
  conclusion: { finalOn: IsoDate; anchor: Anchor } | null;
}

/** An appeal, per `courtRef`. */
export interface AppealState {
  court: string;
  filedOn: IsoDate | null;
  anchor: Anchor;
  pending: boolean;
  /** The outcome it was filed against (decides § 75 suspensive effect). */
  againstOutcome: Outcome | null;
}

/** An urgent application, per `courtRef`. */
export interface UrgentState {
  court: string | null;
  filedOn: IsoDate | null;
  anchor: Anchor;
  pending: boolean;
  result: 'SUSPENSIVE_EFFECT_ORDERED' | 'REJECTED' | null;
  decided: Anchor | null;
}

/** The full internal state of a case. JSON-compatible, so it can be cloned and compared. */
export interface CaseState {
  caseId: string;
  exists: boolean;
  registration: { facility: string; registeredOn: IsoDate; anchor: Anchor } | null;
  facility: string | null;
  /** Every responsible state authority in order; the last is current (MSP ID or an authority's code). */
  responsibleChain: string[];
  absconded: Anchor | null;
  /** MSP ID → txId of that agency's `CASE_IMPORTED`. */
  imports: Record<string, string>;
  closure: { type: 'RETURN_COMPLETED' | 'VOLUNTARY_DEPARTURE_RECORDED'; anchor: Anchor } | null;
  applicationFiled: boolean;
  /** The pending procedure and the event that (re)started it. */
  procedure: { startedBy: EventType; anchor: Anchor; revocation: boolean } | null;
  followUp: { anchor: Anchor } | null;
  followUpDecision: { result: 'INADMISSIBLE' | 'PROCEDURE_REOPENED'; servedOn: IsoDate; anchor: Anchor } | null;
  dublin: {
    running: boolean;
    memberState: string | null;
    started: Anchor;
    accepted: { acceptedOn: IsoDate; anchor: Anchor } | null;
    extension: { months: 12 | 18; anchor: Anchor } | null;
    /** Dates from which the transfer period runs again (Art. 29 Dublin III). */
    restarts: { date: IsoDate; anchor: Anchor }[];
  } | null;
  hearing: {
    hearingOn: IsoDate | null;
    anchor: Anchor;
    outcome: 'HEARING_HELD' | 'HEARING_NOT_ATTENDED' | null;
    excused: boolean | null;
    decidedSince: boolean;
  } | null;
  decision: DecisionState | null;
  /** The last outcome ever issued, even if no longer in force. */
  lastOutcome: Outcome | null;
  appeals: Record<string, AppealState>;
  urgents: Record<string, UrgentState>;
  stays: Record<string, { anchor: Anchor; inForce: boolean }>;
  /** Suspensive effect ordered and the proceedings not concluded. */
  order: { decidedOn: IsoDate; filed: Anchor | null; decided: Anchor } | null;
  toleration: { validUntil: IsoDate; anchor: Anchor; revoked: boolean } | null;
  returnScheduled: { kind: ReturnKind; anchor: Anchor; executionStarted: Anchor | null } | null;
  returnCompleted: Anchor | null;
  allocation: { municipality: string; authority: string; basis: string; anchor: Anchor } | null;
  /** `type|courtRef` → the agency and tx that recorded that court fact first (confirmations). */
  courtFacts: Record<string, { mspId: string; txId: string }>;
  /** Court facts recorded after `DECISION_FINAL`, with the finality they contradict. */
  contradictions: { txId: string; finalTxId: string }[];
  /** Appeals, urgent applications and stays recorded after `RETURN_COMPLETED`. */
  courtFactsAfterReturn: { txId: string; returnTxId: string }[];
  /** Warning id → MSP IDs that acknowledged it. */
  acks: Record<string, string[]>;
  purged: ('caseDetails' | 'zabEnforcement')[];
  lastEvent: { type: EventType; recordedAt: string; txId: string } | null;
  eventCount: number;
}

/** The state of a case before its first event. */
export function initialState(caseId: string): CaseState {
  return {
    caseId,
    exists: false,
    registration: null,
    facility: null,
    responsibleChain: [],
    absconded: null,
    imports: {},
    closure: null,
    applicationFiled: false,
    procedure: null,
    followUp: null,
    followUpDecision: null,
    dublin: null,
    hearing: null,
    decision: null,
    lastOutcome: null,
    appeals: {},
    urgents: {},
    stays: {},
    order: null,
    toleration: null,
    returnScheduled: null,
    returnCompleted: null,
    allocation: null,
    courtFacts: {},
    contradictions: [],
    courtFactsAfterReturn: [],
    acks: {},
    purged: [],
    lastEvent: null,
    eventCount: 0,
  };
}

/** The txIds retracted by the `EVENT_RETRACTED` events of a history. */
export function retractedTxIds(events: readonly StoredEvent[]): ReadonlySet<string> {
  const out = new Set<string>();
  for (const e of events) if (e.type === 'EVENT_RETRACTED') out.add(e.data.retractedTxId);
  return out;
}

/** The events the fold sees: everything not retracted, in ledger order. */
export function effectiveEvents(events: readonly StoredEvent[]): StoredEvent[] {
  const retracted = retractedTxIds(events);
  return events.filter((e) => !retracted.has(e.txId));
}

/** The key under which a court fact is remembered for confirmations. */
export function courtFactKey(type: CourtFactType, courtRef: string): string {
  return `${type}|${courtRef}`;
}

/**
 * Whether a court fact of this type and `courtRef` was already recorded by another agency, making this
 * one a confirmation (domain.md §3): the txId of the fact it confirms, else undefined.
 */
export function confirmedFact(state: CaseState, type: EventType, data: unknown, mspId: string): string | undefined {
  if (!isCourtFact(type)) return undefined;
  const courtRef = courtRefOf(data);
  if (courtRef === undefined) return undefined;
  const seen = state.courtFacts[courtFactKey(type, courtRef)];
  return seen !== undefined && seen.mspId !== mspId ? seen.txId : undefined;
}

function courtRefOf(data: unknown): string | undefined {
  if (typeof data !== 'object' || data === null || !('courtRef' in data)) return undefined;
  const ref: unknown = data.courtRef;
  return typeof ref === 'string' ? ref : undefined;
}

interface Meta {
  readonly anchor: Anchor;
  readonly mspId: string;
  readonly writerKind: OrgKind;
}

/** One step of the fold: a new state, the one after `event` (the caller leaves out retracted events). */
export function applyEvent(state: CaseState, event: StoredEvent): CaseState {
  const s = structuredClone(state);
  applyEventInPlace(s, event);
  return s;
}

/**
 * One step of the fold done on `s` itself, as {@link foldCase} does it: copying the whole state at every
 * event made a fold quadratic in a long case, whose acknowledgements and court facts pile up in the
 * state. Only for a state nothing else still reads.
 */
export function applyEventInPlace(s: CaseState, event: StoredEvent): void {
  const meta: Meta = {
    anchor: { txId: event.txId, recordedAt: event.recordedAt, ruleVersion: event.ruleVersion, seq: s.eventCount },
    mspId: event.actor.mspId,
    writerKind: event.writerKind,
  };
  if (s.caseId === '') s.caseId = event.caseId;
  s.eventCount += 1;
  s.lastEvent = { type: event.type, recordedAt: event.recordedAt, txId: event.txId };

  if (event.type === 'CASE_IMPORTED') {
    s.exists = true;
    s.imports[meta.mspId] = event.txId;
    if (meta.writerKind === 'STATE_AUTHORITY' && s.responsibleChain.length === 0) s.responsibleChain.push(meta.mspId);
    for (const fact of event.data.facts) applyFactOrConfirmation(s, fact, meta);
  } else if (event.type === 'WARNING_ACKNOWLEDGED') {
    const id = warningId(event.data.code, event.data.anchorTxId);
    const by = s.acks[id] ?? [];
    if (!by.includes(meta.mspId)) by.push(meta.mspId);
    s.acks[id] = by.sort();
  } else if (event.type === 'PERSONAL_DATA_PURGED') {
    if (!s.purged.includes(event.data.collection)) s.purged.push(event.data.collection);
    s.purged.sort();
  } else if (event.type !== 'EVENT_RETRACTED') {
    if (
      EVENT_WRITER[event.type] === 'STATE_AUTHORITY' &&
      meta.writerKind === 'STATE_AUTHORITY' &&
      s.responsibleChain.length === 0
    ) {
      s.responsibleChain.push(meta.mspId);
    }
    applyFactOrConfirmation(s, event, meta);
  }
}

/** A warning's id: its code and its first anchor's txId (domain.md §5). */
export function warningId(code: string, firstAnchorTxId: string): string {
  return `${code}:${firstAnchorTxId}`;
}

function applyFactOrConfirmation(s: CaseState, fact: ImportedFact, meta: Meta): void {
  if (confirmedFact(s, fact.type, fact.data, meta.mspId) !== undefined) return;
  applyFact(s, fact, meta);
}

function startProcedure(s: CaseState, startedBy: EventType, anchor: Anchor, freshProcedure: boolean): void {
  s.procedure = { startedBy, anchor, revocation: startedBy === 'REVOCATION_PROCEEDINGS_STARTED' };
  if (freshProcedure) s.hearing = null;
}

function close(s: CaseState, type: 'RETURN_COMPLETED' | 'VOLUNTARY_DEPARTURE_RECORDED', anchor: Anchor): void {
  s.closure = { type, anchor };
  s.returnScheduled = null;
  // The person has left: accommodation and enforcement facts of this stay no longer describe anyone here.
  s.allocation = null;
  s.toleration = null;
  s.absconded = null;
}

function recordCourtFact(s: CaseState, type: CourtFactType, courtRef: string, meta: Meta): void {
  s.courtFacts[courtFactKey(type, courtRef)] = { mspId: meta.mspId, txId: meta.anchor.txId };
  // A stay may be lifted and ordered again in the same proceedings: each new notice or lift is news,
  // not a confirmation of the previous cycle.
  if (type === 'DEPORTATION_STAY_NOTIFIED') delete s.courtFacts[courtFactKey('DEPORTATION_STAY_LIFTED', courtRef)];
  if (type === 'DEPORTATION_STAY_LIFTED') delete s.courtFacts[courtFactKey('DEPORTATION_STAY_NOTIFIED', courtRef)];
  const finalTx = s.decision?.final?.txId;
  if (finalTx !== undefined) s.contradictions.push({ txId: meta.anchor.txId, finalTxId: finalTx });
  if (s.returnCompleted !== null && (RETURN_CHALLENGING_COURT_FACTS as readonly string[]).includes(type)) {
    s.courtFactsAfterReturn.push({ txId: meta.anchor.txId, returnTxId: s.returnCompleted.txId });
  }
}

function applyFact(s: CaseState, fact: ImportedFact, meta: Meta): void {
  const { anchor } = meta;
  switch (fact.type) {
    case 'CASE_REGISTERED':
      s.exists = true;
      s.registration = { facility: fact.data.facility, registeredOn: fact.data.registeredOn, anchor };
      s.facility = fact.data.facility;
      if (s.responsibleChain.length === 0) s.responsibleChain.push(meta.mspId);
      return;
    case 'RECEPTION_ASSIGNED':
      s.facility = fact.data.facility;
      return;
    case 'RESPONSIBILITY_TRANSFERRED':
      s.responsibleChain.push(fact.data.authority);
      return;
    case 'PERSON_ABSCONDED':
      s.absconded = anchor;
      return;
    case 'PERSON_REAPPEARED':
      s.absconded = null;
      return;
    case 'APPLICATION_FILED':
      s.applicationFiled = true;
      startProcedure(s, fact.type, anchor, true);
      return;
    case 'DUBLIN_PROCEDURE_STARTED':
      s.dublin = {
        running: true,
        memberState: fact.data.memberState,
        started: anchor,
        accepted: null,
        extension: null,
        restarts: [],
      };
      return;
    case 'DUBLIN_TRANSFER_ACCEPTED':
      s.dublin ??= { running: true, memberState: null, started: anchor, accepted: null, extension: null, restarts: [] };
      s.dublin.accepted = { acceptedOn: fact.data.acceptedOn, anchor };
      return;
    case 'DUBLIN_DEADLINE_EXTENDED':
      if (s.dublin !== null) s.dublin.extension = { months: fact.data.months, anchor };
      return;
    case 'DUBLIN_PROCEDURE_ENDED':
      if (s.dublin !== null) s.dublin.running = false;
      return;
    case 'HEARING_SCHEDULED':
      s.hearing = { hearingOn: fact.data.hearingOn, anchor, outcome: null, excused: null, decidedSince: false };
      return;
    case 'HEARING_HELD':
      s.hearing ??= { hearingOn: null, anchor, outcome: null, excused: null, decidedSince: false };
      s.hearing.outcome = 'HEARING_HELD';
      return;
    case 'HEARING_NOT_ATTENDED':
      s.hearing ??= { hearingOn: null, anchor, outcome: null, excused: null, decidedSince: false };
      s.hearing.outcome = 'HEARING_NOT_ATTENDED';
      s.hearing.excused = fact.data.excused;
      return;
    case 'REVOCATION_PROCEEDINGS_STARTED':
      startProcedure(s, fact.type, anchor, true);
      return;
    case 'DECISION_ISSUED':
      s.decision = {
        outcome: fact.data.outcome,
        decidedOn: fact.data.decidedOn,
        anchor,
        inRevocation: s.procedure?.revocation ?? false,
        served: null,
        final: null,
        appealed: false,
        suspensiveOrdered: false,
        conclusion: null,
      };
      s.lastOutcome = fact.data.outcome;
      s.procedure = null;
      s.order = null;
      if (s.hearing !== null) s.hearing.decidedSince = true;
      return;
    case 'DECISION_SERVED':
      if (s.decision !== null) s.decision.served = { servedOn: fact.data.servedOn, anchor };
      return;
    case 'DECISION_WITHDRAWN':
      s.decision = null;
      s.order = null;
      startProcedure(s, fact.type, anchor, false);
      return;
    case 'PROCEDURE_RESUMED':
      s.decision = null;
      startProcedure(s, fact.type, anchor, false);
      return;
    case 'DECISION_FINAL':
      if (s.decision !== null) s.decision.final = anchor;
      return;
    case 'FOLLOW_UP_APPLICATION_FILED':
      s.followUp = { anchor };
      s.closure = null;
      return;
    case 'FOLLOW_UP_APPLICATION_DECIDED':
      s.followUp = null;
      s.followUpDecision = { result: fact.data.result, servedOn: fact.data.servedOn, anchor };
      if (fact.data.result === 'PROCEDURE_REOPENED') {
        s.decision = null;
        s.order = null;
        startProcedure(s, fact.type, anchor, true);
      }
      return;
    case 'APPEAL_FILED':
      s.appeals[fact.data.courtRef] = {
        court: fact.data.court,
        filedOn: fact.data.filedOn,
        anchor,
        pending: true,
        againstOutcome: s.decision?.outcome ?? null,
      };
      if (s.decision !== null) s.decision.appealed = true;
      recordCourtFact(s, fact.type, fact.data.courtRef, meta);
      return;
    case 'URGENT_APPLICATION_FILED':
      s.urgents[fact.data.courtRef] = {
        court: fact.data.court,
        filedOn: fact.data.filedOn,
        anchor,
        pending: true,
        result: null,
        decided: null,
      };
      recordCourtFact(s, fact.type, fact.data.courtRef, meta);
      return;
    case 'URGENT_APPLICATION_DECIDED': {
      const urgent = s.urgents[fact.data.courtRef] ?? {
        court: null,
        filedOn: null,
        anchor,
        pending: true,
        result: null,
        decided: null,
      };
      urgent.pending = false;
      urgent.result = fact.data.result;
      urgent.decided = anchor;
      s.urgents[fact.data.courtRef] = urgent;
      if (fact.data.result === 'SUSPENSIVE_EFFECT_ORDERED') {
        s.order = { decidedOn: fact.data.decidedOn, filed: urgent.anchor, decided: anchor };
        if (s.decision !== null) s.decision.suspensiveOrdered = true;
      } else if (s.dublin?.running === true && s.dublin.accepted !== null) {
        s.dublin.restarts.push({ date: fact.data.decidedOn, anchor });
      }
      recordCourtFact(s, fact.type, fact.data.courtRef, meta);
      return;
    }
    case 'COURT_PROCEEDINGS_CONCLUDED': {
      const appeal = s.appeals[fact.data.courtRef];
      if (appeal !== undefined) appeal.pending = false;
      if (s.order !== null) {
        if (s.dublin?.running === true && s.dublin.accepted !== null) {
          s.dublin.restarts.push({ date: fact.data.finalOn, anchor });
        }
        s.order = null;
      }
      if (fact.data.result === 'DECISION_OVERTURNED') {
        s.decision = null;
        startProcedure(s, fact.type, anchor, false);
      } else if (s.decision !== null) {
        s.decision.conclusion = { finalOn: fact.data.finalOn, anchor };
      }
      recordCourtFact(s, fact.type, fact.data.courtRef, meta);
      return;
    }
    case 'DEPORTATION_STAY_NOTIFIED':
      s.stays[fact.data.courtRef] = { anchor, inForce: true };
      recordCourtFact(s, fact.type, fact.data.courtRef, meta);
      return;
    case 'DEPORTATION_STAY_LIFTED': {
      const stay = s.stays[fact.data.courtRef];
      if (stay !== undefined) stay.inForce = false;
      recordCourtFact(s, fact.type, fact.data.courtRef, meta);
      return;
    }
    case 'MUNICIPALITY_ALLOCATED':
      s.allocation = { ...fact.data, anchor };
      return;
    case 'TOLERATION_GRANTED':
      s.toleration = { validUntil: fact.data.validUntil, anchor, revoked: false };
      return;
    case 'TOLERATION_REVOKED':
      if (s.toleration !== null) s.toleration.revoked = true;
      return;
    case 'RETURN_SCHEDULED':
      s.returnScheduled = { kind: fact.data.kind, anchor, executionStarted: null };
      return;
    case 'RETURN_EXECUTION_STARTED':
      if (s.returnScheduled !== null) s.returnScheduled.executionStarted = anchor;
      return;
    case 'RETURN_CANCELLED':
      s.returnScheduled = null;
      return;
    case 'RETURN_COMPLETED':
      s.returnCompleted = anchor;
      close(s, fact.type, anchor);
      return;
    case 'VOLUNTARY_DEPARTURE_RECORDED':
      close(s, fact.type, anchor);
      return;
  }
}

/** The states after each non-retracted event, in ledger order, with the event that produced each. */
export function foldSteps(events: readonly StoredEvent[]): { event: StoredEvent; state: CaseState }[] {
  const steps: { event: StoredEvent; state: CaseState }[] = [];
  let state = initialState(events[0]?.caseId ?? '');
  for (const event of effectiveEvents(events)) {
    state = applyEvent(state, event);
    steps.push({ event, state });
  }
  return steps;
}

/**
 * The fold of domain.md §4: the state of a case from its stored events in ledger order, in one pass.
 * `onStep` sees the state after each folded event: one object, changed in place by the next step, so it
 * is read during the call and never kept ({@link foldSteps} keeps a copy of every state).
 */
export function foldCase(
  events: readonly StoredEvent[],
  onStep?: (state: Readonly<CaseState>, event: StoredEvent) => void,
): CaseState {
  const state = initialState(events[0]?.caseId ?? '');
  for (const event of effectiveEvents(events)) {
    applyEventInPlace(state, event);
    onStep?.(state, event);
  }
  return state;
}

/** Whether a procedure (first, revocation, resumed or reopened) is pending. */
export function procedurePending(s: CaseState): boolean {
  return s.procedure !== null;
}

/** Whether the decision in force grants protection. */
export function protectionInForce(s: CaseState): boolean {
  return s.decision !== null && isProtection(s.decision.outcome);
}

/** Whether a Dublin procedure runs. */
export function dublinRunning(s: CaseState): boolean {
  return s.dublin?.running === true;
}

/** Pending appeals that suspend enforcement by law (§ 75 AsylG: against `REJECTED_UNFOUNDED` or a revocation). */
export function suspensiveAppeals(s: CaseState): AppealState[] {
  return Object.values(s.appeals).filter(
    (a) => a.pending && (a.againstOutcome === 'REJECTED_UNFOUNDED' || a.againstOutcome === 'PROTECTION_REVOKED'),
  );
}

/** Pending urgent applications. */
export function pendingUrgents(s: CaseState): UrgentState[] {
  return Object.values(s.urgents).filter((u) => u.pending);
}

/** Every reason enforcement is suspended, strongest first (`ORDERED`, `URGENT_PENDING`, `APPEAL_S75`). */
export function suspensiveReasons(s: CaseState): SuspensiveReason[] {
  const reasons: SuspensiveReason[] = [];
  if (s.order !== null) reasons.push('ORDERED');
  if (pendingUrgents(s).length > 0) reasons.push('URGENT_PENDING');
  if (suspensiveAppeals(s).length > 0) reasons.push('APPEAL_S75');
  return reasons;
}

/** Whether any court proceedings are pending. */
export function courtPending(s: CaseState): boolean {
  return s.order !== null || pendingUrgents(s).length > 0 || Object.values(s.appeals).some((a) => a.pending);
}

/** `courtRef`s with a stay in force, sorted. */
export function staysInForce(s: CaseState): string[] {
  return Object.keys(s.stays)
    .filter((ref) => s.stays[ref]?.inForce === true)
    .sort();
}

/** The toleration's end date if one is granted and not revoked (validity against today is the caller's). */
export function toleratedUntil(s: CaseState): IsoDate | null {
  return s.toleration !== null && !s.toleration.revoked ? s.toleration.validUntil : null;
}

/** The current responsible state authority (an MSP ID or an authority's code), if any. */
export function responsibleAuthority(s: CaseState): string | null {
  return s.responsibleChain[s.responsibleChain.length - 1] ?? null;
}

/** The phase (chaincode/README.md has the event → phase table): the first of `PHASES` that holds. */
export function phaseOf(s: CaseState): Phase {
  if (s.closure !== null) return 'CLOSED';
  if (s.returnScheduled !== null) return 'ENFORCEMENT';
  if (s.procedure !== null || s.followUp !== null) return 'PROCEDURE';
  if (courtPending(s)) return 'COURT';
  if (s.allocation !== null) return 'ALLOCATED';
  if (s.decision?.final != null) return 'FINAL';
  if (s.decision !== null || s.followUpDecision !== null) return 'DECIDED';
  return 'INTAKE';
}

/** The case view in the API shape (architecture.md), from the state and the warnings and actions judged for it. */
export function toCaseView(
  s: CaseState,
  warnings: readonly Warning[],
  actions: readonly Action[],
  ruleVersion: string,
): CaseView {
  const reasons = suspensiveReasons(s);
  const [reason] = reasons;
  return {
    caseId: s.caseId,
    phase: phaseOf(s),
    outcome: s.decision?.outcome ?? null,
    flags: {
      registered: s.exists,
      procedurePending: procedurePending(s),
      followUpPending: s.followUp !== null,
      protectionInForce: protectionInForce(s),
      dublinRunning: dublinRunning(s),
      decisionServed: s.decision?.served != null,
      decisionFinal: s.decision?.final != null,
      allocated: s.allocation !== null,
      absconded: s.absconded !== null,
      imported: Object.keys(s.imports).length > 0,
      closed: s.closure !== null,
    },
    suspensiveEffect: reason === undefined ? null : { reason, reasons },
    returnScheduled:
      s.returnScheduled === null
        ? null
        : { kind: s.returnScheduled.kind, executionStarted: s.returnScheduled.executionStarted !== null },
    toleratedUntil: toleratedUntil(s),
    staysInForce: staysInForce(s),
    responsibleAuthority: responsibleAuthority(s),
    importedBy: Object.keys(s.imports).sort(),
    purged: [...s.purged],
    dates: {
      remedyDeadline: remedyDeadline(s)?.date ?? null,
      departureDeadline: departureDeadline(s)?.date ?? null,
      dublinTransferDeadline: dublinTransferDeadline(s)?.date ?? null,
      allocationNoticeDue: allocationNoticeDue(s)?.date ?? null,
    },
    warnings: [...warnings],
    actions: [...actions],
    lastEvent: s.lastEvent,
    eventCount: s.eventCount,
    ruleVersion,
  };
}
