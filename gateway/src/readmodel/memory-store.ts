import type { Warning } from '@asl/chaincode/domain';
import type { LedgerEntry } from '../ports/case-ledger';
import { compareCheckpoints, type LedgerCheckpoint } from '../ports/ledger-events';
import type { ProjectionStore, StreamItem } from '../ports/projection-store';

/** A {@link ProjectionStore} in memory, for unit tests. */
export class MemoryProjectionStore implements ProjectionStore {
  #cases = new Map<string, LedgerEntry[]>();
  #stream: StreamItem[] = [];
  #announced = new Set<string>();
  #checkpoint: LedgerCheckpoint | undefined;

  applyEntry(entry: LedgerEntry): Promise<StreamItem | undefined> {
    const at = { blockNumber: entry.receipt.blockNumber, txIndex: entry.receipt.txIndex, txId: entry.receipt.txId };
    if (this.#checkpoint && compareCheckpoints(at, this.#checkpoint) <= 0) return Promise.resolve(undefined);
    const caseId = entry.event.caseId;
    const list = this.#cases.get(caseId) ?? [];
    list.push(entry);
    this.#cases.set(caseId, list);
    const item: StreamItem = { seq: this.#stream.length + 1, kind: 'event', caseId, entry };
    this.#stream.push(item);
    this.#checkpoint = at;
    return Promise.resolve(item);
  }

  announceWarning(warning: Warning): Promise<StreamItem | undefined> {
    if (this.#announced.has(warning.id + '@' + warning.openedAt)) return Promise.resolve(undefined);
    this.#announced.add(warning.id + '@' + warning.openedAt);
    const item: StreamItem = { seq: this.#stream.length + 1, kind: 'warning', caseId: warning.caseId, warning };
    this.#stream.push(item);
    return Promise.resolve(item);
  }

  checkpoint(): Promise<LedgerCheckpoint | undefined> {
    return Promise.resolve(this.#checkpoint);
  }

  caseEntries(caseId: string): Promise<readonly LedgerEntry[] | undefined> {
    return Promise.resolve(this.#cases.get(caseId)?.slice());
  }

  caseIds(after: string | undefined, limit: number): Promise<readonly string[]> {
    const ids = [...this.#cases.keys()].sort().filter((id) => after === undefined || id > after);
    return Promise.resolve(ids.slice(0, limit));
  }

  streamAfter(afterSeq: number, limit: number): Promise<readonly StreamItem[]> {
    return Promise.resolve(this.#stream.slice(Math.max(0, afterSeq), Math.max(0, afterSeq) + limit));
  }

  streamHead(): Promise<number> {
    return Promise.resolve(this.#stream.length);
  }

  clear(): Promise<void> {
    this.#cases = new Map();
    this.#stream = [];
    this.#announced = new Set();
    this.#checkpoint = undefined;
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
