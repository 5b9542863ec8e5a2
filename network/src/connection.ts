import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { REGISTRAR_ID } from './generators/ca-config';
import { MSP_TLS_CA_CERT } from './generators/msp';
import { TLS_FILES } from './generators/peer';
import { identityPlan } from './identities';
import { dataHome, type Layout } from './layout';
import { activePeers, CLIENT_ROLES, hostOf, nodeHost, orgOf, type Topology } from './topology';

/**
 * The connection description that `network:up` writes to `$ASL_HOME/network/connection.json`: everything a
 * client needs to reach the running network, derived from the topology and the enrolled identities. Gateways,
 * the demo, benchmarks and every live test read it; none of them re-derives paths or identity names.
 * Every certificate and key is a file path (keys stay in their 0600 files).
 */

const File = z.string().min(1);
const KeyPair = z.strictObject({ certificate: File, privateKey: File });

const IdentitySchema = z.strictObject({
  enrollmentId: z.string(),
  /** Fabric CA identity type, which NodeOUs turn into the certificate's role OU. */
  type: z.enum(['peer', 'orderer', 'admin', 'client']),
  /** What it is for: node, chaincode server, org admin (type admin, no role attribute) or application client. */
  purpose: z.enum(['orderer', 'peer', 'chaincode-server', 'org-admin', 'client']),
  /** The `role` attribute in the enrolment certificate (application clients only). */
  role: z.enum(CLIENT_ROLES).optional(),
  /** Enrolment certificate and key (the local MSP's signcert and keystore). */
  certificate: File,
  privateKey: File,
  /** The MSP folder itself (for the `peer` CLI: CORE_PEER_MSPCONFIGPATH). */
  msp: File,
  /** TLS key pair for mutual TLS (every Fabric listener requires client certificates). */
  tls: KeyPair,
});

const EndpointSchema = z.strictObject({
  /** Process name, also the TLS host alias (`grpc.ssl_target_name_override`), e.g. `peer0.bamf`. */
  name: z.string(),
  /** `host:port` of the gRPC listener. */
  endpoint: z.string(),
  hostAlias: z.string(),
  /** TLS root that verifies the node's certificate. */
  tlsRootCert: File,
  /** `https://host:port` of the operations endpoint (/healthz, /metrics). */
  operationsUrl: z.string(),
});

const PeerSchema = EndpointSchema.extend({
  /** `host:port` of the chaincode server (CCaaS) this peer dials. */
  chaincodeServer: z.string(),
  /** The peer's ledger folder (block files under `ledgersData/chains/chains/<channel>`). */
  ledgerDir: File,
});

const OrdererSchema = EndpointSchema.extend({
  /** `host:port` of the channel participation (admin) API, mutual TLS. */
  adminEndpoint: z.string(),
});

const OrgSchema = z.strictObject({
  mspId: z.string(),
  kind: z.enum(['ordering-service', 'federal-office', 'state-authority']),
  /** The org's channel MSP folder (cacerts, tlscacerts, config.yaml). */
  msp: File,
  /** TLS root of the org's nodes (what clients of its peers trust). */
  tlsRootCert: File,
  peers: z.array(PeerSchema),
  ca: z.strictObject({
    name: z.string(),
    url: z.string(),
    tlsRootCert: File,
    /** The CA's bootstrap admin, which registers and revokes identities. */
    registrar: z.strictObject({ enrollmentId: z.string(), certificate: File, privateKey: File, msp: File }),
  }),
  identities: z.array(IdentitySchema),
});

/** Schema of `connection.json`; {@link Connection} is inferred from it. */
export const ConnectionSchema = z.strictObject({
  version: z.literal(1),
  /** Topology name. */
  network: z.string(),
  channel: z.string(),
  chaincode: z.string(),
  /** The data directory the network lives in. */
  home: File,
  orderers: z.array(OrdererSchema),
  /** Per organisation, keyed by the topology's org `key` (`bamf`, `zab`, `ordering`). */
  orgs: z.record(z.string(), OrgSchema),
  /**
   * The chaincode's endorsement policy and the collection-level policies of the collections that have one, as the
   * topology states them (signature-policy syntax). Absent in descriptions written before it was added.
   */
  endorsementPolicies: z.strictObject({ chaincode: z.string(), collections: z.record(z.string(), z.string()) }).optional(),
});

/** The parsed connection description. */
export type Connection = z.infer<typeof ConnectionSchema>;
/** One organisation of the connection description. */
export type ConnectionOrg = Connection['orgs'][string];
/** One enrolled identity of the connection description. */
export type ConnectionIdentity = ConnectionOrg['identities'][number];

/** Where the connection description of the network in `home` lives. */
export function connectionFile(home: string = dataHome()): string {
  return join(home, 'network', 'connection.json');
}

/** The single `*_sk` key file fabric-ca-client wrote into an MSP keystore. */
export function keystoreFile(msp: string): string {
  const dir = join(msp, 'keystore');
  const keys = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('_sk')) : [];
  const key = keys[0];
  if (keys.length !== 1 || key === undefined) throw new Error(`expected exactly one *_sk in ${dir}, found ${keys.length}`);
  return join(dir, key);
}

