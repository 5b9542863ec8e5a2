import { join, resolve } from 'node:path';
import { nodeHost, orgOf, type Org, type Topology } from './topology';

/** Where the network keeps its state: one data directory, default `<repo>/.asl` (`ASL_HOME` overrides). */
export function dataHome(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.ASL_HOME ?? join(__dirname, '..', '..', '.asl'));
}

/**
 * The project's shared contract folder (`domain.md`, `testdata/`, `third_party/`): `$ASL_SHARED_DIR`, default
 * `../shared` beside the checkout. A checkout elsewhere (say `git clone . /tmp/fresh`) sets ASL_SHARED_DIR.
 */
export function sharedDir(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.ASL_SHARED_DIR ?? join(__dirname, '..', '..', '..', 'shared'));
}

/** Files of one enrolled identity (local MSP plus, for nodes, a TLS key pair). */
export interface IdentityDirs {
  /** Local MSP folder: signcerts/, keystore/, cacerts/, config.yaml. */
  readonly msp: string;
  /** TLS folder: server.crt, server.key, ca.crt (fabric-ca-client output kept under tls/raw/). */
  readonly tls: string;
}

/**
 * Every path below the data directory, derived from the topology. Nothing else in network/ builds
 * paths by hand, so the layout is documented here once:
 *
 * ```
 * $ASL_HOME/network/
 *   ca/<org>/                      fabric-ca-server home (config, ca-cert.pem, sqlite db)
 *   crypto/<org>/msp/              channel MSP of the org (cacerts, tlscacerts, config.yaml)
 *   crypto/<org>/registrar/msp     the CA's bootstrap admin (registers everyone else)
 *   crypto/<org>/nodes/<host>/     peers/orderers/chaincode servers: msp/ + tls/
 *   crypto/<org>/users/<id>/       admins and clients: msp/ (+ tls/ for admins)
 *   secrets/<org>.json             generated enrolment secrets (0600)
 *   config/                        configtx.yaml, collections.json, <host>/core.yaml
 *   artifacts/                     <channel>.block, <chaincode>.tgz
 *   ledgers/<host>/                peer file system path, orderer ledger, Raft WAL and snapshots
 *   run/  logs/                    PID files and one log per process
 * ```
 */
export class Layout {
  /** Root of all network state (`$ASL_HOME/network`). */
  readonly root: string;

  constructor(
    readonly home: string,
    private readonly topology: Topology,
  ) {
    this.root = join(home, 'network');
  }

  /** fabric-ca-server home of an org. */
  caHome(org: Org): string {
    return join(this.root, 'ca', org.key);
  }
  /** The CA certificate clients trust for the CA's TLS endpoint (written by fabric-ca-server). */
  caTlsCert(org: Org): string {
    return join(this.caHome(org), 'ca-cert.pem');
  }
  /** Channel MSP of an org (configtxgen `MSPDir`). */
  orgMsp(org: Org): string {
    return join(this.root, 'crypto', org.key, 'msp');
  }
  /** Home of the CA's bootstrap admin (the registrar). */
  registrar(org: Org): string {
    return join(this.root, 'crypto', org.key, 'registrar');
  }
  /** Identity folders of a node (peer, orderer or chaincode server) by its host name. */
  node(mspId: string, host: string): IdentityDirs {
    const base = join(this.root, 'crypto', orgOf(this.topology, mspId).key, 'nodes', host);
    return { msp: join(base, 'msp'), tls: join(base, 'tls') };
  }
  /** Identity folders of a peer or orderer. */
  nodeOf(node: { name: string; org: string }): IdentityDirs {
    return this.node(node.org, nodeHost(this.topology, node));
  }
  /** Identity folders of a user (admin or client) by enrollment ID. */
  user(org: Org, enrollmentId: string): IdentityDirs {
    const base = join(this.root, 'crypto', org.key, 'users', enrollmentId);
    return { msp: join(base, 'msp'), tls: join(base, 'tls') };
  }
  /** Generated enrolment secrets of an org. */
  secrets(org: Org): string {
    return join(this.root, 'secrets', `${org.key}.json`);
  }
  /** Folder of generated config files. */
  get configDir(): string {
    return join(this.root, 'config');
  }
  /** FABRIC_CFG_PATH of one node (holds its core.yaml / orderer.yaml). */
  nodeConfigDir(host: string): string {
    return join(this.configDir, host);
  }
  /** Generated collections config. */
  get collectionsFile(): string {
    return join(this.configDir, 'collections.json');
  }
  /** Genesis block of the channel. */
  get genesisBlock(): string {
    return join(this.root, 'artifacts', `${this.topology.channel.name}.block`);
  }
  /** The CCaaS chaincode package. */
  get chaincodePackage(): string {
    return join(this.root, 'artifacts', `${this.topology.chaincode.name}.tgz`);
  }
  /** Ledger and state of one node. */
  ledger(host: string): string {
    return join(this.root, 'ledgers', host);
  }
  /** PID files and process records. */
  get runDir(): string {
    return join(this.root, 'run');
  }
  /** One log file per process. */
  get logDir(): string {
    return join(this.root, 'logs');
  }
}
