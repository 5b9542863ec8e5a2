/**
 * The private-record schemas (`caseDetails`, `zabEnforcement`) are still defined by the chaincode
 * contract rather than the domain core; they are re-exported here so the gateway has one import
 * site to change when the domain core takes them over.
 */
export {
  CaseDetailsRecordSchema,
  CaseDetailsSchema,
  EnforcementSchema,
  type CaseDetails,
  type CaseDetailsRecord,
  type Enforcement,
} from '../../../chaincode/src/contract/schemas';
