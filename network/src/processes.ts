import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { get as httpsGet } from 'node:https';
import { connect, createServer } from 'node:net';
import { basename, join } from 'node:path';

/** What to start. */
export interface ProcessSpec {
  /** Unique name, also the PID and log file name (e.g. `peer0.bamf`). */
  readonly name: string;
  /** Absolute path of the executable. */
  readonly command: string;
  readonly args: readonly string[];
  /** Complete environment (nothing is inherited implicitly except PATH and HOME). */
  readonly env: Readonly<Record<string, string>>;
  readonly cwd?: string;
}

/** The record kept for a started process. */
export interface ProcessRecord {
  readonly name: string;
  readonly pid: number;
  readonly command: string;
  readonly args: readonly string[];
  readonly startedAt: string;
  readonly log: string;
}

/** State of one supervised process. */
export interface ProcessStatus {
  readonly record: ProcessRecord;
  readonly running: boolean;
}

function alive(pid: number, command: string): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // Guard against PID reuse: the process must still be the executable we started.
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0] ?? '';
    return basename(cmdline) === basename(command);
  } catch {
    return true;
  }
}

/**
 * True once the process has exited: no such PID, or a zombie (exited, not yet reaped by whichever ancestor inherited
 * the detached process; `kill(pid, 0)` still succeeds on a zombie).
 */
export function exited(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return true;
  }
  try {
    return / [ZX] /.test(readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^\d+ \(.*\)/s, ''));
  } catch {
    return true;
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Starts long-running processes detached from the CLI (so `up` can return), one log file each, and
 * stops exactly those again by their recorded PID. State lives in two folders, so a later `down` or
 * `status` in another shell sees what an earlier `up` started.
 */
export class ProcessSupervisor {
  constructor(
    private readonly runDir: string,
    private readonly logDir: string,
  ) {}

  private recordFile(name: string): string {
    return join(this.runDir, `${name}.json`);
  }

  /** The record of a process started earlier, if any. */
  record(name: string): ProcessRecord | undefined {
    const file = this.recordFile(name);
    if (!existsSync(file)) return undefined;
    return JSON.parse(readFileSync(file, 'utf8')) as ProcessRecord;
  }

  /** Whether the named process is running. */
  isRunning(name: string): boolean {
    const r = this.record(name);
    return r !== undefined && alive(r.pid, r.command);
  }

  /** Starts the process unless it already runs (idempotent); returns its record. */
  start(spec: ProcessSpec): ProcessRecord {
    const existing = this.record(spec.name);
    if (existing !== undefined && alive(existing.pid, existing.command)) return existing;
    mkdirSync(this.runDir, { recursive: true });
    mkdirSync(this.logDir, { recursive: true });
    const log = join(this.logDir, `${spec.name}.log`);
    const fd = openSync(log, 'a');
    try {
      const env: Record<string, string> = { ...spec.env };
      for (const k of ['PATH', 'HOME'] as const) {
        const v = process.env[k];
        if (env[k] === undefined && v !== undefined) env[k] = v;
      }
      const child = spawn(spec.command, [...spec.args], {
        cwd: spec.cwd,
        env,
        detached: true,
        stdio: ['ignore', fd, fd],
      });
      if (child.pid === undefined) throw new Error(`could not start ${spec.name} (${spec.command})`);
      child.unref();
      const record: ProcessRecord = {
        name: spec.name,
        pid: child.pid,
        command: spec.command,
        args: spec.args,
        startedAt: new Date().toISOString(),
        log,
      };
      writeFileSync(this.recordFile(spec.name), JSON.stringify(record, null, 2) + '\n');
      return record;
    } finally {
      closeSync(fd);
    }
  }

  /**
   * Stops the named process (SIGTERM, then SIGKILL after `graceMs`) and forgets it. Only the
   * recorded PID's process group is signalled: the group of a process we started detached.
   */
  async stop(name: string, graceMs = 10_000): Promise<boolean> {
    const r = this.record(name);
    if (r === undefined) return false;
    let stopped = false;
    if (alive(r.pid, r.command)) {
      signal(r.pid, 'SIGTERM');
      const deadline = Date.now() + graceMs;
      while (alive(r.pid, r.command) && Date.now() < deadline) await sleep(100);
      if (alive(r.pid, r.command)) signal(r.pid, 'SIGKILL');
      while (alive(r.pid, r.command)) await sleep(50);
      stopped = true;
    }
    rmSync(this.recordFile(name), { force: true });
    return stopped;
  }

  /** Every process this supervisor has a record of. */
  list(): ProcessStatus[] {
    if (!existsSync(this.runDir)) return [];
    return readdirSync(this.runDir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => this.record(f.slice(0, -'.json'.length)))
      .filter((r): r is ProcessRecord => r !== undefined)
      .map((record) => ({ record, running: alive(record.pid, record.command) }));
  }

  /** Stops every recorded process, in reverse start order. */
  async stopAll(graceMs?: number): Promise<string[]> {
    const names = this.list()
      .sort((a, b) => b.record.startedAt.localeCompare(a.record.startedAt))
      .map((s) => s.record.name);
    for (const n of names) await this.stop(n, graceMs);
    return names;
  }
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(-pid, sig);
  } catch {
    try {
      process.kill(pid, sig);
    } catch {
      // already gone
    }
  }
}

