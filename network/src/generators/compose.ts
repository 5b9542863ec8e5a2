import { join } from 'node:path';
import { stringify } from 'yaml';
import { Layout } from '../layout';
import { nodeHost, type Topology } from '../topology';
import { IMAGES } from '../versions';
import { chaincodeServerEnv, chaincodeServerName } from './chaincode-server';
import { ordererEnv } from './orderer';
import { allTlsRoots, peerEnv } from './peer';

/** Where the data directory is mounted inside every container. */
export const CONTAINER_HOME = '/asl';
/** Where the repository is mounted for the chaincode servers. */
const CONTAINER_REPO = '/repo';
/** FABRIC_CFG_PATH of the official images (their core.yaml / orderer.yaml, incl. the ccaas builder). */
const IMAGE_CFG = '/etc/hyperledger/fabric';

/** Name of the compose variable holding a peer's CCaaS builder config (written by `network up`). */
export function ccaasConfigVar(host: string): string {
  return `ASL_CCAAS_${host.replace(/[^A-Za-z0-9]/g, '_').toUpperCase()}`;
}

/**
 * docker-compose.yaml for people who have Docker and the official images: the same processes, ports
 * and environment as the native network (host networking keeps every address of the topology valid;
 * the data directory is mounted at {@link CONTAINER_HOME}). Second peers use the compose profile
 * `second-peer`. Crypto material, genesis block and chaincode package come from the native
 * `network up` steps in `$ASL_HOME`.
 */
export function composeFile(t: Topology): Record<string, unknown> {
  const layout = new Layout(CONTAINER_HOME, t);
  const volumes = ['${ASL_HOME:-../.asl}:' + CONTAINER_HOME];
  const services: Record<string, unknown> = {};
  for (const org of t.orgs) {
    services[org.ca.name] = {
      image: IMAGES.ca,
      network_mode: 'host',
      command: ['fabric-ca-server', 'start', '--home', layout.caHome(org)],
      volumes,
    };
  }
  const cas = t.orgs.map((o) => o.ca.name);
  for (const o of t.orderers) {
    services[nodeHost(t, o)] = {
      image: IMAGES.orderer,
      network_mode: 'host',
      environment: { ...ordererEnv(t, layout, o, IMAGE_CFG) },
      command: ['orderer'],
      volumes,
      depends_on: cas,
    };
  }
  for (const p of t.peers) {
    const host = nodeHost(t, p);
    const env = peerEnv(t, layout, p, { address: '', root_cert: '', client_cert: '', client_key: '' }, IMAGE_CFG);
    services[host] = {
      image: IMAGES.peer,
      network_mode: 'host',
      ...(p.profile === 'base' ? {} : { profiles: [p.profile] }),
      environment: {
        ...env,
        // List-valued key: the peer splits an env value at whitespace (viper string slice).
        CORE_PEER_TLS_CLIENTROOTCAS_FILES: allTlsRoots(t, layout).join(' '),
        CHAINCODE_AS_A_SERVICE_BUILDER_CONFIG: `\${${ccaasConfigVar(host)}:-}`,
      },
      command: ['peer', 'node', 'start'],
      volumes,
      depends_on: t.orderers.map((o) => nodeHost(t, o)),
    };
    services[chaincodeServerName(t, p)] = {
      image: 'node:20-bookworm-slim',
      network_mode: 'host',
      ...(p.profile === 'base' ? {} : { profiles: [p.profile] }),
      working_dir: join(CONTAINER_REPO, 'chaincode'),
      environment: chaincodeServerEnv(t, layout, p, '${ASL_PACKAGE_ID:-}'),
      command: ['node', join(CONTAINER_REPO, 'node_modules', 'fabric-shim', 'cli.js'), 'server', '--module-path', join(CONTAINER_REPO, 'chaincode')],
      volumes: [...volumes, '..:' + CONTAINER_REPO + ':ro'],
      depends_on: [host],
    };
  }
  return { name: t.name, services };
}

/** {@link composeFile} as the text committed in test-network/docker-compose.yaml. */
export function composeYaml(t: Topology): string {
  const header = [
    '# GENERATED from network/topology.yaml by `npx tsx network/src/cli.ts compose` — do not edit.',
    '# For people with Docker and the official Fabric images; not run on the project machines (no Docker).',
    '# Needs $ASL_HOME prepared by the native steps (CAs, identities, genesis block): see test-network/README.md.',
    `# Orgs: ${t.orgs.map((o) => o.mspId).join(', ')}; channel ${t.channel.name}; chaincode ${t.chaincode.name}.`,
  ].join('\n');
  return `${header}\n${stringify(composeFile(t), { lineWidth: 0, aliasDuplicateObjects: false })}`;
}
