import { join } from 'node:path';
import { connectionDescription, identityFor, type Connection } from '@asl/network/connection';
import { Layout } from '@asl/network/layout';
import { loadTopology } from '../../../network/src/topology';
import { GatewayConfigSchema } from '../../src/config';
import { gatewayConfigFromConnection, gatewayFiles, policyEndorsers } from '../../src/launch/config-from-connection';

const HOME = '/asl-home-under-test';
const topology = loadTopology();
/** The connection description `network:up` would write for the committed topology. */
const connection: Connection = connectionDescription(topology, new Layout(HOME, topology), { secondPeer: false }, (msp) => join(msp, 'keystore', 'key_sk'));
const placement = (org: string, port: number) => ({ home: `/gateways/${org}`, port, pseudonymKeyFile: '/gateways/pseudonym-keys.json', bootstrapAdminId: `${org}-gw-admin-0001` });

describe('gatewayConfigFromConnection', () => {
  it('takes everything about the network from the connection description: peer, TLS, channel, chaincode, service identity and the agency’s CA', () => {
    const org = connection.orgs.bamf!;
    const peer = org.peers[0]!;
    const zabPeer = connection.orgs.zab!.peers[0]!;
    const auditor = identityFor(connection, 'bamf', 'auditor');
    const config = gatewayConfigFromConnection(connection, 'bamf', placement('bamf', 3001));
    expect(config).toEqual(
      GatewayConfigSchema.parse({
        mspId: 'BamfMSP',
        listen: { host: '127.0.0.1', port: 3001 },
        dataDir: '/gateways/bamf/data',
        pseudonymKeyFile: '/gateways/pseudonym-keys.json',
        vaultKeyFile: '/gateways/bamf/vault.key',
        ledger: {
          kind: 'fabric',
          peerEndpoint: peer.endpoint,
          hostAlias: peer.hostAlias,
          tlsRootCert: peer.tlsRootCert,
          tlsClient: { certificate: auditor.tls.certificate, privateKey: auditor.tls.privateKey },
          channel: 'ankerdresden',
          chaincode: 'procedure',
          serviceIdentity: { certificate: auditor.certificate, privateKey: auditor.privateKey },
          partnerPeers: [{ name: zabPeer.name, mspId: 'ZabSachsenMSP', peerEndpoint: zabPeer.endpoint, hostAlias: zabPeer.hostAlias, tlsRootCert: zabPeer.tlsRootCert }],
        },
        identity: {
          kind: 'fabric-ca',
          url: org.ca.url,
          caName: org.ca.name,
          tlsRootCert: org.ca.tlsRootCert,
          affiliation: 'bamf',
          registrar: { enrollmentId: 'registrar', certificate: org.ca.registrar.certificate, privateKey: org.ca.registrar.privateKey },
        },
        secureCookies: false,
        bootstrapAdmin: { userId: 'bamf-gw-admin-0001', tokenFile: '/gateways/bamf/admin-token.json' },
      }),
    );
    // as the committed topology defines them
    expect(config.ledger).toMatchObject({ peerEndpoint: '127.0.0.1:7110', hostAlias: 'peer0.bamf' });
    expect(config.identity).toMatchObject({ url: 'https://127.0.0.1:7100', caName: 'ca-bamf' });
    expect(auditor.certificate.startsWith(HOME)).toBe(true);
  });

  it('gives ZAB its own peer, CA and data folder but the same pseudonym key file; accepts the MSP ID for the org key', () => {
    const zab = gatewayConfigFromConnection(connection, 'ZabSachsenMSP', placement('zab', 3002));
    const bamf = gatewayConfigFromConnection(connection, 'bamf', placement('bamf', 3001));
    expect(zab.mspId).toBe('ZabSachsenMSP');
    expect(zab.ledger).toMatchObject({ peerEndpoint: connection.orgs.zab!.peers[0]!.endpoint, serviceIdentity: { certificate: identityFor(connection, 'zab', 'auditor').certificate } });
    // the auditor's cross-agency check reads the other agency's peer; the ordering service has none
    expect(zab.ledger.kind === 'fabric' && zab.ledger.partnerPeers.map((p) => [p.name, p.mspId])).toEqual([['peer0.bamf', 'BamfMSP']]);
    expect(zab.identity).toMatchObject({ url: connection.orgs.zab!.ca.url, affiliation: 'zab' });
    expect(zab.dataDir).not.toBe(bamf.dataDir);
    expect(zab.pseudonymKeyFile).toBe(bamf.pseudonymKeyFile);
  });

  it('derives the endorsers each policy needs from the network’s policies: both agencies for the chaincode, ZAB for zabEnforcement', () => {
    const zab = gatewayConfigFromConnection(connection, 'zab', placement('zab', 3002));
    expect(zab.ledger.kind === 'fabric' && zab.ledger.endorsement).toEqual({ chaincode: ['BamfMSP', 'ZabSachsenMSP'], collections: { zabEnforcement: ['ZabSachsenMSP'] } });
    const older: Connection = { ...connection };
    delete older.endorsementPolicies;
    const fallback = gatewayConfigFromConnection(older, 'zab', placement('zab', 3002));
    expect(fallback.ledger.kind === 'fabric' && fallback.ledger.endorsement).toEqual({ chaincode: ['BamfMSP', 'ZabSachsenMSP'], collections: { zabEnforcement: ['ZabSachsenMSP'] } });
    expect(policyEndorsers("AND('BamfMSP.peer', 'ZabSachsenMSP.peer')")).toEqual(['BamfMSP', 'ZabSachsenMSP']);
    expect(policyEndorsers("OR('ZabSachsenMSP.peer')")).toEqual(['ZabSachsenMSP']);
    expect(() => policyEndorsers("OR('BamfMSP.peer','ZabSachsenMSP.peer')")).toThrow(/not an AND/);
    expect(() => policyEndorsers("OutOf(1,'BamfMSP.peer')")).toThrow(/not an AND/);
  });

  it('refuses an organisation without a peer and an unknown one', () => {
    expect(() => gatewayConfigFromConnection(connection, 'ordering', placement('ordering', 3003))).toThrow(/no peer/);
    expect(() => gatewayConfigFromConnection(connection, 'nowhere', placement('nowhere', 3003))).toThrow(/no organisation nowhere/);
  });

  it('names the files of a gateway folder', () => {
    expect(gatewayFiles('/g/zab')).toEqual({ config: '/g/zab/gateway.json', dataDir: '/g/zab/data', vaultKey: '/g/zab/vault.key', adminToken: '/g/zab/admin-token.json' });
  });
});
