/**
 * The outbound side's durable state, on its own LevelDB (abstract-level: memory-level in unit tests,
 * classic-level on disk): the event stream's checkpoint, the queue of messages for the case system,
 * what was last announced per case (open warning ids, the notice digest), the case identities learnt
 * from inbound deliveries, and the outbound dead letters.
 *
 * The stream checkpoint and the messages an item produced are written in **one** fsync'd batch: after
 * a crash the stream resumes exactly after the last item whose messages are queued, so nothing is lost
 * and nothing is queued twice. Delivery then removes a message only after the case system took it, so a
 * crash in between redelivers it with the same `nachrichtUUID` (at least once; the case system dedupes).
 */
import type { Identification } from '../message';
import type { LevelLike } from '../core/outbox';

/** One message waiting for the case system. */
export interface QueuedMessage {
  readonly seq: number;
  /** The message's `nachrichtUUID` (the ledger `txId` for partner events). */
  readonly id: string;
  /** 0 = first (ReturnConflict notices, ReturnToSender of dead letters), 1 = in stream order. */
  readonly prio: 0 | 1;
  readonly kind: 'event' | 'notice' | 'returnToSender';
  readonly caseId?: string;
  /** The serialized XML, written once, so every redelivery carries identical bytes. */
  readonly xml: string;
  readonly attempts: number;
  readonly refusals: number;
}

/** A message the case system refused `maxRefusals` times. */
export interface OutboundDeadLetter {
  readonly message: QueuedMessage;
  readonly deadAt: string;
  readonly status: number;
}

/** A message to queue (the store assigns `seq`). */
export type QueueDraft = Omit<QueuedMessage, 'seq' | 'attempts' | 'refusals'>;

/** Identifiers of a case as its case system knows them (identifying: erasable through `purge`). */
export type CaseIdentity = Pick<Identification, 'azrNummer' | 'bamfAktenzeichen'>;

/** What one ingest step commits atomically. */
export interface IngestBatch {
  /** The stream item's id (`Last-Event-ID`), when the batch consumes one. */
  readonly checkpoint?: number;
  readonly messages: readonly QueueDraft[];
  /** Open warning ids per case after the item (an empty list forgets the case). */
  readonly warnings?: ReadonlyMap<string, readonly string[]>;
  /** Notice digests per case (`undefined` forgets the case). */
  readonly digests?: ReadonlyMap<string, string | undefined>;
  /** Dead-letter alerts already queued (their ids), so a restart does not queue them again. */
  readonly alerted?: readonly string[];
}

const CHECKPOINT = 'c!checkpoint';
const SEQ = 'c!seq';
const Q = 'q!';
const Z = 'z!';
const pad = (n: number): string => String(n).padStart(16, '0');
const queueKey = (m: { prio: number; seq: number }): string => `${Q}${m.prio}!${pad(m.seq)}`;

type Op = { type: 'put'; key: string; value: unknown } | { type: 'del'; key: string };

/** The outbound store. */
export class OutboundStore {
  private nextSeq = 0;
  private chain: Promise<unknown> = Promise.resolve();

  private constructor(private readonly db: LevelLike) {}

  /** Opens the store. */
  static async open(db: LevelLike): Promise<OutboundStore> {
    await db.open();
    const store = new OutboundStore(db);
    const seq = await db.get(SEQ);
    store.nextSeq = typeof seq === 'number' ? seq : 0;
    return store;
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.chain.then(work, work);
    this.chain = next.catch(() => undefined);
    return next;
  }

  private async read(key: string): Promise<unknown> {
    return (await this.db.get(key)) ?? undefined;
  }

  /** The last stream item consumed (undefined before the first). */
  async checkpoint(): Promise<number | undefined> {
    const v = await this.read(CHECKPOINT);
    return typeof v === 'number' ? v : undefined;
  }

  /** The open warning ids last seen for a case. */
  async knownWarnings(caseId: string): Promise<readonly string[]> {
    const v = await this.read(`w!${caseId}`);
    return Array.isArray(v) ? (v as string[]) : [];
  }

