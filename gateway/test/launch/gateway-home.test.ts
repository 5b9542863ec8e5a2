import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseKeyFile } from '@asl/chaincode/domain';
import { connectionDescription, connectionOrg, type Connection } from '@asl/network/connection';
import { Layout } from '@asl/network/layout';
import { loadTopology } from '../../../network/src/topology';
import { GatewayConfigSchema } from '../../src/config';
import { agencyKeys, ensurePseudonymKeyFile, ensureVaultKeyFile, gatewaysLayout, prepareGateway } from '../../src/launch/gateway-home';

describe('a gateway folder prepared from the connection description', () => {
  const dir = mkdtempSync(join(tmpdir(), 'asl-gw-home-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const topology = loadTopology();

  /** A network in `dir/<name>` whose certificates (the files the fingerprint reads) have the content `generation`. */
  function network(name: string, generation: string): Connection {
    const c = connectionDescription(topology, new Layout(join(dir, name), topology), { secondPeer: false }, (msp) => join(msp, 'keystore', 'key_sk'));
    for (const key of agencyKeys(c)) {
      const org = connectionOrg(c, key);
      for (const file of [org.ca.tlsRootCert, org.ca.registrar.certificate, ...org.peers.map((p) => p.tlsRootCert)]) {
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, `${generation} ${file}`);
      }
    }
    return c;
  }
  const mode = (file: string) => statSync(file).mode & 0o777;

  it('the agencies are the organisations with a peer', () => {
    expect(agencyKeys(network('agencies', 'a'))).toEqual(['bamf', 'zab']);
  });

  it('creates the pseudonym key and the vault key once, 0600, and never overwrites them', () => {
    const layout = gatewaysLayout(join(dir, 'keys'));
    mkdirSync(layout.root, { recursive: true });
    expect(ensurePseudonymKeyFile(layout.pseudonymKeyFile)).toBe(true);
    const key = readFileSync(layout.pseudonymKeyFile, 'utf8');
    expect(parseKeyFile(JSON.parse(key))).toEqual([{ version: 'k1', key: expect.any(Uint8Array) }]);
    expect(mode(layout.pseudonymKeyFile)).toBe(0o600);
    expect(ensurePseudonymKeyFile(layout.pseudonymKeyFile)).toBe(false);
    expect(readFileSync(layout.pseudonymKeyFile, 'utf8')).toBe(key);

    const vault = join(layout.root, 'vault.key');
    expect(ensureVaultKeyFile(vault)).toBe(true);
    expect(Buffer.from(readFileSync(vault, 'utf8').trim(), 'base64')).toHaveLength(32);
    expect(mode(vault)).toBe(0o600);
  });

  it('writes gateway.json (0600) in a 0700 folder; keeps its state and admin while the network is the same; discards both when the network was recreated', () => {
    const layout = gatewaysLayout(join(dir, 'state'));
    const home = layout.org('zab');
    const lines: string[] = [];
    const prepare = (c: Connection) => prepareGateway(c, 'zab', { home, port: 4302, pseudonymKeyFile: layout.pseudonymKeyFile, log: (l) => lines.push(l) });

    const first = prepare(network('state-net', 'first'));
    expect(first).toMatchObject({ orgKey: 'zab', mspId: 'ZabSachsenMSP', url: 'http://127.0.0.1:4302' });
    expect(mode(home)).toBe(0o700);
    expect(mode(first.files.config)).toBe(0o600);
    expect(GatewayConfigSchema.parse(JSON.parse(readFileSync(first.files.config, 'utf8')))).toEqual(first.config);
    const adminId = first.config.bootstrapAdmin?.userId;
    expect(adminId).toMatch(/^zab-gw-admin-[0-9a-f]{8}$/);
    const vaultKey = readFileSync(first.files.vaultKey, 'utf8');

    // the server's state on the first network
    mkdirSync(join(first.files.dataDir, 'read-model'), { recursive: true });
    writeFileSync(first.files.adminToken, '{}');
    const again = prepare(network('state-net', 'first'));
    expect(again.config.bootstrapAdmin?.userId).toBe(adminId);
    expect(statSync(join(again.files.dataDir, 'read-model')).isDirectory()).toBe(true);

    lines.length = 0;
    const recreated = prepare(network('state-net', 'second'));
    expect(lines.join('\n')).toMatch(/network was recreated/);
    expect(() => statSync(recreated.files.dataDir)).toThrow();
    expect(() => statSync(recreated.files.adminToken)).toThrow();
    expect(recreated.config.bootstrapAdmin?.userId).toMatch(/^zab-gw-admin-[0-9a-f]{8}$/);
    expect(recreated.config.bootstrapAdmin?.userId).not.toBe(adminId);
    expect(readFileSync(recreated.files.vaultKey, 'utf8')).toBe(vaultKey);
  });
});
