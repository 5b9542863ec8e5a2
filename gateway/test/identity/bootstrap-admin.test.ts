import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BootstrapTokenFileSchema, ensureBootstrapAdmin } from '../../src/identity/bootstrap-admin';
import { DevIdentityService } from '../../src/identity/dev-identity';
import { KeyVault } from '../../src/identity/key-vault';
import { MemoryTokenStore, TokenService } from '../../src/identity/tokens';
import { MemoryUserStore, UserDirectory } from '../../src/identity/users';
import { TestClock } from '../support/harness';

describe('ensureBootstrapAdmin', () => {
  const dir = mkdtempSync(join(tmpdir(), 'asl-bootstrap-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function gateway() {
    const clock = new TestClock();
    const identities = new DevIdentityService();
    const store = new MemoryUserStore();
    const tokens = new TokenService({ store: new MemoryTokenStore(), now: clock.now, randomBytes });
    const users = new UserDirectory({ store, identities, vault: new KeyVault(randomBytes(32)), tokens, now: clock.now });
    return { clock, identities, store, tokens, users };
  }
  const tokenIn = (file: string) => BootstrapTokenFileSchema.parse(JSON.parse(readFileSync(file, 'utf8')));

  it('registers the admin once and writes a working admin token (0600); a later start with that token changes nothing', async () => {
    const gw = gateway();
    const tokenFile = join(dir, 'first.json');
    const o = { users: gw.users, store: gw.store, tokens: gw.tokens, userId: 'zab-gw-admin-0001', tokenFile };
    expect(await ensureBootstrapAdmin(o)).toBe('created');
    expect(gw.identities.registered).toEqual([{ enrollmentId: 'zab-gw-admin-0001', role: 'admin' }]);
    expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
    const written = tokenIn(tokenFile);
    await expect(gw.tokens.authenticate(written.token)).resolves.toMatchObject({ userId: 'zab-gw-admin-0001', role: 'admin' });

    expect(await ensureBootstrapAdmin(o)).toBe('unchanged');
    expect(tokenIn(tokenFile).token).toBe(written.token);
    expect(gw.identities.registered).toHaveLength(1);
  });

  it('replaces an expired, revoked, missing or foreign token with a new one for the same user (never registers twice), and keeps the file 0600', async () => {
    const gw = gateway();
    const tokenFile = join(dir, 'renew.json');
    const o = { users: gw.users, store: gw.store, tokens: gw.tokens, userId: 'bamf-gw-admin-0001', tokenFile };
    await ensureBootstrapAdmin(o);
    const first = tokenIn(tokenFile);

    gw.clock.advanceDays(1);
    await expect(gw.tokens.authenticate(first.token)).rejects.toThrow();
    expect(await ensureBootstrapAdmin(o)).toBe('token-renewed');
    const second = tokenIn(tokenFile);
    expect(second.token).not.toBe(first.token);
    await expect(gw.tokens.authenticate(second.token)).resolves.toMatchObject({ userId: 'bamf-gw-admin-0001' });

    await gw.tokens.revokeAll('bamf-gw-admin-0001');
    expect(await ensureBootstrapAdmin(o)).toBe('token-renewed');

    rmSync(tokenFile);
    expect(await ensureBootstrapAdmin(o)).toBe('token-renewed');

    writeFileSync(tokenFile, JSON.stringify({ ...tokenIn(tokenFile), userId: 'someone-else' }), { mode: 0o644 });
    chmodSync(tokenFile, 0o644);
    expect(await ensureBootstrapAdmin(o)).toBe('token-renewed');
    expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
    expect(tokenIn(tokenFile).userId).toBe('bamf-gw-admin-0001');
    expect(gw.identities.registered).toHaveLength(1);
  });

  it('leaves a revoked admin user revoked and writes nothing', async () => {
    const gw = gateway();
    const tokenFile = join(dir, 'revoked.json');
    const o = { users: gw.users, store: gw.store, tokens: gw.tokens, userId: 'zab-gw-admin-0002', tokenFile };
    await ensureBootstrapAdmin(o);
    await gw.users.revokeUser('zab-gw-admin-0002');
    rmSync(tokenFile);
    expect(await ensureBootstrapAdmin(o)).toBe('revoked');
    expect(() => statSync(tokenFile)).toThrow();
  });
});
