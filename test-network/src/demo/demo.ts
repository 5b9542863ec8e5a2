/**
 * `npm run demo`: the whole two-agency system on the live network, from one command.
 *
 * Steps (each prints its number and duration; a failure names the step, its log and the command to retry):
 * Fabric binaries → network → gateways → demo identities → adapters → simulators → first seeded cases on the ledger.
 * The network and the gateways are started through their own CLIs (`network/src/cli.ts up`, `asl-gateways up`),
 * which are idempotent; the adapters and simulators through a PID supervisor below `$ASL_HOME/demo/`. The demo
 * remembers in `$ASL_HOME/demo/state.json` which of these it started itself, and stops exactly those — on Ctrl-C
 * (SIGINT) or SIGTERM of the foreground process, or with `npm run demo -- down` from another terminal.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { dataHome, Layout } from '@asl/network/layout';
import { httpOk, ProcessSupervisor, rssKiB, waitFor } from '@asl/network/processes';
import { loadTopology } from '../../../network/src/topology';
import { gatewaysLayout } from '../../../gateway/src/launch/gateway-home';
import { gatewayFiles } from '../../../gateway/src/launch/config-from-connection';
import { BootstrapTokenFileSchema } from '../../../gateway/src/identity/bootstrap-admin';
import { ADAPTER_BIN_DIR, adapterConfig, sidePorts, simulatorArgs, type AdapterSidePlan } from '../../../adapters/src/demo';
import { PROFILE_NAMES, type ProfileName } from '../../../adapters/src/agencies/profiles';
import { DEMO_AGENCIES, ensureDemoCredentials, readDemoCredentials, restGatewayAdmin, writeDemoCredentials, type DemoAgency, type DemoCredentials } from './credentials';

/** The repository root (where `npx tsx` finds the workspaces). */
export const REPO_ROOT = join(__dirname, '..', '..', '..');

/** Gateways' ports (architecture.md, "Default ports"). */
export const GATEWAY_URLS: Readonly<Record<DemoAgency, string>> = { bamf: 'http://127.0.0.1:3001', zab: 'http://127.0.0.1:3002' };

/** Options of a demo run. */
export interface DemoOptions {
  /** `$ASL_HOME`. */
  readonly home: string;
  /** Cases each simulator seeds per run (default 24). */
  readonly cases?: number;
  /** Where progress goes (default stderr). */
  readonly out?: (line: string) => void;
}

/** Files of the demo below `$ASL_HOME`. */
export interface DemoLayout {
  readonly root: string;
  readonly runDir: string;
  readonly logDir: string;
  readonly stateFile: string;
  readonly credentialsFile: string;
}

/** The demo's files below `home`. */
export function demoLayout(home: string = dataHome()): DemoLayout {
  const root = join(home, 'demo');
  return { root, runDir: join(root, 'run'), logDir: join(root, 'logs'), stateFile: join(root, 'state.json'), credentialsFile: join(home, 'demo-credentials.json') };
}

const StateSchema = z.strictObject({
  /** The foreground `npm run demo` process while it runs. */
  pid: z.number().int().positive().optional(),
  /** Whether this demo started the network / the gateways (then it stops them again). */
  startedNetwork: z.boolean(),
  startedGateways: z.boolean(),
  /** Completed seeding runs: each run seeds new cases (its own simulator seed), on top of the earlier ones. */
  runs: z.number().int().nonnegative(),
});
type State = z.infer<typeof StateSchema>;

function readState(layout: DemoLayout): State {
  try {
    return StateSchema.parse(JSON.parse(readFileSync(layout.stateFile, 'utf8')));
  } catch {
    return { startedNetwork: false, startedGateways: false, runs: 0 };
  }
}
function writeState(layout: DemoLayout, state: State): void {
  mkdirSync(layout.root, { recursive: true, mode: 0o700 });
  writeFileSync(layout.stateFile, JSON.stringify(state, null, 2) + '\n');
}

