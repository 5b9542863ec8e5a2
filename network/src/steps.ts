import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse, stringify } from 'yaml';
import { ensureCa, ensureFabric, type CaBinaries, type FabricBinaries } from './binaries';
import { caProcessName, enrollIdentity, enrollRegistrar, registerIdentity, startCa, writeOrgMsp, type CaContext } from './ca';
import { run, runOk } from './exec';
import { ccaasPackage, packageId, packageLabel, type CcaasBuilderConfig } from './generators/ccaas-package';
import { chaincodeServerEnv, chaincodeServerName } from './generators/chaincode-server';
import { collectionsConfig } from './generators/collections';
import { ccaasConfigVar } from './generators/compose';
import { CHANNEL_PROFILE, configtxYaml } from './generators/configtx';
import { deepMerge, type Mapping } from './generators/merge';
import { MSP_TLS_CA_CERT } from './generators/msp';
import { osnadminConnArgs, osnadminJoinArgs, ordererEnv } from './generators/orderer';
import { operationsProbe, peerAdminEnv, peerCoreYamlPatch, peerEnv, TLS_FILES } from './generators/peer';
import { identityPlan, orgAdmin } from './identities';
import type { Layout } from './layout';
import { connectionDescription, connectionFile, writeConnection } from './connection';
import { httpOk, httpsText, metricValue, tcpAccepts, waitFor, type ProcessSupervisor } from './processes';
import { activePeers, hostOf, nodeHost, orgOf, ordererOrg, peerOrgs, type Peer, type Topology } from './topology';
import { listValueListsArgs, parseListValueLists, seedInvokeArgs, seedSigners, valueListSeedingPlan } from './value-list-seeding';
import { readSeedValueLists } from '@asl/chaincode/seed';

/** Options of `up`. */
export interface UpOptions {
  /** Also run the `second-peer` profile peers. */
  readonly secondPeer: boolean;
}

/** Everything a step needs. Binaries are resolved lazily, so CA steps run where Fabric is missing. */
export interface NetworkContext {
  readonly topology: Topology;
  readonly layout: Layout;
  readonly supervisor: ProcessSupervisor;
  readonly options: UpOptions;
  readonly log: (line: string) => void;
  /** Repository root (chaincode workspace and node_modules for the chaincode servers). */
  readonly repoRoot: string;
  ca(): Promise<CaBinaries>;
  fabric(): Promise<FabricBinaries>;
}

/** Creates a context that resolves (and if needed builds) binaries on first use, once. */
export function createContext(base: Omit<NetworkContext, 'ca' | 'fabric'>): NetworkContext {
  let ca: Promise<CaBinaries> | undefined;
  let fabric: Promise<FabricBinaries> | undefined;
  return {
    ...base,
    ca: () => (ca ??= ensureCa({ log: base.log })),
    fabric: () => (fabric ??= ensureFabric({ log: base.log })),
  };
}

/** One idempotent step of `up`. */
export interface Step {
  readonly name: string;
  readonly describe: string;
  readonly run: (ctx: NetworkContext) => Promise<void>;
}

const READY_MS = 90_000;

async function caContext(ctx: NetworkContext): Promise<CaContext> {
  return { topology: ctx.topology, layout: ctx.layout, supervisor: ctx.supervisor, bins: await ctx.ca(), log: ctx.log };
}

/** Step 1: one fabric-ca-server per org, TLS on, healthy. */
export async function startCas(ctx: NetworkContext): Promise<void> {
  const cctx = await caContext(ctx);
  for (const org of ctx.topology.orgs) await startCa(cctx, org, READY_MS);
}

/** Step 2: registrar, nodes, admins and clients registered and enrolled; channel MSPs assembled. */
export async function enrollIdentities(ctx: NetworkContext): Promise<void> {
  const cctx = await caContext(ctx);
  for (const org of ctx.topology.orgs) await enrollRegistrar(cctx, org);
  const plan = identityPlan(ctx.topology, ctx.layout, ctx.options);
  for (const spec of plan) {
    await registerIdentity(cctx, spec);
    await enrollIdentity(cctx, spec);
  }
  for (const org of ctx.topology.orgs) writeOrgMsp(ctx.layout, org);
  writeComposeEnv(ctx);
  ctx.log(`identities: ${plan.length} enrolled (${plan.filter((s) => s.role !== undefined).length} with a role attribute)`);
}

