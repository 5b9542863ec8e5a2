/**
 * Every name that crosses the peer boundary, spelled once for the contract, the gateway and the network
 * tooling: the contract's name, its transactions (PascalCase verbs), chaincode event names (PascalCase past
 * tense), private data collections and transient-data keys. Plain constants, so the domain stays pure.
 */

/** The contract's name on the channel (the default contract of the `procedure` chaincode). */
export const CONTRACT_NAME = 'procedure';

/** The `procedure` contract's transactions. */
export const TRANSACTIONS = {
  RecordEvent: 'RecordEvent',
  GetCase: 'GetCase',
  GetTimeline: 'GetTimeline',
  GetWrite: 'GetWrite',
  ListCases: 'ListCases',
  PutCaseDetails: 'PutCaseDetails',
  GetCaseDetails: 'GetCaseDetails',
  PutEnforcement: 'PutEnforcement',
  GetEnforcement: 'GetEnforcement',
  PurgePrivateData: 'PurgePrivateData',
  ImportCase: 'ImportCase',
  ProposeValueList: 'ProposeValueList',
  ApproveValueList: 'ApproveValueList',
  GetValueList: 'GetValueList',
  ListValueLists: 'ListValueLists',
  DiffValueLists: 'DiffValueLists',
} as const;

/** A transaction name. */
export type TransactionName = (typeof TRANSACTIONS)[keyof typeof TRANSACTIONS];

/**
 * Every chaincode event the contract emits (domain.md §5): `CaseEventRecorded` and `ReturnConflict` carry a
 * case event, `ValueListChanged` belongs to the value-list transactions.
 */
export const CONTRACT_EVENTS = {
  CaseEventRecorded: 'CaseEventRecorded',
  ReturnConflict: 'ReturnConflict',
  ValueListChanged: 'ValueListChanged',
} as const;

/** A chaincode event name. */
export type ContractEventName = (typeof CONTRACT_EVENTS)[keyof typeof CONTRACT_EVENTS];

/** The private data collections (domain.md §2), as named in the collection configuration. */
export const COLLECTIONS = {
  caseDetails: 'caseDetails',
  zabEnforcement: 'zabEnforcement',
} as const;

/** A private data collection name. */
export type CollectionName = (typeof COLLECTIONS)[keyof typeof COLLECTIONS];

/** The collection names as a tuple (for `z.enum`). */
export const COLLECTION_NAMES = [COLLECTIONS.caseDetails, COLLECTIONS.zabEnforcement] as const;

/** Keys of the transient map the gateway fills; the values are JSON documents. */
export const TRANSIENT_KEYS = {
  caseDetails: 'caseDetails',
  enforcement: 'zabEnforcement',
} as const;
