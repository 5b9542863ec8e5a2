import { join } from 'node:path';
import type { Layout } from '../layout';
import { hostOf, nodeHost, orgOf, type Peer, type Topology } from '../topology';
import type { CcaasBuilderConfig } from './ccaas-package';
import { MSP_TLS_CA_CERT } from './msp';

/** Name of the external builder entry in core.yaml. */
export const CCAAS_BUILDER_NAME = 'ccaas_builder';

/** File names of a node's TLS key pair inside its `tls/` folder. */
export const TLS_FILES = { cert: 'server.crt', key: 'server.key', ca: 'ca.crt' } as const;

/** TLS root certificates of every organisation (channel MSP `tlscacerts`). */
export function allTlsRoots(t: Topology, layout: Layout): string[] {
  return t.orgs.map((o) => join(layout.orgMsp(o), MSP_TLS_CA_CERT));
}

/** TLS root certificate of one organisation (its channel MSP `tlscacerts`). */
export function ownTlsRoot(t: Topology, layout: Layout, mspId: string): string {
  return join(layout.orgMsp(orgOf(t, mspId)), MSP_TLS_CA_CERT);
}

/**
 * The operations endpoint of a node serves TLS with its node TLS key pair. `clientAuthRequired`
 * stays false on purpose: Fabric's operations server then still demands a verified client
 * certificate on `/metrics` and `/logspec` (middleware.RequireCert, fabric core/operations/system.go
 * `handlerChain(..., s.options.TLS.Enabled)`), while `/healthz` and `/version` stay reachable with
 * server-authenticated TLS only, which is what the readiness checks use.
 */
export interface OperationsProbe {
  /** `https://host:port/healthz`. */
  readonly url: string;
  /** CA file that verifies the node's TLS certificate. */
  readonly ca: string;
}

/** How readiness checks reach a peer's or orderer's `/healthz` (TLS, verified against the node's TLS CA). */
export function operationsProbe(t: Topology, layout: Layout, node: { name: string; org: string; operationsPort: number }): OperationsProbe {
  return {
    url: `https://${hostOf(t, orgOf(t, node.org))}:${node.operationsPort}/healthz`,
    ca: join(layout.nodeOf(node).tls, TLS_FILES.ca),
  };
}

/**
 * The keys of a peer's core.yaml that are lists or must be empty, set in the YAML file rather than
 * through environment variables (list-valued env overrides are not reliably parsed by the peer). The
 * rest of core.yaml is Fabric's own sampleconfig.
 */
export function peerCoreYamlPatch(t: Topology, layout: Layout, builderDir: string): Record<string, unknown> {
  return {
    peer: { tls: { clientRootCAs: { files: allTlsRoots(t, layout) } } },
    // No Docker: an empty endpoint keeps the Docker builder and its health check unregistered.
    vm: { endpoint: '' },
    chaincode: {
      externalBuilders: [
        { name: CCAAS_BUILDER_NAME, path: builderDir, propagateEnvironment: ['CHAINCODE_AS_A_SERVICE_BUILDER_CONFIG'] },
      ],
    },
  };
}

/**
 * Environment of `peer node start` (env name = `CORE_` + upper-cased core.yaml key path).
 * `builderConfig` fills the templates of the CCaaS package's connection.json for this peer.
 */