/**
 * `compose.env` for the Docker route (`docker compose --env-file $ASL_HOME/network/compose.env`): the
 * values test-network/docker-compose.yaml leaves as variables because they are generated here.
 */
function writeComposeEnv(ctx: NetworkContext): void {
  const t = ctx.topology;
  const lines = [`ASL_PACKAGE_ID=${currentPackageId(t)}`];
  for (const p of activePeers(t, ctx.options)) {
    lines.push(`${ccaasConfigVar(nodeHost(t, p))}='${JSON.stringify(builderConfig(ctx, p))}'`);
  }
  writeFileSync(join(ctx.layout.root, 'compose.env'), lines.join('\n') + '\n', { mode: 0o600 });
}

/** Step 3: configtx.yaml and the channel's genesis block (kept once made: it defines the channel). */
export async function createGenesisBlock(ctx: NetworkContext): Promise<void> {
  const bins = await ctx.fabric();
  const { topology: t, layout } = ctx;
  mkdirSync(layout.configDir, { recursive: true });
  writeFileSync(join(layout.configDir, 'configtx.yaml'), configtxYaml(t, layout));
  if (existsSync(layout.genesisBlock)) return;
  mkdirSync(dirname(layout.genesisBlock), { recursive: true });
  await runOk(bins.tools.configtxgen, ['-configPath', layout.configDir, '-profile', CHANNEL_PROFILE, '-outputBlock', layout.genesisBlock, '-channelID', t.channel.name]);
}

function writeNodeConfig(ctx: NetworkContext, bins: FabricBinaries, host: string, file: 'core.yaml' | 'orderer.yaml', patch: Mapping): string {
  const dir = ctx.layout.nodeConfigDir(host);
  mkdirSync(dir, { recursive: true });
  const base = parse(readFileSync(join(bins.sampleConfig, file), 'utf8')) as Mapping;
  writeFileSync(join(dir, file), stringify(deepMerge(base, patch)));
  return dir;
}

/** Step 4: orderers running and healthy, each joined to the channel through its admin endpoint. */
export async function startOrderers(ctx: NetworkContext): Promise<void> {
  const bins = await ctx.fabric();
  const { topology: t, layout } = ctx;
  const ord = ordererOrg(t);
  const admin = layout.user(ord, orgAdmin(t, ord.mspId));
  for (const o of t.orderers) {
    const host = nodeHost(t, o);
    const cfg = writeNodeConfig(ctx, bins, host, 'orderer.yaml', {});
    ctx.supervisor.start({ name: host, command: bins.tools.orderer, args: [], env: ordererEnv(t, layout, o, cfg) });
  }
  for (const o of t.orderers) {
    const host = nodeHost(t, o);
    const probe = operationsProbe(t, layout, o);
    await waitFor(`${host} /healthz`, () => httpOk(probe.url, probe), READY_MS);
    // The admin listener may start after /healthz answers (a restarted orderer): wait for an HTTP status from
    // the channel participation API, then 200 = joined, 404 = not yet.
    let status = 0;
    await waitFor(`${host} channel participation API`, async () => {
      const list = await run(bins.tools.osnadmin, ['channel', 'list', '--channelID', t.channel.name, ...osnadminConnArgs(t, layout, o, admin.tls)]);
      status = Number(/Status: (\d{3})/.exec(list.output)?.[1] ?? 0);
      return status !== 0;
    }, READY_MS);
    if (status === 200) continue;
    await runOk(bins.tools.osnadmin, osnadminJoinArgs(t, layout, o, orgAdmin(t, ord.mspId)));
    ctx.log(`${host} joined ${t.channel.name}`);
  }
  const leader = await waitForRaftLeader(ctx);
  ctx.log(`Raft leader of ${t.channel.name}: ${leader}`);
}

/** What one orderer's `/metrics` says about the channel's Raft state. */
export interface RaftView {
  readonly orderer: string;
  /** `consensus_etcdraft_is_leader`; undefined when the orderer did not answer or has no such sample. */
  readonly isLeader?: number;
  /** `consensus_etcdraft_leader_changes` since the process started: at least 1 once it has learned a leader. */
  readonly leaderChanges?: number;
}

/**
 * Whether the channel can take transactions: exactly one orderer is the Raft leader and every orderer has
 * learned a leader since it started (otherwise a submit to it fails with `no Raft leader`, as
 * orderer/consensus/etcdraft/chain.go Submit does). Returns the leader's name, or undefined.
 */
