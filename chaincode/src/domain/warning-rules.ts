/**
 * The warning mechanism of domain.md §5. Event rules depend only on recorded facts (stored and indexed);
 * clock rules (⏱) also need today's Berlin date (never stored). `RET_*` rules apply while a return is
 * scheduled, and to a planned kind in the pre-execution check.
 */
import { addDays, berlinDate, compareDates, daysBetween, type IsoDate } from './calendar';
import {
  foldSteps,
  pendingUrgents,
  protectionInForce,
  suspensiveAppeals,
  warningId,
  type CaseState,
} from './case-state';
import { allocationNoticeDue, departureDeadline, dublinTransferDeadline, remedyDeadline } from './deadlines';
import {
  isNegative,
  type ReturnKind,
  type Severity,
  type StoredEvent,
  type Warning,
  type WarningCode,
} from './schemas';

/** Severity, kind (clock or event rule) and scope (return rule or not) of every rule. */
export const WARNING_RULES = {
  RET_PROTECTION_GRANTED: { severity: 'BLOCKING', clock: false, returnRule: true },
  RET_PROCEDURE_PENDING: { severity: 'BLOCKING', clock: false, returnRule: true },
  RET_REMEDY_WINDOW_OPEN: { severity: 'BLOCKING', clock: true, returnRule: true },
  RET_DEPARTURE_PERIOD_RUNNING: { severity: 'BLOCKING', clock: true, returnRule: true },
  RET_SUSPENSIVE_APPEAL: { severity: 'BLOCKING', clock: false, returnRule: true },
  RET_URGENT_APPLICATION: { severity: 'BLOCKING', clock: false, returnRule: true },
  RET_FOLLOW_UP_PENDING: { severity: 'BLOCKING', clock: false, returnRule: true },
  RET_DEPORTATION_STAY: { severity: 'BLOCKING', clock: false, returnRule: true },
  RET_KIND_MISMATCH: { severity: 'BLOCKING', clock: false, returnRule: true },
  RET_DUBLIN_DEADLINE_PASSED: { severity: 'BLOCKING', clock: true, returnRule: true },
  RET_TOLERATION_VALID: { severity: 'WARNING', clock: true, returnRule: true },
  FINALITY_CONTRADICTED: { severity: 'WARNING', clock: false, returnRule: false },
  COURT_FACT_AFTER_RETURN: { severity: 'WARNING', clock: false, returnRule: false },
  ALLOC_NOTICE_OVERDUE: { severity: 'WARNING', clock: true, returnRule: false },
} as const satisfies Record<WarningCode, { severity: Severity; clock: boolean; returnRule: boolean }>;

/** A rule that holds, with its anchors (txIds, first = the one naming the warning). */
export interface Finding {
  readonly code: WarningCode;
  readonly severity: Severity;
  readonly anchors: readonly string[];
}

function finding(code: WarningCode, anchors: readonly string[]): Finding {
  return { code, severity: WARNING_RULES[code].severity, anchors };
}

const ENFORCEABLE_BY_DEPORTATION = [
  'REJECTED_UNFOUNDED',
  'REJECTED_MANIFESTLY_UNFOUNDED',
  'INADMISSIBLE_OTHER',
  'PROTECTION_REVOKED',
  'DISCONTINUED',
] as const;

/**
 * The event `RET_*` rules for a return of `kind`. `scheduledTxId` is the `RETURN_SCHEDULED` that anchors
 * `RET_KIND_MISMATCH`; in the pre-execution check there is none and the finding has no anchor.
 */
function returnEventFindings(s: CaseState, kind: ReturnKind, scheduledTxId: string | undefined): Finding[] {
  const out: Finding[] = [];
  const d = s.decision;
  if (d !== null && protectionInForce(s)) out.push(finding('RET_PROTECTION_GRANTED', [d.anchor.txId]));
  if (s.procedure !== null) {
    out.push(finding('RET_PROCEDURE_PENDING', [s.procedure.anchor.txId]));
  } else if (d !== null && d.served === null && (isNegative(d.outcome) || d.outcome === 'DISCONTINUED')) {
    out.push(finding('RET_PROCEDURE_PENDING', [d.anchor.txId]));
  }
  const appeals = suspensiveAppeals(s);
  if (appeals.length > 0) out.push(finding('RET_SUSPENSIVE_APPEAL', sortBySeq(appeals.map((a) => a.anchor))));
  const urgentAnchors = pendingUrgents(s).map((u) => u.anchor);
  if (s.order !== null) {
    if (s.order.filed !== null) urgentAnchors.push(s.order.filed);
    urgentAnchors.push(s.order.decided);
  }
  if (urgentAnchors.length > 0) out.push(finding('RET_URGENT_APPLICATION', sortBySeq(urgentAnchors)));
  if (s.followUp !== null) out.push(finding('RET_FOLLOW_UP_PENDING', [s.followUp.anchor.txId]));
  const stays = Object.values(s.stays).filter((st) => st.inForce);
  if (stays.length > 0) out.push(finding('RET_DEPORTATION_STAY', sortBySeq(stays.map((st) => st.anchor))));
  const kindFits =
    kind === 'DEPORTATION'
      ? d !== null && (ENFORCEABLE_BY_DEPORTATION as readonly string[]).includes(d.outcome)
      : d?.outcome === 'INADMISSIBLE_DUBLIN' && s.dublin?.running === true && s.dublin.accepted !== null;
  if (!kindFits) out.push(finding('RET_KIND_MISMATCH', scheduledTxId === undefined ? [] : [scheduledTxId]));
  return out;
}

