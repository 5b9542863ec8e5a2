import type { common } from '@hyperledger/fabric-protos';

/**
 * Port through which the verifier reads blocks. Every implementation yields the same `common.Block` objects for
 * the same ledger, so the verifier's report does not depend on where the blocks came from.
 */
export interface BlockSource {
  /** Short description for reports, e.g. `block store /copy/chains/ankerdresden`. */
  readonly description: string;
  /** The block with this number, or `undefined` if the source has none. */
  getBlock(blockNumber: number): Promise<common.Block | undefined>;
  /**
   * Blocks in the order the source holds them, starting with block `from` and ending after block `to` (or at the end
   * of the source). The order is not normalised: a reordered block store yields reordered blocks, so the verifier
   * can report it.
   */
  blocks(from: number, to?: number): AsyncIterable<common.Block>;
}

/** Thrown by a block source that cannot read or decode its blocks. */
export class BlockSourceError extends Error {
  /** Number of the last block read successfully before the failure, if any. */
  readonly afterBlock: number | undefined;

  constructor(message: string, afterBlock?: number) {
    super(message);
    this.name = 'BlockSourceError';
    this.afterBlock = afterBlock;
  }
}
