import type { Warning } from '@asl/chaincode/domain';
import type { LedgerEntry } from './case-ledger';
import type { LedgerCheckpoint } from './ledger-events';

/** One item of the gateway's durable event stream (what SSE serves; `seq` is the `Last-Event-ID`). */
export type StreamItem =
  | { readonly seq: number; readonly kind: 'event'; readonly caseId: string; readonly entry: LedgerEntry }
  | { readonly seq: number; readonly kind: 'warning'; readonly caseId: string; readonly warning: Warning };

/**
 * The read model's storage: the ledger entries per case, a durable stream with sequence numbers and the
 * checkpoint, each entry applied atomically with its checkpoint. Implementations: memory (unit tests) and
 * classic-level (the server); both pass one compliance suite. It holds pseudonymous data only: no
 * `caseDetails`, so a purge on the ledger needs nothing erased here.
 */
export interface ProjectionStore {
  /** Applies an entry and advances the checkpoint; an entry at or before the checkpoint is ignored (undefined). */
  applyEntry(entry: LedgerEntry): Promise<StreamItem | undefined>;
  /** Appends a clock-rule warning opening to the stream, once per warning id (undefined when already announced). */
  announceWarning(warning: Warning): Promise<StreamItem | undefined>;
  checkpoint(): Promise<LedgerCheckpoint | undefined>;
  /** The case's entries in ledger order, or undefined for an unknown case. */
  caseEntries(caseId: string): Promise<readonly LedgerEntry[] | undefined>;
  /** Case ids in ascending order, after `after` (exclusive). */
  caseIds(after: string | undefined, limit: number): Promise<readonly string[]>;
  /** Stream items with `seq` > `afterSeq`, ascending. */
  streamAfter(afterSeq: number, limit: number): Promise<readonly StreamItem[]>;
  /** The stream's last sequence number (0 while empty): where a stream that starts at the head begins. */
  streamHead(): Promise<number>;
  /** Drops everything (for a rebuild from the ledger). */
  clear(): Promise<void>;
  close(): Promise<void>;
}
