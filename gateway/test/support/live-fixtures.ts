/**
 * Test data and small steps shared by the live REST suites (`test/live/rest-*.net.test.ts`): users registered in the
 * agencies' real CAs through the admin API, fresh random cases under a throw-away pseudonym key (so a suite can run
 * again and again on the same ledger, next to other suites), writes as an adapter makes them, polling, and metric
 * values. Nothing is cached between runs: every suite registers its own users on the gateways it started.
 */
import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { caseIdFor, courtRefFor, type Role } from '@asl/chaincode/domain';
import { z } from 'zod';
import { IssuedTokenSchema, TimelineResponseSchema, WriteResponseSchema } from '../../src/api/schemas';
import { liveCall, liveWrite, type LiveResponse } from './live-client';
import type { LiveGateway } from './live-gateways';

/** A key no agency holds: pseudonyms made with it never collide with a real case. */
const TEST_KEY = randomBytes(32);

/** A fresh case pseudonym of a random fake AZR number. */
export function newCaseId(): string {
  return caseIdFor(TEST_KEY, String(randomInt(10 ** 11, 10 ** 12)));
}

/** A fresh court-proceedings pseudonym at `court`. */
export function newCourtRef(court = 'VG-DRESDEN'): string {
  return courtRefFor(TEST_KEY, court, `${randomInt(1, 9999)} K ${randomInt(1000, 9999)}/26`);
}

/** A fresh, unique `sourceMessageId`. */
export function msgId(what: string): string {
  return `live-${what}-${randomUUID()}`;
}

/** Seeded value-list codes (chaincode/seed/value-lists) the suites write. */
export const CODES = { facility: 'AE-DD-TEST', court: 'VG-DRESDEN' } as const;

/** A user registered through the admin API: its id, role, first token and that token's id. */
export interface LiveUser {
  readonly userId: string;
  readonly role: Role;
  readonly token: string;
  readonly tokenId: string;
}

/** Registers a user with `role` in the gateway's agency CA (POST /api/v1/admin/users) and returns its first token. */
export async function registerUser(gw: LiveGateway, role: Role, label: string): Promise<LiveUser> {
  const userId = `${gw.orgKey}-${label}-${role}-${randomBytes(4).toString('hex')}`;
  const created = await liveCall(gw.url, 'post', '/api/v1/admin/users', { token: gw.adminToken, body: { userId, role } });
  if (created.status !== 201) throw new Error(`registering ${userId} answered ${created.status}: ${JSON.stringify(created.body)}`);
  const issued = IssuedTokenSchema.parse(created.body);
  return { userId, role, token: issued.token, tokenId: issued.tokenId };
}

/** An event body for `POST /cases/{caseId}/events`, with a fresh sourceMessageId. */
export function eventBody(type: string, data: Record<string, unknown> = {}, occurredAt = new Date().toISOString()): { type: string; occurredAt: string; sourceMessageId: string; data: Record<string, unknown> } {
  return { type, occurredAt, sourceMessageId: msgId(type.toLowerCase()), data };
}

/** The written event and its receipt. */
export type Written = z.infer<typeof WriteResponseSchema>;

/**
 * Records an event as an adapter would (sent again unchanged on 503/504, see liveWrite) and expects it recorded:
 * 201, or — only after a retried 503/504, when the first attempt may have committed — 200 with the original receipt.
 */
export async function recorded(gw: LiveGateway, token: string, caseId: string, body: object): Promise<Written> {
  const { response, retried } = await liveWrite(gw.url, '/api/v1/cases/{caseId}/events', { token, params: { caseId }, body });
  if (retried.length > 0) process.stderr.write(`${gw.mspId}: write retried after ${retried.join(', ')} (the shared network was busy or failing over)\n`);
  const accepted = retried.length === 0 ? [201] : [200, 201];
  if (!accepted.includes(response.status)) throw new Error(`${gw.mspId} write answered ${response.status}: ${JSON.stringify(response.body)}`);
  return WriteResponseSchema.parse(response.body);
}

/** Polls `read` until `done` holds for its answer or `timeoutMs` passes; returns the last answer. */
export async function eventually<T>(read: () => Promise<T>, done: (r: T) => boolean, timeoutMs = 15_000, intervalMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await read();
    if (done(r) || Date.now() > deadline) return r;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Every timeline item of a case from a gateway's read model, all pages; undefined on 404. */
export async function timelineOf(gw: LiveGateway, token: string, caseId: string): Promise<z.infer<typeof TimelineResponseSchema>['items'] | undefined> {
  const items: z.infer<typeof TimelineResponseSchema>['items'][number][] = [];
  let cursor: string | undefined;
  do {
    const page: LiveResponse = await liveCall(gw.url, 'get', '/api/v1/cases/{caseId}/timeline', { token, params: { caseId }, ...(cursor ? { query: { cursor } } : {}) });
    if (page.status === 404) return undefined;
    if (page.status !== 200) throw new Error(`timeline answered ${page.status}: ${JSON.stringify(page.body)}`);
    const parsed = TimelineResponseSchema.parse(page.body);
    items.push(...parsed.items);
    cursor = parsed.cursor;
  } while (cursor !== undefined);
  return items;
}

/**
 * The sum of a Prometheus counter's series on a gateway's `/metrics` whose labels include `labels` (0 when the
 * counter has no such series yet: counters appear with their first increment).
 */
export async function metricSum(url: string, name: string, labels: Readonly<Record<string, string>> = {}): Promise<number> {
  const res = await fetch(`${url}/metrics`);
  const text = await res.text();
  let sum = 0;
  for (const line of text.split('\n')) {
    const m = /^([a-z_]+)(\{[^}]*\})? (\S+)$/.exec(line);
    if (m === null || m[1] !== name) continue;
    const series = Object.fromEntries([...(m[2] ?? '').matchAll(/([a-zA-Z_]+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => series[k] === v)) sum += Number(m[3]);
  }
  return sum;
}
