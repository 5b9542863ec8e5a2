/**
 * Every rule of domain.md §5: a case where it fires and one where it must not, with deadline edges (the
 * day before, of and after; month ends; Saturday; Buß- und Bettag; the summer-time switch at midnight).
 */
import {
  WARNING_CODES,
  WARNING_RULES,
  berlinDayStart,
  evaluateWarnings,
  foldCase,
  judgeReturn,
  type ReturnKind,
  type Warning,
  type WarningCode,
} from '../../src/domain';
import { BAMF, COURT_A, COURT_B, TestLedger, ZAB, bamfCaseworker, noon, zabCaseworker } from './fixtures';
import { appealFiled, decided, dublinAccepted, final, followUpFiled, pending, registered, served, suspensiveOrdered, urgentFiled, type Setup } from './setups';

function warningsAt(l: TestLedger, instant: string): Warning[] {
  return evaluateWarnings(l.history, instant, { clock: true });
}
function codesAt(l: TestLedger, instant: string): WarningCode[] {
  return warningsAt(l, instant).map((w) => w.code);
}
function ledger(setup: Setup, kind?: ReturnKind): TestLedger {
  const l = new TestLedger();
  setup(l);
  if (kind !== undefined) l.write('RETURN_SCHEDULED', { kind });
  return l;
}
/** The RET rules judged for a planned return (return-check) on a Berlin date. */
function judged(setup: Setup, kind: ReturnKind, today: string): WarningCode[] {
  const l = ledger(setup);
  return judgeReturn(foldCase(l.history), kind, today).map((f) => f.code);
}

describe('rule table', () => {
  test('every code has a rule with the severity and kind of §5', () => {
    expect(Object.keys(WARNING_RULES).sort()).toEqual([...WARNING_CODES].sort());
    const clock = WARNING_CODES.filter((c) => WARNING_RULES[c].clock).sort();
    expect(clock).toEqual(['ALLOC_NOTICE_OVERDUE', 'RET_DEPARTURE_PERIOD_RUNNING', 'RET_DUBLIN_DEADLINE_PASSED', 'RET_REMEDY_WINDOW_OPEN', 'RET_TOLERATION_VALID']);
    const warningOnly = WARNING_CODES.filter((c) => WARNING_RULES[c].severity === 'WARNING').sort();
    expect(warningOnly).toEqual(['ALLOC_NOTICE_OVERDUE', 'COURT_FACT_AFTER_RETURN', 'FINALITY_CONTRADICTED', 'RET_TOLERATION_VALID']);
  });

  test('RET rules apply only while a return is scheduled', () => {
    const l = ledger(pending);
    expect(codesAt(l, noon('2026-01-06'))).toEqual([]);
    l.write('RETURN_SCHEDULED', { kind: 'DEPORTATION' });
    expect(codesAt(l, noon('2026-01-06'))).toContain('RET_PROCEDURE_PENDING');
    l.write('RETURN_CANCELLED', { cancellationReason: 'X' });
    expect(codesAt(l, noon('2026-01-06'))).toEqual([]);
  });

  test('a warning is {id, code, severity, caseId, anchors, openedAt, evaluatedAt, clock}; id = code + first anchor', () => {
    const l = ledger(pending, 'DEPORTATION');
    const [w] = warningsAt(l, '2026-01-06T08:00:00Z').filter((x) => x.code === 'RET_PROCEDURE_PENDING');
    expect(w).toEqual({
      id: `RET_PROCEDURE_PENDING:${l.txOf('APPLICATION_FILED')}`,
      code: 'RET_PROCEDURE_PENDING',
      severity: 'BLOCKING',
      caseId: l.caseId,
      anchors: [l.txOf('APPLICATION_FILED')],
      openedAt: l.history.find((e) => e.type === 'RETURN_SCHEDULED')!.recordedAt,
      evaluatedAt: '2026-01-06T08:00:00Z',
      clock: false,
      acknowledgedBy: [],
    });
  });
});

