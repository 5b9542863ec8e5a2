/**
 * Audit verifier: checks a Fabric channel's blocks without trusting any agency's gateway or database.
 * See gateway/README.md, section "Audit verifier".
 */
export { AUDIT_CODES, AUDIT_CODE_LIST, AuditError, isAuditCode } from './audit-codes';
export type { AuditCode, AuditFinding } from './audit-codes';
export type { BlockSource } from './block-source';
export { BlockSourceError } from './block-source';
export { BlockStoreSource, decodeBlockRecord } from './block-store-source';
export { QsccBlockSource } from './qscc-block-source';
export type { QsccContract, QsccBlockSourceOptions } from './qscc-block-source';
export { blockDataHash, blockHeaderBytes, blockHeaderHash } from './block-hash';
export type { Checkpoint } from './checkpoint';
export { formatCheckpoint, parseCheckpoint } from './checkpoint';
export { blockHashOf, commitHashOf, transactionFilterOf, verifyBlock, verifyLedger } from './ledger-verifier';
export type { AuditReport, BlockContext, BlockReport, BlockVerification, ExpectedBlock, TransactionSummary, VerifyLedgerOptions } from './ledger-verifier';
export { requiredEndorsersFor, verifyReceipt, verifyReceiptOnChain } from './receipt';
export type { DerivedReceiptFields, EndorsementRequirement, RequiredEndorsers, ReceiptClaim, ReceiptVerdict, ReceiptWriter, VerifyReceiptOnChainOptions, VerifyReceiptOptions } from './receipt';
export { VerifiedChain } from './verified-chain';
export type { ChainExtension, ChainGap } from './verified-chain';
export { commonNameOf, fabricAttributesOf } from './certificate-attributes';
export { blockDigest, compareDigests, compareLedgers, compareWithDigests } from './ledger-compare';
export type { BlockDigest, ComparisonReport, CompareLedgersOptions, Divergence } from './ledger-compare';
