/**
 * Delivers the outbox to the ledger: one lane per case (records of a case strictly in acceptance
 * order, one at a time), lanes in parallel up to a concurrency limit. Each answer is classified:
 *
 * - recorded (`201`) or `ALREADY_APPLIED` (`200`, the same `sourceMessageId` = `nachrichtUUID` was
 *   recorded before, e.g. before a crash) → done;
 * - `PRECONDITION_FAILED` with `missing`, or `CASE_NOT_FOUND` → held: the partner's earlier event may
 *   not have arrived yet; retried, the case's later records wait behind it, for at most `holdWindowMs`;
 * - no answer, `5xx`, `429`, `401` → transient: retried with exponential backoff and jitter (at least
 *   `Retry-After`) for at most `transientWindowMs`;
 * - anything else (`conflicting`, `INVALID_INPUT`, `NOT_OWNER`, …) → dead letter at once.
 *
 * A dead letter leaves its lane, so one bad message does not freeze a case; retrying it puts it at the
 * end of its case's order (dead-letters.md in the README). Time and randomness are injected.
 */
import { EVENT_DATA_SCHEMAS, normaliseAzrNumber } from '@asl/chaincode/domain';
import type { Logger } from 'pino';
import { REJECTION_REASONS, type RejectionReason } from '../message';
import type { GatewayClient, GatewayFailure, GatewayResult, WriteReceipt } from './gateway-client';
import type { DeadLetter, DeadLetterCause, Outbox, OutboxRecord } from './outbox';

/** Epoch milliseconds, injectable. */
export interface Clock {
  now(): number;
}

/** Retry and concurrency settings. */
export interface DeliveryPolicy {
  readonly concurrency: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** Smallest wait before asking again about a held record. */
  readonly holdDelayMs: number;
  /** How long a record may wait for a missing earlier event before it becomes a dead letter. */
  readonly holdWindowMs: number;
  /** How long transient failures may last before the record becomes a dead letter. */
  readonly transientWindowMs: number;
}

/** Counters for /metrics. */
export interface DeliveryCounters {
  delivered: number;
  alreadyApplied: number;
  transientFailures: number;
  held: number;
  deadLettered: number;
}

/** What the dispatcher needs. */
export interface DispatcherDeps {
  readonly outbox: Outbox;
  readonly gateway: GatewayClient;
  readonly clock: Clock;
  /** Uniform in [0, 1). */
  readonly random: () => number;
  readonly policy: DeliveryPolicy;
  readonly logger: Logger;
  /** Told about every new dead letter (ReturnToSender to the case system, alerts). */
  readonly onDeadLetter?: (letter: DeadLetter) => Promise<void>;
  /** Told about every recorded record with its caseId (the outbound side learns the case's identifiers). */
  readonly onRecorded?: (record: OutboxRecord, caseId: string) => Promise<void>;
  /**
   * Fault injection for the crash tests: called after the ledger answered success and before the
   * record is marked done (the window where a crash makes the next attempt an `ALREADY_APPLIED`).
   */
  readonly afterCommit?: () => void;
}

type Verdict =
  | { kind: 'done'; receipt: WriteReceipt; caseId: string }
  | { kind: 'hold' | 'transient'; failure: GatewayFailure }
  | { kind: 'dead'; cause: DeadLetterCause };

/** The wait before attempt `attempts + 1`: exponential, capped, with "equal jitter". */
export function backoffMs(attempts: number, policy: Pick<DeliveryPolicy, 'baseDelayMs' | 'maxDelayMs'>, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(attempts, 30));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

function reasonFor(failure: GatewayFailure): RejectionReason {
  const code = failure.code;
  if (code !== undefined && (REJECTION_REASONS as readonly string[]).includes(code)) return code as RejectionReason;
  switch (failure.status) {
    case 400:
      return 'INVALID_INPUT';
    case 403:
      return 'FORBIDDEN_ROLE';
    case 409:
      return 'PRECONDITION_FAILED';
    case 413:
      return 'PAYLOAD_TOO_LARGE';
    case 422:
      return 'UNKNOWN_CODE_VALUE';
    default:
      return 'DELIVERY_GAVE_UP';
  }
}

