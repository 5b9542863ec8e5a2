import type { common } from '@hyperledger/fabric-protos';
import type { AuditFinding } from './audit-codes';
import { AuditError } from './audit-codes';
import { type BlockSource, BlockSourceError } from './block-source';
import type { ChannelConfig } from './channel-config';
import type { Checkpoint } from './checkpoint';
import { type BlockContext, type BlockReport, type ExpectedBlock, configFromBlock, verifyBlock } from './ledger-verifier';

/** Why the verified chain could not be extended to a block. */
export interface ChainGap {
  /** The block that failed verification, or where the source ended. */
  readonly blockNumber: number;
  readonly findings: readonly AuditFinding[];
}

/** The outcome of {@link VerifiedChain.extendTo}. */
export interface ChainExtension {
  /** Number of verified blocks now (the verified chain is blocks 0 … height − 1). */
  readonly height: number;
  /** Set when the requested block could not be reached: the first block that failed and why. */
  readonly gap: ChainGap | undefined;
}

/** A configuration in force from block `from` on, carried by configuration block `lastConfigIndex`. */
interface ConfigEpoch {
  readonly from: number;
  readonly config: ChannelConfig;
  readonly lastConfigIndex: number;
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * A prefix of the channel's chain, verified once from the genesis block and extended as new blocks arrive, so that
 * proving something about block N (a receipt) costs the blocks not yet verified plus block N itself, not the whole
 * path from the last configuration block.
 *
 * Each block is admitted only after {@link verifyBlock} found it valid in order (hash chain, data hash, orderer
 * signatures under the configuration in force, creators, endorsements); the chain keeps every admitted header hash
 * and each configuration with the block it came into force. A block already admitted is re-checked by
 * {@link verifyAdmitted}: its header hash must still be the admitted one (`CHECKPOINT_MISMATCH` otherwise: every
 * admitted block is a checkpoint), and the block itself is verified again under the configuration in force there.
 *
 * What it does not do: block metadata outside the header hash (validation flags, commit hash) is read as the source
 * serves it now, exactly as a full audit does; and nothing is persisted — a new process verifies from genesis again.
 */
export class VerifiedChain {
  readonly #source: BlockSource;
  readonly #hashes: Buffer[] = [];
  readonly #epochs: ConfigEpoch[] = [];
  #genesisConfig: ChannelConfig | undefined;
  /** Extensions run one at a time; concurrent callers wait for the one before. */
  #queue: Promise<unknown> = Promise.resolve();

  constructor(source: BlockSource) {
    this.#source = source;
  }

  /** The source the chain is verified from. */
  get source(): BlockSource {
    return this.#source;
  }

  /** Number of verified blocks (blocks 0 … height − 1 are admitted). */
  get height(): number {
    return this.#hashes.length;
  }

  /** The checkpoint of the last admitted block, if any. */
  head(): Checkpoint | undefined {
    const n = this.#hashes.length - 1;
    const hash = this.#hashes[n];
    return hash ? { blockNumber: n, blockHash: hash.toString('hex') } : undefined;
  }

  /** The admitted header hash of block `n` (hex), if it is admitted. */
  hashOf(n: number): string | undefined {
    return this.#hashes[n]?.toString('hex');
  }

