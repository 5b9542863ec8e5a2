/**
 * The outbound side of one adapter: reads the gateway's event stream into the durable queue (one
 * fsync'd batch per item, together with the checkpoint), compares the agency's warnings and next
 * actions with what was last sent (periodically and shortly after stream activity), turns inbound dead
 * letters into ReturnToSender messages, and delivers the queue to the case system in order (priority
 * first), with capped exponential backoff and jitter: a case system that is down delays messages, it
 * never loses them. Refused messages (4xx) are parked as outbound dead letters after `maxRefusals`.
 */
import { createHash } from 'node:crypto';
import type { Action, Warning } from '@asl/chaincode/domain';
import type { Logger } from 'pino';
import { backoffMs, type Clock } from '../core/dispatcher';
import type { DeadLetter } from '../core/outbox';
import { eventMessageType, returnToSender, serializeMessage, type Finding, type Identification, type Message } from '../message';
import type { CaseSystemSink } from './case-system-sink';
import { EventStreamReader, type SseMessage } from './event-stream';
import type { GatewayReader } from './gateway-reader';
import type { CaseIdentity, OutboundStore, QueueDraft, QueuedMessage } from './outbound-store';
import { noticeDigest, noticeMessage, readStreamItem, translate, type OutboundIdentity } from './translate';

/** Outbound settings. */
export interface OutboundPolicy {
  readonly actionsIntervalMs: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly maxRefusals: number;
  readonly streamIdleMs: number;
  readonly resolveIdentity: boolean;
}

/** What the outbound side needs. */
export interface OutboundDeps {
  readonly store: OutboundStore;
  readonly sink: CaseSystemSink;
  readonly reader: GatewayReader;
  readonly self: OutboundIdentity;
  /** The gateway's `GET /api/v1/events/stream` URL and the adapter's token. */
  readonly stream: { readonly url: string; readonly token: string };
  readonly policy: OutboundPolicy;
  readonly clock: Clock;
  readonly random: () => number;
  readonly logger: Logger;
  /** Fault injection (crash tests): called after the case system took a message, before it is removed. */
  readonly afterDelivery?: () => void;
}

/** Counters for /metrics. */
export interface OutboundCounters {
  streamItems: number;
  unreadableItems: number;
  queued: number;
  delivered: number;
  retries: number;
  refused: number;
  deadLettered: number;
  returnConflicts: number;
  deadLetterAlerts: number;
  checkpoint: number;
  connected: number;
}

const FINDING_CODE = /^[A-Za-z0-9_.:-]{1,64}$/;

/** A stream item waits: its case's identifiers could not be looked up for now (thrown to make the reader retry). */
class IdentityUnavailable extends Error {
  override readonly name = 'IdentityUnavailable';
}

/** Runs outbound for one adapter. */
export class Outbound {
  readonly counters: OutboundCounters = {
    streamItems: 0,
    unreadableItems: 0,
    queued: 0,
    delivered: 0,
    retries: 0,
    refused: 0,
    deadLettered: 0,
    returnConflicts: 0,
    deadLetterAlerts: 0,
    checkpoint: 0,
    connected: 0,
  };
  private readonly stream: EventStreamReader;
  private running = false;
  private deliveryLoop: Promise<void> | undefined;
  private wakeDelivery: (() => void) | undefined;
  private pollTimer: NodeJS.Timeout | undefined;
  private soonTimer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;
  private readonly noIdentity = new Set<string>();

  constructor(private readonly deps: OutboundDeps) {
    this.stream = new EventStreamReader({
      url: deps.stream.url,
      token: deps.stream.token,
      lastEventId: () => deps.store.checkpoint(),
      onMessage: (m) => this.onStreamMessage(m),
      idleMs: deps.policy.streamIdleMs,
      baseDelayMs: deps.policy.baseDelayMs,
      maxDelayMs: deps.policy.maxDelayMs,
      logger: deps.logger,
      random: deps.random,
      onConnected: (c) => (this.counters.connected = c ? 1 : 0),
    });
  }

