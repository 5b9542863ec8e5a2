import { commonNameOf, readCaller, requireMember, requireRole } from '../../src/contract/identity';
import { DomainError } from '../../src/domain/errors';
import { FakeClientIdentity } from './support/fake-stub';
import { ID } from './support/fixtures';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof DomainError ? e.code : 'NOT_A_DOMAIN_ERROR';
  }
  return undefined;
}

describe('identity', () => {
  it('takes the enrollment ID from the subject CN, not the issuer CN', () => {
    expect(commonNameOf('x509::/C=DE/O=bamf/OU=client/CN=B-4711::/C=DE/O=bamf/CN=ca.bamf')).toBe('B-4711');
    expect(commonNameOf('x509::/CN=only::/CN=issuer')).toBe('only');
  });

  it('finds the CN wherever it sits in the subject and unescapes slashes', () => {
    expect(commonNameOf('x509::/C=DE/CN=a\\/b/OU=client::/CN=ca')).toBe('a/b');
  });

  it('refuses IDs that are not in the x509 form', () => {
    expect(commonNameOf('B-4711')).toBeUndefined();
    expect(commonNameOf('x509::/C=DE/O=bamf')).toBeUndefined();
    expect(commonNameOf('x509::/C=DE/O=bamf::/CN=ca')).toBeUndefined();
  });

  it('records {mspId, enrollmentId, role} and the organisation kind, never the subject', () => {
    const caller = readCaller(new FakeClientIdentity(ID.bamfCaseworker));
    expect(caller).toEqual({ mspId: 'BamfMSP', enrollmentId: 'B-4711', role: 'caseworker', orgKind: 'FEDERAL_OFFICE' });
    expect(readCaller(new FakeClientIdentity(ID.zabAdapter)).orgKind).toBe('STATE_AUTHORITY');
  });

  it.each([
    ['an MSP outside the directory', ID.foreign],
    ['a missing role', ID.zabNoRole],
    ['an unknown role', ID.zabBadRole],
    ['a CN that reads like a name', { mspId: 'BamfMSP', enrollmentId: 'Erika Muster', role: 'caseworker' }],
    ['an e-mail address as CN', { mspId: 'BamfMSP', enrollmentId: 'e.muster@bamf.example', role: 'caseworker' }],
  ])('refuses %s with FORBIDDEN_ROLE', (_label, spec) => {
    expect(codeOf(() => readCaller(new FakeClientIdentity(spec)))).toBe('FORBIDDEN_ROLE');
  });

  it('never puts the subject into the error', () => {
    expect.assertions(1);
    try {
      readCaller(new FakeClientIdentity({ mspId: 'BamfMSP', enrollmentId: 'Erika Muster', role: 'caseworker' }));
    } catch (e) {
      expect(String(e)).not.toContain('Erika');
    }
  });

  it('checks roles and collection membership', () => {
    const auditor = readCaller(new FakeClientIdentity(ID.bamfAuditor));
    expect(codeOf(() => requireRole(auditor, ['adapter', 'caseworker']))).toBe('FORBIDDEN_ROLE');
    expect(codeOf(() => requireRole(auditor, ['auditor']))).toBeUndefined();
    expect(codeOf(() => requireMember(auditor, ['ZabSachsenMSP'], 'zabEnforcement'))).toBe('NOT_OWNER');
  });
});
