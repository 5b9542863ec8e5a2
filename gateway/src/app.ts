import { randomUUID } from 'node:crypto';
import { EventInputSchema, inCollection, parseValueListProposal, type OrgDirectory, type Role } from '@asl/chaincode/domain';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import { openApiDocument } from './api/openapi';
import { ROUTES, expressPath, type Access, type RouteSpec } from './api/routes';
import type { EventRequest } from './api/schemas';
import { DEFAULT_PAGE_LIMIT } from './api/schemas';
import { SESSION_COOKIE, clearedSessionCookie, readCookie, sessionCookie } from './http/cookies';
import { GatewayError, toProblem } from './http/problem';
import { RateLimiter } from './http/rate-limit';
import { TokenRefused, type TokenService, type TokenSubject } from './identity/tokens';
import type { UserDirectory } from './identity/users';
import type { Metrics } from './ops/metrics';
import type { AccessLog, AccessRecord } from './ports/access-log';
import type { AuditService } from './ports/audit-service';
import { UnavailableAuditService } from './audit-service/block-audit-service';
import type { Caller, CaseLedger, LedgerEntry, WriteResult } from './ports/case-ledger';
import type { StreamItem } from './ports/projection-store';
import type { Pseudonyms } from './pseudonyms/pseudonyms';
import { checkReturn, evaluateCase } from './readmodel/evaluate';
import { ReadModel } from './readmodel/read-model';
import { createUiRouter } from './ui/ui-router';

/** Limits of the HTTP surface. */
export interface AppLimits {
  /** Largest accepted JSON body in bytes (413 above), on every route but the value-list proposal. */
  readonly bodyBytes: number;
  /** Largest accepted value-list proposal body in bytes (413 above): a whole list, e.g. every municipality. */
  readonly valueListProposalBodyBytes: number;
  /** Requests per token: burst and sustained rate (429 above). */
  readonly rateBurst: number;
  readonly ratePerSecond: number;
  /** How long a write waits for the read model to apply it (read-your-writes); 0 disables. */
  readonly projectionWaitMs: number;
  /**
   * `/readyz` fails while the read model has not yet caught up with the ledger since it started (it replays the
   * channel), and afterwards when it is more blocks behind than this.
   */
  readonly maxLagBlocks: number;
  /** SSE heartbeat interval. */
  readonly heartbeatMs: number;
}

/** Everything the app needs; built by server.ts (or a test). */
export interface AppDeps {
  /** This gateway's agency. */
  readonly mspId: string;
  readonly orgs: OrgDirectory;
  readonly ledger: CaseLedger;
  readonly readModel: ReadModel;
  readonly tokens: TokenService;
  readonly users: UserDirectory;
  readonly accessLog: AccessLog;
  /** The auditor's verifier over this agency's copy of the blocks; without one the audit routes answer 503. */
  readonly audit?: AuditService;
  readonly pseudonyms: Pseudonyms;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly now: () => Date;
  readonly limits: AppLimits;
  readonly secureCookies: boolean;
  readonly version: string;
  /**
   * Aborted when the server stops. Open event streams then end (clients resume with `Last-Event-ID`): a stream never
   * finishes by itself, so a graceful stop, which waits for every open request, would otherwise never complete.
   */
  readonly shutdown?: AbortSignal;
}

type Route = (typeof ROUTES)[number];

/** Routes whose body is a whole value list and gets `limits.valueListProposalBodyBytes`; every other route `bodyBytes`. */
const LARGE_BODY_ROUTES: ReadonlySet<string> = new Set<Route['operationId']>(['proposeValueList']);

type Infer<S> = S extends z.ZodType ? z.output<S> : undefined;

/** What a handler sees: the validated parts of the request and the caller. */
export interface HandlerContext<R> {
  readonly params: R extends { params: infer P } ? Infer<P> : undefined;
  readonly query: R extends { query: infer Q } ? Infer<Q> : undefined;
  readonly body: R extends { body: infer B } ? Infer<B> : undefined;
  /** The authenticated subject; undefined only on public routes. */
  readonly subject: TokenSubject | undefined;
  readonly req: Request;
  readonly res: Response;
}