describe('RET_PROTECTION_GRANTED', () => {
  test('fires when protection is in force, anchored on the protection decision', () => {
    const l = ledger(served('REFUGEE_STATUS_GRANTED'), 'DEPORTATION');
    const w = warningsAt(l, noon('2026-06-01')).find((x) => x.code === 'RET_PROTECTION_GRANTED');
    expect(w?.anchors).toEqual([l.txOf('DECISION_ISSUED')]);
    expect(w?.severity).toBe('BLOCKING');
  });
  test('does not fire after a rejection', () => {
    expect(codesAt(ledger(final('REJECTED_UNFOUNDED'), 'DEPORTATION'), noon('2026-06-01'))).not.toContain('RET_PROTECTION_GRANTED');
  });
  test('does not fire once the protection is withdrawn', () => {
    const l = ledger(served('REFUGEE_STATUS_GRANTED'));
    l.write('DECISION_WITHDRAWN', { withdrawalReason: 'X' });
    l.write('RETURN_SCHEDULED', { kind: 'DEPORTATION' });
    expect(codesAt(l, noon('2026-06-01'))).not.toContain('RET_PROTECTION_GRANTED');
  });
});

describe('RET_PROCEDURE_PENDING', () => {
  test('fires while the procedure is pending, anchored on the event that started it', () => {
    const l = ledger(pending, 'DEPORTATION');
    expect(warningsAt(l, noon('2026-01-06')).find((w) => w.code === 'RET_PROCEDURE_PENDING')?.anchors).toEqual([l.txOf('APPLICATION_FILED')]);
  });
  test('fires on an unserved negative decision, anchored on it', () => {
    const l = ledger(decided('REJECTED_MANIFESTLY_UNFOUNDED'), 'DEPORTATION');
    expect(warningsAt(l, noon('2026-02-03')).find((w) => w.code === 'RET_PROCEDURE_PENDING')?.anchors).toEqual([l.txOf('DECISION_ISSUED')]);
  });
  test('fires again after a withdrawal, anchored on the withdrawal', () => {
    const l = ledger(final('REJECTED_UNFOUNDED'));
    l.write('DECISION_WITHDRAWN', { withdrawalReason: 'X' });
    l.write('RETURN_SCHEDULED', { kind: 'DEPORTATION' });
    expect(warningsAt(l, noon('2026-03-03')).find((w) => w.code === 'RET_PROCEDURE_PENDING')?.anchors).toEqual([l.txOf('DECISION_WITHDRAWN')]);
  });
  test('does not fire once the decision is served', () => {
    expect(codesAt(ledger(final('REJECTED_MANIFESTLY_UNFOUNDED'), 'DEPORTATION'), noon('2026-03-03'))).not.toContain('RET_PROCEDURE_PENDING');
  });
});

describe('RET_REMEDY_WINDOW_OPEN (⏱, today ≤ remedyDeadline)', () => {
  // REJECTED_MANIFESTLY_UNFOUNDED served Wed 2026-02-04: one week, deadline Wed 2026-02-11
  const l = ledger(served('REJECTED_MANIFESTLY_UNFOUNDED'), 'DEPORTATION');
  test.each([
    ['2026-02-10', true],
    ['2026-02-11', true],
    ['2026-02-12', false],
  ])('on %s: %s', (day, fires) => {
    expect(codesAt(l, noon(day)).includes('RET_REMEDY_WINDOW_OPEN')).toBe(fires);
  });
  test('the deadline day lasts until 24:00 Berlin time (CET: 23:00 UTC)', () => {
    expect(codesAt(l, '2026-02-11T22:59:59Z')).toContain('RET_REMEDY_WINDOW_OPEN');
    expect(codesAt(l, '2026-02-11T23:00:00Z')).not.toContain('RET_REMEDY_WINDOW_OPEN');
  });
  test('two weeks for REJECTED_UNFOUNDED: served 2026-02-04, open on 2026-02-18, closed on 2026-02-19', () => {
    const u = ledger(served('REJECTED_UNFOUNDED'), 'DEPORTATION');
    expect(codesAt(u, noon('2026-02-18'))).toContain('RET_REMEDY_WINDOW_OPEN');
    expect(codesAt(u, noon('2026-02-19'))).not.toContain('RET_REMEDY_WINDOW_OPEN');
  });
  test('a deadline on a Saturday moves to Monday', () => {
    // served Sat 2026-02-07 + 1 week = Sat 2026-02-14 → Mon 2026-02-16
    const s = ledger(served('REJECTED_MANIFESTLY_UNFOUNDED', '2026-02-07'), 'DEPORTATION');
    expect(codesAt(s, noon('2026-02-16'))).toContain('RET_REMEDY_WINDOW_OPEN');
    expect(codesAt(s, noon('2026-02-17'))).not.toContain('RET_REMEDY_WINDOW_OPEN');
  });
  test('a deadline on Buß- und Bettag (Wed 2026-11-18) moves to Thursday', () => {
    const s = ledger(served('INADMISSIBLE_OTHER', '2026-11-11', '2026-11-09'), 'DEPORTATION');
    expect(foldCase(s.history).decision?.served?.servedOn).toBe('2026-11-11');
    expect(codesAt(s, noon('2026-11-19'))).toContain('RET_REMEDY_WINDOW_OPEN');
    expect(codesAt(s, noon('2026-11-20'))).not.toContain('RET_REMEDY_WINDOW_OPEN');
  });
  test('an inadmissible follow-up decision opens a one-week window of its own', () => {
    const f = ledger(followUpFiled);
    f.today = '2026-05-20';
    f.write('FOLLOW_UP_APPLICATION_DECIDED', { result: 'INADMISSIBLE', servedOn: '2026-05-20' });
    f.write('RETURN_SCHEDULED', { kind: 'DEPORTATION' });
    const w = warningsAt(f, noon('2026-05-27')).find((x) => x.code === 'RET_REMEDY_WINDOW_OPEN');
    expect(w?.anchors).toEqual([f.txOf('FOLLOW_UP_APPLICATION_DECIDED')]);
    expect(codesAt(f, noon('2026-05-28'))).not.toContain('RET_REMEDY_WINDOW_OPEN');
  });
});