  /**
   * Verifies and admits blocks from the current height up to block `to` (nothing to do when it is admitted already).
   * Stops at the first block that does not verify and reports it as the gap; that block and all after it stay out,
   * so a later call tries again from there. Errors of the source other than undecodable blocks propagate.
   */
  extendTo(to: number): Promise<ChainExtension> {
    if (!Number.isSafeInteger(to) || to < 0) return Promise.reject(new AuditError('BAD_ARGUMENT', 'block number must be a non-negative integer'));
    const run = this.#queue.then(() => this.#extend(to));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #extend(to: number): Promise<ChainExtension> {
    if (to < this.#hashes.length) return { height: this.#hashes.length, gap: undefined };
    let expected = this.#expectedAt(this.#hashes.length);
    try {
      for await (const block of this.#source.blocks(expected.number, to)) {
        const number = expected.number;
        const anchor = number === 0;
        let context: BlockContext;
        if (anchor) {
          try {
            this.#genesisConfig = configFromBlock(block);
          } catch (err) {
            return this.#gap(number, [{ code: 'CONFIG_UNAVAILABLE', detail: `genesis block: ${errorMessage(err)}` }]);
          }
          context = { config: this.#genesisConfig, lastConfigIndex: 0, anchor: true };
        } else context = this.#contextAt(number);
        const result = verifyBlock(block, expected, context);
        if (!result) return this.#gap(number, [{ code: 'MALFORMED_BLOCK', detail: 'block has no header' }]);
        if (!result.report.valid) return this.#gap(number, result.report.errors);
        this.#hashes.push(result.hash);
        if (anchor && this.#genesisConfig) this.#epochs.push({ from: 1, config: this.#genesisConfig, lastConfigIndex: 0 });
        if (result.newConfig) this.#epochs.push({ from: number + 1, config: result.newConfig, lastConfigIndex: number });
        if (number === to) break;
        expected = this.#expectedAt(this.#hashes.length);
      }
    } catch (err) {
      if (!(err instanceof BlockSourceError)) throw err;
      return this.#gap(this.#hashes.length, [{ code: 'MALFORMED_BLOCK', detail: `block ${this.#hashes.length}: ${err.message}` }]);
    }
    if (this.#hashes.length <= to) {
      return this.#gap(this.#hashes.length, [{ code: 'CHAIN_TRUNCATED', detail: `requested blocks up to ${to}, the source ended at ${this.#hashes.length - 1}` }]);
    }
    return { height: this.#hashes.length, gap: undefined };
  }

  #gap(blockNumber: number, findings: readonly AuditFinding[]): ChainExtension {
    return { height: this.#hashes.length, gap: { blockNumber, findings } };
  }

  #expectedAt(n: number): ExpectedBlock {
    return { number: n, previousHash: n === 0 ? undefined : this.#hashes[n - 1] };
  }

  /** The configuration context of block `n` > 0: the last epoch that started at or before it. */
  #contextAt(n: number): BlockContext {
    let epoch: ConfigEpoch | undefined;
    for (const e of this.#epochs) if (e.from <= n) epoch = e;
    return { config: epoch?.config, lastConfigIndex: epoch?.lastConfigIndex, anchor: false };
  }

  /**
   * Verifies an admitted block again as it is served now: the same checks as when it was admitted, under the
   * configuration in force at its number, plus `CHECKPOINT_MISMATCH` when its header hash is no longer the admitted
   * one. Throws {@link AuditError} for a block that is not admitted (extend the chain first).
   */
  verifyAdmitted(block: common.Block): BlockReport {
    const number = block.getHeader()?.getNumber();
    if (number === undefined) throw new AuditError('BAD_ARGUMENT', 'block has no header');
    const admitted = this.#hashes[number];
    if (!admitted) throw new AuditError('BAD_ARGUMENT', `block ${number} is not in the verified chain (height ${this.#hashes.length})`);
    const anchor = number === 0;
    const context: BlockContext = anchor ? { config: this.#genesisConfig, lastConfigIndex: 0, anchor: true } : this.#contextAt(number);
    const result = verifyBlock(block, this.#expectedAt(number), context);
    if (!result) {
      return { blockNumber: number, blockHash: '', valid: false, errors: [{ code: 'MALFORMED_BLOCK', detail: 'block has no header' }], notices: [], transactions: [], commitHash: undefined, trustAnchor: anchor };
    }
    const { report } = result;
    if (report.blockHash === admitted.toString('hex')) return report;
    return {
      ...report,
      valid: false,
      errors: [...report.errors, { code: 'CHECKPOINT_MISMATCH', detail: `block ${number} was verified with hash ${admitted.toString('hex')}, its hash now is ${report.blockHash}` }],
    };
  }
}
