/**
 * The CaseLedger contract suite against the running two-agency network (ASL_TEST_KIND=net), through the
 * gateway's own Fabric code (`connectPeer`, `FabricCaseLedger`, `FabricLedgerEvents`). Everything about the
 * network — endpoints, TLS roots, key pairs and which enrolled identity holds which role — comes from the
 * connection description `npm run network:up` writes (`$ASL_HOME/network/connection.json`); no name or path
 * is typed here. Without that file the suite fails: a network test never passes without a network.
 */
import { readFileSync } from 'node:fs';
import { connectionOrg, identityFor, readConnection, type ConnectionIdentity } from '@asl/network/connection';
import { FabricLedgerEvents } from '../../src/fabric/fabric-events';
import { FabricCaseLedger, type SigningMaterial } from '../../src/fabric/fabric-ledger';
import { connectPeer, type PeerConnection } from '../../src/fabric/peer-connection';
import type { Caller } from '../../src/ports/case-ledger';
import { caseLedgerContract } from './case-ledger.contract';

const connection = readConnection();
const read = (file: string): string => readFileSync(file, 'utf8');
const signing = (id: ConnectionIdentity): SigningMaterial => ({ certificatePem: read(id.certificate), privateKeyPem: read(id.privateKey) });
type ClientRole = Caller['role'];
const caller = (org: string, role: ClientRole): Caller => ({ userId: identityFor(connection, org, role).enrollmentId, role });

/**
 * One agency's ledger port on its first peer. The service identity (block queries, event stream) is the
 * agency's auditor, whose TLS key pair also opens the mutual-TLS connection.
 */
function agencyLedger(org: string, opened: PeerConnection[]): FabricCaseLedger {
  const o = connectionOrg(connection, org);
  const peer = o.peers[0];
  if (peer === undefined) throw new Error(`${o.mspId} has no peer in ${connection.home}/network/connection.json`);
  const service = identityFor(connection, org, 'auditor');
  const peerConnection = connectPeer({
    endpoint: peer.endpoint,
    hostAlias: peer.hostAlias,
    tlsRootCertPem: read(peer.tlsRootCert),
    tlsClient: { certificatePem: read(service.tls.certificate), privateKeyPem: read(service.tls.privateKey) },
  });
  opened.push(peerConnection);
  return new FabricCaseLedger({
    connection: peerConnection,
    mspId: o.mspId,
    channel: connection.channel,
    chaincode: connection.chaincode,
    identityOf: (userId) => {
      const id = o.identities.find((i) => i.enrollmentId === userId);
      return id ? Promise.resolve(signing(id)) : Promise.reject(new Error(`${o.mspId} has no enrolled identity ${userId}`));
    },
    service: signing(service),
    timeouts: { evaluateMs: 5000, endorseMs: 15000, submitMs: 5000, commitStatusMs: 60000 },
    mvccRetries: 3,
    enforcementEndorsers: [connectionOrg(connection, 'zab').mspId],
  });
}

describe(`FabricCaseLedger against the running network ${connection.network} (channel ${connection.channel})`, () => {
  caseLedgerContract(
    'fabric-gateway 1.11 on Fabric v3.1',
    () => {
      const opened: PeerConnection[] = [];
      const bamf = agencyLedger('bamf', opened);
      const zab = agencyLedger('zab', opened);
      return Promise.resolve({
        bamf,
        zab,
        events: new FabricLedgerEvents({ network: () => zab.network(), chaincode: connection.chaincode, backoffMs: 500, maxBackoffMs: 10_000 }),
        callers: {
          zabAdapter: caller('zab', 'adapter'),
          zabCaseworker: caller('zab', 'caseworker'),
          zabAdmin: caller('zab', 'admin'),
          bamfAdapter: caller('bamf', 'adapter'),
          bamfCaseworker: caller('bamf', 'caseworker'),
          bamfAuditor: caller('bamf', 'auditor'),
        },
        close: () => {
          bamf.close();
          zab.close();
          opened.forEach((c) => c.client.close());
          return Promise.resolve();
        },
      });
    },
    60_000,
  );
});
