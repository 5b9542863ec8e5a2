/**
 * A case-system simulator (MARiS for BAMF, the ZAB system): sends its agency's steps of the generated
 * flows to its adapter's `POST /messages` (retrying until the adapter answers: it may be restarting),
 * and takes the adapter's outbound messages on `POST /inbox`, stored by `nachrichtUUID` (a redelivery
 * is counted, not stored twice: that is the dedupe the at-least-once outbound relies on).
 *
 * JSON endpoints: `GET /received` (what arrived: ids, types, case pseudonyms, warning and action codes,
 * redeliveries), `GET /sent` (what was sent, for the reconciliation report), `GET /status`, `GET /healthz`.
 * Built apart from listening (`createSimulatorApp`); `startSimulator` listens and runs.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express } from 'express';
import type { Logger } from 'pino';
import { AGENCY_PROFILES, type ProfileName } from '../agencies/profiles';
import { eventMessageType, parseMessage, serializeMessage, type Message } from '../message';
import type { ScenarioCase, ScenarioStep } from './scenario';

/** What the simulator stores of a received message (no names, no AZR numbers). */
export interface ReceivedSummary {
  readonly nachrichtUUID: string;
  readonly kind: Message['kind'];
  readonly eventType?: string;
  readonly caseId?: string;
  readonly sourceMessageId?: string;
  readonly writer?: string;
  readonly occasion?: string;
  readonly warnings?: readonly string[];
  readonly actions?: readonly string[];
  readonly reason?: string;
  readonly rejectedId?: string;
}

/** What the simulator sent. */
export interface SentRecord {
  readonly nachrichtUUID: string;
  readonly caseNo: number;
  readonly eventType: string;
  readonly azrNummer: string;
  readonly occurredAt: string;
  readonly data: Record<string, unknown>;
  readonly status: 'accepted' | 'duplicate' | 'rejected';
}

/** Simulator options. */
export interface SimulatorOptions {
  readonly profile: ProfileName;
  /** The adapter's inbound base URL (`http://127.0.0.1:3201`). */
  readonly adapterUrl: string;
  readonly cases: readonly ScenarioCase[];
  /** Delay between starting one case and the next. */
  readonly caseIntervalMs: number;
  /** Delay before each own step (a caseworker's pace). */
  readonly stepDelayMs: number;
  readonly logger: Logger;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The simulator's state and behaviour. */
export class CaseSystemSimulator {
  readonly received = new Map<string, ReceivedSummary>();
  redeliveries = 0;
  readonly sent = new Map<string, SentRecord>();
  private readonly partnerArrived = new Set<string>();
  private readonly waiters = new Map<string, (() => void)[]>();
  private running = false;
  private runs: Promise<void>[] = [];
  readonly ownSteps: number;

  constructor(readonly options: SimulatorOptions) {
    this.ownSteps = options.cases.reduce((n, c) => n + c.steps.filter((s) => s.agency === options.profile).length, 0);
  }

  /** Takes one outbound message; answers false when it is not a valid message. */
  receive(bytes: Uint8Array): boolean {
    const parsed = parseMessage(bytes);
    if (!parsed.ok) return false;
    const m = parsed.message;
    const id = m.body.nachrichtenkopf.nachrichtUUID;
    if (this.received.has(id)) {
      this.redeliveries += 1;
      return true;
    }
    let summary: ReceivedSummary;
    switch (m.kind) {
      case 'event': {
        const source = m.body.quittung?.sourceMessageId;
        summary = {
          nachrichtUUID: id,
          kind: 'event',
          eventType: m.eventType,
          ...(m.body.identifikation.fallId === undefined ? {} : { caseId: m.body.identifikation.fallId }),
          ...(source === undefined ? {} : { sourceMessageId: source }),
          ...(m.body.quittung === undefined ? {} : { writer: m.body.quittung.writer }),
        };
        if (source !== undefined) this.arrived(source);
        break;
      }
      case 'notice':
        summary = {
          nachrichtUUID: id,
          kind: 'notice',
          ...(m.body.identifikation.fallId === undefined ? {} : { caseId: m.body.identifikation.fallId }),
          ...(m.body.hinweise.anlass === undefined ? {} : { occasion: m.body.hinweise.anlass }),
          warnings: m.body.hinweise.warnung.map((w) => w.code),
          actions: m.body.hinweise.aktion.map((a) => a.code),
        };
        break;
      case 'returnToSender':
        summary = {
          nachrichtUUID: id,
          kind: 'returnToSender',
          reason: m.body.begruendung.grund,
          ...(m.body.transportinformationen.nachrichtenID === undefined ? {} : { rejectedId: m.body.transportinformationen.nachrichtenID }),
        };
        break;
    }
    this.received.set(id, summary);
    return true;
  }

  private arrived(sourceId: string): void {
    this.partnerArrived.add(sourceId);
    for (const resolve of this.waiters.get(sourceId) ?? []) resolve();
    this.waiters.delete(sourceId);
  }

  private waitFor(sourceId: string): Promise<void> {
    if (this.partnerArrived.has(sourceId)) return Promise.resolve();
    return new Promise((resolve) => {
      const list = this.waiters.get(sourceId) ?? [];
      list.push(resolve);
      this.waiters.set(sourceId, list);
    });
  }

