import { randomBytes } from 'node:crypto';
import type { Role } from '@asl/chaincode/domain';
import { DevIdentityService } from '../../src/identity/dev-identity';
import { KeyVault } from '../../src/identity/key-vault';
import { MemoryTokenStore, TokenService } from '../../src/identity/tokens';
import { MemoryUserStore, UserDirectory } from '../../src/identity/users';
import { toProblem } from '../../src/http/problem';
import { call } from '../support/client';
import { startGateway, TestClock } from '../support/harness';

/** The dev CA, but one that can be made unreachable. */
class FlakyCa extends DevIdentityService {
  reachable = true;
  asked = 0;
  override isRevoked(enrollmentId: string): Promise<boolean> {
    this.asked += 1;
    return this.reachable ? super.isRevoked(enrollmentId) : Promise.reject(new Error('connect ECONNREFUSED'));
  }
}

function directory(grace?: number) {
  const clock = new TestClock();
  const ca = new FlakyCa();
  const tokens = new TokenService({ store: new MemoryTokenStore(), now: clock.now, randomBytes });
  const store = new MemoryUserStore();
  const users = new UserDirectory({ store, identities: ca, vault: new KeyVault(randomBytes(32)), tokens, now: clock.now, ...(grace !== undefined ? { caOutageGraceMs: grace } : {}) });
  return { clock, ca, tokens, store, users };
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'OK';
  } catch (error) {
    return toProblem(error).code;
  }
}

describe('UserDirectory.ensureCertificateValid: a certificate the CA revoked signs no write', () => {
  it('asks the CA every time; a certificate revoked in the CA behind the gateway’s back ends the user: tokens revoked, user marked, 401', async () => {
    const d = directory();
    const issued = await d.users.create('zab-adapter-0001', 'adapter' satisfies Role);
    await d.users.ensureCertificateValid('zab-adapter-0001');
    await d.users.ensureCertificateValid('zab-adapter-0001');
    expect(d.ca.asked).toBe(2);

    await d.ca.revoke('zab-adapter-0001');
    await expect(d.users.ensureCertificateValid('zab-adapter-0001')).rejects.toMatchObject({ code: 'UNAUTHENTICATED', detail: { reason: 'CERTIFICATE_REVOKED' } });
    await expect(d.tokens.authenticate(issued.token)).rejects.toThrow();
    expect((await d.store.get('zab-adapter-0001'))?.revokedAt).toBe(d.clock.now().toISOString());
    expect(await codeOf(d.users.issueToken('zab-adapter-0001'))).toBe('INVALID_INPUT');
    expect(await codeOf(d.users.ensureCertificateValid('zab-adapter-0001'))).toBe('UNAUTHENTICATED');
  });

  it('while the CA cannot be asked: a certificate confirmed within the grace period still signs, afterwards 503 LEDGER_UNAVAILABLE', async () => {
    const d = directory(60_000);
    await d.users.create('bamf-caseworker-0001', 'caseworker');
    await d.users.create('bamf-caseworker-0002', 'caseworker');
    await d.users.ensureCertificateValid('bamf-caseworker-0001');
    d.ca.reachable = false;
    await d.users.ensureCertificateValid('bamf-caseworker-0001');
    expect(await codeOf(d.users.ensureCertificateValid('bamf-caseworker-0002'))).toBe('LEDGER_UNAVAILABLE');
    d.clock.current = new Date(d.clock.current.getTime() + 60_001);
    expect(await codeOf(d.users.ensureCertificateValid('bamf-caseworker-0001'))).toBe('LEDGER_UNAVAILABLE');
    d.ca.reachable = true;
    await d.users.ensureCertificateValid('bamf-caseworker-0001');
  });

  it('an unknown or already revoked user is UNAUTHENTICATED without asking the CA', async () => {
    const d = directory();
    expect(await codeOf(d.users.ensureCertificateValid('nobody'))).toBe('UNAUTHENTICATED');
    await d.users.create('zab-caseworker-0009', 'caseworker');
    await d.users.revokeUser('zab-caseworker-0009');
    expect(await codeOf(d.users.ensureCertificateValid('zab-caseworker-0009'))).toBe('UNAUTHENTICATED');
    expect(d.ca.asked).toBe(0);
  });
});

describe('the write routes check the certificate with the CA first', () => {
  it('a caseworker whose certificate the CA revoked (token still valid) is refused 401 on a write, nothing is written, and the token is dead afterwards', async () => {
    const gw = await startGateway();
    try {
      const caseId = 'c' + 'a'.repeat(31);
      const register = { type: 'CASE_REGISTERED', occurredAt: '2026-11-26T09:00:00+01:00', sourceMessageId: 'msg-ca-revoked-1', data: { facility: 'AE-DD-TEST', registeredOn: '2026-11-25' } };
      expect((await call(gw, 'post', '/api/v1/cases/{caseId}/events', { token: gw.token.adapter, params: { caseId }, body: register })).status).toBe(201);
      await gw.identities.revoke('zab-caseworker-0001');
      const before = gw.channel.entries().length;
      const refused = await call(gw, 'post', '/api/v1/cases/{caseId}/events', {
        token: gw.token.caseworker,
        params: { caseId },
        body: { type: 'RECEPTION_ASSIGNED', occurredAt: '2026-11-26T10:00:00+01:00', sourceMessageId: 'msg-ca-revoked-2', data: { facility: 'AE-DD-TEST' } },
      });
      expect([refused.status, refused.body.code, refused.body.details]).toEqual([401, 'UNAUTHENTICATED', { reason: 'CERTIFICATE_REVOKED' }]);
      expect(gw.channel.entries()).toHaveLength(before);
      expect((await call(gw, 'get', '/api/v1/cases/{caseId}', { token: gw.token.caseworker, params: { caseId } })).status).toBe(401);
      expect((await call(gw, 'put', '/api/v1/cases/{caseId}/enforcement', { token: gw.token.adapter, params: { caseId }, body: { kind: 'DEPORTATION', scheduledOn: '2027-01-15' } })).status).toBe(200);
    } finally {
      gw.stop();
    }
  });
});
