import type { AuditFinding } from './audit-codes';
import { AuditError } from './audit-codes';
import type { BlockSource } from './block-source';
import { blockHashOf, commitHashOf, transactionFilterOf } from './ledger-verifier';

/** A difference between two copies of the ledger at one block. */
export interface Divergence extends AuditFinding {
  readonly blockNumber: number;
}

/** The result of comparing two copies block by block. */
export interface ComparisonReport {
  readonly left: string;
  readonly right: string;
  readonly from: number;
  readonly to: number;
  /** True if every compared block has the same header hash, validation flags and commit hash in both copies. */
  readonly identical: boolean;
  /** First block at which the copies differ in any way, if any. */
  readonly firstDivergentBlock: number | undefined;
  readonly divergences: readonly Divergence[];
}

/** Options for {@link compareLedgers}. */
export interface CompareLedgersOptions {
  readonly left: BlockSource;
  readonly right: BlockSource;
  readonly from?: number;
  /** Last block to compare (required: two live peers may be at different heights). */
  readonly to: number;
}

function hex(bytes: Uint8Array | undefined): string {
  return bytes ? Buffer.from(bytes).toString('hex') : '';
}

/**
 * Compares two copies of the same channel (e.g. BAMF's and ZAB's peer): header hash, TRANSACTIONS_FILTER and
 * COMMIT_HASH per block. Metadata is outside the header hash, so this is the check that finds a validation flag
 * changed in one copy, or peers that applied different state updates.
 */
export async function compareLedgers(options: CompareLedgersOptions): Promise<ComparisonReport> {
  const from = options.from ?? 0;
  const { to } = options;
  if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to) || from < 0 || to < from) {
    throw new AuditError('BAD_ARGUMENT', 'compare needs 0 <= from <= to');
  }
  const divergences: Divergence[] = [];
  for (let n = from; n <= to; n++) {
    const [a, b] = await Promise.all([options.left.getBlock(n), options.right.getBlock(n)]);
    if (!a || !b) {
      if (a !== b) divergences.push({ blockNumber: n, code: 'HEIGHT_DIVERGENCE', detail: `block ${n} is only in the ${a ? 'left' : 'right'} copy` });
      continue;
    }
    if (blockHashOf(a) !== blockHashOf(b)) {
      divergences.push({ blockNumber: n, code: 'BLOCK_HASH_DIVERGENCE', detail: `header hashes ${blockHashOf(a)} / ${blockHashOf(b)}` });
    }
    if (hex(transactionFilterOf(a)) !== hex(transactionFilterOf(b))) {
      divergences.push({ blockNumber: n, code: 'TX_FILTER_DIVERGENCE', detail: `validation flags ${hex(transactionFilterOf(a))} / ${hex(transactionFilterOf(b))}` });
    }
    const ca = commitHashOf(a);
    const cb = commitHashOf(b);
    if (ca !== undefined && cb !== undefined && ca !== cb) {
      divergences.push({ blockNumber: n, code: 'COMMIT_HASH_DIVERGENCE', detail: `commit hashes ${ca} / ${cb}` });
    } else if ((ca === undefined) !== (cb === undefined)) {
      divergences.push({ blockNumber: n, code: 'COMMIT_HASH_MISSING', detail: `only the ${ca ? 'left' : 'right'} copy has a commit hash` });
    }
  }
  return {
    left: options.left.description,
    right: options.right.description,
    from,
    to,
    identical: divergences.length === 0,
    firstDivergentBlock: divergences[0]?.blockNumber,
    divergences,
  };
}
