/**
 * Wires one adapter from its configuration: outbox on disk, gateway client, dispatcher, inbound HTTP,
 * drop directory. The only place that opens files and listens (style.md: build apart from run).
 */
import { subscribe } from 'node:diagnostics_channel';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { ClassicLevel } from 'classic-level';
import type { Logger } from 'pino';
import { createApp } from './app';
import type { AdapterConfig } from './config';
import { Dispatcher, type Clock } from './dispatcher';
import { DropDirectory } from './drop-dir';
import { HttpGatewayClient } from './gateway-client';
import { Inbound } from './inbound';
import { LevelOutbox } from './outbox';
import { AGENCY_PROFILES } from '../agencies/profiles';
import { DirectoryCaseSystemSink, HttpCaseSystemSink } from '../outbound/case-system-sink';
import { HttpGatewayReader } from '../outbound/gateway-reader';
import { Outbound } from '../outbound/outbound';
import { OutboundStore } from '../outbound/outbound-store';

/** A running adapter. */
export interface RunningAdapter {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Fault injection for the crash tests (issue 7): at the n-th pass through a step the process kills itself
 * with SIGKILL, as a power cut or `kill -9` would. Each step is one point of the delivery path; none is
 * active unless set (`asl-adapter` reads them from `ASL_FAULT_KILL_AFTER_*`, `src/bin/adapter.ts`).
 */
export interface FaultPoints {
  /** After the outbox fsync'd a new inbound message, before the dispatcher has it and before the 202. */
  readonly killAfterStore?: number;
  /** After the 202 of `POST /messages` went out (the case system holds the acknowledgement). */
  readonly killAfterAccept?: number;
  /** After an event write's request was sent to the gateway, before its answer arrived. */
  readonly killAfterSubmit?: number;
  /** After the gateway answered a write with success, before the record is marked done. */
  readonly killAfterCommit?: number;
  /** After the case system took an outbound message, before it is removed from the queue. */
  readonly killAfterOutbound?: number;
}

/** Options for tests and fault injection. */
export interface StartOptions extends FaultPoints {
  readonly clock?: Clock;
}

/** A step counter that kills the process at the n-th pass; `undefined` (inert) without `n`. */
function killAt(n: number | undefined): (() => void) | undefined {
  if (n === undefined) return undefined;
  let passes = 0;
  return () => {
    passes += 1;
    if (passes >= n) process.kill(process.pid, 'SIGKILL');
  };
}

/** The request path of a ledger write (an event or an import), as the gateway client sends it. */
const WRITE_PATH = /^\/api\/v1\/(?:admin\/)?cases\/[^/]+\/(?:events|import)$/;

/** Calls `onSent` once the request body of each ledger write to `gatewayUrl` is on the wire (undici's diagnostics channel). */
function onWriteSent(gatewayUrl: string, onSent: () => void): void {
  const origin = new URL(gatewayUrl).origin;
  subscribe('undici:request:bodySent', (message) => {
    const request = (message as { request?: { method?: string; origin?: string; path?: string } }).request;
    if (request?.method === 'POST' && request.origin === origin && WRITE_PATH.test(request.path ?? '')) onSent();
  });
}

/** Starts an adapter. */
export async function startAdapter(config: AdapterConfig, logger: Logger, options: StartOptions = {}): Promise<RunningAdapter> {
  const clock = options.clock ?? { now: () => Date.now() };
  const afterCommit = killAt(options.killAfterCommit);
  const afterSubmit = killAt(options.killAfterSubmit);
  if (afterSubmit !== undefined) onWriteSent(config.gateway.url, afterSubmit);
  const afterStore = killAt(options.killAfterStore);
  const afterAccept = killAt(options.killAfterAccept);
  const db = new ClassicLevel<string, unknown>(join(config.dataDir, 'outbox'), { valueEncoding: 'json' });
  const outbox = await LevelOutbox.open(db);
  const gateway = new HttpGatewayClient({
    baseUrl: config.gateway.url,
    token: config.gateway.token,
    timeoutMs: config.gateway.timeoutMs,
    ...(config.gateway.adminToken === undefined ? {} : { adminToken: config.gateway.adminToken }),
  });
  const side = config.outbound === undefined ? undefined : await openOutbound(config, logger, clock, options);
  const outbound = side?.outbound;
  const dispatcher = new Dispatcher({
    outbox,
    gateway,
    clock,
    random: Math.random,
    policy: config.delivery,
    logger,
    ...(afterCommit ? { afterCommit } : {}),
    ...(outbound === undefined
      ? {}
      : {
          onDeadLetter: async (letter) => {
            await outbound.deadLetterAlert(letter);
          },
          onRecorded: (record, caseId) => outbound.learnIdentity(caseId, record.event.identification),
        }),
  });
  await dispatcher.load();
  const allowedTypes = config.profile === undefined ? undefined : AGENCY_PROFILES[config.profile].sends;
  const inbound = new Inbound({
    outbox,
    enqueue: (r) => dispatcher.enqueue(r),
    clock,
    agency: config.agency,
    limits: config.limits,
    logger,
    ...(allowedTypes ? { allowedTypes } : {}),
    ...(afterStore ? { afterStore } : {}),
  });
  const app = createApp({
    inbound,
    dispatcher,
    outbox,
    deadLetters: outbox,
    gateway,
    operatorToken: config.operatorToken,
    maxBytes: config.limits.maxBytes,
    clock,
    logger,
    ...(side === undefined ? {} : { extraMetrics: () => side.outbound.metrics(), purgeMore: (s: { azrNumber?: string; caseId?: string }) => side.store.purge(s) }),
  });
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(config.inbound.port, config.inbound.host, (err?: Error) => (err ? reject(err) : resolve(s)));
    if (afterAccept !== undefined) {
      s.on('request', (req: IncomingMessage, res: ServerResponse) => {
        if (req.method !== 'POST' || req.url !== '/messages') return;
        res.once('finish', () => {
          if (res.statusCode === 202) afterAccept();
        });
      });
    }
  });
  const port = (server.address() as AddressInfo).port;
  const drop =
    config.inbound.dropDir === undefined
      ? undefined
      : new DropDirectory({ dir: config.inbound.dropDir, pollMs: config.inbound.pollMs, maxBytes: config.limits.maxBytes, inbound, logger });
  await drop?.start();
  dispatcher.start();
  if (outbound !== undefined) {
    // A dead letter stored just before a crash may not have reached the case system: offer every one again (idempotent).
    for (const summary of await outbox.listDeadLetters()) {
      const letter = await outbox.getDeadLetter(summary.id);
      if (letter !== undefined) await outbound.deadLetterAlert(letter);
    }
    await outbound.start();
  }
  logger.info({ port, pending: dispatcher.pendingCount(), outbound: outbound !== undefined }, 'adapter listening');
  return {
    port,
    async close() {
      await drop?.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await dispatcher.stop();
      await outbound?.stop();
      await side?.store.close();
      await outbox.close();
    },
  };
}

