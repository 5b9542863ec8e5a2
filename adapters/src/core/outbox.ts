/**
 * The durable outbox: every inbound message the adapter acknowledged, until the ledger recorded it or
 * it became a dead letter. `accept` resolves only after the record is fsync'd (LevelDB batch with
 * `sync: true`), which is what the 202 of `POST /messages` promises.
 *
 * Ports (style.md): `Outbox` for the delivery path, `DeadLetters` for operators. One implementation,
 * `LevelOutbox`, over any abstract-level database: memory-level in unit tests, classic-level on disk
 * in integration tests and production; both run the same behavioural suite.
 */
import { createHash } from 'node:crypto';
import { canonicalJson, type EventType } from '@asl/chaincode/domain';
import { z } from 'zod';
import type { Identification, Person, RejectionReason } from '../message';

/** The part of an inbound event message the ledger needs, as accepted (identifiers in the clear). */
export interface InboundEvent {
  readonly eventType: EventType;
  readonly occurredAt: string;
  readonly identification: Identification;
  readonly person?: Person;
  /** Event data in message form (court proceedings in the clear, resolved to `courtRef` at delivery). */
  readonly data: Record<string, unknown>;
  /** The authority that sent it (`autor/kennung`), the reader of a ReturnToSender. */
  readonly author: string;
}

/** A pending outbox record. Holds identifying data: erasable through `purge`. */
export interface OutboxRecord {
  readonly seq: number;
  /** `nachrichtUUID`, sent to the ledger as `sourceMessageId`. */
  readonly id: string;
  readonly receivedAt: string;
  /** Per-case ordering key: the case pseudonym if the message carried it, else the normalised AZR number. */
  readonly laneKey: string;
  readonly event: InboundEvent;
  readonly attempts: number;
  /** Epoch ms before which the record is not tried again. */
  readonly notBefore: number;
  /** When the current run of transient failures began (epoch ms). */
  readonly failingSince?: number;
  /** When the ledger first answered that an earlier event is missing (epoch ms). */
  readonly heldSince?: number;
  /** The last refusal's code (no detail values). */
  readonly lastCode?: string;
  readonly caseId?: string;
}

/** Why a record became a dead letter: a reason code and code-only detail. */
export interface DeadLetterCause {
  readonly reason: RejectionReason;
  readonly status?: number;
  readonly missing?: readonly string[];
  readonly conflicting?: readonly string[];
}

/** A dead letter: the record and why it could not be recorded. */
export interface DeadLetter {
  readonly record: OutboxRecord;
  readonly deadAt: string;
  readonly cause: DeadLetterCause;
}

/** What an operator sees in a list: no identifying data. */
export interface DeadLetterSummary {
  readonly id: string;
  readonly eventType: EventType;
  readonly deadAt: string;
  readonly reason: RejectionReason;
  readonly attempts: number;
  readonly caseId?: string;
}

/** What `accept` did. */
export type AcceptOutcome =
  | { readonly status: 'accepted'; readonly record: OutboxRecord }
  | { readonly status: 'duplicate' }
  | { readonly status: 'conflict' };

/** Which records a purge removes. */
export interface PurgeSelector {
  readonly azrNumber?: string;
  readonly caseId?: string;
}

/** The delivery side of the outbox. */
export interface Outbox {
  /** Stores a new message durably (fsync) unless its id is known: same content = duplicate, other content = conflict. */
  accept(input: { id: string; receivedAt: string; laneKey: string; event: InboundEvent }): Promise<AcceptOutcome>;
  /** Every pending record, in acceptance order. */
  pending(): Promise<OutboxRecord[]>;
  /** Stores a record's retry state. */
  update(record: OutboxRecord): Promise<void>;
  /** The ledger recorded it: remove the record, remember the id. */
  complete(record: OutboxRecord): Promise<void>;
  /** Moves a pending record to the dead letters. */
  deadLetter(record: OutboxRecord, cause: DeadLetterCause, deadAt: string): Promise<void>;
  /** Removes every pending record and dead letter of a case (erasure); returns how many. */
  purge(selector: PurgeSelector): Promise<number>;
  close(): Promise<void>;
}

