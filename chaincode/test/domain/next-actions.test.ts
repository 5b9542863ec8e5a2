/** Every row of domain.md §4.1. */
import { evaluateWarnings, foldCase, nextActions, type Action, type ActionCode } from '../../src/domain';
import { BAMF, COURT_A, ORGS, TestLedger, ZAB, noon, zabCaseworker } from './fixtures';
import {
  appealFiled,
  closedByDeparture,
  decided,
  dublinAccepted,
  dublinStarted,
  final,
  hearingScheduled,
  heard,
  pending,
  registered,
  served,
  suspensiveOrdered,
  type Setup,
} from './setups';

function actionsAt(setup: Setup, day: string): Action[] {
  const l = new TestLedger();
  setup(l);
  const now = noon(day);
  const warnings = evaluateWarnings(l.history, now, { clock: true });
  return nextActions(foldCase(l.history), { today: day, orgs: ORGS, warnings });
}
function has(actions: Action[], code: ActionCode, agency?: string): boolean {
  return actions.some((a) => a.code === code && (agency === undefined || a.agency === agency));
}

describe('TAKE_APPLICATION (federal office)', () => {
  test('registered, no application ever filed, not absconded', () => {
    const a = actionsAt(registered, '2026-01-05');
    expect(a).toContainEqual({ code: 'TAKE_APPLICATION', action: 'TAKE_APPLICATION', agency: BAMF, caseId: expect.any(String) });
  });
  test('not once filed', () => expect(has(actionsAt(pending, '2026-01-05'), 'TAKE_APPLICATION')).toBe(false));
  test('not while absconded', () => {
    expect(has(actionsAt((l) => { registered(l); l.write('PERSON_ABSCONDED', {}); }, '2026-01-05'), 'TAKE_APPLICATION')).toBe(false);
  });
  test('not on a closed case', () => expect(has(actionsAt(closedByDeparture, '2026-01-13'), 'TAKE_APPLICATION')).toBe(false));
});

describe('SCHEDULE_HEARING (federal office)', () => {
  test('procedure pending, no hearing scheduled', () => expect(has(actionsAt(pending, '2026-01-05'), 'SCHEDULE_HEARING', BAMF)).toBe(true));
  test('not once scheduled', () => expect(has(actionsAt(hearingScheduled, '2026-01-08'), 'SCHEDULE_HEARING')).toBe(false));
  test('not while Dublin runs', () => expect(has(actionsAt(dublinStarted, '2026-01-08'), 'SCHEDULE_HEARING')).toBe(false));
});

describe('ENSURE_ATTENDANCE (state authority, due hearingOn)', () => {
  test('hearing scheduled, no outcome', () => {
    const a = actionsAt(hearingScheduled, '2026-01-08');
    expect(a.find((x) => x.code === 'ENSURE_ATTENDANCE')).toEqual({ code: 'ENSURE_ATTENDANCE', action: 'ENSURE_ATTENDANCE', agency: ZAB, caseId: expect.any(String), due: '2026-01-20' });
  });
  test('not once held', () => expect(has(actionsAt(heard, '2026-01-21'), 'ENSURE_ATTENDANCE')).toBe(false));
  test('not once a decision came without the hearing', () => {
    const setup: Setup = (l) => { hearingScheduled(l); l.write('DECISION_ISSUED', { outcome: 'ASYLUM_GRANTED', decidedOn: '2026-01-09' }); };
    expect(has(actionsAt(setup, '2026-01-10'), 'ENSURE_ATTENDANCE')).toBe(false);
  });
});

describe('DECIDE (federal office)', () => {
  test('procedure pending and hearing held', () => expect(has(actionsAt(heard, '2026-01-21'), 'DECIDE', BAMF)).toBe(true));
  test('procedure pending and hearing not attended', () => {
    const setup: Setup = (l) => { hearingScheduled(l); l.write('HEARING_NOT_ATTENDED', { excused: false }); };
    expect(has(actionsAt(setup, '2026-01-21'), 'DECIDE')).toBe(true);
  });
  test('none needed: Dublin transfer accepted', () => expect(has(actionsAt(dublinAccepted, '2026-01-31'), 'DECIDE')).toBe(true));
  test('not before the hearing', () => expect(has(actionsAt(hearingScheduled, '2026-01-08'), 'DECIDE')).toBe(false));
  test('not once decided', () => expect(has(actionsAt(decided('REJECTED_UNFOUNDED'), '2026-02-02'), 'DECIDE')).toBe(false));
});

