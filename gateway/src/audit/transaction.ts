import { createHash } from 'node:crypto';
import { common, ledger, peer } from '@hyperledger/fabric-protos';

/** Names of Fabric's transaction validation codes (peer.TxValidationCode), by numeric value. */
const VALIDATION_CODE_NAMES: ReadonlyMap<number, string> = new Map(
  Object.entries(peer.TxValidationCode).map(([name, value]) => [value, name]),
);

/** Name of a validation code as the peer stored it, e.g. `VALID`, `MVCC_READ_CONFLICT`, or `UNKNOWN(n)`. */
export function validationCodeName(code: number): string {
  return VALIDATION_CODE_NAMES.get(code) ?? `UNKNOWN(${code})`;
}

const HEADER_TYPE_NAMES: ReadonlyMap<number, string> = new Map(
  Object.entries(common.HeaderType).map(([name, value]) => [value, name]),
);

/** Name of a channel header type, e.g. `ENDORSER_TRANSACTION`. */
export function headerTypeName(type: number): string {
  return HEADER_TYPE_NAMES.get(type) ?? `UNKNOWN(${type})`;
}

/** One endorsement of a chaincode action: the signed bytes and who signed. */
export interface EndorsementParts {
  readonly endorser: Uint8Array;
  readonly signature: Uint8Array;
  /** proposal_response_payload ‖ endorser: the bytes the endorser signed. */
  readonly signedBytes: Uint8Array;
}

/** The chaincode event a transaction emitted, if any. */
export interface ChaincodeEventParts {
  readonly chaincodeId: string;
  readonly eventName: string;
  readonly payload: Uint8Array;
}

/** A decoded transaction envelope with the parts the verifier checks. */
export interface DecodedTransaction {
  readonly type: number;
  readonly channelId: string;
  readonly txId: string;
  readonly creator: Uint8Array;
  readonly nonce: Uint8Array;
  readonly payloadBytes: Uint8Array;
  readonly signature: Uint8Array;
  readonly payloadData: Uint8Array;
  /** The channel header's timestamp in milliseconds since the epoch (what the chaincode reads as the tx time). */
  readonly timestampMs: number | undefined;
}

/** Decodes an envelope down to its headers. Throws on undecodable bytes or missing headers. */
export function decodeTransaction(envelopeBytes: Uint8Array): DecodedTransaction {
  const envelope = common.Envelope.deserializeBinary(envelopeBytes);
  const payloadBytes = envelope.getPayload_asU8();
  const payload = common.Payload.deserializeBinary(payloadBytes);
  const header = payload.getHeader();
  if (!header) throw new Error('payload has no header');
  const channelHeader = common.ChannelHeader.deserializeBinary(header.getChannelHeader_asU8());
  const signatureHeader = common.SignatureHeader.deserializeBinary(header.getSignatureHeader_asU8());
  const timestamp = channelHeader.getTimestamp();
  return {
    type: channelHeader.getType(),
    channelId: channelHeader.getChannelId(),
    txId: channelHeader.getTxId(),
    creator: signatureHeader.getCreator_asU8(),
    nonce: signatureHeader.getNonce_asU8(),
    payloadBytes,
    signature: envelope.getSignature_asU8(),
    payloadData: payload.getData_asU8(),
    // as the chaincode shim does: seconds * 1000 + floor(nanos / 10^6)
    timestampMs: timestamp ? timestamp.getSeconds() * 1000 + Math.floor(timestamp.getNanos() / 1_000_000) : undefined,
  };
}

/** Fabric's transaction ID rule: hex(SHA-256(nonce ‖ creator)). */
export function computeTxId(nonce: Uint8Array, creator: Uint8Array): string {
  return createHash('sha256').update(nonce).update(creator).digest('hex');
}

/** The endorsements of every action of an endorser transaction. Throws on undecodable data. */
export function endorsementsOf(payloadData: Uint8Array): EndorsementParts[] {
  const out: EndorsementParts[] = [];
  for (const action of peer.Transaction.deserializeBinary(payloadData).getActionsList()) {
    const endorsed = peer.ChaincodeActionPayload.deserializeBinary(action.getPayload_asU8()).getAction();
    if (!endorsed) throw new Error('transaction action has no endorsed action');
    const prp = endorsed.getProposalResponsePayload_asU8();
    for (const e of endorsed.getEndorsementsList()) {
      const endorser = e.getEndorser_asU8();
      out.push({ endorser, signature: e.getSignature_asU8(), signedBytes: Buffer.concat([prp, endorser]) });
    }
  }
  return out;
}

/** The chaincode event of the first action that has one, if any. Throws on undecodable data. */
export function chaincodeEventOf(payloadData: Uint8Array): ChaincodeEventParts | undefined {
  for (const action of peer.Transaction.deserializeBinary(payloadData).getActionsList()) {
    const endorsed = peer.ChaincodeActionPayload.deserializeBinary(action.getPayload_asU8()).getAction();
    if (!endorsed) continue;
    const prp = peer.ProposalResponsePayload.deserializeBinary(endorsed.getProposalResponsePayload_asU8());
    const chaincodeAction = peer.ChaincodeAction.deserializeBinary(prp.getExtension_asU8());
    const eventBytes = chaincodeAction.getEvents_asU8();
    if (eventBytes.length === 0) continue;
    const event = peer.ChaincodeEvent.deserializeBinary(eventBytes);
    return { chaincodeId: event.getChaincodeId(), eventName: event.getEventName(), payload: event.getPayload_asU8() };
  }
  return undefined;
}

/** What one action of a transaction wrote in one chaincode namespace (from the read-write set it was endorsed with). */
export interface NamespaceWrites {
  readonly namespace: string;
  /** Writes (and metadata writes) to the namespace's public state. */
  readonly publicWrites: number;
  /** Names of the private data collections the action wrote to (hashed writes or metadata writes), sorted. */
  readonly collections: readonly string[];
}

/**
 * The writes of every action of an endorser transaction, per namespace, decoded from the `TxReadWriteSet` in each
 * chaincode action's results. Throws on undecodable data.
 */
export function writesOf(payloadData: Uint8Array): NamespaceWrites[] {
  const out: NamespaceWrites[] = [];
  for (const action of peer.Transaction.deserializeBinary(payloadData).getActionsList()) {
    const endorsed = peer.ChaincodeActionPayload.deserializeBinary(action.getPayload_asU8()).getAction();
    if (!endorsed) throw new Error('transaction action has no endorsed action');
    const prp = peer.ProposalResponsePayload.deserializeBinary(endorsed.getProposalResponsePayload_asU8());
    const results = peer.ChaincodeAction.deserializeBinary(prp.getExtension_asU8()).getResults_asU8();
    if (results.length === 0) continue;
    for (const ns of ledger.rwset.TxReadWriteSet.deserializeBinary(results).getNsRwsetList()) {
      const kv = ledger.rwset.kvrwset.KVRWSet.deserializeBinary(ns.getRwset_asU8());
      const collections = new Set<string>();
      for (const c of ns.getCollectionHashedRwsetList()) {
        const hashed = ledger.rwset.kvrwset.HashedRWSet.deserializeBinary(c.getHashedRwset_asU8());
        if (hashed.getHashedWritesList().length + hashed.getMetadataWritesList().length > 0) collections.add(c.getCollectionName());
      }
      out.push({ namespace: ns.getNamespace(), publicWrites: kv.getWritesList().length + kv.getMetadataWritesList().length, collections: [...collections].sort() });
    }
  }
  return out;
}