/** The outbound side with its store (the store also answers purges). */
interface OpenOutbound {
  readonly outbound: Outbound;
  readonly store: OutboundStore;
}

async function openOutbound(config: AdapterConfig, logger: Logger, clock: Clock, options: StartOptions): Promise<OpenOutbound> {
  const o = config.outbound;
  if (o === undefined) throw new Error('no outbound configuration');
  const store = await OutboundStore.open(new ClassicLevel<string, unknown>(join(config.dataDir, 'outbound'), { valueEncoding: 'json' }));
  const sink = o.caseSystemUrl !== undefined ? new HttpCaseSystemSink({ url: o.caseSystemUrl, timeoutMs: o.requestTimeoutMs }) : new DirectoryCaseSystemSink(o.dir ?? '');
  const afterDelivery = killAt(options.killAfterOutbound);
  const outbound = new Outbound({
    store,
    sink,
    reader: new HttpGatewayReader({ baseUrl: config.gateway.url, token: config.gateway.token, timeoutMs: config.gateway.timeoutMs }),
    self: { mspId: config.agency.mspId, caseSystem: config.agency.caseSystem },
    stream: { url: new URL('/api/v1/events/stream', config.gateway.url).toString(), token: config.gateway.token },
    policy: o,
    clock,
    random: Math.random,
    logger: logger.child({ side: 'outbound' }),
    ...(afterDelivery ? { afterDelivery } : {}),
  });
  return { outbound, store };
}