describe('RET_DEPARTURE_PERIOD_RUNNING (⏱, DEPORTATION and today ≤ departureDeadline)', () => {
  // REJECTED_UNFOUNDED served Wed 2026-02-04 + 30 days = Fri 2026-03-06
  test.each([
    ['2026-03-05', true],
    ['2026-03-06', true],
    ['2026-03-07', false],
  ])('on %s: %s', (day, fires) => {
    const l = ledger(served('REJECTED_UNFOUNDED'), 'DEPORTATION');
    expect(codesAt(l, noon(day)).includes('RET_DEPARTURE_PERIOD_RUNNING')).toBe(fires);
  });
  test('not for a Dublin transfer', () => {
    expect(judged(served('REJECTED_UNFOUNDED'), 'DUBLIN_TRANSFER', '2026-02-20')).not.toContain('RET_DEPARTURE_PERIOD_RUNNING');
  });
  test('anchored on COURT_PROCEEDINGS_CONCLUDED after an appeal', () => {
    const l = ledger(appealFiled);
    l.write('COURT_PROCEEDINGS_CONCLUDED', { courtRef: COURT_A, result: 'DECISION_UPHELD', finalOn: '2026-09-15' });
    l.write('RETURN_SCHEDULED', { kind: 'DEPORTATION' });
    const w = warningsAt(l, noon('2026-10-15')).find((x) => x.code === 'RET_DEPARTURE_PERIOD_RUNNING');
    expect(w?.anchors).toEqual([l.txOf('COURT_PROCEEDINGS_CONCLUDED')]);
    expect(codesAt(l, noon('2026-10-16'))).not.toContain('RET_DEPARTURE_PERIOD_RUNNING');
  });
});

describe('RET_SUSPENSIVE_APPEAL (§ 75)', () => {
  test('fires on an appeal against REJECTED_UNFOUNDED', () => {
    const l = ledger(appealFiled, 'DEPORTATION');
    expect(warningsAt(l, noon('2026-06-01')).find((w) => w.code === 'RET_SUSPENSIVE_APPEAL')?.anchors).toEqual([l.txOf('APPEAL_FILED')]);
  });
  test('fires on an appeal against PROTECTION_REVOKED', () => {
    const l = new TestLedger();
    final('REFUGEE_STATUS_GRANTED')(l);
    l.write('REVOCATION_PROCEEDINGS_STARTED', {});
    l.write('HEARING_SCHEDULED', { hearingOn: '2026-03-10' });
    l.write('HEARING_HELD', {});
    l.write('DECISION_ISSUED', { outcome: 'PROTECTION_REVOKED', decidedOn: '2026-03-20' });
    l.write('DECISION_SERVED', { servedOn: '2026-03-23' });
    l.write('APPEAL_FILED', { court: 'VG-DD-TEST', courtRef: COURT_A, filedOn: '2026-03-30' });
    l.write('RETURN_SCHEDULED', { kind: 'DEPORTATION' });
    expect(codesAt(l, noon('2026-06-01'))).toContain('RET_SUSPENSIVE_APPEAL');
  });
  test('does not fire on an appeal against REJECTED_MANIFESTLY_UNFOUNDED (no suspensive effect by law)', () => {
    const l = ledger(served('REJECTED_MANIFESTLY_UNFOUNDED'));
    l.write('APPEAL_FILED', { court: 'VG-DD-TEST', courtRef: COURT_A, filedOn: '2026-02-10' });
    l.write('RETURN_SCHEDULED', { kind: 'DEPORTATION' });
    expect(codesAt(l, noon('2026-06-01'))).not.toContain('RET_SUSPENSIVE_APPEAL');
  });
  test('does not fire once the appeal is concluded', () => {
    const l = ledger(appealFiled);
    l.write('COURT_PROCEEDINGS_CONCLUDED', { courtRef: COURT_A, result: 'APPEAL_WITHDRAWN', finalOn: '2026-03-01' });
    l.write('RETURN_SCHEDULED', { kind: 'DEPORTATION' });
    expect(codesAt(l, noon('2026-06-01'))).not.toContain('RET_SUSPENSIVE_APPEAL');
  });
});

