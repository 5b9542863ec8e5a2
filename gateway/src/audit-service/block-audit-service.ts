import type { common } from '@hyperledger/fabric-protos';
import { common as protos } from '@hyperledger/fabric-protos';
import { AuditError, VerifiedChain, verifyLedger, verifyReceiptOnChain, type AuditFinding, type BlockSource, type QsccContract } from '../audit';
import { isPeerUnreachable, translateFabricError } from '../fabric/fabric-errors';
import { decodeTransaction } from '../audit/transaction';
import { blockFactsOf } from '../fabric/block-receipts';
import { GatewayError } from '../http/problem';
import type { AuditFindingBody, AuditReportBody, AuditService, DerivedReceiptBody } from '../ports/audit-service';

function finding(f: AuditFinding): AuditFindingBody {
  return { code: f.code, detail: f.detail, ...(f.txIndex !== undefined ? { txIndex: f.txIndex } : {}) };
}

function translate(error: unknown): Error {
  if (error instanceof AuditError) {
    return error.reason === 'SOURCE_UNREADABLE' ? new GatewayError('LEDGER_UNAVAILABLE', {}, 5) : new GatewayError('INVALID_INPUT', { reason: error.reason });
  }
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * The block holding a transaction, from a peer's QSCC (`GetBlockByTxID`): undefined when the peer does not know the
 * transaction (it answers with a chaincode error), `LEDGER_UNAVAILABLE` when the peer cannot be reached or does not
 * answer in time — an outage is not an unknown transaction.
 */
export function findBlockThroughQscc(qscc: QsccContract, channel: string): (txId: string) => Promise<common.Block | undefined> {
  return async (txId) => {
    let bytes: Uint8Array;
    try {
      bytes = await qscc.evaluateTransaction('GetBlockByTxID', channel, txId);
    } catch (error) {
      if (isPeerUnreachable(error)) throw translateFabricError(error, 'evaluate');
      return undefined;
    }
    return protos.Block.deserializeBinary(bytes);
  };
}

/** Options of {@link BlockAuditService}. */
export interface BlockAuditServiceOptions {
  /** The agency's copy of the blocks (QSCC on its peer, or block-store files). */
  readonly source: BlockSource;
  /** The block that holds `txId` (QSCC `GetBlockByTxID` on a peer); by default the source is scanned. */
  readonly findBlock?: (txId: string) => Promise<common.Block | undefined>;
  /** MSP IDs whose endorsements an event write needs (domain.md §8: both agencies). */
  readonly requiredEndorsers: readonly string[];
}

/**
 * {@link AuditService} over a {@link BlockSource} with the audit engineer's verifier. `verify` audits the requested
 * range in full on every call. `receipt` proves the receipt's block against a {@link VerifiedChain} the service keeps
 * for its lifetime: verified once from the genesis block, extended by the blocks committed since, so a receipt costs
 * the new blocks plus its own block rather than the whole path from the last configuration block.
 */
export class BlockAuditService implements AuditService {
  readonly #chain: VerifiedChain;

  constructor(private readonly o: BlockAuditServiceOptions) {
    this.#chain = new VerifiedChain(o.source);
  }

  async verify(request: { fromBlock?: number; toBlock?: number; checkpoint?: { blockNumber: number; blockHash: string } }): Promise<AuditReportBody> {
    try {
      const report = await verifyLedger({
        source: this.o.source,
        ...(request.fromBlock !== undefined ? { from: request.fromBlock } : {}),
        ...(request.toBlock !== undefined ? { to: request.toBlock } : {}),
        ...(request.checkpoint ? { checkpoint: request.checkpoint } : {}),
      });
      return {
        valid: report.valid,
        channelId: report.channelId ?? null,
        firstBlock: report.firstBlock ?? null,
        lastBlock: report.lastBlock ?? null,
        blocks: report.blocks.map((b) => ({ blockNumber: b.blockNumber, blockHash: b.blockHash, valid: b.valid, errors: b.errors.map(finding), notices: b.notices.map(finding) })),
        errors: report.errors.map(finding),
        nextCheckpoint: report.nextCheckpoint ? { blockNumber: String(report.nextCheckpoint.blockNumber), blockHash: report.nextCheckpoint.blockHash } : null,
      };
    } catch (error) {
      throw translate(error);
    }
  }

  async #scan(txId: string): Promise<common.Block | undefined> {
    for await (const block of this.o.source.blocks(0)) {
      for (const env of block.getData()?.getDataList_asU8() ?? []) {
        try {
          if (decodeTransaction(env).txId === txId) return block;
        } catch {
          // undecodable envelopes are the verifier's business
        }
      }
    }
    return undefined;
  }

  async receipt(txId: string): Promise<DerivedReceiptBody | undefined> {
    try {
      const block = await (this.o.findBlock ?? ((id: string) => this.#scan(id)))(txId);
      const facts = block && blockFactsOf(block, txId);
      if (!facts) return undefined;
      const verdict = await verifyReceiptOnChain({
        chain: this.#chain,
        block,
        receipt: { txId, blockNumber: facts.blockNumber, txIndex: facts.txIndex },
        requiredEndorsers: this.o.requiredEndorsers,
      });
      return {
        txId,
        blockNumber: facts.blockNumber,
        txIndex: facts.txIndex,
        validationCode: facts.validationCode,
        endorsers: [...(verdict.transaction?.endorserMspIds ?? facts.endorsers)],
        creatorMspId: verdict.transaction?.creatorMspId ?? null,
        verified: verdict.verified,
        findings: verdict.findings.map(finding),
      };
    } catch (error) {
      throw translate(error);
    }
  }
}

/** For a gateway without blocks to read (the dev in-memory ledger): every audit answers 503. */
export class UnavailableAuditService implements AuditService {
  verify(): Promise<AuditReportBody> {
    return Promise.reject(new GatewayError('LEDGER_UNAVAILABLE', { reason: 'NO_BLOCKS' }, 60));
  }
  receipt(): Promise<DerivedReceiptBody | undefined> {
    return Promise.reject(new GatewayError('LEDGER_UNAVAILABLE', { reason: 'NO_BLOCKS' }, 60));
  }
}
