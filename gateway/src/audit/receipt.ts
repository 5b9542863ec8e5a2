import { X509Certificate } from 'node:crypto';
import type { common } from '@hyperledger/fabric-protos';
import { msp } from '@hyperledger/fabric-protos';
import { z } from 'zod';
import type { AuditFinding } from './audit-codes';
import { AuditError } from './audit-codes';
import type { BlockSource } from './block-source';
import { commonNameOf, fabricAttributesOf } from './certificate-attributes';
import type { Checkpoint } from './checkpoint';
import { type BlockReport, type TransactionSummary, verifyLedger } from './ledger-verifier';
import { chaincodeEventOf, decodeTransaction, type DecodedTransaction, type NamespaceWrites, writesOf } from './transaction';
import type { VerifiedChain } from './verified-chain';

/** Who wrote a transaction, as a receipt names it (domain.md §1: the actor). */
export interface ReceiptWriter {
  readonly mspId: string;
  readonly enrollmentId: string;
  readonly role: string;
}

/**
 * A receipt to check (domain.md §8): its block coordinates, and optionally the rest of a write's receipt. Every field
 * given is checked against what the block records; the coordinates alone prove the transaction is there and VALID.
 */
export interface ReceiptClaim {
  readonly txId: string;
  /** Decimal block number, as receipts carry it. */
  readonly blockNumber: string;
  readonly txIndex: number;
  readonly validationCode?: string;
  /** The endorsing MSP IDs the receipt lists. */
  readonly endorsers?: readonly string[];
  readonly writer?: ReceiptWriter;
  readonly recordedAt?: string;
  readonly ruleVersion?: string;
}

/**
 * The endorsement policies of the channel's chaincode, as the MSPs each one needs: the chaincode's own policy, and
 * the collection-level policies of the private data collections that have one. Which of them a transaction had to
 * satisfy follows from what it wrote (Fabric's validation): public writes in the chaincode namespace, writes to a
 * collection without a policy of its own, or no writes at all need the chaincode policy; writes to a collection with
 * its own policy need that one. The required MSPs are the union over everything written. Each entry lists MSPs that
 * must all have endorsed (an `AND` of their peers, or a single-principal `OR`).
 */
export interface EndorsementRequirement {
  readonly chaincode: { readonly namespace: string; readonly msps: readonly string[] };
  /** Collection name → MSPs of its collection-level endorsement policy (collections without one are absent). */
  readonly collections?: Readonly<Record<string, readonly string[]>>;
}

/** Required endorsers: a fixed list of MSP IDs (every transaction needs all), or the policies to derive them from. */
export type RequiredEndorsers = readonly string[] | EndorsementRequirement;

/**
 * The MSPs whose endorsements a transaction with these writes needed under `required`, sorted. A fixed list is
 * returned as is; `writes` undefined (not decodable) falls back to the chaincode policy. Writes in another
 * namespace than the chaincode's (system chaincodes) need the chaincode policy's MSPs, as the fixed list did.
 */
export function requiredEndorsersFor(required: RequiredEndorsers | undefined, writes: readonly NamespaceWrites[] | undefined): string[] {
  if (required === undefined) return [];
  if (isFixedList(required)) return [...new Set(required)].sort();
  const { chaincode, collections = {} } = required;
  const needed = new Set<string>();
  const add = (msps: readonly string[]): void => msps.forEach((m) => needed.add(m));
  const ownPolicy = (name: string): readonly string[] | undefined => (Object.hasOwn(collections, name) ? collections[name] : undefined);
  let wroteSomething = false;
  for (const w of writes ?? []) {
    if (w.namespace !== chaincode.namespace) {
      if (w.publicWrites > 0 || w.collections.length > 0) add(chaincode.msps);
      continue;
    }
    if (w.publicWrites > 0) add(chaincode.msps);
    for (const c of w.collections) add(ownPolicy(c) ?? chaincode.msps);
    wroteSomething ||= w.publicWrites > 0 || w.collections.length > 0;
  }
  if (writes === undefined || !wroteSomething) add(chaincode.msps);
  return [...needed].sort();
}

function isFixedList(required: RequiredEndorsers): required is readonly string[] {
  return Array.isArray(required);
}

