/**
 * Test fixtures for the domain core: obviously fake identifiers, actors of both agencies, an in-memory
 * ledger that runs `decide` like the contract does, and realistic case histories.
 */
import {
  DomainError,
  EVENT_WRITER,
  approveValueList,
  decide,
  proposeValueList,
  type DecideResult,
  type EventType,
  type IdempotencyRecord,
  type OrgDirectory,
  type StoredEvent,
  type ValueListEntry,
  type ValueListName,
  type ValueListSet,
  type ValueListVersion,
} from '../../src/domain';

export const BAMF = 'BamfMSP';
export const ZAB = 'ZabSachsenMSP';
/** A second state authority, to test ownership and transfers of responsibility. */
export const OTHER_STATE = 'LandXMSP';

export const ORGS: OrgDirectory = {
  [BAMF]: { kind: 'FEDERAL_OFFICE' },
  [ZAB]: { kind: 'STATE_AUTHORITY' },
  [OTHER_STATE]: { kind: 'STATE_AUTHORITY' },
};

/** Obviously fake pseudonyms: the real ones are HMAC outputs. */
export const CASE_ID = `c${'a'.repeat(31)}`;
export const CASE_ID_2 = `c${'b'.repeat(31)}`;
export const COURT_A = `r${'a'.repeat(31)}`;
export const COURT_B = `r${'b'.repeat(31)}`;
export const COURT_C = `r${'c'.repeat(31)}`;

export interface TestActor {
  readonly mspId: string;
  readonly enrollmentId: string;
  readonly role: string;
}

export const bamfAdapter: TestActor = { mspId: BAMF, enrollmentId: 'test-bamf-adapter', role: 'adapter' };
export const bamfCaseworker: TestActor = { mspId: BAMF, enrollmentId: 'test-bamf-cw-0001', role: 'caseworker' };
export const bamfAdmin: TestActor = { mspId: BAMF, enrollmentId: 'test-bamf-admin', role: 'admin' };
export const bamfAuditor: TestActor = { mspId: BAMF, enrollmentId: 'test-bamf-auditor', role: 'auditor' };
export const zabAdapter: TestActor = { mspId: ZAB, enrollmentId: 'test-zab-adapter', role: 'adapter' };
export const zabCaseworker: TestActor = { mspId: ZAB, enrollmentId: 'test-zab-cw-0001', role: 'caseworker' };
export const zabAdmin: TestActor = { mspId: ZAB, enrollmentId: 'test-zab-admin', role: 'admin' };
export const zabAuditor: TestActor = { mspId: ZAB, enrollmentId: 'test-zab-auditor', role: 'auditor' };
export const otherStateAdapter: TestActor = { mspId: OTHER_STATE, enrollmentId: 'test-landx-adapter', role: 'adapter' };

/** Every reason use, for test reason codes that serve all three fields. */
const ALL_USES = ['withdrawalReason', 'cancellationReason', 'retractionReason'] as const;

/** The codes the domain tests use, per list: obviously fake test codes (and Dresden's real AGS). */
export const TEST_LIST_ENTRIES: Readonly<Record<ValueListName, readonly ValueListEntry[]>> = {
  facility: ['AE', 'AE-0', 'AE-1', 'AE-2', 'AE-A', 'AE-B', 'AE-DD-TEST', 'AE-DD-TEST2', 'AE-T', 'AE-X', 'EAE-DD-1', 'EAE-DD-2'].map((code) => ({ code })),
  court: ['VG', 'VG-DD-TEST', 'VG-T'].map((code) => ({ code })),
  municipality: [{ code: '14612000', label: 'Dresden, Stadt' }],
  authority: ['ABH-DD-TEST', 'ABH-LEIPZIG-TEST', 'ABH-T', 'ABH-TEST', BAMF, ZAB, OTHER_STATE].map((code) => ({ code })),
  reason: ['C', 'ERROR-TEST', 'ILLNESS-TEST', 'R', 'TEST-ERROR', 'TEST-REASON', 'W', 'WRONG-CASE-TEST', 'WRONG-DATE', 'X'].map((code) => ({
    code,
    usedFor: [...ALL_USES],
  })),
};

/** The instant the test value lists came into force: long before any test's transaction time. */
export const TEST_LISTS_IN_FORCE_FROM = '2020-01-01T00:00:00Z';

/**
 * A version in force, made the way the ledger makes one: proposed by BAMF's admin, approved by every
 * other member's admin of `orgs`, the last approval at `inForceFrom`.
 */
