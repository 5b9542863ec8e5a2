/**
 * What a live gateway suite may do to the shared network's processes: stop one peer by its PID record (the
 * network's own ProcessSupervisor, `$ASL_HOME/network/run/<name>.json`) and bring the network whole again with the
 * idempotent `npx tsx network/src/cli.ts up` — never `--fresh`, never `down`: other suites use the same network.
 * Callers run `up()` in a `finally`.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { readConnection } from '@asl/network/connection';
import { ProcessSupervisor } from '@asl/network/processes';

const REPO_ROOT = join(__dirname, '..', '..', '..');
const UP_TIMEOUT_MS = 5 * 60_000;

/** The outcome of one `network/src/cli.ts up`. */
export interface UpResult {
  readonly status: number | null;
  readonly output: string;
}

/** The network's process supervisor for the network connection.json describes (read afresh). */
function supervisor(): ProcessSupervisor {
  const network = join(readConnection().home, 'network');
  return new ProcessSupervisor(join(network, 'run'), join(network, 'logs'));
}

/** Whether a network process (e.g. `peer0.zab`) runs, by its PID record. */
export function isNetworkProcessRunning(name: string): boolean {
  return supervisor().isRunning(name);
}

/** Stops a network process (SIGTERM, SIGKILL after 10 s) as an outage would; fails when it was not running. */
export async function stopNetworkProcess(name: string): Promise<void> {
  if (!(await supervisor().stop(name))) throw new Error(`${name} was not running`);
}

/** `npx tsx network/src/cli.ts up`: starts whatever is not running and waits until it is ready. */
export function networkUp(): UpResult {
  const r = spawnSync('npx', ['tsx', 'network/src/cli.ts', 'up'], { cwd: REPO_ROOT, encoding: 'utf8', timeout: UP_TIMEOUT_MS });
  return { status: r.status, output: `${r.error ? `${r.error.message}\n` : ''}${r.stdout}${r.stderr}` };
}
