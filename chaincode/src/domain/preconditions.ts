/**
 * Per event type, the precondition of domain.md §3 as a predicate on the current state: ok, or what is
 * `missing` (may succeed later: adapters hold and retry) or `conflicting` (will not succeed). Codes are
 * event types or fact names, never identifying data.
 */
import { compareDates, type IsoDate } from './calendar';
import {
  dublinRunning,
  pendingUrgents,
  protectionInForce,
  warningId,
  type CaseState,
} from './case-state';
import { decisionRemedyDeadline } from './deadlines';
import { isRefusedWhenClosed, type EventType } from './event-types';
import { isNegative, isProtection, type EventInput, type ImportedFact } from './schemas';

/** The answer of a precondition. */
export type PreconditionResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly missing: readonly string[] }
  | { readonly ok: false; readonly conflicting: readonly string[] };

/** What a precondition may need besides the state. */
export interface PreconditionContext {
  /** The Berlin date of the transaction. */
  readonly today: IsoDate;
  /** The writing organisation. */
  readonly mspId: string;
  /** Warning ids an acknowledgement may name: event rules open at any point of the history, clock rules open now. */
  readonly acknowledgeable?: ReadonlySet<string>;
}

const OK: PreconditionResult = { ok: true };
const missing = (...codes: string[]): PreconditionResult => ({ ok: false, missing: codes });
const conflicting = (...codes: string[]): PreconditionResult => ({ ok: false, conflicting: codes });

/** Whether a closed case refuses this event type with `CASE_CLOSED` (domain.md §3, end). */
export function refusedBecauseClosed(state: CaseState, type: EventType): boolean {
  return state.closure !== null && isRefusedWhenClosed(type);
}

/**
 * The precondition of `event` on `state`. Existence (`CASE_NOT_FOUND` / `CASE_EXISTS`), the closed case,
 * court-fact confirmations and `EVENT_RETRACTED` (which needs the history) are judged by decide.ts.
 */
