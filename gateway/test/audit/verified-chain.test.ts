import { peer } from '@hyperledger/fabric-protos';
import { AuditError } from '../../src/audit/audit-codes';
import { verifyLedger } from '../../src/audit/ledger-verifier';
import { verifyReceipt, verifyReceiptOnChain } from '../../src/audit/receipt';
import { VerifiedChain } from '../../src/audit/verified-chain';
import { ANKERDRESDEN, ANKERDRESDEN_RECEIPT_14, ANKERDRESDEN_RECEIPT_15, BAD, MemoryBlockSource, cloneBlock, codes, flipByte, headerHash, loadBlocks, refreshDataHash } from './ledger-fixtures';

const BOTH = ['BamfMSP', 'ZabSachsenMSP'];
const claim14 = { txId: ANKERDRESDEN_RECEIPT_14.txId, blockNumber: '14', txIndex: 0 };
const claim15 = { txId: ANKERDRESDEN_RECEIPT_15.txId, blockNumber: '15', txIndex: 0 };

describe('VerifiedChain: the chain verified once from genesis, extended block by block', () => {
  it('admits exactly the blocks a full audit finds valid, with the same head hash', async () => {
    const source = new MemoryBlockSource(loadBlocks(ANKERDRESDEN));
    const chain = new VerifiedChain(source);
    expect(await chain.extendTo(15)).toEqual({ height: 16, gap: undefined });
    const audit = await verifyLedger({ source });
    expect(audit.valid).toBe(true);
    expect(chain.head()).toEqual(audit.nextCheckpoint);
    for (const b of audit.blocks) expect(chain.hashOf(b.blockNumber)).toBe(b.blockHash);
  });

  it('a receipt proven on the chain gets the same verdict as the full path from the configuration block', async () => {
    const source = new MemoryBlockSource(loadBlocks(ANKERDRESDEN));
    const chain = new VerifiedChain(source);
    for (const receipt of [ANKERDRESDEN_RECEIPT_14, ANKERDRESDEN_RECEIPT_15]) {
      const onChain = await verifyReceiptOnChain({ chain, receipt, requiredEndorsers: BOTH });
      const full = await verifyReceipt({ source, receipt, requiredEndorsers: BOTH });
      expect(onChain).toEqual(full);
      expect(onChain).toMatchObject({ verified: true, findings: [], transaction: { validationCode: 'VALID', endorserMspIds: BOTH } });
    }
  });

  it('costs what it reads: only blocks not verified before, plus the receipt’s own block', async () => {
    const source = new MemoryBlockSource(loadBlocks(ANKERDRESDEN));
    const chain = new VerifiedChain(source);
    await chain.extendTo(13);
    expect(source.reads).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
    source.reads.length = 0;
    await verifyReceiptOnChain({ chain, receipt: claim15, requiredEndorsers: BOTH });
    expect(source.reads).toEqual([14, 15, 15]);
    source.reads.length = 0;
    // the caller (the gateway, through QSCC GetBlockByTxID) already holds the block: nothing else is read
    const block14 = (await source.getBlock(14))!;
    source.reads.length = 0;
    expect((await verifyReceiptOnChain({ chain, receipt: claim14, block: block14, requiredEndorsers: BOTH })).verified).toBe(true);
    expect(source.reads).toEqual([]);
    // whereas the full path verifies every block from the configuration block on
    await verifyReceipt({ source, receipt: claim14 });
    expect(source.reads.filter((n) => n <= 14)).toEqual(expect.arrayContaining([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]));
  });

  it('concurrent extensions run one after the other and admit each block once', async () => {
    const source = new MemoryBlockSource(loadBlocks(ANKERDRESDEN));
    const chain = new VerifiedChain(source);
    const results = await Promise.all([chain.extendTo(15), chain.extendTo(7), chain.extendTo(15)]);
    expect(results.map((r) => r.gap)).toEqual([undefined, undefined, undefined]);
    expect(chain.height).toBe(16);
    expect(source.reads).toEqual([...Array(16).keys()]);
  });

  it('stops at the first block that does not verify, keeps it out, and tries again from there next time', async () => {
    const source = new MemoryBlockSource(loadBlocks(BAD));
    const chain = new VerifiedChain(source);
    const first = await chain.extendTo(5);
    expect(first.height).toBe(0);
    expect(first.gap?.blockNumber).toBe(0);
    expect(codes(first.gap!.findings)).toEqual(['DATA_HASH_MISMATCH']);
    const receipt = await verifyReceiptOnChain({ chain, receipt: { txId: '00'.repeat(32), blockNumber: '5', txIndex: 0 } });
    expect(receipt.verified).toBe(false);
    expect(receipt.findings[0]?.detail).toMatch(/^block 0: /);
    await expect(chain.extendTo(-1)).rejects.toBeInstanceOf(AuditError);
  });

  it('a source that ends before the requested block leaves a CHAIN_TRUNCATED gap', async () => {
    const chain = new VerifiedChain(new MemoryBlockSource(loadBlocks(ANKERDRESDEN).slice(0, 10)));
    const result = await chain.extendTo(12);
    expect(result.height).toBe(10);
    expect(result.gap?.blockNumber).toBe(10);
    expect(codes(result.gap!.findings)).toEqual(['CHAIN_TRUNCATED']);
  });
});

