import request from 'supertest';
import type { TestGateway } from './harness';
import { assertConforms } from './openapi-check';

/** Every request made in the app tests, so the suite can check that no URL carried identifying data. */
export const REQUESTED_URLS: string[] = [];

export interface CallOptions {
  readonly token?: string;
  readonly body?: unknown;
  readonly rawBody?: string;
  readonly query?: Record<string, string>;
  readonly headers?: Record<string, string>;
  readonly params?: Record<string, string>;
}

/**
 * Calls a route by its OpenAPI path template and checks the response against the OpenAPI document
 * (documented schema for the status, problem+json for errors).
 */
export async function call(gw: TestGateway, method: 'get' | 'post' | 'put' | 'delete', template: string, options: CallOptions = {}) {
  const path = template.replace(/\{([A-Za-z]+)\}/g, (_, name: string) => {
    const v = options.params?.[name];
    if (v === undefined) throw new Error(`no value for ${name}`);
    return encodeURIComponent(v);
  });
  const qs = options.query ? '?' + new URLSearchParams(options.query).toString() : '';
  REQUESTED_URLS.push(path + qs);
  let req = request(gw.app)[method](path + qs);
  if (options.token !== undefined) req = req.set('authorization', `Bearer ${options.token}`);
  for (const [k, v] of Object.entries(options.headers ?? {})) req = req.set(k, v);
  const res = options.rawBody !== undefined ? await req.set('content-type', 'application/json').send(options.rawBody) : options.body !== undefined ? await req.send(options.body as object) : await req;
  const contentType = String(res.headers['content-type'] ?? '');
  if (contentType.includes('json') && res.status !== 404) {
    assertConforms(method, template, res.status, contentType, JSON.parse(res.text));
  }
  return res;
}

/** The `key` of every element of a JSON array (test bodies are untyped JSON). */
export function pluck(items: unknown, key: string): unknown[] {
  return (items as Record<string, unknown>[]).map((i) => i[key]);
}

/** The `event.type` of every timeline item. */
export function eventTypes(items: unknown): unknown[] {
  return (items as { event: { type: string } }[]).map((i) => i.event.type);
}