export function versionInForceFrom(
  list: ValueListName,
  version: number,
  entries: readonly ValueListEntry[],
  inForceFrom: string,
  orgs: OrgDirectory = ORGS,
): ValueListVersion {
  const proposerMsp = Object.prototype.hasOwnProperty.call(orgs, BAMF) ? BAMF : Object.keys(orgs)[0]!;
  const base = { txId: `tx-vl-${list}-${version}`, txTime: inForceFrom, orgs, head: undefined };
  let change = proposeValueList({
    ...base,
    head: version === 1 ? undefined : { list, inForce: Array.from({ length: version - 1 }, (_, i) => ({ version: i + 1, inForceFrom: TEST_LISTS_IN_FORCE_FROM })), pending: null },
    input: { list, version, entries },
    actor: { mspId: proposerMsp, enrollmentId: 'test-admin', role: 'admin' },
    existing: undefined,
  });
  for (const mspId of Object.keys(orgs).filter((m) => m !== proposerMsp)) {
    change = approveValueList({
      ...base,
      head: change.head,
      input: { list, version, contentHash: change.version.contentHash },
      actor: { mspId, enrollmentId: 'test-admin', role: 'admin' },
      existing: change.version,
    });
  }
  return change.version;
}

/** Version 1 of every list with {@link TEST_LIST_ENTRIES}, in force since {@link TEST_LISTS_IN_FORCE_FROM}. */
export function testValueLists(orgs: OrgDirectory = ORGS): ValueListSet {
  const lists: Partial<Record<ValueListName, readonly ValueListVersion[]>> = {};
  for (const [list, entries] of Object.entries(TEST_LIST_ENTRIES) as [ValueListName, readonly ValueListEntry[]][]) {
    lists[list] = [versionInForceFrom(list, 1, entries, TEST_LISTS_IN_FORCE_FROM, orgs)];
  }
  return lists;
}

/** The seeded value-list state every domain test writes against. */
export const TEST_VALUE_LISTS: ValueListSet = testValueLists();

/** The agency's adapter that normally writes a type (ZAB for state-authority events and court facts). */
export function writerOf(type: EventType): TestActor {
  if (type === 'CASE_IMPORTED' || type === 'PERSONAL_DATA_PURGED') return zabAdmin;
  if (type === 'WARNING_ACKNOWLEDGED') return zabCaseworker;
  return EVENT_WRITER[type] === 'FEDERAL_OFFICE' ? bamfAdapter : zabAdapter;
}

/** A `txTime` on a Berlin date at noon (UTC 10:00 or 11:00 is the same Berlin date either way). */
export function noon(date: string): string {
  return `${date}T10:00:00Z`;
}

export interface WriteOptions {
  /** The transaction time; defaults to noon of the ledger's current date. */
  readonly at?: string;
  readonly sourceMessageId?: string;
  readonly occurredAt?: string;
  readonly caseId?: string;
}

/**
 * An in-memory ledger for one case that does what the contract does around `decide`: looks up the
 * idempotency record, passes the history, appends accepted events.
 */
export class TestLedger {
  readonly history: StoredEvent[] = [];
  readonly idempotency = new Map<string, IdempotencyRecord>();
  private tx = 0;
  private msg = 0;
  /** The Berlin date new writes default to. */
  today: string;
  last: DecideResult | undefined;

  constructor(
    today = '2026-01-05',
    readonly caseId = CASE_ID,
    readonly orgs: OrgDirectory = ORGS,
    /** The value lists writes are judged against (seeded version 1 of every list by default). */
    public valueLists: ValueListSet = TEST_VALUE_LISTS,
  ) {
    this.today = today;
  }

  /** Writes an event; returns the decision or throws the refusal. */
  write(type: EventType, data: unknown, actor: TestActor = writerOf(type), options: WriteOptions = {}): DecideResult {
    this.tx += 1;
    this.msg += 1;
    const txTime = options.at ?? noon(this.today);
    const sourceMessageId = options.sourceMessageId ?? `test-msg-${String(this.msg).padStart(4, '0')}`;
    const input = {
      caseId: options.caseId ?? this.caseId,
      type,
      occurredAt: options.occurredAt ?? txTime,
      sourceMessageId,
      data,
    };
    const key = `${actor.mspId}|${sourceMessageId}`;
    const result = decide({
      input,
      actor,
      txId: `tx-${String(this.tx).padStart(4, '0')}`,
      txTime,
      orgs: this.orgs,
      history: this.history,
      idempotency: this.idempotency.get(key),
      valueLists: this.valueLists,
    });
    this.history.push(result.event);
    this.idempotency.set(key, { contentHash: result.contentHash, event: result.event });
    this.last = result;
    return result;
  }

  /** Writes and returns the refusal, or undefined when accepted. */
  refusal(type: EventType, data: unknown, actor: TestActor = writerOf(type), options: WriteOptions = {}): DomainError | undefined {
    try {
      this.write(type, data, actor, options);
      return undefined;
    } catch (e) {
      if (e instanceof DomainError) return e;
      throw e;
    }
  }

