/**
 * The value-list routes of one agency's gateway (domain.md §9, architecture.md "value lists"), as an operator's tool
 * calls them: over HTTP with a bearer token, every answer parsed with the route's own schema from `api/schemas.ts`.
 * A refusal is a {@link GatewayProblem} carrying the problem+json `code` and `details` — never recognised by its text.
 */
import type { ValueListEntry, ValueListName } from '@asl/chaincode/domain';
import type { z } from 'zod';
import { ValueListChangeResponseSchema, ValueListDiffResponseSchema, ValueListResponseSchema, ValueListsResponseSchema } from '../api/schemas';
import { ProblemSchema } from '../http/problem';

/** `GET /api/v1/value-lists`. */
export type ValueListsOverview = z.infer<typeof ValueListsResponseSchema>;
/** `GET /api/v1/value-lists/{list}`: a version with its entries and status. */
export type ValueListVersionAnswer = z.infer<typeof ValueListResponseSchema>;
/** `GET /api/v1/value-lists/{list}/diff`. */
export type ValueListDiffAnswer = z.infer<typeof ValueListDiffResponseSchema>;
/** The answer of a proposal or an approval. */
export type ValueListChangeResult = z.infer<typeof ValueListChangeResponseSchema>;

/** A refusal by the gateway or the ledger: the HTTP status and the stable code of domain.md §7. */
export class GatewayProblem extends Error {
  override readonly name = 'GatewayProblem';
  constructor(
    readonly status: number,
    readonly code: string,
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(`${status} ${code}${Object.keys(details).length > 0 ? ` ${JSON.stringify(details)}` : ''}`);
  }
}

/** Where the gateway is and who calls it. */
export interface ValueListClientOptions {
  /** The gateway's base URL, e.g. `http://127.0.0.1:3001`. */
  readonly url: string;
  /** A bearer token: an admin's for proposals and approvals; any role reads. */
  readonly token: string;
  /** Per request (default 120 s: a write waits for the commit and, on a busy network, for MVCC retries). */
  readonly timeoutMs?: number;
  readonly fetch?: typeof fetch;
}

/** The five value-list routes of one gateway. */
export class ValueListClient {
  readonly #url: string;
  readonly #token: string;
  readonly #timeoutMs: number;
  readonly #fetch: typeof fetch;

  constructor(o: ValueListClientOptions) {
    this.#url = o.url.replace(/\/+$/, '');
    this.#token = o.token;
    this.#timeoutMs = o.timeoutMs ?? 120_000;
    this.#fetch = o.fetch ?? fetch;
  }

  /** Every list: the version in force, a pending proposal, the history of versions in force. */
  async overview(): Promise<ValueListsOverview> {
    return ValueListsResponseSchema.parse(await this.#call('GET', '/api/v1/value-lists'));
  }

  /** A version of a list with its entries; without `version`, the one in force now. */
  async get(list: ValueListName, version?: number): Promise<ValueListVersionAnswer> {
    const query = version === undefined ? '' : `?version=${version}`;
    return ValueListResponseSchema.parse(await this.#call('GET', `/api/v1/value-lists/${list}${query}`));
  }

  /** What changed from version `from` to version `to`. */
  async diff(list: ValueListName, from: number, to: number): Promise<ValueListDiffAnswer> {
    return ValueListDiffResponseSchema.parse(await this.#call('GET', `/api/v1/value-lists/${list}/diff?from=${from}&to=${to}`));
  }

  /** Proposes `version` (the version in force + 1) with the complete list of entries. */
  async propose(list: ValueListName, version: number, entries: readonly ValueListEntry[]): Promise<ValueListChangeResult> {
    return ValueListChangeResponseSchema.parse(await this.#call('POST', `/api/v1/value-lists/${list}/proposals`, { version, entries }));
  }

  /** Approves a proposed version with the content hash the approving admin reviewed. */
  async approve(list: ValueListName, version: number, contentHash: string): Promise<ValueListChangeResult> {
    return ValueListChangeResponseSchema.parse(await this.#call('POST', `/api/v1/value-lists/${list}/versions/${version}/approvals`, { contentHash }));
  }

  async #call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.#token}`, accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await this.#fetch(this.#url + path, {
      method,
      headers,
      signal: AbortSignal.timeout(this.#timeoutMs),
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new GatewayProblem(res.status, 'NOT_JSON', { contentType: res.headers.get('content-type') ?? '' });
    }
    if (res.ok) return parsed;
    const problem = ProblemSchema.safeParse(parsed);
    if (!problem.success) throw new GatewayProblem(res.status, 'UNEXPECTED_ANSWER');
    throw new GatewayProblem(res.status, problem.data.code, problem.data.details ?? {});
  }
}
