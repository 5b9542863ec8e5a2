/**
 * The adapters' side of `npm run demo`: writes one configuration per agency (mode 0600: it holds the
 * adapter token) under `<home>/adapters/<maris|zab>/`, starts the MARiS adapter (inbound 3201) and the
 * ZAB adapter (3202) against the given gateways, then the MARiS simulator (3101) and the ZAB simulator
 * (3102) feeding them, each as its own child process, and waits until all four answer `/healthz`.
 * `stop()` ends exactly the processes it started (SIGTERM, then SIGKILL after a grace period).
 *
 * From the root demo script, once the gateways are up:
 *   npx tsx adapters/src/bin/adapters-demo.ts --credentials "$ASL_HOME/demo-credentials.json" --home "$ASL_HOME"
 * or `import { startAdapterSide } from './adapters/src/demo'` under tsx.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AGENCY_PROFILES, PROFILE_NAMES, type ProfileName } from './agencies/profiles';

/** One agency's gateway. */
export interface GatewayAccess {
  readonly gatewayUrl: string;
  /** The adapter's token (role `adapter`). */
  readonly token: string;
}

/** Options of {@link startAdapterSide}. */
export interface AdapterSideOptions {
  readonly bamf: GatewayAccess;
  readonly zab: GatewayAccess;
  /** The data directory (`$ASL_HOME`); adapters keep their stores in `<home>/adapters/<profile>/`. */
  readonly home: string;
  readonly seed?: number;
  readonly cases?: number;
  readonly caseIntervalMs?: number;
  readonly stepDelayMs?: number;
  /** The simulators' "today" (default: the real date). */
  readonly today?: string;
  /** Ports (defaults: architecture.md). */
  readonly ports?: Partial<Record<ProfileName, { readonly inbound?: number; readonly simulator?: number }>>;
  /** Outbound comparison interval of warnings and next actions. */
  readonly actionsIntervalMs?: number;
  readonly logLevel?: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'silent';
  /** Where children's stdout/stderr go (default: inherited). */
  readonly stdio?: 'inherit' | 'ignore' | 'pipe';
  /** Extra environment for the adapter processes (fault injection in tests). */
  readonly adapterEnv?: Partial<Record<ProfileName, Record<string, string>>>;
}

/** One started process. */
export interface SideProcess {
  readonly name: string;
  readonly url: string;
  child: ChildProcess;
}

/** What {@link startAdapterSide} started. */
export interface AdapterSide {
  readonly adapters: Record<ProfileName, SideProcess & { readonly configPath: string; readonly operatorToken: string }>;
  readonly simulators: Record<ProfileName, SideProcess>;
  /** Starts an adapter again (after it died or was killed) on the same configuration and data. */
  restartAdapter(profile: ProfileName, env?: Record<string, string>): Promise<void>;
  stop(): Promise<void>;
}


async function waitHealthy(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${url}: process exited before it was healthy`);
    try {
      if ((await fetch(new URL('/healthz', url))).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url}: not healthy within ${timeoutMs} ms`);
}

