import './support/quiet-logs';
import { TRANSACTIONS } from '../../src/contract/names';
import {
  CaseAnswerSchema,
  CaseDetailsAnswerSchema,
  EnforcementAnswerSchema,
  PutCaseDetailsAnswerSchema,
  PutEnforcementAnswerSchema,
  RecordAnswerSchema,
} from '../../src/domain';
import { Harness } from './support/harness';
import { ID, PERSONAL, SALT_A, bamfDetails, fakeCaseId, zabDetails, zabEnforcement } from './support/fixtures';
import { register } from './support/scenarios';

const CASE = fakeCaseId(1);
const OTHER = fakeCaseId(2);

async function withBothDetails(h: Harness): Promise<void> {
  await register(h, CASE, { transient: { caseDetails: zabDetails() } });
  await h.ok(PutCaseDetailsAnswerSchema, ID.bamfCaseworker, TRANSACTIONS.PutCaseDetails, { caseId: CASE }, { transient: { caseDetails: bamfDetails() } });
}

function purgeRequest(collection: string, sourceMessageId = 'purge-0001', caseId = CASE): Record<string, string> {
  return { caseId, collection, sourceMessageId, occurredAt: '2026-03-01T08:00:00+01:00' };
}

describe('caseDetails', () => {
  it('keeps one record per agency per case and shows both to either agency’s caseworkers and adapters', async () => {
    const h = new Harness();
    await withBothDetails(h);
    const answer = await h.ok(CaseDetailsAnswerSchema, ID.zabAdapter, TRANSACTIONS.GetCaseDetails, { caseId: CASE });
    expect(answer.records.map((r) => [r.agency, r.status])).toEqual([
      ['BamfMSP', 'PRESENT'],
      ['ZabSachsenMSP', 'PRESENT'],
    ]);
    expect(answer.records[0]?.record?.details.familyName).toBe(PERSONAL.familyName);
    expect(answer.records[0]?.record?.writer).toEqual({ mspId: 'BamfMSP', enrollmentId: 'B-4711', role: 'caseworker' });
    expect(JSON.stringify(answer)).not.toContain(SALT_A);
  });

  it('PutCaseDetails writes only private data and emits no chaincode event', async () => {
    const h = new Harness();
    await register(h, CASE);
    const result = await h.call(ID.bamfAdapter, TRANSACTIONS.PutCaseDetails, { caseId: CASE }, { transient: { caseDetails: bamfDetails() } });
    expect(result.ok).toBe(true);
    const ws = result.stub.writeSet();
    expect([ws.puts.size, ws.deletes.size, ws.event]).toEqual([0, 0, undefined]);
    expect([...(ws.privatePuts.get('caseDetails')?.keys() ?? [])]).toHaveLength(1);
  });

  it.each([
    ['an auditor writing', ID.bamfAuditor, 'FORBIDDEN_ROLE'],
    ['an admin writing', ID.bamfAdmin, 'FORBIDDEN_ROLE'],
    ['no role', ID.zabNoRole, 'FORBIDDEN_ROLE'],
    ['an MSP outside the directory', ID.foreign, 'FORBIDDEN_ROLE'],
  ])('PutCaseDetails refuses %s', async (_label, identity, code) => {
    const h = new Harness();
    await register(h, CASE);
    const refusal = await h.call(identity, TRANSACTIONS.PutCaseDetails, { caseId: CASE }, { transient: { caseDetails: bamfDetails() } });
    expect(refusal.ok ? undefined : refusal.code).toBe(code);
    expect(refusal.stub.isWriteSetEmpty()).toBe(true);
  });

  it('PutCaseDetails needs the case, the transient record and a valid salt', async () => {
    const h = new Harness();
    expect((await h.refused(ID.bamfAdapter, TRANSACTIONS.PutCaseDetails, { caseId: CASE }, { transient: { caseDetails: bamfDetails() } })).code).toBe('CASE_NOT_FOUND');
    await register(h, CASE);
    expect((await h.refused(ID.bamfAdapter, TRANSACTIONS.PutCaseDetails, { caseId: CASE })).code).toBe('INVALID_INPUT');
    const badSalt = JSON.stringify({ salt: Buffer.alloc(16, 1).toString('base64'), familyName: PERSONAL.familyName });
    const refusal = await h.refused(ID.bamfAdapter, TRANSACTIONS.PutCaseDetails, { caseId: CASE }, { transient: { caseDetails: badSalt } });
    expect(refusal.code).toBe('INVALID_INPUT');
    expect(refusal.message).not.toContain(PERSONAL.familyName);
  });

  it.each([
    ['an auditor', ID.zabAuditor],
    ['an admin', ID.zabAdmin],
    ['no role', ID.zabNoRole],
  ])('GetCaseDetails refuses %s with FORBIDDEN_ROLE', async (_label, identity) => {
    const h = new Harness();
    await withBothDetails(h);
    expect((await h.refused(identity, TRANSACTIONS.GetCaseDetails, { caseId: CASE })).code).toBe('FORBIDDEN_ROLE');
  });
});

