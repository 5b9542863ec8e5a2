/**
 * A look at an agency's peer from the side, for live suites that must show what reached the ledger and what did
 * not: the block height and the transactions of committed blocks (creator, validation code, endorsers, chaincode
 * event), read through QSCC with the agency's enrolled auditor from connection.json (read afresh on every `open`),
 * independent of either gateway and its read model.
 */
import { X509Certificate } from 'node:crypto';
import type { Gateway } from '@hyperledger/fabric-gateway';
import { common, msp } from '@hyperledger/fabric-protos';
import { chaincodeEventOf, decodeTransaction } from '../../src/audit/transaction';
import { blockFactsAt } from '../../src/fabric/block-receipts';
import type { PeerConnection } from '../../src/fabric/peer-connection';
import { auditorGateway, type AgencyKey } from './live-agency';

/** One transaction of a committed block. */
export interface ProbedTransaction {
  readonly blockNumber: bigint;
  readonly txIndex: number;
  readonly txId: string;
  readonly creatorMspId: string;
  /** The CN of the creator's certificate: the enrollment ID of whoever signed it. */
  readonly creatorId: string;
  readonly validationCode: string;
  readonly endorsers: readonly string[];
  readonly chaincodeEvent: string | undefined;
}

function commonName(certificatePem: string): string {
  try {
    const subject = new X509Certificate(certificatePem).subject;
    return /(?:^|\n)CN=([^\n]*)/.exec(subject)?.[1] ?? '';
  } catch {
    return '';
  }
}

/** QSCC on one agency's peer (default: the first) as its auditor. */
export class LedgerProbe {
  private constructor(
    private readonly peer: PeerConnection,
    private readonly gateway: Gateway,
    private readonly channel: string,
  ) {}

  static open(orgKey: AgencyKey): LedgerProbe {
    const { connection, gateway, peer } = auditorGateway(orgKey);
    return new LedgerProbe(peer, gateway, connection.channel);
  }


  #qscc() {
    return this.gateway.getNetwork(this.channel).getContract('qscc');
  }

  async height(): Promise<bigint> {
    const bytes = await this.#qscc().evaluateTransaction('GetChainInfo', this.channel);
    return BigInt(common.BlockchainInfo.deserializeBinary(bytes).getHeight());
  }

  async block(n: bigint): Promise<common.Block> {
    return common.Block.deserializeBinary(await this.#qscc().evaluateTransaction('GetBlockByNumber', this.channel, n.toString()));
  }

  /** Every transaction of blocks `from` … `to - 1`. */
  async transactions(from: bigint, to: bigint): Promise<ProbedTransaction[]> {
    const out: ProbedTransaction[] = [];
    for (let n = from; n < to; n++) {
      const block = await this.block(n);
      const envelopes = block.getData()?.getDataList_asU8() ?? [];
      envelopes.forEach((envelope, txIndex) => {
        let decoded;
        try {
          decoded = decodeTransaction(envelope);
        } catch {
          return;
        }
        let creatorMspId = '';
        let creatorId = '';
        try {
          const creator = msp.SerializedIdentity.deserializeBinary(decoded.creator);
          creatorMspId = creator.getMspid();
          creatorId = commonName(Buffer.from(creator.getIdBytes_asU8()).toString('utf8'));
        } catch {
          // a transaction without a decodable creator (none expected on this channel)
        }
        let chaincodeEvent: string | undefined;
        try {
          chaincodeEvent = chaincodeEventOf(decoded.payloadData)?.eventName;
        } catch {
          chaincodeEvent = undefined;
        }
        const facts = blockFactsAt(block, txIndex);
        out.push({
          blockNumber: n,
          txIndex,
          txId: decoded.txId,
          creatorMspId,
          creatorId,
          validationCode: facts?.validationCode ?? 'UNKNOWN',
          endorsers: facts?.endorsers ?? [],
          chaincodeEvent,
        });
      });
    }
    return out;
  }

  /** The transaction with this ID, found in blocks `from` … the current height. */
  async find(txId: string, from: bigint): Promise<ProbedTransaction | undefined> {
    return (await this.transactions(from, await this.height())).find((t) => t.txId === txId);
  }

  close(): void {
    this.gateway.close();
    this.peer.client.close();
  }
}