function classify(failure: GatewayFailure): 'hold' | 'transient' | 'dead' {
  if (failure.status === 0 || failure.status >= 500 || failure.status === 429 || failure.status === 401) return 'transient';
  if (failure.code === 'CASE_NOT_FOUND' || (failure.status === 404 && failure.code === undefined)) return 'hold';
  if (failure.code === 'PRECONDITION_FAILED' && (failure.missing?.length ?? 0) > 0 && (failure.conflicting?.length ?? 0) === 0) return 'hold';
  return 'dead';
}

function causeOf(failure: GatewayFailure, reason: RejectionReason = reasonFor(failure)): DeadLetterCause {
  return {
    reason,
    status: failure.status,
    ...(failure.missing === undefined ? {} : { missing: failure.missing }),
    ...(failure.conflicting === undefined ? {} : { conflicting: failure.conflicting }),
  };
}

/** Runs the per-case lanes. */
export class Dispatcher {
  private readonly lanes = new Map<string, OutboxRecord[]>();
  private readonly inFlight = new Map<string, Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  readonly counters: DeliveryCounters = { delivered: 0, alreadyApplied: 0, transientFailures: 0, held: 0, deadLettered: 0 };

  constructor(private readonly deps: DispatcherDeps) {}

  /** Loads every pending record (after a restart: including those in flight when the process died). */
  async load(): Promise<void> {
    for (const record of await this.deps.outbox.pending()) this.enqueue(record);
  }

  /** Adds a newly accepted record at the end of its case's lane. */
  enqueue(record: OutboxRecord): void {
    const lane = this.lanes.get(record.laneKey);
    if (lane === undefined) this.lanes.set(record.laneKey, [record]);
    else lane.push(record);
    if (this.running) void this.pump();
  }

  /** Records waiting (including those in flight). */
  pendingCount(): number {
    let n = 0;
    for (const lane of this.lanes.values()) n += lane.length;
    return n;
  }

  /** Starts the due lane heads (up to the concurrency limit); returns the started deliveries. */
  pump(): Promise<void>[] {
    const now = this.deps.clock.now();
    const started: Promise<void>[] = [];
    for (const [key, lane] of this.lanes) {
      if (this.inFlight.size >= this.deps.policy.concurrency) break;
      const head = lane[0];
      if (head === undefined || this.inFlight.has(key) || head.notBefore > now) continue;
      const p = this.deliver(head)
        .catch((err: unknown) => {
          this.deps.logger.error({ err: err instanceof Error ? err.name : 'unknown', id: head.id }, 'delivery step failed');
        })
        .finally(() => {
          this.inFlight.delete(key);
          if (this.running) void this.pump();
        });
      this.inFlight.set(key, p);
      started.push(p);
    }
    if (this.running) this.arm();
    return started;
  }

  /** Test driver: starts every due head and waits for them. */
  async runOnce(): Promise<number> {
    const started = this.pump();
    await Promise.all(started);
    return started.length;
  }

  /** The earliest time a waiting head becomes due (epoch ms), if any. */
  nextDueAt(): number | undefined {
    let next: number | undefined;
    for (const [key, lane] of this.lanes) {
      const head = lane[0];
      if (head === undefined || this.inFlight.has(key)) continue;
      if (next === undefined || head.notBefore < next) next = head.notBefore;
    }
    return next;
  }

