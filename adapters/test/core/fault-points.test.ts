import { faultPointsFrom } from '../../src/bin/adapter';

describe('fault injection variables (ASL_FAULT_KILL_AFTER_*)', () => {
  it('are inert unless set', () => {
    expect(faultPointsFrom({ PATH: '/usr/bin', ASL_FAULT_OTHER: '3' })).toEqual({});
  });

  it('name the n-th pass through each step', () => {
    expect(
      faultPointsFrom({
        ASL_FAULT_KILL_AFTER_STORE: '1',
        ASL_FAULT_KILL_AFTER_ACCEPT: '2',
        ASL_FAULT_KILL_AFTER_SUBMIT: '3',
        ASL_FAULT_KILL_AFTER_COMMIT: '4',
        ASL_FAULT_KILL_AFTER_OUTBOUND: '25',
      }),
    ).toEqual({ killAfterStore: 1, killAfterAccept: 2, killAfterSubmit: 3, killAfterCommit: 4, killAfterOutbound: 25 });
  });

  it.each(['', '0', '-1', '1.5', 'abc', ' 2'])('refuse %j, so a typo cannot pass for inert', (value) => {
    expect(() => faultPointsFrom({ ASL_FAULT_KILL_AFTER_SUBMIT: value })).toThrow('ASL_FAULT_KILL_AFTER_SUBMIT must be a positive integer');
  });
});