export function raftLeader(views: readonly RaftView[]): string | undefined {
  const leaders = views.filter((v) => v.isLeader === 1);
  if (leaders.length !== 1) return undefined;
  if (!views.every((v) => v.isLeader !== undefined && (v.leaderChanges ?? 0) >= 1)) return undefined;
  return leaders[0]?.orderer;
}

/**
 * The Prometheus text of a peer's or orderer's `/metrics`, which demands a client certificate of the node's own
 * organisation: its first admin's TLS pair.
 */
export function nodeMetrics(t: Topology, layout: Layout, node: { name: string; org: string; operationsPort: number }): Promise<string> {
  const probe = operationsProbe(t, layout, node);
  const admin = layout.user(orgOf(t, node.org), orgAdmin(t, node.org));
  return httpsText(probe.url.replace(/\/healthz$/, '/metrics'), { ca: probe.ca, cert: join(admin.tls, TLS_FILES.cert), key: join(admin.tls, TLS_FILES.key) });
}

/** Reads the Raft metrics of every orderer. */
export async function raftViews(t: Topology, layout: Layout): Promise<RaftView[]> {
  const labels = { channel: t.channel.name };
  return Promise.all(
    t.orderers.map(async (o) => {
      const text = await nodeMetrics(t, layout, o).catch(() => '');
      return {
        orderer: nodeHost(t, o),
        isLeader: metricValue(text, 'consensus_etcdraft_is_leader', labels),
        leaderChanges: metricValue(text, 'consensus_etcdraft_leader_changes', labels),
      };
    }),
  );
}

/** Waits until the channel has a Raft leader that every orderer knows (see {@link raftLeader}). */
export async function waitForRaftLeader(ctx: Pick<NetworkContext, 'topology' | 'layout'>, timeoutMs = READY_MS): Promise<string> {
  let leader: string | undefined;
  await waitFor(
    `a Raft leader of ${ctx.topology.channel.name} known to every orderer`,
    async () => (leader = raftLeader(await raftViews(ctx.topology, ctx.layout))) !== undefined,
    timeoutMs,
  );
  return leader ?? '';
}

function builderConfig(ctx: NetworkContext, peer: Peer): CcaasBuilderConfig {
  const { topology: t, layout } = ctx;
  const org = orgOf(t, peer.org);
  const tls = layout.nodeOf(peer).tls;
  return {
    address: `${hostOf(t, org)}:${peer.chaincodeServerPort}`,
    root_cert: readFileSync(join(layout.orgMsp(org), MSP_TLS_CA_CERT), 'utf8'),
    client_cert: readFileSync(join(tls, TLS_FILES.cert), 'utf8'),
    client_key: readFileSync(join(tls, TLS_FILES.key), 'utf8'),
  };
}

async function adminEnv(ctx: NetworkContext, peer: Peer): Promise<Record<string, string>> {
  const bins = await ctx.fabric();
  return peerAdminEnv(ctx.topology, ctx.layout, peer, orgAdmin(ctx.topology, peer.org), bins.sampleConfig);
}

/** Step 5: peers running and healthy, each joined to the channel by its org admin. */
export async function startPeers(ctx: NetworkContext): Promise<void> {
  const bins = await ctx.fabric();
  const { topology: t, layout } = ctx;
  for (const p of activePeers(t, ctx.options)) {
    const host = nodeHost(t, p);
    const cfg = writeNodeConfig(ctx, bins, host, 'core.yaml', peerCoreYamlPatch(t, layout, bins.ccaasBuilder));
    ctx.supervisor.start({ name: host, command: bins.tools.peer, args: ['node', 'start'], env: peerEnv(t, layout, p, builderConfig(ctx, p), cfg) });
  }
  for (const p of activePeers(t, ctx.options)) {
    const host = nodeHost(t, p);
    const probe = operationsProbe(t, layout, p);
    await waitFor(`${host} /healthz`, () => httpOk(probe.url, probe), READY_MS);
    const env = await adminEnv(ctx, p);
    // The operations endpoint (/healthz) starts before the peer's gRPC listener: ready once the peer answers.
    let joined = false;
    await waitFor(`${host} answering on ${hostOf(t, orgOf(t, p.org))}:${p.port}`, async () => {
      const list = await run(bins.tools.peer, ['channel', 'list'], { env });
      joined = list.output.split('\n').some((l) => l.trim() === t.channel.name);
      return list.code === 0;
    }, READY_MS);
    if (joined) continue;
    await runOk(bins.tools.peer, ['channel', 'join', '-b', layout.genesisBlock], { env });
    ctx.log(`${host} joined ${t.channel.name}`);
  }
}