/** A handler's answer, or `'streamed'` when it wrote the response itself. */
type Reply = { status: number; body?: unknown; headers?: Record<string, string> } | 'streamed';

/** The context before the route's schemas give it types. */
interface RawContext {
  readonly params: unknown;
  readonly query: unknown;
  readonly body: unknown;
  readonly subject: TokenSubject | undefined;
  readonly req: Request;
  readonly res: Response;
}

type Handlers = { [R in Route as R['operationId']]: (ctx: HandlerContext<R>) => Promise<Reply> };

interface Locals {
  requestId: string;
  started: bigint;
  route?: string;
  code?: string;
  userId?: string;
  caseId?: string;
  txId?: string;
}

function locals(res: Response): Locals {
  return res.locals as Locals;
}

function toCaller(subject: TokenSubject | undefined): Caller {
  if (!subject) throw new GatewayError('UNAUTHENTICATED');
  return { userId: subject.userId, role: subject.role };
}

function allowed(access: Access, role: Role, mspId: string): boolean {
  if (typeof access !== 'object') return true;
  if (access.zabOnly === true && !inCollection('zabEnforcement', mspId)) return false;
  return access.roles.includes(role);
}

function writeBody(result: WriteResult): { receipt: WriteResult['receipt']; event: WriteResult['event']; warnings: WriteResult['warnings'] } {
  return { receipt: result.receipt, event: result.event, warnings: result.warnings };
}

function timelineItems(entries: readonly LedgerEntry[]) {
  const retracted = ReadModel.retracted(entries);
  return entries.map((e) => ({
    event: { type: e.event.type, occurredAt: e.event.occurredAt, data: e.event.data, sourceMessageId: e.event.sourceMessageId },
    actor: e.event.actor,
    receipt: e.receipt,
    retracted: retracted.has(e.event.txId),
    ...(e.event.confirmationOf !== undefined ? { confirmationOf: e.event.confirmationOf } : {}),
  }));
}

function positionCursor(e: LedgerEntry): string {
  return `${e.receipt.blockNumber}_${e.receipt.txIndex}`;
}

/**
 * Builds the gateway's Express app from its ports. Nothing here reads configuration, opens connections
 * or listens: server.ts does that, tests drive the app in-process.
 */
