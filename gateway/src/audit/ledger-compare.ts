import type { common } from '@hyperledger/fabric-protos';
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

/** What the comparison of two copies looks at in one block. */
export interface BlockDigest {
  /** Hex header hash. */
  readonly blockHash: string;
  /** Hex TRANSACTIONS_FILTER (one validation code per transaction); empty when the block has none. */
  readonly transactionFilter: string;
  /** Hex COMMIT_HASH metadata value, if any. */
  readonly commitHash: string | undefined;
}

/** The {@link BlockDigest} of a block. */
export function blockDigest(block: common.Block): BlockDigest {
  return { blockHash: blockHashOf(block), transactionFilter: hex(transactionFilterOf(block)), commitHash: commitHashOf(block) };
}

/** The divergences between two copies' digests of block `n` (undefined: the copy lacks the block). */
export function compareDigests(n: number, a: BlockDigest | undefined, b: BlockDigest | undefined): Divergence[] {
  if (!a || !b) return a === b ? [] : [{ blockNumber: n, code: 'HEIGHT_DIVERGENCE', detail: `block ${n} is only in the ${a ? 'left' : 'right'} copy` }];
  const out: Divergence[] = [];
  if (a.blockHash !== b.blockHash) out.push({ blockNumber: n, code: 'BLOCK_HASH_DIVERGENCE', detail: `header hashes ${a.blockHash} / ${b.blockHash}` });
  if (a.transactionFilter !== b.transactionFilter) {
    out.push({ blockNumber: n, code: 'TX_FILTER_DIVERGENCE', detail: `validation flags ${a.transactionFilter} / ${b.transactionFilter}` });
  }
  if (a.commitHash !== undefined && b.commitHash !== undefined && a.commitHash !== b.commitHash) {
    out.push({ blockNumber: n, code: 'COMMIT_HASH_DIVERGENCE', detail: `commit hashes ${a.commitHash} / ${b.commitHash}` });
  } else if ((a.commitHash === undefined) !== (b.commitHash === undefined)) {
    out.push({ blockNumber: n, code: 'COMMIT_HASH_MISSING', detail: `only the ${a.commitHash ? 'left' : 'right'} copy has a commit hash` });
  }
  return out;
}

function checkRange(from: number, to: number): void {
  if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to) || from < 0 || to < from) {
    throw new AuditError('BAD_ARGUMENT', 'compare needs 0 <= from <= to');
  }
}

function comparison(left: string, right: string, from: number, to: number, divergences: Divergence[]): ComparisonReport {
  return { left, right, from, to, identical: divergences.length === 0, firstDivergentBlock: divergences[0]?.blockNumber, divergences };
}

/**
 * Compares two copies of the same channel (e.g. BAMF's and ZAB's peer): header hash, TRANSACTIONS_FILTER and
 * COMMIT_HASH per block. Metadata is outside the header hash, so this is the check that finds a validation flag
 * changed in one copy, or peers that applied different state updates.
 */
export async function compareLedgers(options: CompareLedgersOptions): Promise<ComparisonReport> {
  const from = options.from ?? 0;
  const { to } = options;
  checkRange(from, to);
  const divergences: Divergence[] = [];
  for (let n = from; n <= to; n++) {
    const [a, b] = await Promise.all([options.left.getBlock(n), options.right.getBlock(n)]);
    divergences.push(...compareDigests(n, a && blockDigest(a), b && blockDigest(b)));
  }
  return comparison(options.left.description, options.right.description, from, to, divergences);
}

/**
 * Compares digests already taken of one copy (e.g. while it was verified) with another copy read in one pass from
 * `from` to `to`: the same checks as {@link compareLedgers}, reading only the other copy.
 */
export async function compareWithDigests(options: {
  readonly left: ReadonlyMap<number, BlockDigest>;
  readonly leftDescription: string;
  readonly right: BlockSource;
  readonly from: number;
  readonly to: number;
}): Promise<ComparisonReport> {
  const { from, to } = options;
  checkRange(from, to);
  const seen = new Map<number, BlockDigest>();
  for await (const block of options.right.blocks(from, to)) {
    const n = block.getHeader()?.getNumber();
    if (n !== undefined && n >= from && n <= to && !seen.has(n)) seen.set(n, blockDigest(block));
  }
  const divergences: Divergence[] = [];
  for (let n = from; n <= to; n++) divergences.push(...compareDigests(n, options.left.get(n), seen.get(n)));
  return comparison(options.leftDescription, options.right.description, from, to, divergences);
}
