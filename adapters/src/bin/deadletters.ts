/**
 * `asl-deadletters`: operators list, show, retry and discard an adapter's dead letters through the
 * running adapter's operator routes (LevelDB allows one process, so the CLI never opens the store).
 *
 *   asl-deadletters --config <adapter.json> list
 *   asl-deadletters --config <adapter.json> show <nachrichtUUID> [--reveal]
 *   asl-deadletters --config <adapter.json> retry <nachrichtUUID>
 *   asl-deadletters --config <adapter.json> discard <nachrichtUUID>
 *
 * `show` hides the identifying fields (AZR and BAMF numbers, person details, court file numbers)
 * unless `--reveal` is given.
 */
import { loadConfig } from '../core/config';

/** Where output goes (tests pass their own). */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

const stdio: CliIo = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) };

const HIDDEN = '[hidden: --reveal]';

/** Replaces identifying values in a dead letter by a marker. */
export function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === 'identification' || k === 'person' || k === 'courtProceedings' || k === 'laneKey') out[k] = HIDDEN;
    else out[k] = redact(v);
  }
  return out;
}

/** Runs the CLI; returns the exit code. */
export async function main(argv: readonly string[] = process.argv.slice(2), io: CliIo = stdio): Promise<number> {
  const args = [...argv];
  const configAt = args.indexOf('--config');
  const configPath = configAt >= 0 ? args[configAt + 1] : process.env['ASL_ADAPTER_CONFIG'];
  if (configAt >= 0) args.splice(configAt, 2);
  const reveal = args.includes('--reveal');
  const [command, id] = args.filter((a) => a !== '--reveal');
  if (configPath === undefined || command === undefined || (command !== 'list' && id === undefined)) {
    io.err('usage: asl-deadletters --config <adapter.json> list | show <id> [--reveal] | retry <id> | discard <id>\n');
    return 2;
  }
  const config = loadConfig(configPath);
  const host = config.inbound.host === '0.0.0.0' ? '127.0.0.1' : config.inbound.host;
  const base = `http://${host}:${config.inbound.port}/admin/dead-letters`;
  const headers = { authorization: `Bearer ${config.operatorToken}` };
  const path = id === undefined ? base : `${base}/${encodeURIComponent(id)}`;
  const request: Record<string, { url: string; method: string }> = {
    list: { url: base, method: 'GET' },
    show: { url: path, method: 'GET' },
    retry: { url: `${path}/retry`, method: 'POST' },
    discard: { url: path, method: 'DELETE' },
  };
  const r = request[command];
  if (r === undefined) {
    io.err(`unknown command ${command}\n`);
    return 2;
  }
  let res: Response;
  try {
    res = await fetch(r.url, { method: r.method, headers });
  } catch {
    io.err(`adapter not reachable at ${host}:${config.inbound.port}\n`);
    return 1;
  }
  if (res.status === 404) {
    io.err(`no dead letter ${id ?? ''}\n`);
    return 1;
  }
  if (!res.ok) {
    io.err(`adapter answered ${res.status}\n`);
    return 1;
  }
  if (res.status === 204) {
    io.out(`discarded ${id ?? ''}\n`);
    return 0;
  }
  const body: unknown = await res.json();
  io.out(`${JSON.stringify(command === 'show' && !reveal ? redact(body) : body, null, 2)}\n`);
  return 0;
}