/** Options for {@link verifyReceipt}. */
export interface VerifyReceiptOptions {
  readonly source: BlockSource;
  readonly receipt: ReceiptClaim;
  /**
   * MSP IDs whose valid endorsements the write needed: a fixed list (e.g. both agencies), or the chaincode's and the
   * collections' policies, from which the MSPs follow by what the transaction wrote. Empty or omitted: not checked.
   */
  readonly requiredEndorsers?: RequiredEndorsers;
  /** MSP ID the creator (writer's organisation) must have. Omitted: not checked. */
  readonly expectedCreatorMspId?: string;
  /** Anchor the proof in an auditor's checkpoint at or before the receipt's block. */
  readonly checkpoint?: Checkpoint;
}

/** Options for {@link verifyReceiptOnChain}. */
export interface VerifyReceiptOnChainOptions {
  /** The verified chain the receipt's block must belong to (extended up to that block if needed). */
  readonly chain: VerifiedChain;
  readonly receipt: ReceiptClaim;
  /** The receipt's block, if the caller has read it already (else it is read from the chain's source). */
  readonly block?: common.Block;
  readonly requiredEndorsers?: RequiredEndorsers;
  readonly expectedCreatorMspId?: string;
}

/** The receipt fields as the block records them. */
export interface DerivedReceiptFields {
  readonly validationCode: string;
  /** MSP IDs of the endorsements that verified, sorted. */
  readonly endorsers: readonly string[];
  /** The creator: MSP, and from its certificate the subject's CN (enrolment ID) and the Fabric CA `role` attribute. */
  readonly writer: { readonly mspId: string; readonly enrollmentId: string | undefined; readonly role: string | undefined };
  /** The transaction's timestamp (channel header), ISO 8601 with milliseconds, as the chaincode records it. */
  readonly recordedAt: string | undefined;
  /** The rule version in the transaction's chaincode event, if it carries one. */
  readonly ruleVersion: string | undefined;
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
  /** The receipt fields re-derived from the block (undefined when the transaction was not found). */
  readonly derived: DerivedReceiptFields | undefined;
  /** Claimed fields the block does not record, so they were not checked (e.g. `ruleVersion` of a write without event). */
  readonly unchecked: readonly string[];
}

const DECIMAL = /^(0|[1-9][0-9]*)$/;

/** The part of the procedure contract's chaincode event payload a receipt is checked against. */
const ReceiptEventPayloadSchema = z.object({
  txId: z.string().optional(),
  recordedAt: z.string().optional(),
  ruleVersion: z.string().optional(),
  event: z.object({ actor: z.object({ mspId: z.string(), enrollmentId: z.string(), role: z.string() }).optional() }).optional(),
});
type ReceiptEventPayload = z.infer<typeof ReceiptEventPayloadSchema>;

function blockNumberOf(receipt: ReceiptClaim): number {
  if (!DECIMAL.test(receipt.blockNumber) || !Number.isSafeInteger(Number(receipt.blockNumber))) {
    throw new AuditError('BAD_ARGUMENT', 'receipt blockNumber must be a decimal string');
  }
  if (!Number.isSafeInteger(receipt.txIndex) || receipt.txIndex < 0) throw new AuditError('BAD_ARGUMENT', 'receipt txIndex must be a non-negative integer');
  return Number(receipt.blockNumber);
}

