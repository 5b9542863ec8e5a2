import type { Role } from '@asl/chaincode/domain';

/** One read of case data. */
export interface AccessRecord {
  readonly at: string;
  readonly userId: string;
  readonly role: Role;
  readonly caseId: string;
  /** What was read: `view`, `timeline`, `details`, `export`. */
  readonly resource: 'view' | 'timeline' | 'details' | 'export';
  /** Which fields were returned (for details: the agencies and field names, never values). */
  readonly fields: readonly string[];
}

/** A stored access record in the hash chain. */
export interface AccessLogEntry extends AccessRecord {
  readonly seq: number;
  /** Hex SHA-256 of the previous entry (64 zeros for the first). */
  readonly prevHash: string;
  /** Hex SHA-256 of the canonical JSON of this entry without `hash`. */
  readonly hash: string;
}

/** Query of the access log; times are RFC 3339 instants, `from` inclusive, `to` exclusive. */
export interface AccessQuery {
  readonly caseId?: string;
  readonly from?: string;
  readonly to?: string;
  readonly limit: number;
  /** Sequence number to continue after. */
  readonly afterSeq?: number;
}

/** Append-only, hash-chained log of who read which case. */
export interface AccessLog {
  append(record: AccessRecord): Promise<AccessLogEntry>;
  query(query: AccessQuery): Promise<readonly AccessLogEntry[]>;
  /** Recomputes the chain; the first broken sequence number, or undefined when intact. */
  verify(): Promise<number | undefined>;
}