function pidAlive(pid: number | undefined): boolean {
  if (pid === undefined || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A step that failed: what to tell the user. */
export class DemoStepError extends Error {
  constructor(
    readonly step: string,
    readonly reason: string,
    readonly log: string,
    readonly retry: string,
  ) {
    super(`step "${step}" failed: ${reason}\n  log:   ${log}\n  retry: ${retry}`);
  }
}

/** Runs a CLI of the project, its output both shown (indented) and appended to `log`; rejects on a non-zero exit. */
function runCli(args: readonly string[], log: string, out: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const file = createWriteStream(log, { flags: 'a' });
    const child = spawn(args[0] ?? 'npx', args.slice(1), { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
    let partial = '';
    // a long quiet stretch (a cold Fabric build takes minutes) still shows that the step is alive
    const started = Date.now();
    let lastOutput = Date.now();
    const heartbeat = setInterval(() => {
      if (Date.now() - lastOutput >= 20_000) {
        out(`      … still running (${Math.round((Date.now() - started) / 1000)} s; log ${log})`);
        lastOutput = Date.now();
      }
    }, 5_000);
    const onData = (chunk: Buffer): void => {
      lastOutput = Date.now();
      file.write(chunk);
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) if (line.trim() !== '') out(`      ${line}`);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', (error) => {
      clearInterval(heartbeat);
      reject(error);
    });
    child.on('close', (code) => {
      clearInterval(heartbeat);
      if (partial.trim() !== '') out(`      ${partial}`);
      file.end();
      if (code === 0) resolve();
      else reject(new Error(`${args.join(' ')} exited with ${String(code)}`));
    });
  });
}

const NETWORK_CLI = ['npx', 'tsx', join('network', 'src', 'cli.ts')];
const GATEWAYS_CLI = [process.execPath, join('gateway', 'bin', 'asl-gateways')];

/** The network's PID supervisor (whether its processes already run). */
function networkSupervisor(home: string): ProcessSupervisor {
  const layout = new Layout(home, loadTopology());
  return new ProcessSupervisor(layout.runDir, layout.logDir);
}
function allRunning(supervisor: ProcessSupervisor): boolean {
  const list = supervisor.list();
  return list.length > 0 && list.every((p) => p.running);
}

/** One URL of the running demo, for the table. */
export interface DemoService {
  readonly url: string;
  readonly what: string;
  readonly signIn: string;
}

/** The table `npm run demo` prints once everything is ready. */
export function servicesTable(services: readonly DemoService[]): string {
  const head = { url: 'URL', what: 'what', signIn: 'sign in' };
  const rows = [head, ...services];
  const w = (k: keyof DemoService): number => Math.max(...rows.map((r) => r[k].length));
  const line = (r: DemoService): string => `  ${r.url.padEnd(w('url'))}  ${r.what.padEnd(w('what'))}  ${r.signIn}`.trimEnd();
  return [line(head), ...services.map(line)].join('\n');
}

/** The services of the demo with how to sign in (tokens stay in the 0600 file; the table shows how to get them). */
export function demoServices(plan: AdapterSidePlan): DemoService[] {
  const token = (agency: DemoAgency, role: string): string => `token: npm run -s demo -- token ${agency} ${role}`;
  const port = (name: ProfileName, which: 'inbound' | 'simulator'): number => sidePorts(name, plan)[which];
  return [
    { url: `${GATEWAY_URLS.bamf}/`, what: 'BAMF gateway: caseworker/auditor UI, REST API', signIn: token('bamf', 'caseworker') + ' (or auditor, admin)' },
    { url: `${GATEWAY_URLS.zab}/`, what: 'ZAB gateway: caseworker/auditor UI, REST API', signIn: token('zab', 'caseworker') + ' (or auditor, admin)' },
    { url: `http://127.0.0.1:${port('maris', 'inbound')}/messages`, what: 'MARiS adapter (BAMF): XML messages in', signIn: 'none (the case system\'s side)' },
    { url: `http://127.0.0.1:${port('zab', 'inbound')}/messages`, what: 'ZAB adapter: XML messages in', signIn: 'none (the case system\'s side)' },
    { url: `http://127.0.0.1:${port('maris', 'simulator')}/received`, what: 'MARiS simulator: what BAMF\'s case system received', signIn: 'none (also /sent, /status)' },
    { url: `http://127.0.0.1:${port('zab', 'simulator')}/received`, what: 'ZAB simulator: what ZAB\'s case system received', signIn: 'none (also /sent, /status)' },
  ];
}

/** Counts of a gateway's read model (`GET /api/v1/stats`). */
async function caseCount(gatewayUrl: string, token: string): Promise<number> {
  const res = await fetch(new URL('/api/v1/stats', gatewayUrl), { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(5_000) });
  if (!res.ok) throw new Error(`GET /api/v1/stats: HTTP ${res.status}`);
  return z.looseObject({ cases: z.number() }).parse(await res.json()).cases;
}

