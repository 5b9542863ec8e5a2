/**
 * Both agencies' gateways as real server processes against the live network, for net suites (REST, browser UI,
 * audit, …):
 *
 * ```ts
 * let gateways: LiveGateways;
 * beforeAll(async () => (gateways = await startLiveGateways()), 180_000);
 * afterAll(() => gateways?.stop());
 * // gateways.bamf.url, gateways.zab.adminToken, …
 * ```
 *
 * Each gateway is `src/server.ts` run by `node --import tsx` (as `asl-gateways` runs it), configured from the
 * connection description `npm run network:up` wrote (read afresh on every call: the network may have been recreated
 * since the last run), with `ledger.kind: fabric`, its own temporary data folder, a free loopback port and a
 * bootstrap admin registered in the agency's real Fabric CA under a fresh id. Both read one temporary pseudonym key,
 * so the same AZR number gives the same case id at both. `startLiveGateways` resolves once both answer `/readyz` with
 * 200 (peer reachable, read model caught up with the ledger). `stop()` ends both processes and removes the folder;
 * a process still running when jest exits is killed then, so none outlives the run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readConnection } from '@asl/network/connection';
import { BootstrapTokenFileSchema } from '../../src/identity/bootstrap-admin';
import { ensurePseudonymKeyFile, prepareGateway, serverProcess, waitUntilReady } from '../../src/launch/gateway-home';

/** One running gateway. */
export interface LiveGateway {
  /** `bamf` or `zab`. */
  readonly orgKey: string;
  readonly mspId: string;
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** The bootstrap admin (role `admin`, registered in the agency's CA) and its bearer token. */
  readonly adminId: string;
  readonly adminToken: string;
  /** Everything the process has written so far (pino JSON lines). */
  log(): string;
}

/** Both gateways; `stop()` ends them (idempotent). */
export interface LiveGateways {
  readonly bamf: LiveGateway;
  readonly zab: LiveGateway;
  stop(): Promise<void>;
}

/** Options of {@link startLiveGateways}. */
export interface LiveGatewayOptions {
  /** How long to wait for both `/readyz` (default 120 s: a new read model replays the whole channel). */
  readonly readyTimeoutMs?: number;
}

const AGENCIES = ['bamf', 'zab'] as const;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const a = srv.address();
      srv.close(() => (typeof a === 'object' && a ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;
function killOnExit(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => running.forEach((child) => child.kill('SIGKILL')));
}

async function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** Starts both agencies' gateways against the live network and waits until both are ready. */
export async function startLiveGateways(options: LiveGatewayOptions = {}): Promise<LiveGateways> {
  const connection = readConnection();
  const dir = mkdtempSync(join(tmpdir(), 'asl-live-gw-'));
  const pseudonymKeyFile = join(dir, 'pseudonym-keys.json');
  ensurePseudonymKeyFile(pseudonymKeyFile);
  killOnExit();
  const children: ChildProcess[] = [];
  const stop = async (): Promise<void> => {
    await Promise.all(children.map((child) => stopChild(child)));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const started: { prepared: ReturnType<typeof prepareGateway>; child: ChildProcess; log: () => string }[] = [];
    for (const orgKey of AGENCIES) {
      const prepared = prepareGateway(connection, orgKey, { home: join(dir, orgKey), port: await freePort(), pseudonymKeyFile });
      const spec = serverProcess(prepared.files.config);
      const child = spawn(spec.command, spec.args, { cwd: spec.cwd, env: { ...process.env, ...spec.env }, stdio: ['ignore', 'pipe', 'pipe'] });
      children.push(child);
      running.add(child);
      child.once('exit', () => running.delete(child));
      const chunks: string[] = [];
      child.stdout?.on('data', (d: Buffer) => chunks.push(d.toString()));
      child.stderr?.on('data', (d: Buffer) => chunks.push(d.toString()));
      started.push({ prepared, child, log: () => chunks.join('') });
    }
    const alive = (child: ChildProcess) => () => child.exitCode === null && child.signalCode === null;
    const waits = await Promise.allSettled(started.map((g) => waitUntilReady(g.prepared.url, alive(g.child), options.readyTimeoutMs ?? 120_000)));
    const failed = waits.flatMap((w, i) => (w.status === 'rejected' ? [`${String(w.reason)}\n${started[i]?.log().split('\n').slice(-15).join('\n') ?? ''}`] : []));
    if (failed.length > 0) throw new Error(`live gateways did not start (is the network up? npm run network:status):\n${failed.join('\n')}`);
    const gateways = started.map(({ prepared, log }): LiveGateway => {
      const admin = BootstrapTokenFileSchema.parse(JSON.parse(readFileSync(prepared.files.adminToken, 'utf8')));
      return { orgKey: prepared.orgKey, mspId: prepared.mspId, url: prepared.url, adminId: admin.userId, adminToken: admin.token, log };
    });
    const [bamf, zab] = gateways;
    if (bamf === undefined || zab === undefined) throw new Error('expected a BAMF and a ZAB gateway');
    return { bamf, zab, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