  /** Starts reading, polling and delivering. */
  async start(): Promise<void> {
    this.counters.checkpoint = (await this.deps.store.checkpoint()) ?? 0;
    this.running = true;
    this.stream.start();
    this.deliveryLoop = this.deliverLoop();
    this.pollTimer = setInterval(() => this.pollSoon(0), this.deps.policy.actionsIntervalMs);
    this.pollSoon(0);
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.pollTimer !== undefined) clearInterval(this.pollTimer);
    if (this.soonTimer !== undefined) clearTimeout(this.soonTimer);
    this.wakeDelivery?.();
    await this.stream.stop();
    await this.polling;
    await this.deliveryLoop;
  }

  /** Remembers the AZR/BAMF numbers of a case the own case system wrote (from inbound deliveries). */
  async learnIdentity(caseId: string, identification: Identification): Promise<void> {
    const identity: CaseIdentity = {
      ...(identification.azrNummer === undefined ? {} : { azrNummer: identification.azrNummer }),
      ...(identification.bamfAktenzeichen === undefined ? {} : { bamfAktenzeichen: identification.bamfAktenzeichen }),
    };
    if (identity.azrNummer === undefined && identity.bamfAktenzeichen === undefined) return;
    const known = await this.deps.store.identity(caseId);
    if (known?.azrNummer === identity.azrNummer && known?.bamfAktenzeichen === identity.bamfAktenzeichen) return;
    await this.deps.store.rememberIdentity(caseId, { ...known, ...identity });
  }

  /**
   * A case's AZR/BAMF numbers: learnt before, or looked up once (`GET /cases/{id}/details`). `undefined` when the
   * lookup failed for now (no answer, 5xx, 429, 401): the caller tries again later rather than send a message
   * without the identifiers its case system files it by. A refusal (other 4xx) or a case without them gives none.
   */
  private async identityOf(caseId: string): Promise<Identification | undefined> {
    const known = await this.deps.store.identity(caseId);
    if (known !== undefined) return known;
    if (!this.deps.policy.resolveIdentity || this.noIdentity.has(caseId)) return {};
    const r = await this.deps.reader.identity(caseId);
    if (!r.ok) return r.status === 0 || r.status >= 500 || r.status === 429 || r.status === 401 ? undefined : {};
    if (r.value.azrNummer === undefined && r.value.bamfAktenzeichen === undefined) {
      this.noIdentity.add(caseId);
      return {};
    }
    await this.deps.store.rememberIdentity(caseId, r.value);
    return r.value;
  }

  /** Handles one SSE message: translate and commit with the checkpoint (throws to make the reader resume). */
  async onStreamMessage(message: SseMessage): Promise<void> {
    const seq = message.id === undefined ? undefined : Number(message.id);
    if (seq === undefined || !Number.isSafeInteger(seq)) return;
    const item = readStreamItem(message.event, message.data);
    const log = this.deps.logger;
    if (item === undefined) {
      this.counters.unreadableItems += 1;
      log.error({ seq, event: message.event.slice(0, 32), alert: 'OUTBOUND_UNREADABLE' }, 'stream item not understood, skipped');
      await this.deps.store.ingest({ checkpoint: seq, messages: [] });
      this.counters.checkpoint = seq;
      return;
    }
    const caseId = item.item.caseId;
    const known = await this.deps.store.knownWarnings(caseId);
    const identity = await this.identityOf(caseId);
    // Not committed: the reader reconnects after a backoff and reads this item again from the checkpoint.
    if (identity === undefined) throw new IdentityUnavailable();
    let drafts: QueueDraft[];
    let open: readonly string[];
    let conflict = false;
    try {
      const t = translate(item, known, identity, this.deps.self);
      drafts = t.messages;
      open = t.openWarnings;
      conflict = t.returnConflict;
    } catch {
      this.counters.unreadableItems += 1;
      log.error({ seq, caseId, alert: 'OUTBOUND_UNREADABLE' }, 'stream item does not fit the message format, skipped');
      drafts = [];
      open = known;
    }
    const queued = await this.deps.store.ingest({ checkpoint: seq, messages: drafts, warnings: new Map([[caseId, open]]) });
    this.counters.streamItems += 1;
    this.counters.checkpoint = seq;
    this.counters.queued += queued.length;
    if (conflict) {
      this.counters.returnConflicts += 1;
      log.warn({ caseId, seq, alert: 'RETURN_CONFLICT' }, 'return conflict: queued first for the case system');
    }
    if (queued.length > 0) this.wakeDelivery?.();
    this.pollSoon(500);
  }

  private pollSoon(delayMs: number): void {
    if (!this.running || this.soonTimer !== undefined) return;
    this.soonTimer = setTimeout(() => {
      this.soonTimer = undefined;
      if (this.polling !== undefined) return;
      this.polling = this.pollNotices()
        .then(() => undefined)
        .catch((err: unknown) => this.deps.logger.warn({ err: err instanceof Error ? err.name : 'unknown' }, 'notice poll failed'))
        .finally(() => (this.polling = undefined));
    }, delayMs);
  }

  /** Compares each case's open warnings and this agency's actions with the last notice; queues the changed ones. */
  async pollNotices(): Promise<number> {
    const [warnings, actions] = await Promise.all([this.deps.reader.warnings(), this.deps.reader.actions()]);
    if (!warnings.ok || !actions.ok) return 0;
    const byCase = new Map<string, { w: Warning[]; a: Action[] }>();
    const entry = (caseId: string): { w: Warning[]; a: Action[] } => {
      let e = byCase.get(caseId);
      if (e === undefined) byCase.set(caseId, (e = { w: [], a: [] }));
      return e;
    };
    for (const w of warnings.value) entry(w.caseId).w.push(w);
    for (const a of actions.value) if (a.agency === this.deps.self.mspId) entry(a.caseId).a.push(a);
    const previous = await this.deps.store.digests();
    const digests = new Map<string, string | undefined>();
    const drafts: QueueDraft[] = [];
    const at = new Date(this.deps.clock.now()).toISOString();
    const cases = new Set([...byCase.keys(), ...previous.keys()]);
    for (const caseId of [...cases].sort()) {
      const e = byCase.get(caseId) ?? { w: [], a: [] };
      const empty = e.w.length === 0 && e.a.length === 0;
      const digest = empty ? undefined : noticeDigest(e.w, e.a);
      const before = previous.get(caseId);
      if (digest === before) continue;
      const identity = await this.identityOf(caseId);
      // Left for the next comparison (its digest unchanged) while the identifiers cannot be looked up.
      if (identity === undefined) continue;
      digests.set(caseId, digest);
      const id = `H.${createHash('sha256').update(`${caseId}|${digest ?? 'none'}|${before ?? 'none'}|${at}`).digest('hex').slice(0, 48)}`;
      const message = noticeMessage({ id, at, caseId, identity, occasion: 'ACTIONS_CHANGED', warnings: e.w, actions: e.a, self: this.deps.self });
      drafts.push({ id, prio: 1, kind: 'notice', caseId, xml: serializeMessage(message) });
    }
    if (drafts.length === 0) return 0;
    const queued = await this.deps.store.ingest({ messages: drafts, digests });
    this.counters.queued += queued.length;
    this.wakeDelivery?.();
    return queued.length;
  }

  /**
   * An inbound message became a dead letter: the case system gets a ReturnToSender (reason code, the
   * message as it was accepted), queued first, and operators an alert line and a metric. Idempotent per
   * dead letter, so a restart can offer every stored dead letter again.
   */
  async deadLetterAlert(letter: DeadLetter): Promise<boolean> {
    const id = `RTS.${createHash('sha256').update(`${letter.record.id}|${letter.deadAt}`).digest('hex').slice(0, 48)}`;
    if (await this.deps.store.alerted(id)) return false;
    const { record, cause } = letter;
    const original: Message = {
      kind: 'event',
      eventType: record.event.eventType,
      body: {
        nachrichtenkopf: {
          nachrichtUUID: record.id,
          nachrichtentyp: eventMessageType(record.event.eventType).code,
          erstellungszeitpunkt: record.receivedAt,
          autor: { kennung: record.event.author },
          leser: { kennung: this.deps.self.mspId },
        },
        identifikation: record.event.identification,
        ...(record.event.person === undefined ? {} : { personendaten: record.event.person }),
        ereignis: { eingetretenAm: record.event.occurredAt, daten: record.event.data },
      },
    };
    let rejected: string;
    try {
      rejected = serializeMessage(original);
    } catch {
      rejected = '';
    }
    const findings: Finding[] = [
      ...(cause.missing ?? []).filter((c) => FINDING_CODE.test(c)).map((code) => ({ pfad: 'ledger/missing', code })),
      ...(cause.conflicting ?? []).filter((c) => FINDING_CODE.test(c)).map((code) => ({ pfad: 'ledger/conflicting', code })),
    ].slice(0, 50);
    const rts = returnToSender({
      rejection: { reason: cause.reason, findings, nachrichtUUID: record.id, author: record.event.author },
      rejected: Buffer.from(rejected, 'utf8'),
      nachrichtUUID: id,
      now: letter.deadAt,
      rejectingAuthority: this.deps.self.mspId,
      defaultReader: this.deps.self.caseSystem,
    });
    const caseId = record.caseId ?? record.event.identification.fallId;
    await this.deps.store.ingest({
      messages: [{ id, prio: 0, kind: 'returnToSender', ...(caseId === undefined ? {} : { caseId }), xml: serializeMessage(rts) }],
      alerted: [id],
    });
    this.counters.deadLetterAlerts += 1;
    this.counters.queued += 1;
    this.deps.logger.error({ id: record.id, caseId, code: cause.reason, alert: 'DEAD_LETTER_RETURNED' }, 'dead letter returned to the case system');
    this.wakeDelivery?.();
    return true;
  }

  /**
   * Waits `ms`. An idle wait ends early when something is queued; a backoff wait only on `stop`, so
   * new messages do not shorten the spacing of retries to a case system that is down.
   */
  private wait(ms: number, wakeable: boolean): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.wakeDelivery = undefined;
        resolve();
      }, ms);
      this.wakeDelivery = () => {
        if (wakeable || !this.running) {
          clearTimeout(t);
          this.wakeDelivery = undefined;
          resolve();
        }
      };
    });
  }

  private async deliverLoop(): Promise<void> {
    while (this.running) {
      let head: QueuedMessage | undefined;
      try {
        head = await this.deps.store.head();
      } catch {
        head = undefined;
      }
      if (head === undefined) {
        await this.wait(1_000, true);
        continue;
      }
      const wait = await this.deliverOne(head);
      if (wait > 0 && this.running) await this.wait(wait, false);
    }
  }

  /** Delivers one message; returns how long to wait before the next attempt (0: go on). Exposed for tests. */
  async deliverOne(message: QueuedMessage): Promise<number> {
    const { store, sink, logger, policy } = this.deps;
    const result = await sink.deliver(message);
    const base = { id: message.id, kind: message.kind, ...(message.caseId === undefined ? {} : { caseId: message.caseId }) };
    if (result.ok) {
      this.deps.afterDelivery?.();
      await store.delivered(message);
      this.counters.delivered += 1;
      logger.debug(base, 'delivered to the case system');
      return 0;
    }
    const attempts = message.attempts + 1;
    if (!result.transient) {
      const refusals = message.refusals + 1;
      this.counters.refused += 1;
      if (refusals >= policy.maxRefusals) {
        await store.deadLetter(message, result.status, new Date(this.deps.clock.now()).toISOString());
        this.counters.deadLettered += 1;
        logger.error({ ...base, status: result.status, alert: 'OUTBOUND_DEAD_LETTER' }, 'the case system refused a message; parked');
        return 0;
      }
      await store.update({ ...message, attempts, refusals });
    } else {
      await store.update({ ...message, attempts });
    }
    this.counters.retries += 1;
    const wait = backoffMs(message.attempts, policy, this.deps.random);
    logger.warn({ ...base, status: result.status, attempt: attempts, waitMs: wait }, 'case system delivery failed, will retry');
    return wait;
  }

  /** Prometheus lines. */
  metrics(): string[] {
    const c = this.counters;
    const line = (name: string, type: 'counter' | 'gauge', value: number): string[] => [`# TYPE ${name} ${type}`, `${name} ${value}`];
    return [
      ...line('asl_adapter_outbound_stream_items_total', 'counter', c.streamItems),
      ...line('asl_adapter_outbound_unreadable_items_total', 'counter', c.unreadableItems),
      ...line('asl_adapter_outbound_stream_connected', 'gauge', c.connected),
      ...line('asl_adapter_outbound_checkpoint', 'gauge', c.checkpoint),
      ...line('asl_adapter_outbound_queued_total', 'counter', c.queued),
      ...line('asl_adapter_outbound_delivered_total', 'counter', c.delivered),
      ...line('asl_adapter_outbound_retries_total', 'counter', c.retries),
      ...line('asl_adapter_outbound_refused_total', 'counter', c.refused),
      ...line('asl_adapter_outbound_dead_letters_total', 'counter', c.deadLettered),
      ...line('asl_adapter_outbound_return_conflicts_total', 'counter', c.returnConflicts),
      ...line('asl_adapter_dead_letter_alerts_total', 'counter', c.deadLetterAlerts),
    ];
  }
}