  /** The XML of one step, as this case system writes it. */
  messageFor(c: ScenarioCase, step: ScenarioStep): string {
    const profile = AGENCY_PROFILES[this.options.profile];
    const message: Message = {
      kind: 'event',
      eventType: step.type,
      body: {
        nachrichtenkopf: {
          nachrichtUUID: step.id,
          nachrichtentyp: eventMessageType(step.type).code,
          erstellungszeitpunkt: step.occurredAt,
          autor: { kennung: profile.caseSystem },
          leser: { kennung: profile.mspId },
        },
        identifikation: { azrNummer: c.azrNumber, ...(this.options.profile === 'maris' ? { bamfAktenzeichen: c.bamfFileNumber } : {}) },
        personendaten: c.person,
        ereignis: { eingetretenAm: step.occurredAt, daten: step.data },
      },
    };
    return serializeMessage(message);
  }

  private async send(c: ScenarioCase, step: ScenarioStep): Promise<void> {
    const xml = this.messageFor(c, step);
    for (let attempt = 0; this.running; attempt += 1) {
      let status: number;
      let body = '';
      try {
        const res = await fetch(new URL('/messages', this.options.adapterUrl), { method: 'POST', headers: { 'content-type': 'application/xml' }, body: xml });
        status = res.status;
        body = await res.text();
      } catch {
        status = 0;
      }
      if (status === 202 || status === 400 || status === 409 || status === 413) {
        const outcome: SentRecord['status'] = status === 202 ? (body.includes('"duplicate"') ? 'duplicate' : 'accepted') : 'rejected';
        this.sent.set(step.id, { nachrichtUUID: step.id, caseNo: c.caseNo, eventType: step.type, azrNummer: c.azrNumber, occurredAt: step.occurredAt, data: step.data, status: outcome });
        if (outcome === 'rejected') this.options.logger.warn({ id: step.id, status }, 'adapter refused a message');
        return;
      }
      await sleep(Math.min(2_000, 50 * 2 ** Math.min(attempt, 6)));
    }
  }

  private async runCase(c: ScenarioCase): Promise<void> {
    for (const step of c.steps) {
      if (!this.running) return;
      if (step.agency !== this.options.profile) continue;
      if (step.after !== undefined) await Promise.race([this.waitFor(step.after), this.stopped]);
      if (!this.running) return;
      if (this.options.stepDelayMs > 0) await sleep(this.options.stepDelayMs);
      await this.send(c, step);
    }
  }

  private stopped: Promise<void> = new Promise(() => undefined);
  private stopSignal: (() => void) | undefined;

  /** Starts sending the flows (cases staggered by `caseIntervalMs`). */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.stopped = new Promise((resolve) => (this.stopSignal = resolve));
    this.runs = this.options.cases.map(async (c, i) => {
      await sleep(i * this.options.caseIntervalMs);
      await this.runCase(c);
    });
  }

  async stop(): Promise<void> {
    this.running = false;
    this.stopSignal?.();
    await Promise.all(this.runs);
  }

  /** Progress. */
  status(): { profile: ProfileName; cases: number; ownSteps: number; sent: number; rejected: number; received: number; redeliveries: number; done: boolean } {
    const rejected = [...this.sent.values()].filter((s) => s.status === 'rejected').length;
    return {
      profile: this.options.profile,
      cases: this.options.cases.length,
      ownSteps: this.ownSteps,
      sent: this.sent.size,
      rejected,
      received: this.received.size,
      redeliveries: this.redeliveries,
      done: this.sent.size === this.ownSteps,
    };
  }
}

/** The simulator's HTTP surface. */
export function createSimulatorApp(sim: CaseSystemSimulator): Express {
  const app = express();
  app.disable('x-powered-by');
  app.post('/inbox', express.raw({ type: () => true, limit: 1024 * 1024 }), (req, res) => {
    const body: unknown = req.body;
    const ok = sim.receive(Buffer.isBuffer(body) ? body : Buffer.alloc(0));
    res.status(ok ? 200 : 400).json({ status: ok ? 'stored' : 'invalid' });
  });
  app.get('/received', (_req, res) => {
    res.json({ count: sim.received.size, redeliveries: sim.redeliveries, messages: [...sim.received.values()] });
  });
  app.get('/sent', (_req, res) => {
    res.json({ messages: [...sim.sent.values()] });
  });
  app.get('/status', (_req, res) => {
    res.json(sim.status());
  });
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  return app;
}

/** A running simulator. */
export interface RunningSimulator {
  readonly port: number;
  readonly simulator: CaseSystemSimulator;
  close(): Promise<void>;
}

/** Listens and starts sending. */
export async function startSimulator(options: SimulatorOptions & { readonly port: number; readonly host?: string }): Promise<RunningSimulator> {
  const simulator = new CaseSystemSimulator(options);
  const app = createSimulatorApp(simulator);
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(options.port, options.host ?? '127.0.0.1', (err?: Error) => (err ? reject(err) : resolve(s)));
  });
  simulator.start();
  const port = (server.address() as AddressInfo).port;
  options.logger.info({ port, profile: options.profile, cases: options.cases.length }, 'simulator listening');
  return {
    port,
    simulator,
    async close() {
      await simulator.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
