import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KeyVault } from '../../src/identity/key-vault';
import { LevelTokenStore } from '../../src/identity/level-token-store';
import { TokenRefused, TokenService } from '../../src/identity/tokens';

describe('LevelTokenStore behind TokenService', () => {
  it('stores hashes only, authenticates, lists per user, revokes, and survives a reopen', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'asl-tok-'));
    try {
      let store = await LevelTokenStore.open(dir);
      const now = () => new Date('2026-11-26T08:00:00.000Z');
      let service = new TokenService({ store, now, randomBytes });
      const a = await service.issue({ userId: 'u1', role: 'caseworker' });
      const b = await service.issue({ userId: 'u1', role: 'caseworker' });
      await service.issue({ userId: 'u10', role: 'auditor' });
      expect((await store.listByUser('u1')).map((r) => r.tokenId).sort()).toEqual([a.record.tokenId, b.record.tokenId].sort());
      await store.close();
      store = await LevelTokenStore.open(dir);
      service = new TokenService({ store, now, randomBytes });
      await expect(service.authenticate(a.token)).resolves.toMatchObject({ userId: 'u1' });
      expect(await service.revokeAll('u1')).toBe(2);
      await expect(service.authenticate(b.token)).rejects.toBeInstanceOf(TokenRefused);
      await store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('KeyVault (AES-256-GCM)', () => {
  it('round-trips, binds the user id and detects tampering', () => {
    const vault = new KeyVault(randomBytes(32));
    const sealed = vault.seal('-----BEGIN PRIVATE KEY-----x', 'u1');
    expect(sealed.data).not.toContain('PRIVATE');
    expect(vault.open(sealed, 'u1')).toBe('-----BEGIN PRIVATE KEY-----x');
    expect(() => vault.open(sealed, 'u2')).toThrow();
    expect(() => vault.open({ ...sealed, data: Buffer.from('tampered').toString('base64') }, 'u1')).toThrow();
    expect(() => new KeyVault(randomBytes(16))).toThrow();
  });
});