export function peerEnv(
  t: Topology,
  layout: Layout,
  peer: Peer,
  builderConfig: CcaasBuilderConfig,
  fabricCfgPath: string,
): Record<string, string> {
  const org = orgOf(t, peer.org);
  const host = hostOf(t, org);
  const id = nodeHost(t, peer);
  const dirs = layout.nodeOf(peer);
  const basePeer = t.peers.find((p) => p.org === peer.org && p.profile === 'base') ?? peer;
  const ledger = layout.ledger(id);
  return {
    FABRIC_CFG_PATH: fabricCfgPath,
    FABRIC_LOGGING_SPEC: 'info',
    CORE_PEER_ID: id,
    CORE_PEER_NETWORKID: t.name,
    CORE_PEER_LOCALMSPID: peer.org,
    CORE_PEER_MSPCONFIGPATH: dirs.msp,
    CORE_PEER_ADDRESS: `${host}:${peer.port}`,
    CORE_PEER_LISTENADDRESS: `${host}:${peer.port}`,
    CORE_PEER_ADDRESSAUTODETECT: 'false',
    CORE_PEER_CHAINCODEADDRESS: `${host}:${peer.chaincodePort}`,
    CORE_PEER_CHAINCODELISTENADDRESS: `${host}:${peer.chaincodePort}`,
    CORE_PEER_GOSSIP_BOOTSTRAP: `${host}:${basePeer.port}`,
    CORE_PEER_GOSSIP_EXTERNALENDPOINT: `${host}:${peer.port}`,
    CORE_PEER_GOSSIP_USELEADERELECTION: 'false',
    CORE_PEER_GOSSIP_ORGLEADER: 'true',
    CORE_PEER_GATEWAY_ENABLED: 'true',
    CORE_PEER_TLS_ENABLED: 'true',
    CORE_PEER_TLS_CLIENTAUTHREQUIRED: 'true',
    CORE_PEER_TLS_CERT_FILE: join(dirs.tls, TLS_FILES.cert),
    CORE_PEER_TLS_KEY_FILE: join(dirs.tls, TLS_FILES.key),
    CORE_PEER_TLS_ROOTCERT_FILE: join(dirs.tls, TLS_FILES.ca),
    CORE_PEER_TLS_CLIENTCERT_FILE: join(dirs.tls, TLS_FILES.cert),
    CORE_PEER_TLS_CLIENTKEY_FILE: join(dirs.tls, TLS_FILES.key),
    CORE_PEER_FILESYSTEMPATH: ledger,
    CORE_LEDGER_SNAPSHOTS_ROOTDIR: join(ledger, 'snapshots'),
    CORE_LEDGER_STATE_STATEDATABASE: t.ledger.stateDatabase,
    CORE_LEDGER_HISTORY_ENABLEHISTORYDATABASE: String(t.ledger.historyDatabase),
    CORE_LEDGER_PVTDATASTORE_PURGEINTERVAL: String(t.ledger.purgeInterval),
    CORE_OPERATIONS_LISTENADDRESS: `${host}:${peer.operationsPort}`,
    // core/peer/config.go: operations.tls.{enabled,cert.file,key.file,clientAuthRequired,clientRootCAs.files}
    CORE_OPERATIONS_TLS_ENABLED: 'true',
    CORE_OPERATIONS_TLS_CERT_FILE: join(dirs.tls, TLS_FILES.cert),
    CORE_OPERATIONS_TLS_KEY_FILE: join(dirs.tls, TLS_FILES.key),
    CORE_OPERATIONS_TLS_CLIENTAUTHREQUIRED: 'false',
    // Who may call /metrics and /logspec: holders of a TLS certificate of the peer's own org. A
    // one-element list, so the env form is safe (viper GetStringSlice splits at whitespace only).
    CORE_OPERATIONS_TLS_CLIENTROOTCAS_FILES: ownTlsRoot(t, layout, peer.org),
    CORE_METRICS_PROVIDER: 'prometheus',
    CORE_VM_ENDPOINT: '',
    CORE_CHAINCODE_STARTUPTIMEOUT: t.timeouts.chaincodeStartup,
    CORE_CHAINCODE_EXECUTETIMEOUT: t.timeouts.chaincodeExecute,
    CORE_PEER_CLIENT_CONNTIMEOUT: t.timeouts.clientConnect,
    CORE_PEER_DELIVERYCLIENT_CONNTIMEOUT: t.timeouts.clientConnect,
    CORE_PEER_GOSSIP_RECONNECTINTERVAL: t.timeouts.gossipReconnect,
    CHAINCODE_AS_A_SERVICE_BUILDER_CONFIG: JSON.stringify(builderConfig),
  };
}

/**
 * Environment of the `peer` CLI acting as an org admin against one peer (channel join, lifecycle).
 * The same TLS key pair as the admin's enrolment provides the client certificate that the peer's
 * `clientAuthRequired` demands.
 */
export function peerAdminEnv(t: Topology, layout: Layout, peer: Peer, adminId: string, fabricCfgPath: string): Record<string, string> {
  const org = orgOf(t, peer.org);
  const admin = layout.user(org, adminId);
  return {
    FABRIC_CFG_PATH: fabricCfgPath,
    FABRIC_LOGGING_SPEC: 'warning',
    CORE_PEER_LOCALMSPID: peer.org,
    CORE_PEER_MSPCONFIGPATH: admin.msp,
    CORE_PEER_ADDRESS: `${hostOf(t, org)}:${peer.port}`,
    CORE_PEER_TLS_ENABLED: 'true',
    CORE_PEER_TLS_ROOTCERT_FILE: join(layout.orgMsp(org), MSP_TLS_CA_CERT),
    CORE_PEER_TLS_CLIENTAUTHREQUIRED: 'true',
    CORE_PEER_TLS_CLIENTCERT_FILE: join(admin.tls, TLS_FILES.cert),
    CORE_PEER_TLS_CLIENTKEY_FILE: join(admin.tls, TLS_FILES.key),
    CORE_PEER_CLIENT_CONNTIMEOUT: t.timeouts.clientConnect,
  };
}