/** The operators' side. */
export interface DeadLetters {
  listDeadLetters(): Promise<DeadLetterSummary[]>;
  getDeadLetter(id: string): Promise<DeadLetter | undefined>;
  /** Back into the outbox at the end of its case's order; returns the new pending record. */
  retryDeadLetter(id: string, now: number): Promise<OutboxRecord | undefined>;
  discardDeadLetter(id: string): Promise<boolean>;
}

/** The subset of abstract-level the outbox uses (memory-level and classic-level both satisfy it). */
export interface LevelLike {
  open(): Promise<void>;
  close(): Promise<void>;
  get(key: string): Promise<unknown>;
  batch(
    ops: ({ type: 'put'; key: string; value: unknown } | { type: 'del'; key: string })[],
    options?: { sync?: boolean },
  ): Promise<void>;
  iterator(options: { gt?: string; lt?: string; reverse?: boolean; limit?: number }): AsyncIterable<[string, unknown]>;
}

const IndexEntrySchema = z.strictObject({
  state: z.enum(['pending', 'done', 'dead']),
  seq: z.number().int().nonnegative(),
  hash: z.string(),
});
type IndexEntry = z.infer<typeof IndexEntrySchema>;

const P = 'p!';
const X = 'x!';
const I = 'i!';
const SEQ = 'meta!seq';
const seqKey = (prefix: string, seq: number): string => `${prefix}${String(seq).padStart(16, '0')}`;

/** The content hash of an accepted event (what a repeated `nachrichtUUID` must match). */
export function contentHash(event: InboundEvent): string {
  return createHash('sha256').update(canonicalJson(event)).digest('hex');
}

function normaliseAzr(raw: string): string {
  return raw.replace(/[ .-]/g, '');
}

/** The outbox and dead letters on an abstract-level database (JSON values). */
export class LevelOutbox implements Outbox, DeadLetters {
  private nextSeq = 0;
  /** Serialises writes that read-modify-write the index. */
  private chain: Promise<unknown> = Promise.resolve();

  private constructor(private readonly db: LevelLike) {}

  /** Opens the store and reads the sequence counter. */
  static async open(db: LevelLike): Promise<LevelOutbox> {
    await db.open();
    const outbox = new LevelOutbox(db);
    const stored = await outbox.read(SEQ);
    outbox.nextSeq = typeof stored === 'number' ? stored : 0;
    return outbox;
  }

  private async read(key: string): Promise<unknown> {
    const value = await this.db.get(key);
    return value ?? undefined;
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.chain.then(work, work);
    this.chain = next.catch(() => undefined);
    return next;
  }

  private async index(id: string): Promise<IndexEntry | undefined> {
    const raw = await this.read(I + id);
    return raw === undefined ? undefined : IndexEntrySchema.parse(raw);
  }

  accept(input: { id: string; receivedAt: string; laneKey: string; event: InboundEvent }): Promise<AcceptOutcome> {
    return this.serial(async () => {
      const hash = contentHash(input.event);
      const known = await this.index(input.id);
      if (known !== undefined) return known.hash === hash ? { status: 'duplicate' } : { status: 'conflict' };
      const seq = this.nextSeq;
      const record: OutboxRecord = { seq, ...input, attempts: 0, notBefore: 0 };
      await this.db.batch(
        [
          { type: 'put', key: seqKey(P, seq), value: record },
          { type: 'put', key: I + input.id, value: { state: 'pending', seq, hash } satisfies IndexEntry },
          { type: 'put', key: SEQ, value: seq + 1 },
        ],
        { sync: true },
      );
      this.nextSeq = seq + 1;
      return { status: 'accepted', record };
    });
  }

  async pending(): Promise<OutboxRecord[]> {
    const out: OutboxRecord[] = [];
    for await (const [, value] of this.db.iterator({ gt: P, lt: `${P}~` })) out.push(value as OutboxRecord);
    return out;
  }

  update(record: OutboxRecord): Promise<void> {
    return this.serial(async () => {
      if ((await this.read(seqKey(P, record.seq))) === undefined) return;
      await this.db.batch([{ type: 'put', key: seqKey(P, record.seq), value: record }]);
    });
  }

  complete(record: OutboxRecord): Promise<void> {
    return this.serial(async () => {
      const known = await this.index(record.id);
      await this.db.batch([
        { type: 'del', key: seqKey(P, record.seq) },
        { type: 'put', key: I + record.id, value: { state: 'done', seq: record.seq, hash: known?.hash ?? '' } satisfies IndexEntry },
      ]);
    });
  }

