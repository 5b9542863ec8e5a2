import { assertConforms } from './openapi-check';

/** A request to a running gateway by its OpenAPI path template (`/api/v1/cases/{caseId}`). */
export interface LiveRequest {
  readonly token?: string;
  readonly params?: Readonly<Record<string, string>>;
  readonly query?: Readonly<Record<string, string>>;
  readonly body?: unknown;
}

/** The answer: status and body (parsed JSON, else text); parse it with the route's schema from `src/api/schemas.ts`. */
export interface LiveResponse {
  readonly status: number;
  readonly body: unknown;
}

/**
 * Calls a route of a gateway process over HTTP (fetch) and checks that the answer conforms to the gateway's OpenAPI
 * document (the documented schema of its status, problem+json for errors), as the in-process app tests do.
 */
export async function liveCall(baseUrl: string, method: 'get' | 'post' | 'put' | 'delete', template: string, r: LiveRequest = {}): Promise<LiveResponse> {
  const path = template.replace(/\{([A-Za-z]+)\}/g, (_, name: string) => {
    const v = r.params?.[name];
    if (v === undefined) throw new Error(`no value for ${name}`);
    return encodeURIComponent(v);
  });
  const qs = r.query ? '?' + new URLSearchParams(r.query).toString() : '';
  const headers: Record<string, string> = {};
  if (r.token !== undefined) headers.authorization = `Bearer ${r.token}`;
  if (r.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(baseUrl + path + qs, { method: method.toUpperCase(), headers, ...(r.body !== undefined ? { body: JSON.stringify(r.body) } : {}) });
  const contentType = res.headers.get('content-type') ?? '';
  const text = await res.text();
  const body: unknown = contentType.includes('json') ? JSON.parse(text) : text;
  if (contentType.includes('json')) assertConforms(method, template, res.status, contentType, body);
  return { status: res.status, body };
}

/** A write and the answers it took: every answer before the last was a 503 or 504. */
export interface LiveWrite {
  readonly response: LiveResponse;
  readonly retried: readonly number[];
}

/**
 * A write as an adapter makes it: sent again, unchanged (same sourceMessageId), while the gateway answers
 * `LEDGER_UNAVAILABLE` (503) or `LEDGER_TIMEOUT` (504), whose contract is that retrying is safe (domain.md §6–7) —
 * the shared network may be in an orderer failover another suite provoked. After a 504 the first attempt may have
 * committed, so the final answer may be 200 `ALREADY_APPLIED` with the original receipt; callers decide what they
 * accept (`retried` lists the statuses retried). Gives up after `timeoutMs`.
 */
export async function liveWrite(baseUrl: string, template: string, r: LiveRequest, timeoutMs = 60_000): Promise<LiveWrite> {
  const deadline = Date.now() + timeoutMs;
  const retried: number[] = [];
  for (;;) {
    const response = await liveCall(baseUrl, 'post', template, r);
    if ((response.status !== 503 && response.status !== 504) || Date.now() > deadline) return { response, retried };
    retried.push(response.status);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}
