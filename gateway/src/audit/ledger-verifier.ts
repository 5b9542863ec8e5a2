import { common } from '@hyperledger/fabric-protos';
import { AuditError, type AuditFinding } from './audit-codes';
import { blockDataHash, blockHeaderBytes, blockHeaderHash } from './block-hash';
import { type BlockSource, BlockSourceError } from './block-source';
import { type Checkpoint } from './checkpoint';
import { type ChannelConfig, channelConfigFromEnvelope, policySatisfied } from './channel-config';
import type { ValidIdentity } from './msp';
import { verifySignature } from './msp';
import {
  chaincodeEventOf,
  computeTxId,
  decodeTransaction,
  endorsementsOf,
  headerTypeName,
  validationCodeName,
} from './transaction';

const SIGNATURES = common.BlockMetadataIndex.SIGNATURES;
const LAST_CONFIG = common.BlockMetadataIndex.LAST_CONFIG;
const TRANSACTIONS_FILTER = common.BlockMetadataIndex.TRANSACTIONS_FILTER;
const COMMIT_HASH = common.BlockMetadataIndex.COMMIT_HASH;
const BLOCK_VALIDATION = ['Orderer', 'BlockValidation'] as const;

/** What the verifier learnt about one transaction. */
export interface TransactionSummary {
  readonly txIndex: number;
  readonly txId: string;
  /** Channel header type name, e.g. `ENDORSER_TRANSACTION` or `CONFIG`. */
  readonly type: string;
  /** Validation code the peer recorded in TRANSACTIONS_FILTER, by name (`VALID`, `MVCC_READ_CONFLICT`, …). */
  readonly validationCode: string;
  readonly creatorMspId: string;
  /** MSP IDs of endorsements whose identity and signature verified, sorted and de-duplicated. */
  readonly endorserMspIds: readonly string[];
  /** Chaincode ID and event name of the transaction's chaincode event, if any (payload omitted from reports). */
  readonly event?: { readonly chaincodeId: string; readonly eventName: string };
}

/** The verdict on one block. */
export interface BlockReport {
  readonly blockNumber: number;
  /** Hex SHA-256 of the DER header: this block's hash. */
  readonly blockHash: string;
  readonly valid: boolean;
  readonly errors: readonly AuditFinding[];
  /** Findings that do not make the block invalid (e.g. REVOCATION_NOT_CHECKED). */
  readonly notices: readonly AuditFinding[];
  readonly transactions: readonly TransactionSummary[];
  /** Hex COMMIT_HASH metadata value, if the block has one (peer-local; compare across copies). */
  readonly commitHash: string | undefined;
  /** Whether this block is the trust anchor of the audit (the configuration block the audit started from). */
  readonly trustAnchor: boolean;
}

/** The result of verifying a range of blocks. */
export interface AuditReport {
  readonly source: string;
  readonly channelId: string | undefined;
  /** First and last block verified (the first may precede the requested `from`: see {@link VerifyLedgerOptions.from}). */
  readonly firstBlock: number | undefined;
  readonly lastBlock: number | undefined;
  readonly valid: boolean;
  readonly blocks: readonly BlockReport[];
  /** Findings about the range rather than one block (CHAIN_TRUNCATED, CONFIG_UNAVAILABLE, …). */
  readonly errors: readonly AuditFinding[];
  /** Checkpoint of the last block verified, to save for the next audit (meaningful only if `valid`). */
  readonly nextCheckpoint: Checkpoint | undefined;
}

