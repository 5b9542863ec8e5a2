/**
 * `npm run demo [-- up|down|status] [options]` (scripts/demo.mjs installs what is missing, then runs this):
 *   up (default)     start everything, print the table, stay in the foreground; Ctrl-C stops what it started
 *   down [--purge]   stop a running demo (from another terminal); --purge also removes the network's and the
 *                    demo's data (credentials, adapters' stores)
 *   status           the demo's processes, the gateways and the network
 *   token <bamf|zab> <adapter|caseworker|auditor|admin>
 *                    print one token of demo-credentials.json (to paste into the UI's sign-in)
 * options: --cases <n> (cases per simulator and run, default 24)
 */
import { dataHome } from '@asl/network/layout';
import { ProcessSupervisor } from '@asl/network/processes';
import { DEMO_ROLES, readDemoCredentials, type DemoRole } from './credentials';
import { DemoStepError, demoForget, demoLayout, demoStop, demoUp, seedingProgress, systemProcesses, systemRss } from './demo';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const out = (line: string): void => void process.stderr.write(line + '\n');
const REPO = join(__dirname, '..', '..', '..');

async function up(args: readonly string[]): Promise<number> {
  const i = args.indexOf('--cases');
  const cases = i >= 0 ? Number(args[i + 1]) : undefined;
  if (cases !== undefined && (!Number.isInteger(cases) || cases < 1 || cases > 500)) {
    out('--cases wants a whole number from 1 to 500');
    return 2;
  }
  const home = dataHome();
  let stopping = false;
  const demo = await demoUp({ home, ...(cases === undefined ? {} : { cases }) });
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    out(`\n${signal}: stopping everything the demo started …`);
    demo.stop().then(
      () => {
        out('stopped.');
        process.exit(0);
      },
      (error: unknown) => {
        out(`stopping failed: ${error instanceof Error ? error.message : String(error)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  // Foreground: report when the seeding is complete, and when a process of the demo died.
  const supervisor = new ProcessSupervisor(demoLayout(home).runDir, demoLayout(home).logDir);
  let seeded = false;
  const reported = new Set<string>();
  const watch = setInterval(() => {
    if (stopping) return;
    for (const p of supervisor.list()) {
      if (!p.running && !reported.has(p.record.name)) {
        reported.add(p.record.name);
        out(`${p.record.name} (pid ${p.record.pid}) is no longer running; its log: ${p.record.log}`);
      }
    }
    if (seeded) return;
    seedingProgress().then(
      (s) => {
        if (!s.done || seeded) return;
        seeded = true;
        const rss = systemRss(home);
        out(`seeding done: ${s.sent} messages sent (${s.rejected} refused), ${s.received} received from the partner; RSS ${Object.values(rss).reduce((a, b) => a + b, 0)} MiB in all`);
      },
      () => undefined,
    );
  }, 5_000);
  void watch; // the interval keeps the process in the foreground; stop() ends it with process.exit
  return new Promise<number>(() => undefined);
}

function status(): number {
  const home = dataHome();
  const layout = demoLayout(home);
  const list = new ProcessSupervisor(layout.runDir, layout.logDir).list();
  if (list.length === 0) out('no adapter or simulator of the demo is recorded');
  const gateways = spawnSync(process.execPath, [join('gateway', 'bin', 'asl-gateways'), 'status'], { cwd: REPO, stdio: 'inherit' }).status;
  const network = spawnSync('npx', ['tsx', join('network', 'src', 'cli.ts'), 'status'], { cwd: REPO, stdio: 'inherit' }).status;
  out('\nresident memory (RSS) of every process:');
  let total = 0;
  for (const p of systemProcesses(home)) {
    total += p.rssKiB ?? 0;
    out(`  ${p.part.padEnd(24)} ${p.name.padEnd(22)} pid ${String(p.pid).padEnd(8)} ${p.rssKiB === undefined ? 'not running' : `${(p.rssKiB / 1024).toFixed(0)} MiB`}`);
  }
  out(`  total ${(total / 1024).toFixed(0)} MiB`);
  return list.length > 0 && list.every((p) => p.running) && gateways === 0 && network === 0 ? 0 : 1;
}

async function down(args: readonly string[]): Promise<number> {
  const home = dataHome();
  await demoStop(home, out, { foreground: false });
  if (args.includes('--purge')) {
    spawnSync(process.execPath, [join('gateway', 'bin', 'asl-gateways'), 'down'], { cwd: REPO, stdio: 'inherit' });
    const r = spawnSync('npx', ['tsx', join('network', 'src', 'cli.ts'), 'down', '--purge'], { cwd: REPO, stdio: 'inherit' }).status;
    demoForget(home);
    out('removed the demo\'s credentials and the adapters\' stores');
    return r ?? 1;
  }
  return 0;
}

function token(args: readonly string[]): number {
  const [agency, role] = args;
  const credentials = readDemoCredentials(demoLayout(dataHome()).credentialsFile);
  if (credentials === undefined) {
    out('no demo credentials yet: run npm run demo');
    return 1;
  }
  if ((agency !== 'bamf' && agency !== 'zab') || !DEMO_ROLES.some((r) => r === role)) {
    out(`usage: npm run -s demo -- token <bamf|zab> <${DEMO_ROLES.join('|')}>`);
    return 2;
  }
  process.stdout.write(credentials[agency].tokens[role as DemoRole] + '\n');
  return 0;
}

/** Entry point; returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const [command = 'up', ...rest] = argv[0]?.startsWith('--') === true ? ['up', ...argv] : argv;
  try {
    if (command === 'up') return await up(rest);
    if (command === 'down') return await down(rest);
    if (command === 'status') return status();
    if (command === 'token') return token(rest);
    out('usage: npm run demo [-- up [--cases <n>] | down [--purge] | status | token <agency> <role>]');
    return 2;
  } catch (error) {
    if (error instanceof DemoStepError) {
      out(`\ndemo: ${error.message}`);
      return 1;
    }
    throw error;
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => process.exit(code));
}
