/**
 * A fake gateway: a small in-process HTTP server that answers like one agency's REST API for the routes an
 * adapter writes through (case-ids, court-refs, events, import), in the real gateway's shapes (bodies checked
 * with the gateway's own request schemas, `WriteResponse` answers, problem+json with `details`). It runs no
 * domain rules: any valid event is recorded, idempotency by `sourceMessageId` and content (domain.md §6), and a
 * test scripts refusals and outages. `test/live/gateway-contract.net.test.ts` compares it with the real gateway.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  DomainError,
  EventInputSchema,
  RULE_VERSION,
  StoredEventSchema,
  canonicalJson,
  caseIdFor,
  courtRefFor,
  receiptOf,
  type Receipt,
  type StoredEvent,
  type Warning,
} from '@asl/chaincode/domain';
import { CaseIdRequestSchema, CourtRefRequestSchema, EventRequestSchema, ImportRequestSchema } from '../../../gateway/src/api/schemas';
import { issuesOf, notFoundLike, sendJson, sendProblem } from './fake-problem';

export const FAKE_KEY = new Uint8Array(32).fill(7);
export const FAKE_TOKEN = 'asl_fake-adapter-token';
/** The agency admin's token: the import route takes only this one, as the real route takes only `admin`. */
export const FAKE_ADMIN_TOKEN = 'asl_fake-admin-token';

/**
 * A scripted answer: a code of the shared error table (status from the table unless given), or a bare
 * status without a code (as the gateway answers an unknown route).
 */
export interface ScriptedProblem {
  status?: number;
  code?: string;
  details?: Record<string, unknown>;
  retryAfter?: string;
}

/** One write the fake recorded (or answered as already applied). */
export interface AppliedWrite {
  caseId: string;
  type: string;
  sourceMessageId: string;
  data: Record<string, unknown>;
  caseDetails?: Record<string, unknown>;
}

/** A recorded write's answer, repeated for `ALREADY_APPLIED`. */
interface WriteAnswer {
  readonly receipt: Receipt;
  readonly event: StoredEvent;
  readonly warnings: Warning[];
}

export class FakeGateway {
  private server: Server | undefined;
  readonly applied: AppliedWrite[] = [];
  readonly requests: { path: string; body: unknown }[] = [];
  alreadyAppliedCount = 0;
  private readonly byId = new Map<string, { hash: string; answer: WriteAnswer }>();
  /** Called before a write is judged; return a problem to refuse it. */
  script: ((write: AppliedWrite, fake: FakeGateway) => ScriptedProblem | undefined) | undefined;
  /** Answer every request with this problem (outage), when set. */
  outage: ScriptedProblem | undefined;
  latencyMs = 0;

  constructor(
    private readonly token = FAKE_TOKEN,
    readonly mspId: 'BamfMSP' | 'ZabSachsenMSP' = 'ZabSachsenMSP',
    private readonly adminToken = FAKE_ADMIN_TOKEN,
  ) {}

  get url(): string {
    const address = this.server?.address() as AddressInfo | undefined;
    if (address === undefined) throw new Error('not started');
    return `http://127.0.0.1:${address.port}`;
  }

  typesOf(caseId: string): string[] {
    return this.applied.filter((a) => a.caseId === caseId).map((a) => a.type);
  }

