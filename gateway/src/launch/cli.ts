import { mkdirSync, readFileSync } from 'node:fs';
import { connectionFile, readConnection } from '@asl/network/connection';
import { ProcessSupervisor } from '@asl/network/processes';
import { GatewayConfigSchema } from '../config';
import { gatewayFiles } from './config-from-connection';
import { agencyKeys, ensurePseudonymKeyFile, gatewaysLayout, prepareGateway, readiness, serverProcess, waitUntilReady, type GatewaysLayout } from './gateway-home';

/** Each agency's gateway port (architecture.md, "Default ports"), by org key. */
export const DEFAULT_PORTS: Readonly<Record<string, number>> = { bamf: 3001, zab: 3002 };

const USAGE = `usage: asl-gateways up|down|status [options]
  up       start every agency's gateway on the live network (ledger.kind fabric) and wait until each /readyz is 200
  down     stop the gateways this launcher started (by PID)
  status   each gateway's process and /readyz; exit code 1 unless all run and are ready
options:
  --home <dir>          the launcher's folder (default $ASL_HOME/gateways)
  --connection <file>   the network's connection description (default $ASL_HOME/network/connection.json)
  --port <org>=<port>   listen port of an agency's gateway (default bamf=3001, zab=3002)
  --timeout-ms <ms>     how long up waits for readiness (default 180000)`;

/** A command line the CLI cannot run: answered with the usage and exit code 2. */
class UsageError extends Error {}

/** Parsed command line. */
interface Options {
  readonly command: string;
  readonly home: string;
  readonly connection: string;
  readonly ports: Readonly<Record<string, number>>;
  readonly timeoutMs: number;
}

function parseArgs(argv: readonly string[]): Options {
  const [command = '', ...rest] = argv;
  let home: string | undefined;
  let connection: string | undefined;
  const ports: Record<string, number> = { ...DEFAULT_PORTS };
  let timeoutMs = 180_000;
  for (let i = 0; i < rest.length; i++) {
    const flag = rest[i];
    const value = rest[i + 1];
    if (value === undefined) throw new UsageError(`${flag ?? ''} needs a value`);
    i += 1;
    if (flag === '--home') home = value;
    else if (flag === '--connection') connection = value;
    else if (flag === '--timeout-ms') timeoutMs = Number(value);
    else if (flag === '--port') {
      const m = /^([a-z][a-z0-9-]*)=(\d{1,5})$/.exec(value);
      if (m?.[1] === undefined || m[2] === undefined) throw new UsageError(`--port wants <org>=<port>, not ${value}`);
      ports[m[1]] = Number(m[2]);
    } else throw new UsageError(`unknown option ${flag ?? ''}`);
  }
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) throw new UsageError('--timeout-ms wants a positive integer');
  return { command, home: home ?? gatewaysLayout().root, connection: connection ?? connectionFile(), ports, timeoutMs };
}

const processName = (orgKey: string): string => `gateway-${orgKey}`;

function lastLines(file: string, n: number): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-n).join('\n');
  } catch {
    return '(no log)';
  }
}

/** Where an agency's gateway listens, from the configuration it was started with. */
function urlOf(layout: GatewaysLayout, orgKey: string): string | undefined {
  try {
    const config = GatewayConfigSchema.parse(JSON.parse(readFileSync(gatewayFiles(layout.org(orgKey)).config, 'utf8')));
    return `http://${config.listen.host}:${config.listen.port}`;
  } catch {
    return undefined;
  }
}

