import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { binDir, cacheDir, ensureCa, ensureFabric, locateFabric } from './binaries';
import { BinariesUnavailableError, EXIT_BINARIES_UNAVAILABLE } from './errors';
import { run } from './exec';
import { publishCrl } from './crl';
import { composeYaml } from './generators/compose';
import { ORG_FACTS_FILE, orgFactsSource } from './generators/org-facts';
import { operationsProbe, peerAdminEnv } from './generators/peer';
import { orgAdmin } from './identities';
import { dataHome, Layout } from './layout';
import { peerLedgerInfo } from './ledger-info';
import { httpOk, ProcessSupervisor, rssKiB } from './processes';
import { createContext, purge, UP_STEPS, type NetworkContext } from './steps';
import { activePeers, hostOf, loadTopology, nodeHost, type Topology } from './topology';
import { VERSIONS } from './versions';

const REPO_ROOT = join(__dirname, '..', '..');
/** Where the generated compose file is committed. */
export const COMPOSE_FILE = join(REPO_ROOT, 'test-network', 'docker-compose.yaml');

const out = (line: string): void => {
  process.stdout.write(line + '\n');
};

function context(t: Topology, args: readonly string[]): NetworkContext {
  const layout = new Layout(dataHome(), t);
  return createContext({
    topology: t,
    layout,
    supervisor: new ProcessSupervisor(layout.runDir, layout.logDir),
    options: { secondPeer: args.includes('--second-peer') },
    log: out,
    repoRoot: REPO_ROOT,
  });
}

async function ensureBinaries(): Promise<number> {
  const ca = await ensureCa({ log: out });
  out(`Fabric CA ${VERSIONS.fabricCa}: ${binDir(ca)}`);
  const fabric = await ensureFabric({ log: out });
  out(`Fabric ${VERSIONS.fabric}: ${binDir(fabric)} (ccaas builder ${fabric.ccaasBuilder}, sample config ${fabric.sampleConfig})`);
  return 0;
}

async function up(t: Topology, args: readonly string[]): Promise<number> {
  const ctx = context(t, args);
  if (args.includes('--fresh')) {
    await ctx.supervisor.stopAll();
    purge(ctx.layout);
    out(`fresh start: removed ${ctx.layout.root}`);
  }
  const untilIdx = args.indexOf('--until');
  const until = untilIdx >= 0 ? args[untilIdx + 1] : undefined;
  const upStarted = Date.now();
  for (const step of UP_STEPS) {
    const started = Date.now();
    out(`== ${step.name}: ${step.describe}`);
    await step.run(ctx);
    out(`   ok (${((Date.now() - started) / 1000).toFixed(1)} s; ${((Date.now() - upStarted) / 1000).toFixed(1)} s since up started)`);
    if (step.name === until) {
      out(`stopped after step ${until} as asked; data in ${ctx.layout.root}`);
      return 0;
    }
  }
  out(`network up; data in ${ctx.layout.root}, logs in ${ctx.layout.logDir}`);
  return 0;
}

async function down(t: Topology, args: readonly string[]): Promise<number> {
  const ctx = context(t, args);
  const stopped = await ctx.supervisor.stopAll();
  out(stopped.length === 0 ? 'nothing running' : `stopped: ${stopped.join(', ')}`);
  if (args.includes('--purge')) {
    purge(ctx.layout);
    out(`purged ${ctx.layout.root}`);
  } else {
    out(`data kept in ${ctx.layout.root} (down --purge removes it)`);
  }
  return 0;
}

function healthUrl(t: Topology, layout: Layout, name: string): { url: string; ca?: string } | undefined {
  for (const o of t.orgs) if (o.ca.name === name) return { url: `http://${hostOf(t, o)}:${o.ca.operationsPort}/healthz` };
  for (const o of t.orderers) if (nodeHost(t, o) === name) return operationsProbe(t, layout, o);
  for (const p of t.peers) if (nodeHost(t, p) === name) return operationsProbe(t, layout, p);
  return undefined;
}

