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
 *
 * For crash and restart tests, `kill('zab', 'SIGKILL')` ends one gateway's process as a crash would (its folder, port
 * and configuration stay) and `restart('zab')` starts it again from the same configuration file and folder, resolving
 * once its `/readyz` answers 200; `gateways.zab.pid` is the current process and `gateways.zab.log()` has the output of
 * every process it ran in.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readConnection } from '@asl/network/connection';
import { BootstrapTokenFileSchema } from '../../src/identity/bootstrap-admin';
import { ensurePseudonymKeyFile, prepareGateway, serverProcess, waitUntilReady } from '../../src/launch/gateway-home';
import { freePort } from '@asl/network/processes';

/** One running gateway. */
export interface LiveGateway {
  /** `bamf` or `zab`. */
  readonly orgKey: string;
  readonly mspId: string;
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /**
   * Its data folder (`read-model/`, `access-log/`, `tokens/`, `users/`), for tests that open a store while the
   * gateway is killed (a store is locked while its gateway runs).
   */
  readonly dataDir: string;
  /** The bootstrap admin (role `admin`, registered in the agency's CA) and its bearer token. */
  readonly adminId: string;
  readonly adminToken: string;
  /** Everything its processes have written so far (pino JSON lines), across restarts. */
  log(): string;
  /** The PID of the current server process (undefined while it is killed). */
  readonly pid: number | undefined;
}

/** `bamf` or `zab`. */
export type LiveAgency = 'bamf' | 'zab';

/** Both gateways; `stop()` ends them (idempotent). */
export interface LiveGateways {
  readonly bamf: LiveGateway;
  readonly zab: LiveGateway;
  stop(): Promise<void>;
  /** Ends one gateway's process with `signal` (default SIGKILL: a crash, no graceful shutdown) and waits for its exit. */
  kill(agency: LiveAgency, signal?: NodeJS.Signals): Promise<void>;
  /** Starts a killed gateway again with the same configuration, port and folder; resolves once `/readyz` answers 200. */
  restart(agency: LiveAgency, options?: LiveGatewayOptions): Promise<void>;
}

/** Options of {@link startLiveGateways}. */
export interface LiveGatewayOptions {
  /** How long to wait for both `/readyz` (default 120 s: a new read model replays the whole channel). */
  readonly readyTimeoutMs?: number;
}

const AGENCIES = ['bamf', 'zab'] as const;

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

interface Slot {
  readonly prepared: ReturnType<typeof prepareGateway>;
  readonly chunks: string[];
  child: ChildProcess | undefined;
}

function spawnInto(slot: Slot): ChildProcess {
  const spec = serverProcess(slot.prepared.files.config);
  const child = spawn(spec.command, spec.args, { cwd: spec.cwd, env: { ...process.env, ...spec.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  child.once('exit', () => running.delete(child));
  child.stdout?.on('data', (d: Buffer) => slot.chunks.push(d.toString()));
  child.stderr?.on('data', (d: Buffer) => slot.chunks.push(d.toString()));
  slot.child = child;
  return child;
}

const isAlive = (child: ChildProcess | undefined) => (): boolean => child !== undefined && child.exitCode === null && child.signalCode === null;
const tail = (slot: Slot): string => slot.chunks.join('').split('\n').slice(-15).join('\n');

/** Starts both agencies' gateways against the live network and waits until both are ready. */
export async function startLiveGateways(options: LiveGatewayOptions = {}): Promise<LiveGateways> {
  const connection = readConnection();
  const dir = mkdtempSync(join(tmpdir(), 'asl-live-gw-'));
  const pseudonymKeyFile = join(dir, 'pseudonym-keys.json');
  ensurePseudonymKeyFile(pseudonymKeyFile);
  killOnExit();
  const slots = new Map<LiveAgency, Slot>();
  const stop = async (): Promise<void> => {
    await Promise.all([...slots.values()].map((slot) => (slot.child ? stopChild(slot.child) : Promise.resolve())));
    rmSync(dir, { recursive: true, force: true });
  };
  const slotOf = (agency: LiveAgency): Slot => {
    const slot = slots.get(agency);
    if (slot === undefined) throw new Error(`no ${agency} gateway`);
    return slot;
  };
  try {
    for (const orgKey of AGENCIES) {
      const prepared = prepareGateway(connection, orgKey, { home: join(dir, orgKey), port: await freePort(), pseudonymKeyFile });
      const slot: Slot = { prepared, chunks: [], child: undefined };
      slots.set(orgKey, slot);
      spawnInto(slot);
    }
    const started = [...slots.values()];
    const waits = await Promise.allSettled(started.map((g) => waitUntilReady(g.prepared.url, isAlive(g.child), options.readyTimeoutMs ?? 120_000)));
    const failed = waits.flatMap((w, i) => (w.status === 'rejected' ? [`${String(w.reason)}\n${started[i] ? tail(started[i]) : ''}`] : []));
    if (failed.length > 0) throw new Error(`live gateways did not start (is the network up? npm run network:status):\n${failed.join('\n')}`);
    const gateway = (agency: LiveAgency): LiveGateway => {
      const slot = slotOf(agency);
      const { prepared } = slot;
      const admin = BootstrapTokenFileSchema.parse(JSON.parse(readFileSync(prepared.files.adminToken, 'utf8')));
      return {
        orgKey: prepared.orgKey,
        mspId: prepared.mspId,
        url: prepared.url,
        dataDir: prepared.config.dataDir,
        adminId: admin.userId,
        adminToken: admin.token,
        log: () => slot.chunks.join(''),
        get pid() {
          return isAlive(slot.child)() ? slot.child?.pid : undefined;
        },
      };
    };
    const kill = async (agency: LiveAgency, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> => {
      const child = slotOf(agency).child;
      if (!isAlive(child)() || child === undefined) throw new Error(`the ${agency} gateway is not running`);
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill(signal);
      await exited;
    };
    const restart = async (agency: LiveAgency, o: LiveGatewayOptions = {}): Promise<void> => {
      const slot = slotOf(agency);
      if (isAlive(slot.child)()) throw new Error(`the ${agency} gateway is still running; kill it first`);
      const child = spawnInto(slot);
      try {
        await waitUntilReady(slot.prepared.url, isAlive(child), o.readyTimeoutMs ?? options.readyTimeoutMs ?? 120_000);
      } catch (error) {
        throw new Error(`the ${agency} gateway did not come back: ${String(error)}\n${tail(slot)}`);
      }
    };
    return { bamf: gateway('bamf'), zab: gateway('zab'), stop, kill, restart };
  } catch (error) {
    await stop();
    throw error;
  }
}