describe('SERVE_DECISION (federal office)', () => {
  test('decision issued, not served', () => expect(has(actionsAt(decided('REJECTED_UNFOUNDED'), '2026-02-02'), 'SERVE_DECISION', BAMF)).toBe(true));
  test('not once served', () => expect(has(actionsAt(served('REJECTED_UNFOUNDED'), '2026-02-04'), 'SERVE_DECISION')).toBe(false));
});

describe('SEND_FINALITY_NOTICE (federal office)', () => {
  // REJECTED_UNFOUNDED served 2026-02-04: remedy deadline 2026-02-18
  test('remedy deadline passed, no remedy pending, not final', () => expect(has(actionsAt(served('REJECTED_UNFOUNDED'), '2026-02-19'), 'SEND_FINALITY_NOTICE', BAMF)).toBe(true));
  test('not on the deadline day', () => expect(has(actionsAt(served('REJECTED_UNFOUNDED'), '2026-02-18'), 'SEND_FINALITY_NOTICE')).toBe(false));
  test('not while an appeal is pending', () => expect(has(actionsAt(appealFiled, '2026-03-01'), 'SEND_FINALITY_NOTICE')).toBe(false));
  test('not once final', () => expect(has(actionsAt(final('REJECTED_UNFOUNDED'), '2026-03-03'), 'SEND_FINALITY_NOTICE')).toBe(false));
});

describe('ALLOCATE_MUNICIPALITY (state authority, due allocationNoticeDue)', () => {
  test('protection in force, no allocation', () => {
    const a = actionsAt(decided('ASYLUM_GRANTED'), '2026-02-02');
    expect(a.find((x) => x.code === 'ALLOCATE_MUNICIPALITY')).toEqual({ code: 'ALLOCATE_MUNICIPALITY', action: 'ALLOCATE_MUNICIPALITY', agency: ZAB, caseId: expect.any(String), due: '2026-02-05' });
  });
  test('suspensive effect ordered', () => expect(has(actionsAt(suspensiveOrdered, '2026-02-20'), 'ALLOCATE_MUNICIPALITY', ZAB)).toBe(true));
  test('not once allocated', () => {
    const setup: Setup = (l) => { decided('ASYLUM_GRANTED')(l); l.write('MUNICIPALITY_ALLOCATED', { municipality: '14612000', authority: 'ABH-DD-TEST', basis: 'PROTECTION' }); };
    expect(has(actionsAt(setup, '2026-02-03'), 'ALLOCATE_MUNICIPALITY')).toBe(false);
  });
  test('not after a rejection', () => expect(has(actionsAt(served('REJECTED_UNFOUNDED'), '2026-02-04'), 'ALLOCATE_MUNICIPALITY')).toBe(false));
});

describe('ARRANGE_TRANSFER (state authority, due dublinTransferDeadline)', () => {
  test('transfer accepted, Dublin running, no return scheduled', () => {
    const a = actionsAt(dublinAccepted, '2026-02-02');
    // accepted Fri 2026-01-30 + 6 months = Thu 2026-07-30
    expect(a.find((x) => x.code === 'ARRANGE_TRANSFER')).toEqual({ code: 'ARRANGE_TRANSFER', action: 'ARRANGE_TRANSFER', agency: ZAB, caseId: expect.any(String), due: '2026-07-30' });
  });
  test('not once a return is scheduled', () => {
    expect(has(actionsAt((l) => { dublinAccepted(l); l.write('RETURN_SCHEDULED', { kind: 'DUBLIN_TRANSFER' }); }, '2026-02-02'), 'ARRANGE_TRANSFER')).toBe(false);
  });
  test('not once Dublin ended', () => {
    expect(has(actionsAt((l) => { dublinAccepted(l); l.write('DUBLIN_PROCEDURE_ENDED', { basis: 'SELF_ASSUMED' }); }, '2026-02-02'), 'ARRANGE_TRANSFER')).toBe(false);
  });
});

