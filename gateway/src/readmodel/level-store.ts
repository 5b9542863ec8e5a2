import type { Warning } from '@asl/chaincode/domain';
import { ClassicLevel } from 'classic-level';
import type { LedgerEntry } from '../ports/case-ledger';
import { compareCheckpoints, type LedgerCheckpoint } from '../ports/ledger-events';
import type { ProjectionStore, StreamItem } from '../ports/projection-store';

const CHECKPOINT = 'm:checkpoint';
const SEQ = 'm:seq';
const pad = (n: bigint | number, width: number): string => n.toString().padStart(width, '0');

/**
 * A {@link ProjectionStore} on disk (classic-level). Each entry is written in one atomic batch with the
 * checkpoint and the stream sequence, so after a crash the store resumes at an entry boundary: no gap, no
 * duplicate. Keys: `c:<caseId>:<block 20>:<txIndex 6>` entries, `i:<caseId>` case index,
 * `s:<seq 15>` stream, `a:<warningId>@<openedAt>` announced clock warnings, `m:*` metadata.
 */
export class LevelProjectionStore implements ProjectionStore {
  readonly #db: ClassicLevel<string, string>;
  /** Serialises writes: the checkpoint and sequence are read-modify-write. */
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(db: ClassicLevel<string, string>) {
    this.#db = db;
  }

  /** Opens (or creates) the store in `location`. */
  static async open(location: string): Promise<LevelProjectionStore> {
    const db = new ClassicLevel<string, string>(location, { valueEncoding: 'utf8' });
    await db.open();
    return new LevelProjectionStore(db);
  }

  #serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(fn, fn);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #get(key: string): Promise<string | undefined> {
    return (await this.#db.get(key)) ?? undefined;
  }

  async #seq(): Promise<number> {
    const v = await this.#get(SEQ);
    return v === undefined ? 0 : Number(v);
  }

  applyEntry(entry: LedgerEntry): Promise<StreamItem | undefined> {
    return this.#serial(async () => {
      const at: LedgerCheckpoint = { blockNumber: entry.receipt.blockNumber, txIndex: entry.receipt.txIndex, txId: entry.receipt.txId };
      const current = await this.checkpoint();
      if (current && compareCheckpoints(at, current) <= 0) return undefined;
      const caseId = entry.event.caseId;
      const seq = (await this.#seq()) + 1;
      const item: StreamItem = { seq, kind: 'event', caseId, entry };
      await this.#db.batch([
        { type: 'put', key: `c:${caseId}:${pad(BigInt(at.blockNumber), 20)}:${pad(at.txIndex, 6)}`, value: JSON.stringify(entry) },
        { type: 'put', key: `i:${caseId}`, value: '' },
        { type: 'put', key: `s:${pad(seq, 15)}`, value: JSON.stringify(item) },
        { type: 'put', key: SEQ, value: String(seq) },
        { type: 'put', key: CHECKPOINT, value: JSON.stringify(at) },
      ]);
      return item;
    });
  }

  announceWarning(warning: Warning): Promise<StreamItem | undefined> {
    return this.#serial(async () => {
      const key = `a:${warning.id}@${warning.openedAt}`;
      if ((await this.#get(key)) !== undefined) return undefined;
      const seq = (await this.#seq()) + 1;
      const item: StreamItem = { seq, kind: 'warning', caseId: warning.caseId, warning };
      await this.#db.batch([
        { type: 'put', key, value: '' },
        { type: 'put', key: `s:${pad(seq, 15)}`, value: JSON.stringify(item) },
        { type: 'put', key: SEQ, value: String(seq) },
      ]);
      return item;
    });
  }

  async checkpoint(): Promise<LedgerCheckpoint | undefined> {
    const v = await this.#get(CHECKPOINT);
    return v === undefined ? undefined : (JSON.parse(v) as LedgerCheckpoint);
  }

  async caseEntries(caseId: string): Promise<readonly LedgerEntry[] | undefined> {
    const out: LedgerEntry[] = [];
    for await (const value of this.#db.values({ gt: `c:${caseId}:`, lt: `c:${caseId};` })) out.push(JSON.parse(value) as LedgerEntry);
    return out.length === 0 ? undefined : out;
  }

  async caseIds(after: string | undefined, limit: number): Promise<readonly string[]> {
    const out: string[] = [];
    for await (const key of this.#db.keys({ gt: after === undefined ? 'i:' : `i:${after}`, lt: 'i;', limit })) out.push(key.slice(2));
    return out;
  }

  async streamAfter(afterSeq: number, limit: number): Promise<readonly StreamItem[]> {
    const out: StreamItem[] = [];
    for await (const value of this.#db.values({ gt: `s:${pad(afterSeq, 15)}`, lt: 's;', limit })) out.push(JSON.parse(value) as StreamItem);
    return out;
  }

  streamHead(): Promise<number> {
    return this.#seq();
  }

  clear(): Promise<void> {
    return this.#serial(() => this.#db.clear());
  }

  close(): Promise<void> {
    return this.#serial(() => this.#db.close());
  }
}