const SimulatorStatusSchema = z.looseObject({ sent: z.number(), rejected: z.number(), received: z.number(), done: z.boolean(), cases: z.number() });

/** The parts of the running system, each with the supervisor that started its processes. */
export type SystemPart = 'network' | 'gateways' | 'adapters and simulators';

/** Every process of the system with its resident memory (KiB; undefined when it does not run). */
export function systemProcesses(home: string): { part: SystemPart; name: string; pid: number; rssKiB: number | undefined }[] {
  const gw = gatewaysLayout(join(home, 'gateways'));
  const demo = demoLayout(home);
  const parts: [SystemPart, ProcessSupervisor][] = [
    ['network', networkSupervisor(home)],
    ['gateways', new ProcessSupervisor(gw.runDir, gw.logDir)],
    ['adapters and simulators', new ProcessSupervisor(demo.runDir, demo.logDir)],
  ];
  return parts.flatMap(([part, supervisor]) =>
    supervisor.list().map((p) => ({ part, name: p.record.name, pid: p.record.pid, rssKiB: p.running ? rssKiB(p.record.pid) : undefined })),
  );
}

/** Resident memory of every process of the system, in MiB, by part. */
export function systemRss(home: string): Record<SystemPart, number> {
  const total: Record<SystemPart, number> = { network: 0, gateways: 0, 'adapters and simulators': 0 };
  for (const p of systemProcesses(home)) total[p.part] += (p.rssKiB ?? 0) / 1024;
  return { network: Math.round(total.network), gateways: Math.round(total.gateways), 'adapters and simulators': Math.round(total['adapters and simulators']) };
}

/** A running demo: what `up` started; `stop()` ends exactly that. */
export interface RunningDemo {
  readonly credentials: DemoCredentials;
  readonly services: readonly DemoService[];
  stop(): Promise<void>;
}

