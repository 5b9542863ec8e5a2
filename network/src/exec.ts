import { spawn } from 'node:child_process';
import { CommandFailedError } from './errors';

/** Result of {@link run}. */
export interface RunResult {
  readonly code: number | null;
  /** stdout and stderr interleaved as they arrived. */
  readonly output: string;
  readonly stdout: string;
}

/** Options of {@link run}. */
export interface RunOptions {
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly cwd?: string;
  readonly timeoutMs?: number;
}

/** Quotes a command line for messages, so it can be pasted into a shell. */
export function shellQuote(command: string, args: readonly string[], env: Readonly<Record<string, string>> = {}): string {
  const q = (s: string): string => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);
  return [...Object.entries(env).map(([k, v]) => `${k}=${q(v)}`), q(command), ...args.map(q)].join(' ');
}

/** Runs a command to completion, never throwing for a non-zero exit (see {@link runOk}). */
export function run(command: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args], {
      cwd: opts.cwd,
      env: opts.env === undefined ? process.env : { ...process.env, ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: opts.timeoutMs,
    });
    let output = '';
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => {
      output += d.toString();
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      output += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output: output.trim(), stdout }));
  });
}

/** Runs a command and throws {@link CommandFailedError} unless it exits 0. */
export async function runOk(command: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  const r = await run(command, args, opts);
  if (r.code !== 0) throw new CommandFailedError(shellQuote(command, args), r.code, r.output);
  return r;
}