export function checkPrecondition(
  state: CaseState,
  event: EventInput | ImportedFact,
  ctx: PreconditionContext,
): PreconditionResult {
  const s = state;
  switch (event.type) {
    case 'CASE_REGISTERED':
      return s.exists ? conflicting('CASE_REGISTERED') : OK;
    case 'RECEPTION_ASSIGNED':
    case 'RESPONSIBILITY_TRANSFERRED':
    case 'VOLUNTARY_DEPARTURE_RECORDED':
    case 'DEPORTATION_STAY_NOTIFIED':
      if (event.type === 'DEPORTATION_STAY_NOTIFIED' && s.stays[event.data.courtRef]?.inForce === true) {
        return conflicting('DEPORTATION_STAY_NOTIFIED');
      }
      return registered(s);
    case 'PERSON_ABSCONDED':
      return s.absconded !== null ? conflicting('PERSON_ABSCONDED') : registered(s);
    case 'PERSON_REAPPEARED':
      return s.absconded === null ? missing('PERSON_ABSCONDED') : OK;
    case 'APPLICATION_FILED':
      return s.procedure !== null ? conflicting('PROCEDURE_PENDING') : registered(s);
    case 'DUBLIN_PROCEDURE_STARTED':
      if (s.procedure === null) return missing('PROCEDURE_PENDING');
      return dublinRunning(s) ? conflicting('DUBLIN_PROCEDURE_STARTED') : OK;
    case 'DUBLIN_TRANSFER_ACCEPTED':
      if (!dublinRunning(s)) return missing('DUBLIN_PROCEDURE_STARTED');
      return s.dublin?.accepted != null ? conflicting('DUBLIN_TRANSFER_ACCEPTED') : OK;
    case 'DUBLIN_DEADLINE_EXTENDED':
      if (!dublinRunning(s)) return missing('DUBLIN_PROCEDURE_STARTED');
      if (s.dublin?.accepted == null) return missing('DUBLIN_TRANSFER_ACCEPTED');
      return s.dublin.extension !== null ? conflicting('DUBLIN_DEADLINE_EXTENDED') : OK;
    case 'DUBLIN_PROCEDURE_ENDED':
      return dublinRunning(s) ? OK : missing('DUBLIN_PROCEDURE_STARTED');
    case 'HEARING_SCHEDULED':
      return s.procedure === null ? missing('PROCEDURE_PENDING') : OK;
    case 'HEARING_HELD':
    case 'HEARING_NOT_ATTENDED':
      if (s.hearing === null) return missing('HEARING_SCHEDULED');
      return s.hearing.outcome !== null ? conflicting(s.hearing.outcome) : OK;
    case 'REVOCATION_PROCEEDINGS_STARTED':
      if (s.procedure !== null) return conflicting('PROCEDURE_PENDING');
      return protectionInForce(s) ? OK : missing('PROTECTION_IN_FORCE');
    case 'DECISION_ISSUED':
      return decisionIssued(s, event.data.outcome);
    case 'DECISION_SERVED':
      if (s.decision === null) return missing('DECISION_ISSUED');
      return s.decision.served !== null ? conflicting('DECISION_SERVED') : OK;
    case 'DECISION_WITHDRAWN':
      return s.decision === null ? missing('DECISION_ISSUED') : OK;
    case 'PROCEDURE_RESUMED':
      if (s.decision === null) return s.procedure !== null ? conflicting('PROCEDURE_PENDING') : missing('DECISION_ISSUED');
      return s.decision.outcome === 'DISCONTINUED' ? OK : conflicting('DECISION_ISSUED');
    case 'DECISION_FINAL':
      return decisionFinal(s, ctx.today);
    case 'FOLLOW_UP_APPLICATION_FILED':
      return followUpFiled(s);
    case 'FOLLOW_UP_APPLICATION_DECIDED':
      return s.followUp === null ? missing('FOLLOW_UP_APPLICATION_FILED') : OK;
    case 'APPEAL_FILED':
      if (s.decision?.served == null && s.followUpDecision === null) return missing('DECISION_SERVED');
      return s.appeals[event.data.courtRef]?.pending === true ? conflicting('APPEAL_FILED') : OK;
    case 'URGENT_APPLICATION_FILED':
      return urgentFiled(s, event.data.courtRef);
    case 'URGENT_APPLICATION_DECIDED': {
      const urgent = s.urgents[event.data.courtRef];
      if (urgent === undefined) return missing('URGENT_APPLICATION_FILED');
      return urgent.pending ? OK : conflicting('URGENT_APPLICATION_DECIDED');
    }
    case 'COURT_PROCEEDINGS_CONCLUDED': {
      const appeal = s.appeals[event.data.courtRef];
      if (appeal === undefined) return missing('APPEAL_FILED');
      return appeal.pending ? OK : conflicting('COURT_PROCEEDINGS_CONCLUDED');
    }
    case 'DEPORTATION_STAY_LIFTED':
      return s.stays[event.data.courtRef]?.inForce === true ? OK : missing('DEPORTATION_STAY_NOTIFIED');
    case 'MUNICIPALITY_ALLOCATED':
      if (event.data.basis === 'PROTECTION' && !protectionInForce(s)) return missing('PROTECTION_IN_FORCE');
      if (event.data.basis === 'SUSPENSIVE_EFFECT' && s.order === null) return missing('SUSPENSIVE_EFFECT_ORDERED');
      return registered(s);
    case 'TOLERATION_GRANTED':
      if (s.decision === null) return missing('DECISION_ISSUED');
      return isNegative(s.decision.outcome) || s.decision.outcome === 'DISCONTINUED' ? OK : conflicting('PROTECTION_IN_FORCE');
    case 'TOLERATION_REVOKED': {
      const t = s.toleration;
      return t !== null && !t.revoked && compareDates(t.validUntil, ctx.today) >= 0 ? OK : missing('TOLERATION_GRANTED');
    }
    case 'RETURN_SCHEDULED':
      return s.returnScheduled !== null ? conflicting('RETURN_SCHEDULED') : registered(s);
    case 'RETURN_EXECUTION_STARTED':
    case 'RETURN_CANCELLED':
    case 'RETURN_COMPLETED':
      return s.returnScheduled === null ? missing('RETURN_SCHEDULED') : OK;
    case 'CASE_IMPORTED':
      return s.imports[ctx.mspId] !== undefined ? conflicting('CASE_IMPORTED') : OK;
    case 'WARNING_ACKNOWLEDGED': {
      const id = warningId(event.data.code, event.data.anchorTxId);
      if (ctx.acknowledgeable?.has(id) !== true) return conflicting('WARNING_NOT_OPENED');
      return s.acks[id]?.includes(ctx.mspId) === true ? conflicting('WARNING_ACKNOWLEDGED') : OK;
    }
    case 'EVENT_RETRACTED':
    case 'PERSONAL_DATA_PURGED':
      return registered(s);
  }
}

