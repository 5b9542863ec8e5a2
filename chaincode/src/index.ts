/**
 * Entry point of the `procedure` chaincode for `fabric-chaincode-node server` (CCaaS): the server loads
 * `main` of package.json and registers the contracts exported here.
 */
import { ProcedureContract } from './contract/procedure-contract';

export { ProcedureContract } from './contract/procedure-contract';
export { TRANSACTIONS, CHAINCODE_EVENTS, CONTRACT_EVENTS, COLLECTIONS, TRANSIENT_KEYS } from './contract/names';

/** The contracts of this chaincode; the first is the default (called without a `procedure:` prefix). */
export const contracts: (typeof ProcedureContract)[] = [ProcedureContract];
