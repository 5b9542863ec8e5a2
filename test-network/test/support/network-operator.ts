import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { Connection } from '@asl/network/connection';
import { peerLedgerInfo, type PeerLedgerInfo } from '@asl/network/ledger-info';
import { locateFabric, type FabricBinaries } from '../../../network/src/binaries';
import { peerAdminEnv } from '../../../network/src/generators/peer';
import { orgAdmin } from '../../../network/src/identities';
import { Layout } from '../../../network/src/layout';
import { ProcessSupervisor, waitFor } from '../../../network/src/processes';
import { raftViews, waitForRaftLeader } from '../../../network/src/steps';
import { activePeers, loadTopology, nodeHost, type Topology } from '../../../network/src/topology';

const REPO_ROOT = join(__dirname, '..', '..', '..');

/** How long `up` may take to bring a stopped node back (it waits for real readiness itself). */
const UP_TIMEOUT_MS = 5 * 60_000;

const DURATION_UNITS_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** A Go duration as the topology writes it (`500ms`, `10s`), in milliseconds. */
function durationMs(text: string): number {
  const m = /^(\d+)(ms|s|m|h)$/.exec(text);
  const unit = DURATION_UNITS_MS[m?.[2] ?? ''];
  if (m === null || unit === undefined) throw new Error(`not a duration: ${text}`);
  return Number(m[1]) * unit;
}

/** The outcome of one `network/src/cli.ts up`. */
export interface UpResult {
  readonly status: number | null;
  readonly output: string;
}

/**
 * What an operator does to the running network from a live test, with the network tooling's own pieces: the
 * topology, the data layout of connection.json's `home`, the process supervisor's PID records, the Raft metrics
 * and the `peer` CLI. Never `up --fresh` or `down`: other suites use the same network at the same time.
 */
export class NetworkOperator {
  private constructor(
    readonly topology: Topology,
    readonly layout: Layout,
    readonly fabric: FabricBinaries,
    private readonly supervisor: ProcessSupervisor,
  ) {}

  /** The operator of the network `connection` describes; fails when the Fabric binaries cannot be found. */
  static async open(connection: Connection): Promise<NetworkOperator> {
    const topology = loadTopology();
    const layout = new Layout(connection.home, topology);
    const fabric = await locateFabric();
    if (fabric === undefined) throw new Error('Fabric binaries not found (npx tsx network/src/cli.ts ensure-binaries)');
    return new NetworkOperator(topology, layout, fabric, new ProcessSupervisor(layout.runDir, layout.logDir));
  }

  /** The orderers' process names, e.g. `orderer1.ordering`. */
  orderers(): string[] {
    return this.topology.orderers.map((o) => nodeHost(this.topology, o));
  }

  /** The peers' process names, e.g. `peer0.bamf`. */
  peers(): string[] {
    return activePeers(this.topology, { secondPeer: false }).map((p) => nodeHost(this.topology, p));
  }

  /**
   * The longest a Raft follower waits for a silent leader before it calls an election: etcd draws the timeout
   * from [electionTick, 2 × electionTick) ticks (topology `channel.raft`).
   */
  raftElectionTimeoutMs(): number {
    const { electionTick, tickInterval } = this.topology.channel.raft;
    return 2 * electionTick * durationMs(tickInterval);
  }

  /** The channel's Raft leader once every orderer knows it (as `up` waits for it). */
  raftLeader(): Promise<string> {
    return waitForRaftLeader(this, 120_000);
  }

  /** Waits until one of the orderers still running leads the channel (after the leader was stopped). */
  async waitForLeaderAmong(running: readonly string[], timeoutMs = 120_000): Promise<string> {
    let leader: string | undefined;
    await waitFor(
      `a Raft leader among ${running.join(', ')}`,
      async () => {
        const views = (await raftViews(this.topology, this.layout)).filter((v) => running.includes(v.orderer));
        leader = views.find((v) => v.isLeader === 1)?.orderer;
        return leader !== undefined;
      },
      timeoutMs,
    );
    return leader ?? '';
  }

  /** Whether a node's process runs, by its PID record. */
  isRunning(name: string): boolean {
    return this.supervisor.isRunning(name);
  }

  /** Stops one node by its PID record (SIGTERM, then SIGKILL), as an outage would. */
  async stop(name: string): Promise<void> {
    if (!(await this.supervisor.stop(name))) throw new Error(`${name} was not running`);
  }

  /** `npx tsx network/src/cli.ts up`: idempotent, starts what is not running and waits until it is ready. */
  up(): UpResult {
    const r = spawnSync('npx', ['tsx', 'network/src/cli.ts', 'up'], { cwd: REPO_ROOT, encoding: 'utf8', timeout: UP_TIMEOUT_MS });
    return { status: r.status, output: `${r.error ? `${r.error.message}\n` : ''}${r.stdout}${r.stderr}` };
  }

  /** Height, newest block hash and commit hash of a peer (`peer channel getinfo` + `fetch`, as its org admin). */
  peerLedger(name: string): Promise<PeerLedgerInfo> {
    const t = this.topology;
    const peer = t.peers.find((p) => nodeHost(t, p) === name);
    if (peer === undefined) throw new Error(`no peer ${name} in the topology`);
    const env = peerAdminEnv(t, this.layout, peer, orgAdmin(t, peer.org), this.fabric.sampleConfig);
    return peerLedgerInfo(this.fabric.tools.peer, t.channel.name, env);
  }

  /**
   * Every peer's ledger info at a moment they report the same height (other suites may be writing meanwhile,
   * so this waits for a quiet moment rather than for a fixed height).
   */
  async peerLedgersAtEqualHeight(timeoutMs = 120_000): Promise<Map<string, PeerLedgerInfo>> {
    let infos = new Map<string, PeerLedgerInfo>();
    await waitFor(
      'every peer at the same height',
      async () => {
        infos = new Map(await Promise.all(this.peers().map(async (p) => [p, await this.peerLedger(p)] as const)));
        return new Set([...infos.values()].map((i) => i.height)).size === 1;
      },
      timeoutMs,
      500,
    );
    return infos;
  }
}
