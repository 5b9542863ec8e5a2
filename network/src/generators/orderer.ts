import { join } from 'node:path';
import type { Layout } from '../layout';
import { hostOf, nodeHost, orgOf, type Orderer, type Topology } from '../topology';
import { allTlsRoots, ownTlsRoot, TLS_FILES } from './peer';

const list = (items: readonly string[]): string => `[${items.join(',')}]`;

/**
 * Environment of an orderer (env name = `ORDERER_` + upper-cased orderer.yaml key path): channel
 * participation API (no system channel in v3), admin endpoint with mutual TLS (the orderer panics
 * when admin TLS is on without client auth), TLS with client authentication on the main listener,
 * cluster traffic on the main listener (Cluster.* left empty), and every data path under the data dir.
 */
export function ordererEnv(t: Topology, layout: Layout, orderer: Orderer, fabricCfgPath: string): Record<string, string> {
  const org = orgOf(t, orderer.org);
  const host = hostOf(t, org);
  const dirs = layout.nodeOf(orderer);
  const cert = join(dirs.tls, TLS_FILES.cert);
  const key = join(dirs.tls, TLS_FILES.key);
  const ownCa = join(dirs.tls, TLS_FILES.ca);
  const ledger = layout.ledger(nodeHost(t, orderer));
  return {
    FABRIC_CFG_PATH: fabricCfgPath,
    FABRIC_LOGGING_SPEC: 'info',
    ORDERER_GENERAL_LISTENADDRESS: host,
    ORDERER_GENERAL_LISTENPORT: String(orderer.port),
    ORDERER_GENERAL_LOCALMSPID: orderer.org,
    ORDERER_GENERAL_LOCALMSPDIR: dirs.msp,
    ORDERER_GENERAL_TLS_ENABLED: 'true',
    ORDERER_GENERAL_TLS_CERTIFICATE: cert,
    ORDERER_GENERAL_TLS_PRIVATEKEY: key,
    ORDERER_GENERAL_TLS_ROOTCAS: list([ownCa]),
    ORDERER_GENERAL_TLS_CLIENTAUTHREQUIRED: 'true',
    ORDERER_GENERAL_TLS_CLIENTROOTCAS: list(allTlsRoots(t, layout)),
    // Raft cluster traffic shares the main listener (no Cluster.ListenPort/ServerCertificate); the
    // cluster *client* certificate is set explicitly to the node TLS certificate, which is what the
    // configtx consenter entry lists as ClientTLSCert (as fabric-samples test-network
    // compose-test-net.yaml does; orderer/common/server/main.go initializeClusterClientConfig
    // falls back to General.TLS only when both Cluster.Client* keys are empty in orderer.yaml).
    ORDERER_GENERAL_CLUSTER_CLIENTCERTIFICATE: cert,
    ORDERER_GENERAL_CLUSTER_CLIENTPRIVATEKEY: key,
    ORDERER_GENERAL_CLUSTER_ROOTCAS: list([ownCa]),
    ORDERER_FILELEDGER_LOCATION: join(ledger, 'chains'),
    ORDERER_CONSENSUS_WALDIR: join(ledger, 'etcdraft', 'wal'),
    ORDERER_CONSENSUS_SNAPDIR: join(ledger, 'etcdraft', 'snapshot'),
    ORDERER_OPERATIONS_LISTENADDRESS: `${host}:${orderer.operationsPort}`,
    // orderer/common/localconfig/config.go: Operations.TLS is a TLS struct {Enabled, PrivateKey,
    // Certificate, RootCAs, ClientAuthRequired, ClientRootCAs}. TLS on makes /metrics and /logspec
    // demand a verified client certificate (core/operations/system.go); /healthz stays open to the
    // readiness check (see operationsProbe in ./peer).
    ORDERER_OPERATIONS_TLS_ENABLED: 'true',
    ORDERER_OPERATIONS_TLS_CERTIFICATE: cert,
    ORDERER_OPERATIONS_TLS_PRIVATEKEY: key,
    ORDERER_OPERATIONS_TLS_CLIENTAUTHREQUIRED: 'false',
    ORDERER_OPERATIONS_TLS_CLIENTROOTCAS: list([ownTlsRoot(t, layout, orderer.org)]),
    ORDERER_METRICS_PROVIDER: 'prometheus',
    ORDERER_ADMIN_LISTENADDRESS: `${host}:${orderer.adminPort}`,
    ORDERER_ADMIN_TLS_ENABLED: 'true',
    ORDERER_ADMIN_TLS_CERTIFICATE: cert,
    ORDERER_ADMIN_TLS_PRIVATEKEY: key,
    ORDERER_ADMIN_TLS_ROOTCAS: list([ownCa]),
    ORDERER_ADMIN_TLS_CLIENTAUTHREQUIRED: 'true',
    ORDERER_ADMIN_TLS_CLIENTROOTCAS: list([ownCa]),
    ORDERER_CHANNELPARTICIPATION_ENABLED: 'true',
  };
}

/** Arguments of `osnadmin channel join` for one orderer, as the orderer org's admin. */
export function osnadminJoinArgs(t: Topology, layout: Layout, orderer: Orderer, adminId: string): string[] {
  const org = orgOf(t, orderer.org);
  const admin = layout.user(org, adminId);
  return [
    'channel', 'join',
    '--channelID', t.channel.name,
    '--config-block', layout.genesisBlock,
    ...osnadminConnArgs(t, layout, orderer, admin.tls),
  ];
}

/** Connection flags of `osnadmin` (admin endpoint, mutual TLS). */
export function osnadminConnArgs(t: Topology, layout: Layout, orderer: Orderer, adminTlsDir: string): string[] {
  const org = orgOf(t, orderer.org);
  return [
    '-o', `${hostOf(t, org)}:${orderer.adminPort}`,
    '--ca-file', join(layout.nodeOf(orderer).tls, TLS_FILES.ca),
    '--client-cert', join(adminTlsDir, TLS_FILES.cert),
    '--client-key', join(adminTlsDir, TLS_FILES.key),
  ];
}