function stopChild(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Options that shape one agency's adapter configuration and simulator command line (no processes). */
export type AdapterSidePlan = Pick<AdapterSideOptions, 'bamf' | 'zab' | 'seed' | 'cases' | 'caseIntervalMs' | 'stepDelayMs' | 'today' | 'ports' | 'actionsIntervalMs' | 'logLevel'>;

/** Ports of one agency's adapter (inbound) and simulator: the options' or the profile's defaults. */
export function sidePorts(name: ProfileName, options: AdapterSidePlan): { inbound: number; simulator: number } {
  const profile = AGENCY_PROFILES[name];
  return { inbound: options.ports?.[name]?.inbound ?? profile.defaultInboundPort, simulator: options.ports?.[name]?.simulator ?? profile.defaultSimulatorPort };
}

/** The adapter configuration (`adapter.json`, mode 0600: it holds tokens) of one agency, its stores below `dir`. */
export function adapterConfig(name: ProfileName, options: AdapterSidePlan, where: { readonly dir: string; readonly operatorToken: string }): Record<string, unknown> {
  const access = options[AGENCY_PROFILES[name].credentialsKey];
  const ports = sidePorts(name, options);
  return {
    profile: name,
    gateway: { url: access.gatewayUrl, token: access.token },
    inbound: { port: ports.inbound, dropDir: join(where.dir, 'drop') },
    dataDir: join(where.dir, 'data'),
    operatorToken: where.operatorToken,
    outbound: { caseSystemUrl: `http://127.0.0.1:${ports.simulator}/inbox`, actionsIntervalMs: options.actionsIntervalMs ?? 10_000, baseDelayMs: 200, maxDelayMs: 5_000 },
    delivery: { concurrency: 8, baseDelayMs: 200, maxDelayMs: 5_000, holdDelayMs: 500 },
    logLevel: options.logLevel ?? 'info',
  };
}

/** The `asl-simulator` arguments of one agency, feeding the adapter at `adapterUrl`. */
export function simulatorArgs(name: ProfileName, adapterUrl: string, options: AdapterSidePlan): string[] {
  return [
    '--profile', name,
    '--port', String(sidePorts(name, options).simulator),
    '--adapter-url', adapterUrl,
    '--seed', String(options.seed ?? 7),
    '--cases', String(options.cases ?? 24),
    '--case-interval-ms', String(options.caseIntervalMs ?? 1_500),
    '--step-delay-ms', String(options.stepDelayMs ?? 300),
    '--today', options.today ?? new Date().toISOString().slice(0, 10),
    '--log-level', options.logLevel ?? 'info',
  ];
}

/** Where the adapter and simulator executables are (`adapters/bin`). */
export const ADAPTER_BIN_DIR = join(__dirname, '..', 'bin');

/** Starts both adapters and both simulators. */
export async function startAdapterSide(options: AdapterSideOptions): Promise<AdapterSide> {
  const stdio = options.stdio ?? 'inherit';
  const started: ChildProcess[] = [];
  const spawnBin = (bin: string, args: string[], env: Record<string, string> = {}): ChildProcess => {
    const child = spawn(process.execPath, [join(ADAPTER_BIN_DIR, bin), ...args], { stdio: ['ignore', stdio, stdio], env: { ...process.env, ...env } });
    started.push(child);
    return child;
  };
  const adapterList: (SideProcess & { profile: ProfileName; configPath: string; operatorToken: string })[] = [];
  const simulatorList: (SideProcess & { profile: ProfileName })[] = [];
  const one = <T extends { profile: ProfileName }>(list: readonly T[], name: ProfileName): T => {
    const found = list.find((x) => x.profile === name);
    if (found === undefined) throw new Error(`${name}: not started`);
    return found;
  };
  try {
    for (const name of PROFILE_NAMES) {
      const dir = join(options.home, 'adapters', name);
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      const operatorToken = `op_${randomBytes(24).toString('base64url')}`;
      const configPath = join(dir, 'adapter.json');
      const config = adapterConfig(name, options, { dir, operatorToken });
      writeFileSync(configPath, JSON.stringify(config, null, 2), { mode: 0o600 });
      const url = `http://127.0.0.1:${sidePorts(name, options).inbound}`;
      adapterList.push({ profile: name, name: `asl-${name}-adapter`, url, child: spawnBin(`asl-${name}-adapter`, ['--config', configPath], options.adapterEnv?.[name]), configPath, operatorToken });
    }
    await Promise.all(adapterList.map((a) => waitHealthy(a.url, a.child, 60_000)));
    const today = options.today ?? new Date().toISOString().slice(0, 10);
    for (const name of PROFILE_NAMES) {
      const child = spawnBin('asl-simulator', simulatorArgs(name, one(adapterList, name).url, { ...options, today }));
      simulatorList.push({ profile: name, name: `asl-simulator-${name}`, url: `http://127.0.0.1:${sidePorts(name, options).simulator}`, child });
    }
    await Promise.all(simulatorList.map((x) => waitHealthy(x.url, x.child, 60_000)));
  } catch (error) {
    await Promise.all(started.map((c) => stopChild(c, 2_000)));
    throw error;
  }
  const adapters = { maris: one(adapterList, 'maris'), zab: one(adapterList, 'zab') };
  const simulators = { maris: one(simulatorList, 'maris'), zab: one(simulatorList, 'zab') };
  return {
    adapters,
    simulators,
    async restartAdapter(profile, env) {
      const a = adapters[profile];
      await stopChild(a.child, 2_000);
      a.child = spawnBin(`asl-${profile}-adapter`, ['--config', a.configPath], env);
      await waitHealthy(a.url, a.child, 60_000);
    },
    async stop() {
      await Promise.all(PROFILE_NAMES.map((n) => stopChild(simulators[n].child, 5_000)));
      await Promise.all(PROFILE_NAMES.map((n) => stopChild(adapters[n].child, 10_000)));
      await Promise.all(started.map((c) => stopChild(c, 2_000)));
    },
  };
}