describe('RET_URGENT_APPLICATION', () => {
  test('fires while an urgent application is pending', () => {
    const l = ledger(urgentFiled, 'DEPORTATION');
    expect(warningsAt(l, noon('2026-06-01')).find((w) => w.code === 'RET_URGENT_APPLICATION')?.anchors).toEqual([l.txOf('URGENT_APPLICATION_FILED')]);
  });
  test('fires while suspensive effect is ordered, anchored on the application and the order', () => {
    const l = ledger(suspensiveOrdered, 'DEPORTATION');
    expect(warningsAt(l, noon('2026-06-01')).find((w) => w.code === 'RET_URGENT_APPLICATION')?.anchors).toEqual([
      l.txOf('URGENT_APPLICATION_FILED'),
      l.txOf('URGENT_APPLICATION_DECIDED'),
    ]);
  });
  test('does not fire after the application is rejected', () => {
    const l = ledger(urgentFiled);
    l.write('URGENT_APPLICATION_DECIDED', { courtRef: COURT_A, result: 'REJECTED', decidedOn: '2026-02-20' });
    l.write('RETURN_SCHEDULED', { kind: 'DEPORTATION' });
    expect(codesAt(l, noon('2026-06-01'))).not.toContain('RET_URGENT_APPLICATION');
  });
  test('does not fire after the ordered proceedings are concluded', () => {
    const l = ledger(suspensiveOrdered);
    l.write('APPEAL_FILED', { court: 'VG-DD-TEST', courtRef: COURT_B, filedOn: '2026-02-06' });
    l.write('COURT_PROCEEDINGS_CONCLUDED', { courtRef: COURT_B, result: 'DECISION_UPHELD', finalOn: '2026-05-04' });
    l.write('RETURN_SCHEDULED', { kind: 'DEPORTATION' });
    expect(codesAt(l, noon('2026-07-01'))).not.toContain('RET_URGENT_APPLICATION');
  });
});

describe('RET_FOLLOW_UP_PENDING (§ 71)', () => {
  test('fires while a follow-up application is pending', () => {
    const l = ledger(followUpFiled, 'DEPORTATION');
    expect(warningsAt(l, noon('2026-05-05')).find((w) => w.code === 'RET_FOLLOW_UP_PENDING')?.anchors).toEqual([l.txOf('FOLLOW_UP_APPLICATION_FILED')]);
  });
  test('does not fire once it is decided', () => {
    const l = ledger(followUpFiled);
    l.write('FOLLOW_UP_APPLICATION_DECIDED', { result: 'INADMISSIBLE', servedOn: '2026-05-20' });
    l.write('RETURN_SCHEDULED', { kind: 'DEPORTATION' });
    expect(codesAt(l, noon('2026-07-01'))).not.toContain('RET_FOLLOW_UP_PENDING');
  });
});

