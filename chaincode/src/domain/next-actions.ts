/**
 * The next actions of domain.md §4.1: what the shared state now expects of each agency, derived from the
 * state alone (plus today and the organisation directory).
 */
import { compareDates, type IsoDate } from './calendar';
import { dublinRunning, protectionInForce, type CaseState } from './case-state';
import { allocationNoticeDue, decisionRemedyDeadline, departureDeadline, dublinTransferDeadline } from './deadlines';
import { responsibleMember } from './ownership';
import type { Action, ActionCode, OrgDirectory, Warning, WarningCode } from './schemas';
import { judgeReturn } from './warning-rules';

/** What next actions are judged against. */
export interface ActionContext {
  /** Berlin date the actions are judged on. */
  readonly today: IsoDate;
  readonly orgs: OrgDirectory;
  /** The open warnings (event and clock rules) at the same moment. */
  readonly warnings: readonly Warning[];
}

/** Which agency a warning concerns: the one that has to act on it. */
export const WARNING_CONCERNS = {
  RET_PROTECTION_GRANTED: 'STATE_AUTHORITY',
  RET_PROCEDURE_PENDING: 'STATE_AUTHORITY',
  RET_REMEDY_WINDOW_OPEN: 'STATE_AUTHORITY',
  RET_DEPARTURE_PERIOD_RUNNING: 'STATE_AUTHORITY',
  RET_SUSPENSIVE_APPEAL: 'STATE_AUTHORITY',
  RET_URGENT_APPLICATION: 'STATE_AUTHORITY',
  RET_FOLLOW_UP_PENDING: 'STATE_AUTHORITY',
  RET_DEPORTATION_STAY: 'STATE_AUTHORITY',
  RET_KIND_MISMATCH: 'STATE_AUTHORITY',
  RET_DUBLIN_DEADLINE_PASSED: 'STATE_AUTHORITY',
  RET_TOLERATION_VALID: 'STATE_AUTHORITY',
  FINALITY_CONTRADICTED: 'FEDERAL_OFFICE',
  COURT_FACT_AFTER_RETURN: 'BOTH',
  ALLOC_NOTICE_OVERDUE: 'STATE_AUTHORITY',
} as const satisfies Record<WarningCode, 'STATE_AUTHORITY' | 'FEDERAL_OFFICE' | 'BOTH'>;

function federalOffices(orgs: OrgDirectory): string[] {
  return Object.keys(orgs)
    .filter((msp) => orgs[msp]?.kind === 'FEDERAL_OFFICE')
    .sort();
}

/** Every next action for the case, sorted by agency and code. */
export function nextActions(s: CaseState, ctx: ActionContext): Action[] {
  const out: Action[] = [];
  const federal = federalOffices(ctx.orgs);
  const state = responsibleMember(s, ctx.orgs);
  const add = (code: ActionCode, agencies: readonly (string | undefined)[], due?: IsoDate | null): void => {
    for (const agency of agencies) {
      if (agency === undefined) continue;
      out.push(due == null ? { code, action: code, agency, caseId: s.caseId } : { code, action: code, agency, caseId: s.caseId, due });
    }
  };
  const open = s.exists && s.closure === null;
  const d = s.decision;
  const remedyPending = s.order !== null || Object.values(s.urgents).some((u) => u.pending) || Object.values(s.appeals).some((a) => a.pending);

  if (open) {
    if (!s.applicationFiled && s.absconded === null) add('TAKE_APPLICATION', federal);
    if (s.procedure !== null && s.hearing === null && !dublinRunning(s)) add('SCHEDULE_HEARING', federal);
    if (s.hearing !== null && s.hearing.outcome === null && !s.hearing.decidedSince) {
      add('ENSURE_ATTENDANCE', [state], s.hearing.hearingOn);
    }
    const noHearingNeeded = dublinRunning(s) && s.dublin?.accepted != null;
    if (s.procedure !== null && (s.hearing?.outcome != null || noHearingNeeded)) add('DECIDE', federal);
    if (d !== null && d.served === null) add('SERVE_DECISION', federal);
    const remedy = decisionRemedyDeadline(s);
    if (d !== null && d.final === null && remedy !== null && compareDates(ctx.today, remedy.date) > 0 && !remedyPending) {
      add('SEND_FINALITY_NOTICE', federal);
    }
    if ((protectionInForce(s) || s.order !== null) && s.allocation === null) {
      add('ALLOCATE_MUNICIPALITY', [state], allocationNoticeDue(s)?.date);
    }
    if (dublinRunning(s) && s.dublin?.accepted != null && s.returnScheduled === null) {
      add('ARRANGE_TRANSFER', [state], dublinTransferDeadline(s)?.date);
    }
    const departure = departureDeadline(s);
    const tolerated = s.toleration !== null && !s.toleration.revoked && compareDates(s.toleration.validUntil, ctx.today) >= 0;
    if (
      departure !== null &&
      compareDates(ctx.today, departure.date) > 0 &&
      s.returnScheduled === null &&
      !tolerated &&
      !judgeReturn(s, 'DEPORTATION', ctx.today).some((f) => f.severity === 'BLOCKING')
    ) {
      add('EXAMINE_ENFORCEMENT', [state]);
    }
  }

  const pendingAcks = new Map<string, string[]>();
  for (const w of ctx.warnings) {
    const concern = WARNING_CONCERNS[w.code];
    const agencies = concern === 'FEDERAL_OFFICE' ? federal : concern === 'STATE_AUTHORITY' ? [state] : [state, ...federal];
    for (const agency of agencies) {
      if (agency === undefined || w.acknowledgedBy.includes(agency)) continue;
      pendingAcks.set(agency, [...(pendingAcks.get(agency) ?? []), w.id]);
    }
  }
  for (const [agency, warningIds] of pendingAcks) {
    out.push({ code: 'ACKNOWLEDGE_WARNING', action: 'ACKNOWLEDGE_WARNING', agency, caseId: s.caseId, warningIds: [...warningIds].sort() });
  }
  return out.sort((a, b) => (a.agency === b.agency ? a.code.localeCompare(b.code) : a.agency.localeCompare(b.agency)));
}
