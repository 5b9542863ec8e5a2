/**
 * The one registry of error codes (domain.md §7). Codes never change; messages may.
 * Chaincode errors cross the peer boundary as `[CODE] {json detail}`; the gateway maps the code
 * to its HTTP status through this table. Details never contain identifying data.
 */

export const ERROR_CODES = {
  INVALID_INPUT: { http: 400, origin: 'ledger', title: 'The request does not match the schema' },
  UNAUTHENTICATED: { http: 401, origin: 'gateway', title: 'No, bad, expired or revoked token' },
  FORBIDDEN_ROLE: { http: 403, origin: 'ledger', title: 'The role may not do this' },
  NOT_OWNER: { http: 403, origin: 'ledger', title: 'Another organisation owns this event type for this case' },
  CASE_NOT_FOUND: { http: 404, origin: 'ledger', title: 'No such case' },
  CASE_EXISTS: { http: 409, origin: 'ledger', title: 'The case already exists' },
  PRECONDITION_FAILED: { http: 409, origin: 'ledger', title: 'The case is not in a state that allows this event' },
  CASE_CLOSED: { http: 409, origin: 'ledger', title: 'The case is closed' },
  IDEMPOTENCY_CONFLICT: { http: 409, origin: 'ledger', title: 'This sourceMessageId was used for different content' },
  UNKNOWN_CODE_VALUE: { http: 422, origin: 'ledger', title: 'A value is not in the value list in force' },
  ALREADY_APPLIED: { http: 200, origin: 'ledger', title: 'Already recorded; the original receipt is returned' },
  PAYLOAD_TOO_LARGE: { http: 413, origin: 'gateway', title: 'The request body is too large' },
  RATE_LIMITED: { http: 429, origin: 'gateway', title: 'Too many requests' },
  LEDGER_UNAVAILABLE: { http: 503, origin: 'gateway', title: 'The ledger cannot take writes right now' },
  LEDGER_TIMEOUT: { http: 504, origin: 'gateway', title: 'The commit status did not arrive in time; retrying is safe' },
} as const satisfies Record<string, { http: number; origin: 'ledger' | 'gateway'; title: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

export const ERROR_CODE_LIST = Object.keys(ERROR_CODES) as ErrorCode[];

/** JSON-safe detail of an error: only codes, event types, field paths and counts, never identifying data. */
export type ErrorDetail = Readonly<Record<string, unknown>>;

/** A domain rule refused the request. `message` is the wire form `[CODE] {json detail}`. */
export class DomainError extends Error {
  override readonly name = 'DomainError';
  readonly code: ErrorCode;
  readonly detail: ErrorDetail;

  constructor(code: ErrorCode, detail: ErrorDetail = {}) {
    super(formatError(code, detail));
    this.code = code;
    this.detail = detail;
  }
}

export function isErrorCode(value: string): value is ErrorCode {
  return Object.prototype.hasOwnProperty.call(ERROR_CODES, value);
}

/** `[CODE] {json}` with keys in a stable order, so the same refusal always reads the same. */
export function formatError(code: ErrorCode, detail: ErrorDetail = {}): string {
  return `[${code}] ${JSON.stringify(sortKeysDeep(detail))}`;
}

const WIRE = /\[([A-Z_]+)\] (\{.*\})\s*$/s;

/**
 * Reads `[CODE] {json}` back from any message that ends with it (peers and gateways wrap chaincode
 * messages in their own text). Returns undefined when the message carries no known code.
 */
export function parseError(message: string): { code: ErrorCode; detail: ErrorDetail } | undefined {
  const match = WIRE.exec(message);
  if (!match) return undefined;
  const [, code, json] = match;
  if (code === undefined || json === undefined || !isErrorCode(code)) return undefined;
  try {
    const detail: unknown = JSON.parse(json);
    if (typeof detail !== 'object' || detail === null || Array.isArray(detail)) return undefined;
    return { code, detail: detail as ErrorDetail };
  } catch {
    return undefined;
  }
}

function sortKeysDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeysDeep((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}
