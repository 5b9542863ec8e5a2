/**
 * Property-based tests over random event sequences: candidate events are generated and kept when decide
 * accepts them; then the invariants of domain.md §4–§6 are checked.
 */
import fc from 'fast-check';
import {
  EVENT_TYPES,
  OUTCOMES,
  addDays,
  caseViewAt,
  evaluateWarnings,
  foldCase,
  replay,
  type CaseView,
  type EventType,
  type StoredEvent,
} from '../../src/domain';
import { BAMF, COURT_A, COURT_B, ORGS, TestLedger, ZAB, noon, writerOf, type TestActor } from './fixtures';

interface Command {
  readonly t: number;
  readonly v: number;
  readonly adv: number;
  readonly bamf: boolean;
}

const command = fc.record({
  t: fc.nat(EVENT_TYPES.length - 1),
  v: fc.nat(40),
  adv: fc.oneof(fc.nat(3), fc.nat(12), fc.constant(45)),
  bamf: fc.boolean(),
});

const refs = [COURT_A, COURT_B];

function actorFor(type: EventType, c: Command): TestActor {
  const msp = c.bamf ? BAMF : ZAB;
  if (type === 'CASE_IMPORTED' || type === 'PERSONAL_DATA_PURGED') return { mspId: msp, enrollmentId: 'test-admin', role: 'admin' };
  if (type === 'WARNING_ACKNOWLEDGED') return { mspId: msp, enrollmentId: 'test-cw', role: 'caseworker' };
  if (type === 'APPEAL_FILED' || type.startsWith('URGENT_') || type.startsWith('DEPORTATION_STAY') || type === 'COURT_PROCEEDINGS_CONCLUDED') {
    return { mspId: msp, enrollmentId: 'test-adapter', role: c.v % 3 === 0 ? 'caseworker' : 'adapter' };
  }
  return writerOf(type);
}