/**
 * The connection description of the network as the topology and layout define it. `keyOf` resolves an
 * MSP's private key file (the keystore's file name is chosen by fabric-ca-client).
 */
export function connectionDescription(
  t: Topology,
  layout: Layout,
  opts: { secondPeer: boolean },
  keyOf: (msp: string) => string = keystoreFile,
): Connection {
  const plan = identityPlan(t, layout, opts);
  const orgs: Connection['orgs'] = {};
  for (const org of t.orgs) {
    const host = hostOf(t, org);
    const registrar = layout.registrar(org);
    orgs[org.key] = {
      mspId: org.mspId,
      kind: org.kind,
      msp: layout.orgMsp(org),
      tlsRootCert: join(layout.orgMsp(org), MSP_TLS_CA_CERT),
      peers: activePeers(t, opts)
        .filter((p) => p.org === org.mspId)
        .map((p) => ({
          name: nodeHost(t, p),
          endpoint: `${host}:${p.port}`,
          hostAlias: nodeHost(t, p),
          tlsRootCert: join(layout.orgMsp(org), MSP_TLS_CA_CERT),
          operationsUrl: `https://${host}:${p.operationsPort}`,
          chaincodeServer: `${host}:${p.chaincodeServerPort}`,
          ledgerDir: layout.ledger(nodeHost(t, p)),
        })),
      ca: {
        name: org.ca.name,
        url: `https://${host}:${org.ca.port}`,
        tlsRootCert: layout.caTlsCert(org),
        registrar: {
          enrollmentId: REGISTRAR_ID,
          certificate: join(registrar, 'msp', 'signcerts', 'cert.pem'),
          privateKey: keyOf(join(registrar, 'msp')),
          msp: join(registrar, 'msp'),
        },
      },
      identities: plan
        .filter((s) => s.org.mspId === org.mspId)
        .map((s) => ({
          enrollmentId: s.enrollmentId,
          type: s.type,
          purpose: s.purpose,
          ...(s.role === undefined ? {} : { role: s.role }),
          certificate: join(s.dirs.msp, 'signcerts', 'cert.pem'),
          privateKey: keyOf(s.dirs.msp),
          msp: s.dirs.msp,
          tls: { certificate: join(s.dirs.tls, TLS_FILES.cert), privateKey: join(s.dirs.tls, TLS_FILES.key) },
        })),
    };
  }
  return {
    version: 1,
    network: t.name,
    channel: t.channel.name,
    chaincode: t.chaincode.name,
    home: layout.home,
    endorsementPolicies: {
      chaincode: t.chaincode.endorsementPolicy,
      collections: Object.fromEntries(t.chaincode.collections.flatMap((c) => (c.endorsementPolicy === undefined ? [] : [[c.name, c.endorsementPolicy]]))),
    },
    orderers: t.orderers.map((o) => {
      const host = hostOf(t, orgOf(t, o.org));
      return {
        name: nodeHost(t, o),
        endpoint: `${host}:${o.port}`,
        hostAlias: nodeHost(t, o),
        tlsRootCert: join(layout.orgMsp(orgOf(t, o.org)), MSP_TLS_CA_CERT),
        operationsUrl: `https://${host}:${o.operationsPort}`,
        adminEndpoint: `${host}:${o.adminPort}`,
      };
    }),
    orgs,
  };
}

/** Writes the connection description atomically (readers never see half a file). */
export function writeConnection(file: string, c: Connection): void {
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, JSON.stringify(ConnectionSchema.parse(c), null, 2) + '\n', { mode: 0o600 });
  renameSync(tmp, file);
}

/**
 * Reads and validates the connection description (default: the one of `$ASL_HOME`). Throws with the
 * command to run when the network has not been brought up.
 */
export function readConnection(file: string = connectionFile()): Connection {
  if (!existsSync(file)) throw new Error(`${file} does not exist: bring the network up first (npm run network:up)`);
  return ConnectionSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
}

/** The organisation with this key (`bamf`, `zab`) or MSP ID. */
export function connectionOrg(c: Connection, keyOrMspId: string): ConnectionOrg {
  const org = c.orgs[keyOrMspId] ?? Object.values(c.orgs).find((o) => o.mspId === keyOrMspId);
  if (org === undefined) throw new Error(`no organisation ${keyOrMspId} in the connection description`);
  return org;
}

/** The first identity of an organisation with this application role (or purpose, for `org-admin`). */
export function identityFor(c: Connection, org: string, role: ConnectionIdentity['role'] | 'org-admin'): ConnectionIdentity {
  const o = connectionOrg(c, org);
  const id = o.identities.find((i) => (role === 'org-admin' ? i.purpose === 'org-admin' : i.role === role));
  if (id === undefined) throw new Error(`${o.mspId} has no identity with ${role === 'org-admin' ? 'purpose org-admin' : `role ${String(role)}`}`);
  return id;
}
