import type { LedgerEntry } from './case-ledger';

/** A position in the channel's event stream: every entry up to and including (blockNumber, txIndex) was handled. */
export interface LedgerCheckpoint {
  /** Decimal block number. */
  readonly blockNumber: string;
  readonly txIndex: number;
  /** The transaction at that position (fabric-gateway resumes after it within the block). */
  readonly txId?: string;
}

/** A running subscription; `close()` stops delivery. */
export interface Subscription {
  close(): void;
}

/** Handlers of a subscription. `onEntry` and `onBlockProcessed` are awaited before anything further is delivered. */
export interface LedgerEventHandlers {
  onEntry(entry: LedgerEntry): Promise<void>;
  /**
   * Every entry of every block up to and including `blockNumber` (decimal) has been delivered, including
   * blocks without any case event (value lists, enforcement records, channel configuration, lifecycle).
   * Reported at least when the stream has caught up with the ledger, so the projection's lag is measured in
   * blocks it has not processed rather than in blocks since the last case event.
   */
  onBlockProcessed?(blockNumber: string): Promise<void>;
  /** The stream failed; the implementation reconnects by itself and reports here. */
  onError?(error: unknown): void;
}

/**
 * The channel's committed events in ledger order, from a checkpoint (exclusive) on. Implementations:
 * the in-memory ledger (unit tests) and fabric-gateway's checkpointed chaincode events.
 */
export interface LedgerEvents {
  subscribe(after: LedgerCheckpoint | undefined, handlers: LedgerEventHandlers): Subscription;
}

/** Orders two positions in the ledger. */
export function compareCheckpoints(a: LedgerCheckpoint, b: LedgerCheckpoint): number {
  const ab = BigInt(a.blockNumber);
  const bb = BigInt(b.blockNumber);
  if (ab !== bb) return ab < bb ? -1 : 1;
  return a.txIndex - b.txIndex;
}
