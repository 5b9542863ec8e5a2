import { randomBytes } from 'node:crypto';
import { MemoryTokenStore, TokenService, TokenRefused, hashToken, TOKEN_LIFETIME_MS } from '../../src/identity/tokens';

function setup() {
  let now = new Date('2026-11-26T08:00:00.000Z');
  const store = new MemoryTokenStore();
  const service = new TokenService({ store, now: () => now, randomBytes });
  return { store, service, advance: (ms: number) => (now = new Date(now.getTime() + ms)) };
}

async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TokenRefused) return error.reason;
    throw error;
  }
  return 'ACCEPTED';
}

describe('TokenService', () => {
  it('issues asl_ + 32 random bytes base64url and stores only the hash', async () => {
    const { store, service } = setup();
    const { token, record } = await service.issue({ userId: 'u-caseworker-1', role: 'caseworker' });
    expect(token).toMatch(/^asl_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token.slice(4), 'base64url')).toHaveLength(32);
    expect(record.tokenHash).toBe(hashToken(token));
    expect(JSON.stringify(await store.listByUser('u-caseworker-1'))).not.toContain(token);
    await expect(service.authenticate(token)).resolves.toMatchObject({ userId: 'u-caseworker-1', role: 'caseworker', kind: 'person' });
  });

  it('lets a person token expire after 12 hours and a system token after 90 days', async () => {
    const { service, advance } = setup();
    const person = await service.issue({ userId: 'p', role: 'caseworker' });
    const system = await service.issue({ userId: 's', role: 'adapter' });
    advance(TOKEN_LIFETIME_MS.person - 1);
    await expect(service.authenticate(person.token)).resolves.toBeDefined();
    advance(1);
    expect(await refusal(service.authenticate(person.token))).toBe('EXPIRED');
    await expect(service.authenticate(system.token)).resolves.toMatchObject({ kind: 'system' });
    advance(TOKEN_LIFETIME_MS.system - TOKEN_LIFETIME_MS.person);
    expect(await refusal(service.authenticate(system.token))).toBe('EXPIRED');
  });

  it('refuses malformed, unknown and revoked tokens', async () => {
    const { service } = setup();
    const { token, record } = await service.issue({ userId: 'u1', role: 'auditor' });
    expect(await refusal(service.authenticate('Bearer x'))).toBe('MALFORMED');
    expect(await refusal(service.authenticate(token + 'A'))).toBe('MALFORMED');
    expect(await refusal(service.authenticate('asl_' + 'A'.repeat(43)))).toBe('UNKNOWN');
    expect(await service.revoke('someone-else', record.tokenId)).toBe(false);
    await expect(service.authenticate(token)).resolves.toBeDefined();
    expect(await service.revoke('u1', record.tokenId)).toBe(true);
    expect(await refusal(service.authenticate(token))).toBe('REVOKED');
  });

  it('revokes all of a user’s tokens and leaves other users alone', async () => {
    const { service } = setup();
    const a = await service.issue({ userId: 'u1', role: 'admin' });
    const b = await service.issue({ userId: 'u1', role: 'admin' });
    const other = await service.issue({ userId: 'u2', role: 'admin' });
    expect(await service.revokeAll('u1')).toBe(2);
    expect(await refusal(service.authenticate(a.token))).toBe('REVOKED');
    expect(await refusal(service.authenticate(b.token))).toBe('REVOKED');
    await expect(service.authenticate(other.token)).resolves.toBeDefined();
    expect(await service.revokeAll('u1')).toBe(0);
  });
});
