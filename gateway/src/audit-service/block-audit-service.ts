import type { common } from '@hyperledger/fabric-protos';
import { common as protos } from '@hyperledger/fabric-protos';
import {
  AuditError,
  VerifiedChain,
  blockDigest,
  compareWithDigests,
  verifyLedger,
  verifyReceiptOnChain,
  type AuditFinding,
  type AuditReport,
  type BlockDigest,
  type BlockSource,
  type QsccContract,
  type RequiredEndorsers,
} from '../audit';
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

/** Another agency's copy of the blocks (its peer, through QSCC), for the cross-agency check of `verify`. */
export interface PartnerBlockSource {
  /** The partner peer's name for reports, e.g. `peer0.zab`. */
  readonly peer: string;
  readonly mspId: string;
  readonly source: BlockSource;
  /** The partner peer's ledger height (number of blocks). */
  height(): Promise<number>;
}

type CrossAgency = NonNullable<AuditReportBody['crossAgency']>[number];

/** Records the digest of every block a verification reads, so the partners' copies can be compared with it. */
class DigestRecorder implements BlockSource {
  readonly digests = new Map<number, BlockDigest>();
  readonly description: string;

  constructor(private readonly inner: BlockSource) {
    this.description = inner.description;
  }

  getBlock(blockNumber: number): Promise<common.Block | undefined> {
    return this.inner.getBlock(blockNumber);
  }

  async *blocks(from: number, to?: number): AsyncIterable<common.Block> {
    for await (const block of this.inner.blocks(from, to)) {
      const n = block.getHeader()?.getNumber();
      if (n !== undefined && !this.digests.has(n)) {
        try {
          this.digests.set(n, blockDigest(block));
        } catch {
          // a block without header: the verifier reports it
        }
      }
      yield block;
    }
  }
}

/** Options of {@link BlockAuditService}. */
export interface BlockAuditServiceOptions {
  /** The agency's copy of the blocks (QSCC on its peer, or block-store files). */
  readonly source: BlockSource;
  /** The block that holds `txId` (QSCC `GetBlockByTxID` on a peer); by default the source is scanned. */
  readonly findBlock?: (txId: string) => Promise<common.Block | undefined>;
  /**
   * The endorsements a write needs: the chaincode's policy (domain.md §8: both agencies for events) and the
   * collection-level policies (`zabEnforcement`: ZAB alone); which apply follows from what the transaction wrote.
   */
  readonly requiredEndorsers: RequiredEndorsers;
  /** The other agencies' peers: `verify` compares the verified blocks with each (the cross-agency check). */
  readonly partners?: readonly PartnerBlockSource[];
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
      const partners = this.o.partners ?? [];
      const recorder = partners.length > 0 ? new DigestRecorder(this.o.source) : undefined;
      const report = await verifyLedger({
        source: recorder ?? this.o.source,
        ...(request.fromBlock !== undefined ? { from: request.fromBlock } : {}),
        ...(request.toBlock !== undefined ? { to: request.toBlock } : {}),
        ...(request.checkpoint ? { checkpoint: request.checkpoint } : {}),
      });
      const crossAgency = recorder ? await Promise.all(partners.map((p) => this.#compare(p, report, recorder.digests))) : undefined;
      const divergent = (crossAgency ?? []).flatMap((c) => c.divergences.map((d) => ({ code: d.code, detail: `${c.peer} block ${d.blockNumber}: ${d.detail}` })));
      return {
        valid: report.valid && divergent.length === 0,
        channelId: report.channelId ?? null,
        firstBlock: report.firstBlock ?? null,
        lastBlock: report.lastBlock ?? null,
        blocks: report.blocks.map((b) => ({ blockNumber: b.blockNumber, blockHash: b.blockHash, valid: b.valid, errors: b.errors.map(finding), notices: b.notices.map(finding) })),
        errors: [...report.errors.map(finding), ...divergent],
        nextCheckpoint: report.nextCheckpoint ? { blockNumber: String(report.nextCheckpoint.blockNumber), blockHash: report.nextCheckpoint.blockHash } : null,
        ...(crossAgency ? { crossAgency } : {}),
      };
    } catch (error) {
      throw translate(error);
    }
  }

  /**
   * Compares the blocks a verification read with a partner's copy, from the first verified block up to the height
   * both reach (a partner a few blocks behind is not a divergence: it has not committed them yet).
   */
  async #compare(partner: PartnerBlockSource, report: AuditReport, digests: ReadonlyMap<number, BlockDigest>): Promise<CrossAgency> {
    const base = { peer: partner.peer, mspId: partner.mspId, firstDivergentBlock: null, divergences: [] };
    const from = report.firstBlock;
    if (from === undefined || report.lastBlock === undefined) return { ...base, status: 'IDENTICAL', from: null, to: null };
    try {
      const to = Math.min(report.lastBlock, (await partner.height()) - 1);
      if (to < from) return { ...base, status: 'BEHIND', from, to: null };
      const comparison = await compareWithDigests({ left: digests, leftDescription: report.source, right: partner.source, from, to });
      return {
        ...base,
        status: comparison.identical ? 'IDENTICAL' : 'DIVERGENT',
        from,
        to,
        firstDivergentBlock: comparison.firstDivergentBlock ?? null,
        divergences: comparison.divergences.map((d) => ({ blockNumber: d.blockNumber, code: d.code, detail: d.detail })),
      };
    } catch {
      return { ...base, status: 'UNREACHABLE', from, to: null };
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