function registered(s: CaseState): PreconditionResult {
  return s.exists ? OK : missing('CASE_REGISTERED');
}

function decisionIssued(s: CaseState, outcome: NonNullable<CaseState['decision']>['outcome']): PreconditionResult {
  const procedure = s.procedure;
  if (procedure === null) return missing('PROCEDURE_PENDING');
  if (outcome === 'PROTECTION_REVOKED' && !procedure.revocation) return conflicting(procedure.startedBy);
  if (procedure.revocation && outcome !== 'PROTECTION_REVOKED' && !isProtection(outcome)) {
    return conflicting('REVOCATION_PROCEEDINGS_STARTED');
  }
  if (outcome === 'INADMISSIBLE_DUBLIN' && !(dublinRunning(s) && s.dublin?.accepted != null)) {
    return missing('DUBLIN_TRANSFER_ACCEPTED');
  }
  const needsHearing =
    !isProtection(outcome) && outcome !== 'DISCONTINUED' && outcome !== 'INADMISSIBLE_DUBLIN' && outcome !== 'INADMISSIBLE_OTHER';
  if (needsHearing) {
    if (s.hearing === null) return missing('HEARING_SCHEDULED');
    if (s.hearing.outcome === null) return missing('HEARING_HELD');
  }
  return OK;
}

/** Whether an appeal or urgent application is pending, or suspensive effect is ordered. */
function remedyPending(s: CaseState): boolean {
  return s.order !== null || pendingUrgents(s).length > 0 || Object.values(s.appeals).some((a) => a.pending);
}

function decisionFinal(s: CaseState, today: IsoDate): PreconditionResult {
  const d = s.decision;
  if (d === null) return missing('DECISION_ISSUED');
  if (d.final !== null) return conflicting('DECISION_FINAL');
  if (d.served === null) return missing('DECISION_SERVED');
  if (remedyPending(s)) return missing('COURT_PROCEEDINGS_CONCLUDED');
  const deadline = decisionRemedyDeadline(s);
  const deadlinePassed = deadline !== null && compareDates(today, deadline.date) > 0;
  return deadlinePassed || d.conclusion !== null ? OK : missing('REMEDY_DEADLINE_PASSED');
}

function followUpFiled(s: CaseState): PreconditionResult {
  if (s.procedure !== null) return conflicting('PROCEDURE_PENDING');
  if (s.followUp !== null) return conflicting('FOLLOW_UP_APPLICATION_FILED');
  if (s.closure !== null) return OK;
  const d = s.decision;
  if (d === null) return missing('DECISION_ISSUED');
  if (d.final !== null) return OK;
  if (d.outcome === 'DISCONTINUED') return d.served !== null ? OK : missing('DECISION_SERVED');
  return missing('DECISION_FINAL');
}

function urgentFiled(s: CaseState, courtRef: string): PreconditionResult {
  if (s.urgents[courtRef]?.pending === true) return conflicting('URGENT_APPLICATION_FILED');
  if (s.followUpDecision?.result === 'INADMISSIBLE') return OK;
  const d = s.decision;
  if (d === null || d.served === null) return missing('DECISION_SERVED');
  return isNegative(d.outcome) || d.outcome === 'DISCONTINUED' ? OK : conflicting('PROTECTION_IN_FORCE');
}
