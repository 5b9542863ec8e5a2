/**
 * A look at an agency's peer from the side, for live suites that must show what reached the ledger and what did
 * not: the block height and the transactions of committed blocks (creator, validation code, endorsers, chaincode
 * event), read through QSCC with the agency's enrolled auditor from connection.json (read afresh on every `open`),
 * independent of either gateway and its read model.
 */
import { readFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import { connectionOrg, identityFor, readConnection } from '@asl/network/connection';
import { connect, hash, signers, type Gateway } from '@hyperledger/fabric-gateway';
import { common, msp } from '@hyperledger/fabric-protos';
import { createPrivateKey } from 'node:crypto';
import { chaincodeEventOf, decodeTransaction } from '../../src/audit/transaction';
import { blockFactsAt } from '../../src/fabric/block-receipts';
import { connectPeer, type PeerConnection } from '../../src/fabric/peer-connection';

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

const read = (file: string): string => readFileSync(file, 'utf8');

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

  static open(orgKey: 'bamf' | 'zab'): LedgerProbe {
    const connection = readConnection();
    const org = connectionOrg(connection, orgKey);
    const peer = org.peers[0];
    if (peer === undefined) throw new Error(`${org.mspId} has no peer in connection.json`);
    const auditor = identityFor(connection, orgKey, 'auditor');
    const peerConnection = connectPeer({
      endpoint: peer.endpoint,
      hostAlias: peer.hostAlias,
      tlsRootCertPem: read(peer.tlsRootCert),
      tlsClient: { certificatePem: read(auditor.tls.certificate), privateKeyPem: read(auditor.tls.privateKey) },
    });
    const gateway = connect({
      client: peerConnection.client,
      tlsClientCertificateHash: peerConnection.tlsClientCertificateHash,
      identity: { mspId: org.mspId, credentials: Buffer.from(read(auditor.certificate)) },
      signer: signers.newPrivateKeySigner(createPrivateKey(read(auditor.privateKey))),
      hash: hash.sha256,
      evaluateOptions: () => ({ deadline: Date.now() + 10_000 }),
    });
    return new LedgerProbe(peerConnection, gateway, connection.channel);
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