/** Options for {@link verifyLedger}. */
export interface VerifyLedgerOptions {
  readonly source: BlockSource;
  /**
   * First block to verify (default: the checkpoint's block, else 0). The configuration in force there must be known,
   * so the audit actually starts at the configuration block named by that block's LAST_CONFIG index — the trust
   * anchor — and reports the blocks from there.
   */
  readonly from?: number;
  /** Last block to verify (default: the last block of the source). A source that ends earlier is CHAIN_TRUNCATED. */
  readonly to?: number;
  /** A saved checkpoint: the block at its number must still have its hash, and the chain must reach it. */
  readonly checkpoint?: Checkpoint;
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The last-config index a block carries (SIGNATURES value, falling back to LAST_CONFIG as Fabric does). */
export function lastConfigIndexOf(block: common.Block): number | undefined {
  const entries = block.getMetadata()?.getMetadataList_asU8() ?? [];
  const signatures = entries[SIGNATURES];
  if (signatures && signatures.length > 0) {
    const value = common.Metadata.deserializeBinary(signatures).getValue_asU8();
    if (value.length > 0) return common.OrdererBlockMetadata.deserializeBinary(value).getLastConfig()?.getIndex() ?? 0;
  }
  const lastConfig = entries[LAST_CONFIG];
  if (lastConfig && lastConfig.length > 0) {
    return common.LastConfig.deserializeBinary(common.Metadata.deserializeBinary(lastConfig).getValue_asU8()).getIndex();
  }
  return undefined;
}

/** The COMMIT_HASH metadata value of a block (hex), if present. */
export function commitHashOf(block: common.Block): string | undefined {
  const entry = block.getMetadata()?.getMetadataList_asU8()[COMMIT_HASH];
  if (!entry || entry.length === 0) return undefined;
  const value = common.Metadata.deserializeBinary(entry).getValue_asU8();
  return value.length > 0 ? hex(value) : undefined;
}

/** The TRANSACTIONS_FILTER metadata (one validation code per transaction), if present. */
export function transactionFilterOf(block: common.Block): Uint8Array | undefined {
  const entry = block.getMetadata()?.getMetadataList_asU8()[TRANSACTIONS_FILTER];
  return entry && entry.length > 0 ? entry : undefined;
}

/** Hash of a block's header (hex). */
export function blockHashOf(block: common.Block): string {
  const header = block.getHeader();
  if (!header) throw new AuditError('BAD_ARGUMENT', 'block has no header');
  return hex(blockHeaderHash({ number: header.getNumber(), previousHash: header.getPreviousHash_asU8(), dataHash: header.getDataHash_asU8() }));
}

/** What the verification of one block needs to know about the chain before it. */
export interface BlockContext {
  /** The channel configuration in force for the block (undefined: the trust anchor's could not be read). */
  readonly config: ChannelConfig | undefined;
  /** Number of the last configuration block before this block. */
  readonly lastConfigIndex: number | undefined;
  /** Whether the block is the trust anchor (its own CONFIG envelope is taken as given). */
  readonly anchor: boolean;
}

/** The block number and previous hash the next block must have (no previous hash: the anchor, not checked). */
export interface ExpectedBlock {
  readonly number: number;
  readonly previousHash: Buffer | undefined;
}

/** The verdict on one block with what the next block's verification needs. */
export interface BlockVerification {
  readonly report: BlockReport;
  /** The block's header hash (raw bytes of {@link BlockReport.blockHash}). */
  readonly hash: Buffer;
  /** The configuration this block carries, in force from the next block on (config blocks only, never the anchor's). */
  readonly newConfig: ChannelConfig | undefined;
}

class BlockCheck {
  readonly errors: AuditFinding[] = [];
  readonly notices: AuditFinding[] = [];
  readonly transactions: TransactionSummary[] = [];
  /** Configuration carried by this block, applied from the next block on. */
  newConfig: ChannelConfig | undefined;

  error(finding: AuditFinding): void {
    this.errors.push(finding);
  }

