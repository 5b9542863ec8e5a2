import type { Action, Warning } from '@asl/chaincode/domain';
import {
  berlinDate,
  blockingCodes,
  canAcknowledge,
  canRetract,
  compareLedgerOrder,
  daysBetween,
  deadlines,
  isOverdue,
  mergeTimeline,
  plausibleAzr,
  reasonOptions,
  retractionReasons,
  sortActions,
  sortWarnings,
  uiMessageId,
  type TimelineItem,
} from '../../ui/src/logic/model';

const CASE = 'c' + 'a'.repeat(31);

function item(txId: string, blockNumber: string, txIndex: number, type = 'HEARING_HELD', mspId = 'ZabSachsenMSP', extra: Partial<TimelineItem> = {}): TimelineItem {
  const actor = { mspId, enrollmentId: 'zab-caseworker-0001', role: 'caseworker' as const };
  return {
    event: { type, occurredAt: '2026-11-26T09:00:00+01:00', data: {}, sourceMessageId: `m-${txId}` },
    actor,
    receipt: { txId, blockNumber, txIndex, validationCode: 'VALID', endorsers: ['BamfMSP', 'ZabSachsenMSP'], writer: actor, recordedAt: '2026-11-26T08:00:00.000Z', ruleVersion: '1.0.0' },
    retracted: false,
    ...extra,
  };
}

function warning(id: string, severity: Warning['severity'], openedAt: string, acknowledgedBy: string[] = []): Warning {
  return { id, code: 'RET_DEPORTATION_STAY', severity, caseId: CASE, anchors: ['tx1'], openedAt, evaluatedAt: openedAt, clock: false, acknowledgedBy };
}

describe('ledger order', () => {
  test('orders by block number as a big integer, then index', () => {
    const big = { blockNumber: '9007199254740993', txIndex: 0 };
    const bigger = { blockNumber: '9007199254740994', txIndex: 0 };
    expect(compareLedgerOrder(big, bigger)).toBeLessThan(0);
    expect(compareLedgerOrder({ blockNumber: '10', txIndex: 0 }, { blockNumber: '9', txIndex: 5 })).toBeGreaterThan(0);
    expect(compareLedgerOrder({ blockNumber: '9', txIndex: 2 }, { blockNumber: '9', txIndex: 1 })).toBeGreaterThan(0);
  });

  test('merging pages keeps ledger order and drops duplicates (a live refresh may overlap)', () => {
    const merged = mergeTimeline([item('b', '10', 0), item('a', '2', 1)], [item('c', '10', 1), item('b', '10', 0)]);
    expect(merged.map((i) => i.receipt.txId)).toEqual(['a', 'b', 'c']);
  });
});

describe('retractions', () => {
  test('the reason picker offers the list in force: entries for the field, valid today, translated label else the list’s, codes kept', () => {
    const list = {
      entries: [
        { code: 'CANCEL-ILLNESS', label: 'Unfit to travel', usedFor: ['cancellationReason' as const] },
        { code: 'RETRACT-DUPLICATE', label: 'Recorded twice', usedFor: ['retractionReason' as const] },
        { code: 'RETRACT-NEW', label: 'New reason from governance', usedFor: ['retractionReason' as const] },
        { code: 'RETRACT-LATER', label: 'Not yet valid', usedFor: ['retractionReason' as const], validFrom: '2026-12-01' },
        { code: 'RETRACT-OLD', label: 'Retired', usedFor: ['retractionReason' as const], validUntil: '2026-11-25' },
        { code: 'RETRACT-LAST-DAY', usedFor: ['retractionReason' as const], validUntil: '2026-11-26' },
      ],
    };
    const translate = (code: string) => (code === 'RETRACT-DUPLICATE' ? 'doppelt erfasst' : undefined);
    expect(reasonOptions(list, 'retractionReason', '2026-11-26', translate)).toEqual([
      { code: 'RETRACT-DUPLICATE', label: 'doppelt erfasst' },
      { code: 'RETRACT-NEW', label: 'New reason from governance' },
      { code: 'RETRACT-LAST-DAY', label: 'RETRACT-LAST-DAY' },
    ]);
    expect(reasonOptions(list, 'cancellationReason', '2026-11-26', translate)).toEqual([{ code: 'CANCEL-ILLNESS', label: 'Unfit to travel' }]);
  });

  test('the reason of each retracted entry comes from its EVENT_RETRACTED', () => {
    const items = [item('t1', '1', 0, 'RECEPTION_ASSIGNED', 'ZabSachsenMSP', { retracted: true }), { ...item('t2', '2', 0, 'EVENT_RETRACTED'), event: { type: 'EVENT_RETRACTED', occurredAt: '2026-11-26T09:00:00Z', data: { retractedTxId: 't1', retractionReason: 'WRONG_DATA' }, sourceMessageId: 'x' } }];
    expect(retractionReasons(items)).toEqual(new Map([['t1', 'WRONG_DATA']]));
  });

  test('a caseworker may correct only their own agency’s retractable, unretracted entries', () => {
    const zab = { agency: 'ZabSachsenMSP', role: 'caseworker' as const };
    expect(canRetract(item('t', '1', 0, 'RECEPTION_ASSIGNED'), zab)).toBe(true);
    expect(canRetract(item('t', '1', 0, 'APPLICATION_FILED', 'BamfMSP'), zab)).toBe(false);
    expect(canRetract(item('t', '1', 0, 'RECEPTION_ASSIGNED', 'ZabSachsenMSP', { retracted: true }), zab)).toBe(false);
    for (const type of ['CASE_REGISTERED', 'CASE_IMPORTED', 'EVENT_RETRACTED', 'PERSONAL_DATA_PURGED']) expect(canRetract(item('t', '1', 0, type), zab)).toBe(false);
    expect(canRetract(item('t', '1', 0, 'RECEPTION_ASSIGNED'), { agency: 'ZabSachsenMSP', role: 'auditor' })).toBe(false);
  });
});

