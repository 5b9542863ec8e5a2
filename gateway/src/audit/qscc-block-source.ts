import { common } from '@hyperledger/fabric-protos';
import type { BlockSource } from './block-source';

/**
 * The part of a fabric-gateway `Contract` this adapter uses. `network.getContract('qscc')` from
 * `@hyperledger/fabric-gateway` 1.11 satisfies it structurally, so the audit library does not depend on the gateway
 * client package itself.
 */
export interface QsccContract {
  evaluateTransaction(name: string, ...args: string[]): Promise<Uint8Array>;
}

/** Options for {@link QsccBlockSource}. */
export interface QsccBlockSourceOptions {
  /** `network.getContract('qscc')` of a Gateway connected as the auditor identity. */
  readonly qscc: QsccContract;
  /** Channel whose ledger is read, e.g. `ankerdresden`. */
  readonly channel: string;
  /** Short label of the peer for reports, e.g. `peer0.bamf`. */
  readonly peerLabel: string;
}

/**
 * Reads blocks from a live peer through the query system chaincode (`GetChainInfo`, `GetBlockByNumber`; ACL
 * `/Channel/Application/Readers`). Not integration-tested yet: no Fabric network could be run where it was written.
 */
export class QsccBlockSource implements BlockSource {
  readonly description: string;
  private readonly qscc: QsccContract;
  private readonly channel: string;

  constructor(options: QsccBlockSourceOptions) {
    this.qscc = options.qscc;
    this.channel = options.channel;
    this.description = `peer ${options.peerLabel} channel ${options.channel} (QSCC)`;
  }

  /** Current ledger height (number of the next block to be committed). */
  async height(): Promise<number> {
    const bytes = await this.qscc.evaluateTransaction('GetChainInfo', this.channel);
    return common.BlockchainInfo.deserializeBinary(bytes).getHeight();
  }

  async getBlock(blockNumber: number): Promise<common.Block | undefined> {
    if (blockNumber >= (await this.height())) return undefined;
    return this.fetch(blockNumber);
  }

  async *blocks(from: number, to?: number): AsyncIterable<common.Block> {
    const height = await this.height();
    const last = Math.min(to ?? height - 1, height - 1);
    for (let n = from; n <= last; n++) yield await this.fetch(n);
  }

  private async fetch(blockNumber: number): Promise<common.Block> {
    const bytes = await this.qscc.evaluateTransaction('GetBlockByNumber', this.channel, String(blockNumber));
    return common.Block.deserializeBinary(bytes);
  }
}