describe('RET_DEPORTATION_STAY', () => {
  test('fires while a stay is in force for any courtRef, anchored on every stay in force', () => {
    const l = ledger(final('REJECTED_MANIFESTLY_UNFOUNDED'));
    l.write('DEPORTATION_STAY_NOTIFIED', { courtRef: COURT_A });
    l.write('DEPORTATION_STAY_NOTIFIED', { courtRef: COURT_B });
    l.write('RETURN_SCHEDULED', { kind: 'DEPORTATION' });
    const stays = l.history.filter((e) => e.type === 'DEPORTATION_STAY_NOTIFIED').map((e) => e.txId);
    expect(warningsAt(l, noon('2026-04-01')).find((w) => w.code === 'RET_DEPORTATION_STAY')?.anchors).toEqual(stays);
    l.write('DEPORTATION_STAY_LIFTED', { courtRef: COURT_A });
    expect(warningsAt(l, noon('2026-04-01')).find((w) => w.code === 'RET_DEPORTATION_STAY')?.anchors).toEqual([stays[1]]);
    l.write('DEPORTATION_STAY_LIFTED', { courtRef: COURT_B });
    expect(codesAt(l, noon('2026-04-01'))).not.toContain('RET_DEPORTATION_STAY');
  });
});

describe('RET_KIND_MISMATCH', () => {
  test('a DEPORTATION after INADMISSIBLE_DUBLIN fires', () => {
    const setup: Setup = (l) => {
      dublinAccepted(l);
      l.write('DECISION_ISSUED', { outcome: 'INADMISSIBLE_DUBLIN', decidedOn: '2026-02-02' });
      l.write('DECISION_SERVED', { servedOn: '2026-02-04' });
    };
    expect(judged(setup, 'DEPORTATION', '2026-03-02')).toContain('RET_KIND_MISMATCH');
    expect(judged(setup, 'DUBLIN_TRANSFER', '2026-03-02')).not.toContain('RET_KIND_MISMATCH');
    const l = ledger(setup, 'DEPORTATION');
    expect(warningsAt(l, noon('2026-03-02')).find((w) => w.code === 'RET_KIND_MISMATCH')?.anchors).toEqual([l.txOf('RETURN_SCHEDULED')]);
  });
  test('a DUBLIN_TRANSFER after a rejection on the merits fires; a DEPORTATION does not', () => {
    expect(judged(final('REJECTED_MANIFESTLY_UNFOUNDED'), 'DUBLIN_TRANSFER', '2026-03-02')).toContain('RET_KIND_MISMATCH');
    expect(judged(final('REJECTED_MANIFESTLY_UNFOUNDED'), 'DEPORTATION', '2026-03-02')).not.toContain('RET_KIND_MISMATCH');
  });
  test('a DEPORTATION with no decision at all fires', () => {
    expect(judged(registered, 'DEPORTATION', '2026-01-06')).toContain('RET_KIND_MISMATCH');
  });
  test('a DUBLIN_TRANSFER after the Dublin procedure ended fires', () => {
    const setup: Setup = (l) => {
      dublinAccepted(l);
      l.write('DECISION_ISSUED', { outcome: 'INADMISSIBLE_DUBLIN', decidedOn: '2026-02-02' });
      l.write('DUBLIN_PROCEDURE_ENDED', { basis: 'DEADLINE_EXPIRED' });
    };
    expect(judged(setup, 'DUBLIN_TRANSFER', '2026-03-02')).toContain('RET_KIND_MISMATCH');
  });
});

describe('RET_DUBLIN_DEADLINE_PASSED (⏱, DUBLIN_TRANSFER and today > dublinTransferDeadline)', () => {
  function dublin(acceptedOn: string): TestLedger {
    const l = new TestLedger();
    l.today = '2025-06-02';
    l.write('CASE_REGISTERED', { facility: 'AE-DD-TEST', registeredOn: '2025-06-02' });
    l.write('APPLICATION_FILED', { filedOn: '2025-06-02' });
    l.write('DUBLIN_PROCEDURE_STARTED', { memberState: 'PL' });
    l.today = acceptedOn;
    l.write('DUBLIN_TRANSFER_ACCEPTED', { acceptedOn });
    l.write('DECISION_ISSUED', { outcome: 'INADMISSIBLE_DUBLIN', decidedOn: acceptedOn });
    l.write('DECISION_SERVED', { servedOn: acceptedOn });
    l.write('RETURN_SCHEDULED', { kind: 'DUBLIN_TRANSFER' });
    return l;
  }
  test('31 Aug + 6 months = 28 Feb (a Saturday in 2026) → Monday 2 March', () => {
    const l = dublin('2025-08-31');
    expect(l.last!.view.dates.dublinTransferDeadline).toBe('2026-03-02');
    expect(codesAt(l, noon('2026-03-01'))).not.toContain('RET_DUBLIN_DEADLINE_PASSED');
    expect(codesAt(l, noon('2026-03-02'))).not.toContain('RET_DUBLIN_DEADLINE_PASSED');
    const w = warningsAt(l, noon('2026-03-03')).find((x) => x.code === 'RET_DUBLIN_DEADLINE_PASSED');
    expect(w?.anchors).toEqual([l.txOf('DUBLIN_TRANSFER_ACCEPTED')]);
    expect(w?.openedAt).toBe('2026-03-02T23:00:00Z');
  });
  test('31 Aug 2027 + 6 months = 29 Feb 2028 (leap year, a Tuesday)', () => {
    const l = dublin('2027-08-31');
    expect(l.last!.view.dates.dublinTransferDeadline).toBe('2028-02-29');
    expect(codesAt(l, noon('2028-02-29'))).not.toContain('RET_DUBLIN_DEADLINE_PASSED');
    expect(codesAt(l, noon('2028-03-01'))).toContain('RET_DUBLIN_DEADLINE_PASSED');
  });
  test('not for a deportation', () => {
    const l = dublin('2025-08-31');
    expect(judgeReturn(foldCase(l.history), 'DEPORTATION', '2026-04-01').map((f) => f.code)).not.toContain('RET_DUBLIN_DEADLINE_PASSED');
  });
});

