import { z } from 'zod';
import {
  CaseIdSchema,
  CaseViewSchema,
  StoredEventSchema,
  TxIdSchema,
  type CaseView,
  type DecideResult,
  type IdempotencyRecord,
  type StoredEvent,
} from '../domain';
import { Keys, KEY_TYPES, type KeyBuilder } from './keys';
import { scanPage, type Page, type PagedScanner } from './pagination';
import { decodeState, encodeState } from './state-codec';

/** The stub calls public state handling needs. */
export interface PublicStateStub extends KeyBuilder, PagedScanner {
  getState(key: string): Promise<Uint8Array>;
  putState(key: string, value: Uint8Array): Promise<void>;
  deleteState(key: string): Promise<void>;
  getStateByPartialCompositeKey(
    objectType: string,
    attributes: string[],
  ): Promise<{ next(): Promise<{ value: { key: string; value: Uint8Array }; done: boolean }>; close(): Promise<void> }>;
}

/** The case record: the view cache (with the open event-rule warnings) and the next event position. */
export const CaseRecordSchema = z.strictObject({
  caseId: CaseIdSchema,
  eventCount: z.number().int().nonnegative(),
  view: CaseViewSchema,
});

/** A stored case record. */
export type CaseRecord = z.infer<typeof CaseRecordSchema>;

/** The idempotency record of (writer MSP, `sourceMessageId`): where the event is and its content hash. */
export const WriteRecordSchema = z.strictObject({
  caseId: CaseIdSchema,
  sequence: z.number().int().nonnegative(),
  txId: TxIdSchema,
  contentHash: z.string().regex(/^[0-9a-f]{64}$/),
});

/** A stored idempotency record. */
export type WriteRecord = z.infer<typeof WriteRecordSchema>;

/** An index entry's value (never empty: Fabric treats an empty value as a delete). */
const IndexEntrySchema = z.strictObject({ caseId: CaseIdSchema });

/** A write as {@link CaseLedger.loadWrite} returns it: the record and the event it points at. */
export interface LoadedWrite {
  readonly record: WriteRecord;
  readonly event: StoredEvent;
}

/** Everything a decision needs about a case, loaded before the domain decides. */
export interface LoadedCase {
  readonly record: CaseRecord | undefined;
  readonly history: readonly StoredEvent[];
}

/** The index families a list transaction can page through. */
export type IndexFamily = typeof KEY_TYPES.phaseIndex | typeof KEY_TYPES.warningIndex;

/**
 * The public state of the `procedure` chaincode: events, case records, idempotency records and the
 * phase and warning indexes, all under composite keys, all values canonical JSON.
 */
export class CaseLedger {
  private readonly stub: PublicStateStub;
  private readonly keys: Keys;

  constructor(stub: PublicStateStub) {
    this.stub = stub;
    this.keys = new Keys(stub);
  }

  /** The case record, if the case exists. */
  async loadRecord(caseId: string): Promise<CaseRecord | undefined> {
    return decodeState(await this.stub.getState(this.keys.case(caseId)), CaseRecordSchema);
  }

  /** The case record and its events in ledger order. */
  async loadCase(caseId: string): Promise<LoadedCase> {
    const record = await this.loadRecord(caseId);
    if (record === undefined) return { record, history: [] };
    const history: StoredEvent[] = [];
    const iterator = await this.stub.getStateByPartialCompositeKey(KEY_TYPES.event, [caseId]);
    try {
      for (let r = await iterator.next(); !r.done; r = await iterator.next()) {
        const event = decodeState(r.value.value, StoredEventSchema);
        if (event !== undefined) history.push(event);
      }
    } finally {
      await iterator.close();
    }
    if (history.length !== record.eventCount) throw new Error('case record and events disagree');
    return { record, history };
  }

  /** The write recorded for (MSP, `sourceMessageId`), with its event. */
  async loadWrite(mspId: string, sourceMessageId: string): Promise<LoadedWrite | undefined> {
    const record = decodeState(await this.stub.getState(this.keys.write(mspId, sourceMessageId)), WriteRecordSchema);
    if (record === undefined) return undefined;
    const event = decodeState(await this.stub.getState(this.keys.event(record.caseId, record.sequence)), StoredEventSchema);
    if (event === undefined) throw new Error('idempotency record points at no event');
    return { record, event };
  }

  /** The idempotency record in the shape the domain decision takes. */
  static idempotencyOf(write: LoadedWrite | undefined): IdempotencyRecord | undefined {
    return write === undefined ? undefined : { contentHash: write.record.contentHash, event: write.event };
  }

  /**
   * Stores an accepted decision: the event at the next position, the case record with the cached view,
   * the idempotency record, and the index entries of the new phase and open event-rule warnings,
   * deleting the entries that no longer hold.
   */
  async storeDecision(previous: CaseRecord | undefined, result: DecideResult): Promise<void> {
    const { event } = result;
    const sequence = previous?.eventCount ?? 0;
    const record: CaseRecord = { caseId: event.caseId, eventCount: sequence + 1, view: result.storedView };
    const write: WriteRecord = { caseId: event.caseId, sequence, txId: event.txId, contentHash: result.contentHash };
    await this.stub.putState(this.keys.event(event.caseId, sequence), encodeState(event));
    await this.stub.putState(this.keys.case(event.caseId), encodeState(record));
    await this.stub.putState(this.keys.write(event.actor.mspId, event.sourceMessageId), encodeState(write));
    await this.updateIndexes(event.caseId, previous?.view, result.storedView);
  }

  private async updateIndexes(caseId: string, before: CaseView | undefined, after: CaseView): Promise<void> {
    const entry = encodeState({ caseId });
    if (before?.phase !== after.phase) {
      if (before !== undefined) await this.stub.deleteState(this.keys.phaseIndex(before.phase, caseId));
      await this.stub.putState(this.keys.phaseIndex(after.phase, caseId), entry);
    }
    const open = new Set<string>(after.warnings.filter((w) => !w.clock).map((w) => w.code));
    const was = new Set<string>((before?.warnings ?? []).filter((w) => !w.clock).map((w) => w.code));
    for (const code of [...was].sort()) {
      if (!open.has(code)) await this.stub.deleteState(this.keys.warningIndex(code, caseId));
    }
    for (const code of [...open].sort()) {
      if (!was.has(code)) await this.stub.putState(this.keys.warningIndex(code, caseId), entry);
    }
  }

  /** One page of an index: the case IDs in a phase or with an open event-rule warning. */
  async indexPage(family: IndexFamily, value: string, pageSize: number, bookmark: string | undefined): Promise<Page> {
    const page = await scanPage(this.stub, family, [value], pageSize, bookmark);
    for (const item of page.items) decodeState(item.value, IndexEntrySchema);
    return page;
  }
}
