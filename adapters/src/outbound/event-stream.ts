/**
 * A server-sent-events reader for `GET /api/v1/events/stream`: connects with `Last-Event-ID` = the
 * stored checkpoint, hands each message to `onMessage` one at a time (the next is read only after the
 * previous one was committed), and reconnects with capped, jittered backoff when the stream ends, fails,
 * or stays silent longer than `idleMs` (heartbeat comments count as life). Resuming always starts from
 * the durable checkpoint, never from memory, so a failed commit is retried, not skipped.
 */
import type { ReadableStreamDefaultReader, ReadableStreamReadResult } from 'node:stream/web';
import type { Logger } from 'pino';
import { backoffMs } from '../core/dispatcher';

/** One SSE message. */
export interface SseMessage {
  readonly id?: string;
  readonly event: string;
  readonly data: string;
}

/** Options of the reader. */
export interface EventStreamOptions {
  readonly url: string;
  readonly token: string;
  /** The id to resume after (read before every connection). */
  readonly lastEventId: () => Promise<number | undefined>;
  readonly onMessage: (message: SseMessage) => Promise<void>;
  readonly idleMs: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly logger: Logger;
  readonly random?: () => number;
  /** Told when the connection state changes (metrics). */
  readonly onConnected?: (connected: boolean) => void;
}

/** Splits a byte stream into SSE messages (the WHATWG event-stream format). */
export class SseParser {
  private buffer = '';
  private data: string[] = [];
  private event = '';
  private id: string | undefined;

  /** Feeds text; returns the messages completed by it. */
  push(text: string): SseMessage[] {
    this.buffer += text;
    const out: SseMessage[] = [];
    for (;;) {
      const nl = this.buffer.search(/\r\n|\r|\n/);
      if (nl < 0) break;
      const line = this.buffer.slice(0, nl);
      const width = this.buffer.startsWith('\r\n', nl) ? 2 : 1;
      this.buffer = this.buffer.slice(nl + width);
      if (line === '') {
        if (this.data.length > 0) out.push({ event: this.event === '' ? 'message' : this.event, data: this.data.join('\n'), ...(this.id === undefined ? {} : { id: this.id }) });
        this.data = [];
        this.event = '';
        this.id = undefined;
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? '' : line.slice(colon + 1);
      if (value.startsWith(' ')) value = value.slice(1);
      if (field === 'data') this.data.push(value);
      else if (field === 'event') this.event = value;
      else if (field === 'id' && !value.includes('\u0000')) this.id = value;
    }
    return out;
  }
}

/** Reads the stream until `stop`. */
export class EventStreamReader {
  private running = false;
  private controller: AbortController | undefined;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  /** Connections opened (metrics, tests). */
  connections = 0;

  constructor(private readonly options: EventStreamOptions) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.controller?.abort();
    this.wake?.();
    await this.loop;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(t);
        resolve();
      };
    });
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      const received = await this.connectOnce().catch((err: unknown) => {
        this.options.logger.warn({ err: err instanceof Error ? err.name : 'unknown' }, 'event stream failed');
        return false;
      });
      this.options.onConnected?.(false);
      if (!this.running) break;
      failures = received ? 0 : failures + 1;
      await this.sleep(backoffMs(failures, this.options, this.options.random ?? Math.random));
    }
  }

  /** One connection; resolves true when at least one message was handled. */
  private async connectOnce(): Promise<boolean> {
    const controller = new AbortController();
    this.controller = controller;
    const last = await this.options.lastEventId();
    let idle: NodeJS.Timeout | undefined;
    const touch = (): void => {
      if (idle !== undefined) clearTimeout(idle);
      idle = setTimeout(() => controller.abort(), this.options.idleMs);
    };
    touch();
    let handled = false;
    try {
      const res = await fetch(this.options.url, {
        headers: {
          accept: 'text/event-stream',
          authorization: `Bearer ${this.options.token}`,
          ...(last === undefined ? {} : { 'last-event-id': String(last) }),
        },
        signal: controller.signal,
      });
      if (res.status !== 200 || res.body === null) {
        this.options.logger.warn({ status: res.status }, 'event stream refused');
        await res.body?.cancel().catch(() => undefined);
        return false;
      }
      this.connections += 1;
      this.options.onConnected?.(true);
      this.options.logger.info({ after: last ?? null }, 'event stream connected');
      const parser = new SseParser();
      const decoder = new TextDecoder();
      const reader: ReadableStreamDefaultReader<Uint8Array> = res.body.getReader() as ReadableStreamDefaultReader<Uint8Array>;
      for (;;) {
        const { done, value }: ReadableStreamReadResult<Uint8Array> = await reader.read();
        if (done) break;
        touch();
        for (const message of parser.push(decoder.decode(value, { stream: true }))) {
          if (!this.running) return handled;
          await this.options.onMessage(message);
          handled = true;
          touch();
        }
      }
      return handled;
    } catch (err) {
      if (controller.signal.aborted) return handled;
      throw err;
    } finally {
      if (idle !== undefined) clearTimeout(idle);
      controller.abort();
    }
  }
}
