import { DomainError, ERROR_CODES, parseError, type ErrorCode, type ErrorDetail } from '@asl/chaincode/domain';
import { z } from 'zod';

/** An error the gateway itself raises with a code of the shared table (domain.md §7). */
export class GatewayError extends Error {
  override readonly name = 'GatewayError';
  constructor(
    readonly code: ErrorCode,
    readonly detail: ErrorDetail = {},
    /** Seconds for `Retry-After` (429, 503). */
    readonly retryAfterSeconds?: number,
  ) {
    super(`[${code}]`);
  }
}

/** The problem+json body (RFC 9457) with the stable `code`. */
export const ProblemSchema = z
  .strictObject({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    code: z.enum(Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]]),
    details: z.record(z.string(), z.unknown()).optional(),
    requestId: z.string().optional(),
  })
  .meta({ id: 'Problem' });
/** A problem+json body. */
export type Problem = z.infer<typeof ProblemSchema>;

/** What the error mapper answers: status, headers, body and whether the cause was internal. */
export interface MappedError {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Problem;
  /** The code, for logs and metrics. */
  readonly code: ErrorCode;
}

/** Default `Retry-After` for a ledger that cannot take requests now. */
export const LEDGER_RETRY_AFTER_SECONDS = 5;

/**
 * Where a status must carry `Retry-After` (domain.md §7), and which codes are answered with a generic body.
 * Exhaustive over the shared table: adding a code to the domain fails compilation here until it is placed.
 */
const RESPONSE_POLICY = {
  INVALID_INPUT: { retryAfter: false, generic: false },
  UNAUTHENTICATED: { retryAfter: false, generic: false },
  FORBIDDEN_ROLE: { retryAfter: false, generic: false },
  NOT_OWNER: { retryAfter: false, generic: false },
  CASE_NOT_FOUND: { retryAfter: false, generic: false },
  CASE_EXISTS: { retryAfter: false, generic: false },
  PRECONDITION_FAILED: { retryAfter: false, generic: false },
  CASE_CLOSED: { retryAfter: false, generic: false },
  IDEMPOTENCY_CONFLICT: { retryAfter: false, generic: false },
  UNKNOWN_CODE_VALUE: { retryAfter: false, generic: false },
  ALREADY_APPLIED: { retryAfter: false, generic: false },
  PAYLOAD_TOO_LARGE: { retryAfter: false, generic: false },
  RATE_LIMITED: { retryAfter: true, generic: false },
  LEDGER_UNAVAILABLE: { retryAfter: true, generic: true },
  LEDGER_TIMEOUT: { retryAfter: true, generic: true },
} as const satisfies Record<ErrorCode, { retryAfter: boolean; generic: boolean }>;

/** Detail keys that may reach a client: codes, event types, field paths and counts (never values). */
const SAFE_DETAIL_KEYS = new Set([
  'missing',
  'conflicting',
  'field',
  'fields',
  'issues',
  'limit',
  'reason',
  'expected',
  'retryable',
  // value lists: a list name, version numbers and `UNKNOWN` — reference data, never personal data
  'list',
  'version',
  'current',
  'valueList',
]);

function safeDetails(detail: ErrorDetail): Record<string, unknown> | undefined {
  const entries = Object.entries(detail).filter(([k]) => SAFE_DETAIL_KEYS.has(k));
  return entries.length === 0 ? undefined : Object.fromEntries(entries);
}

/** The code and detail any thrown value stands for. Unknown errors are `LEDGER_UNAVAILABLE` (a 5xx). */
export function classify(error: unknown): { code: ErrorCode; detail: ErrorDetail; retryAfterSeconds?: number; internal: boolean } {
  if (error instanceof GatewayError) {
    return { code: error.code, detail: error.detail, internal: false, ...(error.retryAfterSeconds !== undefined ? { retryAfterSeconds: error.retryAfterSeconds } : {}) };
  }
  if (error instanceof DomainError) return { code: error.code, detail: error.detail, internal: false };
  if (error instanceof z.ZodError) {
    return { code: 'INVALID_INPUT', detail: { issues: error.issues.map((i) => ({ path: i.path.join('.'), code: i.code })) }, internal: false };
  }
  if (isBodyParserError(error)) {
    if (error.type === 'entity.too.large') return { code: 'PAYLOAD_TOO_LARGE', detail: { limit: error.limit }, internal: false };
    return { code: 'INVALID_INPUT', detail: { reason: 'BODY_NOT_JSON' }, internal: false };
  }
  if (error instanceof Error) {
    const parsed = parseError(error.message);
    if (parsed) return { code: parsed.code, detail: parsed.detail, internal: false };
  }
  return { code: 'LEDGER_UNAVAILABLE', detail: {}, internal: true };
}

function isBodyParserError(error: unknown): error is { type: string; limit?: number } {
  return typeof error === 'object' && error !== null && 'type' in error && typeof error.type === 'string' && 'status' in error;
}

/**
 * The one mapping of any error to an `application/problem+json` response. 5xx bodies are generic: no
 * message, no peer address, no MSP detail, no stack; client errors carry only whitelisted detail keys.
 */
export function toProblem(error: unknown, requestId?: string): MappedError {
  const { code, detail, retryAfterSeconds } = classify(error);
  const { http, title } = ERROR_CODES[code];
  const policy = RESPONSE_POLICY[code];
  const details = policy.generic ? undefined : safeDetails(detail);
  const headers: Record<string, string> = { 'content-type': 'application/problem+json' };
  if (policy.retryAfter) headers['retry-after'] = String(retryAfterSeconds ?? LEDGER_RETRY_AFTER_SECONDS);
  return {
    status: http,
    code,
    headers,
    body: {
      type: `urn:asl:error:${code.toLowerCase().replace(/_/g, '-')}`,
      title,
      status: http,
      code,
      ...(details ? { details } : {}),
      ...(requestId !== undefined ? { requestId } : {}),
    },
  };
}
