import type { AuditFinding } from './audit-codes';
import { AuditError } from './audit-codes';
import type { BlockSource } from './block-source';
import type { Checkpoint } from './checkpoint';
import { type BlockReport, type TransactionSummary, verifyLedger } from './ledger-verifier';
import { chaincodeEventOf, decodeTransaction } from './transaction';

/** The block coordinates of a write receipt (domain.md §8). */
export interface ReceiptClaim {
  readonly txId: string;
  /** Decimal block number, as receipts carry it. */
  readonly blockNumber: string;
  readonly txIndex: number;
}

/** Options for {@link verifyReceipt}. */
export interface VerifyReceiptOptions {
  readonly source: BlockSource;
  readonly receipt: ReceiptClaim;
  /** MSP IDs whose valid endorsements the write needed (e.g. both agencies for events). Empty: not checked. */
  readonly requiredEndorsers?: readonly string[];
  /** MSP ID the creator (writer's organisation) must have. Omitted: not checked. */
  readonly expectedCreatorMspId?: string;
  /** Anchor the proof in an auditor's checkpoint at or before the receipt's block. */
  readonly checkpoint?: Checkpoint;
}

/** The verdict on a receipt. */
export interface ReceiptVerdict {
  /** True only if the block verified and every receipt check passed. */
  readonly verified: boolean;
  readonly findings: readonly AuditFinding[];
  /** The verifier's report of the receipt's block (undefined if the block could not be read). */
  readonly block: BlockReport | undefined;
  readonly transaction: TransactionSummary | undefined;
  /** The chaincode event the transaction recorded (payload bytes included for comparison with the timeline). */
  readonly event: { readonly chaincodeId: string; readonly eventName: string; readonly payload: Uint8Array } | undefined;
}

const DECIMAL = /^(0|[1-9][0-9]*)$/;

/**
 * Re-derives a write receipt from the blocks: verifies the chain from the configuration in force (or the checkpoint)
 * up to the receipt's block, then checks that the transaction is at the stated index with the stated ID, VALID,
 * endorsed by every required MSP with verified signatures, and created by the expected MSP.
 */
export async function verifyReceipt(options: VerifyReceiptOptions): Promise<ReceiptVerdict> {
  const { receipt, source } = options;
  if (!DECIMAL.test(receipt.blockNumber) || !Number.isSafeInteger(Number(receipt.blockNumber))) {
    throw new AuditError('BAD_ARGUMENT', 'receipt blockNumber must be a decimal string');
  }
  if (!Number.isSafeInteger(receipt.txIndex) || receipt.txIndex < 0) throw new AuditError('BAD_ARGUMENT', 'receipt txIndex must be a non-negative integer');
  const blockNumber = Number(receipt.blockNumber);
  const report = await verifyLedger({
    source,
    from: options.checkpoint?.blockNumber ?? blockNumber,
    to: blockNumber,
    ...(options.checkpoint ? { checkpoint: options.checkpoint } : {}),
  });
  const findings: AuditFinding[] = [...report.errors];
  for (const b of report.blocks) findings.push(...b.errors);
  const blockReport = report.blocks.find((b) => b.blockNumber === blockNumber);
  const transaction = blockReport?.transactions.find((t) => t.txIndex === receipt.txIndex);
  let event: ReceiptVerdict['event'];
  if (!blockReport) {
    return { verified: false, findings, block: undefined, transaction: undefined, event: undefined };
  }
  if (!transaction) {
    findings.push({ code: 'TX_NOT_FOUND', detail: `block ${blockNumber} has no transaction at index ${receipt.txIndex}` });
  } else {
    const txIndex = receipt.txIndex;
    if (transaction.txId !== receipt.txId) {
      findings.push({ code: 'RECEIPT_TX_ID_MISMATCH', detail: `transaction ${txIndex} of block ${blockNumber} has another ID`, txIndex });
    }
    if (transaction.validationCode !== 'VALID') {
      findings.push({ code: 'TX_NOT_VALID', detail: `validation code ${transaction.validationCode}`, txIndex });
    }
    const missing = (options.requiredEndorsers ?? []).filter((m) => !transaction.endorserMspIds.includes(m));
    if (missing.length > 0) {
      findings.push({ code: 'ENDORSEMENT_POLICY_UNMET', detail: `no verified endorsement from ${missing.join(', ')}`, txIndex });
    }
    if (options.expectedCreatorMspId !== undefined && transaction.creatorMspId !== options.expectedCreatorMspId) {
      findings.push({ code: 'WRITER_MISMATCH', detail: `creator MSP ${transaction.creatorMspId}, expected ${options.expectedCreatorMspId}`, txIndex });
    }
    const block = await source.getBlock(blockNumber);
    const envelope = block?.getData()?.getDataList_asU8()[txIndex];
    if (envelope) {
      try {
        event = chaincodeEventOf(decodeTransaction(envelope).payloadData);
      } catch {
        event = undefined;
      }
    }
  }
  return { verified: findings.length === 0, findings, block: blockReport, transaction, event };
}