  private arm(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    const next = this.nextDueAt();
    if (next === undefined) return;
    const wait = Math.max(0, Math.min(60_000, next - this.deps.clock.now()));
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.pump();
    }, wait);
  }

  /** Runs continuously until `stop`. */
  start(): void {
    this.running = true;
    void this.pump();
  }

  /** Stops starting new deliveries and waits for those in flight. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    await Promise.all([...this.inFlight.values()]);
  }

  private removeHead(record: OutboxRecord): void {
    const lane = this.lanes.get(record.laneKey);
    if (lane?.[0]?.seq === record.seq) lane.shift();
    if (lane !== undefined && lane.length === 0) this.lanes.delete(record.laneKey);
  }

  private replaceHead(record: OutboxRecord): void {
    const lane = this.lanes.get(record.laneKey);
    if (lane?.[0]?.seq === record.seq) lane[0] = record;
  }

  /** Drops a case's records from the lanes (after a purge of the outbox). */
  forget(match: (record: OutboxRecord) => boolean): void {
    for (const [key, lane] of this.lanes) {
      const kept = lane.filter((r, i) => (i === 0 && this.inFlight.has(key)) || !match(r));
      if (kept.length === 0) this.lanes.delete(key);
      else this.lanes.set(key, kept);
    }
  }

  private currentHead(record: OutboxRecord): OutboxRecord {
    const head = this.lanes.get(record.laneKey)?.[0];
    return head?.seq === record.seq ? head : record;
  }

  private async deliver(first: OutboxRecord): Promise<void> {
    const verdict = await this.attempt(first);
    const record = this.currentHead(first);
    const now = this.deps.clock.now();
    const log = this.deps.logger;
    const base = { id: record.id, type: record.event.eventType, ...(record.caseId === undefined ? {} : { caseId: record.caseId }) };
    switch (verdict.kind) {
      case 'done': {
        this.deps.afterCommit?.();
        await this.deps.outbox.complete(record);
        this.removeHead(record);
        if (verdict.receipt.alreadyApplied) this.counters.alreadyApplied += 1;
        else this.counters.delivered += 1;
        log.info({ ...base, caseId: verdict.caseId, txId: verdict.receipt.txId, alreadyApplied: verdict.receipt.alreadyApplied }, 'recorded');
        await this.deps.onRecorded?.(record, verdict.caseId);
        return;
      }
      case 'dead':
        return this.kill(record, verdict.cause, now);
      case 'hold': {
        const heldSince = record.heldSince ?? now;
        if (now - heldSince > this.deps.policy.holdWindowMs) {
          return this.kill(record, causeOf(verdict.failure, verdict.failure.code === 'CASE_NOT_FOUND' ? 'CASE_NOT_FOUND' : 'PRECONDITION_FAILED'), now);
        }
        const wait = Math.max(this.deps.policy.holdDelayMs, backoffMs(record.attempts, this.deps.policy, this.deps.random));
        const next: OutboxRecord = { ...record, attempts: record.attempts + 1, heldSince, notBefore: now + wait, lastCode: verdict.failure.code ?? String(verdict.failure.status) };
        await this.deps.outbox.update(next);
        this.replaceHead(next);
        this.counters.held += 1;
        log.info({ ...base, code: next.lastCode, missing: verdict.failure.missing, waitMs: wait }, 'held: an earlier event is missing');
        return;
      }
      case 'transient': {
        const failingSince = record.failingSince ?? now;
        if (now - failingSince > this.deps.policy.transientWindowMs) return this.kill(record, causeOf(verdict.failure, 'DELIVERY_GAVE_UP'), now);
        const wait = Math.max(verdict.failure.retryAfterMs ?? 0, backoffMs(record.attempts, this.deps.policy, this.deps.random));
        const next: OutboxRecord = { ...record, attempts: record.attempts + 1, failingSince, notBefore: now + wait, lastCode: verdict.failure.code ?? String(verdict.failure.status) };
        await this.deps.outbox.update(next);
        this.replaceHead(next);
        this.counters.transientFailures += 1;
        log.warn({ ...base, status: verdict.failure.status, code: verdict.failure.code, attempt: next.attempts, waitMs: wait }, 'transient failure, will retry');
        return;
      }
    }
  }

  private async kill(record: OutboxRecord, cause: DeadLetterCause, now: number): Promise<void> {
    const deadAt = new Date(now).toISOString();
    await this.deps.outbox.deadLetter(record, cause, deadAt);
    this.removeHead(record);
    this.counters.deadLettered += 1;
    this.deps.logger.error(
      { id: record.id, type: record.event.eventType, caseId: record.caseId, code: cause.reason, status: cause.status, missing: cause.missing, conflicting: cause.conflicting, alert: 'DEAD_LETTER' },
      'dead letter: the partner does not learn of this status change until an operator acts',
    );
    if (this.deps.onDeadLetter !== undefined) await this.deps.onDeadLetter({ record, cause, deadAt });
  }

  private async attempt(record: OutboxRecord): Promise<Verdict> {
    const { gateway } = this.deps;
    const event = record.event;
    let caseId = record.caseId ?? event.identification.fallId;
    if (caseId === undefined) {
      const azr = event.identification.azrNummer;
      if (azr === undefined) return { kind: 'dead', cause: { reason: 'MISSING_IDENTIFIER' } };
      const r = await gateway.caseId(azr);
      if (!r.ok) return this.failed(r);
      caseId = r.value;
      const withCase: OutboxRecord = { ...record, caseId };
      await this.deps.outbox.update(withCase);
      this.replaceHead(withCase);
    }
    const data = await this.resolveCourtRefs(event.data);
    if (!data.ok) return this.failed(data);
    const details = this.caseDetails(record);
    let result: GatewayResult<WriteReceipt>;
    if (event.eventType === 'CASE_IMPORTED') {
      const facts = data.value['facts'];
      if (!Array.isArray(facts)) return { kind: 'dead', cause: { reason: 'INVALID_INPUT' } };
      result = await gateway.importCase(caseId, { facts, sourceMessageId: record.id, occurredAt: event.occurredAt, ...(details === undefined ? {} : { caseDetails: details }) });
    } else {
      if (!EVENT_DATA_SCHEMAS[event.eventType].safeParse(data.value).success) return { kind: 'dead', cause: { reason: 'INVALID_INPUT' } };
      result = await gateway.recordEvent(caseId, {
        type: event.eventType,
        occurredAt: event.occurredAt,
        sourceMessageId: record.id,
        data: data.value,
        ...(details === undefined ? {} : { caseDetails: details }),
      });
    }
    if (result.ok) return { kind: 'done', receipt: result.value, caseId };
    return this.failed(result);
  }

  private failed(failure: GatewayFailure): Verdict {
    const kind = classify(failure);
    return kind === 'dead' ? { kind, cause: causeOf(failure) } : { kind, failure };
  }

  /** The agency's `caseDetails` for the write, when the message carried person details. */
  private caseDetails(record: OutboxRecord): Record<string, unknown> | undefined {
    const { person, identification } = record.event;
    if (person === undefined) return undefined;
    return {
      ...person,
      ...(identification.azrNummer === undefined ? {} : { azrNumber: identification.azrNummer }),
      ...(identification.bamfAktenzeichen === undefined ? {} : { bamfFileNumber: identification.bamfAktenzeichen }),
    };
  }

  /** Replaces `courtProceedings` (in the clear) by the `courtRef` pseudonym, also inside imported facts. */
  private async resolveCourtRefs(data: Record<string, unknown>): Promise<GatewayResult<Record<string, unknown>>> {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(data)) {
      if (key === 'courtProceedings' && typeof value === 'object' && value !== null) {
        const { court, fileNumber } = value as { court: string; fileNumber: string };
        const r = await this.deps.gateway.courtRef(court, fileNumber);
        if (!r.ok) return r;
        out['courtRef'] = r.value;
      } else if (key === 'facts' && Array.isArray(value)) {
        const facts: unknown[] = [];
        for (const fact of value as { type: string; data: Record<string, unknown> }[]) {
          const r = await this.resolveCourtRefs(fact.data);
          if (!r.ok) return r;
          facts.push({ type: fact.type, data: r.value });
        }
        out[key] = facts;
      } else out[key] = value;
    }
    return { ok: true, value: out };
  }
}

/** The lane of an inbound message: its normalised AZR number (one case per AZR number, domain.md §2). */
export function laneKeyFor(azrNumber: string): string {
  return `azr:${normaliseAzrNumber(azrNumber)}`;
}
