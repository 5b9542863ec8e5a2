/**
 * `down` keeps the data and a later `up` resumes the same ledger (ASL_TEST_KIND=restart: stops and starts the
 * whole running network, so it runs after the net suites, never beside them).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { locateFabric } from '../src/binaries';
import { readConnection } from '../src/connection';
import { peerAdminEnv } from '../src/generators/peer';
import { orgAdmin } from '../src/identities';
import { dataHome, Layout } from '../src/layout';
import { peerLedgerInfo, type PeerLedgerInfo } from '../src/ledger-info';
import { exited, ProcessSupervisor } from '../src/processes';
import { chaincodeProbeArgs } from '../src/steps';
import { activePeers, loadTopology, nodeHost } from '../src/topology';

const repo = join(__dirname, '..', '..');
const cli = (...args: string[]) => spawnSync('npx', ['tsx', join(repo, 'network', 'src', 'cli.ts'), ...args], { cwd: repo, encoding: 'utf8' });

const t = loadTopology();
const layout = new Layout(dataHome(), t);
const supervisor = new ProcessSupervisor(layout.runDir, layout.logDir);
const peers = activePeers(t, { secondPeer: false });

async function ledgers(): Promise<Record<string, PeerLedgerInfo>> {
  const fabric = await locateFabric();
  if (fabric === undefined) throw new Error('Fabric binaries not found: run npx tsx network/src/cli.ts ensure-binaries');
  const out: Record<string, PeerLedgerInfo> = {};
  for (const p of peers) {
    out[nodeHost(t, p)] = await peerLedgerInfo(fabric.tools.peer, t.channel.name, peerAdminEnv(t, layout, p, orgAdmin(t, p.org), fabric.sampleConfig));
  }
  return out;
}

describe('network lifecycle on the running network', () => {
  it('down stops every process by PID and keeps the data; up resumes the same ledger and the chaincode answers', async () => {
    readConnection(); // the network must have been brought up (fails with the command to run otherwise)
    const before = await ledgers();
    const pids = supervisor.list().filter((p) => p.running).map((p) => p.record.pid);
    expect(pids.length).toBeGreaterThanOrEqual(10);

    const down = cli('down');
    expect(down.status).toBe(0);
    for (const pid of pids) expect(exited(pid)).toBe(true);
    expect(supervisor.list()).toEqual([]);
    for (const p of peers) expect(existsSync(layout.ledger(nodeHost(t, p)))).toBe(true);

    const up = cli('up');
    expect(up.stderr).toBe('');
    expect(up.status).toBe(0);
    // up found every list in force and submitted nothing: the same blocks, the same hashes
    expect(up.stdout).toContain('value lists: every list already in force');
    expect(await ledgers()).toEqual(before);
    const fabric = await locateFabric();
    for (const p of peers) {
      const probe = spawnSync(fabric!.tools.peer, chaincodeProbeArgs(t), { env: { ...process.env, ...peerAdminEnv(t, layout, p, orgAdmin(t, p.org), fabric!.sampleConfig) }, encoding: 'utf8' });
      expect(probe.status).toBe(0);
    }
  }, 240_000);
});
