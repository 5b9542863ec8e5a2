/** One finding of the verifier (stable `code`, human-readable `detail`). */
export interface AuditFindingBody {
  readonly code: string;
  readonly detail: string;
  readonly txIndex?: number;
}

/** The verifier's report of a block range, in the API shape. */
export interface AuditReportBody {
  readonly valid: boolean;
  readonly channelId: string | null;
  readonly firstBlock: number | null;
  readonly lastBlock: number | null;
  readonly blocks: readonly { blockNumber: number; blockHash: string; valid: boolean; errors: readonly AuditFindingBody[]; notices: readonly AuditFindingBody[] }[];
  readonly errors: readonly AuditFindingBody[];
  readonly nextCheckpoint: { blockNumber: string; blockHash: string } | null;
}

/** A receipt re-derived from the blocks, with the verifier's verdict. */
export interface DerivedReceiptBody {
  readonly txId: string;
  readonly blockNumber: string;
  readonly txIndex: number;
  readonly validationCode: string;
  readonly endorsers: readonly string[];
  readonly creatorMspId: string | null;
  readonly verified: boolean;
  readonly findings: readonly AuditFindingBody[];
}

/** The auditor's checks on the agency's copy of the blocks (the verifier library in src/audit). */
export interface AuditService {
  verify(request: { fromBlock?: number; toBlock?: number; checkpoint?: { blockNumber: number; blockHash: string } }): Promise<AuditReportBody>;
  /** The receipt of `txId` re-derived from the blocks, or undefined when no block holds it. */
  receipt(txId: string): Promise<DerivedReceiptBody | undefined>;
}