describe('zabEnforcement', () => {
  it('is written by ZAB in a transaction with no public write and no chaincode event', async () => {
    const h = new Harness();
    await register(h, CASE);
    const stateBefore = new Map(h.ledger.state);
    const result = await h.call(ID.zabCaseworker, TRANSACTIONS.PutEnforcement, { caseId: CASE }, { transient: { zabEnforcement: zabEnforcement() } });
    expect(result.ok).toBe(true);
    PutEnforcementAnswerSchema.parse(result.ok ? result.value : undefined);
    const ws = result.stub.writeSet();
    expect([ws.puts.size, ws.deletes.size, ws.event, result.stub.setEventCalls]).toEqual([0, 0, undefined, 0]);
    expect(h.ledger.state).toEqual(stateBefore);
    expect(h.ledger.committed[h.ledger.committed.length - 1]?.event).toBeUndefined();
    const read = await h.ok(EnforcementAnswerSchema, ID.zabAdapter, TRANSACTIONS.GetEnforcement, { caseId: CASE });
    expect(read.status).toBe('PRESENT');
    expect(read.record?.enforcement).toEqual({ kind: 'DEPORTATION', scheduledOn: PERSONAL.zabScheduledOn });
  });

  it.each([
    ['BAMF’s adapter', ID.bamfAdapter, 'NOT_OWNER'],
    ['BAMF’s caseworker', ID.bamfCaseworker, 'NOT_OWNER'],
    ['ZAB’s auditor', ID.zabAuditor, 'FORBIDDEN_ROLE'],
    ['ZAB’s admin', ID.zabAdmin, 'FORBIDDEN_ROLE'],
    ['no role', ID.zabNoRole, 'FORBIDDEN_ROLE'],
  ])('refuses %s writing or reading it', async (_label, identity, code) => {
    const h = new Harness();
    await register(h, CASE);
    const write = await h.call(identity, TRANSACTIONS.PutEnforcement, { caseId: CASE }, { transient: { zabEnforcement: zabEnforcement() } });
    expect(write.ok ? undefined : write.code).toBe(code);
    expect(write.stub.isWriteSetEmpty()).toBe(true);
    expect((await h.refused(identity, TRANSACTIONS.GetEnforcement, { caseId: CASE })).code).toBe(code);
  });

  it('needs the case and a valid transient record', async () => {
    const h = new Harness();
    expect((await h.refused(ID.zabAdapter, TRANSACTIONS.PutEnforcement, { caseId: CASE }, { transient: { zabEnforcement: zabEnforcement() } })).code).toBe('CASE_NOT_FOUND');
    await register(h, CASE);
    expect((await h.refused(ID.zabAdapter, TRANSACTIONS.PutEnforcement, { caseId: CASE })).code).toBe('INVALID_INPUT');
    const undated = JSON.stringify({ salt: SALT_A, kind: 'DEPORTATION', scheduledOn: '2026-13-01' });
    expect((await h.refused(ID.zabAdapter, TRANSACTIONS.PutEnforcement, { caseId: CASE }, { transient: { zabEnforcement: undated } })).code).toBe('INVALID_INPUT');
  });
});