function ordererArgs(ctx: NetworkContext): string[] {
  const { topology: t, layout } = ctx;
  const o = t.orderers[0];
  if (o === undefined) throw new Error('no orderer');
  return ['-o', `${hostOf(t, orgOf(t, o.org))}:${o.port}`, '--tls', '--cafile', join(layout.nodeOf(o).tls, TLS_FILES.ca)];
}

function definitionArgs(ctx: NetworkContext): string[] {
  const t = ctx.topology;
  return [
    '-C', t.channel.name,
    '-n', t.chaincode.name,
    '-v', t.chaincode.version,
    '--sequence', String(t.chaincode.sequence),
    '--signature-policy', t.chaincode.endorsementPolicy,
    '--collections-config', ctx.layout.collectionsFile,
  ];
}

function clientTlsArgs(ctx: NetworkContext, peer: Peer): string[] {
  const admin = ctx.layout.user(orgOf(ctx.topology, peer.org), orgAdmin(ctx.topology, peer.org));
  return ['--clientauth', '--certfile', join(admin.tls, TLS_FILES.cert), '--keyfile', join(admin.tls, TLS_FILES.key)];
}

/** The committed package ID (the package bytes are deterministic, so this is stable). */
export function currentPackageId(t: Topology): string {
  return packageId(t, ccaasPackage(t));
}

/**
 * Step 6: the CCaaS package installed on every active peer, approved by each peer org (same
 * definition: policy and collections), committed once.
 */
export async function deployChaincode(ctx: NetworkContext): Promise<void> {
  const bins = await ctx.fabric();
  const { topology: t, layout } = ctx;
  const pkg = ccaasPackage(t);
  const id = packageId(t, pkg);
  mkdirSync(dirname(layout.chaincodePackage), { recursive: true });
  writeFileSync(layout.chaincodePackage, pkg);
  writeFileSync(layout.collectionsFile, JSON.stringify(collectionsConfig(t), null, 2) + '\n');
  for (const p of activePeers(t, ctx.options)) {
    const env = await adminEnv(ctx, p);
    const installed = await runOk(bins.tools.peer, ['lifecycle', 'chaincode', 'queryinstalled', '--output', 'json'], { env });
    if (installed.stdout.includes(id)) continue;
    await runOk(bins.tools.peer, ['lifecycle', 'chaincode', 'install', layout.chaincodePackage], { env });
    ctx.log(`${nodeHost(t, p)}: installed ${id}`);
  }
  const committed = async (env: Record<string, string>): Promise<boolean> => {
    const r = await run(bins.tools.peer, ['lifecycle', 'chaincode', 'querycommitted', '-C', t.channel.name, '-n', t.chaincode.name, '--output', 'json'], { env });
    return r.code === 0 && (JSON.parse(r.stdout) as { sequence?: number }).sequence === t.chaincode.sequence;
  };
  const anchors = peerOrgs(t).map((org) => {
    const p = activePeers(t, { secondPeer: false }).find((x) => x.org === org.mspId);
    if (p === undefined) throw new Error(`${org.mspId} has no base peer`);
    return p;
  });
  const first = anchors[0];
  if (first === undefined) throw new Error('no peer orgs');
  if (await committed(await adminEnv(ctx, first))) return;
  for (const p of anchors) {
    const env = await adminEnv(ctx, p);
    const ready = await runOk(bins.tools.peer, ['lifecycle', 'chaincode', 'checkcommitreadiness', ...definitionArgs(ctx), '--output', 'json'], { env });
    const approvals = (JSON.parse(ready.stdout) as { approvals?: Record<string, boolean> }).approvals ?? {};
    if (approvals[p.org] === true) continue;
    await runOk(bins.tools.peer, ['lifecycle', 'chaincode', 'approveformyorg', ...ordererArgs(ctx), ...clientTlsArgs(ctx, p), ...definitionArgs(ctx), '--package-id', id], { env });
    ctx.log(`${p.org} approved ${t.chaincode.name} sequence ${t.chaincode.sequence}`);
  }
  // Each peer checks the approvals in its own state when it endorses the commit: wait until every org's
  // approval transaction has been committed on every peer that will endorse it.
  const orgsApproved = async (p: Peer): Promise<boolean> => {
    const r = await run(bins.tools.peer, ['lifecycle', 'chaincode', 'checkcommitreadiness', ...definitionArgs(ctx), '--output', 'json'], { env: await adminEnv(ctx, p) });
    if (r.code !== 0) return false;
    const approvals = (JSON.parse(r.stdout) as { approvals?: Record<string, boolean> }).approvals ?? {};
    return anchors.every((a) => approvals[a.org] === true);
  };
  for (const p of anchors) await waitFor(`${nodeHost(t, p)} sees every approval`, () => orgsApproved(p), READY_MS);
  const peerArgs = anchors.flatMap((p) => [
    '--peerAddresses', `${hostOf(t, orgOf(t, p.org))}:${p.port}`,
    '--tlsRootCertFiles', join(layout.orgMsp(orgOf(t, p.org)), MSP_TLS_CA_CERT),
  ]);
  await runOk(bins.tools.peer, ['lifecycle', 'chaincode', 'commit', ...ordererArgs(ctx), ...clientTlsArgs(ctx, first), ...definitionArgs(ctx), ...peerArgs], {
    env: await adminEnv(ctx, first),
  });
  ctx.log(`committed ${t.chaincode.name} (${packageLabel(t)}) on ${t.channel.name}`);
}