  deadLetter(record: OutboxRecord, cause: DeadLetterCause, deadAt: string): Promise<void> {
    return this.serial(async () => {
      const known = await this.index(record.id);
      const letter: DeadLetter = { record, deadAt, cause };
      await this.db.batch(
        [
          { type: 'del', key: seqKey(P, record.seq) },
          { type: 'put', key: seqKey(X, record.seq), value: letter },
          { type: 'put', key: I + record.id, value: { state: 'dead', seq: record.seq, hash: known?.hash ?? '' } satisfies IndexEntry },
        ],
        { sync: true },
      );
    });
  }

  async listDeadLetters(): Promise<DeadLetterSummary[]> {
    const out: DeadLetterSummary[] = [];
    for await (const [, value] of this.db.iterator({ gt: X, lt: `${X}~` })) {
      const letter = value as DeadLetter;
      out.push({
        id: letter.record.id,
        eventType: letter.record.event.eventType,
        deadAt: letter.deadAt,
        reason: letter.cause.reason,
        attempts: letter.record.attempts,
        ...(letter.record.caseId === undefined ? {} : { caseId: letter.record.caseId }),
      });
    }
    return out;
  }

  async getDeadLetter(id: string): Promise<DeadLetter | undefined> {
    const known = await this.index(id);
    if (known?.state !== 'dead') return undefined;
    return (await this.read(seqKey(X, known.seq))) as DeadLetter | undefined;
  }

  retryDeadLetter(id: string, now: number): Promise<OutboxRecord | undefined> {
    return this.serial(async () => {
      const known = await this.index(id);
      if (known?.state !== 'dead') return undefined;
      const letter = (await this.read(seqKey(X, known.seq))) as DeadLetter | undefined;
      if (letter === undefined) return undefined;
      const seq = this.nextSeq;
      const old = letter.record;
      const record: OutboxRecord = {
        seq,
        id: old.id,
        receivedAt: old.receivedAt,
        laneKey: old.laneKey,
        event: old.event,
        attempts: 0,
        notBefore: now,
        ...(old.caseId === undefined ? {} : { caseId: old.caseId }),
      };
      await this.db.batch(
        [
          { type: 'del', key: seqKey(X, known.seq) },
          { type: 'put', key: seqKey(P, seq), value: record },
          { type: 'put', key: I + id, value: { ...known, state: 'pending', seq } satisfies IndexEntry },
          { type: 'put', key: SEQ, value: seq + 1 },
        ],
        { sync: true },
      );
      this.nextSeq = seq + 1;
      return record;
    });
  }

  discardDeadLetter(id: string): Promise<boolean> {
    return this.serial(async () => {
      const known = await this.index(id);
      if (known?.state !== 'dead') return false;
      await this.db.batch(
        [
          { type: 'del', key: seqKey(X, known.seq) },
          { type: 'put', key: I + id, value: { ...known, state: 'done' } satisfies IndexEntry },
        ],
        { sync: true },
      );
      return true;
    });
  }

  purge(selector: PurgeSelector): Promise<number> {
    return this.serial(async () => {
      const azr = selector.azrNumber === undefined ? undefined : normaliseAzr(selector.azrNumber);
      const matches = (r: OutboxRecord): boolean =>
        (selector.caseId !== undefined && (r.caseId === selector.caseId || r.event.identification.fallId === selector.caseId)) ||
        (azr !== undefined && r.event.identification.azrNummer !== undefined && normaliseAzr(r.event.identification.azrNummer) === azr);
      const ops: { type: 'del'; key: string }[] = [];
      for await (const [key, value] of this.db.iterator({ gt: P, lt: `${P}~` })) if (matches(value as OutboxRecord)) ops.push({ type: 'del', key });
      for await (const [key, value] of this.db.iterator({ gt: X, lt: `${X}~` })) if (matches((value as DeadLetter).record)) ops.push({ type: 'del', key });
      if (ops.length > 0) await this.db.batch(ops, { sync: true });
      return ops.length;
    });
  }

  async close(): Promise<void> {
    await this.chain;
    await this.db.close();
  }
}