/** The clock `RET_*` rules for a return of `kind` on `today`. */
function returnClockFindings(s: CaseState, kind: ReturnKind, today: IsoDate): Finding[] {
  const out: Finding[] = [];
  const remedy = remedyDeadline(s);
  if (remedy !== null && compareDates(today, remedy.date) <= 0) {
    out.push(finding('RET_REMEDY_WINDOW_OPEN', [remedy.anchor.txId]));
  }
  const departure = departureDeadline(s);
  if (kind === 'DEPORTATION' && departure !== null && compareDates(today, departure.date) <= 0) {
    out.push(finding('RET_DEPARTURE_PERIOD_RUNNING', [departure.anchor.txId]));
  }
  const dublin = dublinTransferDeadline(s);
  if (kind === 'DUBLIN_TRANSFER' && dublin !== null && compareDates(today, dublin.date) > 0) {
    out.push(finding('RET_DUBLIN_DEADLINE_PASSED', [dublin.anchor.txId]));
  }
  const t = s.toleration;
  if (t !== null && !t.revoked && compareDates(t.validUntil, today) >= 0) {
    out.push(finding('RET_TOLERATION_VALID', [t.anchor.txId]));
  }
  return out;
}

function sortBySeq(anchors: readonly { txId: string; seq: number }[]): string[] {
  const ids = [...anchors].sort((a, b) => a.seq - b.seq).map((a) => a.txId);
  return [...new Set(ids)];
}

/** The event rules that hold for `s` (stored and indexed by the chaincode). */
export function eventRuleFindings(s: CaseState): Finding[] {
  const out: Finding[] = [];
  if (s.returnScheduled !== null) {
    out.push(...returnEventFindings(s, s.returnScheduled.kind, s.returnScheduled.anchor.txId));
  }
  const finalTx = s.decision?.final?.txId;
  for (const c of s.contradictions) {
    if (c.finalTxId === finalTx) out.push(finding('FINALITY_CONTRADICTED', [c.txId]));
  }
  for (const c of s.courtFactsAfterReturn) out.push(finding('COURT_FACT_AFTER_RETURN', [c.txId]));
  return dedupe(out);
}

/** The clock rules that hold for `s` on `today` (Berlin date). */
export function clockRuleFindings(s: CaseState, today: IsoDate): Finding[] {
  const out: Finding[] = [];
  if (s.returnScheduled !== null) out.push(...returnClockFindings(s, s.returnScheduled.kind, today));
  const due = allocationNoticeDue(s);
  if (s.closure === null && s.allocation === null && due !== null && compareDates(today, due.date) > 0) {
    out.push(finding('ALLOC_NOTICE_OVERDUE', [due.anchor.txId]));
  }
  return dedupe(out);
}

/**
 * Every `RET_*` rule judged for a return of `kind` on `today`, whether or not one is scheduled: the
 * pre-execution check (`return-check`) and the judgement of a return write.
 */
export function judgeReturn(s: CaseState, kind: ReturnKind, today: IsoDate): Finding[] {
  const scheduled = s.returnScheduled?.kind === kind ? s.returnScheduled.anchor.txId : undefined;
  return [...returnEventFindings(s, kind, scheduled), ...returnClockFindings(s, kind, today)];
}

/** Same-id findings (imported facts share one txId) merge into one. */
function dedupe(findings: readonly Finding[]): Finding[] {
  const seen = new Map<string, Finding>();
  for (const f of findings) {
    const first = f.anchors[0];
    if (first === undefined) continue;
    const id = warningId(f.code, first);
    const prior = seen.get(id);
    seen.set(id, prior === undefined ? f : { ...prior, anchors: [...new Set([...prior.anchors, ...f.anchors])] });
  }
  return [...seen.values()];
}

