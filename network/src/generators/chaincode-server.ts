import { join } from 'node:path';
import type { Layout } from '../layout';
import { chaincodeServerId } from '../identities';
import { hostOf, nodeHost, orgOf, type Peer, type Topology } from '../topology';
import { MSP_TLS_CA_CERT } from './msp';
import { TLS_FILES } from './peer';

/**
 * Environment of the `fabric-chaincode-node server` process serving one peer (fabric-shim reads
 * `CORE_*` through yargs `.env('CORE')`): the package ID it registers under, its TLS key pair, and the
 * CA whose certificates it accepts from peers (mutual TLS). `CORE_PEER_LOCALMSPID` is set because
 * the peer does not pass it to a CCaaS process and `stub.getMspID()` needs it.
 */
export function chaincodeServerEnv(t: Topology, layout: Layout, peer: Peer, packageId: string): Record<string, string> {
  const org = orgOf(t, peer.org);
  const dirs = layout.node(peer.org, chaincodeServerId(nodeHost(t, peer)));
  return {
    CORE_CHAINCODE_ID: packageId,
    CORE_CHAINCODE_ADDRESS: `${hostOf(t, org)}:${peer.chaincodeServerPort}`,
    CORE_CHAINCODE_TLS_CERT_FILE: join(dirs.tls, TLS_FILES.cert),
    CORE_CHAINCODE_TLS_KEY_FILE: join(dirs.tls, TLS_FILES.key),
    CORE_CHAINCODE_TLS_CLIENT_CACERT_FILE: join(layout.orgMsp(org), MSP_TLS_CA_CERT),
    CORE_PEER_LOCALMSPID: peer.org,
    CORE_CHAINCODE_LOGGING_LEVEL: 'info',
  };
}

/** Process name of the chaincode server of a peer. */
export function chaincodeServerName(t: Topology, peer: Peer): string {
  return `${t.chaincode.name}.${nodeHost(t, peer)}`;
}
