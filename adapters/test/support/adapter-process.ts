/**
 * One adapter as a child process (`bin/asl-<profile>-adapter --config <file>`) for crash tests: started on the
 * same configuration and data again after every kill, with fault-injection variables per start
 * (`ASL_FAULT_KILL_AFTER_*`, src/bin/adapter.ts). Keeps every process's log lines (pino JSON) across restarts,
 * so a test can read what each incarnation did.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const BIN = join(__dirname, '..', '..', 'bin');

/** How a process ended. */
export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** One parsed log line, tagged with the incarnation (0 = first start) that wrote it. */
export type LogLine = Record<string, unknown> & { readonly incarnation: number };

const running = new Set<ChildProcess>();
let exitHook = false;

/** An adapter process that can be killed and started again. */
export class AdapterProcess {
  private child: ChildProcess | undefined;
  private exit: Promise<Exit> | undefined;
  private incarnation = -1;
  readonly lines: LogLine[] = [];
  stderr = '';

  constructor(
    readonly bin: 'asl-adapter' | 'asl-maris-adapter' | 'asl-zab-adapter',
    readonly configPath: string,
    /** The adapter's inbound base URL (`http://127.0.0.1:<port>`). */
    readonly url: string,
  ) {
    if (!exitHook) {
      exitHook = true;
      process.once('exit', () => running.forEach((c) => c.kill('SIGKILL')));
    }
  }

  /** Whether the current process runs. */
  get alive(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /**
   * Starts a new process (`env`: fault injection) and waits until `/healthz` answers. It rejects if the process
   * died first, unless `mayDie`: a fault point can be reached before the first health check (pending records are
   * delivered at once), and the caller then waits for that exit.
   */
  async start(env: Record<string, string> = {}, options: { mayDie?: boolean; timeoutMs?: number } = {}): Promise<void> {
    const timeoutMs = options.timeoutMs ?? 60_000;
    if (this.alive) throw new Error(`${this.bin} is still running`);
    this.incarnation += 1;
    const incarnation = this.incarnation;
    const child = spawn(process.execPath, [join(BIN, this.bin), '--config', this.configPath], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    running.add(child);
    this.child = child;
    this.exit = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    void this.exit.then(() => running.delete(child));
    let buffer = '';
    child.stdout?.on('data', (d: Buffer) => {
      buffer += d.toString();
      const parts = buffer.split('\n');
      buffer = parts.pop() ?? '';
      for (const line of parts) {
        try {
          this.lines.push({ ...(JSON.parse(line) as Record<string, unknown>), incarnation });
        } catch {
          this.lines.push({ raw: line, incarnation });
        }
      }
    });
    child.stderr?.on('data', (d: Buffer) => (this.stderr += d.toString()));
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      if (!this.alive) {
        if (options.mayDie === true) return;
        throw new Error(`${this.bin} exited before it was healthy: ${this.stderr.slice(-2000)}`);
      }
      try {
        if ((await fetch(new URL('/healthz', this.url))).ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`${this.bin} not healthy within ${timeoutMs} ms`);
  }

  /** Resolves with how the current process ended (at once if it already did); rejects after `timeoutMs`. */
  exited(timeoutMs: number): Promise<Exit> {
    const exit = this.exit;
    if (exit === undefined) return Promise.reject(new Error(`${this.bin} was never started`));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.bin} still running after ${timeoutMs} ms`)), timeoutMs);
      void exit.then((e) => {
        clearTimeout(timer);
        resolve(e);
      });
    });
  }

  /** Kills the current process (SIGKILL unless told) and waits for its exit. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<Exit | undefined> {
    if (!this.alive) return undefined;
    this.child?.kill(signal);
    return this.exited(15_000);
  }

  /** Stops the process gracefully (SIGTERM; SIGKILL after the grace period). */
  async stop(graceMs = 10_000): Promise<void> {
    if (!this.alive) return;
    const timer = setTimeout(() => this.child?.kill('SIGKILL'), graceMs);
    this.child?.kill('SIGTERM');
    await this.exit;
    clearTimeout(timer);
  }

  /** The log lines with message `msg`. */
  logged(msg: string): LogLine[] {
    return this.lines.filter((l) => l['msg'] === msg);
  }
}
