import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildModules, cacheDir, goMod, reportsVersion, searchDirs, toolsGo, withBuildLock } from '../src/binaries';
import { CACHE_KEY, VERSIONS } from '../src/versions';

describe('binaries', () => {
  it('recognises the pinned version in `peer version` / `fabric-ca-server version` output', () => {
    expect(reportsVersion('peer:\n Version: 3.1.5\n Commit SHA: 86c1172be', '3.1.5')).toBe(true);
    expect(reportsVersion('peer:\n Version: v3.1.5\n', '3.1.5')).toBe(true);
    expect(reportsVersion('peer:\n Version: 3.1.50\n', '3.1.5')).toBe(false);
    expect(reportsVersion('peer:\n Version: 2.5.16\n', '3.1.5')).toBe(false);
    expect(reportsVersion('fabric-ca-server:\n Version: 1.5.21\n Go version: go1.26.8', '1.5.21')).toBe(true);
  });

  it('builds from tiny build modules pinned to the exact module versions', () => {
    const m = buildModules();
    expect(goMod(m.fabric)).toContain(`require github.com/hyperledger/fabric ${VERSIONS.fabricModule}`);
    expect(goMod(m.ccaas)).toContain(`require github.com/hyperledger/fabric/ccaas_builder ${VERSIONS.ccaasBuilderModule}`);
    expect(goMod(m.fabricCa)).toContain('require github.com/hyperledger/fabric-ca v1.5.21');
    expect(toolsGo(m.fabricCa)).toMatch(/^\/\/go:build tools\n/);
    expect(toolsGo(m.fabricCa)).toContain('_ "github.com/hyperledger/fabric-ca/cmd/fabric-ca-server"');
    expect(m.fabric.packages.map((p) => p.split('/').pop())).toEqual(['peer', 'orderer', 'configtxgen', 'configtxlator', 'osnadmin', 'ledgerutil']);
    expect(m.ccaas.gobin).toBe(join('builders', 'ccaas', 'bin'));
    expect(m.fabricCa.cgo).toBe(true);
  });

  it('searches FABRIC_BIN, then PATH, then the cache; the cache key names both versions', () => {
    const env = { FABRIC_BIN: '/fb', PATH: '/a:/b', ASL_FABRIC_CACHE: '/cache' };
    expect(searchDirs(env)).toEqual(['/fb', '/a', '/b', '/cache/bin']);
    expect(CACHE_KEY).toBe('v3.1.5-ca1.5.21');
    expect(cacheDir({ HOME: '/h' })).toMatch(/asl-fabric\/v3\.1\.5-ca1\.5\.21$/);
  });

  describe('build lock', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'asl-lock-'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('runs concurrent builds one after the other', async () => {
      const events: string[] = [];
      const build = (name: string) =>
        withBuildLock(dir, async () => {
          events.push(`${name}+`);
          await new Promise((r) => setTimeout(r, 50));
          events.push(`${name}-`);
        });
      await Promise.all([build('a'), build('b')]);
      expect([events.slice(0, 2), events.slice(2)].every(([s, e]) => s?.[0] === e?.[0])).toBe(true);
    });

    it('takes over a lock whose owner died', async () => {
      mkdirSync(join(dir, '.build.lock'));
      writeFileSync(join(dir, '.build.lock', 'pid'), '999999999');
      await expect(withBuildLock(dir, () => Promise.resolve('built'), { timeoutMs: 2000 })).resolves.toBe('built');
    });
  });
});
