/**
 * A case-system simulator (MARiS for BAMF, the ZAB system): sends its agency's steps of the generated
 * flows to its adapter's `POST /messages` (retrying until the adapter answers: it may be restarting),
 * and takes the adapter's outbound messages on `POST /inbox`, stored by `nachrichtUUID` (a redelivery
 * is counted, not stored twice: that is the dedupe the at-least-once outbound relies on). Before it
 * executes a scheduled return (`ScenarioCase.returnExecution`), the ZAB simulator asks its adapter's
 * `POST /return-check` and sends `RETURN_EXECUTION_STARTED` only if the check allows it; every check's
 * outcome is recorded.
 *
 * JSON endpoints: `GET /received` (what arrived: ids, types, case pseudonyms, warning and action codes,
 * redeliveries), `GET /sent` (what was sent, for the reconciliation report), `GET /return-checks` (each
 * planned execution: executed, refused with the blocking rules, or failed — case pseudonyms, no names, no
 * AZR numbers), `GET /status`, `GET /healthz`.
 * Built apart from listening (`createSimulatorApp`); `startSimulator` listens and runs.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import { AGENCY_PROFILES, type ProfileName } from '../agencies/profiles';
import { ReturnCheckAnswerSchema } from '../core/gateway-client';
import { eventMessageType, parseMessage, serializeMessage, type Message } from '../message';
import type { ReturnExecution, ScenarioCase, ScenarioStep } from './scenario';

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
  /** When it first arrived (ISO instant). */
  readonly receivedAt: string;
}

/**
 * One event message as an agency's case system writes it (`profile`: whose system): head, the case's AZR number
 * (and, from MARiS, the BAMF file number), the person's details when given, the event. Used by the simulators and by
 * tests that play a case system themselves.
 */
export function caseSystemEventXml(
  profileName: ProfileName,
  c: { readonly azrNumber: string; readonly bamfFileNumber?: string; readonly person?: ScenarioCase['person'] },
  step: { readonly id: string; readonly type: ScenarioStep['type']; readonly occurredAt: string; readonly data: ScenarioStep['data'] },
): string {
  const profile = AGENCY_PROFILES[profileName];
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
      identifikation: { azrNummer: c.azrNumber, ...(profileName === 'maris' && c.bamfFileNumber !== undefined ? { bamfAktenzeichen: c.bamfFileNumber } : {}) },
      ...(c.person === undefined ? {} : { personendaten: c.person }),
      ereignis: { eingetretenAm: step.occurredAt, daten: step.data },
    },
  };
  return serializeMessage(message);
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
  /** When the adapter answered (ISO instant). */
  readonly answeredAt: string;
}

/** The outcome of one planned return execution (no names, no AZR numbers). */
export interface ReturnCheckRecord {
  readonly caseNo: number;
  /** From the check's answer (absent when the check failed). */
  readonly caseId?: string;
  readonly kind: ReturnExecution['kind'];
  /** `executed`: allowed and `RETURN_EXECUTION_STARTED` sent; `refused`: the check found BLOCKING rules; `failed`: no judgement. */
  readonly outcome: 'executed' | 'refused' | 'failed';
  /** The BLOCKING rules the check found. */
  readonly blocking: readonly string[];
  /** Every rule the check found (BLOCKING and WARNING). */
  readonly warnings: readonly string[];
  readonly evaluatedAt?: string;
  readonly checkedAt: string;
  /** The `RETURN_EXECUTION_STARTED` message's id, when executed. */
  readonly nachrichtUUID?: string;
  /** The adapter's HTTP status and problem code, when the check failed. */
  readonly status?: number;
  readonly code?: string;
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
const backoff = (attempt: number): number => Math.min(2_000, 50 * 2 ** Math.min(attempt, 6));
/** Answers worth asking again: no answer, the gateway or ledger busy or down. */
const transient = (status: number): boolean => status === 0 || status === 408 || status === 429 || status >= 500;
const ProblemCodeSchema = z.looseObject({ code: z.string() });

/** The simulator's state and behaviour. */
export class CaseSystemSimulator {
  readonly received = new Map<string, ReceivedSummary>();
  redeliveries = 0;
  readonly sent = new Map<string, SentRecord>();
  /** Planned return executions by case number, once decided. */
  readonly returnChecks = new Map<number, ReturnCheckRecord>();
  private readonly partnerArrived = new Set<string>();
  private readonly waiters = new Map<string, (() => void)[]>();
  private running = false;
  private runs: Promise<void>[] = [];
  readonly ownSteps: number;
  /** Return executions this simulator plans (the ZAB system only). */
  readonly plannedReturns: number;
  private readonly ownStepIds: readonly string[];