/** Starts everything (see the module comment) and resolves once the first seeded cases are on the ledger. */
export async function demoUp(options: DemoOptions): Promise<RunningDemo> {
  const out = options.out ?? ((line: string) => void process.stderr.write(line + '\n'));
  const home = options.home;
  const layout = demoLayout(home);
  mkdirSync(layout.logDir, { recursive: true, mode: 0o700 });
  mkdirSync(layout.runDir, { recursive: true, mode: 0o700 });
  const previous = readState(layout);
  if (pidAlive(previous.pid)) throw new DemoStepError('start', `a demo is already running (pid ${String(previous.pid)})`, join(layout.logDir, 'demo.log'), 'npm run demo -- down');
  const state: State = { ...previous, pid: process.pid };
  writeState(layout, state);
  const supervisor = new ProcessSupervisor(layout.runDir, layout.logDir);
  const gwLayout = gatewaysLayout(join(home, 'gateways'));
  const started = Date.now();
  const steps = ['Fabric binaries', 'network', 'gateways', 'demo identities', 'adapters', 'simulators', 'seeding'] as const;
  let n = 0;
  const step = async <T>(name: (typeof steps)[number], log: string, retry: string, body: () => Promise<T>): Promise<T> => {
    n += 1;
    out(`[${n}/${steps.length}] ${name}`);
    const t0 = Date.now();
    try {
      const result = await body();
      out(`      ${name}: done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      return result;
    } catch (error) {
      throw new DemoStepError(name, error instanceof Error ? error.message : String(error), log, retry);
    }
  };
  const stop = (): Promise<void> => demoStop(home, out, { foreground: true });
  try {
    const cliLog = (name: string): string => join(layout.logDir, `${name}.log`);
    await step('Fabric binaries', cliLog('fabric'), 'npx tsx network/src/cli.ts ensure-binaries', () => runCli([...NETWORK_CLI, 'ensure-binaries'], cliLog('fabric'), out));
    const network = networkSupervisor(home);
    await step('network', cliLog('network'), 'npm run network:up', async () => {
      if (!allRunning(network)) state.startedNetwork = true;
      writeState(layout, state);
      await runCli([...NETWORK_CLI, 'up'], cliLog('network'), out);
    });
    await step('gateways', cliLog('gateways'), 'npm run gateways:up', async () => {
      if (!allRunning(new ProcessSupervisor(gwLayout.runDir, gwLayout.logDir))) state.startedGateways = true;
      writeState(layout, state);
      await runCli([...GATEWAYS_CLI, 'up'], cliLog('gateways'), out);
    });
    const credentials = await step('demo identities', layout.credentialsFile, 'npm run demo', async () => {
      const access = (agency: DemoAgency) => {
        const tokenFile = gatewayFiles(gwLayout.org(agency)).adminToken;
        const bootstrap = BootstrapTokenFileSchema.parse(JSON.parse(readFileSync(tokenFile, 'utf8')));
        return { gatewayUrl: GATEWAY_URLS[agency], bootstrapAdminToken: bootstrap.token, api: restGatewayAdmin(GATEWAY_URLS[agency]) };
      };
      const { credentials: c, renewed } = await ensureDemoCredentials({ bamf: access('bamf'), zab: access('zab') }, readDemoCredentials(layout.credentialsFile));
      writeDemoCredentials(layout.credentialsFile, c);
      for (const agency of DEMO_AGENCIES) out(`      ${agency}: ${renewed[agency].length === 0 ? 'tokens of the last run still valid' : `new tokens for ${renewed[agency].join(', ')}`}`);
      out(`      written ${layout.credentialsFile} (mode 0600)`);
      return c;
    });
    const plan: AdapterSidePlan = {
      bamf: { gatewayUrl: credentials.bamf.gatewayUrl, token: credentials.bamf.tokens.adapter },
      zab: { gatewayUrl: credentials.zab.gatewayUrl, token: credentials.zab.tokens.adapter },
      seed: 7 + state.runs,
      cases: options.cases ?? 24,
    };
    const adapterUrl = (name: ProfileName): string => `http://127.0.0.1:${sidePorts(name, plan).inbound}`;
    const simulatorUrl = (name: ProfileName): string => `http://127.0.0.1:${sidePorts(name, plan).simulator}`;
    const waitHealthy = (name: string, url: string): Promise<void> =>
      waitFor(`${name} at ${url}/healthz`, async () => {
        if (!supervisor.isRunning(name)) throw new Error(`${name} exited`);
        return httpOk(`${url}/healthz`);
      }, 60_000).catch((error: unknown) => {
        throw new Error(`${error instanceof Error ? error.message : String(error)}; last lines:\n${lastLines(join(layout.logDir, `${name}.log`), 10)}`);
      });
    await step('adapters', join(layout.logDir, 'adapter-<maris|zab>.log'), 'npm run demo', async () => {
      for (const name of PROFILE_NAMES) {
        const dir = join(home, 'adapters', name);
        mkdirSync(dir, { recursive: true, mode: 0o700 });
        const configPath = join(dir, 'adapter.json');
        const operatorToken = previousOperatorToken(configPath) ?? `op_${randomBytes(24).toString('base64url')}`;
        writeFileSync(configPath, JSON.stringify(adapterConfig(name, plan, { dir, operatorToken }), null, 2), { mode: 0o600 });
        const record = supervisor.start({ name: `adapter-${name}`, command: process.execPath, args: [join(ADAPTER_BIN_DIR, `asl-${name}-adapter`), '--config', configPath], env: {}, cwd: REPO_ROOT });
        out(`      adapter-${name}: pid ${record.pid}, ${adapterUrl(name)}, log ${record.log}`);
      }
      await Promise.all(PROFILE_NAMES.map((name) => waitHealthy(`adapter-${name}`, adapterUrl(name))));
    });
    const before = await Promise.all(DEMO_AGENCIES.map((a) => caseCount(credentials[a].gatewayUrl, credentials[a].tokens.caseworker)));
    await step('simulators', join(layout.logDir, 'simulator-<maris|zab>.log'), 'npm run demo', async () => {
      for (const name of PROFILE_NAMES) {
        const record = supervisor.start({ name: `simulator-${name}`, command: process.execPath, args: [join(ADAPTER_BIN_DIR, 'asl-simulator'), ...simulatorArgs(name, adapterUrl(name), plan)], env: {}, cwd: REPO_ROOT });
        out(`      simulator-${name}: pid ${record.pid}, ${simulatorUrl(name)}, seed ${String(plan.seed)}, ${String(plan.cases)} cases, log ${record.log}`);
      }
      await Promise.all(PROFILE_NAMES.map((name) => waitHealthy(`simulator-${name}`, simulatorUrl(name))));
    });
    await step('seeding', join(layout.logDir, 'adapter-<maris|zab>.log'), 'npm run demo', async () => {
      // The first cases the simulators sent are on the ledger once both gateways' read models show more cases.
      await waitFor('the first seeded cases in both gateways\' read models', async () => {
        const now = await Promise.all(DEMO_AGENCIES.map((a) => caseCount(credentials[a].gatewayUrl, credentials[a].tokens.caseworker)));
        return now.every((count, i) => count > (before[i] ?? 0));
      }, 180_000, 1_000);
      state.runs += 1;
      writeState(layout, state);
    });
    out(`\nThe demo is up (${((Date.now() - started) / 1000).toFixed(1)} s). The simulators keep sending their cases through the adapters.\n`);
    const services = demoServices(plan);
    out(servicesTable(services));
    const rss = systemRss(home);
    out(`\nAll tokens (four roles per agency): ${layout.credentialsFile} (mode 0600).`);
    out(`Memory (RSS): ${Object.entries(rss).map(([k, v]) => `${k} ${v} MiB`).join(', ')}; total ${Object.values(rss).reduce((a, b) => a + b, 0)} MiB.`);
    out(`Ctrl-C, or \`npm run demo -- down\` in another terminal, stops everything this demo started.`);
    return { credentials, services, stop };
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
}

function previousOperatorToken(configPath: string): string | undefined {
  try {
    return z.looseObject({ operatorToken: z.string().min(16) }).parse(JSON.parse(readFileSync(configPath, 'utf8'))).operatorToken;
  } catch {
    return undefined;
  }
}

function lastLines(file: string, count: number): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-count).join('\n');
  } catch {
    return '(no log)';
  }
}

