import { join } from 'node:path';
import { connectionOrg, identityFor, type Connection } from '@asl/network/connection';
import { GatewayConfigSchema, type GatewayConfig } from '../config';
import { policyEndorsers } from '@asl/network/policies';

/** The files of one gateway below its own folder (`$ASL_HOME/gateways/<org key>/` when the launcher runs it). */
export interface GatewayFiles {
  /** The configuration the server reads (`ASL_GATEWAY_CONFIG`), regenerated from the connection description on every start. */
  readonly config: string;
  /** classic-level stores: `read-model/`, `access-log/`, `tokens/`, `users/`. */
  readonly dataDir: string;
  /** 32 random bytes, base64, mode 0600: seals users' private keys. Generated once. */
  readonly vaultKey: string;
  /** The bootstrap admin's token (mode 0600), written by the server. */
  readonly adminToken: string;
}

/** Where a gateway whose folder is `home` keeps its files. */
export function gatewayFiles(home: string): GatewayFiles {
  return {
    config: join(home, 'gateway.json'),
    dataDir: join(home, 'data'),
    vaultKey: join(home, 'vault.key'),
    adminToken: join(home, 'admin-token.json'),
  };
}

/** What the connection description cannot say: where this gateway lives and listens. */
export interface GatewayPlacement {
  /** This gateway's own folder ({@link gatewayFiles}). */
  readonly home: string;
  readonly port: number;
  /** Default `127.0.0.1`. */
  readonly host?: string;
  /** The pseudonym key file, the same for both agencies (domain.md §2): case ids must match across agencies. */
  readonly pseudonymKeyFile: string;
  /** The bootstrap admin's user id: registered in the agency's CA on the first start, so unique per CA. */
  readonly bootstrapAdminId: string;
  readonly logLevel?: GatewayConfig['logLevel'];
  /**
   * `Secure` on the session cookie. Default false: the gateway itself serves plain HTTP on loopback, where a
   * browser would drop a Secure cookie; set it when a TLS proxy fronts the gateway.
   */
  readonly secureCookies?: boolean;
}

/** How a signature policy reads as the set of MSPs that must endorse (network/src/policies.ts). */
export { policyEndorsers };

/** The gateway's `ledger.endorsement` from the connection description's policies (undefined: the config's default). */
function endorsementOf(connection: Connection): { chaincode: string[]; collections: Record<string, string[]> } | undefined {
  const policies = connection.endorsementPolicies;
  if (policies === undefined) return undefined;
  return {
    chaincode: policyEndorsers(policies.chaincode),
    collections: Object.fromEntries(Object.entries(policies.collections).map(([name, policy]) => [name, policyEndorsers(policy)])),
  };
}

/**
 * The configuration of one agency's gateway on a live network, taken entirely from the network's connection
 * description (`connection.json`): the agency's MSP ID, its first peer (endpoint, TLS host alias, TLS root), every
 * other agency's first peer (the partner peers of the auditor's cross-agency check), the channel and chaincode, the
 * agency's Fabric CA (URL, name, TLS root, the registrar's enrolled key pair; the affiliation is the org key, as the
 * network registers every identity of the org) and the gateway's service identity. The service identity signs block queries (QSCC) and the block event stream, and its TLS key pair opens
 * the mutual-TLS connection to the peer; it is the agency's enrolled `auditor`, the read-only role, because the
 * topology enrols no identity of the gateway's own. Users' writes are signed with their own identities, which the
 * gateway registers in the CA. Pure: reads no file.
 */
export function gatewayConfigFromConnection(connection: Connection, orgKeyOrMspId: string, placement: GatewayPlacement): GatewayConfig {
  const org = connectionOrg(connection, orgKeyOrMspId);
  const orgKey = Object.keys(connection.orgs).find((key) => connection.orgs[key] === org) ?? orgKeyOrMspId;
  const peer = org.peers[0];
  if (peer === undefined) throw new Error(`${org.mspId} has no peer in the connection description`);
  const service = identityFor(connection, orgKey, 'auditor');
  const files = gatewayFiles(placement.home);
  const endorsement = endorsementOf(connection);
  return GatewayConfigSchema.parse({
    mspId: org.mspId,
    listen: { host: placement.host ?? '127.0.0.1', port: placement.port },
    dataDir: files.dataDir,
    pseudonymKeyFile: placement.pseudonymKeyFile,
    vaultKeyFile: files.vaultKey,
    ledger: {
      kind: 'fabric',
      peerEndpoint: peer.endpoint,
      hostAlias: peer.hostAlias,
      tlsRootCert: peer.tlsRootCert,
      tlsClient: { certificate: service.tls.certificate, privateKey: service.tls.privateKey },
      channel: connection.channel,
      chaincode: connection.chaincode,
      serviceIdentity: { certificate: service.certificate, privateKey: service.privateKey },
      partnerPeers: Object.values(connection.orgs)
        .filter((o) => o !== org)
        .flatMap((o) => (o.peers[0] ? [{ name: o.peers[0].name, mspId: o.mspId, peerEndpoint: o.peers[0].endpoint, hostAlias: o.peers[0].hostAlias, tlsRootCert: o.peers[0].tlsRootCert }] : [])),
      ...(endorsement === undefined ? {} : { endorsement }),
    },
    identity: {
      kind: 'fabric-ca',
      url: org.ca.url,
      caName: org.ca.name,
      tlsRootCert: org.ca.tlsRootCert,
      affiliation: orgKey,
      registrar: { enrollmentId: org.ca.registrar.enrollmentId, certificate: org.ca.registrar.certificate, privateKey: org.ca.registrar.privateKey },
    },
    secureCookies: placement.secureCookies ?? false,
    ...(placement.logLevel === undefined ? {} : { logLevel: placement.logLevel }),
    bootstrapAdmin: { userId: placement.bootstrapAdminId, tokenFile: files.adminToken },
  });
}