/** Step 7: one `fabric-chaincode-node server` per active peer, registered under the package ID. */
export async function startChaincodeServers(ctx: NetworkContext): Promise<void> {
  await ctx.fabric();
  const { topology: t, layout, repoRoot } = ctx;
  const id = currentPackageId(t);
  const shim = join(repoRoot, 'node_modules', 'fabric-shim', 'cli.js');
  const modulePath = join(repoRoot, 'chaincode');
  if (chaincodeBuildStale(modulePath)) {
    ctx.log('building the chaincode (dist/ missing or older than src/)');
    await runOk('npm', ['run', 'build', '-w', 'chaincode'], { cwd: repoRoot });
  }
  for (const p of activePeers(t, ctx.options)) {
    const env = chaincodeServerEnv(t, layout, p, id);
    ctx.supervisor.start({ name: chaincodeServerName(t, p), command: process.execPath, args: [shim, 'server', '--module-path', modulePath], env, cwd: modulePath });
  }
  const bins = await ctx.fabric();
  for (const p of activePeers(t, ctx.options)) {
    const host = hostOf(t, orgOf(t, p.org));
    const server = chaincodeServerName(t, p);
    // Readiness 1: the server accepts connections on its port (a process that exists may not yet listen).
    await waitFor(`${server} accepting on ${host}:${p.chaincodeServerPort}`, async () => {
      if (!ctx.supervisor.isRunning(server)) throw new Error(`${server} exited; see ${join(layout.logDir, `${server}.log`)}`);
      return tcpAccepts(host, p.chaincodeServerPort);
    }, READY_MS);
    // Readiness 2: a real query through the peer, which dials the chaincode server and runs the contract.
    const env = await adminEnv(ctx, p);
    await waitFor(`${nodeHost(t, p)} answering a query of ${t.chaincode.name}`, async () => {
      const r = await run(bins.tools.peer, chaincodeProbeArgs(t), { env });
      return r.code === 0;
    }, READY_MS);
  }
}

/**
 * Step 9: every peer knows every other active peer on the channel through gossip
 * (`gossip_membership_total_peers_known`). Clients that use service discovery (fabric-gateway, the gateways)
 * can only find the other agency's endorser once this holds; until then every write fails its endorsement
 * policy. The CLI steps above name both peers explicitly and do not need it.
 */
export async function waitForGossip(ctx: NetworkContext): Promise<void> {
  const { topology: t, layout } = ctx;
  const peers = activePeers(t, ctx.options);
  for (const p of peers) {
    const known = async (): Promise<number> => {
      const text = await nodeMetrics(t, layout, p);
      return metricValue(text, 'gossip_membership_total_peers_known', { channel: t.channel.name }) ?? 0;
    };
    await waitFor(`${nodeHost(t, p)} knowing the ${peers.length - 1} other peer(s) of ${t.channel.name} through gossip`, async () => (await known()) >= peers.length - 1, READY_MS);
  }
  ctx.log(`gossip: every peer knows the ${peers.length} peers of ${t.channel.name}`);
}

/**
 * Whether the chaincode's `dist/` must be (re)built: missing, or older than any file under `src/` or the
 * build config. A chaincode server already running keeps the code it started with until it is restarted.
 */
