/**
 * The contract's names, re-exported from the domain core (`domain/contract-names.ts`), where the gateway
 * and the network tooling read them too. `CHAINCODE_EVENTS` is the contract's historical name for
 * {@link CONTRACT_EVENTS}.
 */
export {
  COLLECTIONS,
  CONTRACT_EVENTS,
  CONTRACT_EVENTS as CHAINCODE_EVENTS,
  CONTRACT_NAME,
  TRANSACTIONS,
  TRANSIENT_KEYS,
  type CollectionName,
  type ContractEventName,
  type TransactionName,
} from '../domain/contract-names';
