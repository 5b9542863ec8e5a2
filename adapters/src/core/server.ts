/**
 * Wires one adapter from its configuration: outbox on disk, gateway client, dispatcher, inbound HTTP,
 * drop directory. The only place that opens files and listens (style.md: build apart from run).
 */
import type { Server } from 'node:http';
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

/** A running adapter. */
export interface RunningAdapter {
  readonly port: number;
  close(): Promise<void>;
}

/** Options for tests and fault injection. */
export interface StartOptions {
  readonly clock?: Clock;
  /** Kill the process with SIGKILL right after the n-th commit, before marking it done (crash tests). */
  readonly killAfterCommit?: number;
}

/** Starts an adapter. */
export async function startAdapter(config: AdapterConfig, logger: Logger, options: StartOptions = {}): Promise<RunningAdapter> {
  const clock = options.clock ?? { now: () => Date.now() };
  let commits = 0;
  const afterCommit =
    options.killAfterCommit === undefined
      ? undefined
      : () => {
          commits += 1;
          if (commits >= (options.killAfterCommit ?? 0)) process.kill(process.pid, 'SIGKILL');
        };
  const db = new ClassicLevel<string, unknown>(join(config.dataDir, 'outbox'), { valueEncoding: 'json' });
  const outbox = await LevelOutbox.open(db);
  const gateway = new HttpGatewayClient({
    baseUrl: config.gateway.url,
    token: config.gateway.token,
    timeoutMs: config.gateway.timeoutMs,
    ...(config.gateway.adminToken === undefined ? {} : { adminToken: config.gateway.adminToken }),
  });
  const dispatcher = new Dispatcher({ outbox, gateway, clock, random: Math.random, policy: config.delivery, logger, ...(afterCommit ? { afterCommit } : {}) });
  await dispatcher.load();
  const inbound = new Inbound({ outbox, enqueue: (r) => dispatcher.enqueue(r), clock, agency: config.agency, limits: config.limits, logger });
  const app = createApp({ inbound, dispatcher, outbox, deadLetters: outbox, operatorToken: config.operatorToken, maxBytes: config.limits.maxBytes, clock, logger });
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(config.inbound.port, config.inbound.host, (err?: Error) => (err ? reject(err) : resolve(s)));
  });
  const port = (server.address() as AddressInfo).port;
  const drop =
    config.inbound.dropDir === undefined
      ? undefined
      : new DropDirectory({ dir: config.inbound.dropDir, pollMs: config.inbound.pollMs, maxBytes: config.limits.maxBytes, inbound, logger });
  await drop?.start();
  dispatcher.start();
  logger.info({ port, pending: dispatcher.pendingCount() }, 'adapter listening');
  return {
    port,
    async close() {
      await drop?.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await dispatcher.stop();
      await outbox.close();
    },
  };
}