  notice(finding: AuditFinding): void {
    if (!this.notices.some((n) => n.code === finding.code && n.detail === finding.detail)) this.notices.push(finding);
  }
}

function checkOrdererSignatures(block: common.Block, header: common.BlockHeader, config: ChannelConfig, check: BlockCheck): void {
  const entry = block.getMetadata()?.getMetadataList_asU8()[SIGNATURES];
  if (!entry || entry.length === 0) {
    check.error({ code: 'ORDERER_SIGNATURE_POLICY_UNMET', detail: 'block has no SIGNATURES metadata' });
    return;
  }
  let metadata: common.Metadata;
  try {
    metadata = common.Metadata.deserializeBinary(entry);
  } catch (err) {
    check.error({ code: 'MALFORMED_METADATA', detail: `SIGNATURES metadata: ${errorMessage(err)}` });
    return;
  }
  const headerBytes = blockHeaderBytes({
    number: header.getNumber(),
    previousHash: header.getPreviousHash_asU8(),
    dataHash: header.getDataHash_asU8(),
  });
  const signers: ValidIdentity[] = [];
  metadata.getSignaturesList().forEach((sig, i) => {
    let identityBytes: Uint8Array;
    let signedHeader: Uint8Array;
    const signatureHeader = sig.getSignatureHeader_asU8();
    const identifierHeader = sig.getIdentifierHeader_asU8();
    try {
      if (signatureHeader.length === 0 && identifierHeader.length > 0) {
        const id = common.IdentifierHeader.deserializeBinary(identifierHeader).getIdentifier();
        const consenter = config.consenters.get(id);
        if (!consenter) {
          check.error({ code: 'ORDERER_SIGNATURE_INVALID', detail: `signature ${i}: consenter id ${id} is not in the configuration` });
          return;
        }
        identityBytes = consenter;
        signedHeader = identifierHeader;
      } else {
        identityBytes = common.SignatureHeader.deserializeBinary(signatureHeader).getCreator_asU8();
        signedHeader = signatureHeader;
      }
    } catch (err) {
      check.error({ code: 'MALFORMED_METADATA', detail: `signature ${i}: ${errorMessage(err)}` });
      return;
    }
    const identity = config.checkIdentity(identityBytes);
    if (!identity.ok) {
      check.error({ code: identity.code, detail: `orderer signature ${i}: ${identity.detail}` });
      return;
    }
    const signedBytes = Buffer.concat([metadata.getValue_asU8(), signedHeader, headerBytes]);
    const failure = verifySignature(identity.identity.certificate, signedBytes, sig.getSignature_asU8());
    if (failure) {
      check.error({ code: 'ORDERER_SIGNATURE_INVALID', detail: `orderer signature ${i} (${identity.identity.mspId}): ${failure}` });
      return;
    }
    signers.push(identity.identity);
  });
  const satisfied = policySatisfied(config, BLOCK_VALIDATION, signers);
  if (satisfied !== true) {
    check.error({
      code: 'ORDERER_SIGNATURE_POLICY_UNMET',
      detail:
        satisfied === undefined
          ? 'the configuration has no /Channel/Orderer/BlockValidation policy'
          : `${signers.length} valid orderer signature(s) do not satisfy /Channel/Orderer/BlockValidation`,
    });
  }
}

function checkTransaction(
  envelopeBytes: Uint8Array,
  txIndex: number,
  flag: number | undefined,
  blockNumber: number,
  context: BlockContext,
  check: BlockCheck,
): void {
  let tx: ReturnType<typeof decodeTransaction>;
  try {
    tx = decodeTransaction(envelopeBytes);
  } catch (err) {
    check.error({ code: 'MALFORMED_TRANSACTION', detail: `envelope: ${errorMessage(err)}`, txIndex });
    return;
  }
  const validationCode = flag === undefined ? 'UNKNOWN' : validationCodeName(flag);
  const isValid = flag === 0;
  const config = context.config;
  if (config && tx.channelId !== config.channelId) {
    check.error({ code: 'CHANNEL_MISMATCH', detail: `transaction names channel ${tx.channelId}`, txIndex });
  }
  let creatorMspId = '';
  const endorserMspIds = new Set<string>();
  let event: TransactionSummary['event'];
  // The anchor's own CONFIG envelope is trusted as is: a genesis block's envelope is not even signed.
  const checkCreator = config !== undefined && !(context.anchor && tx.type === common.HeaderType.CONFIG);
  if (checkCreator) {
    const creator = config.checkIdentity(tx.creator);
    if (!creator.ok) {
      creatorMspId = creator.mspId;
      check.error({ code: creator.code, detail: `creator: ${creator.detail}`, txIndex });
    } else {
      creatorMspId = creator.identity.mspId;
      const failure = verifySignature(creator.identity.certificate, tx.payloadBytes, tx.signature);
      if (failure) check.error({ code: 'CREATOR_SIGNATURE_INVALID', detail: `${creatorMspId}: ${failure}`, txIndex });
    }
  }
  switch (tx.type) {
    case common.HeaderType.ENDORSER_TRANSACTION: {
      if (computeTxId(tx.nonce, tx.creator) !== tx.txId) {
        check.error({ code: 'TX_ID_MISMATCH', detail: 'transaction ID is not hex(SHA-256(nonce ‖ creator))', txIndex });
      }
      let endorsements: ReturnType<typeof endorsementsOf>;
      try {
        endorsements = endorsementsOf(tx.payloadData);
        const ev = chaincodeEventOf(tx.payloadData);
        if (ev) event = { chaincodeId: ev.chaincodeId, eventName: ev.eventName };
      } catch (err) {
        check.error({ code: 'MALFORMED_TRANSACTION', detail: `transaction actions: ${errorMessage(err)}`, txIndex });
        break;
      }
      if (!config) break;
      // Fabric itself rejected a transaction with a non-VALID flag; its endorsement defects are reported, not errors.
      const report = (finding: AuditFinding): void => (isValid ? check.error(finding) : check.notice(finding));
      endorsements.forEach((e, i) => {
        const endorser = config.checkIdentity(e.endorser);
        if (!endorser.ok) {
          report({ code: endorser.code, detail: `endorsement ${i}: ${endorser.detail}`, txIndex });
          return;
        }
        const failure = verifySignature(endorser.identity.certificate, e.signedBytes, e.signature);
        if (failure) {
          report({ code: 'ENDORSEMENT_SIGNATURE_INVALID', detail: `endorsement ${i} (${endorser.identity.mspId}): ${failure}`, txIndex });
          return;
        }
        endorserMspIds.add(endorser.identity.mspId);
      });
      break;
    }
    case common.HeaderType.CONFIG: {
      try {
        check.newConfig = channelConfigFromEnvelope(tx.payloadData, tx.channelId, blockNumber);
      } catch (err) {
        check.error({ code: 'CONFIG_INVALID', detail: errorMessage(err), txIndex });
      }
      break;
    }
    default:
      check.notice({ code: 'UNSUPPORTED_TX_TYPE', detail: `header type ${headerTypeName(tx.type)}`, txIndex });
  }
  check.transactions.push({
    txIndex,
    txId: tx.txId,
    type: headerTypeName(tx.type),
    validationCode,
    creatorMspId,
    endorserMspIds: [...endorserMspIds].sort(),
    ...(event ? { event } : {}),
  });
}

function noticeConfig(config: ChannelConfig, check: BlockCheck): void {
  for (const reason of config.unusableMsps) check.notice({ code: 'UNKNOWN_MSP', detail: `unusable MSP in configuration: ${reason}` });
  for (const msp of config.msps.values()) {
    if (msp.hasRevocationLists) check.notice({ code: 'REVOCATION_NOT_CHECKED', detail: `MSP ${msp.mspId} has revocation lists` });
  }
}

/**
 * Verifies one block given the state of the chain before it (pure apart from signature checks): number, data hash,
 * link to the previous header, orderer signatures and last-config index under the configuration in force, every
 * transaction's creator and endorsements. Undefined when the block has no header at all.
 */
export function verifyBlock(block: common.Block, expected: ExpectedBlock, context: BlockContext): BlockVerification | undefined {
  const header = block.getHeader();
  if (!header) return undefined;
  const check = new BlockCheck();
  const number = header.getNumber();
  if (number !== expected.number) {
    check.error({ code: 'BLOCK_NUMBER_GAP', detail: `expected block ${expected.number}, found block ${number}` });
  }
  const envelopes = block.getData()?.getDataList_asU8() ?? [];
  const dataHash = blockDataHash(envelopes);
  if (!dataHash.equals(Buffer.from(header.getDataHash_asU8()))) {
    check.error({ code: 'DATA_HASH_MISMATCH', detail: `data_hash ${hex(header.getDataHash_asU8())}, computed ${hex(dataHash)}` });
  }
  if (expected.previousHash && !expected.previousHash.equals(Buffer.from(header.getPreviousHash_asU8()))) {
    check.error({
      code: 'PREVIOUS_HASH_MISMATCH',
      detail: `previous_hash ${hex(header.getPreviousHash_asU8())}, hash of previous header ${expected.previousHash.toString('hex')}`,
    });
  }
  const hash = blockHeaderHash({ number, previousHash: header.getPreviousHash_asU8(), dataHash: header.getDataHash_asU8() });

  const metadataCount = block.getMetadata()?.getMetadataList().length ?? 0;
  if (metadataCount <= TRANSACTIONS_FILTER) {
    check.error({ code: 'MALFORMED_METADATA', detail: `block has ${metadataCount} metadata entries, expected at least ${TRANSACTIONS_FILTER + 1}` });
  }
  const config = context.config;
  // The genesis block is created by configtxgen and carries no orderer signature: it is the trust anchor.
  if (config && number !== 0) {
    checkOrdererSignatures(block, header, config, check);
    let signedLastConfig: number | undefined;
    try {
      signedLastConfig = lastConfigIndexOf(block);
    } catch (err) {
      check.error({ code: 'MALFORMED_METADATA', detail: `last config: ${errorMessage(err)}` });
    }
    const isConfigBlock = envelopes.length === 1 && isConfigEnvelope(envelopes[0]);
    const expectedLastConfig = isConfigBlock ? number : context.lastConfigIndex;
    if (signedLastConfig !== undefined && expectedLastConfig !== undefined && signedLastConfig !== expectedLastConfig) {
      check.error({ code: 'LAST_CONFIG_MISMATCH', detail: `block names config block ${signedLastConfig}, last config block seen is ${expectedLastConfig}` });
    }
  }
  if (config && context.anchor) noticeConfig(config, check);

  const filter = transactionFilterOf(block);
  if (filter && filter.length !== envelopes.length) {
    check.error({ code: 'MALFORMED_METADATA', detail: `TRANSACTIONS_FILTER has ${filter.length} flags for ${envelopes.length} transactions` });
  }
  envelopes.forEach((envelope, i) => checkTransaction(envelope, i, filter?.[i], number, context, check));
  if (check.newConfig && !context.anchor) noticeConfig(check.newConfig, check);

  let commitHash: string | undefined;
  try {
    commitHash = commitHashOf(block);
  } catch (err) {
    check.error({ code: 'MALFORMED_METADATA', detail: `COMMIT_HASH: ${errorMessage(err)}` });
  }
  return {
    report: {
      blockNumber: number,
      blockHash: hash.toString('hex'),
      valid: check.errors.length === 0,
      errors: check.errors,
      notices: check.notices,
      transactions: check.transactions,
      commitHash,
      trustAnchor: context.anchor,
    },
    hash,
    newConfig: context.anchor ? undefined : check.newConfig,
  };
}

function isConfigEnvelope(envelope: Uint8Array | undefined): boolean {
  if (!envelope) return false;
  try {
    return decodeTransaction(envelope).type === common.HeaderType.CONFIG;
  } catch {
    return false;
  }
}

/** The channel configuration a configuration block carries. Throws when the block is not one or cannot be decoded. */
export function configFromBlock(block: common.Block): ChannelConfig {
  const envelope = block.getData()?.getDataList_asU8()[0];
  const number = block.getHeader()?.getNumber() ?? 0;
  if (!envelope) throw new Error(`block ${number} has no transactions`);
  const tx = decodeTransaction(envelope);
  if (tx.type !== common.HeaderType.CONFIG) throw new Error(`block ${number} is not a configuration block`);
  return channelConfigFromEnvelope(tx.payloadData, tx.channelId, number);
}

/** Finds the trust anchor: the configuration block in force at `from`. */
async function findAnchor(source: BlockSource, from: number): Promise<{ anchor: number; error?: AuditFinding }> {
  if (from === 0) return { anchor: 0 };
  const block = await source.getBlock(from);
  if (!block) return { anchor: from, error: { code: 'CHAIN_TRUNCATED', detail: `the source has no block ${from}` } };
  try {
    const index = lastConfigIndexOf(block);
    if (index === undefined || index > from) {
      return { anchor: from, error: { code: 'CONFIG_UNAVAILABLE', detail: `block ${from} names no usable last config block` } };
    }
    return { anchor: index };
  } catch (err) {
    return { anchor: from, error: { code: 'CONFIG_UNAVAILABLE', detail: `block ${from}: ${errorMessage(err)}` } };
  }
}

/**
 * Verifies a range of blocks from a {@link BlockSource}: hash chain, data hashes, orderer signatures against the
 * configuration in force (config blocks update it), creator and endorsement signatures against the channel's MSPs,
 * last-config indexes, and (with a checkpoint) that the checkpointed block still has its hash. Ledger defects are
 * reported, never thrown; only misuse (bad range) throws an {@link AuditError}.
 */
export async function verifyLedger(options: VerifyLedgerOptions): Promise<AuditReport> {
  const { source, checkpoint } = options;
  const from = options.from ?? checkpoint?.blockNumber ?? 0;
  const to = options.to;
  for (const [name, value] of [['from', from], ['to', to]] as const) {
    if (value !== undefined && (!Number.isSafeInteger(value) || value < 0)) throw new AuditError('BAD_ARGUMENT', `${name} must be a non-negative integer`);
  }
  if (to !== undefined && to < from) throw new AuditError('BAD_ARGUMENT', 'to must not be below from');
  if (checkpoint && checkpoint.blockNumber < from) {
    throw new AuditError('BAD_ARGUMENT', `the checkpoint (block ${checkpoint.blockNumber}) lies before the first block to verify (${from})`);
  }

  const rangeErrors: AuditFinding[] = [];
  const blocks: BlockReport[] = [];
  const found = await findAnchor(source, from);
  if (found.error) rangeErrors.push(found.error);
  const anchorNumber = found.anchor;

  let config: ChannelConfig | undefined;
  let lastConfigIndex: number | undefined;
  let expected: ExpectedBlock = { number: anchorNumber, previousHash: undefined };
  let lastHash: Buffer | undefined;
  let lastNumber: number | undefined;
  let checkpointSeen = false;

  try {
    for await (const block of source.blocks(anchorNumber, to)) {
      const isAnchor = blocks.length === 0;
      if (isAnchor && !found.error) {
        try {
          config = configFromBlock(block);
          lastConfigIndex = config.blockNumber;
        } catch (err) {
          rangeErrors.push({ code: 'CONFIG_UNAVAILABLE', detail: `trust anchor block ${anchorNumber}: ${errorMessage(err)}` });
        }
      }
      const result = verifyBlock(block, expected, { config, lastConfigIndex, anchor: isAnchor });
      if (!result) {
        blocks.push({
          blockNumber: expected.number, blockHash: '', valid: false, errors: [{ code: 'MALFORMED_BLOCK', detail: 'block has no header' }],
          notices: [], transactions: [], commitHash: undefined, trustAnchor: isAnchor,
        });
        break;
      }
      const { report } = result;
      if (checkpoint && report.blockNumber === checkpoint.blockNumber) {
        checkpointSeen = true;
        if (report.blockHash !== checkpoint.blockHash) {
          blocks.push({
            ...report,
            valid: false,
            errors: [...report.errors, { code: 'CHECKPOINT_MISMATCH', detail: `checkpoint hash ${checkpoint.blockHash}, block hash now ${report.blockHash}` }],
          });
        } else blocks.push(report);
      } else blocks.push(report);
      if (result.newConfig) {
        config = result.newConfig;
        lastConfigIndex = report.blockNumber;
      }
      expected = { number: report.blockNumber + 1, previousHash: result.hash };
      lastHash = result.hash;
      lastNumber = report.blockNumber;
    }
  } catch (err) {
    if (!(err instanceof BlockSourceError)) throw err;
    rangeErrors.push({ code: 'MALFORMED_BLOCK', detail: `block after ${lastNumber ?? 'none'}: ${err.message}` });
  }

  if (to !== undefined && (lastNumber === undefined || lastNumber < to)) {
    rangeErrors.push({ code: 'CHAIN_TRUNCATED', detail: `requested blocks up to ${to}, the source ended at ${lastNumber ?? 'no block'}` });
  }
  if (checkpoint && !checkpointSeen) {
    rangeErrors.push({ code: 'CHAIN_TRUNCATED', detail: `the source does not reach checkpoint block ${checkpoint.blockNumber}` });
  }
  const valid = rangeErrors.length === 0 && blocks.length > 0 && blocks.every((b) => b.valid);
  const channelId = config?.channelId;
  return {
    source: source.description,
    channelId,
    firstBlock: blocks[0]?.blockNumber,
    lastBlock: lastNumber,
    valid,
    blocks,
    errors: rangeErrors,
    nextCheckpoint: lastNumber !== undefined && lastHash ? { blockNumber: lastNumber, blockHash: lastHash.toString('hex') } : undefined,
  };
}