  /** The txId of the last accepted event of `type`. */
  txOf(type: EventType): string {
    const e = [...this.history].reverse().find((x) => x.type === type);
    if (e === undefined) throw new Error(`no ${type} in history`);
    return e.txId;
  }
}

// ----- realistic histories (fake data, plausible dates) -----

/** Registration and application. */
export function registeredWithApplication(l: TestLedger): void {
  l.today = '2026-01-05';
  l.write('CASE_REGISTERED', { facility: 'AE-DD-TEST', registeredOn: '2026-01-05' });
  l.write('APPLICATION_FILED', { filedOn: '2026-01-06' });
}

/** Hearing held and a decision issued and served. */
export function decidedAndServed(l: TestLedger, outcome: string, decidedOn = '2026-02-02', servedOn = '2026-02-04'): void {
  registeredWithApplication(l);
  l.today = '2026-01-10';
  l.write('HEARING_SCHEDULED', { hearingOn: '2026-01-20' });
  l.today = '2026-01-20';
  l.write('HEARING_HELD', {});
  l.today = decidedOn;
  l.write('DECISION_ISSUED', { outcome, decidedOn });
  l.today = servedOn;
  l.write('DECISION_SERVED', { servedOn });
}

/** Protection granted, served, municipality allocated, final. */
export function protectionToAllocation(l: TestLedger): void {
  registeredWithApplication(l);
  l.today = '2026-02-02';
  l.write('DECISION_ISSUED', { outcome: 'REFUGEE_STATUS_GRANTED', decidedOn: '2026-02-02' });
  l.today = '2026-02-04';
  l.write('DECISION_SERVED', { servedOn: '2026-02-04' });
  l.write('MUNICIPALITY_ALLOCATED', { municipality: '14612000', authority: 'ABH-DD-TEST', basis: 'PROTECTION' });
  l.today = '2026-02-20';
  l.write('DECISION_FINAL', {});
}

/** Rejected as unfounded, appeal filed (§ 75 suspensive), appeal dismissed, final. */
export function rejectionWithAppeal(l: TestLedger): void {
  decidedAndServed(l, 'REJECTED_UNFOUNDED');
  l.today = '2026-02-10';
  l.write('APPEAL_FILED', { court: 'VG-DD-TEST', courtRef: COURT_A, filedOn: '2026-02-10' });
  l.today = '2026-09-15';
  l.write('COURT_PROCEEDINGS_CONCLUDED', { courtRef: COURT_A, result: 'DECISION_UPHELD', finalOn: '2026-09-15' });
  l.today = '2026-09-16';
  l.write('DECISION_FINAL', {});
}

/** Dublin: request accepted, person absconds, deadline extended to 18 months, transfer scheduled. */
export function dublinWithAbsconding(l: TestLedger): void {
  registeredWithApplication(l);
  l.write('DUBLIN_PROCEDURE_STARTED', { memberState: 'PL' });
  l.today = '2026-02-27';
  l.write('DUBLIN_TRANSFER_ACCEPTED', { acceptedOn: '2026-02-27' });
  l.today = '2026-03-03';
  l.write('DECISION_ISSUED', { outcome: 'INADMISSIBLE_DUBLIN', decidedOn: '2026-03-03' });
  l.today = '2026-03-05';
  l.write('DECISION_SERVED', { servedOn: '2026-03-05' });
  l.today = '2026-04-01';
  l.write('PERSON_ABSCONDED', {});
  l.write('DUBLIN_DEADLINE_EXTENDED', { months: 18, basis: 'ABSCONDING' });
}

/** Manifestly unfounded, served; ZAB schedules a deportation inside the one-week remedy window. */
export function manifestlyUnfoundedReturnInWindow(l: TestLedger): void {
  decidedAndServed(l, 'REJECTED_MANIFESTLY_UNFOUNDED', '2026-02-02', '2026-02-04');
  l.today = '2026-02-09';
  l.write('RETURN_SCHEDULED', { kind: 'DEPORTATION' });
}

/** A returnee: rejected, final, deported, comes back and files a follow-up application. */
export function returneeFollowUp(l: TestLedger): void {
  decidedAndServed(l, 'REJECTED_MANIFESTLY_UNFOUNDED', '2026-02-02', '2026-02-04');
  l.today = '2026-02-16';
  l.write('DECISION_FINAL', {});
  l.today = '2026-03-02';
  l.write('RETURN_SCHEDULED', { kind: 'DEPORTATION' });
  l.today = '2026-03-10';
  l.write('RETURN_EXECUTION_STARTED', {});
  l.write('RETURN_COMPLETED', { completedOn: '2026-03-10' });
  l.today = '2026-11-02';
  l.write('FOLLOW_UP_APPLICATION_FILED', { filedOn: '2026-11-02' });
}
