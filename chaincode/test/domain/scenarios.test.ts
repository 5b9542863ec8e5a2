import { caseViewAt, foldCase, replay } from '../../src/domain';
import {
  COURT_A,
  ORGS,
  TestLedger,
  ZAB,
  BAMF,
  dublinWithAbsconding,
  manifestlyUnfoundedReturnInWindow,
  noon,
  protectionToAllocation,
  rejectionWithAppeal,
  returneeFollowUp,
  zabCaseworker,
} from './fixtures';

function codes(l: TestLedger): string[] {
  return (l.last?.warnings ?? []).map((w) => w.code).sort();
}

describe('realistic cases', () => {
  test('protection → allocation: allocated, final, no warnings, allocation notice met', () => {
    const l = new TestLedger();
    protectionToAllocation(l);
    const view = l.last!.view;
    expect(view.phase).toBe('ALLOCATED');
    expect(view.outcome).toBe('REFUGEE_STATUS_GRANTED');
    expect(view.flags).toMatchObject({ protectionInForce: true, decisionFinal: true, allocated: true, procedurePending: false });
    // 2026-02-02 (Mon) + 3 working days = Thu 2026-02-05
    expect(view.dates.allocationNoticeDue).toBe('2026-02-05');
    // served Wed 2026-02-04 + 2 weeks = Wed 2026-02-18
    expect(view.dates.remedyDeadline).toBe('2026-02-18');
    expect(view.dates.departureDeadline).toBeNull();
    expect(view.warnings).toEqual([]);
    expect(view.actions).toEqual([]);
    expect(replay(l.history, { orgs: ORGS }).ok).toBe(true);
  });

  test('rejection with appeal: suspensive appeal, departure 30 days after finality', () => {
    const l = new TestLedger();
    rejectionWithAppeal(l);
    const view = l.last!.view;
    expect(view.phase).toBe('FINAL');
    expect(view.outcome).toBe('REJECTED_UNFOUNDED');
    // finalOn Tue 2026-09-15 + 30 days = Thu 2026-10-15
    expect(view.dates.departureDeadline).toBe('2026-10-15');
    expect(view.suspensiveEffect).toBeNull();
  });

  test('Dublin with absconding: 18 months from acceptance', () => {
    const l = new TestLedger();
    dublinWithAbsconding(l);
    const view = l.last!.view;
    // accepted 2026-02-27 + 18 months = 2027-08-27 (Fri)
    expect(view.dates.dublinTransferDeadline).toBe('2027-08-27');
    expect(view.flags.absconded).toBe(true);
    expect(view.actions.map((a) => [a.code, a.agency])).toContainEqual(['ARRANGE_TRANSFER', ZAB]);
    const arrange = view.actions.find((a) => a.code === 'ARRANGE_TRANSFER');
    expect(arrange?.due).toBe('2027-08-27');
  });

  test('lost fax: return scheduled inside the remedy window is blocked; the urgent application through ZAB is a ReturnConflict', () => {
    const l = new TestLedger();
    manifestlyUnfoundedReturnInWindow(l);
    const scheduled = l.last!;
    expect(scheduled.blocked).toBe(true);
    expect(scheduled.blockedReasons).toEqual(expect.arrayContaining(['RET_REMEDY_WINDOW_OPEN', 'RET_DEPARTURE_PERIOD_RUNNING']));
    expect(scheduled.chaincodeEvent.name).toBe('ReturnConflict');
    expect(scheduled.view.phase).toBe('ENFORCEMENT');

    const urgent = l.write('URGENT_APPLICATION_FILED', { court: 'VG-DD-TEST', courtRef: COURT_A, filedOn: '2026-02-09' }, zabCaseworker);
    expect(urgent.chaincodeEvent.name).toBe('ReturnConflict');
    expect(urgent.storedWarnings.map((w) => w.code)).toContain('RET_URGENT_APPLICATION');
    const w = urgent.storedWarnings.find((x) => x.code === 'RET_URGENT_APPLICATION')!;
    expect(w.anchors).toEqual([urgent.event.txId]);
    expect(w.id).toBe(`RET_URGENT_APPLICATION:${urgent.event.txId}`);
    expect(urgent.view.suspensiveEffect).toEqual({ reason: 'URGENT_PENDING', reasons: ['URGENT_PENDING'] });

    // the same fax reaching BAMF too is a confirmation: recorded, changes nothing, no new conflict
    const confirmation = l.write('URGENT_APPLICATION_FILED', { court: 'VG-DD-TEST', courtRef: COURT_A, filedOn: '2026-02-09' }, { mspId: BAMF, enrollmentId: 'test-bamf-adapter', role: 'adapter' });
    expect(confirmation.event.confirmationOf).toBe(urgent.event.txId);
    expect(confirmation.chaincodeEvent.name).toBe('CaseEventRecorded');
    expect(confirmation.storedView.warnings).toEqual(urgent.storedView.warnings);
  });

  test("returnee's follow-up application reopens the closed case and blocks a new return", () => {
    const l = new TestLedger();
    returneeFollowUp(l);
    const view = l.last!.view;
    expect(view.flags.closed).toBe(false);
    expect(view.flags.followUpPending).toBe(true);
    expect(view.phase).toBe('PROCEDURE');
    l.today = '2026-11-03';
    const ret = l.write('RETURN_SCHEDULED', { kind: 'DEPORTATION' });
    expect(ret.blocked).toBe(true);
    expect(ret.blockedReasons).toContain('RET_FOLLOW_UP_PENDING');
    expect(codes(l)).toContain('RET_FOLLOW_UP_PENDING');
  });

  test('the stored view is the fold of the events at the write time', () => {
    const l = new TestLedger();
    manifestlyUnfoundedReturnInWindow(l);
    expect(l.last!.storedView).toEqual(caseViewAt(l.history, l.last!.event.recordedAt, ORGS, { clock: false }));
    expect(l.last!.view).toEqual(caseViewAt(l.history, noon(l.today), ORGS, { clock: true }));
    expect(l.last!.state).toEqual(foldCase(l.history));
  });
});
