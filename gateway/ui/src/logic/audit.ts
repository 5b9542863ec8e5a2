/**
 * Pure logic of the auditor's ledger checks: reading the verify form, summing up a report, and comparing a
 * receipt re-derived from the blocks with the timeline's receipt. No DOM here (unit-tested under Node).
 */
import type { Receipt } from '@asl/chaincode/domain';

// Types only (erased by esbuild): the answers' shapes come from the gateway's one schema source.
export type { AuditFindingBody, AuditReport, DerivedReceipt } from '../../../src/api/schemas';
import type { AuditReport, DerivedReceipt } from '../../../src/api/schemas';

/** `POST /api/v1/audit/verify` body. */
export interface VerifyRequest {
  fromBlock?: number;
  toBlock?: number;
  checkpoint?: { blockNumber: string; blockHash: string };
}

/** The verify form's fields, as typed. */
export interface VerifyFormInput {
  readonly from: string;
  readonly to: string;
  readonly checkpointBlock: string;
  readonly checkpointHash: string;
}

/** A refused field and why (dictionary key suffix). */
export interface VerifyFormError {
  readonly field: keyof VerifyFormInput;
  readonly reason: 'errorNumber' | 'errorRange' | 'errorHash' | 'errorCheckpointPair';
}

const BLOCK = /^\d{1,15}$/;
const HASH = /^[0-9a-f]{64}$/;

/** Reads the verify form: empty fields are left out; the checkpoint needs both its number and its hash. */
export function parseVerifyForm(input: VerifyFormInput): { readonly request: VerifyRequest } | { readonly errors: readonly VerifyFormError[] } {
  const errors: VerifyFormError[] = [];
  const request: VerifyRequest = {};
  const from = input.from.trim();
  const to = input.to.trim();
  if (from !== '') {
    if (BLOCK.test(from)) request.fromBlock = Number(from);
    else errors.push({ field: 'from', reason: 'errorNumber' });
  }
  if (to !== '') {
    if (BLOCK.test(to)) request.toBlock = Number(to);
    else errors.push({ field: 'to', reason: 'errorNumber' });
  }
  if (request.fromBlock !== undefined && request.toBlock !== undefined && request.toBlock < request.fromBlock) errors.push({ field: 'to', reason: 'errorRange' });
  const cpBlock = input.checkpointBlock.trim();
  const cpHash = input.checkpointHash.trim().toLowerCase();
  if (cpBlock !== '' && !BLOCK.test(cpBlock)) errors.push({ field: 'checkpointBlock', reason: 'errorNumber' });
  if (cpHash !== '' && !HASH.test(cpHash)) errors.push({ field: 'checkpointHash', reason: 'errorHash' });
  if ((cpBlock === '') !== (cpHash === '')) errors.push({ field: cpBlock === '' ? 'checkpointBlock' : 'checkpointHash', reason: 'errorCheckpointPair' });
  if (errors.length > 0) return { errors };
  if (cpBlock !== '') request.checkpoint = { blockNumber: cpBlock, blockHash: cpHash };
  return { request };
}

/** The figures of a report's summary. */
export interface ReportSummary {
  readonly total: number;
  readonly valid: number;
  readonly invalid: number;
  /** Errors of all blocks plus the report-level errors. */
  readonly errors: number;
}

/** Counts a report's blocks and errors. */
export function summarise(report: AuditReport): ReportSummary {
  const valid = report.blocks.filter((b) => b.valid).length;
  return {
    total: report.blocks.length,
    valid,
    invalid: report.blocks.length - valid,
    errors: report.errors.length + report.blocks.reduce((n, b) => n + b.errors.length, 0),
  };
}

/** A receipt field that can differ between the timeline and the blocks. */
export type ReceiptField = 'blockNumber' | 'txIndex' | 'validationCode' | 'endorsers' | 'writer' | 'verified';

/** One difference: the field and both values as text. */
export interface ReceiptDifference {
  readonly field: ReceiptField;
  readonly timeline: string;
  readonly ledger: string;
}

/**
 * Compares the timeline's receipt with the one re-derived from the blocks: block, index, validation code,
 * the set of endorsing MSPs, the writer's MSP (the transaction's creator) and whether the verifier accepted
 * the receipt's chain and signatures. An empty list means the receipt matches.
 */
export function compareReceipt(timeline: Pick<Receipt, 'blockNumber' | 'txIndex' | 'validationCode' | 'endorsers' | 'writer'>, derived: DerivedReceipt): ReceiptDifference[] {
  const out: ReceiptDifference[] = [];
  const differ = (field: ReceiptField, a: string, b: string): void => {
    if (a !== b) out.push({ field, timeline: a, ledger: b });
  };
  differ('blockNumber', BigInt(timeline.blockNumber).toString(), BigInt(derived.blockNumber).toString());
  differ('txIndex', String(timeline.txIndex), String(derived.txIndex));
  differ('validationCode', timeline.validationCode, derived.validationCode);
  differ('endorsers', [...new Set(timeline.endorsers)].sort().join(', '), [...new Set(derived.endorsers)].sort().join(', '));
  differ('writer', timeline.writer.mspId, derived.creatorMspId ?? '–');
  differ('verified', 'true', String(derived.verified));
  return out;
}