describe('header', () => {
  test('days left count from the gateway’s evaluation day in Berlin, running ones first', () => {
    // 23:30 UTC on 30 November is already 1 December in Berlin.
    const view = { evaluatedAt: '2026-11-30T23:30:00.000Z', dates: { remedyDeadline: '2026-12-08', departureDeadline: '2026-12-01', dublinTransferDeadline: null, allocationNoticeDue: '2026-11-27' } };
    expect(berlinDate(view.evaluatedAt)).toBe('2026-12-01');
    expect(deadlines(view)).toEqual([
      { key: 'departureDeadline', date: '2026-12-01', daysLeft: 0 },
      { key: 'remedyDeadline', date: '2026-12-08', daysLeft: 7 },
      { key: 'allocationNoticeDue', date: '2026-11-27', daysLeft: -4 },
    ]);
    expect(daysBetween('2026-03-28', '2026-03-30')).toBe(2);
  });

  test('warnings BLOCKING first, newest first within a severity', () => {
    const sorted = sortWarnings([warning('w1', 'WARNING', '2026-11-26T10:00:00Z'), warning('b1', 'BLOCKING', '2026-11-20T10:00:00Z'), warning('b2', 'BLOCKING', '2026-11-25T10:00:00Z')]);
    expect(sorted.map((w) => w.id)).toEqual(['b2', 'b1', 'w1']);
    expect(blockingCodes(sorted)).toEqual(['RET_DEPORTATION_STAY']);
  });

  test('only an agency that has not acknowledged a warning is offered the acknowledgement', () => {
    const w = warning('b1', 'BLOCKING', '2026-11-20T10:00:00Z', ['BamfMSP']);
    expect(canAcknowledge(w, { agency: 'ZabSachsenMSP', role: 'caseworker' })).toBe(true);
    expect(canAcknowledge(w, { agency: 'BamfMSP', role: 'caseworker' })).toBe(false);
    expect(canAcknowledge(w, { agency: 'ZabSachsenMSP', role: 'auditor' })).toBe(false);
  });

  test('next actions by due date, overdue first, undated last', () => {
    const a = (code: Action['code'], due?: string): Action => ({ code, action: code, agency: 'ZabSachsenMSP', caseId: CASE, ...(due ? { due } : {}) });
    const sorted = sortActions([a('EXAMINE_ENFORCEMENT'), a('ARRANGE_TRANSFER', '2027-01-10'), a('ALLOCATE_MUNICIPALITY', '2026-11-20')]);
    expect(sorted.map((x) => x.code)).toEqual(['ALLOCATE_MUNICIPALITY', 'ARRANGE_TRANSFER', 'EXAMINE_ENFORCEMENT']);
    expect(isOverdue(sorted[0]!, '2026-11-26')).toBe(true);
    expect(isOverdue(a('DECIDE', '2026-11-26'), '2026-11-26')).toBe(false);
    expect(isOverdue(a('DECIDE'), '2026-11-26')).toBe(false);
  });
});

describe('input', () => {
  test('AZR numbers: 8 to 16 digits after spaces, dots and hyphens', () => {
    expect(plausibleAzr('9999 0000 1111')).toBe(true);
    expect(plausibleAzr('9999.0000-1111')).toBe(true);
    expect(plausibleAzr('1234567')).toBe(false);
    expect(plausibleAzr('12345678901234567')).toBe(false);
    expect(plausibleAzr('1234abcd5678')).toBe(false);
  });

  test('UI message ids match the sourceMessageId pattern', () => {
    expect(uiMessageId('3f1c2a4e-0b9d-4c8e-9a7f-2b6d1e0c5a11')).toMatch(/^[A-Za-z0-9._:-]{1,128}$/);
    expect(uiMessageId('a/b c')).toBe('ui-abc');
  });
});
