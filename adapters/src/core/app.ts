/**
 * The adapter's HTTP surface, built apart from listening (style.md): `POST /messages` and
 * `POST /return-check` for the case system, health and metrics like the gateway's, and the operators'
 * dead-letter and purge routes (Bearer operator token).
 */
import { timingSafeEqual, createHash } from 'node:crypto';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import { ReturnKindSchema } from '@asl/chaincode/domain';
import { z } from 'zod';
import type { Dispatcher } from './dispatcher';
import type { GatewayClient, GatewayFailure } from './gateway-client';
import type { Inbound } from './inbound';
import type { DeadLetters, Outbox } from './outbox';

/** What the app needs. */
export interface AppDeps {
  readonly inbound: Inbound;
  readonly dispatcher: Dispatcher;
  readonly outbox: Outbox;
  readonly deadLetters: DeadLetters;
  /** The agency's gateway, for the case system's return check (the adapter's own token). */
  readonly gateway: Pick<GatewayClient, 'caseId' | 'returnCheck'>;
  readonly operatorToken: string;
  readonly maxBytes: number;
  readonly clock: { now(): number };
  readonly logger: Logger;
  /** Further metrics lines (e.g. the outbound side). */
  readonly extraMetrics?: () => string[];
  /** Further stores a purge must reach (the outbound side); returns how many entries were removed. */
  readonly purgeMore?: (selector: { azrNumber?: string; caseId?: string }) => Promise<number>;
}

const PurgeSchema = z.union([z.strictObject({ azrNumber: z.string().min(1).max(32) }), z.strictObject({ caseId: z.string().regex(/^c[a-z2-7]{31}$/) })]);

/** `POST /return-check`: the case system names the case by AZR number; the adapter derives the caseId. */
const ReturnCheckRequestSchema = z.strictObject({ azrNumber: z.string().min(1).max(32), kind: ReturnKindSchema });

