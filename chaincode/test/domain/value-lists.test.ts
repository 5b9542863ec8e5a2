/** Shared value lists (domain.md §9): governance, the version in force at the transaction time, code checks, diffs. */
import {
  CODE_FIELDS,
  CodeSchema,
  DomainError,
  FACT_DATA_SCHEMAS,
  approveValueList,
  diffValueLists,
  parseError,
  proposeValueList,
  versionInForceAt,
  type OrgDirectory,
  type ValueListChange,
  type ValueListEntry,
  type ValueListHead,
  type ValueListSet,
  type ValueListVersion,
} from '../../src/domain';
import {
  BAMF,
  ORGS,
  OTHER_STATE,
  TEST_LIST_ENTRIES,
  TEST_LISTS_IN_FORCE_FROM,
  TEST_VALUE_LISTS,
  TestLedger,
  ZAB,
  bamfAdapter,
  bamfAdmin,
  versionInForceFrom,
  zabAdapter,
  zabAdmin,
  zabCaseworker,
} from './fixtures';
import { closedByDeparture, decided, nothing, registered, returnScheduled, served, type Setup } from './setups';

/** The two agencies only: a version is in force once the other agency's admin approved it. */
const TWO: OrgDirectory = { [BAMF]: { kind: 'FEDERAL_OFFICE' }, [ZAB]: { kind: 'STATE_AUTHORITY' } };
const bamfAdmin2 = { mspId: BAMF, enrollmentId: 'test-bamf-admin-2', role: 'admin' };
const otherStateAdmin = { mspId: OTHER_STATE, enrollmentId: 'test-landx-admin', role: 'admin' };

