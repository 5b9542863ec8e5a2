/**
 * The adapter's view of its agency's gateway (REST API of architecture.md). `HttpGatewayClient` talks
 * HTTP; tests use a fake gateway server, so the same client code runs in every test.
 */
import { CaseIdSchema, InstantSchema, ReturnKindSchema, WarningSchema, type ReturnKind } from '@asl/chaincode/domain';
import { z } from 'zod';

/** The event a write sends (`POST /api/v1/cases/{caseId}/events`). */
export interface EventWrite {
  readonly type: string;
  readonly occurredAt: string;
  readonly sourceMessageId: string;
  readonly data: Record<string, unknown>;
  readonly caseDetails?: Record<string, unknown>;
}

/** The body of an import (`POST /api/v1/admin/cases/{caseId}/import`): the facts, with the envelope's id and instant. */
export interface ImportWrite {
  readonly facts: unknown[];
  readonly sourceMessageId: string;
  readonly occurredAt: string;
  readonly caseDetails?: Record<string, unknown>;
}

/** What a successful write answered (kept opaque beyond the transaction id). */
export interface WriteReceipt {
  readonly txId?: string;
  readonly alreadyApplied: boolean;
}

/**
 * The gateway's judgement of a planned return (`POST /api/v1/cases/{caseId}/return-check`, the gateway's
 * `ReturnCheckResponse`): every return rule judged now, nothing written.
 */
export const ReturnCheckAnswerSchema = z.object({
  caseId: CaseIdSchema,
  kind: ReturnKindSchema,
  blocked: z.boolean(),
  warnings: z.array(WarningSchema),
  evaluatedAt: InstantSchema,
});
/** See {@link ReturnCheckAnswerSchema}. */
export type ReturnCheckAnswer = z.infer<typeof ReturnCheckAnswerSchema>;

/** A refusal or failure, reduced to what the delivery logic decides on: status, code, code-only detail. */
export interface GatewayFailure {
  readonly ok: false;
  /** HTTP status; 0 when no answer arrived (connection refused, reset, timeout). */
  readonly status: number;
  readonly code?: string;
  readonly missing?: readonly string[];
  readonly conflicting?: readonly string[];
  readonly retryAfterMs?: number;
}

/** A gateway call's outcome. */
export type GatewayResult<T> = { readonly ok: true; readonly value: T } | GatewayFailure;

/** The port. */
export interface GatewayClient {
  /** `POST /api/v1/case-ids`: the case pseudonym of an AZR number. */
  caseId(azrNumber: string): Promise<GatewayResult<string>>;
  /** `POST /api/v1/court-refs`: the court-proceedings pseudonym. */
  courtRef(court: string, fileNumber: string): Promise<GatewayResult<string>>;
  /** `POST /api/v1/cases/{caseId}/events`. */
  recordEvent(caseId: string, write: EventWrite): Promise<GatewayResult<WriteReceipt>>;
  /** `POST /api/v1/admin/cases/{caseId}/import` (admin token). */
  importCase(caseId: string, body: ImportWrite): Promise<GatewayResult<WriteReceipt>>;
  /** `POST /api/v1/cases/{caseId}/return-check` (ZAB adapter only; the BAMF gateway answers `FORBIDDEN_ROLE`). */
  returnCheck(caseId: string, kind: ReturnKind): Promise<GatewayResult<ReturnCheckAnswer>>;
}

/** Options of the HTTP client. */
export interface HttpGatewayClientOptions {
  readonly baseUrl: string;
  readonly token: string;
  /** Used for the import route; without it the adapter's own token is sent (and refused). */
  readonly adminToken?: string;
  readonly timeoutMs: number;
}

/** The gateway's problem+json (`gateway/src/http/problem.ts`): the code and a whitelisted `details` object. */
const ProblemSchema = z.looseObject({
  code: z.string().optional(),
  details: z.unknown().optional(),
});

const DetailSchema = z.looseObject({ missing: z.array(z.string()).optional(), conflicting: z.array(z.string()).optional() });

const WriteAnswerSchema = z.looseObject({ receipt: z.looseObject({ txId: z.string().optional() }).optional(), code: z.string().optional() });