function candidate(type: EventType, c: Command, l: TestLedger): { data: unknown; actor: TestActor } {
  const day = l.today;
  const v = c.v;
  const ref = refs[v % 2]!;
  const actor = actorFor(type, c);
  const pick = <T>(xs: readonly T[]): T => xs[v % xs.length]!;
  const data = ((): unknown => {
    switch (type) {
      case 'CASE_REGISTERED': return { facility: 'AE-T', registeredOn: day };
      case 'RECEPTION_ASSIGNED': return { facility: `AE-${v % 3}` };
      case 'RESPONSIBILITY_TRANSFERRED': return { authority: pick(['ABH-TEST', ZAB]) };
      case 'APPLICATION_FILED': case 'FOLLOW_UP_APPLICATION_FILED': return { filedOn: day };
      case 'DUBLIN_PROCEDURE_STARTED': return { memberState: pick(['PL', 'IT', 'AT']) };
      case 'DUBLIN_TRANSFER_ACCEPTED': return { acceptedOn: day };
      case 'DUBLIN_DEADLINE_EXTENDED': return v % 2 === 0 ? { months: 12, basis: 'DETENTION' } : { months: 18, basis: 'ABSCONDING' };
      case 'DUBLIN_PROCEDURE_ENDED': return { basis: pick(['REQUEST_REFUSED', 'SELF_ASSUMED', 'DEADLINE_EXPIRED', 'TRANSFERRED']) };
      case 'HEARING_SCHEDULED': return { hearingOn: addDays(day, 7) };
      case 'HEARING_NOT_ATTENDED': return { excused: v % 2 === 0 };
      case 'DECISION_ISSUED': return { outcome: pick(OUTCOMES), decidedOn: day };
      case 'DECISION_SERVED': return { servedOn: day };
      case 'DECISION_WITHDRAWN': return { withdrawalReason: 'W' };
      case 'FOLLOW_UP_APPLICATION_DECIDED': return { result: pick(['INADMISSIBLE', 'PROCEDURE_REOPENED']), servedOn: day };
      case 'APPEAL_FILED': case 'URGENT_APPLICATION_FILED': return { court: 'VG-T', courtRef: ref, filedOn: day };
      case 'URGENT_APPLICATION_DECIDED': return { courtRef: ref, result: v % 4 < 2 ? 'SUSPENSIVE_EFFECT_ORDERED' : 'REJECTED', decidedOn: day };
      case 'COURT_PROCEEDINGS_CONCLUDED': return { courtRef: ref, result: pick(['DECISION_UPHELD', 'DECISION_OVERTURNED', 'APPEAL_WITHDRAWN', 'SETTLED']), finalOn: day };
      case 'DEPORTATION_STAY_NOTIFIED': case 'DEPORTATION_STAY_LIFTED': return { courtRef: ref };
      case 'MUNICIPALITY_ALLOCATED': return { municipality: '14612000', authority: 'ABH-T', basis: pick(['PROTECTION', 'SUSPENSIVE_EFFECT', 'MAX_STAY_REACHED']) };
      case 'TOLERATION_GRANTED': return { validUntil: addDays(day, 20 + v) };
      case 'RETURN_SCHEDULED': return { kind: pick(['DEPORTATION', 'DUBLIN_TRANSFER']) };
      case 'RETURN_CANCELLED': return { cancellationReason: 'C' };
      case 'RETURN_COMPLETED': return { completedOn: day };
      case 'VOLUNTARY_DEPARTURE_RECORDED': return { departedOn: day };
      case 'CASE_IMPORTED':
        return c.bamf
          ? { facts: [{ type: 'HEARING_SCHEDULED', data: { hearingOn: day } }] }
          : { facts: [{ type: 'DEPORTATION_STAY_NOTIFIED', data: { courtRef: ref } }] };
      case 'WARNING_ACKNOWLEDGED': {
        const open = l.last?.warnings ?? [];
        const w = open[v % Math.max(open.length, 1)];
        return w === undefined ? { code: 'RET_PROCEDURE_PENDING', anchorTxId: 'tx-0001' } : { code: w.code, anchorTxId: w.anchors[0] };
      }
      case 'EVENT_RETRACTED': {
        const target = l.history[v % Math.max(l.history.length, 1)];
        return { retractedTxId: target?.txId ?? 'tx-9999', retractionReason: 'R' };
      }
      case 'PERSONAL_DATA_PURGED': return { collection: 'caseDetails' };
      case 'PERSON_ABSCONDED': case 'PERSON_REAPPEARED': case 'HEARING_HELD': case 'REVOCATION_PROCEEDINGS_STARTED':
      case 'PROCEDURE_RESUMED': case 'DECISION_FINAL': case 'TOLERATION_REVOKED': case 'RETURN_EXECUTION_STARTED':
        return {};
    }
  })();
  if (type === 'EVENT_RETRACTED') {
    const target = l.history[v % Math.max(l.history.length, 1)];
    if (target !== undefined) return { data, actor: { mspId: target.actor.mspId, enrollmentId: 'test-adapter', role: 'adapter' } };
  }
  return { data, actor };
}

/** Runs the commands; keeps what decide accepts. Anything but a DomainError fails the property. */
function run(commands: readonly Command[]): TestLedger {
  const l = new TestLedger('2026-01-05');
  l.write('CASE_REGISTERED', { facility: 'AE-T', registeredOn: '2026-01-05' });
  for (const c of commands) {
    l.today = addDays(l.today, c.adv);
    // Try a few types per command (a stride coprime to the number of types) so most commands add an
    // event and sequences get deep: hearings, decisions, court facts, returns, retractions.
    for (let k = 0; k < 12; k += 1) {
      const type = EVENT_TYPES[(c.t + k * 7) % EVENT_TYPES.length]!;
      const { data, actor } = candidate(type, c, l);
      const e = l.refusal(type, data, actor);
      if (e === undefined) break;
    }
  }
  return l;
}

const sequences = fc.array(command, { minLength: 5, maxLength: 45 });
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
