/**
 * The one registry of audit finding codes. Codes never change once released (messages may); every finding the
 * verifier, the receipt check or the ledger comparison produces carries one of these codes. A test keeps the
 * README table and this registry in step.
 */
export const AUDIT_CODES = {
  MALFORMED_BLOCK: 'The block (header, data or metadata) cannot be decoded.',
  BLOCK_NUMBER_GAP: 'The block number is not the one expected next (missing, duplicated or reordered block).',
  CHAIN_TRUNCATED: 'The block source ended before the requested last block.',
  DATA_HASH_MISMATCH: 'header.data_hash differs from SHA-256 of the concatenated transaction envelopes.',
  PREVIOUS_HASH_MISMATCH: 'header.previous_hash differs from the hash of the previous block header.',
  CHECKPOINT_MISMATCH: 'The block at the checkpoint number no longer has the checkpoint hash.',
  CONFIG_UNAVAILABLE: 'The configuration block in force for the audited range cannot be read or decoded.',
  CONFIG_INVALID: 'A configuration transaction cannot be decoded into a usable channel configuration.',
  LAST_CONFIG_MISMATCH: 'The last-config index signed by the orderer differs from the last configuration block seen.',
  ORDERER_SIGNATURE_INVALID: 'An orderer signature in the SIGNATURES metadata does not verify over value ‖ signature header ‖ header bytes.',
  ORDERER_SIGNATURE_POLICY_UNMET: 'The valid orderer signatures do not satisfy /Channel/Orderer/BlockValidation of the configuration in force.',
  MALFORMED_METADATA: 'Block metadata is missing or cannot be decoded (signatures, transaction filter).',
  MALFORMED_TRANSACTION: 'A transaction envelope, payload, header or action cannot be decoded.',
  CHANNEL_MISMATCH: 'A transaction names another channel than the audited one.',
  TX_ID_MISMATCH: 'A transaction ID is not hex(SHA-256(nonce ‖ creator)).',
  CREATOR_SIGNATURE_INVALID: "The envelope signature does not verify with the creator's certificate.",
  ENDORSEMENT_SIGNATURE_INVALID: "An endorsement signature does not verify over proposal_response_payload ‖ endorser with the endorser's certificate.",
  UNKNOWN_MSP: 'An identity names an MSP that is not in the channel configuration in force.',
  CERT_NOT_ISSUED_BY_MSP: "An identity's certificate does not chain to a root certificate of its MSP.",
  INVALID_IDENTITY: 'An identity cannot be decoded or is not acceptable to its MSP (CA certificate, node OU rules).',
  REVOCATION_NOT_CHECKED: 'The MSP carries certificate revocation lists, which this verifier does not evaluate (notice).',
  UNSUPPORTED_TX_TYPE: 'A transaction of a header type whose signatures this verifier does not check (notice).',
  TX_NOT_FOUND: 'Receipt: the block has no transaction at the stated index.',
  RECEIPT_TX_ID_MISMATCH: 'Receipt: the transaction at the stated index has another transaction ID.',
  TX_NOT_VALID: "Receipt: the peer's validation code for the transaction is not VALID.",
  ENDORSEMENT_POLICY_UNMET: 'Receipt: the valid endorsements do not include every MSP the caller requires.',
  WRITER_MISMATCH: "Receipt: the transaction creator is not the expected writer (MSP, or the enrolment ID and role in the creator's certificate and the recorded event).",
  RECEIPT_MISMATCH: 'Receipt: a field of the receipt (validation code, endorsers, recorded time, rule version) differs from what the block records.',
  BLOCK_HASH_DIVERGENCE: 'Two copies of the ledger have different header hashes at the same block number.',
  TX_FILTER_DIVERGENCE: 'Two copies of the ledger have different transaction validation flags at the same block number.',
  COMMIT_HASH_DIVERGENCE: 'Two copies of the ledger have different commit hashes at the same block number.',
  COMMIT_HASH_MISSING: 'A copy has no COMMIT_HASH metadata for a block the other copy has one for (notice).',
  HEIGHT_DIVERGENCE: 'One copy of the ledger has blocks the other lacks within the compared range.',
} as const;

/** A stable audit finding code (key of {@link AUDIT_CODES}). */
export type AuditCode = keyof typeof AUDIT_CODES;

/** Every audit code, in registry order. */
export const AUDIT_CODE_LIST: readonly AuditCode[] = Object.keys(AUDIT_CODES).filter(isAuditCode);

/** Narrows a string to an {@link AuditCode}. */
export function isAuditCode(value: string): value is AuditCode {
  return Object.prototype.hasOwnProperty.call(AUDIT_CODES, value);
}

/** One finding of an audit: a stable code, a human detail (no personal data) and where it applies. */
export interface AuditFinding {
  /** Stable code from {@link AUDIT_CODES}. */
  readonly code: AuditCode;
  /** Human-readable detail; may change between versions, never parse it. */
  readonly detail: string;
  /** Index of the transaction in its block, when the finding is about one transaction. */
  readonly txIndex?: number;
}

/** Error thrown for misuse of the audit API or unreadable inputs (not for ledger findings, which are reported). */
export class AuditError extends Error {
  /** Machine-readable reason. */
  readonly reason: 'BAD_ARGUMENT' | 'SOURCE_UNREADABLE' | 'BAD_CHECKPOINT';

  constructor(reason: AuditError['reason'], message: string) {
    super(message);
    this.name = 'AuditError';
    this.reason = reason;
  }
}
