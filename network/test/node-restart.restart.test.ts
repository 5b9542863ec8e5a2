/**
 * A node that died (SIGKILL: no shutdown) is brought back by `network:up` alone, one kind at a time: a peer, a Raft
 * orderer, a chaincode server and a Fabric CA (issue 20: "restarting a killed node with network:up failed each time on
 * a readiness race"). ASL_TEST_KIND=restart: it kills nodes of the running network, so it runs after the net suites.
 * `up` itself waits on the real signals (health, Raft leader known to all, gossip membership, a chaincode query); the
 * test also checks that the node runs again under a new PID, that no other process was restarted, and that both
 * peers answer the chaincode with equal heights afterwards.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { locateFabric } from '../src/binaries';
import { readConnection } from '../src/connection';
import { peerAdminEnv } from '../src/generators/peer';
import { orgAdmin } from '../src/identities';
import { dataHome, Layout } from '../src/layout';
import { peerLedgerInfo } from '../src/ledger-info';
import { ProcessSupervisor, waitFor } from '../src/processes';
import { chaincodeProbeArgs } from '../src/steps';
import { activePeers, loadTopology, nodeHost } from '../src/topology';

const repo = join(__dirname, '..', '..');
const cli = (...args: string[]) => spawnSync('npx', ['tsx', join(repo, 'network', 'src', 'cli.ts'), ...args], { cwd: repo, encoding: 'utf8' });
const t = loadTopology();
const layout = new Layout(dataHome(), t);
const supervisor = new ProcessSupervisor(layout.runDir, layout.logDir);
const peers = activePeers(t, { secondPeer: false });

function pids(): Map<string, number> {
  return new Map(supervisor.list().filter((p) => p.running).map((p) => [p.record.name, p.record.pid]));
}

describe('a killed node comes back with network:up', () => {
  beforeAll(() => {
    readConnection(); // the network must be up (fails with the command to run otherwise)
    expect(cli('up').status).toBe(0);
  }, 180_000);

  it.each(['peer0.zab', 'orderer1.ordering', 'procedure.peer0.bamf', 'ca-zab'])('%s: SIGKILL, then up restarts it and only it', async (name) => {
    const before = pids();
    const pid = before.get(name);
    if (pid === undefined) throw new Error(`${name} is not running: ${[...before.keys()].join(', ')}`);
    process.kill(pid, 'SIGKILL');
    await waitFor(`${name} to die`, () => Promise.resolve(!supervisor.isRunning(name)), 10_000, 50);

    const up = cli('up');
    expect([up.status, up.stderr]).toEqual([0, '']);
    const after = pids();
    expect(after.get(name)).not.toBe(pid);
    expect(supervisor.isRunning(name)).toBe(true);
    for (const [other, otherPid] of before) if (other !== name) expect([other, after.get(other)]).toEqual([other, otherPid]);

    const fabric = await locateFabric();
    if (fabric === undefined) throw new Error('Fabric binaries not found');
    const heights = new Set<number>();
    await waitFor('both peers at one height', async () => {
      heights.clear();
      for (const p of peers) heights.add((await peerLedgerInfo(fabric.tools.peer, t.channel.name, peerAdminEnv(t, layout, p, orgAdmin(t, p.org), fabric.sampleConfig))).height);
      return heights.size === 1;
    }, 30_000, 500);
    for (const p of peers) {
      const probe = spawnSync(fabric.tools.peer, chaincodeProbeArgs(t), { env: { ...process.env, ...peerAdminEnv(t, layout, p, orgAdmin(t, p.org), fabric.sampleConfig) }, encoding: 'utf8' });
      expect([nodeHost(t, p), probe.status]).toEqual([nodeHost(t, p), 0]);
    }
  }, 180_000);
});