function refusal(f: () => unknown): DomainError {
  try {
    f();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

const COURTS: ValueListEntry[] = [{ code: 'VG-DD-TEST', label: 'VG Dresden (Test)' }, { code: 'VG-L-TEST' }];

/** A small governance ledger for one list: proposals and approvals as the contract would store them. */
class ListLedger {
  head: ValueListHead | undefined;
  readonly versions = new Map<number, ValueListVersion>();
  private tx = 0;

  constructor(readonly orgs: OrgDirectory = TWO) {}

  propose(actor: typeof bamfAdmin, input: Record<string, unknown>, at: string): ValueListChange {
    const change = proposeValueList({ input, actor, txId: this.nextTx(), txTime: at, orgs: this.orgs, head: this.head, existing: this.versions.get(Number(input['version'])) });
    this.store(change);
    return change;
  }

  approve(actor: typeof bamfAdmin, version: number, at: string, contentHash = this.versions.get(version)?.contentHash ?? '0'.repeat(64)): ValueListChange {
    const change = approveValueList({
      input: { list: 'court', version, contentHash },
      actor,
      txId: this.nextTx(),
      txTime: at,
      orgs: this.orgs,
      head: this.head,
      existing: this.versions.get(version),
    });
    this.store(change);
    return change;
  }

  private store(change: ValueListChange): void {
    this.head = change.head;
    this.versions.set(change.version.version, change.version);
  }

  private nextTx(): string {
    this.tx += 1;
    return `tx-vl-${this.tx}`;
  }
}

describe('governance: proposal and approval', () => {
  test('a version proposed by one agency is in force only from the other agency’s approval', () => {
    const g = new ListLedger();
    const proposed = g.propose(bamfAdmin, { list: 'court', version: 1, entries: COURTS }, '2026-01-05T09:00:00Z');
    expect(proposed.version).toMatchObject({
      list: 'court',
      version: 1,
      proposedBy: { mspId: BAMF, enrollmentId: 'test-bamf-admin' },
      proposedAt: '2026-01-05T09:00:00Z',
      approvals: [BAMF],
      inForceFrom: null,
    });
    expect(proposed.payload).toMatchObject({ action: 'PROPOSED', inForce: false, valueList: { entryCount: 2, version: 1 } });
    expect(proposed.payload.valueList).not.toHaveProperty('entries');
    expect(g.head).toEqual({ list: 'court', inForce: [], pending: 1 });
    expect(versionInForceAt(g.head, '2026-01-06T00:00:00Z')).toBeNull();

    const approved = g.approve(zabAdmin, 1, '2026-01-05T11:30:00Z');
    expect(approved.version).toMatchObject({ approvals: [BAMF, ZAB], inForceFrom: '2026-01-05T11:30:00Z' });
    expect(approved.payload).toMatchObject({ action: 'APPROVED', inForce: true });
    expect(g.head).toEqual({ list: 'court', inForce: [{ version: 1, inForceFrom: '2026-01-05T11:30:00Z' }], pending: null });
    expect(versionInForceAt(g.head, '2026-01-05T11:29:59.999Z')).toBeNull();
    expect(versionInForceAt(g.head, '2026-01-05T12:30:00+01:00')).toBe(1);
  });

  test('entries are stored sorted by code with a content hash over {list, version, entries}', () => {
    const g = new ListLedger();
    const v = g.propose(bamfAdmin, { list: 'court', version: 1, entries: [...COURTS].reverse() }, '2026-01-05T09:00:00Z').version;
    expect(v.entries.map((e) => e.code)).toEqual(['VG-DD-TEST', 'VG-L-TEST']);
    expect(v.contentHash).toMatch(/^[0-9a-f]{64}$/);
    const same = new ListLedger().propose(zabAdmin, { list: 'court', version: 1, entries: COURTS }, '2026-01-06T09:00:00Z').version;
    expect(same.contentHash).toBe(v.contentHash);
  });

  test('every member organisation must approve: with a third member, one approval is not enough', () => {
    const g = new ListLedger(ORGS);
    g.propose(zabAdmin, { list: 'court', version: 1, entries: COURTS }, '2026-01-05T09:00:00Z');
    expect(g.approve(bamfAdmin, 1, '2026-01-05T10:00:00Z').version.inForceFrom).toBeNull();
    const last = g.approve(otherStateAdmin, 1, '2026-01-05T11:00:00Z').version;
    expect(last).toMatchObject({ approvals: [ZAB, BAMF, OTHER_STATE], inForceFrom: '2026-01-05T11:00:00Z' });
  });

  test('the proposer’s own organisation never counts twice: another admin of it cannot approve', () => {
    const g = new ListLedger();
    g.propose(bamfAdmin, { list: 'court', version: 1, entries: COURTS }, '2026-01-05T09:00:00Z');
    const e = refusal(() => g.approve(bamfAdmin2, 1, '2026-01-05T10:00:00Z'));
    expect(e.code).toBe('PRECONDITION_FAILED');
    expect(e.detail).toEqual({ conflicting: ['APPROVED_BY_ORGANISATION'] });
    expect(g.versions.get(1)?.inForceFrom).toBeNull();
    expect(refusal(() => g.approve(bamfAdmin, 1, '2026-01-05T10:00:00Z')).detail).toEqual({ conflicting: ['APPROVED_BY_ORGANISATION'] });
  });

  test('proposing needs version = the version in force + 1: stale or skipping versions conflict', () => {
    const g = new ListLedger();
    g.propose(bamfAdmin, { list: 'court', version: 1, entries: COURTS }, '2026-01-05T09:00:00Z');
    g.approve(zabAdmin, 1, '2026-01-05T10:00:00Z');
    const stale = refusal(() => g.propose(zabAdmin, { list: 'court', version: 1, entries: COURTS }, '2026-01-06T09:00:00Z'));
    expect(stale.code).toBe('PRECONDITION_FAILED');
    expect(stale.detail).toEqual({ conflicting: ['VALUE_LIST_VERSION'], current: 1 });
    expect(refusal(() => g.propose(zabAdmin, { list: 'court', version: 3, entries: COURTS }, '2026-01-06T09:00:00Z')).detail).toEqual({
      conflicting: ['VALUE_LIST_VERSION'],
      current: 1,
    });
    expect(g.propose(zabAdmin, { list: 'court', version: 2, entries: COURTS.slice(0, 1) }, '2026-01-06T09:00:00Z').version.version).toBe(2);
    expect(refusal(() => new ListLedger().propose(bamfAdmin, { list: 'court', version: 2, entries: COURTS }, '2026-01-05T09:00:00Z')).detail).toEqual({
      conflicting: ['VALUE_LIST_VERSION'],
      current: 0,
    });
  });

  test('a counter-proposal replaces the pending version; an approval of the replaced content conflicts', () => {
    const g = new ListLedger();
    const first = g.propose(bamfAdmin, { list: 'court', version: 1, entries: COURTS }, '2026-01-05T09:00:00Z').version;
    const counter = g.propose(zabAdmin, { list: 'court', version: 1, entries: COURTS.slice(0, 1) }, '2026-01-05T09:30:00Z').version;
    expect(counter).toMatchObject({ approvals: [ZAB], proposedBy: { mspId: ZAB }, inForceFrom: null });
    const stale = refusal(() => g.approve(bamfAdmin, 1, '2026-01-05T10:00:00Z', first.contentHash));
    expect(stale.detail).toEqual({ conflicting: ['VALUE_LIST_CONTENT'] });
    expect(g.approve(bamfAdmin, 1, '2026-01-05T10:00:00Z', counter.contentHash).version.inForceFrom).toBe('2026-01-05T10:00:00Z');
  });

  test('the same organisation proposing identical content again is a retry: nothing changes', () => {
    const g = new ListLedger();
    const first = g.propose(bamfAdmin, { list: 'court', version: 1, entries: COURTS }, '2026-01-05T09:00:00Z');
    const again = g.propose(bamfAdmin2, { list: 'court', version: 1, entries: COURTS }, '2026-01-05T09:05:00Z');
    expect(again.changed).toBe(false);
    expect(again.version).toEqual(first.version);
  });

  test('approving what is not proposed, or already in force, is refused', () => {
    const g = new ListLedger();
    expect(refusal(() => g.approve(zabAdmin, 1, '2026-01-05T10:00:00Z')).detail).toEqual({ missing: ['VALUE_LIST_PROPOSED'] });
    g.propose(bamfAdmin, { list: 'court', version: 1, entries: COURTS }, '2026-01-05T09:00:00Z');
    g.approve(zabAdmin, 1, '2026-01-05T10:00:00Z');
    expect(refusal(() => g.approve(zabAdmin, 1, '2026-01-05T11:00:00Z')).detail).toEqual({ conflicting: ['VALUE_LIST_IN_FORCE'] });
  });

  test('versions come into force in order: an approval timestamped before the version in force is refused', () => {
    const g = new ListLedger();
    g.propose(bamfAdmin, { list: 'court', version: 1, entries: COURTS }, '2026-01-05T09:00:00Z');
    g.approve(zabAdmin, 1, '2026-01-05T10:00:00Z');
    g.propose(bamfAdmin, { list: 'court', version: 2, entries: COURTS.slice(0, 1) }, '2026-01-05T10:05:00Z');
    expect(refusal(() => g.approve(zabAdmin, 2, '2026-01-05T09:59:00Z')).detail).toEqual({ conflicting: ['TX_TIME_ORDER'] });
  });

  test('only admins of member organisations propose and approve', () => {
    const g = new ListLedger();
    expect(refusal(() => g.propose(bamfAdapter, { list: 'court', version: 1, entries: COURTS }, '2026-01-05T09:00:00Z')).code).toBe('FORBIDDEN_ROLE');
    expect(refusal(() => g.propose(zabCaseworker, { list: 'court', version: 1, entries: COURTS }, '2026-01-05T09:00:00Z')).code).toBe('FORBIDDEN_ROLE');
    expect(refusal(() => g.propose(otherStateAdmin, { list: 'court', version: 1, entries: COURTS }, '2026-01-05T09:00:00Z')).code).toBe('NOT_OWNER');
    g.propose(bamfAdmin, { list: 'court', version: 1, entries: COURTS }, '2026-01-05T09:00:00Z');
    expect(refusal(() => g.approve(zabAdapter, 1, '2026-01-05T10:00:00Z')).code).toBe('FORBIDDEN_ROLE');
    expect(refusal(() => g.approve(zabCaseworker, 1, '2026-01-05T10:00:00Z')).code).toBe('FORBIDDEN_ROLE');
  });

  test.each([
    ['a duplicate code', 'court', [{ code: 'A' }, { code: 'A' }], 'entries.1.code', 'duplicate_code'],
    ['a municipality code that is not an AGS', 'municipality', [{ code: '1461200' }], 'entries.0.code', 'not_an_ags'],
    ['a reason without uses', 'reason', [{ code: 'R' }], 'entries.0.usedFor', 'required_for_reason'],
    ['uses outside the reason list', 'court', [{ code: 'VG', usedFor: ['retractionReason'] }], 'entries.0.usedFor', 'only_for_reason'],
    ['a successor without validUntil', 'municipality', [{ code: '14000001', replacedBy: '14000002' }, { code: '14000002' }], 'entries.0.validUntil', 'required_with_replaced_by'],
    ['a successor not in the list', 'municipality', [{ code: '14000001', validUntil: '2026-12-31', replacedBy: '14000009' }], 'entries.0.replacedBy', 'successor_not_in_list'],
    ['validUntil before validFrom', 'court', [{ code: 'VG', validFrom: '2026-02-01', validUntil: '2026-01-31' }], 'entries.0.validUntil', 'before_valid_from'],
    ['a label with a control character', 'court', [{ code: 'VG', label: 'VG\nDresden' }], 'entries.0.label', 'invalid_format'],
  ])('INVALID_INPUT for %s (path and code, never the value)', (_name, list, entries, path, code) => {
    const e = refusal(() => new ListLedger().propose(bamfAdmin, { list, version: 1, entries }, '2026-01-05T09:00:00Z'));
    expect(e.code).toBe('INVALID_INPUT');
    expect(e.detail['issues']).toContainEqual({ path, code });
    expect(e.message).not.toContain('Dresden');
  });

  test('INVALID_INPUT before the role: an adapter sending an unknown list', () => {
    expect(refusal(() => new ListLedger().propose(bamfAdapter, { list: 'nationality', version: 1, entries: COURTS }, '2026-01-05T09:00:00Z')).code).toBe('INVALID_INPUT');
  });
});

// ----- codes in events -----

/** One write per code field, after a setup that meets its preconditions; `data(code)` puts the code in. */
const FIELD_CASES: [string, string, 'facility' | 'court' | 'municipality' | 'authority' | 'reason', Setup, (code: string) => unknown][] = [
  ['CASE_REGISTERED', 'data.facility', 'facility', nothing, (c) => ({ facility: c, registeredOn: '2026-02-10' })],
  ['RECEPTION_ASSIGNED', 'data.facility', 'facility', registered, (c) => ({ facility: c })],
  ['RESPONSIBILITY_TRANSFERRED', 'data.authority', 'authority', registered, (c) => ({ authority: c })],
  ['DECISION_WITHDRAWN', 'data.withdrawalReason', 'reason', decided('REJECTED_UNFOUNDED'), (c) => ({ withdrawalReason: c })],
  ['APPEAL_FILED', 'data.court', 'court', served('REJECTED_UNFOUNDED'), (c) => ({ court: c, courtRef: `r${'a'.repeat(31)}`, filedOn: '2026-02-10' })],
  ['URGENT_APPLICATION_FILED', 'data.court', 'court', served('REJECTED_MANIFESTLY_UNFOUNDED'), (c) => ({ court: c, courtRef: `r${'a'.repeat(31)}`, filedOn: '2026-02-10' })],
  ['MUNICIPALITY_ALLOCATED', 'data.municipality', 'municipality', decided('REFUGEE_STATUS_GRANTED'), (c) => ({ municipality: c === 'NOPE' ? '99999999' : c, authority: 'ABH-DD-TEST', basis: 'PROTECTION' })],
  ['MUNICIPALITY_ALLOCATED', 'data.authority', 'authority', decided('REFUGEE_STATUS_GRANTED'), (c) => ({ municipality: '14612000', authority: c, basis: 'PROTECTION' })],
  ['RETURN_CANCELLED', 'data.cancellationReason', 'reason', returnScheduled, (c) => ({ cancellationReason: c })],
];

const KNOWN: Record<string, string> = { facility: 'AE-DD-TEST', court: 'VG-DD-TEST', municipality: '14612000', authority: 'ABH-DD-TEST', reason: 'X' };

describe('UNKNOWN_CODE_VALUE: every code field is checked against its list in force', () => {
  test.each(FIELD_CASES)('%s %s (list %s)', (type, field, list, setup, data) => {
    const l = new TestLedger();
    setup(l);
    l.today = '2026-02-10';
    const e = l.refusal(type as never, data('NOPE'));
    expect(e?.code).toBe('UNKNOWN_CODE_VALUE');
    expect(e?.detail).toEqual({ field, list, version: 1 });
    expect(e?.message).not.toContain('NOPE');
    expect(e?.message).not.toContain('99999999');
    expect(parseError(e?.message ?? '')?.code).toBe('UNKNOWN_CODE_VALUE');
    const ok = l.write(type as never, data(KNOWN[list]!));
    expect(ok.event.valueListVersions[list]).toBe(1);
  });

  test('EVENT_RETRACTED retractionReason (list reason)', () => {
    const l = new TestLedger();
    registered(l);
    l.write('APPLICATION_FILED', { filedOn: '2026-01-05' });
    const target = l.txOf('APPLICATION_FILED');
    const e = l.refusal('EVENT_RETRACTED', { retractedTxId: target, retractionReason: 'NOPE' }, bamfAdapter);
    expect(e?.detail).toEqual({ field: 'data.retractionReason', list: 'reason', version: 1 });
    expect(l.write('EVENT_RETRACTED', { retractedTxId: target, retractionReason: 'X' }, bamfAdapter).event.valueListVersions).toEqual({ reason: 1 });
  });

  test('a reason serves only the fields its entry names', () => {
    const reasons: ValueListEntry[] = [
      { code: 'WITHDRAW-ONLY', usedFor: ['withdrawalReason'] },
      { code: 'CANCEL-ONLY', usedFor: ['cancellationReason'] },
    ];
    const l = new TestLedger();
    l.valueLists = { ...TEST_VALUE_LISTS, reason: [versionInForceFrom('reason', 1, reasons, TEST_LISTS_IN_FORCE_FROM)] };
    returnScheduled(l);
    expect(l.refusal('RETURN_CANCELLED', { cancellationReason: 'WITHDRAW-ONLY' })?.detail).toEqual({ field: 'data.cancellationReason', list: 'reason', version: 1 });
    expect(l.write('RETURN_CANCELLED', { cancellationReason: 'CANCEL-ONLY' }).event.valueListVersions).toEqual({ reason: 1 });
  });

  test('with no version of a list in force, every code of it is unknown (strict); other lists still work', () => {
    const withoutCourts: ValueListSet = Object.fromEntries(Object.entries(TEST_VALUE_LISTS).filter(([list]) => list !== 'court'));
    const l = new TestLedger();
    l.valueLists = withoutCourts;
    served('REJECTED_UNFOUNDED')(l);
    l.today = '2026-02-10';
    expect(l.refusal('APPEAL_FILED', { court: 'VG-DD-TEST', courtRef: `r${'a'.repeat(31)}`, filedOn: '2026-02-10' })?.detail).toEqual({
      field: 'data.court',
      list: 'court',
      version: null,
    });
    const proposedOnly = { ...versionInForceFrom('court', 1, COURTS, TEST_LISTS_IN_FORCE_FROM), inForceFrom: null };
    l.valueLists = { ...withoutCourts, court: [proposedOnly] };
    expect(l.refusal('APPEAL_FILED', { court: 'VG-DD-TEST', courtRef: `r${'a'.repeat(31)}`, filedOn: '2026-02-10' })?.code).toBe('UNKNOWN_CODE_VALUE');
  });

  test('the event records the versions of the lists it used, and {} when it used none', () => {
    const l = new TestLedger();
    decided('REFUGEE_STATUS_GRANTED')(l);
    expect(l.history.find((e) => e.type === 'CASE_REGISTERED')?.valueListVersions).toEqual({ facility: 1 });
    expect(l.history.find((e) => e.type === 'DECISION_ISSUED')?.valueListVersions).toEqual({});
    const allocated = l.write('MUNICIPALITY_ALLOCATED', { municipality: '14612000', authority: 'ABH-DD-TEST', basis: 'PROTECTION' });
    expect(allocated.event.valueListVersions).toEqual({ municipality: 1, authority: 1 });
    expect(allocated.chaincodeEvent.payload.event.valueListVersions).toEqual({ municipality: 1, authority: 1 });
  });

  test('every code field of the event schemas has a list (the table cannot drift from the schemas)', () => {
    const fromSchemas: string[] = [];
    for (const [type, schema] of Object.entries(FACT_DATA_SCHEMAS)) {
      if (!('shape' in schema)) continue;
      for (const [field, fieldSchema] of Object.entries(schema.shape as Record<string, unknown>)) {
        if (fieldSchema === CodeSchema) fromSchemas.push(`${type}.${field}`);
      }
    }
    const fromTable = Object.entries(CODE_FIELDS).flatMap(([type, fields]) => (fields ?? []).map((f) => `${type}.${f.field}`));
    expect(fromTable.sort()).toEqual(fromSchemas.sort());
  });
});

describe('order of checks: value lists are the last check (§7)', () => {
  test('a precondition failure wins over an unknown code', () => {
    const l = new TestLedger();
    registered(l);
    const e = l.refusal('APPEAL_FILED', { court: 'NOPE', courtRef: `r${'a'.repeat(31)}`, filedOn: '2026-01-05' });
    expect(e?.code).toBe('PRECONDITION_FAILED');
  });

  test('CASE_NOT_FOUND, CASE_CLOSED, FORBIDDEN_ROLE and NOT_OWNER all win over an unknown code', () => {
    expect(new TestLedger().refusal('RECEPTION_ASSIGNED', { facility: 'NOPE' })?.code).toBe('CASE_NOT_FOUND');
    const closed = new TestLedger();
    closedByDeparture(closed);
    expect(closed.refusal('RECEPTION_ASSIGNED', { facility: 'NOPE' })?.code).toBe('CASE_CLOSED');
    const l = new TestLedger();
    registered(l);
    expect(l.refusal('RECEPTION_ASSIGNED', { facility: 'NOPE' }, { mspId: ZAB, enrollmentId: 'a', role: 'auditor' })?.code).toBe('FORBIDDEN_ROLE');
    expect(l.refusal('RECEPTION_ASSIGNED', { facility: 'NOPE' }, bamfAdapter)?.code).toBe('NOT_OWNER');
  });

  test('INVALID_INPUT (the code’s format) comes first', () => {
    const l = new TestLedger();
    expect(l.refusal('CASE_REGISTERED', { facility: 'Erstaufnahme Dresden', registeredOn: '2026-01-05' })?.code).toBe('INVALID_INPUT');
  });

  test('a retry of an accepted write answers ALREADY_APPLIED even after its code left the list', () => {
    const l = new TestLedger();
    l.write('CASE_REGISTERED', { facility: 'AE-X', registeredOn: '2026-01-05' }, zabAdapter, { sourceMessageId: 'zab-1' });
    const withoutAeX = TEST_LIST_ENTRIES.facility.filter((e) => e.code !== 'AE-X');
    l.valueLists = {
      ...TEST_VALUE_LISTS,
      facility: [...(TEST_VALUE_LISTS.facility ?? []), versionInForceFrom('facility', 2, withoutAeX, '2026-01-05T10:30:00Z')],
    };
    l.today = '2026-01-06';
    expect(l.refusal('CASE_REGISTERED', { facility: 'AE-X', registeredOn: '2026-01-05' }, zabAdapter, { sourceMessageId: 'zab-1', at: '2026-01-05T10:00:00Z', occurredAt: '2026-01-05T10:00:00Z' })?.code).toBe('ALREADY_APPLIED');
    expect(l.refusal('RECEPTION_ASSIGNED', { facility: 'AE-X' })?.detail).toEqual({ field: 'data.facility', list: 'facility', version: 2 });
  });
});

describe('the version in force at the transaction time', () => {
  const V2_AT = '2026-03-01T10:00:00Z';
  /** Version 2 of the courts drops VG-T; in force from 1 March 2026, 11:00 Berlin time. */
  function withCourtsV2(l: TestLedger): void {
    const v1 = TEST_VALUE_LISTS.court ?? [];
    const v2 = versionInForceFrom('court', 2, TEST_LIST_ENTRIES.court.filter((e) => e.code !== 'VG-T'), V2_AT);
    l.valueLists = { ...TEST_VALUE_LISTS, court: [...v1, v2] };
  }
  const appeal = (ref: string) => ({ court: 'VG-T', courtRef: ref, filedOn: '2026-02-27' });

  test('a code removed in version 2 is accepted before version 2 is in force and refused from then on', () => {
    const l = new TestLedger();
    withCourtsV2(l);
    served('REJECTED_UNFOUNDED')(l);
    const before = l.write('APPEAL_FILED', appeal(`r${'a'.repeat(31)}`), zabAdapter, { at: '2026-03-01T09:59:59.999Z' });
    expect(before.event.valueListVersions).toEqual({ court: 1 });
    const after = l.refusal('APPEAL_FILED', appeal(`r${'b'.repeat(31)}`), zabAdapter, { at: V2_AT });
    expect(after?.code).toBe('UNKNOWN_CODE_VALUE');
    expect(after?.detail).toEqual({ field: 'data.court', list: 'court', version: 2 });
    expect(l.write('APPEAL_FILED', { ...appeal(`r${'b'.repeat(31)}`), court: 'VG-DD-TEST' }, zabAdapter, { at: V2_AT }).event.valueListVersions).toEqual({ court: 2 });
  });

  test('old events keep their codes: a later retraction replays them without judging codes again', () => {
    const l = new TestLedger();
    withCourtsV2(l);
    served('REJECTED_UNFOUNDED')(l);
    l.write('APPEAL_FILED', appeal(`r${'a'.repeat(31)}`), zabAdapter, { at: '2026-02-27T10:00:00Z' });
    l.write('PERSON_ABSCONDED', {}, zabAdapter, { at: '2026-03-02T10:00:00Z' });
    const retraction = l.write('EVENT_RETRACTED', { retractedTxId: l.txOf('PERSON_ABSCONDED'), retractionReason: 'X' }, zabAdapter, { at: '2026-03-02T11:00:00Z' });
    expect(retraction.event.valueListVersions).toEqual({ reason: 1 });
    expect(l.history.find((e) => e.type === 'APPEAL_FILED')?.data).toMatchObject({ court: 'VG-T' });
  });

  describe('a territorial reform: a retired AGS with its successor', () => {
    const OLD = '14000001';
    const NEW = '14000002';
    const reform: ValueListEntry[] = [
      { code: '14612000', label: 'Dresden, Stadt' },
      { code: OLD, label: 'Altgemeinde (Test)', validUntil: '2026-12-31', replacedBy: NEW },
      { code: NEW, label: 'Neugemeinde (Test)', validFrom: '2027-01-01' },
    ];
    function ledger(): TestLedger {
      const l = new TestLedger();
      l.valueLists = { ...TEST_VALUE_LISTS, municipality: [versionInForceFrom('municipality', 1, reform, TEST_LISTS_IN_FORCE_FROM)] };
      decided('REFUGEE_STATUS_GRANTED')(l);
      return l;
    }
    const allocation = (municipality: string) => ({ municipality, authority: 'ABH-DD-TEST', basis: 'PROTECTION' });

    test('live events may use the old code through its last day (Berlin time) and the new one from its first', () => {
      expect(ledger().write('MUNICIPALITY_ALLOCATED', allocation(OLD), zabAdapter, { at: '2026-12-31T22:59:59Z' }).event.data).toMatchObject({ municipality: OLD });
      expect(ledger().refusal('MUNICIPALITY_ALLOCATED', allocation(OLD), zabAdapter, { at: '2026-12-31T23:00:00Z' })?.detail).toEqual({
        field: 'data.municipality',
        list: 'municipality',
        version: 1,
      });
      expect(ledger().refusal('MUNICIPALITY_ALLOCATED', allocation(NEW), zabAdapter, { at: '2026-12-31T22:59:59Z' })?.code).toBe('UNKNOWN_CODE_VALUE');
      expect(ledger().write('MUNICIPALITY_ALLOCATED', allocation(NEW), zabAdapter, { at: '2026-12-31T23:00:00Z' }).event.valueListVersions).toEqual({
        municipality: 1,
        authority: 1,
      });
    });

    test('imported facts are checked against the list, but not its validity periods (they are historical)', () => {
      const l = new TestLedger();
      l.valueLists = { ...TEST_VALUE_LISTS, municipality: [versionInForceFrom('municipality', 1, reform, TEST_LISTS_IN_FORCE_FROM)] };
      l.today = '2027-03-01';
      const imported = l.write('CASE_IMPORTED', {
        facts: [
          { type: 'CASE_REGISTERED', data: { facility: 'AE-DD-TEST', registeredOn: '2025-05-02' } },
          { type: 'MUNICIPALITY_ALLOCATED', data: allocation(OLD) },
        ],
      });
      expect(imported.event.valueListVersions).toEqual({ facility: 1, municipality: 1, authority: 1 });
      const other = new TestLedger('2027-03-01', `c${'b'.repeat(31)}`);
      other.valueLists = l.valueLists;
      const e = other.refusal('CASE_IMPORTED', {
        facts: [
          { type: 'CASE_REGISTERED', data: { facility: 'AE-DD-TEST', registeredOn: '2025-05-02' } },
          { type: 'RECEPTION_ASSIGNED', data: { facility: 'NOPE' } },
        ],
      });
      expect(e?.code).toBe('UNKNOWN_CODE_VALUE');
      expect(e?.detail).toEqual({ field: 'data.facts.1.data.facility', list: 'facility', version: 1 });
    });
  });
});

describe('diff of two versions', () => {
  const v1 = versionInForceFrom(
    'municipality',
    1,
    [
      { code: '14612000', label: 'Dresden, Stadt' },
      { code: '14000001', label: 'Altgemeinde A (Test)' },
      { code: '14000003', label: 'Gemeinde C (Test)' },
      { code: '14000004', label: 'Gemeinde D (Test)' },
    ],
    TEST_LISTS_IN_FORCE_FROM,
  );
  const v2 = versionInForceFrom(
    'municipality',
    2,
    [
      { code: '14612000', label: 'Dresden, Stadt' },
      { code: '14000001', label: 'Altgemeinde A (Test)', validUntil: '2026-12-31', replacedBy: '14000002' },
      { code: '14000002', label: 'Neugemeinde (Test)', validFrom: '2027-01-01' },
      { code: '14000004', label: 'Gemeinde D, Stadt (Test)' },
    ],
    '2026-06-01T10:00:00Z',
  );

  test('added, removed, changed, and retired codes with their successor', () => {
    expect(diffValueLists(v1, v2)).toEqual({
      list: 'municipality',
      from: 1,
      to: 2,
      added: [{ code: '14000002', label: 'Neugemeinde (Test)', validFrom: '2027-01-01' }],
      removed: [{ code: '14000003', label: 'Gemeinde C (Test)' }],
      changed: [
        {
          code: '14000001',
          from: { code: '14000001', label: 'Altgemeinde A (Test)' },
          to: { code: '14000001', label: 'Altgemeinde A (Test)', validUntil: '2026-12-31', replacedBy: '14000002' },
        },
        { code: '14000004', from: { code: '14000004', label: 'Gemeinde D (Test)' }, to: { code: '14000004', label: 'Gemeinde D, Stadt (Test)' } },
      ],
      replaced: [{ code: '14000001', replacedBy: '14000002', validUntil: '2026-12-31' }],
    });
  });

  test('is symmetric in what it reports, and empty between a version and itself', () => {
    const back = diffValueLists(v2, v1);
    expect(back.added.map((e) => e.code)).toEqual(['14000003']);
    expect(back.removed.map((e) => e.code)).toEqual(['14000002']);
    expect(back.replaced).toEqual([]);
    expect(diffValueLists(v1, v1)).toMatchObject({ added: [], removed: [], changed: [], replaced: [] });
  });

  test('refuses versions of different lists', () => {
    expect(() => diffValueLists(v1, (TEST_VALUE_LISTS.court ?? [])[0]!)).toThrow();
  });
});

/** Keeps the type of the fixture honest: the seeded set has version 1 of every list, in force. */
test('the domain fixtures seed version 1 of every list, approved by every member', () => {
  const lists: ValueListSet = TEST_VALUE_LISTS;
  for (const name of ['facility', 'court', 'municipality', 'authority', 'reason'] as const) {
    expect(lists[name]?.map((v) => [v.version, v.inForceFrom, v.approvals.length])).toEqual([[1, TEST_LISTS_IN_FORCE_FROM, Object.keys(ORGS).length]]);
  }
});