  async start(port = 0): Promise<void> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch(() => {
        if (!res.headersSent) sendProblem(res, 'LEDGER_UNAVAILABLE');
        else res.end();
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(port, '127.0.0.1', resolve));
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (server === undefined) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private problem(res: ServerResponse, p: ScriptedProblem): void {
    if (p.code === undefined) return notFoundLike(res, p.status ?? 404);
    sendProblem(res, p.code, { ...(p.status === undefined ? {} : { status: p.status }), ...(p.details ? { details: p.details } : {}), ...(p.retryAfter ? { retryAfter: p.retryAfter } : {}) });
  }

  /** The stored event and receipt of a new write (no domain rules: the fake records whatever is valid). */
  private record(write: AppliedWrite, occurredAt: string, role: 'adapter' | 'admin'): WriteAnswer {
    const txId = createHash('sha256').update(`${write.sourceMessageId}|${this.applied.length}|${randomBytes(8).toString('hex')}`).digest('hex');
    const event: StoredEvent = StoredEventSchema.parse({
      caseId: write.caseId,
      occurredAt,
      sourceMessageId: write.sourceMessageId,
      type: write.type,
      data: write.data,
      recordedAt: new Date().toISOString(),
      txId,
      actor: { mspId: this.mspId, enrollmentId: `fake-${role}`, role },
      writerKind: this.mspId === 'BamfMSP' ? 'FEDERAL_OFFICE' : 'STATE_AUTHORITY',
      ruleVersion: RULE_VERSION,
      valueListVersions: {},
    });
    const receipt: Receipt = { ...receiptOf(event), blockNumber: String(this.applied.length + 1), txIndex: 0, validationCode: 'VALID', endorsers: ['BamfMSP', 'ZabSachsenMSP'] };
    return { receipt, event, warnings: [] };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    let body: unknown;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      return sendProblem(res, 'INVALID_INPUT', { details: { reason: 'BODY_NOT_JSON' } });
    }
    const path = req.url ?? '';
    this.requests.push({ path, body });
    if (this.latencyMs > 0) await new Promise((r) => setTimeout(r, this.latencyMs));
    if (this.outage) return this.problem(res, this.outage);
    const auth = req.headers.authorization;
    const role = auth === `Bearer ${this.token}` ? 'adapter' : auth === `Bearer ${this.adminToken}` ? 'admin' : undefined;
    if (role === undefined) return sendProblem(res, 'UNAUTHENTICATED');
    if (req.method === 'POST' && path === '/api/v1/case-ids') {
      const parsed = CaseIdRequestSchema.safeParse(body);
      if (!parsed.success) return sendProblem(res, 'INVALID_INPUT', { details: issuesOf(parsed.error) });
      if (role !== 'adapter') return sendProblem(res, 'FORBIDDEN_ROLE');
      try {
        const caseId = caseIdFor(FAKE_KEY, parsed.data.azrNumber);
        return sendJson(res, 200, { caseId, keyVersion: 'k1', exists: this.applied.some((a) => a.caseId === caseId) });
      } catch (error) {
        if (error instanceof DomainError) return sendProblem(res, error.code, { details: { ...error.detail } });
        throw error;
      }
    }
    if (req.method === 'POST' && path === '/api/v1/court-refs') {
      const parsed = CourtRefRequestSchema.safeParse(body);
      if (!parsed.success) return sendProblem(res, 'INVALID_INPUT', { details: issuesOf(parsed.error) });
      if (role !== 'adapter') return sendProblem(res, 'FORBIDDEN_ROLE');
      return sendJson(res, 200, { courtRef: courtRefFor(FAKE_KEY, parsed.data.court, parsed.data.fileNumber), keyVersion: 'k1' });
    }
    const events = /^\/api\/v1\/cases\/(c[a-z2-7]{31})\/events$/.exec(path);
    const imports = /^\/api\/v1\/admin\/cases\/(c[a-z2-7]{31})\/import$/.exec(path);
    if (req.method === 'POST' && (events || imports)) {
      const caseId = (events ?? imports)?.[1] ?? '';
      let input: Record<string, unknown>;
      let caseDetails: unknown;
      if (imports) {
        const parsed = ImportRequestSchema.safeParse(body);
        if (!parsed.success) return sendProblem(res, 'INVALID_INPUT', { details: issuesOf(parsed.error) });
        if (role !== 'admin') return sendProblem(res, 'FORBIDDEN_ROLE');
        caseDetails = parsed.data.caseDetails;
        input = { caseId, type: 'CASE_IMPORTED', occurredAt: parsed.data.occurredAt, sourceMessageId: parsed.data.sourceMessageId, data: { facts: parsed.data.facts } };
      } else {
        const parsed = EventRequestSchema.safeParse(body);
        if (!parsed.success) return sendProblem(res, 'INVALID_INPUT', { details: issuesOf(parsed.error) });
        if (role !== 'adapter') return sendProblem(res, 'FORBIDDEN_ROLE');
        const { caseDetails: details, ...envelope } = parsed.data;
        caseDetails = details;
        input = { ...envelope, caseId };
      }
      const parsed = EventInputSchema.safeParse(input);
      if (!parsed.success) return sendProblem(res, 'INVALID_INPUT', { details: issuesOf(parsed.error) });
      const write: AppliedWrite = {
        caseId,
        type: parsed.data.type,
        sourceMessageId: parsed.data.sourceMessageId,
        data: parsed.data.data,
        ...(caseDetails ? { caseDetails: caseDetails as Record<string, unknown> } : {}),
      };
      const hash = createHash('sha256').update(canonicalJson({ caseId, type: write.type, occurredAt: parsed.data.occurredAt, data: write.data })).digest('hex');
      const known = this.byId.get(write.sourceMessageId);
      if (known) {
        if (known.hash !== hash) return sendProblem(res, 'IDEMPOTENCY_CONFLICT');
        this.alreadyAppliedCount += 1;
        return sendJson(res, 200, known.answer);
      }
      const scripted = this.script?.(write, this);
      if (scripted) return this.problem(res, scripted);
      const answer = this.record(write, parsed.data.occurredAt, role);
      this.byId.set(write.sourceMessageId, { hash, answer });
      this.applied.push(write);
      return sendJson(res, 201, answer);
    }
    notFoundLike(res, 404);
  }
}
