import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildFabricFromSource, cacheDir, fabricBuildCommands, fabricCaModule, fabricSourceArchive, goMod, reportsVersion, searchDirs, sha256File, toolsGo, withBuildLock } from '../src/binaries';
import { BinariesUnavailableError } from '../src/errors';
import { CACHE_KEY, FABRIC_SOURCE } from '../src/versions';

describe('binaries', () => {
  it('recognises the pinned version in `peer version` / `fabric-ca-server version` output', () => {
    expect(reportsVersion('peer:\n Version: 3.1.5\n Commit SHA: 86c1172be', '3.1.5')).toBe(true);
    expect(reportsVersion('peer:\n Version: v3.1.5\n', '3.1.5')).toBe(true);
    expect(reportsVersion('peer:\n Version: 3.1.50\n', '3.1.5')).toBe(false);
    expect(reportsVersion('peer:\n Version: 2.5.16\n', '3.1.5')).toBe(false);
    expect(reportsVersion('fabric-ca-server:\n Version: 1.5.21\n Go version: go1.26.8', '1.5.21')).toBe(true);
  });

  it('builds Fabric CA from a tiny build module pinned to the exact module version, with cgo (sqlite)', () => {
    const m = fabricCaModule();
    expect(goMod(m)).toContain('require github.com/hyperledger/fabric-ca v1.5.21');
    expect(toolsGo(m)).toMatch(/^\/\/go:build tools\n/);
    expect(toolsGo(m)).toContain('_ "github.com/hyperledger/fabric-ca/cmd/fabric-ca-server"');
    expect(m.cgo).toBe(true);
  });

  it('builds Fabric offline from the vendored source with the ldflags of the archive README, and the ccaas builder beside it', () => {
    const [fabric, ccaas] = fabricBuildCommands('/src/fabric-3.1.5', '/cache');
    expect(fabric).toMatchObject({ cwd: '/src/fabric-3.1.5', command: 'go', env: { GOFLAGS: '-mod=vendor', GOPROXY: 'off', CGO_ENABLED: '0' } });
    expect(fabric?.args).toEqual([
      'build', '-buildvcs=false',
      '-ldflags',
      '-X github.com/hyperledger/fabric/common/metadata.Version=3.1.5 -X github.com/hyperledger/fabric/common/metadata.CommitSHA=86c1172 ' +
        '-X github.com/hyperledger/fabric/common/metadata.BaseDockerLabel=org.hyperledger.fabric -X github.com/hyperledger/fabric/common/metadata.DockerNamespace=hyperledger',
      '-o', '/cache/bin/',
      './cmd/peer', './cmd/orderer', './cmd/configtxgen', './cmd/configtxlator', './cmd/osnadmin', './cmd/ledgerutil',
    ]);
    expect(ccaas).toMatchObject({ cwd: '/src/fabric-3.1.5/ccaas_builder', args: ['build', '-buildvcs=false', '-o', '/cache/builders/ccaas/bin/', './cmd/detect', './cmd/build', './cmd/release'] });
  });

  it('takes the source archive beside the checkout (../shared/third_party) unless ASL_FABRIC_SOURCE says otherwise, and pins its sha256', () => {
    expect(fabricSourceArchive({})).toBe(join(__dirname, '..', '..', '..', 'shared', 'third_party', 'fabric-3.1.5-src.tar.gz'));
    expect(fabricSourceArchive({ ASL_FABRIC_SOURCE: '/x/f.tgz' })).toBe('/x/f.tgz');
    expect(fabricSourceArchive({ ASL_SHARED_DIR: '/elsewhere/shared' })).toBe('/elsewhere/shared/third_party/fabric-3.1.5-src.tar.gz');
    expect(FABRIC_SOURCE.sha256).toBe('9b954dc22a24d1570a7b989029a1cb7c7041c0f27b8ef5cbba571bbe0a97bb77');
  });

  it('refuses to build from an archive whose sha256 does not match', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'asl-src-'));
    try {
      const fake = join(dir, 'fabric.tgz');
      writeFileSync(fake, 'not fabric');
      await expect(buildFabricFromSource(join(dir, 'cache'), { env: { ASL_FABRIC_SOURCE: fake } })).rejects.toThrow(BinariesUnavailableError);
      await expect(buildFabricFromSource(join(dir, 'cache'), { env: { ASL_FABRIC_SOURCE: join(dir, 'missing.tgz') } })).rejects.toThrow(/missing/);
      expect(await sha256File(fake)).toBe('e992d226da88b0f9cc19670bc0bc3ad3d071b96869e8b26b1368120e2456bc34');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
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