  /** Every case's last notice digest. */
  async digests(): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for await (const [key, value] of this.db.iterator({ gt: 'd!', lt: 'd!~' })) out.set(key.slice(2), String(value));
    return out;
  }

  /** Whether a dead-letter alert with this id was queued before. */
  async alerted(id: string): Promise<boolean> {
    return (await this.read(`r!${id}`)) !== undefined;
  }

  /** The identifiers of a case, if learnt. */
  async identity(caseId: string): Promise<CaseIdentity | undefined> {
    return (await this.read(`m!${caseId}`)) as CaseIdentity | undefined;
  }

  /** Remembers a case's identifiers (from an inbound delivery or a details lookup). */
  rememberIdentity(caseId: string, identity: CaseIdentity): Promise<void> {
    return this.serial(() => this.db.batch([{ type: 'put', key: `m!${caseId}`, value: identity }]));
  }

  /** Commits one ingest step in a single fsync'd batch; returns the queued messages. */
  ingest(batch: IngestBatch): Promise<QueuedMessage[]> {
    return this.serial(async () => {
      const ops: Op[] = [];
      const queued: QueuedMessage[] = [];
      let seq = this.nextSeq;
      for (const draft of batch.messages) {
        const message: QueuedMessage = { ...draft, seq, attempts: 0, refusals: 0 };
        seq += 1;
        queued.push(message);
        ops.push({ type: 'put', key: queueKey(message), value: message });
      }
      ops.push({ type: 'put', key: SEQ, value: seq });
      if (batch.checkpoint !== undefined) ops.push({ type: 'put', key: CHECKPOINT, value: batch.checkpoint });
      for (const [caseId, ids] of batch.warnings ?? []) {
        ops.push(ids.length === 0 ? { type: 'del', key: `w!${caseId}` } : { type: 'put', key: `w!${caseId}`, value: [...ids] });
      }
      for (const [caseId, digest] of batch.digests ?? []) {
        ops.push(digest === undefined ? { type: 'del', key: `d!${caseId}` } : { type: 'put', key: `d!${caseId}`, value: digest });
      }
      for (const id of batch.alerted ?? []) ops.push({ type: 'put', key: `r!${id}`, value: 1 });
      await this.db.batch(ops, { sync: true });
      this.nextSeq = seq;
      return queued;
    });
  }

  /** The next message to deliver: priority first, then queue order. */
  async head(): Promise<QueuedMessage | undefined> {
    for await (const [, value] of this.db.iterator({ gt: Q, lt: `${Q}~`, limit: 1 })) return value as QueuedMessage;
    return undefined;
  }

  /** Messages waiting. */
  async queued(): Promise<QueuedMessage[]> {
    const out: QueuedMessage[] = [];
    for await (const [, value] of this.db.iterator({ gt: Q, lt: `${Q}~` })) out.push(value as QueuedMessage);
    return out;
  }

  /** The case system took it. No fsync: losing this in a power cut only redelivers with the same id. */
  delivered(message: QueuedMessage): Promise<void> {
    return this.serial(() => this.db.batch([{ type: 'del', key: queueKey(message) }]));
  }

  /** Stores retry counters. */
  update(message: QueuedMessage): Promise<void> {
    return this.serial(async () => {
      if ((await this.read(queueKey(message))) === undefined) return;
      await this.db.batch([{ type: 'put', key: queueKey(message), value: message }]);
    });
  }

  /** Parks a refused message. */
  deadLetter(message: QueuedMessage, status: number, deadAt: string): Promise<void> {
    return this.serial(() =>
      this.db.batch(
        [
          { type: 'del', key: queueKey(message) },
          { type: 'put', key: `${Z}${pad(message.seq)}`, value: { message, status, deadAt } satisfies OutboundDeadLetter },
        ],
        { sync: true },
      ),
    );
  }

  /** The parked messages. */
  async deadLetters(): Promise<OutboundDeadLetter[]> {
    const out: OutboundDeadLetter[] = [];
    for await (const [, value] of this.db.iterator({ gt: Z, lt: `${Z}~` })) out.push(value as OutboundDeadLetter);
    return out;
  }

  /**
   * Removes everything held about a case (erasure, domain.md §2); by AZR number through the identity map.
   * Returns how many queued or parked messages were removed.
   */
  purge(selector: { caseId?: string; azrNumber?: string }): Promise<number> {
    return this.serial(async () => {
      const caseIds = new Set<string>();
      if (selector.caseId !== undefined) caseIds.add(selector.caseId);
      if (selector.azrNumber !== undefined) {
        const azr = selector.azrNumber.replace(/[ .-]/g, '');
        for await (const [key, value] of this.db.iterator({ gt: 'm!', lt: 'm!~' })) {
          if ((value as CaseIdentity).azrNummer?.replace(/[ .-]/g, '') === azr) caseIds.add(key.slice(2));
        }
      }
      const ops: Op[] = [];
      for await (const [key, value] of this.db.iterator({ gt: Q, lt: `${Q}~` })) {
        const caseId = (value as QueuedMessage).caseId;
        if (caseId !== undefined && caseIds.has(caseId)) ops.push({ type: 'del', key });
      }
      for await (const [key, value] of this.db.iterator({ gt: Z, lt: `${Z}~` })) {
        const caseId = (value as OutboundDeadLetter).message.caseId;
        if (caseId !== undefined && caseIds.has(caseId)) ops.push({ type: 'del', key });
      }
      const messages = ops.length;
      for (const caseId of caseIds) for (const p of ['m!', 'w!', 'd!']) ops.push({ type: 'del', key: `${p}${caseId}` });
      if (ops.length > 0) await this.db.batch(ops, { sync: true });
      return messages;
    });
  }

  async close(): Promise<void> {
    await this.chain;
    await this.db.close();
  }
}
