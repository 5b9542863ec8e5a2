/**
 * Where outbound messages go: the case system's HTTP endpoint (one XML message per `POST`, any 2xx
 * means taken) or a directory it reads (write to a hidden temporary name, fsync, rename, fsync the
 * directory: a reader never sees half a file, and a redelivery overwrites the same name).
 */
import { open, rename, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { QueuedMessage } from './outbound-store';

/** What one delivery attempt came to. */
export type SinkResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly transient: boolean; readonly status: number };

/** The port. */
export interface CaseSystemSink {
  deliver(message: QueuedMessage): Promise<SinkResult>;
}

/** `POST` to the case system. Connection failures, timeouts, 5xx, 408 and 429 are transient. */
export class HttpCaseSystemSink implements CaseSystemSink {
  constructor(private readonly options: { readonly url: string; readonly timeoutMs: number }) {}

  async deliver(message: QueuedMessage): Promise<SinkResult> {
    try {
      const res = await fetch(this.options.url, {
        method: 'POST',
        headers: { 'content-type': 'application/xml; charset=utf-8' },
        body: message.xml,
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      await res.arrayBuffer().catch(() => undefined);
      if (res.status >= 200 && res.status < 300) return { ok: true };
      const transient = res.status >= 500 || res.status === 408 || res.status === 429;
      return { ok: false, transient, status: res.status };
    } catch {
      return { ok: false, transient: true, status: 0 };
    }
  }
}

/** Files in a directory, named `<queue seq>-<nachrichtUUID>.xml` so a reader can keep their order. */
export class DirectoryCaseSystemSink implements CaseSystemSink {
  private ready: Promise<unknown> | undefined;

  constructor(private readonly dir: string) {}

  /** The file name of a message. */
  static fileName(message: QueuedMessage): string {
    return `${String(message.seq).padStart(12, '0')}-${message.id}.xml`;
  }

  async deliver(message: QueuedMessage): Promise<SinkResult> {
    try {
      this.ready ??= mkdir(this.dir, { recursive: true });
      await this.ready;
      const name = DirectoryCaseSystemSink.fileName(message);
      const tmp = join(this.dir, `.${name}.tmp`);
      const file = await open(tmp, 'w', 0o600);
      try {
        await file.writeFile(message.xml, 'utf8');
        await file.sync();
      } finally {
        await file.close();
      }
      await rename(tmp, join(this.dir, name));
      const dir = await open(this.dir, 'r');
      try {
        await dir.sync();
      } finally {
        await dir.close();
      }
      return { ok: true };
    } catch {
      return { ok: false, transient: true, status: 0 };
    }
  }
}