describe('EXAMINE_ENFORCEMENT (state authority)', () => {
  // REJECTED_MANIFESTLY_UNFOUNDED served 2026-02-04: remedy and departure deadline 2026-02-11
  test('departure deadline passed, nothing blocks a deportation', () => expect(has(actionsAt(served('REJECTED_MANIFESTLY_UNFOUNDED'), '2026-02-12'), 'EXAMINE_ENFORCEMENT', ZAB)).toBe(true));
  test('not on the deadline day', () => expect(has(actionsAt(served('REJECTED_MANIFESTLY_UNFOUNDED'), '2026-02-11'), 'EXAMINE_ENFORCEMENT')).toBe(false));
  test('not while a BLOCKING rule would fire (urgent application pending)', () => {
    const setup: Setup = (l) => { served('REJECTED_MANIFESTLY_UNFOUNDED')(l); l.write('URGENT_APPLICATION_FILED', { court: 'VG-DD-TEST', courtRef: COURT_A, filedOn: '2026-02-10' }); };
    expect(has(actionsAt(setup, '2026-02-12'), 'EXAMINE_ENFORCEMENT')).toBe(false);
  });
  test('not with a valid toleration', () => {
    const setup: Setup = (l) => { served('REJECTED_MANIFESTLY_UNFOUNDED')(l); l.write('TOLERATION_GRANTED', { validUntil: '2026-06-30' }); };
    expect(has(actionsAt(setup, '2026-02-12'), 'EXAMINE_ENFORCEMENT')).toBe(false);
    expect(has(actionsAt(setup, '2026-07-01'), 'EXAMINE_ENFORCEMENT')).toBe(true);
  });
  test('not once a return is scheduled', () => {
    const setup: Setup = (l) => { served('REJECTED_MANIFESTLY_UNFOUNDED')(l); l.write('RETURN_SCHEDULED', { kind: 'DEPORTATION' }); };
    expect(has(actionsAt(setup, '2026-02-12'), 'EXAMINE_ENFORCEMENT')).toBe(false);
  });
});

describe('ACKNOWLEDGE_WARNING (each agency concerned)', () => {
  test('a RET warning concerns the state authority until it acknowledges', () => {
    const setup: Setup = (l) => { pending(l); l.write('RETURN_SCHEDULED', { kind: 'DEPORTATION' }); };
    const a = actionsAt(setup, '2026-01-06');
    const ack = a.find((x) => x.code === 'ACKNOWLEDGE_WARNING');
    expect(ack?.agency).toBe(ZAB);
    expect(ack?.warningIds).toEqual(['RET_KIND_MISMATCH:tx-0003', 'RET_PROCEDURE_PENDING:tx-0002']);
    const acked: Setup = (l) => {
      setup(l);
      l.write('WARNING_ACKNOWLEDGED', { code: 'RET_KIND_MISMATCH', anchorTxId: 'tx-0003' }, zabCaseworker);
      l.write('WARNING_ACKNOWLEDGED', { code: 'RET_PROCEDURE_PENDING', anchorTxId: 'tx-0002' }, zabCaseworker);
    };
    expect(has(actionsAt(acked, '2026-01-06'), 'ACKNOWLEDGE_WARNING')).toBe(false);
  });
  test('FINALITY_CONTRADICTED concerns the federal office', () => {
    const setup: Setup = (l) => { final('REJECTED_UNFOUNDED')(l); l.write('APPEAL_FILED', { court: 'VG-DD-TEST', courtRef: COURT_A, filedOn: '2026-02-17' }); };
    const a = actionsAt(setup, '2026-03-03');
    expect(a.filter((x) => x.code === 'ACKNOWLEDGE_WARNING').map((x) => x.agency)).toEqual([BAMF]);
  });
  test('also on a closed case (COURT_FACT_AFTER_RETURN concerns both agencies)', () => {
    const setup: Setup = (l) => {
      final('REJECTED_MANIFESTLY_UNFOUNDED')(l);
      l.write('RETURN_SCHEDULED', { kind: 'DEPORTATION' });
      l.write('RETURN_COMPLETED', { completedOn: '2026-03-02' });
      l.write('DEPORTATION_STAY_NOTIFIED', { courtRef: COURT_A });
    };
    const a = actionsAt(setup, '2026-03-03');
    expect(a.map((x) => [x.code, x.agency])).toEqual([
      ['ACKNOWLEDGE_WARNING', BAMF],
      ['ACKNOWLEDGE_WARNING', ZAB],
    ]);
  });
});

test('every action of a closed case other than ACKNOWLEDGE_WARNING disappears', () => {
  const setup: Setup = (l) => { decided('ASYLUM_GRANTED')(l); l.write('VOLUNTARY_DEPARTURE_RECORDED', { departedOn: '2026-02-03' }); };
  expect(actionsAt(setup, '2026-02-03').filter((a) => a.code !== 'ACKNOWLEDGE_WARNING')).toEqual([]);
});
