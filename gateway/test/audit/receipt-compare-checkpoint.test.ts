import type { Contract } from '@hyperledger/fabric-gateway';
import { common, peer } from '@hyperledger/fabric-protos';
import { AuditError } from '../../src/audit/audit-codes';
import { BlockStoreSource } from '../../src/audit/block-store-source';
import { formatCheckpoint, parseCheckpoint } from '../../src/audit/checkpoint';
import { compareLedgers } from '../../src/audit/ledger-compare';
import { verifyLedger } from '../../src/audit/ledger-verifier';
import { QsccBlockSource, type QsccContract } from '../../src/audit/qscc-block-source';
import { verifyReceipt } from '../../src/audit/receipt';
import { BAD, PROD, MemoryBlockSource, codes, headerHash, loadBlocks, refreshDataHash } from './ledger-fixtures';

/** Compile-time check: fabric-gateway 1.11's Contract satisfies the adapter's port. */
export function qsccFromGateway(contract: Contract): QsccContract {
  return contract;
}

function txIdOf(block: common.Block): string {
  const env = common.Envelope.deserializeBinary(block.getData()!.getDataList_asU8()[0]!);
  return common.ChannelHeader.deserializeBinary(common.Payload.deserializeBinary(env.getPayload_asU8()).getHeader()!.getChannelHeader_asU8()).getTxId();
}

describe('receipts', () => {
  const blocks = loadBlocks(BAD);
  const source = new MemoryBlockSource(blocks);
  const claim = { txId: txIdOf(blocks[5]!), blockNumber: '5', txIndex: 0 };

  it('re-derives a receipt: in the block, VALID, endorsed by both organisations, creator MSP', async () => {
    const verdict = await verifyReceipt({ source, receipt: claim, requiredEndorsers: ['Org1MSP', 'Org2MSP'], expectedCreatorMspId: 'Org2MSP' });
    expect(verdict.findings).toEqual([]);
    expect(verdict.verified).toBe(true);
    expect(verdict.transaction).toMatchObject({ txId: claim.txId, validationCode: 'VALID', endorserMspIds: ['Org1MSP', 'Org2MSP'] });
  });

  it('reports each broken claim with its code', async () => {
    const wrongId = await verifyReceipt({ source, receipt: { ...claim, txId: '00'.repeat(32) } });
    expect(codes(wrongId.findings)).toEqual(['RECEIPT_TX_ID_MISMATCH']);
    const wrongIndex = await verifyReceipt({ source, receipt: { ...claim, txIndex: 1 } });
    expect(codes(wrongIndex.findings)).toEqual(['TX_NOT_FOUND']);
    const singleEndorser = await verifyReceipt({
      source, receipt: { txId: txIdOf(blocks[4]!), blockNumber: '4', txIndex: 0 }, requiredEndorsers: ['Org1MSP', 'Org2MSP'],
    });
    expect(codes(singleEndorser.findings)).toEqual(['ENDORSEMENT_POLICY_UNMET']);
    const writer = await verifyReceipt({ source, receipt: claim, expectedCreatorMspId: 'Org1MSP' });
    expect(codes(writer.findings)).toEqual(['WRITER_MISMATCH']);
    await expect(verifyReceipt({ source, receipt: { ...claim, blockNumber: '5x' } })).rejects.toBeInstanceOf(AuditError);
  });

  it('a transaction the peer flagged invalid gives no valid receipt', async () => {
    const copy = loadBlocks(BAD);
    const entries = copy[5]!.getMetadata()!.getMetadataList_asU8().slice();
    entries[2] = Uint8Array.from([peer.TxValidationCode.MVCC_READ_CONFLICT]);
    copy[5]!.getMetadata()!.setMetadataList(entries);
    const verdict = await verifyReceipt({ source: new MemoryBlockSource(copy), receipt: claim });
    expect(codes(verdict.findings)).toEqual(['TX_NOT_VALID']);
  });

  it('a receipt in a block whose chain is broken is not verified', async () => {
    const copy = loadBlocks(BAD);
    copy[3]!.getHeader()!.setDataHash(Buffer.alloc(32));
    const verdict = await verifyReceipt({ source: new MemoryBlockSource(copy), receipt: claim });
    expect(verdict.verified).toBe(false);
    expect(codes(verdict.findings)).toEqual(['DATA_HASH_MISMATCH', 'ORDERER_SIGNATURE_INVALID', 'ORDERER_SIGNATURE_POLICY_UNMET', 'PREVIOUS_HASH_MISMATCH']);
  });
});

