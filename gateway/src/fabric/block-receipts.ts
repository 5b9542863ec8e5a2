import type { ChaincodeReceipt, Receipt } from '@asl/chaincode/domain';
import { common, msp } from '@hyperledger/fabric-protos';
import { decodeTransaction, endorsementsOf, validationCodeName } from '../audit/transaction';
import { transactionFilterOf } from '../audit/ledger-verifier';

/** What the committed block says about one transaction: the receipt fields the chaincode cannot know. */
export interface BlockFacts {
  readonly blockNumber: string;
  readonly txIndex: number;
  readonly validationCode: string;
  /** Sorted, de-duplicated MSP IDs of the endorsements. */
  readonly endorsers: readonly string[];
}

/**
 * Finds `txId` in a block and reads its index, validation code (TRANSACTIONS_FILTER) and endorsing
 * MSPs (domain.md §8: "the gateway adds the block number, index, validation code and endorsers from the
 * committed block"). Signatures are not verified here; that is the auditor's verifier's job.
 */
export function blockFactsOf(block: common.Block, txId: string): BlockFacts | undefined {
  const envelopes = block.getData()?.getDataList_asU8() ?? [];
  for (let i = 0; i < envelopes.length; i++) {
    const envelope = envelopes[i];
    if (!envelope) continue;
    let decoded;
    try {
      decoded = decodeTransaction(envelope);
    } catch {
      continue;
    }
    if (decoded.txId === txId) return blockFactsAt(block, i);
  }
  return undefined;
}

/** The facts of the transaction at `txIndex` of a block (undefined when there is none or it cannot be decoded). */
export function blockFactsAt(block: common.Block, txIndex: number): BlockFacts | undefined {
  const envelope = block.getData()?.getDataList_asU8()[txIndex];
  if (!envelope) return undefined;
  let decoded;
  try {
    decoded = decodeTransaction(envelope);
  } catch {
    return undefined;
  }
  const code = transactionFilterOf(block)?.[txIndex];
  const endorsers = new Set<string>();
  try {
    for (const e of endorsementsOf(decoded.payloadData)) endorsers.add(msp.SerializedIdentity.deserializeBinary(e.endorser).getMspid());
  } catch {
    // a config or non-endorser transaction has no endorsements
  }
  return {
    blockNumber: String(block.getHeader()?.getNumber() ?? 0),
    txIndex,
    validationCode: code === undefined ? 'UNKNOWN' : validationCodeName(code),
    endorsers: [...endorsers].sort(),
  };
}

/** The receipt of a transaction: what the chaincode answered, completed with what its committed block says. */
export function completedReceipt(partial: ChaincodeReceipt, facts: BlockFacts): Receipt {
  return { ...partial, blockNumber: facts.blockNumber, txIndex: facts.txIndex, validationCode: facts.validationCode, endorsers: [...facts.endorsers] };
}
