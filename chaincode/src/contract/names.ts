import { CHAINCODE_EVENTS as DOMAIN_EVENTS } from '../domain';

/**
 * Every name that crosses the peer boundary, spelled once: transaction names (PascalCase verbs),
 * chaincode event names (PascalCase past tense), private data collections and transient-data keys.
 */

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

/** Chaincode event names (domain.md §5). `ValueListChanged` belongs to the value-list transactions. */
export const CHAINCODE_EVENTS = {
  CaseEventRecorded: DOMAIN_EVENTS.recorded,
  ReturnConflict: DOMAIN_EVENTS.returnConflict,
  ValueListChanged: 'ValueListChanged',
} as const;

/** A chaincode event name. */
export type ContractEventName = (typeof CHAINCODE_EVENTS)[keyof typeof CHAINCODE_EVENTS];

/** The private data collections (domain.md §2), as named in the collection configuration. */
export const COLLECTIONS = {
  caseDetails: 'caseDetails',
  zabEnforcement: 'zabEnforcement',
} as const;

/** A private data collection name. */
export type CollectionName = (typeof COLLECTIONS)[keyof typeof COLLECTIONS];

/** Keys of the transient map the gateway fills; the values are JSON documents. */
export const TRANSIENT_KEYS = {
  caseDetails: 'caseDetails',
  enforcement: 'zabEnforcement',
} as const;

/** The contract's name on the channel (the default contract of the `procedure` chaincode). */
export const CONTRACT_NAME = 'procedure';
