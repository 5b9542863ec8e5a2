/**
 * The warning mechanism of domain.md §5. Event rules depend only on recorded facts (stored and indexed);
 * clock rules (⏱) also need today's Berlin date (never stored). `RET_*` rules apply while a return is
 * scheduled, and to a planned kind in the pre-execution check.
 */
import { addDays, berlinDate, compareDates, daysBetween, type IsoDate } from './calendar';
import {
  foldCase,
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
 * What the warnings of a case need from the history of its rules, gathered in one fold with one judgement
 * of the rules per event (judging every prefix again for each write was quadratic in events per case).
 */
interface RuleHistory {
  /** The state after the last event. */
  readonly state: CaseState;
  /** How many events were folded (retracted ones are not). */
  readonly steps: number;
  /** The findings after the last event: event rules, then clock rules when judged. */
  readonly current: readonly Finding[];
  /** Finding id → `recordedAt` of the event since which it has held without a break. */
  readonly heldSince: ReadonlyMap<string, string>;
  /** The id of every event-rule finding that held after some event. */
  readonly everHeld: ReadonlySet<string>;
}

function foldRuleHistory(events: readonly StoredEvent[], now: string, options: EvaluateOptions): RuleHistory {
  let today: IsoDate | undefined;
  let steps = 0;
  let current: Finding[] = [];
  let heldSince = new Map<string, string>();
  const everHeld = new Set<string>();
  const state = foldCase(events, (s, event) => {
    steps += 1;
    today ??= berlinDate(now);
    const found = eventRuleFindings(s);
    if (options.clock) found.push(...clockRuleFindings(s, today));
    const unchanged = sameWarnings(found, current);
    current = found;
    // Most events open and close nothing: every id then holds since its start and was recorded.
    if (unchanged) return;
    const next = new Map<string, string>();
    for (const f of found) {
      const id = idOf(f);
      next.set(id, heldSince.get(id) ?? event.recordedAt);
      if (!WARNING_RULES[f.code].clock) everHeld.add(id);
    }
    heldSince = next;
  });
  return { state, steps, current, heldSince, everHeld };
}

/** Whether two lists of findings name the same warnings (code and first anchor) in the same order. */
function sameWarnings(a: readonly Finding[], b: readonly Finding[]): boolean {
  return a.length === b.length && a.every((f, i) => f.code === b[i]?.code && f.anchors[0] === b[i]?.anchors[0]);
}

/**
 * The state of a case after its events and its open warnings, judged at the instant `now`
 * (`evaluatedAt`). `openedAt` is when the rule last started to hold: the write since which it holds (for
 * a deadline that passed, no earlier than the start of the Berlin day after it).
 */
export function foldWithWarnings(
  events: readonly StoredEvent[],
  now: string,
  options: EvaluateOptions,
): { readonly state: CaseState; readonly warnings: Warning[] } {
  const history = foldRuleHistory(events, now, options);
  const { state } = history;
  if (history.steps === 0) return { state, warnings: [] };
  const warnings = history.current
    .map((f): Warning => {
      const id = idOf(f);
      let openedAt = history.heldSince.get(id) ?? now;
      const clockStart = clockOpeningInstant(f.code, state);
      if (clockStart !== undefined && compareInstants(clockStart, openedAt) > 0) openedAt = clockStart;
      return {
        id,
        code: f.code,
        severity: f.severity,
        caseId: state.caseId,
        anchors: [...f.anchors],
        openedAt,
        evaluatedAt: now,
        clock: WARNING_RULES[f.code].clock,
        acknowledgedBy: [...(state.acks[id] ?? [])],
      };
    })
    .sort((a, b) => a.id.localeCompare(b.id));
  return { state, warnings };
}

/** The open warnings of a case after its events, judged at the instant `now` ({@link foldWithWarnings}). */
export function evaluateWarnings(events: readonly StoredEvent[], now: string, options: EvaluateOptions): Warning[] {
  return foldWithWarnings(events, now, options).warnings;
}

/**
 * For a rule that opens when a deadline has passed: the start of the Berlin day after the deadline;
 * undefined for every other rule.
 */
export function clockOpeningInstant(code: WarningCode, s: CaseState): string | undefined {
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
  const history = foldRuleHistory(events, now, { clock: false });
  const ids = new Set(history.everHeld);
  if (history.steps > 0) for (const f of clockRuleFindings(history.state, berlinDate(now))) ids.add(idOf(f));
  return ids;
}