describe('RET_TOLERATION_VALID (⏱, WARNING)', () => {
  function tolerated(validUntil: string): TestLedger {
    const l = ledger(final('REJECTED_MANIFESTLY_UNFOUNDED'));
    l.write('TOLERATION_GRANTED', { validUntil });
    l.write('RETURN_SCHEDULED', { kind: 'DEPORTATION' });
    return l;
  }
  test('fires up to and including validUntil, not after', () => {
    const l = tolerated('2026-04-30');
    expect(codesAt(l, noon('2026-04-30'))).toContain('RET_TOLERATION_VALID');
    expect(codesAt(l, noon('2026-05-01'))).not.toContain('RET_TOLERATION_VALID');
  });
  test('the summer-time switch: 2026-03-28T23:30:00Z is already 2026-03-29 in Berlin', () => {
    const l = tolerated('2026-03-28');
    expect(codesAt(l, '2026-03-28T22:59:00Z')).toContain('RET_TOLERATION_VALID');
    expect(codesAt(l, '2026-03-28T23:30:00Z')).not.toContain('RET_TOLERATION_VALID');
  });
  test('in summer time the Berlin day ends at 22:00 UTC', () => {
    const l = tolerated('2026-07-15');
    expect(codesAt(l, '2026-07-15T21:59:59Z')).toContain('RET_TOLERATION_VALID');
    expect(codesAt(l, '2026-07-15T22:00:00Z')).not.toContain('RET_TOLERATION_VALID');
  });
  test('does not fire once revoked, and alone does not block', () => {
    const l = tolerated('2026-04-30');
    expect(l.last!.blockedReasons).not.toContain('RET_TOLERATION_VALID');
    l.write('TOLERATION_REVOKED', {});
    expect(codesAt(l, noon(l.today))).not.toContain('RET_TOLERATION_VALID');
  });
});

describe('FINALITY_CONTRADICTED', () => {
  test('fires for a court fact recorded after DECISION_FINAL, anchored on it, whatever the return state', () => {
    const l = ledger(final('REJECTED_UNFOUNDED'));
    l.write('APPEAL_FILED', { court: 'VG-DD-TEST', courtRef: COURT_A, filedOn: '2026-02-17' });
    const w = l.last!.storedWarnings.find((x) => x.code === 'FINALITY_CONTRADICTED');
    expect(w?.anchors).toEqual([l.txOf('APPEAL_FILED')]);
    expect(w?.severity).toBe('WARNING');
  });
  test('does not fire for a court fact before finality', () => {
    const l = ledger(appealFiled);
    expect(l.last!.storedWarnings.map((x) => x.code)).not.toContain('FINALITY_CONTRADICTED');
  });
  test('closes when the contradicted decision is withdrawn', () => {
    const l = ledger(final('REJECTED_UNFOUNDED'));
    l.write('APPEAL_FILED', { court: 'VG-DD-TEST', courtRef: COURT_A, filedOn: '2026-02-17' });
    l.write('DECISION_WITHDRAWN', { withdrawalReason: 'X' });
    expect(l.last!.storedWarnings.map((x) => x.code)).not.toContain('FINALITY_CONTRADICTED');
  });
});

