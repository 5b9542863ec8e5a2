/**
 * `npm run demo` as a new user runs it (ASL_TEST_KIND=restart: it stops and starts the whole network, so it runs after
 * the net suites, never beside them). The network is stopped first (data kept), so the demo starts it itself; then:
 * everything answers on the ports of architecture.md, the credentials file has the fixed shape and mode 0600 with a
 * working token per role and agency, the ledger's cases were written by the adapters (the simulators seeded them),
 * Ctrl-C stops every process the demo started, a second run comes up again (its time is reported, not asserted), and
 * `npm run demo -- down` from another process stops that one. The network is brought up again at the end.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { dataHome, Layout } from '../../network/src/layout';
import { exited, ProcessSupervisor } from '../../network/src/processes';
import { loadTopology } from '../../network/src/topology';
import { gatewaysLayout } from '../../gateway/src/launch/gateway-home';
import { DEMO_ROLES, DemoCredentialsSchema, demoUserId, type DemoCredentials } from '../src/demo/credentials';
import { demoLayout } from '../src/demo/demo';

const repo = join(__dirname, '..', '..');
const home = dataHome();
const networkCli = (...args: string[]) => spawnSync('npx', ['tsx', join(repo, 'network', 'src', 'cli.ts'), ...args], { cwd: repo, encoding: 'utf8' });

/** The `npm run demo` foreground process, in its own process group (as a terminal's job is), with its output. */
interface DemoRun {
  readonly child: ChildProcess;
  output(): string;
  readonly exited: Promise<number | null>;
}