export function chaincodeBuildStale(modulePath: string): boolean {
  const built = join(modulePath, 'dist', 'index.js');
  if (!existsSync(built)) return true;
  const builtAt = statSync(built).mtimeMs;
  const newest = (dir: string): number =>
    readdirSync(dir, { withFileTypes: true }).reduce((m, e) => Math.max(m, e.isDirectory() ? newest(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs), 0);
  const config = ['package.json', 'tsconfig.build.json'].map((f) => join(modulePath, f)).filter((f) => existsSync(f));
  return Math.max(newest(join(modulePath, 'src')), ...config.map((f) => statSync(f).mtimeMs)) > builtAt;
}

/** A read-only query every contract answers (fabric-contract-api's metadata), used as the readiness probe. */
export function chaincodeProbeArgs(t: Topology): string[] {
  return ['chaincode', 'query', '-C', t.channel.name, '-n', t.chaincode.name, '-c', JSON.stringify({ Args: ['org.hyperledger.fabric:GetMetadata'] })];
}

/** Step 10: the connection description every client reads (`connection.json`, see src/connection.ts). */
export function writeConnectionDescription(ctx: NetworkContext): Promise<void> {
  const file = connectionFile(ctx.layout.home);
  writeConnection(file, connectionDescription(ctx.topology, ctx.layout, ctx.options));
  ctx.log(`connection description: ${file}`);
  return Promise.resolve();
}

/**
 * Step 8: version 1 of every value list from `chaincode/seed/value-lists` in force (domain.md §9): BAMF's
 * `admin` client proposes, ZAB's approves with the hash computed from the seed file, through the contract's
 * `ProposeValueList`/`ApproveValueList`. Reads `ListValueLists` first and submits only what is missing, so it
 * is idempotent and resumes a run that stopped half-way. Until it ran, every event code is refused.
 */
export async function seedValueLists(ctx: NetworkContext): Promise<void> {
  const bins = await ctx.fabric();
  const t = ctx.topology;
  const envOf = (signer: { mspId: string; enrollmentId: string }): Record<string, string> => {
    const p = activePeers(t, { secondPeer: false }).find((x) => x.org === signer.mspId);
    if (p === undefined) throw new Error(`${signer.mspId} has no base peer`);
    return peerAdminEnv(t, ctx.layout, p, signer.enrollmentId, bins.sampleConfig);
  };
  const { proposer } = seedSigners(t);
  const listed = await runOk(bins.tools.peer, listValueListsArgs(t), { env: envOf(proposer) });
  const plan = valueListSeedingPlan(t, readSeedValueLists(), parseListValueLists(listed.stdout));
  for (const s of plan) {
    await runOk(bins.tools.peer, seedInvokeArgs(t, ctx.layout, s), { env: envOf(s.signer) });
    ctx.log(`value lists: ${s.transaction} by ${s.signer.mspId}`);
  }
  if (plan.length === 0) ctx.log('value lists: every list already in force');
}

/** The ordered steps of `up` (issue 3). Each is idempotent. */
export const UP_STEPS: readonly Step[] = [
  { name: 'cas', describe: 'start one Fabric CA per org', run: startCas },
  { name: 'identities', describe: 'register and enrol nodes, admins and clients', run: enrollIdentities },
  { name: 'genesis', describe: 'configtx.yaml and the channel genesis block', run: createGenesisBlock },
  { name: 'orderers', describe: 'start orderers, join them via the channel participation API', run: startOrderers },
  { name: 'peers', describe: 'start peers, join them to the channel', run: startPeers },
  { name: 'chaincode', describe: 'package (CCaaS), install, approve, commit', run: deployChaincode },
  { name: 'chaincode-servers', describe: 'one chaincode server per peer', run: startChaincodeServers },
  { name: 'value-lists', describe: 'seed version 1 of every value list (BAMF admin proposes, ZAB admin approves)', run: seedValueLists },
  { name: 'gossip', describe: 'wait until every peer knows the other peers through gossip (service discovery)', run: waitForGossip },
  { name: 'connection', describe: 'write the connection description (connection.json) for clients and tests', run: writeConnectionDescription },
];

/** Removes all network state below the data directory (used by `down --purge` and `up --fresh`). */
export function purge(layout: Layout): void {
  rmSync(layout.root, { recursive: true, force: true });
}

/** Names of processes in the supervisor for the CAs (for status output ordering). */
export function caNames(t: Topology): string[] {
  return t.orgs.map(caProcessName);
}