describe('PurgePrivateData', () => {
  it('purges both agencies’ caseDetails records of the case, records PERSONAL_DATA_PURGED and shows the details as erased', async () => {
    const h = new Harness();
    await withBothDetails(h);
    await register(h, OTHER, { transient: { caseDetails: zabDetails() } });
    h.at('2026-03-01');
    const answer = await h.ok(RecordAnswerSchema, ID.bamfAdmin, TRANSACTIONS.PurgePrivateData, purgeRequest('caseDetails'));
    expect(answer.purged).toBe(2);
    expect(answer.event).toMatchObject({ type: 'PERSONAL_DATA_PURGED', data: { collection: 'caseDetails' }, actor: { role: 'admin' } });
    expect(h.ledger.committed[h.ledger.committed.length - 1]?.event?.name).toBe('CaseEventRecorded');
    expect([...(h.ledger.privateData.get('caseDetails')?.keys() ?? [])]).toEqual([`\u0000caseDetails\u0000${OTHER}\u0000ZabSachsenMSP\u0000`]);
    const details = await h.ok(CaseDetailsAnswerSchema, ID.zabCaseworker, TRANSACTIONS.GetCaseDetails, { caseId: CASE });
    expect(details.records.map((r) => r.status)).toEqual(['ERASED', 'ERASED']);
    const view = await h.ok(CaseAnswerSchema, ID.zabAuditor, TRANSACTIONS.GetCase, { caseId: CASE });
    expect(view.purged).toEqual(['caseDetails']);
  });

  it('answers a retried purge with ALREADY_APPLIED and purges nothing more', async () => {
    const h = new Harness();
    await withBothDetails(h);
    await h.ok(RecordAnswerSchema, ID.zabAdmin, TRANSACTIONS.PurgePrivateData, purgeRequest('caseDetails'));
    const retry = await h.call(ID.zabAdmin, TRANSACTIONS.PurgePrivateData, purgeRequest('caseDetails'));
    expect(retry.ok ? undefined : retry.code).toBe('ALREADY_APPLIED');
    expect(retry.stub.isWriteSetEmpty()).toBe(true);
  });

  it('purges zabEnforcement for ZAB’s admin only', async () => {
    const h = new Harness();
    await register(h, CASE);
    await h.ok(PutEnforcementAnswerSchema, ID.zabAdapter, TRANSACTIONS.PutEnforcement, { caseId: CASE }, { transient: { zabEnforcement: zabEnforcement() } });
    const bamf = await h.call(ID.bamfAdmin, TRANSACTIONS.PurgePrivateData, purgeRequest('zabEnforcement'));
    expect(bamf.ok ? undefined : bamf.code).toBe('NOT_OWNER');
    expect(bamf.stub.isWriteSetEmpty()).toBe(true);
    const answer = await h.ok(RecordAnswerSchema, ID.zabAdmin, TRANSACTIONS.PurgePrivateData, purgeRequest('zabEnforcement'));
    expect(answer.purged).toBe(1);
    expect((await h.ok(EnforcementAnswerSchema, ID.zabCaseworker, TRANSACTIONS.GetEnforcement, { caseId: CASE })).status).toBe('ERASED');
  });

  it.each([
    ['a caseworker', ID.zabCaseworker],
    ['an adapter', ID.bamfAdapter],
    ['an auditor', ID.bamfAuditor],
    ['no role', ID.zabNoRole],
  ])('refuses %s with FORBIDDEN_ROLE and purges nothing', async (_label, identity) => {
    const h = new Harness();
    await withBothDetails(h);
    const refusal = await h.call(identity, TRANSACTIONS.PurgePrivateData, purgeRequest('caseDetails'));
    expect(refusal.ok ? undefined : refusal.code).toBe('FORBIDDEN_ROLE');
    expect(refusal.stub.isWriteSetEmpty()).toBe(true);
    expect(h.ledger.privateData.get('caseDetails')?.size).toBe(2);
  });

  it('refuses an unknown case and an unknown collection without purging', async () => {
    const h = new Harness();
    await withBothDetails(h);
    const unknown = await h.call(ID.zabAdmin, TRANSACTIONS.PurgePrivateData, purgeRequest('caseDetails', 'purge-0002', OTHER));
    expect(unknown.ok ? undefined : unknown.code).toBe('CASE_NOT_FOUND');
    expect(unknown.stub.isWriteSetEmpty()).toBe(true);
    expect((await h.refused(ID.zabAdmin, TRANSACTIONS.PurgePrivateData, purgeRequest('everything'))).code).toBe('INVALID_INPUT');
  });
});