function startDemo(): DemoRun {
  const chunks: string[] = [];
  const child = spawn('npm', ['run', 'demo'], { cwd: repo, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env } });
  child.stdout?.on('data', (d: Buffer) => chunks.push(d.toString()));
  child.stderr?.on('data', (d: Buffer) => chunks.push(d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => chunks.join(''), exited };
}

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs: number, run?: DemoRun): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (run !== undefined && run.child.exitCode !== null) throw new Error(`the demo exited (${run.child.exitCode}) before ${what}:\n${run.output()}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${run === undefined ? '' : `:\n${run.output()}`}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** The table has been printed in full: its last line (the output may arrive in several chunks). */
const isUp = (run: DemoRun) => (): boolean => run.output().includes('stops everything this demo started');

/** Every PID the network, the gateways and the demo's supervisor have recorded as running. */
function systemPids(): number[] {
  const network = new Layout(home, loadTopology());
  const gw = gatewaysLayout(join(home, 'gateways'));
  const demo = demoLayout(home);
  return [new ProcessSupervisor(network.runDir, network.logDir), new ProcessSupervisor(gw.runDir, gw.logDir), new ProcessSupervisor(demo.runDir, demo.logDir)]
    .flatMap((s) => s.list())
    .filter((p) => p.running)
    .map((p) => p.record.pid);
}

async function get(url: string, token?: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url, { headers: token === undefined ? {} : { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(10_000) });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: res.status, body };
}

const TimelineSchema = z.looseObject({
  items: z.array(z.looseObject({ event: z.looseObject({ sourceMessageId: z.string() }), actor: z.looseObject({ mspId: z.string(), enrollmentId: z.string(), role: z.string() }) })),
});

describe('npm run demo', () => {
  let run: DemoRun | undefined;
  let firstSeed = Number.NaN;
  /** A run a failed test left behind is stopped before the next test starts (only one demo runs at a time). */
  const stopLeftover = async (): Promise<void> => {
    if (run !== undefined && run.child.exitCode === null) {
      spawnSync('npm', ['run', '-s', 'demo', '--', 'down'], { cwd: repo, encoding: 'utf8' });
      await run.exited;
    }
  };
  afterEach(stopLeftover, 300_000);
  afterAll(async () => {
    await stopLeftover();
    // leave the network as the suites found it: up
    networkCli('up');
  }, 300_000);

  it('starts everything, seeds through the simulators, and Ctrl-C stops every process it started', async () => {
    expect(networkCli('down').status).toBe(0);
    const t0 = Date.now();
    run = startDemo();
    await until('the demo table', isUp(run), 600_000, run);
    process.stderr.write(`demo up after ${((Date.now() - t0) / 1000).toFixed(1)} s (network stopped before, binaries cached)\n`);
    const out = run.output();
    firstSeed = Number(/seed (\d+),/.exec(out)?.[1]);
    expect(Number.isInteger(firstSeed)).toBe(true);
    for (const port of [3001, 3002, 3201, 3202, 3101, 3102]) expect(out).toContain(`http://127.0.0.1:${port}/`);

    // every service answers
    for (const port of [3001, 3002, 3201, 3202, 3101, 3102]) expect((await get(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    for (const port of [3001, 3002]) expect((await get(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);

    // the credentials file: fixed shape, 0600, one working token per role and agency
    const file = demoLayout(home).credentialsFile;
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const credentials: DemoCredentials = DemoCredentialsSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
    expect(credentials.bamf.gatewayUrl).toBe('http://127.0.0.1:3001');
    expect(credentials.zab.gatewayUrl).toBe('http://127.0.0.1:3002');
    for (const agency of ['bamf', 'zab'] as const) {
      for (const role of DEMO_ROLES) expect([agency, role, (await get(`${credentials[agency].gatewayUrl}/api/v1/value-lists`, credentials[agency].tokens[role])).status]).toEqual([agency, role, 200]);
      expect((await get(`${credentials[agency].gatewayUrl}/api/v1/value-lists`, `${credentials[agency].tokens.caseworker}x`)).status).toBe(401);
    }
    expect(out).not.toContain(credentials.zab.tokens.caseworker);

    // the simulators' cases are on the ledger, written by the agencies' adapters (not by the demo directly)
    const zabToken = credentials.zab.tokens.caseworker;
    const SentSchema = z.looseObject({ messages: z.array(z.looseObject({ nachrichtUUID: z.string(), azrNummer: z.string(), status: z.string() })) });
    const sent = [...SentSchema.parse((await get('http://127.0.0.1:3101/sent')).body).messages, ...SentSchema.parse((await get('http://127.0.0.1:3102/sent')).body).messages];
    const accepted = sent.find((m) => m.status === 'accepted');
    if (accepted === undefined) throw new Error(`no message accepted by an adapter: ${JSON.stringify(sent.length)} sent`);
    const caseIdRes = await fetch('http://127.0.0.1:3002/api/v1/case-ids', {
      method: 'POST',
      headers: { authorization: `Bearer ${zabToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ azrNumber: accepted.azrNummer }),
    });
    const { caseId } = z.looseObject({ caseId: z.string() }).parse(await caseIdRes.json());
    const sentIds = new Set(sent.map((m) => m.nachrichtUUID));
    let items: z.infer<typeof TimelineSchema>['items'] = [];
    await until('the seeded case on the ZAB gateway', async () => {
      const res = await get(`http://127.0.0.1:3002/api/v1/cases/${caseId}/timeline`, zabToken);
      items = res.status === 200 ? TimelineSchema.parse(res.body).items : [];
      return items.length > 0;
    }, 60_000);
    for (const item of items) {
      expect([item.actor.enrollmentId, item.actor.role]).toEqual([demoUserId('adapter'), 'adapter']);
      expect(sentIds.has(item.event.sourceMessageId)).toBe(true);
    }

    // Ctrl-C: the terminal sends SIGINT to the foreground job's process group
    const pids = systemPids();
    expect(pids.length).toBeGreaterThanOrEqual(10 + 2 + 4);
    const pid = run.child.pid;
    if (pid === undefined) throw new Error('no pid');
    process.kill(-pid, 'SIGINT');
    // npm's `sh -c` dies of the SIGINT at once (so npm may exit before the demo has finished); the demo itself
    // handles it, stops everything and says so on the terminal it shares
    const current = run;
    await until('the demo to report "stopped."', () => current.output().includes('\nstopped.'), 180_000);
    await until('every process the demo started to exit', () => pids.every(exited), 60_000);
    expect(current.output()).not.toContain('stopping failed');
    for (const port of [3001, 3002, 3201, 3202, 3101, 3102]) await expect(get(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  }, 900_000);

  it('a second run is up again and `npm run demo -- down` from another terminal stops it', async () => {
    const t0 = Date.now();
    run = startDemo();
    await until('the demo table', isUp(run), 300_000, run);
    process.stderr.write(`second demo run up after ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
    expect(run.output()).toMatch(/bamf: tokens of the last run still valid/);
    expect(run.output()).toContain(`seed ${firstSeed + 1},`); // a second run seeds new cases on top of the first
    const pids = systemPids();
    const down = spawnSync('npm', ['run', '-s', 'demo', '--', 'down'], { cwd: repo, encoding: 'utf8' });
    expect(down.status).toBe(0);
    expect(await run.exited).toBe(0);
    await until('every process the demo started to exit', () => pids.every(exited), 60_000);
  }, 600_000);
});