async function status(t: Topology, args: readonly string[]): Promise<number> {
  const ctx = context(t, args);
  const procs = ctx.supervisor.list();
  out(`data dir ${ctx.layout.root}`);
  if (procs.length === 0) out('no processes recorded (network down)');
  let totalRss = 0;
  for (const p of procs) {
    const probe = healthUrl(t, ctx.layout, p.record.name);
    const healthy = p.running && probe !== undefined ? await httpOk(probe.url, probe.ca === undefined ? undefined : { ca: probe.ca }).catch(() => false) : undefined;
    const health = healthy === undefined ? '' : healthy ? ' healthy' : ' UNHEALTHY';
    const rss = p.running ? rssKiB(p.record.pid) : undefined;
    if (rss !== undefined) totalRss += rss;
    const mem = rss === undefined ? '' : `  rss ${(rss / 1024).toFixed(0)} MiB`;
    out(`${p.running ? 'running' : 'stopped'}${health}  ${p.record.name}  pid ${p.record.pid}${mem}  log ${p.record.log}`);
  }
  if (procs.length > 0) out(`rss of all running processes: ${(totalRss / 1024).toFixed(0)} MiB`);
  const fabric = await locateFabric();
  if (fabric === undefined) {
    out(`Fabric ${VERSIONS.fabric} binaries not available here: block heights and chaincode definition not queried (run ensure-binaries).`);
    return 0;
  }
  for (const peer of activePeers(t, ctx.options)) {
    const host = nodeHost(t, peer);
    if (!ctx.supervisor.isRunning(host)) continue;
    const env = peerAdminEnv(t, ctx.layout, peer, orgAdmin(t, peer.org), fabric.sampleConfig);
    const info = await peerLedgerInfo(fabric.tools.peer, t.channel.name, env).catch((e: Error) => e);
    out(
      info instanceof Error
        ? `${host}: channel info unavailable (${info.message.split('\n').slice(-1)[0] ?? ''})`
        : `${host}: height ${info.height}, block hash ${info.currentBlockHash}, commit hash ${info.commitHash ?? 'none'}`,
    );
    const cc = await run(fabric.tools.peer, ['lifecycle', 'chaincode', 'querycommitted', '-C', t.channel.name, '-n', t.chaincode.name], { env });
    out(`${host}: ${cc.code === 0 ? cc.output.split('\n').slice(-1)[0] ?? '' : 'chaincode not committed'}`);
  }
  return 0;
}

async function publishCrlCommand(t: Topology, args: readonly string[]): Promise<number> {
  const orgKey = args[0];
  if (orgKey === undefined) {
    process.stderr.write('usage: publish-crl <org key or MSP ID>\n');
    return 2;
  }
  const layout = new Layout(dataHome(), t);
  await publishCrl({ topology: t, layout, fabric: await ensureFabric({ log: out }), ca: await ensureCa({ log: out }), log: out }, orgKey);
  return 0;
}

function compose(t: Topology, args: readonly string[]): number {
  const text = composeYaml(t);
  if (args.includes('--stdout')) process.stdout.write(text);
  else {
    writeFileSync(COMPOSE_FILE, text);
    out(`wrote ${COMPOSE_FILE}`);
  }
  return 0;
}

const USAGE = `usage: npx tsx network/src/cli.ts <command>
  ensure-binaries                 locate or build Fabric ${VERSIONS.fabric} and Fabric CA ${VERSIONS.fabricCa} (exit 3: Fabric binaries unavailable)
  up [--fresh] [--second-peer] [--until <step>]
                                  steps: ${UP_STEPS.map((s) => s.name).join(' → ')}
  down [--purge]                  stop what up started (by PID); --purge removes the network data
  status                          processes, health, block height per peer, committed chaincode
  publish-crl <org>               put the org CA's current CRL into the org's channel MSP (a config update signed by
                                  the org admin), so the peers refuse certificates revoked in the CA
  compose [--stdout]              regenerate test-network/docker-compose.yaml from the topology
  org-facts                       regenerate chaincode/src/domain/org-facts.generated.ts (members, kinds, collections,
                                  endorsers) from the topology: the one place every workspace reads them from
data dir: $ASL_HOME (default <repo>/.asl); binary cache: $ASL_FABRIC_CACHE (now ${cacheDir()})`;

/** Runs one CLI command; returns the process exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const [cmd, ...args] = argv;
  try {
    switch (cmd) {
      case 'ensure-binaries':
        return await ensureBinaries();
      case 'up':
        return await up(loadTopology(), args);
      case 'down':
        return await down(loadTopology(), args);
      case 'status':
        return await status(loadTopology(), args);
      case 'publish-crl':
        return await publishCrlCommand(loadTopology(), args);
      case 'compose':
        return compose(loadTopology(), args);
      case 'org-facts':
        writeFileSync(ORG_FACTS_FILE, orgFactsSource(loadTopology()));
        out(`wrote ${ORG_FACTS_FILE}`);
        return 0;
      case undefined:
      default:
        process.stderr.write(USAGE + '\n');
        return cmd === undefined || cmd === 'help' || cmd === '--help' ? 0 : 2;
    }
  } catch (e) {
    if (e instanceof BinariesUnavailableError) {
      process.stderr.write(`\nFabric binaries unavailable: ${e.message}\n`);
      return EXIT_BINARIES_UNAVAILABLE;
    }
    process.stderr.write(`\nerror: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => process.exit(code));
}
