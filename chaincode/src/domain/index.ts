/**
 * The pure domain core of the shared asylum-procedure status ledger (`@asl/chaincode/domain`): the rules
 * of domain.md as functions over plain data. Time, actor and organisation directory are arguments.
 * Every export below carries its own documentation in its module.
 */

/** Error codes, `DomainError` and the `[CODE] {json}` wire form. */
export * from './errors';
/** Berlin calendar dates, § 188 BGB months, Saxon working days. */
export * from './calendar';
/** Case and court pseudonyms, key epochs. */
export * from './pseudonym';
/** Canonical JSON and content hashes (idempotency). */
export * from './canonical-json';
/** The event vocabulary, writers, court facts, phases. */
export * from './event-types';
/** Zod schemas and the types inferred from them. */
export * from './schemas';
/** The fold of the case's events into its state, and the API view. */
export * from './case-state';
/** Remedy, departure, Dublin-transfer and allocation-notice dates. */
export * from './deadlines';
/** Preconditions per event type. */
export * from './preconditions';
/** Roles and ownership. */
export * from './ownership';
/** Event and clock warning rules, the pre-execution check. */
export * from './warning-rules';
/** Next actions per agency. */
export * from './next-actions';
/** The write decision, replay, the view at an instant. */
export * from './decide';
/** Shared value lists: versions, proposal and approval, the version in force, code checks, diffs. */
export * from './value-lists';
/** The private records `caseDetails` and `zabEnforcement`: transient input, stored and read forms. */
export * from './private-records';
/** The names crossing the peer boundary: contract, transactions, chaincode events, collections, transient keys. */
export * from './contract-names';
/** The contract's answers, chaincode-event payloads and value-list read arguments. */
export * from './contract-messages';
/** The channel's organisations, generated from network/topology.yaml. */
export * from './org-facts';
