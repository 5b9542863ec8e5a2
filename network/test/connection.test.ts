import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectionDescription, ConnectionSchema, identityFor, readConnection, writeConnection } from '../src/connection';
import { Layout } from '../src/layout';
import { loadTopology } from '../src/topology';

const HOME = '/data-home-under-test';
const t = loadTopology();
const layout = new Layout(HOME, t);
const describeNet = (secondPeer = false) => connectionDescription(t, layout, { secondPeer }, (msp) => join(msp, 'keystore', 'key_sk'));

describe('connection description', () => {
  it('is derived from the topology: channel, chaincode, orderers, and per org its peers, CA and every enrolled identity', () => {
    const c = ConnectionSchema.parse(describeNet());
    expect(c).toMatchObject({ version: 1, channel: 'ankerdresden', chaincode: 'procedure', home: HOME });
    expect(c.orderers.map((o) => o.endpoint)).toEqual(['127.0.0.1:7010', '127.0.0.1:7020', '127.0.0.1:7030']);
    expect(Object.keys(c.orgs)).toEqual(t.orgs.map((o) => o.key));
    expect(c.orgs.bamf?.peers).toEqual([
      expect.objectContaining({ name: 'peer0.bamf', endpoint: '127.0.0.1:7110', hostAlias: 'peer0.bamf', tlsRootCert: `${HOME}/network/crypto/bamf/msp/tlscacerts/tlsca.pem` }),
    ]);
    expect(c.orgs.zab?.ca).toMatchObject({ name: 'ca-zab', url: 'https://127.0.0.1:7200', tlsRootCert: `${HOME}/network/ca/zab/ca-cert.pem` });
    // every client of the topology, with its role, and nothing the topology does not enrol
    for (const org of t.orgs) {
      const ids = c.orgs[org.key]?.identities ?? [];
      for (const client of org.clients) expect(ids).toContainEqual(expect.objectContaining({ enrollmentId: client.enrollmentId, role: client.role, type: 'client' }));
      for (const admin of org.admins) expect(ids).toContainEqual(expect.objectContaining({ enrollmentId: admin, purpose: 'org-admin', type: 'admin' }));
    }
    expect(identityFor(c, 'zab', 'adapter')).toMatchObject({
      enrollmentId: 'zab-adapter',
      certificate: `${HOME}/network/crypto/zab/users/zab-adapter/msp/signcerts/cert.pem`,
      privateKey: `${HOME}/network/crypto/zab/users/zab-adapter/msp/keystore/key_sk`,
      tls: { certificate: `${HOME}/network/crypto/zab/users/zab-adapter/tls/server.crt`, privateKey: `${HOME}/network/crypto/zab/users/zab-adapter/tls/server.key` },
    });
    expect(identityFor(c, 'BamfMSP', 'org-admin').enrollmentId).toBe('bamf-adm-0001');
    expect(() => identityFor(c, 'ordering', 'caseworker')).toThrow(/OrdererMSP has no identity with role caseworker/);
  });

  it('lists the second peers only when they run', () => {
    expect(describeNet(true).orgs.zab?.peers.map((p) => p.name)).toEqual(['peer0.zab', 'peer1.zab']);
  });

  it('is written atomically with mode 0600 and read back validated; a missing file names the command to run', () => {
    const dir = mkdtempSync(join(tmpdir(), 'asl-conn-'));
    try {
      const file = join(dir, 'connection.json');
      expect(() => readConnection(file)).toThrow(/npm run network:up/);
      writeConnection(file, describeNet());
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(readConnection(file)).toEqual(describeNet());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