export function createApp(deps: AppDeps): express.Express {
  const { ledger, readModel, logger, metrics } = deps;
  const audit = deps.audit ?? new UnavailableAuditService();
  const limiter = new RateLimiter({ burst: deps.limits.rateBurst, perSecond: deps.limits.ratePerSecond, now: () => deps.now().getTime() });
  const document = openApiDocument({ title: `Asylum-procedure status ledger gateway (${deps.mspId})`, version: deps.version });
  let heightCache: { value: bigint; at: number } | undefined;

  /** The ledger height, cached for a second; a read keeps working from the read model while the peer is down. */
  async function ledgerHeight(): Promise<bigint | undefined> {
    const now = Date.now();
    if (heightCache && now - heightCache.at < 1000) return heightCache.value;
    try {
      heightCache = { value: await ledger.blockHeight(), at: now };
      return heightCache.value;
    } catch {
      return heightCache?.value;
    }
  }

  /** The caller of a ledger write, once the CA confirmed its certificate is not revoked (UserDirectory). */
  async function writer(subject: TokenSubject | undefined): Promise<Caller> {
    const caller = toCaller(subject);
    await deps.users.ensureCertificateValid(caller.userId);
    return caller;
  }

  async function logAccess(subject: TokenSubject | undefined, caseId: string, resource: AccessRecord['resource'], fields: readonly string[]): Promise<void> {
    const caller = toCaller(subject);
    await deps.accessLog.append({ at: deps.now().toISOString(), userId: caller.userId, role: caller.role, caseId, resource, fields });
  }

  async function afterWrite(res: Response, result: WriteResult): Promise<void> {
    locals(res).txId = result.receipt.txId;
    metrics.inc('asl_ledger_submits_total', 'Ledger writes by outcome', { outcome: result.alreadyApplied ? 'already_applied' : 'committed' });
    if (deps.limits.projectionWaitMs > 0) {
      await readModel.waitFor({ blockNumber: result.receipt.blockNumber, txIndex: result.receipt.txIndex }, deps.limits.projectionWaitMs);
    }
  }

  async function viewResponse(subject: TokenSubject | undefined, caseId: string, consistent: boolean) {
    const now = deps.now().toISOString();
    let view;
    if (consistent) {
      const entries = await ledger.getTimeline(toCaller(subject), caseId);
      view = entries && entries.length > 0 ? evaluateCase(entries.map((e) => e.event), now, deps.orgs) : undefined;
    } else {
      view = await readModel.caseView(caseId, now);
    }
    if (!view) throw new GatewayError('CASE_NOT_FOUND');
    const projectionHeight = await readModel.projectionHeight();
    const ledgerH = (await ledgerHeight()) ?? projectionHeight;
    return { ...view, evaluatedAt: now, ledgerHeight: ledgerH.toString(), projectionHeight: projectionHeight.toString() };
  }

  const handlers: Handlers = {
    createCaseId: async ({ body, subject }) => {
      const caller = toCaller(subject);
      return { status: 200, body: await deps.pseudonyms.caseIdFor(body.azrNumber, (caseId) => ledger.caseExists(caller, caseId)) };
    },
    createCourtRef: ({ body }) => Promise.resolve({ status: 200, body: deps.pseudonyms.courtRefFor(body.court, body.fileNumber) }),
    recordEvent: async ({ params, body, subject, res }) => {
      locals(res).caseId = params.caseId;
      const { caseDetails, ...envelope } = body as EventRequest;
      const input = EventInputSchema.parse({ ...envelope, caseId: params.caseId });
      const result = await ledger.submitEvent(await writer(subject), input, caseDetails);
      await afterWrite(res, result);
      return { status: result.alreadyApplied ? 200 : 201, body: writeBody(result) };
    },
    putEnforcement: async ({ params, body, subject, res }) => {
      locals(res).caseId = params.caseId;
      const committed = await ledger.putEnforcement(await writer(subject), params.caseId, body);
      locals(res).txId = committed.txId;
      return { status: 200, body: committed };
    },
    checkReturn: async ({ params, body, res }) => {
      locals(res).caseId = params.caseId;
      const entries = await readModel.entries(params.caseId);
      if (!entries) throw new GatewayError('CASE_NOT_FOUND');
      const now = deps.now().toISOString();
      const warnings = checkReturn(entries.map((e) => e.event), body.kind, now);
      return { status: 200, body: { caseId: params.caseId, kind: body.kind, blocked: warnings.some((w) => w.severity === 'BLOCKING'), warnings, evaluatedAt: now } };
    },
    getCase: async ({ params, query, subject, res }) => {
      locals(res).caseId = params.caseId;
      const body = await viewResponse(subject, params.caseId, query.consistent === 'true');
      await logAccess(subject, params.caseId, 'view', Object.keys(body));
      return { status: 200, body };
    },
    getTimeline: async ({ params, query, subject, res }) => {
      locals(res).caseId = params.caseId;
      const entries = await readModel.entries(params.caseId);
      if (!entries) throw new GatewayError('CASE_NOT_FOUND');
      const limit = query.limit ?? DEFAULT_PAGE_LIMIT;
      const start = query.cursor === undefined ? 0 : entries.findIndex((e) => positionCursor(e) === query.cursor) + 1;
      if (start === 0 && query.cursor !== undefined) throw new GatewayError('INVALID_INPUT', { field: 'cursor' });
      const page = entries.slice(start, start + limit);
      const items = timelineItems(entries).slice(start, start + limit);
      const last = page[page.length - 1];
      await logAccess(subject, params.caseId, 'timeline', ['event', 'actor', 'receipt', 'retracted']);
      return { status: 200, body: { caseId: params.caseId, items, ...(start + limit < entries.length && last ? { cursor: positionCursor(last) } : {}) } };
    },
    getDetails: async ({ params, subject, res }) => {
      locals(res).caseId = params.caseId;
      const records = await ledger.getCaseDetails(toCaller(subject), params.caseId);
      const fields = records.flatMap((r) => (r.state === 'present' ? Object.keys(r.record.details).map((f) => `${r.agency}.${f}`) : [`${r.agency}.erased`]));
      await logAccess(subject, params.caseId, 'details', fields);
      const body = {
        caseId: params.caseId,
        records: records.map((r) => {
          if (r.state === 'erased') return r;
          return { agency: r.agency, state: r.state, record: r.record };
        }),
      };
      return { status: 200, body };
    },
    listCases: async ({ query }) => {
      const page = await readModel.list(
        { ...(query.phase ? { phase: query.phase } : {}), ...(query.warning ? { warning: query.warning } : {}), ...(query.action ? { action: query.action } : {}) },
        query.limit ?? DEFAULT_PAGE_LIMIT,
        query.cursor,
      );
      return { status: 200, body: page };
    },
    listWarnings: async ({ query }) => {
      const items = await readModel.warnings({
        ...(query.severity ? { severity: query.severity } : {}),
        ...(query.acknowledged !== undefined ? { acknowledged: query.acknowledged } : {}),
      });
      return { status: 200, body: { items, evaluatedAt: deps.now().toISOString() } };
    },
    listActions: async () => ({ status: 200, body: { items: await readModel.actions(), evaluatedAt: deps.now().toISOString() } }),
    getStats: async ({ query }) => {
      if (query.from !== undefined && query.to !== undefined && query.from > query.to) throw new GatewayError('INVALID_INPUT', { field: 'from' });
      const stats = await readModel.stats(query.from, query.to);
      return { status: 200, body: { from: query.from ?? null, to: query.to ?? null, ...stats, evaluatedAt: deps.now().toISOString() } };
    },
    streamEvents: async ({ req, res, query }) => {
      const header = req.get('last-event-id');
      if (header !== undefined && !/^\d{1,15}$/.test(header)) throw new GatewayError('INVALID_INPUT', { field: 'Last-Event-ID' });
      // A Last-Event-ID (EventSource's reconnect, an adapter's checkpoint) wins over `from=head`, so a client
      // that connected at the head resumes without a gap.
      const atHead = header === undefined && query.from === 'head';
      let sent = header === undefined ? 0 : Number(header);
      let closed = false;
      let started = false;
      let pumping = false;
      let again = false;
      const write = (item: StreamItem): void => {
        if (item.seq <= sent) return;
        const data =
          item.kind === 'event'
            ? { seq: item.seq, caseId: item.caseId, event: item.entry.event, receipt: item.entry.receipt, warnings: item.entry.warnings }
            : { seq: item.seq, caseId: item.caseId, warning: item.warning };
        res.write(`id: ${item.seq}\nevent: ${item.kind === 'event' ? 'case-event' : 'warning'}\ndata: ${JSON.stringify(data)}\n\n`);
        sent = item.seq;
      };
      const pump = async (): Promise<void> => {
        if (!started) return;
        if (pumping) {
          again = true;
          return;
        }
        pumping = true;
        try {
          do {
            again = false;
            for (;;) {
              const batch = await readModel.streamAfter(sent, 100);
              if (closed || batch.length === 0) break;
              for (const item of batch) write(item);
            }
          } while (again && !closed);
        } finally {
          pumping = false;
        }
      };
      // Subscribe first, then read the head: an item appended after the head was read is either in the first
      // pump's read or announced to the listener; items at or before the head are dropped (write()).
      const unsubscribe = readModel.onItem(() => void pump().catch((error: unknown) => logger.warn({ err: { name: (error as Error).name } }, 'sse pump failed')));
      req.on('close', () => {
        closed = true;
        unsubscribe();
      });
      try {
        if (atHead) sent = await readModel.streamHead();
      } catch (error) {
        unsubscribe();
        throw error;
      }
      // The headers go out only once the head is fixed, so whatever is written after a client saw the stream
      // open comes after the head.
      res.status(200).set({ 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
      res.flushHeaders();
      // An id-only message: sets the client's Last-Event-ID to the head without dispatching an event, so a
      // reconnect before any item resumes from here.
      if (atHead) res.write(`id: ${sent}\n\n`);
      const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), deps.limits.heartbeatMs);
      // End the stream and its connection: a kept-alive idle connection would hold the closing server open too.
      const endStream = (): void => {
        const socket = req.socket;
        res.end(() => socket.end());
      };
      deps.shutdown?.addEventListener('abort', endStream, { once: true });
      req.on('close', () => {
        clearInterval(heartbeat);
        deps.shutdown?.removeEventListener('abort', endStream);
      });
      if (closed) clearInterval(heartbeat);
      if (deps.shutdown?.aborted) endStream();
      started = true;
      await pump();
      return 'streamed';
    },
    exportCase: async ({ params, subject, res }) => {
      locals(res).caseId = params.caseId;
      const view = await viewResponse(subject, params.caseId, false);
      const entries = (await readModel.entries(params.caseId)) ?? [];
      await logAccess(subject, params.caseId, 'export', ['view', 'timeline', 'receipts']);
      return {
        status: 200,
        body: {
          caseId: params.caseId,
          exportedAt: deps.now().toISOString(),
          view,
          timeline: timelineItems(entries),
          proofs: {
            note: 'Each receipt names its block and transaction index; verify them against either agency’s blocks with asl-audit (gateway/README.md, Audit verifier).',
            receipts: entries.map((e) => ({ txId: e.receipt.txId, blockNumber: e.receipt.blockNumber, txIndex: e.receipt.txIndex })),
          },
        },
      };
    },
    getReceipt: async ({ params, res }) => {
      locals(res).txId = params.txId;
      const receipt = await audit.receipt(params.txId);
      if (!receipt) throw new GatewayError('CASE_NOT_FOUND', { reason: 'UNKNOWN_TRANSACTION' });
      return { status: 200, body: receipt };
    },
    verifyLedger: async ({ body }) => {
      const checkpoint = body.checkpoint && { blockNumber: Number(body.checkpoint.blockNumber), blockHash: body.checkpoint.blockHash };
      const report = await audit.verify({
        ...(body.fromBlock !== undefined ? { fromBlock: body.fromBlock } : {}),
        ...(body.toBlock !== undefined ? { toBlock: body.toBlock } : {}),
        ...(checkpoint ? { checkpoint } : {}),
      });
      return { status: 200, body: report };
    },
    getAccessLog: async ({ query }) => {
      const limit = query.limit ?? DEFAULT_PAGE_LIMIT;
      const items = await deps.accessLog.query({
        limit,
        ...(query.caseId ? { caseId: query.caseId } : {}),
        ...(query.from ? { from: query.from } : {}),
        ...(query.to ? { to: query.to } : {}),
        ...(query.cursor ? { afterSeq: Number(query.cursor) } : {}),
      });
      const last = items[items.length - 1];
      const chainIntact = (await deps.accessLog.verify()) === undefined;
      return { status: 200, body: { items, ...(items.length === limit && last ? { cursor: String(last.seq) } : {}), chainIntact } };
    },
    createSession: async ({ body, res }) => {
      const subject = await authenticateToken(body.token);
      locals(res).userId = subject.userId;
      const maxAge = (Date.parse(subject.expiresAt) - deps.now().getTime()) / 1000;
      return { status: 200, body: { userId: subject.userId, role: subject.role, expiresAt: subject.expiresAt }, headers: { 'set-cookie': sessionCookie(body.token, maxAge, deps.secureCookies) } };
    },
    deleteSession: () => Promise.resolve({ status: 204, headers: { 'set-cookie': clearedSessionCookie(deps.secureCookies) } }),
    createUser: async ({ body }) => ({ status: 201, body: await deps.users.create(body.userId, body.role) }),
    issueToken: async ({ params }) => ({ status: 201, body: await deps.users.issueToken(params.userId) }),
    revokeToken: async ({ params }) => {
      await deps.users.revokeToken(params.userId, params.tokenId);
      return { status: 204 };
    },
    revokeUser: async ({ params }) => ({ status: 200, body: { userId: params.userId, ...(await deps.users.revokeUser(params.userId)) } }),
    importCase: async ({ params, body, subject, res }) => {
      locals(res).caseId = params.caseId;
      const result = await ledger.importCase(
        await writer(subject),
        { caseId: params.caseId, sourceMessageId: body.sourceMessageId, occurredAt: body.occurredAt, facts: body.facts },
        body.caseDetails,
      );
      await afterWrite(res, result);
      return { status: result.alreadyApplied ? 200 : 201, body: writeBody(result) };
    },
    purgeCase: async ({ params, body, subject, res }) => {
      locals(res).caseId = params.caseId;
      const result = await ledger.purge(await writer(subject), { caseId: params.caseId, ...body });
      await afterWrite(res, result);
      return { status: result.alreadyApplied ? 200 : 201, body: writeBody(result) };
    },
    listValueLists: async ({ subject }) => ({ status: 200, body: await ledger.listValueLists(toCaller(subject)) }),
    getValueList: async ({ params, query, subject }) => ({ status: 200, body: await ledger.getValueList(toCaller(subject), params.list, query.version) }),
    diffValueLists: async ({ params, query, subject }) => ({
      status: 200,
      body: await ledger.diffValueLists(toCaller(subject), params.list, query.from, query.to),
    }),
    proposeValueList: async ({ params, body, subject }) => {
      const proposal = parseValueListProposal({ list: params.list, version: body.version, entries: body.entries });
      return { status: 201, body: await ledger.proposeValueList(await writer(subject), proposal) };
    },
    approveValueList: async ({ params, body, subject }) => ({
      status: 201,
      body: await ledger.approveValueList(await writer(subject), { list: params.list, version: params.version, contentHash: body.contentHash }),
    }),
    healthz: () => Promise.resolve({ status: 200, body: { status: 'ok' } }),
    readyz: async () => {
      let peer: { ok: boolean; detail?: string };
      let lagOk = false;
      let lagDetail = 'unknown';
      try {
        const height = await withTimeout(ledger.blockHeight(), 2000);
        heightCache = { value: height, at: Date.now() };
        peer = { ok: true };
        const lag = await readModel.lag(height);
        lagOk = lag.caughtUp && lag.blocks <= BigInt(deps.limits.maxLagBlocks);
        lagDetail = lag.caughtUp ? `${lag.blocks} blocks behind` : `catching up: ${lag.blocks} blocks behind`;
      } catch {
        peer = { ok: false, detail: 'peer unreachable' };
      }
      const ok = peer.ok && lagOk;
      return { status: ok ? 200 : 503, body: { status: ok ? 'ok' : 'unavailable', checks: { peer, readModel: { ok: lagOk, detail: lagDetail } } } };
    },
    metrics: async () => ({ status: 200, body: await metrics.render(), headers: { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' } }),
    openapi: () => Promise.resolve({ status: 200, body: document }),
  };

  async function authenticateToken(token: string): Promise<TokenSubject> {
    try {
      return await deps.tokens.authenticate(token);
    } catch (error) {
      if (error instanceof TokenRefused) throw new GatewayError('UNAUTHENTICATED');
      throw error;
    }
  }

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);

  app.use((req: Request, res: Response, next: NextFunction) => {
    const l = locals(res);
    l.requestId = randomUUID();
    l.started = process.hrtime.bigint();
    res.set({
      'x-request-id': l.requestId,
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-store',
      'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
      'cross-origin-resource-policy': 'same-origin',
    });
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - l.started) / 1e9;
      const route = l.route ?? 'unmatched';
      metrics.inc('asl_http_requests_total', 'HTTP requests by route and status', { method: req.method, route, status: String(res.statusCode) });
      metrics.observe('asl_http_request_duration_seconds', 'HTTP request latency by route', seconds, { method: req.method, route });
      logger.info(
        {
          requestId: l.requestId,
          method: req.method,
          route,
          status: res.statusCode,
          durationMs: Math.round(seconds * 1000 * 100) / 100,
          ...(l.code ? { code: l.code } : {}),
          ...(l.userId ? { userId: l.userId } : {}),
          ...(l.caseId ? { caseId: l.caseId } : {}),
          ...(l.txId ? { txId: l.txId } : {}),
        },
        'request',
      );
    });
    next();
  });
  const jsonBody = (limit: number) => express.json({ limit, strict: true, type: ['application/json', 'application/*+json'] });
  const smallBody = jsonBody(deps.limits.bodyBytes);
  const largeBody = jsonBody(deps.limits.valueListProposalBodyBytes);

  for (const spec of ROUTES as readonly RouteSpec[]) {
    const handler = (handlers as unknown as Record<string, ((ctx: RawContext) => Promise<Reply>) | undefined>)[spec.operationId];
    if (!handler) throw new Error(`no handler for ${spec.operationId}`);
    const bodyParser = LARGE_BODY_ROUTES.has(spec.operationId) ? largeBody : smallBody;
    app[spec.method](expressPath(spec.path), bodyParser, async (req: Request, res: Response) => {
      const l = locals(res);
      l.route = spec.path;
      let subject: TokenSubject | undefined;
      if (spec.access !== 'public') {
        const header = req.get('authorization');
        const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : readCookie(req.get('cookie'), SESSION_COOKIE);
        if (token === undefined || token === '') throw new GatewayError('UNAUTHENTICATED');
        subject = await authenticateToken(token);
        l.userId = subject.userId;
        const wait = limiter.take(subject.tokenId);
        if (wait > 0) throw new GatewayError('RATE_LIMITED', {}, wait);
      }
      const ctx: RawContext = {
        params: spec.params ? spec.params.parse(req.params) : undefined,
        query: spec.query ? spec.query.parse({ ...(req.query as Record<string, unknown>) }) : undefined,
        body: spec.body ? spec.body.parse(req.body) : undefined,
        subject,
        req,
        res,
      };
      if (subject && !allowed(spec.access, subject.role, deps.mspId)) throw new GatewayError('FORBIDDEN_ROLE');
      const reply = await handler(ctx);
      if (reply === 'streamed') return;
      res.status(reply.status).set(reply.headers ?? {});
      if (reply.body === undefined) res.end();
      else if (typeof reply.body === 'string') res.send(reply.body);
      else res.json(reply.body);
    });
  }

  app.use(createUiRouter({ mspId: deps.mspId }));

  app.use((_req: Request, res: Response) => {
    res.status(404).type('application/problem+json').send(JSON.stringify({ type: 'about:blank', title: 'Not Found', status: 404 }));
  });

  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const mapped = toProblem(error, locals(res).requestId);
    locals(res).code = mapped.code;
    if (mapped.status >= 500) {
      const name = error instanceof Error ? error.name : typeof error;
      logger.error({ requestId: locals(res).requestId, code: mapped.code, errName: name }, 'request failed');
    }
    if (res.headersSent) {
      res.end();
      return;
    }
    res.status(mapped.status).set(mapped.headers).send(JSON.stringify(mapped.body));
  });

  return app;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timeout')), ms);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}
