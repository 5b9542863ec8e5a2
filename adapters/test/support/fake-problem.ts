/**
 * Answers of the test doubles in the shapes the real gateway sends them (`gateway/src/http/problem.ts`,
 * `gateway/src/app.ts`), shared by `fake-gateway.ts` and `fake-ledger.ts`. Kept honest by
 * `test/live/gateway-contract.net.test.ts`, which sends the same requests to a fake and to the real gateways
 * on the live network and compares status, content type and body shape.
 */
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { ERROR_CODES, type ErrorCode } from '@asl/chaincode/domain';
import type { z } from 'zod';

/** Codes whose answer carries `Retry-After` (the gateway's response policy); 5 s unless told. */
const RETRY_AFTER: ReadonlySet<string> = new Set(['RATE_LIMITED', 'LEDGER_UNAVAILABLE', 'LEDGER_TIMEOUT']);
/** Codes answered with a generic body: no details (5xx). */
const GENERIC: ReadonlySet<string> = new Set(['LEDGER_UNAVAILABLE', 'LEDGER_TIMEOUT']);
/** Detail keys the gateway lets through (codes, field paths, counts, list versions; never values). */
const SAFE_DETAIL_KEYS: ReadonlySet<string> = new Set(['missing', 'conflicting', 'field', 'fields', 'issues', 'limit', 'reason', 'expected', 'retryable', 'list', 'version', 'current', 'valueList']);

function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(ERROR_CODES, code);
}

/** Sends a JSON body as Express's `res.json` does (`application/json; charset=utf-8`). */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

/**
 * Sends `application/problem+json` as the gateway's one error mapper does: `{type, title, status, code,
 * details?, requestId}`, the status from the shared error table unless `status` overrides it (a scripted
 * outage), `Retry-After` where the gateway sends one.
 */
export function sendProblem(res: ServerResponse, code: string, options: { status?: number; details?: Record<string, unknown>; retryAfter?: string } = {}): void {
  const known = isErrorCode(code) ? ERROR_CODES[code] : undefined;
  const status = options.status ?? known?.http ?? 500;
  const headers: Record<string, string> = { 'content-type': 'application/problem+json; charset=utf-8', 'cache-control': 'no-store' };
  const retryAfter = options.retryAfter ?? (RETRY_AFTER.has(code) ? '5' : undefined);
  if (retryAfter !== undefined) headers['retry-after'] = retryAfter;
  const details = GENERIC.has(code) ? undefined : Object.fromEntries(Object.entries(options.details ?? {}).filter(([k]) => SAFE_DETAIL_KEYS.has(k)));
  res.writeHead(status, headers);
  res.end(
    JSON.stringify({
      type: `urn:asl:error:${code.toLowerCase().replace(/_/g, '-')}`,
      title: known?.title ?? code,
      status,
      code,
      ...(details === undefined || Object.keys(details).length === 0 ? {} : { details }),
      requestId: randomUUID(),
    }),
  );
}

/** A problem without a code, as the gateway answers a route it does not have (`about:blank`, 404). */
export function notFoundLike(res: ServerResponse, status: number): void {
  res.writeHead(status, { 'content-type': 'application/problem+json; charset=utf-8' });
  res.end(JSON.stringify({ type: 'about:blank', title: status === 404 ? 'Not Found' : 'Error', status }));
}

/** The `details` of an `INVALID_INPUT` for a schema refusal, as the gateway reports a `ZodError`. */
export function issuesOf(error: z.ZodError): Record<string, unknown> {
  return { issues: error.issues.map((i) => ({ path: i.path.join('.'), code: i.code })) };
}