/** Polls `check` until it returns true or `timeoutMs` passes; throws with `what` on timeout. */
export async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number, intervalMs = 250): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}

/**
 * True when `GET url` answers 200 (used on the operations endpoints' `/healthz`). For `https:` URLs
 * the server certificate is verified against `tls.ca` (Fabric's operations endpoints serve TLS).
 */
export async function httpOk(url: string, tls?: { readonly ca: string }): Promise<boolean> {
  if (!url.startsWith('https:')) {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    return res.ok;
  }
  const ca = tls === undefined ? undefined : readFileSync(tls.ca);
  return new Promise<boolean>((resolve, reject) => {
    const req = httpsGet(url, { ca, timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode !== undefined && res.statusCode >= 200 && res.statusCode < 300);
    });
    req.on('timeout', () => req.destroy(new Error(`timeout: ${url}`)));
    req.on('error', reject);
  });
}

/** TLS material of an HTTPS request: the CA that verifies the server, and optionally a client key pair. */
export interface HttpsAuth {
  readonly ca: string;
  readonly cert?: string;
  readonly key?: string;
}

/**
 * The body of `GET url` over TLS (Fabric's operations endpoints): `/metrics` demands a client
 * certificate of the node's own organisation. Rejects on a non-2xx status.
 */
export function httpsText(url: string, auth: HttpsAuth, timeoutMs = 5000): Promise<string> {
  const read = (f: string | undefined): Buffer | undefined => (f === undefined ? undefined : readFileSync(f));
  return new Promise<string>((resolve, reject) => {
    const req = httpsGet(url, { ca: read(auth.ca), cert: read(auth.cert), key: read(auth.key), timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => {
        if (res.statusCode !== undefined && res.statusCode >= 200 && res.statusCode < 300) resolve(body);
        else reject(new Error(`GET ${url}: HTTP ${String(res.statusCode)}`));
      });
    });
    req.on('timeout', () => req.destroy(new Error(`timeout: ${url}`)));
    req.on('error', reject);
  });
}

/** True when a TCP connection to host:port is accepted. */
export function tcpAccepts(host: string, port: number, timeoutMs = 2000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * The value of one Prometheus sample in a `/metrics` text, e.g. `metricValue(text,
 * 'consensus_etcdraft_is_leader', { channel: 'ankerdresden' })`; undefined when absent.
 */
export function metricValue(text: string, name: string, labels: Readonly<Record<string, string>> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([^}]*)\})?\s+(\S+)/.exec(line);
    if (m === null || m[1] !== name) continue;
    const have = new Map<string, string>();
    for (const l of (m[3] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) have.set(l[1] ?? '', l[2] ?? '');
    if (Object.entries(labels).every(([k, v]) => have.get(k) === v)) return Number(m[4]);
  }
  return undefined;
}

/** Resident set size of a process in KiB (Linux `/proc/<pid>/status` VmRSS), undefined if unknown. */
export function rssKiB(pid: number): number | undefined {
  try {
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m?.[1] === undefined ? undefined : Number(m[1]);
  } catch {
    return undefined;
  }
}

/** A TCP port on 127.0.0.1 that was free a moment ago (the kernel's choice), for tests and launchers. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const a = srv.address();
      srv.close(() => (typeof a === 'object' && a ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}
