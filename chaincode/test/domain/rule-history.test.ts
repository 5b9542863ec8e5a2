/**
 * The one-pass evaluation (the fold updated in place, each rule judged once per event) against the
 * evaluation it replaced, kept here as the oracle: a fold that copies the state at every event, and the
 * rules judged again on every prefix of the history. Both must agree on every accepted history.
 */
import fc from 'fast-check';
import {
  WARNING_RULES,
  acknowledgeableWarningIds,
  addDays,
  applyEvent,
  berlinDate,
  caseViewAt,
  clockOpeningInstant,
  clockRuleFindings,
  compareInstants,
  eventRuleFindings,
  evaluateWarnings,
  foldCase,
  foldSteps,
  foldWithWarnings,
  initialState,
  nextActions,
  effectiveEvents,
  replay,
  toCaseView,
  warningId,
  RULE_VERSION,
  type CaseState,
  type CaseView,
  type Finding,
  type StoredEvent,
  type Warning,
} from '../../src/domain';
import {
  ORGS,
  TestLedger,
  decidedAndServed,
  dublinWithAbsconding,
  manifestlyUnfoundedReturnInWindow,
  noon,
  protectionToAllocation,
  rejectionWithAppeal,
  returneeFollowUp,
} from './fixtures';
import { command, run, sequences } from './random-histories';

// ----- the oracle: the evaluation before the one-pass fold, verbatim -----

function oracleFold(events: readonly StoredEvent[]): CaseState {
  let state = initialState(events[0]?.caseId ?? '');
  for (const event of effectiveEvents(events)) state = applyEvent(state, event);
  return state;
}

function idOf(f: Finding): string {
  return warningId(f.code, f.anchors[0] ?? '');
}

function oracleWarnings(events: readonly StoredEvent[], now: string, options: { clock: boolean }): Warning[] {
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

function oracleAcknowledgeable(events: readonly StoredEvent[], now: string): Set<string> {
  const steps = foldSteps(events);
  const ids = new Set<string>();
  for (const step of steps) for (const f of eventRuleFindings(step.state)) ids.add(idOf(f));
  const last = steps[steps.length - 1];
  if (last !== undefined) for (const f of clockRuleFindings(last.state, berlinDate(now))) ids.add(idOf(f));
  return ids;
}

function oracleView(events: readonly StoredEvent[], now: string, clock: boolean): CaseView {
  const steps = foldSteps(events);
  const state = steps[steps.length - 1]?.state ?? initialState(events[0]?.caseId ?? '');
  const all = oracleWarnings(events, now, { clock: true });
  const warnings = clock ? all : all.filter((w) => !w.clock);
  const actions = nextActions(state, { today: berlinDate(now), orgs: ORGS, warnings });
  return toCaseView(state, warnings, actions, RULE_VERSION);
}

// ----- the comparison -----

/** Instants to judge a history at: its last write, later the same day, and days to a year later. */
function instants(history: readonly StoredEvent[], laterDays: number): string[] {
  const last = history[history.length - 1];
  if (last === undefined) return [noon('2026-01-05')];
  const day = berlinDate(last.recordedAt);
  return [last.recordedAt, `${day}T21:30:00Z`, noon(addDays(day, 1)), noon(addDays(day, laterDays))];
}

function expectSameEvaluation(history: readonly StoredEvent[], laterDays: number): void {
  const seen: { event: StoredEvent; state: CaseState }[] = [];
  expect(foldCase(history, (state, event) => seen.push({ event, state: structuredClone(state) }))).toEqual(oracleFold(history));
  expect(seen).toEqual(foldSteps(history));
  expect(replay(history, { orgs: ORGS }).state).toEqual(oracleFold(history));
  for (const now of instants(history, laterDays)) {
    for (const clock of [true, false]) {
      expect(evaluateWarnings(history, now, { clock })).toEqual(oracleWarnings(history, now, { clock }));
      expect(caseViewAt(history, now, ORGS, { clock })).toEqual(oracleView(history, now, clock));
    }
    expect(foldWithWarnings(history, now, { clock: true }).state).toEqual(oracleFold(history));
    expect([...acknowledgeableWarningIds(history, now)].sort()).toEqual([...oracleAcknowledgeable(history, now)].sort());
  }
}

describe('the one-pass evaluation equals judging every prefix', () => {
  test('applyEvent leaves the state it is given as it was', () => {
    fc.assert(
      fc.property(sequences, (commands) => {
        const steps = foldSteps(run(commands).history);
        for (let i = 1; i < steps.length; i += 1) {
          const before = steps[i - 1]!.state;
          const copy = structuredClone(before);
          expect(applyEvent(before, steps[i]!.event)).toEqual(steps[i]!.state);
          expect(before).toEqual(copy);
        }
      }),
      { numRuns: 20 },
    );
  });

  test('on random accepted histories and a prefix of each, at several instants', () => {
    fc.assert(
      fc.property(sequences, fc.nat(400), fc.nat(), (commands, later, cut) => {
        const { history } = run(commands);
        expectSameEvaluation(history, later);
        expectSameEvaluation(history.slice(0, cut % (history.length + 1)), later);
      }),
      { numRuns: 40 },
    );
  });

  test('on long random accepted histories', () => {
    fc.assert(
      fc.property(fc.array(command, { minLength: 80, maxLength: 120 }), fc.nat(400), (commands, later) => {
        expectSameEvaluation(run(commands).history, later);
      }),
      { numRuns: 3 },
    );
  });

  test('on the realistic histories of the fixtures', () => {
    const histories: ((l: TestLedger) => void)[] = [
      (l) => decidedAndServed(l, 'REJECTED_UNFOUNDED'),
      protectionToAllocation,
      rejectionWithAppeal,
      dublinWithAbsconding,
      manifestlyUnfoundedReturnInWindow,
      returneeFollowUp,
    ];
    for (const write of histories) {
      const l = new TestLedger();
      write(l);
      for (let n = 0; n <= l.history.length; n += 1) expectSameEvaluation(l.history.slice(0, n), 200);
    }
  });

  test('a decision stores what the oracle judges for the history after it', () => {
    fc.assert(
      fc.property(sequences, (commands) => {
        const l = run(commands);
        if (l.last === undefined) return;
        const at = l.last.event.recordedAt;
        expect(l.last.state).toEqual(oracleFold(l.history));
        expect(l.last.warnings).toEqual(oracleWarnings(l.history, at, { clock: true }));
        expect(l.last.storedView).toEqual(oracleView(l.history, at, false));
        expect(l.last.view).toEqual(oracleView(l.history, at, true));
      }),
      { numRuns: 40 },
    );
  });
});