describe('COURT_FACT_AFTER_RETURN', () => {
  function returned(): TestLedger {
    const l = ledger(final('REJECTED_MANIFESTLY_UNFOUNDED'));
    l.write('RETURN_SCHEDULED', { kind: 'DEPORTATION' });
    l.write('RETURN_COMPLETED', { completedOn: '2026-03-02' });
    return l;
  }
  test.each(['APPEAL_FILED', 'URGENT_APPLICATION_FILED', 'DEPORTATION_STAY_NOTIFIED'] as const)('fires for %s after the return', (type) => {
    const l = returned();
    const data = type === 'DEPORTATION_STAY_NOTIFIED' ? { courtRef: COURT_A } : { court: 'VG-DD-TEST', courtRef: COURT_A, filedOn: '2026-03-01' };
    l.write(type, data);
    expect(l.last!.storedWarnings.find((w) => w.code === 'COURT_FACT_AFTER_RETURN')?.anchors).toEqual([l.txOf(type)]);
  });
  test('does not fire for a court fact before the return', () => {
    const l = ledger(final('REJECTED_MANIFESTLY_UNFOUNDED'));
    l.write('DEPORTATION_STAY_NOTIFIED', { courtRef: COURT_A });
    l.write('DEPORTATION_STAY_LIFTED', { courtRef: COURT_A });
    l.write('RETURN_SCHEDULED', { kind: 'DEPORTATION' });
    l.write('RETURN_COMPLETED', { completedOn: '2026-03-02' });
    expect(l.last!.storedWarnings.map((w) => w.code)).not.toContain('COURT_FACT_AFTER_RETURN');
  });
  test('does not fire for a decision on an urgent application (not an appeal, application or stay)', () => {
    const l = ledger(urgentFiled);
    l.write('URGENT_APPLICATION_DECIDED', { courtRef: COURT_A, result: 'REJECTED', decidedOn: '2026-02-20' });
    l.write('RETURN_SCHEDULED', { kind: 'DEPORTATION' });
    l.write('RETURN_COMPLETED', { completedOn: '2026-03-02' });
    expect(l.last!.storedWarnings.map((w) => w.code)).not.toContain('COURT_FACT_AFTER_RETURN');
  });
});

describe('ALLOC_NOTICE_OVERDUE (⏱)', () => {
  // protection decided Mon 2026-02-02: due Thu 2026-02-05
  test('fires the day after allocationNoticeDue, not on it; opened at the start of that Berlin day', () => {
    const l = ledger(decided('ASYLUM_GRANTED'));
    expect(l.last!.view.dates.allocationNoticeDue).toBe('2026-02-05');
    expect(codesAt(l, noon('2026-02-04'))).not.toContain('ALLOC_NOTICE_OVERDUE');
    expect(codesAt(l, noon('2026-02-05'))).not.toContain('ALLOC_NOTICE_OVERDUE');
    const w = warningsAt(l, noon('2026-02-06')).find((x) => x.code === 'ALLOC_NOTICE_OVERDUE');
    expect(w?.anchors).toEqual([l.txOf('DECISION_ISSUED')]);
    expect(w?.openedAt).toBe(berlinDayStart('2026-02-06'));
    expect(w?.openedAt).toBe('2026-02-05T23:00:00Z');
    expect(w?.clock).toBe(true);
  });
  test('working days skip Christmas: decided Wed 2026-12-23 → due Tue 2026-12-29', () => {
    const l = ledger(decided('ASYLUM_GRANTED', '2026-12-23'));
    expect(l.last!.view.dates.allocationNoticeDue).toBe('2026-12-29');
  });
  test('anchored on the order of suspensive effect', () => {
    const l = ledger(suspensiveOrdered);
    // ordered Fri 2026-02-20: due Wed 2026-02-25
    expect(l.last!.view.dates.allocationNoticeDue).toBe('2026-02-25');
    expect(warningsAt(l, noon('2026-02-26')).find((x) => x.code === 'ALLOC_NOTICE_OVERDUE')?.anchors).toEqual([l.txOf('URGENT_APPLICATION_DECIDED')]);
  });
  test('does not fire once allocated', () => {
    const l = ledger(decided('ASYLUM_GRANTED'));
    l.write('MUNICIPALITY_ALLOCATED', { municipality: '14612000', authority: 'ABH-DD-TEST', basis: 'PROTECTION' });
    expect(codesAt(l, noon('2026-03-01'))).not.toContain('ALLOC_NOTICE_OVERDUE');
  });
  test('clock rules are never stored', () => {
    const l = ledger(decided('ASYLUM_GRANTED'));
    l.today = '2026-03-02';
    const r = l.write('RECEPTION_ASSIGNED', { facility: 'AE-DD-TEST2' });
    expect(r.warnings.map((w) => w.code)).toContain('ALLOC_NOTICE_OVERDUE');
    expect(r.storedWarnings.map((w) => w.code)).not.toContain('ALLOC_NOTICE_OVERDUE');
    expect(r.storedView.warnings.every((w) => !w.clock)).toBe(true);
  });
});