async function up(o: Options, out: (line: string) => void): Promise<number> {
  const connection = readConnection(o.connection);
  const layout = gatewaysLayout(o.home);
  mkdirSync(layout.root, { recursive: true, mode: 0o700 });
  if (ensurePseudonymKeyFile(layout.pseudonymKeyFile)) out(`generated the shared pseudonym key ${layout.pseudonymKeyFile}`);
  const supervisor = new ProcessSupervisor(layout.runDir, layout.logDir);
  const started: { orgKey: string; url: string; log: string; adminToken: string }[] = [];
  for (const orgKey of agencyKeys(connection)) {
    const name = processName(orgKey);
    const adminToken = gatewayFiles(layout.org(orgKey)).adminToken;
    const running = supervisor.record(name);
    const url = running !== undefined && supervisor.isRunning(name) ? urlOf(layout, orgKey) : undefined;
    if (running !== undefined && url !== undefined) {
      out(`${name} already running (pid ${running.pid})`);
      started.push({ orgKey, url, log: running.log, adminToken });
      continue;
    }
    const port = o.ports[orgKey];
    if (port === undefined) throw new UsageError(`no port for ${orgKey}: pass --port ${orgKey}=<port>`);
    const prepared = prepareGateway(connection, orgKey, { home: layout.org(orgKey), port, pseudonymKeyFile: layout.pseudonymKeyFile, log: out });
    const record = supervisor.start({ name, ...serverProcess(prepared.files.config) });
    out(`${name} (${prepared.mspId}) started: pid ${record.pid}, ${prepared.url}, log ${record.log}`);
    started.push({ orgKey, url: prepared.url, log: record.log, adminToken });
  }
  const results = await Promise.allSettled(started.map((g) => waitUntilReady(g.url, () => supervisor.isRunning(processName(g.orgKey)), o.timeoutMs)));
  let failed = 0;
  results.forEach((result, i) => {
    const g = started[i];
    if (g === undefined) return;
    if (result.status === 'fulfilled') {
      out(`${processName(g.orgKey)} ready: ${g.url} (bootstrap admin token in ${g.adminToken})`);
      return;
    }
    failed += 1;
    out(`${processName(g.orgKey)} NOT ready: ${result.reason instanceof Error ? result.reason.message : String(result.reason)}`);
    out(`last lines of ${g.log}:\n${lastLines(g.log, 20)}`);
  });
  if (failed > 0) out('gateways that still run keep retrying; `npm run gateways:down` stops them');
  return failed === 0 ? 0 : 1;
}

async function down(o: Options, out: (line: string) => void): Promise<number> {
  const layout = gatewaysLayout(o.home);
  const stopped = await new ProcessSupervisor(layout.runDir, layout.logDir).stopAll();
  out(stopped.length === 0 ? 'no gateway running' : `stopped: ${stopped.join(', ')}`);
  return 0;
}

async function status(o: Options, out: (line: string) => void): Promise<number> {
  const layout = gatewaysLayout(o.home);
  const list = new ProcessSupervisor(layout.runDir, layout.logDir).list();
  if (list.length === 0) {
    out(`no gateway started from ${layout.root}`);
    return 1;
  }
  let healthy = true;
  for (const { record, running } of list) {
    const url = urlOf(layout, record.name.replace(/^gateway-/, ''));
    const ready = running && url !== undefined ? await readiness(url) : { ready: false, body: '' };
    healthy &&= ready.ready;
    out(`${running ? 'running' : 'stopped'} ${ready.ready ? 'ready' : 'not-ready'}  ${record.name}  pid ${record.pid}  ${url ?? '(no config)'}  log ${record.log}${running ? `  /readyz ${ready.body}` : ''}`);
  }
  return healthy ? 0 : 1;
}

/** `asl-gateways up|down|status`; returns the exit code. */
export async function main(argv: readonly string[] = process.argv.slice(2), out: (line: string) => void = (line) => void process.stdout.write(line + '\n')): Promise<number> {
  let o: Options;
  try {
    o = parseArgs(argv);
    if (o.command === 'up') return await up(o, out);
    if (o.command === 'down') return await down(o, out);
    if (o.command === 'status') return await status(o, out);
    throw new UsageError(o.command === '' ? 'no command' : `unknown command ${o.command}`);
  } catch (error) {
    if (error instanceof UsageError) {
      out(`asl-gateways: ${error.message}\n${USAGE}`);
      return 2;
    }
    throw error;
  }
}