function idOf(f: Finding): string {
  return warningId(f.code, f.anchors[0] ?? '');
}

/** Options of {@link evaluateWarnings}. */
export interface EvaluateOptions {
  /** Include clock rules (judged on the Berlin date of `now`). The chaincode stores only event rules. */
  readonly clock: boolean;
}

/**
 * The open warnings of a case after its events, judged at the instant `now` (`evaluatedAt`). `openedAt`
 * is when the rule last started to hold: the write since which it holds (for a deadline that passed, no
 * earlier than the start of the Berlin day after it).
 */
export function evaluateWarnings(events: readonly StoredEvent[], now: string, options: EvaluateOptions): Warning[] {
  const steps = foldSteps(events);
  const last = steps[steps.length - 1];
  if (last === undefined) return [];
  const today = berlinDate(now);
  const findingsAt = (s: CaseState): Finding[] =>
    options.clock ? [...eventRuleFindings(s), ...clockRuleFindings(s, today)] : eventRuleFindings(s);
  const idsAt = steps.map((step) => new Set(findingsAt(step.state).map(idOf)));
  const current = findingsAt(last.state);
  return current
    .map((f): Warning => {
      const id = idOf(f);
      let k = steps.length - 1;
      while (k > 0 && idsAt[k - 1]?.has(id) === true) k -= 1;
      let openedAt = steps[k]?.event.recordedAt ?? now;
      const clockStart = clockOpeningInstant(f.code, last.state);
      if (clockStart !== undefined && compareInstants(clockStart, openedAt) > 0) openedAt = clockStart;
      return {
        id,
        code: f.code,
        severity: f.severity,
        caseId: last.state.caseId,
        anchors: [...f.anchors],
        openedAt,
        evaluatedAt: now,
        clock: WARNING_RULES[f.code].clock,
        acknowledgedBy: [...(last.state.acks[id] ?? [])],
      };
    })
    .sort((a, b) => a.id.localeCompare(b.id));
}

/** For a rule that opens when a deadline has passed: the start of the Berlin day after the deadline. */
function clockOpeningInstant(code: WarningCode, s: CaseState): string | undefined {
  if (code === 'ALLOC_NOTICE_OVERDUE') {
    const due = allocationNoticeDue(s);
    return due === null ? undefined : berlinDayStart(addDays(due.date, 1));
  }
  if (code === 'RET_DUBLIN_DEADLINE_PASSED') {
    const due = dublinTransferDeadline(s);
    return due === null ? undefined : berlinDayStart(addDays(due.date, 1));
  }
  return undefined;
}

/** The UTC instant at which the Berlin calendar day `d` begins (midnight CET or CEST). */
export function berlinDayStart(d: IsoDate): string {
  const dayBefore = addDays(d, -1);
  const summer = `${dayBefore}T22:00:00Z`;
  return berlinDate(summer) === d ? summer : `${dayBefore}T23:00:00Z`;
}

/** Orders two RFC 3339 instants with any offsets. */
export function compareInstants(a: string, b: string): number {
  const ka = instantKey(a);
  const kb = instantKey(b);
  if (ka.seconds !== kb.seconds) return Math.sign(ka.seconds - kb.seconds);
  return ka.fraction < kb.fraction ? -1 : ka.fraction > kb.fraction ? 1 : 0;
}

function instantKey(instant: string): { seconds: number; fraction: string } {
  const m = /^(\d{4}-\d{2}-\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/.exec(instant);
  if (m === null || m[1] === undefined) throw new Error('expected an RFC 3339 instant');
  const offset = m[6] === undefined ? 0 : (m[6] === '-' ? -1 : 1) * (Number(m[7]) * 3600 + Number(m[8]) * 60);
  const seconds =
    daysBetween('1970-01-01', m[1]) * 86_400 + Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4]) - offset;
  return { seconds, fraction: (m[5] ?? '.').slice(1).padEnd(9, '0') };
}

/**
 * The warning ids an acknowledgement written at `now` may name: every event-rule warning that was open
 * after any write of the history (by replay), and every clock-rule warning open at `now`.
 */
export function acknowledgeableWarningIds(events: readonly StoredEvent[], now: string): Set<string> {
  const steps = foldSteps(events);
  const ids = new Set<string>();
  for (const step of steps) for (const f of eventRuleFindings(step.state)) ids.add(idOf(f));
  const last = steps[steps.length - 1];
  if (last !== undefined) for (const f of clockRuleFindings(last.state, berlinDate(now))) ids.add(idOf(f));
  return ids;
}
