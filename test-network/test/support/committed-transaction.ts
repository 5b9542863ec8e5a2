import type { Network } from '@hyperledger/fabric-gateway';
import { common, msp, peer } from '@hyperledger/fabric-protos';

/** What the ledger holds about one committed transaction. */
export interface CommittedTransaction {
  /** The peer's validation code by name, e.g. `VALID`. */
  readonly validationCode: string;
  /** MSP ID of every endorsement of every action, sorted. */
  readonly endorserMspIds: readonly string[];
}

const VALIDATION_CODES = new Map(Object.entries(peer.TxValidationCode).map(([name, value]) => [value, name]));

/** A transaction validation code by name (`VALID`, `MVCC_READ_CONFLICT`, …). */
export function validationCodeName(code: number): string {
  return VALIDATION_CODES.get(code) ?? `UNKNOWN(${code})`;
}

/**
 * Reads a committed transaction back from a peer's ledger (QSCC `GetTransactionByID`) and decodes who endorsed
 * it from the envelope itself: Envelope → Payload → Transaction → ChaincodeActionPayload → endorsements →
 * SerializedIdentity. Deliberately independent of the gateway's block parsing, which it helps to check.
 */
export async function committedTransaction(network: Network, txId: string): Promise<CommittedTransaction> {
  const bytes = await network.getContract('qscc').evaluateTransaction('GetTransactionByID', network.getName(), txId);
  const processed = peer.ProcessedTransaction.deserializeBinary(bytes);
  const envelope = processed.getTransactionenvelope();
  if (envelope === undefined) throw new Error(`transaction ${txId} has no envelope`);
  const payload = common.Payload.deserializeBinary(envelope.getPayload_asU8());
  const endorserMspIds = peer.Transaction.deserializeBinary(payload.getData_asU8())
    .getActionsList()
    .flatMap((action) => peer.ChaincodeActionPayload.deserializeBinary(action.getPayload_asU8()).getAction()?.getEndorsementsList() ?? [])
    .map((endorsement) => msp.SerializedIdentity.deserializeBinary(endorsement.getEndorser_asU8()).getMspid())
    .sort();
  return { validationCode: validationCodeName(processed.getValidationcode()), endorserMspIds };
}