describe('WARNING_ACKNOWLEDGED', () => {
  test('records the agency on the warning; the warning stays open while its rule holds', () => {
    const l = ledger(pending, 'DEPORTATION');
    const id = `RET_PROCEDURE_PENDING:${l.txOf('APPLICATION_FILED')}`;
    l.write('WARNING_ACKNOWLEDGED', { code: 'RET_PROCEDURE_PENDING', anchorTxId: l.txOf('APPLICATION_FILED') }, zabCaseworker);
    const w = l.last!.warnings.find((x) => x.id === id);
    expect(w?.acknowledgedBy).toEqual([ZAB]);
    l.write('WARNING_ACKNOWLEDGED', { code: 'RET_PROCEDURE_PENDING', anchorTxId: l.txOf('APPLICATION_FILED') }, bamfCaseworker);
    expect(l.last!.warnings.find((x) => x.id === id)?.acknowledgedBy).toEqual([BAMF, ZAB]);
  });
  test('a clock warning can be acknowledged only while open at the transaction time', () => {
    const l = ledger(decided('ASYLUM_GRANTED'));
    const data = { code: 'ALLOC_NOTICE_OVERDUE', anchorTxId: l.txOf('DECISION_ISSUED') };
    expect(l.refusal('WARNING_ACKNOWLEDGED', data, zabCaseworker, { at: noon('2026-02-05') })?.detail).toEqual({ conflicting: ['WARNING_NOT_OPENED'] });
    expect(l.refusal('WARNING_ACKNOWLEDGED', data, zabCaseworker, { at: noon('2026-02-06') })).toBeUndefined();
  });
});

describe('ReturnConflict', () => {
  test('a write that adds a BLOCKING event rule while a return is scheduled', () => {
    const l = ledger(final('REJECTED_MANIFESTLY_UNFOUNDED'));
    l.today = '2026-03-02';
    l.write('RETURN_SCHEDULED', { kind: 'DEPORTATION' });
    expect(l.last!.blocked).toBe(false);
    expect(l.last!.chaincodeEvent.name).toBe('CaseEventRecorded');
    expect(l.write('DEPORTATION_STAY_NOTIFIED', { courtRef: COURT_A }).chaincodeEvent.name).toBe('ReturnConflict');
    // a second stay adds an anchor: news as much as the first
    expect(l.write('DEPORTATION_STAY_NOTIFIED', { courtRef: COURT_B }).chaincodeEvent.name).toBe('ReturnConflict');
    expect(l.write('DEPORTATION_STAY_LIFTED', { courtRef: COURT_B }).chaincodeEvent.name).toBe('CaseEventRecorded');
  });
  test('no ReturnConflict without a scheduled return', () => {
    const l = ledger(final('REJECTED_MANIFESTLY_UNFOUNDED'));
    expect(l.write('DEPORTATION_STAY_NOTIFIED', { courtRef: COURT_A }).chaincodeEvent.name).toBe('CaseEventRecorded');
  });
  test('RETURN_EXECUTION_STARTED judges every rule again, clock rules included', () => {
    const l = ledger(final('REJECTED_MANIFESTLY_UNFOUNDED'));
    l.write('TOLERATION_GRANTED', { validUntil: '2026-03-31' });
    l.today = '2026-03-02';
    const scheduled = l.write('RETURN_SCHEDULED', { kind: 'DEPORTATION' });
    expect(scheduled.blocked).toBe(false);
    l.write('FOLLOW_UP_APPLICATION_FILED', { filedOn: '2026-03-03' });
    const started = l.write('RETURN_EXECUTION_STARTED', {});
    expect(started.blocked).toBe(true);
    expect(started.blockedReasons).toEqual(['RET_FOLLOW_UP_PENDING']);
    expect(started.chaincodeEvent.name).toBe('ReturnConflict');
    expect(started.chaincodeEvent.payload).toMatchObject({ blocked: true, reasons: ['RET_FOLLOW_UP_PENDING'], txId: started.event.txId });
  });
});