describe('receipts on the verified chain still detect tampering', () => {
  /** A chain admitted up to block 15 from the intact blocks, and a source whose blocks the test then alters. */
  async function admitted(): Promise<{ chain: VerifiedChain; source: MemoryBlockSource; blocks: ReturnType<typeof loadBlocks> }> {
    const blocks = loadBlocks(ANKERDRESDEN);
    const source = new MemoryBlockSource(blocks.map(cloneBlock));
    const chain = new VerifiedChain(source);
    expect((await chain.extendTo(15)).gap).toBeUndefined();
    return { chain, source, blocks };
  }

  it('a byte of the receipt’s transaction flipped after the block was verified: DATA_HASH_MISMATCH, signatures fail', async () => {
    const { chain, source, blocks } = await admitted();
    const data = blocks[14]!.getData()!;
    const envelope = data.getDataList_asU8()[0]!;
    data.setDataList([flipByte(envelope, envelope.length - 1)]);
    source.list = blocks;
    const verdict = await verifyReceiptOnChain({ chain, receipt: claim14, requiredEndorsers: BOTH });
    expect(verdict.verified).toBe(false);
    expect(codes(verdict.findings)).toContain('DATA_HASH_MISMATCH');
  });

  it('the receipt’s block rewritten with a consistent data hash: its hash is no longer the one verified (CHECKPOINT_MISMATCH)', async () => {
    const { chain, source, blocks } = await admitted();
    const data = blocks[14]!.getData()!;
    data.setDataList([Buffer.concat([Buffer.from(data.getDataList_asU8()[0]!), Buffer.from([0])])]);
    refreshDataHash(blocks[14]!);
    source.list = blocks;
    const verdict = await verifyReceiptOnChain({ chain, receipt: claim14, requiredEndorsers: BOTH });
    expect(verdict.verified).toBe(false);
    expect(codes(verdict.findings)).toEqual(expect.arrayContaining(['CHECKPOINT_MISMATCH', 'ORDERER_SIGNATURE_INVALID']));
    expect(codes(verdict.findings)).not.toContain('DATA_HASH_MISMATCH');
  });

  it('a whole forged history re-linked up to the receipt’s block: CHECKPOINT_MISMATCH at that block', async () => {
    const { chain, source, blocks } = await admitted();
    const data = blocks[12]!.getData()!;
    data.setDataList([Buffer.concat([Buffer.from(data.getDataList_asU8()[0]!), Buffer.from([0])])]);
    refreshDataHash(blocks[12]!);
    for (let n = 13; n < blocks.length; n++) blocks[n]!.getHeader()!.setPreviousHash(headerHash(blocks[n - 1]!));
    source.list = blocks;
    const verdict = await verifyReceiptOnChain({ chain, receipt: claim15, requiredEndorsers: BOTH });
    expect(codes(verdict.findings)).toContain('CHECKPOINT_MISMATCH');
    expect(verdict.verified).toBe(false);
  });

  it('a block handed in by the caller is checked as strictly as one read from the source', async () => {
    const { chain } = await admitted();
    const forged = cloneBlock(loadBlocks(ANKERDRESDEN)[14]!);
    const data = forged.getData()!;
    const envelope = data.getDataList_asU8()[0]!;
    data.setDataList([flipByte(envelope, envelope.length - 1)]);
    const verdict = await verifyReceiptOnChain({ chain, block: forged, receipt: claim14 });
    expect(codes(verdict.findings)).toContain('DATA_HASH_MISMATCH');
  });

  it('a validation flag changed to invalid: TX_NOT_VALID (metadata is read as served, as in a full audit)', async () => {
    const { chain, source, blocks } = await admitted();
    const entries = blocks[14]!.getMetadata()!.getMetadataList_asU8().slice();
    entries[2] = Uint8Array.from([peer.TxValidationCode.MVCC_READ_CONFLICT]);
    blocks[14]!.getMetadata()!.setMetadataList(entries);
    source.list = blocks;
    const verdict = await verifyReceiptOnChain({ chain, receipt: claim14 });
    expect(codes(verdict.findings)).toEqual(['TX_NOT_VALID']);
  });

  it('tampering before the chain reached a block keeps every later receipt unverified', async () => {
    const blocks = loadBlocks(ANKERDRESDEN);
    const data = blocks[9]!.getData()!;
    const envelope = data.getDataList_asU8()[0]!;
    data.setDataList([flipByte(envelope, 20)]);
    const chain = new VerifiedChain(new MemoryBlockSource(blocks));
    const verdict = await verifyReceiptOnChain({ chain, receipt: claim15, requiredEndorsers: BOTH });
    expect(verdict.verified).toBe(false);
    expect(verdict.findings.every((f) => f.detail.startsWith('block 9: '))).toBe(true);
    expect(codes(verdict.findings)).toContain('DATA_HASH_MISMATCH');
    expect(chain.height).toBe(9);
  });

  it('a block the chain has not admitted cannot be re-verified against it', () => {
    const chain = new VerifiedChain(new MemoryBlockSource(loadBlocks(ANKERDRESDEN)));
    expect(() => chain.verifyAdmitted(loadBlocks(ANKERDRESDEN)[3]!)).toThrow(AuditError);
  });
});
