import { DomainError } from '../../src/domain/errors';
import { Keys } from '../../src/contract/keys';
import { PrivateRecords, readCaseDetailsInput, readEnforcementInput } from '../../src/contract/private-data';
import { SaltSchema } from '../../src/domain';
import { FakeLedger } from './support/fake-stub';
import { PERSONAL, SALT_A, bamfDetails, fakeCaseId, zabEnforcement } from './support/fixtures';

const CASE = fakeCaseId(1);
const STAMP = {
  txId: 'tx-1',
  recordedAt: '2025-03-03T09:00:00.000Z',
  writer: { mspId: 'BamfMSP', enrollmentId: 'B-4711', role: 'caseworker' as const },
};

function errorOf(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a DomainError');
}

describe('salt', () => {
  it('accepts exactly 32 bytes of canonical base64', () => {
    expect(SaltSchema.safeParse(SALT_A).success).toBe(true);
    expect(SaltSchema.safeParse(Buffer.alloc(31, 1).toString('base64')).success).toBe(false);
    expect(SaltSchema.safeParse(Buffer.alloc(33, 1).toString('base64')).success).toBe(false);
    expect(SaltSchema.safeParse(Buffer.alloc(32, 0xff).toString('base64url')).success).toBe(false);
    expect(SaltSchema.safeParse(`${SALT_A.slice(0, 42)}B=`).success).toBe(false);
  });
});

describe('transient documents', () => {
  it('are absent when the key is absent', () => {
    expect(readCaseDetailsInput(new FakeLedger().begin(), 'caseDetails')).toBeUndefined();
  });

  it('parse a valid caseDetails and enforcement document', () => {
    const stub = new FakeLedger().begin({ transient: { caseDetails: bamfDetails(), zabEnforcement: zabEnforcement() } });
    expect(readCaseDetailsInput(stub, 'caseDetails')?.familyName).toBe(PERSONAL.familyName);
    expect(readEnforcementInput(stub, 'zabEnforcement')?.kind).toBe('DEPORTATION');
  });

  it.each([
    ['not JSON', `{"familyName": "${PERSONAL.familyName}"`],
    ['not UTF-8', Buffer.from([0xff, 0xfe, 0x00])],
    ['without a salt', JSON.stringify({ familyName: PERSONAL.familyName })],
    ['with a short salt', JSON.stringify({ salt: 'AAAA', familyName: PERSONAL.familyName })],
    ['with only a salt', JSON.stringify({ salt: SALT_A })],
    ['with an unknown field', JSON.stringify({ salt: SALT_A, [PERSONAL.familyName]: 'x' })],
    ['with a control character', JSON.stringify({ salt: SALT_A, familyName: `${PERSONAL.familyName}\u0000` })],
    ['with a non-character', JSON.stringify({ salt: SALT_A, familyName: `${PERSONAL.familyName}\u{10FFFF}` })],
    ['with an oversize name', JSON.stringify({ salt: SALT_A, familyName: 'x'.repeat(201) })],
    ['too large', JSON.stringify({ salt: SALT_A, familyName: 'x'.repeat(20000) })],
    ['with a bad AZR number', JSON.stringify({ salt: SALT_A, azrNumber: '12-34' })],
  ])('are INVALID_INPUT when %s, without echoing any value', (_label, doc) => {
    const stub = new FakeLedger().begin({ transient: { caseDetails: doc } });
    const error = errorOf(() => readCaseDetailsInput(stub, 'caseDetails'));
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.detail['where']).toBe('transient.caseDetails');
    expect(error.message).not.toContain(PERSONAL.familyName);
    expect(error.message).not.toContain('xxxx');
  });
});

describe('private records', () => {
  it('store a record per agency per case, with the salt, and read it back', async () => {
    const ledger = new FakeLedger();
    const stub = ledger.begin({ transient: { caseDetails: bamfDetails() } });
    const records = new PrivateRecords(stub, new Keys(stub));
    const input = readCaseDetailsInput(stub, 'caseDetails');
    await records.putCaseDetails(CASE, input!, STAMP);
    expect(stub.writeSet().puts.size).toBe(0);
    ledger.commit(stub);

    const read = ledger.begin();
    const stored = await new PrivateRecords(read, new Keys(read)).getCaseDetails(CASE, 'BamfMSP');
    expect(stored).toMatchObject({ caseId: CASE, agency: 'BamfMSP', salt: SALT_A, details: { familyName: PERSONAL.familyName } });
    expect(await new PrivateRecords(read, new Keys(read)).getCaseDetails(CASE, 'ZabSachsenMSP')).toBeUndefined();
  });

  it('purge only the records that exist, judged by their hashes', async () => {
    const ledger = new FakeLedger();
    const stub = ledger.begin({ transient: { caseDetails: bamfDetails() } });
    await new PrivateRecords(stub, new Keys(stub)).putCaseDetails(CASE, readCaseDetailsInput(stub, 'caseDetails')!, STAMP);
    ledger.commit(stub);

    const purge = ledger.begin();
    expect(await new PrivateRecords(purge, new Keys(purge)).purge('caseDetails', CASE)).toBe(1);
    expect([...(purge.writeSet().purges.get('caseDetails') ?? [])]).toEqual([new Keys(purge).caseDetails(CASE, 'BamfMSP')]);
    ledger.commit(purge);
    expect(ledger.privateData.get('caseDetails')?.size).toBe(0);
    expect(ledger.privateHashes.get('caseDetails')?.size).toBe(0);
  });
});