/** Whether the simulators have sent every step (and how far they are). */
export async function seedingProgress(plan: AdapterSidePlan = { bamf: { gatewayUrl: GATEWAY_URLS.bamf, token: '' }, zab: { gatewayUrl: GATEWAY_URLS.zab, token: '' } }): Promise<{ done: boolean; sent: number; rejected: number; received: number }> {
  const all = await Promise.all(
    PROFILE_NAMES.map(async (name) => {
      const res = await fetch(`http://127.0.0.1:${sidePorts(name, plan).simulator}/status`, { signal: AbortSignal.timeout(5_000) });
      return SimulatorStatusSchema.parse(await res.json());
    }),
  );
  return { done: all.every((s) => s.done), sent: all.reduce((a, s) => a + s.sent, 0), rejected: all.reduce((a, s) => a + s.rejected, 0), received: all.reduce((a, s) => a + s.received, 0) };
}

/**
 * Stops what the demo started: simulators and adapters (always: only the demo starts them), then the gateways and
 * the network when the demo had started them. From another terminal (`foreground: false`) a running foreground
 * demo is asked to stop (SIGTERM) and this waits until it has.
 */
export async function demoStop(home: string, out: (line: string) => void, o: { readonly foreground: boolean }): Promise<void> {
  const layout = demoLayout(home);
  const state = readState(layout);
  if (!o.foreground && pidAlive(state.pid) && state.pid !== undefined) {
    out(`asking the running demo (pid ${state.pid}) to stop`);
    process.kill(state.pid, 'SIGTERM');
    await waitFor(`the demo (pid ${state.pid}) to stop`, () => Promise.resolve(!pidAlive(state.pid)), 180_000, 250);
    return;
  }
  const supervisor = new ProcessSupervisor(layout.runDir, layout.logDir);
  const names = supervisor.list().map((p) => p.record.name);
  for (const name of [...names.filter((x) => x.startsWith('simulator-')), ...names.filter((x) => !x.startsWith('simulator-'))]) {
    if (await supervisor.stop(name)) out(`stopped ${name}`);
  }
  const log = (name: string): string => join(layout.logDir, `${name}.log`);
  mkdirSync(layout.logDir, { recursive: true });
  if (state.startedGateways) await runCli([...GATEWAYS_CLI, 'down'], log('gateways'), out);
  if (state.startedNetwork) await runCli([...NETWORK_CLI, 'down'], log('network'), out);
  writeState(layout, { startedNetwork: false, startedGateways: false, runs: state.runs });
}

/** Removes the demo's own state (not the network's nor the gateways'): credentials, adapters' stores, run records. */
export function demoForget(home: string): void {
  const layout = demoLayout(home);
  rmSync(layout.root, { recursive: true, force: true });
  rmSync(layout.credentialsFile, { force: true });
  rmSync(join(home, 'adapters'), { recursive: true, force: true });
}