/** Reads `Retry-After` (seconds or an HTTP date) as milliseconds from `now`. */
export function retryAfterMs(header: string | null, now: number): number | undefined {
  if (header === null) return undefined;
  const t = header.trim();
  if (/^\d+$/.test(t)) return Number(t) * 1000;
  const at = Date.parse(t);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** The gateway client over HTTP (Node's fetch). */
export class HttpGatewayClient implements GatewayClient {
  constructor(private readonly options: HttpGatewayClientOptions) {}

  private async call(path: string, body: unknown, token: string): Promise<{ status: number; json: unknown; retryAfter: string | null } | GatewayFailure> {
    try {
      const res = await fetch(new URL(path, this.options.baseUrl), {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      const text = await res.text();
      let json: unknown = undefined;
      try {
        json = text === '' ? undefined : JSON.parse(text);
      } catch {
        json = undefined;
      }
      return { status: res.status, json, retryAfter: res.headers.get('retry-after') };
    } catch {
      return { ok: false, status: 0 };
    }
  }

  private failure(status: number, json: unknown, retryAfter: string | null): GatewayFailure {
    const problem = ProblemSchema.safeParse(json);
    const p = problem.success ? problem.data : {};
    const details = DetailSchema.safeParse(p.details);
    const { missing, conflicting } = details.success ? details.data : {};
    const wait = retryAfterMs(retryAfter, Date.now());
    return {
      ok: false,
      status,
      ...(p.code === undefined ? {} : { code: p.code }),
      ...(missing === undefined ? {} : { missing }),
      ...(conflicting === undefined ? {} : { conflicting }),
      ...(wait === undefined ? {} : { retryAfterMs: wait }),
    };
  }

  private async pseudonym(path: string, body: unknown, field: 'caseId' | 'courtRef'): Promise<GatewayResult<string>> {
    const r = await this.call(path, body, this.options.token);
    if ('ok' in r) return r;
    if (r.status === 200 || r.status === 201) {
      const parsed = z.looseObject({ [field]: z.string() }).safeParse(r.json);
      const value = parsed.success ? parsed.data[field] : undefined;
      if (typeof value === 'string') return { ok: true, value };
      return { ok: false, status: 502, code: 'BAD_GATEWAY_ANSWER' };
    }
    return this.failure(r.status, r.json, r.retryAfter);
  }

  caseId(azrNumber: string): Promise<GatewayResult<string>> {
    return this.pseudonym('/api/v1/case-ids', { azrNumber }, 'caseId');
  }

  courtRef(court: string, fileNumber: string): Promise<GatewayResult<string>> {
    return this.pseudonym('/api/v1/court-refs', { court, fileNumber }, 'courtRef');
  }

  private async write(path: string, body: unknown, token: string): Promise<GatewayResult<WriteReceipt>> {
    const r = await this.call(path, body, token);
    if ('ok' in r) return r;
    const answer = WriteAnswerSchema.safeParse(r.json);
    const txId = answer.success ? answer.data.receipt?.txId : undefined;
    const alreadyApplied = answer.success && answer.data.code === 'ALREADY_APPLIED';
    if (r.status === 201 || (r.status === 200 && (alreadyApplied || txId !== undefined))) {
      return { ok: true, value: { alreadyApplied: r.status === 200, ...(txId === undefined ? {} : { txId }) } };
    }
    return this.failure(r.status, r.json, r.retryAfter);
  }

  recordEvent(caseId: string, write: EventWrite): Promise<GatewayResult<WriteReceipt>> {
    return this.write(`/api/v1/cases/${encodeURIComponent(caseId)}/events`, write, this.options.token);
  }

  importCase(caseId: string, body: ImportWrite): Promise<GatewayResult<WriteReceipt>> {
    return this.write(`/api/v1/admin/cases/${encodeURIComponent(caseId)}/import`, body, this.options.adminToken ?? this.options.token);
  }

  async returnCheck(caseId: string, kind: ReturnKind): Promise<GatewayResult<ReturnCheckAnswer>> {
    const r = await this.call(`/api/v1/cases/${encodeURIComponent(caseId)}/return-check`, { kind }, this.options.token);
    if ('ok' in r) return r;
    if (r.status !== 200) return this.failure(r.status, r.json, r.retryAfter);
    const answer = ReturnCheckAnswerSchema.safeParse(r.json);
    return answer.success ? { ok: true, value: answer.data } : { ok: false, status: 502, code: 'BAD_GATEWAY_ANSWER' };
  }
}