  constructor(readonly options: SimulatorOptions) {
    this.ownStepIds = options.cases.flatMap((c) => c.steps.filter((s) => s.agency === options.profile).map((s) => s.id));
    this.ownSteps = this.ownStepIds.length;
    this.plannedReturns = options.profile === 'zab' ? options.cases.filter((c) => c.returnExecution !== undefined).length : 0;
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
    const receivedAt = new Date().toISOString();
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
          receivedAt,
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
          receivedAt,
        };
        break;
      case 'returnToSender':
        summary = {
          nachrichtUUID: id,
          kind: 'returnToSender',
          reason: m.body.begruendung.grund,
          ...(m.body.transportinformationen.nachrichtenID === undefined ? {} : { rejectedId: m.body.transportinformationen.nachrichtenID }),
          receivedAt,
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
    return caseSystemEventXml(this.options.profile, { azrNumber: c.azrNumber, bamfFileNumber: c.bamfFileNumber, person: c.person }, step);
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
        this.sent.set(step.id, { nachrichtUUID: step.id, caseNo: c.caseNo, eventType: step.type, azrNummer: c.azrNumber, occurredAt: step.occurredAt, data: step.data, status: outcome, answeredAt: new Date().toISOString() });
        if (outcome === 'rejected') this.options.logger.warn({ id: step.id, status }, 'adapter refused a message');
        return;
      }
      await sleep(backoff(attempt));
    }
  }

  /**
   * Runs the return check through the adapter (asked again while the adapter, gateway or ledger is unavailable)
   * and executes the return only if nothing BLOCKING was found; records the outcome either way.
   */
  private async executeReturn(c: ScenarioCase, planned: ReturnExecution): Promise<void> {
    const request = JSON.stringify({ azrNumber: c.azrNumber, kind: planned.kind });
    for (let attempt = 0; this.running; attempt += 1) {
      let status = 0;
      let json: unknown;
      try {
        const res = await fetch(new URL('/return-check', this.options.adapterUrl), { method: 'POST', headers: { 'content-type': 'application/json' }, body: request });
        status = res.status;
        json = await res.json().catch(() => undefined);
      } catch {
        status = 0;
      }
      if (transient(status)) {
        await sleep(backoff(attempt));
        continue;
      }
      const checkedAt = new Date().toISOString();
      const answer = ReturnCheckAnswerSchema.safeParse(json);
      if (status !== 200 || !answer.success) {
        const problem = ProblemCodeSchema.safeParse(json);
        const code = problem.success ? problem.data.code : undefined;
        this.options.logger.warn({ caseNo: c.caseNo, kind: planned.kind, status, code }, 'return check failed: return not executed');
        this.returnChecks.set(c.caseNo, { caseNo: c.caseNo, kind: planned.kind, outcome: 'failed', blocking: [], warnings: [], checkedAt, status, ...(code === undefined ? {} : { code }) });
        return;
      }
      const { caseId, blocked, warnings, evaluatedAt } = answer.data;
      const record = {
        caseNo: c.caseNo,
        caseId,
        kind: planned.kind,
        blocking: warnings.filter((w) => w.severity === 'BLOCKING').map((w) => w.code),
        warnings: warnings.map((w) => w.code),
        evaluatedAt,
        checkedAt,
      };
      if (blocked) {
        this.options.logger.warn({ caseId, kind: planned.kind, codes: record.blocking }, 'return check refused the return: not executed');
        this.returnChecks.set(c.caseNo, { ...record, outcome: 'refused' });
        return;
      }
      await this.send(c, { id: planned.id, caseNo: c.caseNo, agency: this.options.profile, type: 'RETURN_EXECUTION_STARTED', data: {}, occurredAt: planned.occurredAt });
      if (!this.sent.has(planned.id)) return; // stopped before the adapter took it
      this.options.logger.info({ caseId, kind: planned.kind }, 'return check allowed the return: executed');
      this.returnChecks.set(c.caseNo, { ...record, outcome: 'executed', nachrichtUUID: planned.id });
      return;
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
    const planned = c.returnExecution;
    if (planned === undefined || this.options.profile !== 'zab') return;
    if (planned.after !== undefined) await Promise.race([this.waitFor(planned.after), this.stopped]);
    if (!this.running) return;
    if (this.options.stepDelayMs > 0) await sleep(this.options.stepDelayMs);
    await this.executeReturn(c, planned);
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

  /** Progress: `done` once every own step was sent and every planned return execution decided. */
  status(): {
    profile: ProfileName;
    cases: number;
    ownSteps: number;
    sent: number;
    rejected: number;
    received: number;
    redeliveries: number;
    returnChecks: { planned: number; executed: number; refused: number; failed: number };
    done: boolean;
  } {
    const rejected = [...this.sent.values()].filter((s) => s.status === 'rejected').length;
    const outcomes = [...this.returnChecks.values()].map((r) => r.outcome);
    const count = (o: ReturnCheckRecord['outcome']): number => outcomes.filter((x) => x === o).length;
    return {
      profile: this.options.profile,
      cases: this.options.cases.length,
      ownSteps: this.ownSteps,
      sent: this.sent.size,
      rejected,
      received: this.received.size,
      redeliveries: this.redeliveries,
      returnChecks: { planned: this.plannedReturns, executed: count('executed'), refused: count('refused'), failed: count('failed') },
      done: this.ownStepIds.every((id) => this.sent.has(id)) && this.returnChecks.size === this.plannedReturns,
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
  app.get('/return-checks', (_req, res) => {
    res.json({ planned: sim.plannedReturns, checks: [...sim.returnChecks.values()] });
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