function payloadOf(bytes: Uint8Array | undefined): ReceiptEventPayload | undefined {
  if (!bytes || bytes.length === 0) return undefined;
  try {
    const parsed = ReceiptEventPayloadSchema.safeParse(JSON.parse(Buffer.from(bytes).toString('utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

function creatorWriter(tx: DecodedTransaction, mspId: string): DerivedReceiptFields['writer'] {
  try {
    const certificate = new X509Certificate(Buffer.from(msp.SerializedIdentity.deserializeBinary(tx.creator).getIdBytes_asU8()));
    return { mspId, enrollmentId: commonNameOf(certificate), role: fabricAttributesOf(certificate).role };
  } catch {
    return { mspId, enrollmentId: undefined, role: undefined };
  }
}

function sameWriter(a: ReceiptWriter, b: { mspId: string; enrollmentId: string | undefined; role: string | undefined }): boolean {
  return a.mspId === b.mspId && a.enrollmentId === b.enrollmentId && a.role === b.role;
}

function writerText(w: { mspId: string; enrollmentId: string | undefined; role: string | undefined }): string {
  return `${w.mspId}/${w.enrollmentId ?? '?'}/${w.role ?? '?'}`;
}

/** The checks on the receipt's transaction in its verified block (shared by both ways of verifying the block). */
function judgeTransaction(
  report: BlockReport,
  block: common.Block | undefined,
  receipt: ReceiptClaim,
  options: { readonly requiredEndorsers?: RequiredEndorsers; readonly expectedCreatorMspId?: string },
  findings: AuditFinding[],
): ReceiptVerdict {
  const blockNumber = report.blockNumber;
  const txIndex = receipt.txIndex;
  const transaction = report.transactions.find((t) => t.txIndex === txIndex);
  if (!transaction) {
    findings.push({ code: 'TX_NOT_FOUND', detail: `block ${blockNumber} has no transaction at index ${txIndex}` });
    return { verified: false, findings, block: report, transaction: undefined, event: undefined, derived: undefined, unchecked: [] };
  }
  if (transaction.txId !== receipt.txId) {
    findings.push({ code: 'RECEIPT_TX_ID_MISMATCH', detail: `transaction ${txIndex} of block ${blockNumber} has another ID`, txIndex });
  }
  if (transaction.validationCode !== 'VALID') {
    findings.push({ code: 'TX_NOT_VALID', detail: `validation code ${transaction.validationCode}`, txIndex });
  }

  let tx: DecodedTransaction | undefined;
  let event: ReceiptVerdict['event'];
  let writes: NamespaceWrites[] | undefined;
  const envelope = block?.getData()?.getDataList_asU8()[txIndex];
  if (envelope) {
    try {
      tx = decodeTransaction(envelope);
      event = chaincodeEventOf(tx.payloadData);
    } catch {
      event = undefined;
    }
    try {
      if (tx) writes = writesOf(tx.payloadData);
    } catch {
      writes = undefined;
    }
  }
  const missing = requiredEndorsersFor(options.requiredEndorsers, writes).filter((m) => !transaction.endorserMspIds.includes(m));
  if (missing.length > 0) {
    findings.push({ code: 'ENDORSEMENT_POLICY_UNMET', detail: `no verified endorsement from ${missing.join(', ')}`, txIndex });
  }
  if (options.expectedCreatorMspId !== undefined && transaction.creatorMspId !== options.expectedCreatorMspId) {
    findings.push({ code: 'WRITER_MISMATCH', detail: `creator MSP ${transaction.creatorMspId}, expected ${options.expectedCreatorMspId}`, txIndex });
  }
  const payload = payloadOf(event?.payload);
  const derived: DerivedReceiptFields = {
    validationCode: transaction.validationCode,
    endorsers: transaction.endorserMspIds,
    writer: tx ? creatorWriter(tx, transaction.creatorMspId) : { mspId: transaction.creatorMspId, enrollmentId: undefined, role: undefined },
    recordedAt: tx?.timestampMs === undefined ? undefined : new Date(tx.timestampMs).toISOString(),
    ruleVersion: payload?.ruleVersion,
  };

  const unchecked: string[] = [];
  const mismatch = (detail: string): void => void findings.push({ code: 'RECEIPT_MISMATCH', detail, txIndex });
  if (receipt.validationCode !== undefined && receipt.validationCode !== derived.validationCode) {
    mismatch(`the receipt says validation code ${receipt.validationCode}, the block records ${derived.validationCode}`);
  }
  if (receipt.endorsers !== undefined) {
    const claimed = [...new Set(receipt.endorsers)].sort();
    if (claimed.join(',') !== derived.endorsers.join(',')) {
      mismatch(`the receipt lists endorsers ${claimed.join(', ') || 'none'}, the block has verified endorsements from ${derived.endorsers.join(', ') || 'none'}`);
    }
  }
  if (receipt.writer !== undefined) {
    if (!sameWriter(receipt.writer, derived.writer)) {
      findings.push({ code: 'WRITER_MISMATCH', detail: `the receipt names writer ${writerText(receipt.writer)}, the creator's certificate says ${writerText(derived.writer)}`, txIndex });
    }
    const actor = payload?.event?.actor;
    if (actor && !sameWriter(receipt.writer, actor)) {
      findings.push({ code: 'WRITER_MISMATCH', detail: `the receipt names writer ${writerText(receipt.writer)}, the recorded event's actor is ${writerText(actor)}`, txIndex });
    }
  }
  if (receipt.recordedAt !== undefined) {
    if (derived.recordedAt === undefined) unchecked.push('recordedAt');
    else if (Date.parse(receipt.recordedAt) !== Date.parse(derived.recordedAt)) {
      mismatch(`the receipt says recorded at ${receipt.recordedAt}, the transaction's timestamp is ${derived.recordedAt}`);
    }
    if (payload?.recordedAt !== undefined && Date.parse(payload.recordedAt) !== Date.parse(receipt.recordedAt)) {
      mismatch(`the receipt says recorded at ${receipt.recordedAt}, the recorded event says ${payload.recordedAt}`);
    }
  }
  if (receipt.ruleVersion !== undefined) {
    if (derived.ruleVersion === undefined) unchecked.push('ruleVersion');
    else if (receipt.ruleVersion !== derived.ruleVersion) mismatch(`the receipt says rule version ${receipt.ruleVersion}, the recorded event says ${derived.ruleVersion}`);
  }
  if (payload?.txId !== undefined && payload.txId !== transaction.txId) {
    mismatch(`the recorded event names transaction ${payload.txId}, it is in transaction ${transaction.txId}`);
  }
  return { verified: findings.length === 0, findings, block: report, transaction, event, derived, unchecked };
}

/**
 * Re-derives a write receipt from the blocks: verifies the chain from the configuration in force (or the checkpoint)
 * up to the receipt's block, then checks that the transaction is at the stated index with the stated ID, VALID,
 * endorsed by every required MSP with verified signatures, created by the expected MSP, and — for each further field
 * the claim carries — that the block records the same validation code, endorsers, writer (creator certificate's
 * MSP, CN and `role` attribute, and the recorded event's actor), time and rule version.
 */
export async function verifyReceipt(options: VerifyReceiptOptions): Promise<ReceiptVerdict> {
  const { receipt, source } = options;
  const blockNumber = blockNumberOf(receipt);
  const report = await verifyLedger({
    source,
    from: options.checkpoint?.blockNumber ?? blockNumber,
    to: blockNumber,
    ...(options.checkpoint ? { checkpoint: options.checkpoint } : {}),
  });
  const findings: AuditFinding[] = [...report.errors];
  for (const b of report.blocks) findings.push(...b.errors);
  const blockReport = report.blocks.find((b) => b.blockNumber === blockNumber);
  if (!blockReport) return { verified: false, findings, block: undefined, transaction: undefined, event: undefined, derived: undefined, unchecked: [] };
  return judgeTransaction(blockReport, await source.getBlock(blockNumber), receipt, options, findings);
}

/**
 * Re-derives a write receipt against a {@link VerifiedChain}: the chain is extended up to the receipt's block if it
 * does not reach it yet (verifying only the blocks it has not verified before), the receipt's block is verified again
 * as it is served now and must still have the hash the chain admitted, then the transaction is checked as
 * {@link verifyReceipt} does. Costs the new blocks plus one, instead of the path from the last configuration block.
 */
export async function verifyReceiptOnChain(options: VerifyReceiptOnChainOptions): Promise<ReceiptVerdict> {
  const { chain, receipt } = options;
  const blockNumber = blockNumberOf(receipt);
  const none = (findings: AuditFinding[]): ReceiptVerdict => ({ verified: false, findings, block: undefined, transaction: undefined, event: undefined, derived: undefined, unchecked: [] });
  const extension = await chain.extendTo(blockNumber);
  if (extension.gap) {
    const at = extension.gap.blockNumber;
    return none(extension.gap.findings.map((f) => ({ ...f, detail: `block ${at}: ${f.detail}` })));
  }
  const given = options.block?.getHeader()?.getNumber() === blockNumber ? options.block : undefined;
  const block = given ?? (await chain.source.getBlock(blockNumber));
  if (!block) return none([{ code: 'CHAIN_TRUNCATED', detail: `the source no longer has block ${blockNumber}` }]);
  const served = block.getHeader()?.getNumber();
  if (served !== blockNumber) return none([{ code: 'BLOCK_NUMBER_GAP', detail: `asked for block ${blockNumber}, the source served block ${served ?? 'without header'}` }]);
  const report = chain.verifyAdmitted(block);
  return judgeTransaction(report, block, receipt, options, [...report.errors]);
}
