import './support/quiet-logs';
import { canonicalJson } from '../../src/domain';
import { TRANSACTIONS } from '../../src/contract/names';
import { ChaincodeEventPayloadSchema, ListCasesAnswerSchema } from '../../src/domain';
import { Harness } from './support/harness';
import { ID, bamfDetails, fakeCaseId } from './support/fixtures';
import { COURT_A, decidedAndServed, register } from './support/scenarios';

const CASE = fakeCaseId(1);
const registration = { facility: 'AE-DD-TEST', registeredOn: '2026-01-05' };

function lastEvent(h: Harness): { name: string; payload: unknown } {
  const tx = h.ledger.committed[h.ledger.committed.length - 1];
  if (tx?.event === undefined) throw new Error('no event');
  return { name: tx.event.name, payload: JSON.parse(tx.event.payload) };
}

async function casesIn(h: Harness, query: Record<string, string>): Promise<string[]> {
  const page = await h.ok(ListCasesAnswerSchema, ID.zabCaseworker, TRANSACTIONS.ListCases, query);
  return page.items.map((i) => i.caseId);
}

describe('RecordEvent', () => {
  it('stores the event, the case record, the idempotency record and the phase index, and answers with the receipt part', async () => {
    const h = new Harness();
    const seeded = new Set(h.ledger.state.keys());
    const answer = await h.write(ID.zabAdapter, CASE, 'CASE_REGISTERED', registration, { sourceMessageId: 'zab-0001' });
    expect(answer.receipt).toEqual({
      txId: answer.event.txId,
      recordedAt: '2026-01-05T10:00:00.000Z',
      writer: { mspId: 'ZabSachsenMSP', enrollmentId: 'zab-adapter-01', role: 'adapter' },
      ruleVersion: answer.event.ruleVersion,
    });
    expect(answer.event).toMatchObject({ caseId: CASE, type: 'CASE_REGISTERED', sourceMessageId: 'zab-0001', data: registration });
    expect(answer.blocked).toBe(false);
    const families = [...h.ledger.state.keys()].filter((k) => !seeded.has(k)).map((k) => k.split('\u0000')[1]).sort();
    expect(families).toEqual(['case', 'event', 'phase', 'write']);
    expect([...seeded].every((k) => k.startsWith('\u0000valueList\u0000') || k.startsWith('\u0000valueListHead\u0000'))).toBe(true);
    expect(answer.event.valueListVersions).toEqual({ facility: 1 });
    expect(await casesIn(h, { phase: 'INTAKE' })).toEqual([CASE]);
  });

  it('records the actor as {mspId, enrollmentId, role} with the CN only, never the certificate subject', async () => {
    const h = new Harness();
    const answer = await h.write(ID.zabCaseworker, CASE, 'CASE_REGISTERED', registration);
    expect(answer.event.actor).toEqual({ mspId: 'ZabSachsenMSP', enrollmentId: 'Z-0815', role: 'caseworker' });
    expect(h.ledger.publicText().join('\n')).not.toMatch(/x509::|OU=client|ca\.zabsachsen/);
  });

  it('takes the time from the transaction timestamp only', async () => {
    const h = new Harness();
    h.ledger.setTime('2026-03-29T00:59:59.250Z');
    const answer = await h.write(ID.zabAdapter, CASE, 'CASE_REGISTERED', registration);
    expect(answer.event.recordedAt).toBe('2026-03-29T00:59:59.250Z');
    expect(answer.event.occurredAt).toBe('2026-01-05T09:30:00+01:00');
  });

  it('stores every value as canonical JSON', async () => {
    const h = new Harness();
    await decidedAndServed(h, CASE, 'REJECTED_UNFOUNDED');
    for (const value of h.ledger.state.values()) {
      const text = new TextDecoder().decode(value);
      expect(text).toBe(canonicalJson(JSON.parse(text)));
    }
    for (const tx of h.ledger.committed) {
      if (tx.event) expect(tx.event.payload).toBe(canonicalJson(JSON.parse(tx.event.payload)));
    }
  });

  it('emits one CaseEventRecorded with the stored event, txId, recordedAt, ruleVersion and warnings', async () => {
    const h = new Harness();
    const answer = await h.write(ID.zabAdapter, CASE, 'CASE_REGISTERED', registration);
    const event = lastEvent(h);
    expect(event.name).toBe('CaseEventRecorded');
    const payload = ChaincodeEventPayloadSchema.parse(event.payload);
    expect(payload).toEqual({
      event: answer.event,
      txId: answer.receipt.txId,
      recordedAt: answer.receipt.recordedAt,
      ruleVersion: answer.receipt.ruleVersion,
      warnings: answer.warnings,
      blocked: false,
      reasons: [],
    });
  });

  it('answers a return scheduled inside the remedy window as blocked and emits ReturnConflict', async () => {
    const h = new Harness();
    await decidedAndServed(h, CASE, 'REJECTED_MANIFESTLY_UNFOUNDED');
    h.at('2026-02-09');
    const answer = await h.write(ID.zabAdapter, CASE, 'RETURN_SCHEDULED', { kind: 'DEPORTATION' });
    expect(answer.blocked).toBe(true);
    expect(answer.reasons).toEqual(expect.arrayContaining(['RET_REMEDY_WINDOW_OPEN']));
    expect(lastEvent(h).name).toBe('ReturnConflict');

    const urgent = await h.write(ID.zabCaseworker, CASE, 'URGENT_APPLICATION_FILED', { court: 'VG-DD-TEST', courtRef: COURT_A, filedOn: '2026-02-09' });
    expect(lastEvent(h).name).toBe('ReturnConflict');
    expect(urgent.warnings.map((w) => w.code)).toContain('RET_URGENT_APPLICATION');
    expect(await casesIn(h, { warning: 'RET_URGENT_APPLICATION' })).toEqual([CASE]);
    expect(await casesIn(h, { warning: 'RET_REMEDY_WINDOW_OPEN' })).toEqual([]);
  });

  it('keeps the indexes current: stale phase and warning entries are deleted', async () => {
    const h = new Harness();
    await decidedAndServed(h, CASE, 'REJECTED_MANIFESTLY_UNFOUNDED');
    h.at('2026-02-09');
    await h.write(ID.zabAdapter, CASE, 'RETURN_SCHEDULED', { kind: 'DEPORTATION' });
    await h.write(ID.zabCaseworker, CASE, 'URGENT_APPLICATION_FILED', { court: 'VG-DD-TEST', courtRef: COURT_A, filedOn: '2026-02-09' });
    expect(await casesIn(h, { phase: 'ENFORCEMENT' })).toEqual([CASE]);
    h.at('2026-02-20');
    await h.write(ID.zabCaseworker, CASE, 'URGENT_APPLICATION_DECIDED', { courtRef: COURT_A, result: 'REJECTED', decidedOn: '2026-02-20' });
    expect(await casesIn(h, { warning: 'RET_URGENT_APPLICATION' })).toEqual([]);
    await h.write(ID.zabAdapter, CASE, 'RETURN_CANCELLED', { cancellationReason: 'TEST-REASON' });
    expect(await casesIn(h, { phase: 'ENFORCEMENT' })).toEqual([]);
    const phases = [...h.ledger.state.keys()].filter((k) => k.startsWith('\u0000phase\u0000'));
    expect(phases).toHaveLength(1);
  });

  it('writes the writer agency’s caseDetails record from the transient data in the same transaction', async () => {
    const h = new Harness();
    await register(h, CASE, { transient: { caseDetails: bamfDetails() } });
    expect(h.ledger.privateData.get('caseDetails')?.size).toBe(1);
    const [key] = [...(h.ledger.privateData.get('caseDetails')?.keys() ?? [])];
    expect(key).toBe(`\u0000caseDetails\u0000${CASE}\u0000ZabSachsenMSP\u0000`);
  });

  describe('idempotency (domain.md §6)', () => {
    it('answers a retry with ALREADY_APPLIED and the original receipt, writing nothing', async () => {
      const h = new Harness();
      const env = h.envelope(CASE, 'CASE_REGISTERED', registration, { sourceMessageId: 'zab-0001' });
      const first = await h.ok(ChaincodeEventPayloadSchema.pick({ event: true }).loose(), ID.zabAdapter, TRANSACTIONS.RecordEvent, env);
      const retry = await h.call(ID.zabCaseworker, TRANSACTIONS.RecordEvent, env);
      expect(retry.ok).toBe(false);
      if (retry.ok) return;
      expect(retry.code).toBe('ALREADY_APPLIED');
      expect(retry.detail?.['receipt']).toEqual({
        txId: first.event.txId,
        recordedAt: first.event.recordedAt,
        writer: first.event.actor,
        ruleVersion: first.event.ruleVersion,
      });
      expect(retry.stub.isWriteSetEmpty()).toBe(true);
    });

    it('refuses the same sourceMessageId with other content as IDEMPOTENCY_CONFLICT, writing nothing', async () => {
      const h = new Harness();
      await h.write(ID.zabAdapter, CASE, 'CASE_REGISTERED', registration, { sourceMessageId: 'zab-0001' });
      const other = h.envelope(CASE, 'RECEPTION_ASSIGNED', { facility: 'AE-DD-TEST' }, { sourceMessageId: 'zab-0001' });
      const refusal = await h.call(ID.zabAdapter, TRANSACTIONS.RecordEvent, other);
      expect(refusal.ok ? undefined : refusal.code).toBe('IDEMPOTENCY_CONFLICT');
      expect(refusal.stub.isWriteSetEmpty()).toBe(true);
    });

    it('keys idempotency per writer MSP: the other agency may use the same sourceMessageId', async () => {
      const h = new Harness();
      await register(h, CASE);
      await h.write(ID.zabAdapter, CASE, 'RECEPTION_ASSIGNED', { facility: 'AE-DD-TEST' }, { sourceMessageId: 'shared-0001' });
      await h.write(ID.bamfAdapter, CASE, 'APPLICATION_FILED', { filedOn: '2026-01-06' }, { sourceMessageId: 'shared-0001' });
    });
  });

  describe('refusals write nothing', () => {
    const valid = { caseId: CASE, type: 'CASE_REGISTERED', occurredAt: '2026-01-05T09:30:00+01:00', sourceMessageId: 'zab-0001', data: registration };
    const cases: [string, unknown][] = [
      ['malformed JSON', '{"caseId":'],
      ['JSON that is not an object', '[1,2,3]'],
      ['an unknown type', { ...valid, type: 'CASE_TELEPORTED' }],
      ['an unknown envelope field', { ...valid, note: 'x' }],
      ['an unknown data field', { ...valid, data: { ...registration, note: 'x' } }],
      ['a missing field', { ...valid, occurredAt: undefined }],
      ['an oversize sourceMessageId', { ...valid, sourceMessageId: 'm'.repeat(129) }],
      ['an oversize code', { ...valid, data: { ...registration, facility: 'F'.repeat(65) } }],
      ['an oversize argument', { ...valid, data: { ...registration, facility: 'F'.repeat(300_000) } }],
      ['\\u0000 in the caseId', { ...valid, caseId: `${CASE.slice(0, 31)}\u0000` }],
      ['\\u0000 in the sourceMessageId', { ...valid, sourceMessageId: 'zab\u00000001' }],
      ['\\u{10FFFF} in the caseId', { ...valid, caseId: `${CASE.slice(0, 31)}\u{10FFFF}` }],
      ['\\u{10FFFF} in the sourceMessageId', { ...valid, sourceMessageId: 'zab-\u{10FFFF}' }],
      ['an impossible date', { ...valid, data: { ...registration, registeredOn: '2026-02-30' } }],
      ['an occurredAt without offset', { ...valid, occurredAt: '2026-01-05T09:30:00' }],
      ['CASE_IMPORTED (ImportCase only)', { ...valid, type: 'CASE_IMPORTED', data: { facts: [{ type: 'CASE_REGISTERED', data: registration }] } }],
      ['PERSONAL_DATA_PURGED (PurgePrivateData only)', { ...valid, type: 'PERSONAL_DATA_PURGED', data: { collection: 'caseDetails' } }],
    ];

    it.each(cases)('INVALID_INPUT for %s', async (_label, arg) => {
      const h = new Harness();
      const seeded = new Map(h.ledger.state);
      const refusal = await h.call(ID.zabAdapter, TRANSACTIONS.RecordEvent, arg);
      expect(refusal.ok ? undefined : refusal.code).toBe('INVALID_INPUT');
      expect(refusal.stub.isWriteSetEmpty()).toBe(true);
      expect(h.ledger.state).toEqual(seeded);
    });

    it('INVALID_INPUT for a malformed caseDetails transient, before anything is written', async () => {
      const h = new Harness();
      const env = h.envelope(CASE, 'CASE_REGISTERED', registration);
      const refusal = await h.call(ID.zabAdapter, TRANSACTIONS.RecordEvent, env, { transient: { caseDetails: '{"salt":"short"}' } });
      expect(refusal.ok ? undefined : refusal.code).toBe('INVALID_INPUT');
      expect(refusal.stub.isWriteSetEmpty()).toBe(true);
    });

    it.each([
      ['an auditor', ID.bamfAuditor, 'FORBIDDEN_ROLE'],
      ['an admin (imports and purges have their own transactions)', ID.zabAdmin, 'FORBIDDEN_ROLE'],
      ['an identity without role', ID.zabNoRole, 'FORBIDDEN_ROLE'],
      ['an identity with an unknown role', ID.zabBadRole, 'FORBIDDEN_ROLE'],
      ['an MSP outside the directory', ID.foreign, 'FORBIDDEN_ROLE'],
      ['the federal office writing a state-authority event', ID.bamfAdapter, 'NOT_OWNER'],
    ])('%s is refused', async (_label, identity, code) => {
      const h = new Harness();
      const refusal = await h.call(identity, TRANSACTIONS.RecordEvent, h.envelope(CASE, 'CASE_REGISTERED', registration));
      expect(refusal.ok ? undefined : refusal.code).toBe(code);
      expect(refusal.stub.isWriteSetEmpty()).toBe(true);
    });

    it('checks the schema before the role', async () => {
      const h = new Harness();
      expect((await h.refused(ID.bamfAuditor, TRANSACTIONS.RecordEvent, '{')).code).toBe('INVALID_INPUT');
    });

    it('CASE_NOT_FOUND for an event on an unknown case, CASE_EXISTS for a second registration', async () => {
      const h = new Harness();
      expect((await h.refused(ID.bamfAdapter, TRANSACTIONS.RecordEvent, h.envelope(CASE, 'APPLICATION_FILED', { filedOn: '2026-01-06' }))).code).toBe('CASE_NOT_FOUND');
      await register(h, CASE);
      expect((await h.refused(ID.zabAdapter, TRANSACTIONS.RecordEvent, h.envelope(CASE, 'CASE_REGISTERED', registration))).code).toBe('CASE_EXISTS');
    });

    it('PRECONDITION_FAILED with missing or conflicting codes', async () => {
      const h = new Harness();
      await register(h, CASE);
      const refusal = await h.refused(ID.bamfAdapter, TRANSACTIONS.RecordEvent, h.envelope(CASE, 'HEARING_HELD', {}));
      expect(refusal.code).toBe('PRECONDITION_FAILED');
      expect(refusal.message).toMatch(/^\[PRECONDITION_FAILED\] \{"missing":\[/);
    });
  });

  it('maps an unexpected failure to a generic LEDGER_UNAVAILABLE without its text', async () => {
    const h = new Harness();
    await register(h, CASE);
    const caseKey = [...h.ledger.state.keys()].find((k) => k.startsWith('\u0000case\u0000'))!;
    h.ledger.state.set(caseKey, new TextEncoder().encode('{"caseId":"Erika Mustermann"'));
    const refusal = await h.refused(ID.bamfAdapter, TRANSACTIONS.RecordEvent, h.envelope(CASE, 'APPLICATION_FILED', { filedOn: '2026-01-06' }));
    expect(refusal.message).toBe('[LEDGER_UNAVAILABLE] {"reason":"CHAINCODE_INTERNAL"}');
  });
});
