/**
 * A minimal server-sent-events reader for live suites: `GET /api/v1/events/stream` over fetch, parsed by the
 * EventSource rules (fields `id`, `event`, `data`; a blank line dispatches; an id-only message moves the last
 * event ID without dispatching), with the time each message arrived. Reconnecting is the caller's: open again with
 * `lastEventId`.
 */
import type { ReadableStreamReadResult } from 'node:stream/web';

/** One dispatched message. */
export interface SseMessage {
  readonly id: string | undefined;
  readonly event: string;
  readonly data: string;
  /** `performance.now()` when its blank line arrived. */
  readonly receivedAt: number;
}

/** An open stream. */
export interface SseStream {
  readonly status: number;
  /** Every message dispatched so far. */
  readonly messages: readonly SseMessage[];
  /** The last event ID seen (as EventSource keeps it, id-only messages included). */
  readonly lastEventId: string | undefined;
  /** Resolves with the first message (already received or coming) that `match` accepts; rejects after `timeoutMs`. */
  next(match: (m: SseMessage) => boolean, timeoutMs: number): Promise<SseMessage>;
  /** Resolves once the server ended the stream (or it broke). */
  readonly ended: Promise<void>;
  close(): void;
}

/** Options of {@link openStream}. */
export interface OpenStreamOptions {
  readonly lastEventId?: string;
  /** `head`: start after the stream's current last item. */
  readonly from?: 'head';
}

/** Opens the gateway's event stream with a bearer token. */
export async function openStream(baseUrl: string, token: string, o: OpenStreamOptions = {}): Promise<SseStream> {
  const abort = new AbortController();
  const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'text/event-stream' };
  if (o.lastEventId !== undefined) headers['last-event-id'] = o.lastEventId;
  const res = await fetch(`${baseUrl}/api/v1/events/stream${o.from ? `?from=${o.from}` : ''}`, { headers, signal: abort.signal });
  const messages: SseMessage[] = [];
  const waiters = new Set<() => void>();
  let lastEventId = o.lastEventId;
  let id: string | undefined;
  let event = '';
  let data: string[] = [];
  let sawId = false;
  const line = (text: string): void => {
    if (text === '') {
      if (sawId) lastEventId = id;
      if (data.length > 0) messages.push({ id: sawId ? id : lastEventId, event: event || 'message', data: data.join('\n'), receivedAt: performance.now() });
      id = undefined;
      event = '';
      data = [];
      sawId = false;
      waiters.forEach((w) => w());
      return;
    }
    if (text.startsWith(':')) return;
    const colon = text.indexOf(':');
    const field = colon < 0 ? text : text.slice(0, colon);
    const value = colon < 0 ? '' : text.slice(colon + 1).replace(/^ /, '');
    if (field === 'id') {
      id = value;
      sawId = true;
    } else if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
  };
  const ended = (async () => {
    if (!res.body) return;
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for (;;) {
        const chunk: ReadableStreamReadResult<Uint8Array> = (await reader.read()) as ReadableStreamReadResult<Uint8Array>;
        if (chunk.done) break;
        buffer += decoder.decode(chunk.value, { stream: true });
        let nl: number;
        while ((nl = buffer.search(/\r?\n/)) >= 0) {
          const text = buffer.slice(0, nl);
          buffer = buffer.slice(buffer[nl] === '\r' ? nl + 2 : nl + 1);
          line(text);
        }
      }
    } catch {
      // aborted by close(), or the connection broke: the stream has ended either way
    } finally {
      waiters.forEach((w) => w());
    }
  })();
  let finished = false;
  void ended.then(() => (finished = true));
  return {
    status: res.status,
    messages,
    get lastEventId() {
      return lastEventId;
    },
    ended,
    next: (match, timeoutMs) =>
      new Promise<SseMessage>((resolve, reject) => {
        const check = (): boolean => {
          const found = messages.find(match);
          if (found) {
            cleanup();
            resolve(found);
            return true;
          }
          return false;
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`no matching event-stream message within ${timeoutMs} ms (${messages.length} received${finished ? ', stream ended' : ''})`));
        }, timeoutMs);
        const waiter = (): void => void check();
        const cleanup = (): void => {
          clearTimeout(timer);
          waiters.delete(waiter);
        };
        if (!check()) waiters.add(waiter);
      }),
    close: () => abort.abort(),
  };
}
