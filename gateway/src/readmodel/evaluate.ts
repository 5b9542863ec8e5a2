import {
  berlinDate,
  caseViewAt,
  foldCase,
  judgeReturn,
  warningId,
  WARNING_RULES,
  type CaseView,
  type OrgDirectory,
  type ReturnKind,
  type StoredEvent,
  type Warning,
} from '@asl/chaincode/domain';

/**
 * The read-time evaluation of a case (domain.md §4, §5): the one fold, event and clock rules judged at
 * `now`, and the next actions for every agency. Every read path of the gateway goes through here, so a
 * view from the read model and one rebuilt from the ledger cannot differ.
 */
export function evaluateCase(events: readonly StoredEvent[], now: string, orgs: OrgDirectory): CaseView {
  return caseViewAt(events, now, orgs, { clock: true });
}

/**
 * The pre-execution check: every return rule judged now for a planned `kind`, as warnings (never
 * stored). A finding is BLOCKING or WARNING as its rule says.
 */
export function checkReturn(events: readonly StoredEvent[], kind: ReturnKind, now: string): Warning[] {
  const state = foldCase(events);
  return judgeReturn(state, kind, berlinDate(now)).map((f) => {
    const anchors = [...f.anchors];
    return {
      id: warningId(f.code, anchors[0] ?? 'planned'),
      code: f.code,
      severity: f.severity,
      caseId: state.caseId,
      anchors: anchors.length > 0 ? anchors : ['planned'],
      openedAt: now,
      evaluatedAt: now,
      clock: WARNING_RULES[f.code].clock,
      acknowledgedBy: [],
    };
  });
}
