/**
 * The dates of domain.md §4 "Dates and deadlines". Every deadline is computed under the rules of the rule
 * version that accepted its anchoring event (§4, §9), so an upgrade never moves a running deadline.
 */
import { addDays, addMonths, addWorkingDays, compareDates, nextWorkingDayOnOrAfter, type IsoDate } from './calendar';
import type { Anchor, CaseState } from './case-state';
import { isProtection, type Outcome } from './schemas';

/** A deadline: its last day (already moved off weekends and holidays) and the event it runs from. */
export interface Deadline {
  readonly date: IsoDate;
  readonly anchor: Anchor;
}

/** The deadline rules of one rule version. */
export interface DeadlineRules {
  /** Klagefrist in days after service (§ 74 Abs. 1 AsylG). */
  readonly remedyDays: (outcome: Outcome | 'FOLLOW_UP_INADMISSIBLE') => number;
  /** Ausreisefrist; `null` where none runs or it cannot be known yet. */
  readonly departure: (decision: NonNullable<CaseState['decision']>) => { from: IsoDate; days: number; anchor: Anchor } | null;
  /** Dublin transfer period in months (Art. 29 Dublin III). */
  readonly dublinMonths: (extension: 12 | 18 | null) => number;
  /** Working days the state authority has to record the allocation (§ 50 Abs. 3 AsylG, agreed service level). */
  readonly allocationWorkingDays: number;
}

const ONE_WEEK = 7;
const TWO_WEEKS = 14;
const THIRTY_DAYS = 30;

const RULES_1_0_0: DeadlineRules = {
  remedyDays: (outcome) =>
    outcome === 'REJECTED_MANIFESTLY_UNFOUNDED' ||
    outcome === 'INADMISSIBLE_DUBLIN' ||
    outcome === 'INADMISSIBLE_OTHER' ||
    outcome === 'FOLLOW_UP_INADMISSIBLE'
      ? ONE_WEEK
      : TWO_WEEKS,
  departure: (d) => {
    if (d.served === null) return null;
    switch (d.outcome) {
      case 'REJECTED_UNFOUNDED':
      case 'PROTECTION_REVOKED':
        if (!d.appealed) return { from: d.served.servedOn, days: THIRTY_DAYS, anchor: d.served.anchor };
        return d.conclusion === null ? null : { from: d.conclusion.finalOn, days: THIRTY_DAYS, anchor: d.conclusion.anchor };
      case 'REJECTED_MANIFESTLY_UNFOUNDED':
      case 'INADMISSIBLE_OTHER':
        if (!d.suspensiveOrdered) return { from: d.served.servedOn, days: ONE_WEEK, anchor: d.served.anchor };
        return d.conclusion === null ? null : { from: d.conclusion.finalOn, days: THIRTY_DAYS, anchor: d.conclusion.anchor };
      case 'DISCONTINUED':
        return { from: d.served.servedOn, days: ONE_WEEK, anchor: d.served.anchor };
      case 'INADMISSIBLE_DUBLIN':
      case 'ASYLUM_GRANTED':
      case 'REFUGEE_STATUS_GRANTED':
      case 'SUBSIDIARY_PROTECTION_GRANTED':
      case 'DEPORTATION_BAN_ESTABLISHED':
        return null;
    }
  },
  dublinMonths: (extension) => extension ?? 6,
  allocationWorkingDays: 3,
};

/** The rule versions this build knows, newest last. */
export const DEADLINE_RULES: Readonly<Record<string, DeadlineRules>> = { '1.0.0': RULES_1_0_0 };

/**
 * The rules of a version. A version this build does not know can only come from a newer build, which
 * cannot have written to this ledger yet; falling back to the current rules keeps reads working.
 */
export function deadlineRules(version: string): DeadlineRules {
  return DEADLINE_RULES[version] ?? RULES_1_0_0;
}

function deadline(date: IsoDate, anchor: Anchor): Deadline {
  return { date: nextWorkingDayOnOrAfter(date), anchor };
}

/** The Klagefrist of the served decision in force alone (used for `DECISION_FINAL`). */
export function decisionRemedyDeadline(s: CaseState): Deadline | null {
  const served = s.decision?.served;
  if (s.decision === null || served == null) return null;
  const days = deadlineRules(served.anchor.ruleVersion).remedyDays(s.decision.outcome);
  return deadline(addDays(served.servedOn, days), served.anchor);
}

/**
 * `remedyDeadline`: the Klagefrist of the decision served last — the decision in force, or an inadmissible
 * follow-up decision served after it.
 */
export function remedyDeadline(s: CaseState): Deadline | null {
  const fromDecision = decisionRemedyDeadline(s);
  const f = s.followUpDecision;
  if (f === null || f.result !== 'INADMISSIBLE') return fromDecision;
  if (fromDecision !== null && fromDecision.anchor.seq > f.anchor.seq) return fromDecision;
  const days = deadlineRules(f.anchor.ruleVersion).remedyDays('FOLLOW_UP_INADMISSIBLE');
  return deadline(addDays(f.servedOn, days), f.anchor);
}

/** `departureDeadline` (Ausreisefrist) of the decision in force. */
export function departureDeadline(s: CaseState): Deadline | null {
  if (s.decision === null) return null;
  const start = deadlineRules(s.decision.anchor.ruleVersion).departure(s.decision);
  return start === null ? null : deadline(addDays(start.from, start.days), start.anchor);
}

/**
 * `dublinTransferDeadline`: the latest of acceptance, a rejected urgent application and the end of
 * proceedings with suspensive effect, plus 6 months (12 / 18 after an extension); anchored on the acceptance.
 */
export function dublinTransferDeadline(s: CaseState): Deadline | null {
  const d = s.dublin;
  if (d === null || !d.running || d.accepted === null) return null;
  let from = d.accepted.acceptedOn;
  for (const r of d.restarts) if (compareDates(r.date, from) > 0) from = r.date;
  const months = deadlineRules(d.accepted.anchor.ruleVersion).dublinMonths(d.extension?.months ?? null);
  return deadline(addMonths(from, months), d.accepted.anchor);
}

/**
 * `allocationNoticeDue`: working days after the protection decision's or the order's `decidedOn`, while
 * protection is in force or suspensive effect is ordered.
 */
export function allocationNoticeDue(s: CaseState): Deadline | null {
  const d = s.decision;
  if (d !== null && isProtection(d.outcome)) {
    return deadline(addWorkingDays(d.decidedOn, deadlineRules(d.anchor.ruleVersion).allocationWorkingDays), d.anchor);
  }
  if (s.order !== null) {
    const days = deadlineRules(s.order.decided.ruleVersion).allocationWorkingDays;
    return deadline(addWorkingDays(s.order.decidedOn, days), s.order.decided);
  }
  return null;
}
