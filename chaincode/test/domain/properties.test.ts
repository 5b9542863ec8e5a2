/**
 * Property-based tests over random event sequences: candidate events are generated and kept when decide
 * accepts them; then the invariants of domain.md §4–§6 are checked.
 */
import fc from 'fast-check';
import { addDays, caseViewAt, evaluateWarnings, foldCase, replay, type CaseView, type StoredEvent } from '../../src/domain';
import { ORGS, noon } from './fixtures';
import { run, sequences } from './random-histories';

const RUNS = { numRuns: 80 };

/** The view without the fields that carry txIds or counters (for comparing histories with different txIds). */
function shape(v: CaseView): unknown {
  return {
    ...v,
    warnings: v.warnings.map((w) => [w.code, w.severity, w.anchors.length, w.clock]).sort(),
    actions: v.actions.map((a) => [a.code, a.agency, a.due ?? null]).sort(),
    lastEvent: v.lastEvent?.type ?? null,
    eventCount: 0,
  };
}

describe('properties over random accepted event sequences', () => {
  test('the fold never throws on accepted sequences, and every accepted history replays with every precondition met', () => {
    fc.assert(
      fc.property(sequences, (commands) => {
        const l = run(commands);
        foldCase(l.history);
        const r = replay(l.history, { orgs: ORGS });
        expect(r.ok ? [] : r.failures).toEqual([]);
      }),
      RUNS,
    );
  });

  test('the sequences reach deep states (the generator is not vacuous)', () => {
    const types = new Set<string>();
    // A fixed seed: this checks the generator's reach, and a random seed made the count vary run to run.
    fc.assert(
      fc.property(sequences, (commands) => {
        for (const e of run(commands).history) types.add(e.type);
      }),
      { ...RUNS, seed: 20261126 },
    );
    expect(types.size).toBeGreaterThanOrEqual(30);
  });

  test('a stored view equals the fold of its events', () => {
    fc.assert(
      fc.property(sequences, (commands) => {
        const l = run(commands);
        if (l.last === undefined) return;
        const at = l.last.event.recordedAt;
        expect(l.last.storedView).toEqual(caseViewAt(l.history, at, ORGS, { clock: false }));
        expect(l.last.view).toEqual(caseViewAt(l.history, at, ORGS, { clock: true }));
        expect(l.last.state).toEqual(foldCase(l.history));
      }),
      RUNS,
    );
  });

  test('replaying a sourceMessageId never changes the view', () => {
    fc.assert(
      fc.property(sequences, fc.nat(), (commands, pickIndex) => {
        const l = run(commands);
        const original = l.history[pickIndex % l.history.length]!;
        const before = caseViewAt(l.history, noon(l.today), ORGS, { clock: true });
        const count = l.history.length;
        const e = l.refusal(original.type, original.data, original.actor, {
          sourceMessageId: original.sourceMessageId,
          occurredAt: original.occurredAt,
          at: noon(l.today),
        });
        expect(e?.code).toBe('ALREADY_APPLIED');
        expect(l.history.length).toBe(count);
        expect(caseViewAt(l.history, noon(l.today), ORGS, { clock: true })).toEqual(before);
      }),
      RUNS,
    );
  });

  test('every firing rule names anchors present in the history', () => {
    fc.assert(
      fc.property(sequences, fc.nat(400), (commands, later) => {
        const l = run(commands);
        const txIds = new Set(l.history.map((e) => e.txId));
        for (const at of [noon(l.today), noon(addDays(l.today, later))]) {
          for (const w of evaluateWarnings(l.history, at, { clock: true })) {
            expect(w.anchors.length).toBeGreaterThan(0);
            for (const a of w.anchors) expect(txIds.has(a)).toBe(true);
            expect(w.id).toBe(`${w.code}:${w.anchors[0]}`);
          }
        }
      }),
      RUNS,
    );
  });

  test('retracting the latest event and re-adding it with a new sourceMessageId restores the view', () => {
    const notRetractable: readonly string[] = ['CASE_REGISTERED', 'CASE_IMPORTED', 'EVENT_RETRACTED', 'PERSONAL_DATA_PURGED'];
    fc.assert(
      fc.property(sequences, (commands) => {
        const l = run(commands);
        const latest: StoredEvent = l.history[l.history.length - 1]!;
        if (notRetractable.includes(latest.type)) return;
        const at = latest.recordedAt;
        const before = caseViewAt(l.history, at, ORGS, { clock: true });
        const retractor = { mspId: latest.actor.mspId, enrollmentId: 'test-adapter', role: 'adapter' };
        expect(l.refusal('EVENT_RETRACTED', { retractedTxId: latest.txId, retractionReason: 'R' }, retractor, { at })?.message).toBeUndefined();
        expect(l.refusal(latest.type, latest.data, latest.actor, { at, occurredAt: latest.occurredAt })?.message).toBeUndefined();
        const after = caseViewAt(l.history, at, ORGS, { clock: true });
        expect(shape(after)).toEqual(shape(before));
      }),
      RUNS,
    );
  });
});
