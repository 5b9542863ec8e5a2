import { STAGES, workingDaysBetween } from '../../src/readmodel/throughput';
import { TestLedger, decidedAndServed, protectionToAllocation } from '../../../chaincode/test/domain/fixtures';

const stage = (name: string) => {
  const s = STAGES.find((x) => x.name === name);
  if (!s) throw new Error(`no stage ${name}`);
  return s;
};

describe('throughput stages of the steering view', () => {
  it('are the stages the issue names, in procedure order, with the allocation service level in working days', () => {
    expect(STAGES.map((s) => [s.name, s.unit, s.target])).toEqual([
      ['registrationToApplication', 'calendarDays', undefined],
      ['applicationToHearing', 'calendarDays', undefined],
      ['hearingToDecision', 'calendarDays', undefined],
      ['applicationToDecision', 'calendarDays', undefined],
      ['decisionToService', 'calendarDays', undefined],
      ['protectionToAllocation', 'workingDays', 3],
    ]);
  });

  it('measure a rejected case from registration to service by the dates inside the events', () => {
    const l = new TestLedger();
    decidedAndServed(l, 'REJECTED_UNFOUNDED');
    const events = l.history;
    expect(stage('registrationToApplication').measure(events)).toEqual({ days: 1, endedOn: '2026-01-06' });
    expect(stage('applicationToHearing').measure(events)).toEqual({ days: 14, endedOn: '2026-01-20' });
    expect(stage('hearingToDecision').measure(events)).toEqual({ days: 13, endedOn: '2026-02-02' });
    expect(stage('applicationToDecision').measure(events)).toEqual({ days: 27, endedOn: '2026-02-02' });
    expect(stage('decisionToService').measure(events)).toEqual({ days: 2, endedOn: '2026-02-04' });
    expect(stage('protectionToAllocation').measure(events)).toBeUndefined();
  });

  it('count protection → allocation in Saxon working days up to the Berlin day the allocation was recorded', () => {
    const l = new TestLedger();
    protectionToAllocation(l);
    // decided Mon 2026-02-02, allocation recorded Wed 2026-02-04: Tue and Wed are two working days
    expect(stage('protectionToAllocation').measure(l.history)).toEqual({ days: 2, endedOn: '2026-02-04' });
    expect(stage('applicationToHearing').measure(l.history)).toBeUndefined();
  });

  it('skip weekends and Saxon holidays when counting working days', () => {
    expect(workingDaysBetween('2026-02-02', '2026-02-02')).toBe(0);
    expect(workingDaysBetween('2026-02-06', '2026-02-09')).toBe(1); // Fri → Mon
    expect(workingDaysBetween('2026-11-17', '2026-11-19')).toBe(1); // Buß- und Bettag on Wed 18 Nov
    expect(workingDaysBetween('2026-12-23', '2026-12-29')).toBe(3); // 24, 28, 29 Dec
  });
});
