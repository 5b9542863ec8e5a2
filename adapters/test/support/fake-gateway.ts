/**
 * A fake gateway: a small in-process HTTP server that answers like the REST API of architecture.md
 * for the routes an adapter uses (case-ids, court-refs, events, import). It validates writes with the
 * domain's schema, keeps idempotency by `sourceMessageId` and content hash (domain.md §6), and lets a
 * test script refusals and outages.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EventInputSchema, canonicalJson, caseIdFor, courtRefFor } from '@asl/chaincode/domain';

export const FAKE_KEY = new Uint8Array(32).fill(7);
export const FAKE_TOKEN = 'asl_fake-adapter-token';

/** A scripted answer. */
export interface ScriptedProblem {
  status: number;
  code?: string;
  detail?: Record<string, unknown>;
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

export class FakeGateway {
  private server: Server | undefined;
  readonly applied: AppliedWrite[] = [];
  readonly requests: { path: string; body: unknown }[] = [];
  alreadyAppliedCount = 0;
  private readonly byId = new Map<string, { hash: string; txId: string }>();
  /** Called before a write is judged; return a problem to refuse it. */
  script: ((write: AppliedWrite, fake: FakeGateway) => ScriptedProblem | undefined) | undefined;
  /** Answer every request with this problem (outage), when set. */
  outage: ScriptedProblem | undefined;
  latencyMs = 0;

  constructor(private readonly token = FAKE_TOKEN) {}

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
        res.statusCode = 500;
        res.end();
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

  private send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'content-type': status >= 400 ? 'application/problem+json' : 'application/json', ...headers });
    res.end(JSON.stringify(body));
  }

  private problem(res: ServerResponse, p: ScriptedProblem): void {
    this.send(res, p.status, { status: p.status, code: p.code, title: p.code, ...(p.detail ? { detail: p.detail } : {}) }, p.retryAfter ? { 'retry-after': p.retryAfter } : {});
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    let body: unknown;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return this.problem(res, { status: 400, code: 'INVALID_INPUT' });
    }
    const path = req.url ?? '';
    this.requests.push({ path, body });
    if (this.latencyMs > 0) await new Promise((r) => setTimeout(r, this.latencyMs));
    if (this.outage) return this.problem(res, this.outage);
    if (req.headers.authorization !== `Bearer ${this.token}`) return this.problem(res, { status: 401, code: 'UNAUTHENTICATED' });
    const b = (body ?? {}) as Record<string, unknown>;
    if (req.method === 'POST' && path === '/api/v1/case-ids') {
      try {
        return this.send(res, 200, { caseId: caseIdFor(FAKE_KEY, String(b['azrNumber'])) });
      } catch {
        return this.problem(res, { status: 400, code: 'INVALID_INPUT' });
      }
    }
    if (req.method === 'POST' && path === '/api/v1/court-refs') {
      return this.send(res, 200, { courtRef: courtRefFor(FAKE_KEY, String(b['court']), String(b['fileNumber'])) });
    }
    const events = /^\/api\/v1\/cases\/([a-z2-7]+)\/events$/.exec(path);
    const imports = /^\/api\/v1\/admin\/cases\/([a-z2-7]+)\/import$/.exec(path);
    if (req.method === 'POST' && (events || imports)) {
      const caseId = (events ?? imports)?.[1] ?? '';
      const input = imports
        ? { caseId, type: 'CASE_IMPORTED', occurredAt: '2025-01-01T00:00:00Z', sourceMessageId: `import-${caseId}`, data: { facts: b['facts'] } }
        : { caseId, type: b['type'], occurredAt: b['occurredAt'], sourceMessageId: b['sourceMessageId'], data: b['data'] };
      const parsed = EventInputSchema.safeParse(input);
      if (!parsed.success) return this.problem(res, { status: 400, code: 'INVALID_INPUT' });
      const write: AppliedWrite = {
        caseId,
        type: parsed.data.type,
        sourceMessageId: parsed.data.sourceMessageId,
        data: parsed.data.data,
        ...(b['caseDetails'] ? { caseDetails: b['caseDetails'] as Record<string, unknown> } : {}),
      };
      const hash = createHash('sha256').update(canonicalJson({ caseId, type: write.type, occurredAt: parsed.data.occurredAt, data: write.data })).digest('hex');
      const known = this.byId.get(write.sourceMessageId);
      if (known) {
        if (known.hash !== hash) return this.problem(res, { status: 409, code: 'IDEMPOTENCY_CONFLICT' });
        this.alreadyAppliedCount += 1;
        return this.send(res, 200, { code: 'ALREADY_APPLIED', receipt: { txId: known.txId }, event: input, warnings: [] });
      }
      const scripted = this.script?.(write, this);
      if (scripted) return this.problem(res, scripted);
      const txId = createHash('sha256').update(`${write.sourceMessageId}|${this.applied.length}`).digest('hex');
      this.byId.set(write.sourceMessageId, { hash, txId });
      this.applied.push(write);
      return this.send(res, 201, { receipt: { txId }, event: input, warnings: [] });
    }
    return this.problem(res, { status: 404, code: 'NOT_FOUND' });
  }
}