describe('checkpoints', () => {
  it('round-trips the file format and rejects malformed checkpoints', () => {
    const cp = { blockNumber: 5, blockHash: 'ab'.repeat(32) };
    expect(parseCheckpoint(formatCheckpoint(cp))).toEqual(cp);
    expect(() => parseCheckpoint('{"blockNumber":"-1","blockHash":"00"}')).toThrow(AuditError);
    expect(() => parseCheckpoint('nope')).toThrow(AuditError);
  });

  it('an audit from a checkpoint proves the checkpointed block still has its hash', async () => {
    const blocks = loadBlocks(PROD);
    const checkpoint = { blockNumber: 5, blockHash: headerHash(blocks[5]!).toString('hex') };
    const ok = await verifyLedger({ source: new MemoryBlockSource(blocks), checkpoint });
    expect(ok.valid).toBe(true);
    expect(ok.nextCheckpoint?.blockNumber).toBe(7);
  });

  it('a rewritten history with a consistent hash chain is caught by the checkpoint: CHECKPOINT_MISMATCH', async () => {
    const blocks = loadBlocks(PROD);
    const checkpoint = { blockNumber: 5, blockHash: headerHash(blocks[5]!).toString('hex') };
    // The forger rewrites block 2 and re-links every later header, so the chain itself is consistent again.
    const data = blocks[2]!.getData()!;
    data.setDataList([Buffer.concat([Buffer.from(data.getDataList_asU8()[0]!), Buffer.from([0])])]);
    refreshDataHash(blocks[2]!);
    for (let n = 3; n < blocks.length; n++) blocks[n]!.getHeader()!.setPreviousHash(headerHash(blocks[n - 1]!));
    const report = await verifyLedger({ source: new MemoryBlockSource(blocks), checkpoint });
    expect(report.blocks.flatMap((b) => b.errors.map((e) => e.code))).not.toContain('PREVIOUS_HASH_MISMATCH');
    expect(codes(report.blocks.find((b) => b.blockNumber === 5)!.errors)).toContain('CHECKPOINT_MISMATCH');
    expect(report.valid).toBe(false);
  });

  it('a copy that no longer reaches the checkpoint is CHAIN_TRUNCATED', async () => {
    const blocks = loadBlocks(PROD);
    const checkpoint = { blockNumber: 7, blockHash: headerHash(blocks[7]!).toString('hex') };
    const report = await verifyLedger({ source: new MemoryBlockSource(blocks.slice(0, 6)), from: 0, checkpoint });
    expect(codes(report.errors)).toEqual(['CHAIN_TRUNCATED']);
  });
});

describe('two copies of the ledger (cross-agency check)', () => {
  it('identical copies agree on block hash, validation flags and commit hash', async () => {
    const report = await compareLedgers({ left: new MemoryBlockSource(loadBlocks(PROD)), right: await BlockStoreSource.open(PROD), to: 7 });
    expect(report).toMatchObject({ identical: true, firstDivergentBlock: undefined, divergences: [] });
  });

  it('a changed validation flag or commit hash in one copy is reported at the first differing block', async () => {
    const other = loadBlocks(PROD);
    const e4 = other[4]!.getMetadata()!.getMetadataList_asU8().slice();
    e4[2] = Uint8Array.from([peer.TxValidationCode.MVCC_READ_CONFLICT]);
    other[4]!.getMetadata()!.setMetadataList(e4);
    const e6 = other[6]!.getMetadata()!.getMetadataList_asU8().slice();
    const commit = common.Metadata.deserializeBinary(e6[4]!);
    commit.setValue(Buffer.alloc(32, 7));
    e6[4] = commit.serializeBinary();
    other[6]!.getMetadata()!.setMetadataList(e6);
    const report = await compareLedgers({ left: new MemoryBlockSource(loadBlocks(PROD)), right: new MemoryBlockSource(other), to: 7 });
    expect(report.firstDivergentBlock).toBe(4);
    expect(report.divergences.map((d) => [d.blockNumber, d.code])).toEqual([[4, 'TX_FILTER_DIVERGENCE'], [6, 'COMMIT_HASH_DIVERGENCE']]);
  });

  it('different heights are reported', async () => {
    const report = await compareLedgers({ left: new MemoryBlockSource(loadBlocks(PROD)), right: new MemoryBlockSource(loadBlocks(PROD).slice(0, 7)), to: 7 });
    expect(report.divergences.map((d) => [d.blockNumber, d.code])).toEqual([[7, 'HEIGHT_DIVERGENCE']]);
  });
});

describe('QsccBlockSource (against a fake QSCC contract — no live peer in unit tests)', () => {
  function fakeQscc(blocks: common.Block[]): QsccContract & { calls: string[][] } {
    const calls: string[][] = [];
    return {
      calls,
      evaluateTransaction(name: string, ...args: string[]): Promise<Uint8Array> {
        calls.push([name, ...args]);
        if (name === 'GetChainInfo') {
          const info = new common.BlockchainInfo();
          info.setHeight(blocks.length);
          return Promise.resolve(info.serializeBinary());
        }
        const block = blocks[Number(args[1])];
        return block ? Promise.resolve(block.serializeBinary()) : Promise.reject(new Error('no such block'));
      },
    };
  }

  it('gives the same block verdicts as the block-store source for the same ledger', async () => {
    const qscc = fakeQscc(loadBlocks(BAD));
    const live = await verifyLedger({ source: new QsccBlockSource({ qscc, channel: 'mychannel', peerLabel: 'fake' }) });
    const offline = await verifyLedger({ source: await BlockStoreSource.open(BAD) });
    expect(live.blocks).toEqual(offline.blocks);
    expect(qscc.calls).toContainEqual(['GetBlockByNumber', 'mychannel', '3']);
  });
});
