/**
 * The watched drop directory: a case system writes `*.xml` files (write under another name, then
 * rename: files starting with `.` or not ending in `.xml` are ignored). Each file is offered like a
 * `POST /messages`; accepted or duplicate files move to `done/`, refused ones to `failed/` with the
 * ReturnToSender beside them (`<name>.rts.xml`). A crash between accepting and moving offers the file
 * again after restart, which the outbox answers as a duplicate.
 */
import { mkdir, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Inbound } from './inbound';

/** Options of the drop directory. */
export interface DropDirectoryOptions {
  readonly dir: string;
  readonly pollMs: number;
  readonly maxBytes: number;
  readonly inbound: Inbound;
  readonly logger: Logger;
}

/** Scans the directory on change notifications and on a poll interval (watchers miss events on some filesystems). */
export class DropDirectory {
  private timer: NodeJS.Timeout | undefined;
  private watcher: FSWatcher | undefined;
  private scanning: Promise<void> | undefined;
  private again = false;
  private stopped = false;

  constructor(private readonly options: DropDirectoryOptions) {}

  async start(): Promise<void> {
    const { dir } = this.options;
    await mkdir(join(dir, 'done'), { recursive: true });
    await mkdir(join(dir, 'failed'), { recursive: true });
    try {
      this.watcher = watch(dir, () => this.trigger());
    } catch {
      this.watcher = undefined;
    }
    this.timer = setInterval(() => this.trigger(), this.options.pollMs);
    this.trigger();
  }

  /** Scans now (or right after the running scan). */
  trigger(): void {
    if (this.stopped) return;
    if (this.scanning !== undefined) {
      this.again = true;
      return;
    }
    this.scanning = this.scan()
      .then(() => undefined)
      .catch((err: unknown) => this.options.logger.error({ err: err instanceof Error ? err.name : 'unknown' }, 'drop directory scan failed'))
      .finally(() => {
        this.scanning = undefined;
        if (this.again) {
          this.again = false;
          this.trigger();
        }
      });
  }

  /** One pass over the directory, oldest name first. Exposed for tests. */
  async scan(): Promise<number> {
    const { dir, inbound, logger, maxBytes } = this.options;
    const names = (await readdir(dir)).filter((n) => n.endsWith('.xml') && !n.startsWith('.')).sort();
    let handled = 0;
    for (const name of names) {
      if (this.stopped) break;
      const path = join(dir, name);
      const info = await stat(path).catch(() => undefined);
      if (info === undefined || !info.isFile()) continue;
      const result = info.size > maxBytes ? inbound.tooLarge('drop') : await inbound.offer(await readFile(path), 'drop');
      if (result.status === 'rejected') {
        await writeFile(join(dir, 'failed', `${name}.rts.xml`), result.returnToSender);
        await rename(path, join(dir, 'failed', name));
        logger.warn({ code: result.reason }, 'drop file refused');
      } else {
        await rename(path, join(dir, 'done', name));
      }
      handled += 1;
    }
    return handled;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) clearInterval(this.timer);
    this.watcher?.close();
    await this.scanning;
  }
}