describe('ImportCase', () => {
  const zabImport = (h: Harness, sourceMessageId = 'import-zab-1') =>
    h.envelope(CASE, 'CASE_IMPORTED', { facts: [{ type: 'CASE_REGISTERED', data: { facility: 'AE-DD-TEST', registeredOn: '2025-11-03' } }] }, { sourceMessageId });

  it('creates the case for an admin through the domain, with the caseDetails record if sent', async () => {
    const h = new Harness();
    const answer = await h.ok(RecordAnswerSchema, ID.zabAdmin, TRANSACTIONS.ImportCase, zabImport(h), { transient: { caseDetails: zabDetails() } });
    expect(answer.event.type).toBe('CASE_IMPORTED');
    expect(h.ledger.committed[h.ledger.committed.length - 1]?.event?.name).toBe('CaseEventRecorded');
    const view = await h.ok(CaseAnswerSchema, ID.bamfCaseworker, TRANSACTIONS.GetCase, { caseId: CASE });
    expect(view.flags.imported).toBe(true);
    expect(view.importedBy).toEqual(['ZabSachsenMSP']);
    expect(h.ledger.privateData.get('caseDetails')?.size).toBe(1);
    const bamf = h.envelope(CASE, 'CASE_IMPORTED', { facts: [{ type: 'APPLICATION_FILED', data: { filedOn: '2025-11-04' } }] });
    await h.ok(RecordAnswerSchema, ID.bamfAdmin, TRANSACTIONS.ImportCase, bamf);
  });

  it.each([
    ['an adapter', ID.zabAdapter],
    ['a caseworker', ID.zabCaseworker],
    ['an auditor', ID.zabAuditor],
    ['no role', ID.zabNoRole],
  ])('refuses %s with FORBIDDEN_ROLE', async (_label, identity) => {
    const h = new Harness();
    const refusal = await h.call(identity, TRANSACTIONS.ImportCase, zabImport(h));
    expect(refusal.ok ? undefined : refusal.code).toBe('FORBIDDEN_ROLE');
    expect(refusal.stub.isWriteSetEmpty()).toBe(true);
  });

  it('accepts only CASE_IMPORTED', async () => {
    const h = new Harness();
    const env = h.envelope(CASE, 'CASE_REGISTERED', { facility: 'AE-DD-TEST', registeredOn: '2026-01-05' });
    expect((await h.refused(ID.zabAdmin, TRANSACTIONS.ImportCase, env)).code).toBe('INVALID_INPUT');
  });

  it('refuses facts of the other agency’s types with NOT_OWNER', async () => {
    const h = new Harness();
    const env = h.envelope(CASE, 'CASE_IMPORTED', { facts: [{ type: 'APPLICATION_FILED', data: { filedOn: '2025-11-04' } }] });
    expect((await h.refused(ID.zabAdmin, TRANSACTIONS.ImportCase, env)).code).toBe('NOT_OWNER');
  });
});