function sameToken(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

function problem(res: Response, status: number, code: string): void {
  res.status(status).type('application/problem+json').json({ status, code, title: code });
}

/**
 * A gateway refusal passed on as the gateway answered it (status, `code`, `Retry-After`); no answer at all is
 * `503 LEDGER_UNAVAILABLE`, an answer without a code `502 BAD_GATEWAY_ANSWER`.
 */
function gatewayProblem(res: Response, failure: GatewayFailure): void {
  if (failure.retryAfterMs !== undefined) res.set('retry-after', String(Math.ceil(failure.retryAfterMs / 1000)));
  if (failure.status === 0) problem(res, 503, 'LEDGER_UNAVAILABLE');
  else if (failure.code === undefined) problem(res, 502, 'BAD_GATEWAY_ANSWER');
  else problem(res, failure.status, failure.code);
}

/** The Express app of one adapter. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');

  app.post('/messages', express.raw({ type: () => true, limit: deps.maxBytes }), (req: Request, res: Response, next: NextFunction) => {
    const body: unknown = req.body;
    const bytes = Buffer.isBuffer(body) ? body : Buffer.alloc(0);
    deps.inbound.offer(bytes, 'http').then((result) => {
      if (result.status === 'rejected') {
        res.status(result.httpStatus).type('application/xml').send(result.returnToSender);
        return;
      }
      res.status(202).json({ nachrichtUUID: result.id, status: result.status });
    }, next);
  });

  // The ZAB case system asks before it executes a scheduled return; the gateway judges every return rule now.
  app.post('/return-check', express.json({ limit: '4kb' }), (req: Request, res: Response, next: NextFunction) => {
    const parsed = ReturnCheckRequestSchema.safeParse(req.body);
    if (!parsed.success) {
      problem(res, 400, 'INVALID_INPUT');
      return;
    }
    const { azrNumber, kind } = parsed.data;
    (async () => {
      const caseId = await deps.gateway.caseId(azrNumber);
      if (!caseId.ok) {
        deps.logger.warn({ kind, status: caseId.status, code: caseId.code }, 'return check: no case id');
        gatewayProblem(res, caseId);
        return;
      }
      const judged = await deps.gateway.returnCheck(caseId.value, kind);
      if (!judged.ok) {
        deps.logger.warn({ caseId: caseId.value, kind, status: judged.status, code: judged.code }, 'return check refused by the gateway');
        gatewayProblem(res, judged);
        return;
      }
      const { blocked, warnings } = judged.value;
      deps.logger.info({ caseId: caseId.value, kind, blocked, codes: warnings.map((w) => w.code) }, 'return check');
      res.json(judged.value);
    })().catch(next);
  });

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', (_req, res) => {
    res.json({ status: 'ready', pending: deps.dispatcher.pendingCount() });
  });
  app.get('/metrics', (_req, res) => {
    const d = deps.dispatcher.counters;
    const i = deps.inbound.counters;
    const lines = [
      '# TYPE asl_adapter_messages_accepted_total counter',
      `asl_adapter_messages_accepted_total ${i.accepted}`,
      '# TYPE asl_adapter_messages_duplicate_total counter',
      `asl_adapter_messages_duplicate_total ${i.duplicates}`,
      '# TYPE asl_adapter_messages_rejected_total counter',
      `asl_adapter_messages_rejected_total ${i.rejected}`,
      '# TYPE asl_adapter_events_recorded_total counter',
      `asl_adapter_events_recorded_total ${d.delivered}`,
      '# TYPE asl_adapter_events_already_applied_total counter',
      `asl_adapter_events_already_applied_total ${d.alreadyApplied}`,
      '# TYPE asl_adapter_delivery_transient_failures_total counter',
      `asl_adapter_delivery_transient_failures_total ${d.transientFailures}`,
      '# TYPE asl_adapter_delivery_held_total counter',
      `asl_adapter_delivery_held_total ${d.held}`,
      '# TYPE asl_adapter_dead_letters_total counter',
      `asl_adapter_dead_letters_total ${d.deadLettered}`,
      '# TYPE asl_adapter_outbox_pending gauge',
      `asl_adapter_outbox_pending ${deps.dispatcher.pendingCount()}`,
      ...(deps.extraMetrics?.() ?? []),
    ];
    res.type('text/plain; version=0.0.4').send(`${lines.join('\n')}\n`);
  });

  const operator = express.Router();
  operator.use((req, res, next) => {
    const header = req.get('authorization') ?? '';
    const token = header.startsWith('Bearer ') ? header.slice(7) : '';
    if (token === '' || !sameToken(token, deps.operatorToken)) {
      problem(res, 401, 'UNAUTHENTICATED');
      return;
    }
    next();
  });
  operator.use(express.json({ limit: '4kb' }));
  operator.get('/dead-letters', (_req, res, next) => {
    deps.deadLetters.listDeadLetters().then((list) => res.json({ deadLetters: list }), next);
  });
  operator.get('/dead-letters/:id', (req, res, next) => {
    deps.deadLetters.getDeadLetter(req.params['id'] ?? '').then((letter) => {
      if (letter === undefined) problem(res, 404, 'NOT_FOUND');
      else res.json(letter);
    }, next);
  });
  operator.post('/dead-letters/:id/retry', (req, res, next) => {
    deps.deadLetters.retryDeadLetter(req.params['id'] ?? '', deps.clock.now()).then((record) => {
      if (record === undefined) {
        problem(res, 404, 'NOT_FOUND');
        return;
      }
      deps.dispatcher.enqueue(record);
      deps.logger.info({ id: record.id, operator: true }, 'dead letter retried');
      res.status(202).json({ id: record.id, status: 'requeued' });
    }, next);
  });
  operator.delete('/dead-letters/:id', (req, res, next) => {
    deps.deadLetters.discardDeadLetter(req.params['id'] ?? '').then((done) => {
      if (!done) {
        problem(res, 404, 'NOT_FOUND');
        return;
      }
      deps.logger.warn({ id: req.params['id'], operator: true }, 'dead letter discarded');
      res.status(204).end();
    }, next);
  });
  operator.post('/purge', (req, res, next) => {
    const parsed = PurgeSchema.safeParse(req.body);
    if (!parsed.success) {
      problem(res, 400, 'INVALID_INPUT');
      return;
    }
    Promise.all([deps.outbox.purge(parsed.data), deps.purgeMore?.(parsed.data) ?? Promise.resolve(0)]).then(([inbound, outbound]) => {
      const removed = inbound + outbound;
      deps.dispatcher.forget((r) =>
        'caseId' in parsed.data
          ? r.caseId === parsed.data.caseId
          : r.event.identification.azrNummer?.replace(/[ .-]/g, '') === parsed.data.azrNumber.replace(/[ .-]/g, ''),
      );
      deps.logger.warn({ removed, operator: true }, 'purged');
      res.json({ removed });
    }, next);
  });
  app.use('/admin', operator);

  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const status = typeof err === 'object' && err !== null && 'status' in err && typeof err.status === 'number' ? err.status : 500;
    if (status === 413 && req.path === '/messages') {
      const rts = deps.inbound.tooLarge('http');
      if (rts.status === 'rejected') res.status(413).type('application/xml').send(rts.returnToSender);
      return;
    }
    if (status === 413) {
      problem(res, 413, 'PAYLOAD_TOO_LARGE');
      return;
    }
    if (status >= 500) deps.logger.error({ err: err instanceof Error ? err.name : 'unknown' }, 'request failed');
    problem(res, status >= 500 ? 500 : status, status >= 500 ? 'INTERNAL' : 'INVALID_INPUT');
  });
  return app;
}
