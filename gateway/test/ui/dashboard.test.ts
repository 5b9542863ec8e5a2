import { PHASES, WARNING_CODES } from '@asl/chaincode/domain';
import { axisMax, phaseRows, stageRows, validPeriod, warningRows, type StatsResponse } from '../../ui/src/logic/dashboard';
import { codesOf } from '../../ui/src/logic/i18n';

const STATS: StatsResponse = {
  from: null,
  to: null,
  cases: 3,
  perPhase: { ENFORCEMENT: 1, INTAKE: 2 },
  openWarningsByRule: { RET_REMEDY_WINDOW_OPEN: 1, RET_DEPORTATION_STAY: 2, RET_KIND_MISMATCH: 1, ALLOC_NOTICE_OVERDUE: 0 },
  overdueActions: 0,
  throughputDays: {
    decisionToService: { count: 1, medianDays: 4, unit: 'calendarDays' },
    registrationToApplication: { count: 1, medianDays: 1, unit: 'calendarDays' },
    protectionToAllocation: { count: 0, medianDays: null, unit: 'workingDays', target: 3 },
  },
  evaluatedAt: '2026-11-26T08:00:00.000Z',
};

describe('dashboard logic', () => {
  test('the dictionaries list every phase and return rule of the domain (the client reads them from there)', () => {
    expect([...codesOf('phase')].sort()).toEqual([...PHASES].sort());
    expect(codesOf('warning').filter((c) => c.startsWith('RET_'))).toEqual(WARNING_CODES.filter((c) => c.startsWith('RET_')));
  });

  test('cases per phase: every phase in procedure order, zero included', () => {
    const rows = phaseRows(STATS);
    expect(rows.map((r) => r.code)).toEqual(codesOf('phase'));
    expect(rows.find((r) => r.code === 'INTAKE')?.value).toBe(2);
    expect(rows.find((r) => r.code === 'COURT')?.value).toBe(0);
    expect(rows.reduce((n, r) => n + (r.value ?? 0), 0)).toBe(STATS.cases);
  });

  test('warnings by rule: most first, ties by code, zero counts left out', () => {
    expect(warningRows(STATS)).toEqual([
      { code: 'RET_DEPORTATION_STAY', value: 2 },
      { code: 'RET_KIND_MISMATCH', value: 1 },
      { code: 'RET_REMEDY_WINDOW_OPEN', value: 1 },
    ]);
  });

  test('stages in procedure order with the three-working-day target on protection → allocation', () => {
    expect(stageRows(STATS)).toEqual([
      { code: 'registrationToApplication', value: 1, count: 1 },
      { code: 'decisionToService', value: 4, count: 1 },
      { code: 'protectionToAllocation', value: null, count: 0, targetWorkingDays: 3 },
    ]);
  });

  test('axis ends on a 1/2/5 step above every value and target; periods may be open', () => {
    expect(axisMax([{ code: 'a', value: 0 }])).toBe(1);
    expect(axisMax([{ code: 'a', value: 17 }])).toBe(20);
    expect(axisMax([{ code: 'a', value: 2, targetWorkingDays: 3 }])).toBe(5);
    expect(axisMax([{ code: 'a', value: 100 }])).toBe(100);
    expect(validPeriod('', '')).toBe(true);
    expect(validPeriod('2026-11-01', '')).toBe(true);
    expect(validPeriod('2026-11-02', '2026-11-01')).toBe(false);
  });
});
