import type { AuditFindingBody, AuditReport, DerivedReceipt } from '../api/schemas';

export type { AuditFindingBody };
/** The verifier's report of a block range, in the API shape (one schema: `AuditReportSchema`). */
export type AuditReportBody = AuditReport;
/** A receipt re-derived from the blocks (one schema: `DerivedReceiptSchema`). */
export type DerivedReceiptBody = DerivedReceipt;

/** The auditor's checks on the agency's copy of the blocks (the verifier library in src/audit). */
export interface AuditService {
  verify(request: { fromBlock?: number; toBlock?: number; checkpoint?: { blockNumber: number; blockHash: string } }): Promise<AuditReportBody>;
  /** The receipt of `txId` re-derived from the blocks, or undefined when no block holds it. */
  receipt(txId: string): Promise<DerivedReceiptBody | undefined>;
}
