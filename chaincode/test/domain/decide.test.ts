/** The write decision: order of checks (§7), idempotency (§6), schema, retraction, import, confirmations, deadlines. */
import { DomainError, RULE_VERSION, decide, foldCase, parseEventInput, parseError, replay, toCaseView } from '../../src/domain';
import {
  BAMF,
  CASE_ID,
  COURT_A,
  ORGS,
  TEST_VALUE_LISTS,
  TestLedger,
  ZAB,
  bamfAdapter,
  bamfAdmin,
  bamfAuditor,
  zabAdapter,
  zabAdmin,
} from './fixtures';
import { appealFiled, decided, dublinAccepted, pending, registered, served, suspensiveOrdered, urgentFiled } from './setups';

const input = (type: string, data: unknown, extra: Record<string, unknown> = {}) => ({
  caseId: CASE_ID,
  type,
  occurredAt: '2026-01-05T09:00:00+01:00',
  sourceMessageId: 'test-msg-x',
  data,
  ...extra,
});
function refusal(f: () => unknown): DomainError {
  try {
    f();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}
const base = { txId: 'tx-x', txTime: '2026-01-05T10:00:00Z', orgs: ORGS, history: [], valueLists: TEST_VALUE_LISTS };

describe('schema (INVALID_INPUT)', () => {
  test.each([
    ['unknown type', input('CASE_DELETED', {})],
    ['unknown data field', input('CASE_REGISTERED', { facility: 'AE', registeredOn: '2026-01-05', name: 'x' })],
    ['unknown envelope field', input('PERSON_ABSCONDED', {}, { azr: '123' })],
    ['not a real date', input('APPLICATION_FILED', { filedOn: '2026-02-30' })],
    ['date with time', input('APPLICATION_FILED', { filedOn: '2026-02-03T00:00:00Z' })],
    ['occurredAt without offset', input('PERSON_ABSCONDED', {}, { occurredAt: '2026-01-05T09:00:00' })],
    ['bad caseId', input('PERSON_ABSCONDED', {}, { caseId: 'c1' })],
    ['bad courtRef', input('DEPORTATION_STAY_NOTIFIED', { courtRef: 'VG Dresden 1 K 1/26' })],
    ['bad sourceMessageId', input('PERSON_ABSCONDED', {}, { sourceMessageId: 'a b' })],
    ['free text as a code', input('RECEPTION_ASSIGNED', { facility: 'Erstaufnahme Dresden, Zimmer 4' })],
    ['months 12 with ABSCONDING', input('DUBLIN_DEADLINE_EXTENDED', { months: 12, basis: 'ABSCONDING' })],
    ['unknown outcome', input('DECISION_ISSUED', { outcome: 'GRANTED', decidedOn: '2026-01-05' })],
    ['empty import', input('CASE_IMPORTED', { facts: [] })],
    ['import of a cross-cutting type', input('CASE_IMPORTED', { facts: [{ type: 'EVENT_RETRACTED', data: { retractedTxId: 't', retractionReason: 'x' } }] })],
    ['imported fact with bad data', input('CASE_IMPORTED', { facts: [{ type: 'APPLICATION_FILED', data: { filedOn: 'yesterday' } }] })],
    ['not an object', 'CASE_REGISTERED'],
  ])('%s', (_name, raw) => {
    const e = refusal(() => decide({ ...base, input: raw, actor: zabAdapter }));
    expect(e.code).toBe('INVALID_INPUT');
  });

  test('the detail names paths and issue codes, never the values', () => {
    const e = refusal(() => parseEventInput(input('RECEPTION_ASSIGNED', { facility: 'Mustermann, Max' })));
    expect(e.message).not.toContain('Mustermann');
    expect(e.detail).toEqual({ issues: [{ path: 'data.facility', code: 'invalid_format' }] });
    expect(parseError(e.message)?.code).toBe('INVALID_INPUT');
  });

  test('occurredAt accepts any offset', () => {
    expect(parseEventInput(input('PERSON_ABSCONDED', {}, { occurredAt: '2026-03-29T03:00:00.123+02:00' })).type).toBe('PERSON_ABSCONDED');
  });
});

describe('order of checks (§7)', () => {
  test('schema before role: an auditor sending garbage gets INVALID_INPUT', () => {
    expect(refusal(() => decide({ ...base, input: { type: 'X' }, actor: bamfAuditor })).code).toBe('INVALID_INPUT');
  });
  test('role before case exists: an auditor on a missing case gets FORBIDDEN_ROLE, not CASE_NOT_FOUND', () => {
    expect(refusal(() => decide({ ...base, input: input('PERSON_ABSCONDED', {}), actor: bamfAuditor })).code).toBe('FORBIDDEN_ROLE');
  });
  test('ownership before case exists: BAMF writing a ZAB event on a missing case gets NOT_OWNER', () => {
    expect(refusal(() => decide({ ...base, input: input('PERSON_ABSCONDED', {}), actor: bamfAdapter })).code).toBe('NOT_OWNER');
  });
  test('ownership before idempotency', () => {
    const l = new TestLedger();
    registered(l);
    const record = { contentHash: 'x', event: l.history[0]! };
    expect(refusal(() => decide({ ...base, input: input('PERSON_ABSCONDED', {}), actor: bamfAdapter, history: l.history, idempotency: record })).code).toBe('NOT_OWNER');
  });
  test('an unknown retractedTxId is PRECONDITION_FAILED conflicting at the ownership step, before CASE_NOT_FOUND', () => {
    const e = refusal(() => decide({ ...base, input: input('EVENT_RETRACTED', { retractedTxId: 'tx-0001', retractionReason: 'X' }), actor: zabAdapter }));
    expect(e.code).toBe('PRECONDITION_FAILED');
    expect(e.detail).toEqual({ conflicting: ['RETRACTED_EVENT_UNKNOWN'] });
  });
  test('idempotency before case exists: a replayed registration is ALREADY_APPLIED, not CASE_EXISTS', () => {
    const l = new TestLedger();
    l.write('CASE_REGISTERED', { facility: 'AE-DD-TEST', registeredOn: '2026-01-05' }, zabAdapter, { sourceMessageId: 'reg-1' });
    const e = l.refusal('CASE_REGISTERED', { facility: 'AE-DD-TEST', registeredOn: '2026-01-05' }, zabAdapter, { sourceMessageId: 'reg-1', at: '2026-01-05T10:00:00Z' });
    expect(e?.code).toBe('ALREADY_APPLIED');
  });
  test('case exists before closed and preconditions: a write on a missing case is CASE_NOT_FOUND', () => {
    expect(refusal(() => decide({ ...base, input: input('RETURN_COMPLETED', { completedOn: '2026-01-05' }), actor: zabAdapter })).code).toBe('CASE_NOT_FOUND');
  });
  test('closed before preconditions: a RETURN_COMPLETED without a scheduled return on a closed case is CASE_CLOSED', () => {
    const l = new TestLedger();
    registered(l);
    l.write('VOLUNTARY_DEPARTURE_RECORDED', { departedOn: '2026-01-06' });
    expect(l.refusal('RETURN_COMPLETED', { completedOn: '2026-01-07' })?.code).toBe('CASE_CLOSED');
  });
  test('confirmation before preconditions: the other agency repeating a decided urgent application is accepted', () => {
    const l = new TestLedger();
    suspensiveOrdered(l);
    const original = l.txOf('URGENT_APPLICATION_DECIDED');
    const r = l.write('URGENT_APPLICATION_DECIDED', { courtRef: COURT_A, result: 'SUSPENSIVE_EFFECT_ORDERED', decidedOn: '2026-02-20' }, bamfAdapter);
    expect(r.event.confirmationOf).toBe(original);
    // the same agency repeating it is judged normally
    expect(l.refusal('URGENT_APPLICATION_DECIDED', { courtRef: COURT_A, result: 'REJECTED', decidedOn: '2026-02-21' }, zabAdapter)?.detail).toEqual({ conflicting: ['URGENT_APPLICATION_DECIDED'] });
  });
});

describe('idempotency (§6)', () => {
  test('same key and hash: ALREADY_APPLIED with the original receipt and event; nothing recorded', () => {
    const l = new TestLedger();
    registered(l);
    const first = l.write('PERSON_ABSCONDED', {}, zabAdapter, { sourceMessageId: 'abs-1', at: '2026-01-06T10:00:00Z' });
    const count = l.history.length;
    const e = l.refusal('PERSON_ABSCONDED', {}, zabAdapter, { sourceMessageId: 'abs-1', at: '2026-01-06T10:00:00Z' });
    expect(e?.code).toBe('ALREADY_APPLIED');
    expect(e?.detail).toEqual({ receipt: first.receipt, event: first.event });
    expect(first.receipt).toEqual({ txId: first.event.txId, writer: zabAdapter, recordedAt: '2026-01-06T10:00:00Z', ruleVersion: RULE_VERSION });
    expect(l.history.length).toBe(count);
  });
  test('ALREADY_APPLIED even if the state has moved on so the event would now be refused', () => {
    const l = new TestLedger();
    registered(l);
    l.write('PERSON_ABSCONDED', {}, zabAdapter, { sourceMessageId: 'abs-1', at: '2026-01-06T10:00:00Z' });
    expect(l.refusal('PERSON_ABSCONDED', {}, zabAdapter, { sourceMessageId: 'abs-1', at: '2026-01-06T10:00:00Z' })?.code).toBe('ALREADY_APPLIED');
  });
  test('same key, other content: IDEMPOTENCY_CONFLICT', () => {
    const l = new TestLedger();
    registered(l);
    l.write('RECEPTION_ASSIGNED', { facility: 'AE-A' }, zabAdapter, { sourceMessageId: 'rec-1' });
    expect(l.refusal('RECEPTION_ASSIGNED', { facility: 'AE-B' }, zabAdapter, { sourceMessageId: 'rec-1' })?.code).toBe('IDEMPOTENCY_CONFLICT');
  });
  test('the key is per writing agency: the other agency may use the same sourceMessageId', () => {
    const l = new TestLedger();
    served('REJECTED_MANIFESTLY_UNFOUNDED')(l);
    l.write('URGENT_APPLICATION_FILED', { court: 'VG', courtRef: COURT_A, filedOn: '2026-02-06' }, zabAdapter, { sourceMessageId: 'same' });
    expect(l.refusal('URGENT_APPLICATION_FILED', { court: 'VG', courtRef: COURT_A, filedOn: '2026-02-06' }, bamfAdapter, { sourceMessageId: 'same' })).toBeUndefined();
  });
});

describe('retraction and correction', () => {
  test('retracting the latest event restores the view; re-recording takes its place in ledger order', () => {
    const l = new TestLedger();
    decided('REJECTED_UNFOUNDED')(l);
    const before = foldCase(l.history);
    l.write('DECISION_SERVED', { servedOn: '2026-02-04' });
    const wrong = l.txOf('DECISION_SERVED');
    l.write('EVENT_RETRACTED', { retractedTxId: wrong, retractionReason: 'WRONG-DATE' }, bamfAdapter);
    const afterRetraction = foldCase(l.history);
    expect(afterRetraction.decision).toEqual(before.decision);
    l.write('DECISION_SERVED', { servedOn: '2026-02-05' });
    expect(l.last!.view.dates.remedyDeadline).toBe('2026-02-19');
    expect(replay(l.history, { orgs: ORGS }).ok).toBe(true);
  });
  test('a retraction that would leave a later event without its precondition is refused with that event type', () => {
    const l = new TestLedger();
    served('REJECTED_UNFOUNDED')(l);
    const e = l.refusal('EVENT_RETRACTED', { retractedTxId: l.txOf('HEARING_HELD'), retractionReason: 'X' }, bamfAdapter);
    expect(e?.detail).toEqual({ conflicting: ['DECISION_ISSUED'] });
  });
  test('retracting a transfer of responsibility is refused when the new authority has written since', () => {
    const other = { mspId: 'LandXMSP', enrollmentId: 'x', role: 'adapter' };
    const l = new TestLedger();
    registered(l);
    l.write('RESPONSIBILITY_TRANSFERRED', { authority: 'LandXMSP' });
    l.write('RECEPTION_ASSIGNED', { facility: 'AE-X' }, other);
    const e = l.refusal('EVENT_RETRACTED', { retractedTxId: l.txOf('RESPONSIBILITY_TRANSFERRED'), retractionReason: 'X' }, zabAdapter);
    expect(e?.detail).toEqual({ conflicting: ['RECEPTION_ASSIGNED'] });
  });
  test('CASE_IMPORTED, EVENT_RETRACTED and PERSONAL_DATA_PURGED cannot be retracted', () => {
    const l = new TestLedger();
    l.write('CASE_IMPORTED', { facts: [{ type: 'CASE_REGISTERED', data: { facility: 'AE', registeredOn: '2019-01-02' } }] }, zabAdmin);
    l.write('PERSONAL_DATA_PURGED', { collection: 'caseDetails' }, zabAdmin);
    expect(l.refusal('EVENT_RETRACTED', { retractedTxId: 'tx-0001', retractionReason: 'X' }, zabAdapter)?.detail).toEqual({ conflicting: ['CASE_IMPORTED'] });
    expect(l.refusal('EVENT_RETRACTED', { retractedTxId: 'tx-0002', retractionReason: 'X' }, zabAdapter)?.detail).toEqual({ conflicting: ['PERSONAL_DATA_PURGED'] });
  });
});

describe('import (CASE_IMPORTED)', () => {
  test('creates the case, counts as registered, responsible = the importing state authority; facts shown as imported', () => {
    const l = new TestLedger();
    const r = l.write('CASE_IMPORTED', {
      facts: [
        { type: 'CASE_REGISTERED', data: { facility: 'AE-DD-TEST', registeredOn: '2019-05-06' } },
        { type: 'TOLERATION_GRANTED', data: { validUntil: '2026-06-30' } },
      ],
    }, zabAdmin);
    expect(r.view.flags).toMatchObject({ registered: true, imported: true });
    expect(r.view.importedBy).toEqual([ZAB]);
    expect(r.view.responsibleAuthority).toBe(ZAB);
    // imported facts are folded without preconditions (a toleration without a decision)
    expect(r.view.toleratedUntil).toBe('2026-06-30');
  });
  test('a second agency merges its facts into the same case', () => {
    const l = new TestLedger();
    l.write('CASE_IMPORTED', { facts: [{ type: 'CASE_REGISTERED', data: { facility: 'AE', registeredOn: '2019-05-06' } }] }, zabAdmin);
    const r = l.write('CASE_IMPORTED', {
      facts: [
        { type: 'APPLICATION_FILED', data: { filedOn: '2019-05-07' } },
        { type: 'DECISION_ISSUED', data: { outcome: 'REJECTED_UNFOUNDED', decidedOn: '2019-09-01' } },
        { type: 'DECISION_SERVED', data: { servedOn: '2019-09-03' } },
        { type: 'DECISION_FINAL', data: {} },
      ],
    }, bamfAdmin);
    expect(r.view.importedBy).toEqual([BAMF, ZAB]);
    expect(r.view.phase).toBe('FINAL');
    expect(r.view.responsibleAuthority).toBe(ZAB);
  });
  test('a case created by the federal office\'s import gets its state authority from the first state-authority write', () => {
    const l = new TestLedger();
    l.write('CASE_IMPORTED', { facts: [{ type: 'APPLICATION_FILED', data: { filedOn: '2019-05-07' } }] }, bamfAdmin);
    expect(l.last!.view.responsibleAuthority).toBeNull();
    l.write('RECEPTION_ASSIGNED', { facility: 'AE-DD-TEST' }, zabAdapter);
    expect(l.last!.view.responsibleAuthority).toBe(ZAB);
    expect(l.refusal('PERSON_ABSCONDED', {}, { mspId: 'LandXMSP', enrollmentId: 'x', role: 'adapter' })?.code).toBe('NOT_OWNER');
  });
});

describe('court-fact confirmations', () => {
  test('a confirmation is recorded, shown, and changes nothing', () => {
    const l = new TestLedger();
    appealFiled(l);
    const before = foldCase(l.history);
    const r = l.write('APPEAL_FILED', { court: 'VG-DD-TEST', courtRef: COURT_A, filedOn: '2026-02-10' }, bamfAdapter);
    expect(r.event.confirmationOf).toBe(l.history[l.history.length - 2]!.txId);
    const after = foldCase(l.history);
    expect({ ...after, lastEvent: null, eventCount: 0 }).toEqual({ ...before, lastEvent: null, eventCount: 0 });
  });
  test('when the confirmed fact is retracted, the confirmation becomes the fact', () => {
    const l = new TestLedger();
    registered(l);
    l.write('DEPORTATION_STAY_NOTIFIED', { courtRef: COURT_A }, zabAdapter);
    l.write('DEPORTATION_STAY_NOTIFIED', { courtRef: COURT_A }, bamfAdapter);
    l.write('EVENT_RETRACTED', { retractedTxId: 'tx-0002', retractionReason: 'X' }, zabAdapter);
    expect(l.last!.view.staysInForce).toEqual([COURT_A]);
  });
  test('a stay lifted and ordered again in the same proceedings is news, not a confirmation', () => {
    const l = new TestLedger();
    registered(l);
    l.write('DEPORTATION_STAY_NOTIFIED', { courtRef: COURT_A }, zabAdapter);
    l.write('DEPORTATION_STAY_LIFTED', { courtRef: COURT_A }, zabAdapter);
    const again = l.write('DEPORTATION_STAY_NOTIFIED', { courtRef: COURT_A }, bamfAdapter);
    expect(again.event.confirmationOf).toBeUndefined();
    expect(again.view.staysInForce).toEqual([COURT_A]);
    expect(l.write('DEPORTATION_STAY_LIFTED', { courtRef: COURT_A }, bamfAdapter).view.staysInForce).toEqual([]);
  });
});

describe('dates', () => {
  test.each([
    ['REJECTED_MANIFESTLY_UNFOUNDED', '2026-02-11', '2026-02-11'],
    ['INADMISSIBLE_OTHER', '2026-02-11', '2026-02-11'],
    ['REJECTED_UNFOUNDED', '2026-02-18', '2026-03-06'],
    ['DISCONTINUED', '2026-02-18', '2026-02-11'],
    ['ASYLUM_GRANTED', '2026-02-18', null],
  ])('%s served Wed 2026-02-04: remedy %s, departure %s', (outcome, remedy, departure) => {
    const l = new TestLedger();
    served(outcome)(l);
    expect(l.last!.view.dates.remedyDeadline).toBe(remedy);
    expect(l.last!.view.dates.departureDeadline).toBe(departure);
  });
  test('INADMISSIBLE_DUBLIN: remedy one week, no departure deadline', () => {
    const l = new TestLedger();
    dublinAccepted(l);
    l.write('DECISION_ISSUED', { outcome: 'INADMISSIBLE_DUBLIN', decidedOn: '2026-02-02' });
    l.write('DECISION_SERVED', { servedOn: '2026-02-04' });
    expect(l.last!.view.dates).toMatchObject({ remedyDeadline: '2026-02-11', departureDeadline: null, dublinTransferDeadline: '2026-07-30' });
  });
  test('an appeal suspends the 30 days until finality (§ 38 Abs. 1)', () => {
    const l = new TestLedger();
    appealFiled(l);
    expect(l.last!.view.dates.departureDeadline).toBeNull();
  });
  test('manifestly unfounded with suspensive effect ordered: finalOn + 30 days (§ 37 Abs. 2)', () => {
    const l = new TestLedger();
    suspensiveOrdered(l);
    expect(l.last!.view.dates.departureDeadline).toBeNull();
    l.write('APPEAL_FILED', { court: 'VG', courtRef: 'r' + 'd'.repeat(31), filedOn: '2026-02-06' });
    l.write('COURT_PROCEEDINGS_CONCLUDED', { courtRef: 'r' + 'd'.repeat(31), result: 'DECISION_UPHELD', finalOn: '2026-06-01' });
    // Mon 2026-06-01 + 30 days = Wed 2026-07-01
    expect(l.last!.view.dates.departureDeadline).toBe('2026-07-01');
  });
  test('a departure deadline on a Sunday moves to Monday', () => {
    const l = new TestLedger();
    // served Fri 2026-02-06 + 30 days = Sun 2026-03-08 → Mon 2026-03-09
    served('REJECTED_UNFOUNDED', '2026-02-06')(l);
    expect(l.last!.view.dates.departureDeadline).toBe('2026-03-09');
  });
  test('Dublin: a rejected urgent application restarts the six months; an extension counts from the restart', () => {
    const l = new TestLedger();
    dublinAccepted(l);
    l.write('DECISION_ISSUED', { outcome: 'INADMISSIBLE_DUBLIN', decidedOn: '2026-02-02' });
    l.write('DECISION_SERVED', { servedOn: '2026-02-04' });
    l.write('URGENT_APPLICATION_FILED', { court: 'VG', courtRef: COURT_A, filedOn: '2026-02-06' });
    l.write('URGENT_APPLICATION_DECIDED', { courtRef: COURT_A, result: 'REJECTED', decidedOn: '2026-03-31' });
    // Tue 2026-03-31 + 6 months = Wed 2026-09-30
    expect(l.last!.view.dates.dublinTransferDeadline).toBe('2026-09-30');
    l.write('DUBLIN_DEADLINE_EXTENDED', { months: 12, basis: 'DETENTION' });
    // 2027-03-31 is a Wednesday
    expect(l.last!.view.dates.dublinTransferDeadline).toBe('2027-03-31');
  });
  test('Dublin: the end of proceedings with suspensive effect restarts the period', () => {
    const l = new TestLedger();
    dublinAccepted(l);
    l.write('DECISION_ISSUED', { outcome: 'INADMISSIBLE_DUBLIN', decidedOn: '2026-02-02' });
    l.write('DECISION_SERVED', { servedOn: '2026-02-04' });
    l.write('URGENT_APPLICATION_FILED', { court: 'VG', courtRef: COURT_A, filedOn: '2026-02-06' });
    l.write('URGENT_APPLICATION_DECIDED', { courtRef: COURT_A, result: 'SUSPENSIVE_EFFECT_ORDERED', decidedOn: '2026-02-20' });
    l.write('APPEAL_FILED', { court: 'VG', courtRef: 'r' + 'e'.repeat(31), filedOn: '2026-02-06' });
    l.write('COURT_PROCEEDINGS_CONCLUDED', { courtRef: 'r' + 'e'.repeat(31), result: 'DECISION_UPHELD', finalOn: '2026-08-31' });
    // 31 Aug + 6 months = 28 Feb 2027 (Sunday) → Mon 1 Mar 2027
    expect(l.last!.view.dates.dublinTransferDeadline).toBe('2027-03-01');
  });
  test('every deadline keeps the rule version of its anchoring event', () => {
    const l = new TestLedger();
    urgentFiled(l);
    const s = foldCase(l.history);
    expect(s.decision?.served?.anchor.ruleVersion).toBe(RULE_VERSION);
  });
});

describe('view and phase', () => {
  test.each([
    ['INTAKE', registered],
    ['PROCEDURE', pending],
    ['DECIDED', decided('REJECTED_UNFOUNDED')],
    ['COURT', appealFiled],
  ] as const)('%s', (phase, setup) => {
    const l = new TestLedger();
    setup(l);
    expect(l.last!.view.phase).toBe(phase);
  });
  test('a withdrawn decision leaves no outcome in force and the procedure pending', () => {
    const l = new TestLedger();
    served('REJECTED_UNFOUNDED')(l);
    l.write('DECISION_WITHDRAWN', { withdrawalReason: 'X' });
    expect(l.last!.view).toMatchObject({ outcome: null, phase: 'PROCEDURE', flags: { procedurePending: true } });
  });
  test('an overturning judgment sets the procedure pending again', () => {
    const l = new TestLedger();
    appealFiled(l);
    l.write('COURT_PROCEEDINGS_CONCLUDED', { courtRef: COURT_A, result: 'DECISION_OVERTURNED', finalOn: '2026-06-01' });
    expect(l.last!.view).toMatchObject({ outcome: null, phase: 'PROCEDURE', flags: { procedurePending: true } });
    expect(l.refusal('DECISION_ISSUED', { outcome: 'REFUGEE_STATUS_GRANTED', decidedOn: '2026-06-10' })).toBeUndefined();
  });
  test('toCaseView is the API shape', () => {
    const l = new TestLedger();
    pending(l);
    const v = toCaseView(foldCase(l.history), [], [], RULE_VERSION);
    expect(Object.keys(v)).toEqual(expect.arrayContaining(['caseId', 'phase', 'outcome', 'flags', 'dates', 'warnings', 'actions', 'lastEvent']));
    expect(v.lastEvent).toEqual({ type: 'APPLICATION_FILED', recordedAt: l.history[1]!.recordedAt, txId: 'tx-0002' });
  });
  test('no identifying data reaches error messages: details hold codes only', () => {
    const l = new TestLedger();
    registered(l);
    const e = l.refusal('DECISION_SERVED', { servedOn: '2026-02-04' });
    expect(e?.message).toBe('[PRECONDITION_FAILED] {"missing":["DECISION_ISSUED"]}');
  });
  test('decide rejects an actor whose mspId is not a plausible MSP id', () => {
    const l = new TestLedger();
    expect(l.refusal('CASE_REGISTERED', { facility: 'AE', registeredOn: '2026-01-05' }, { mspId: '__proto__', enrollmentId: 'x', role: 'adapter' })?.code).toBe('FORBIDDEN_ROLE');
  });
});

test('the same admin importing a state authority fact for a case owned by another state authority is NOT_OWNER', () => {
  const l = new TestLedger();
  registered(l);
  const landXAdmin = { mspId: 'LandXMSP', enrollmentId: 'x', role: 'admin' };
  expect(l.refusal('CASE_IMPORTED', { facts: [{ type: 'PERSON_ABSCONDED', data: {} }] }, landXAdmin)?.code).toBe('NOT_OWNER');
  expect(l.refusal('CASE_IMPORTED', { facts: [{ type: 'PERSON_ABSCONDED', data: {} }] }, zabAdmin)).toBeUndefined();
});
