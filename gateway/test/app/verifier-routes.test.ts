import { AuditReportSchema, DerivedReceiptSchema } from '../../src/api/schemas';
import { BlockStoreSource } from '../../src/audit/block-store-source';
import { BlockAuditService, findBlockThroughQscc, type PartnerBlockSource } from '../../src/audit-service/block-audit-service';
import { peer } from '@hyperledger/fabric-protos';
import { GatewayError } from '../../src/http/problem';
import { decodeTransaction } from '../../src/audit/transaction';
import { ANKERDRESDEN, ANKERDRESDEN_RECEIPT_14, ANKERDRESDEN_RECEIPT_15, BAD, MemoryBlockSource, flipByte, loadBlocks } from '../audit/ledger-fixtures';
import { call } from '../support/client';
import { SAMPLE_TX_ID, startGateway } from '../support/harness';

describe('audit routes over real Fabric block files', () => {
  it('verifies an intact copy, returns a checkpoint, and re-derives a receipt', async () => {
    const gw = await startGateway({ mspId: 'BamfMSP' });
    const report = await call(gw, 'post', '/api/v1/audit/verify', { token: gw.token.auditor, body: {} });
    expect(report.status).toBe(200);
    expect(report.body.valid).toBe(true);
    expect(report.body.nextCheckpoint.blockHash).toMatch(/^[0-9a-f]{64}$/);
    const again = await call(gw, 'post', '/api/v1/audit/verify', { token: gw.token.auditor, body: { checkpoint: report.body.nextCheckpoint } });
    expect(again.body.valid).toBe(true);
    const receipt = await call(gw, 'get', '/api/v1/audit/receipts/{txId}', { token: gw.token.auditor, params: { txId: SAMPLE_TX_ID } });
    expect(receipt.status).toBe(200);
    expect(receipt.body).toMatchObject({ txId: SAMPLE_TX_ID, blockNumber: '2', txIndex: 0, validationCode: 'VALID', endorsers: ['SampleOrg'], verified: true });
    const unknown = await call(gw, 'get', '/api/v1/audit/receipts/{txId}', { token: gw.token.auditor, params: { txId: 'a'.repeat(64) } });
    expect(unknown.status).toBe(404);
    const badCheckpoint = await call(gw, 'post', '/api/v1/audit/verify', { token: gw.token.auditor, body: { checkpoint: { blockNumber: 1, blockHash: '0'.repeat(64) } } });
    expect(badCheckpoint.status).toBe(200);
    expect(badCheckpoint.body.valid).toBe(false);
    gw.stop();
  });

  it('reports a tampered copy as invalid', async () => {
    const source = await BlockStoreSource.open(BAD);
    const gw = await startGateway({ audit: new BlockAuditService({ source, requiredEndorsers: [] }) });
    const report = await call(gw, 'post', '/api/v1/audit/verify', { token: gw.token.auditor, body: {} });
    expect(report.status).toBe(200);
    expect(report.body.valid).toBe(false);
    gw.stop();
  });

  it('re-derives receipts of this project’s channel against the chain it verified once, and still detects a block tampered with since', async () => {
    const source = new MemoryBlockSource(loadBlocks(ANKERDRESDEN));
    const findBlock = (txId: string) =>
      Promise.resolve(source.list.find((b) => b.getData()!.getDataList_asU8().some((env) => decodeTransaction(env).txId === txId)));
    const audit = new BlockAuditService({ source, findBlock, requiredEndorsers: ['BamfMSP', 'ZabSachsenMSP'] });
    const gw = await startGateway({ mspId: 'BamfMSP', audit });
    const receipt = (txId: string) => call(gw, 'get', '/api/v1/audit/receipts/{txId}', { token: gw.token.auditor, params: { txId } });
    const first = await receipt(ANKERDRESDEN_RECEIPT_14.txId);
    expect(first.body).toEqual({
      txId: ANKERDRESDEN_RECEIPT_14.txId, blockNumber: '14', txIndex: 0, validationCode: 'VALID', endorsers: ['BamfMSP', 'ZabSachsenMSP'],
      creatorMspId: 'ZabSachsenMSP', verified: true, findings: [],
    });
    expect(source.reads).toEqual([...Array(15).keys()]);
    source.reads.length = 0;
    expect((await receipt(ANKERDRESDEN_RECEIPT_15.txId)).body).toMatchObject({ verified: true, findings: [] });
    expect(source.reads).toEqual([15]);

    // the peer now serves block 14 with one byte of its transaction flipped
    const blocks = loadBlocks(ANKERDRESDEN);
    const data = blocks[14]!.getData()!;
    const envelope = data.getDataList_asU8()[0]!;
    data.setDataList([flipByte(envelope, envelope.length - 1)]);
    source.list = blocks;
    const tampered = await receipt(ANKERDRESDEN_RECEIPT_14.txId);
    expect(tampered.status).toBe(200);
    expect(tampered.body.verified).toBe(false);
    expect(DerivedReceiptSchema.parse(tampered.body).findings.map((f) => f.code)).toContain('DATA_HASH_MISMATCH');
    gw.stop();
  });
});

describe('finding a transaction’s block through QSCC', () => {
  const block = loadBlocks(ANKERDRESDEN)[14]!;
  const qscc = (answer: () => Promise<Uint8Array>) => ({ evaluateTransaction: (name: string, ...args: string[]) => (name === 'GetBlockByTxID' && args.length === 2 ? answer() : Promise.reject(new Error('unexpected call'))) });

  it('returns the block the peer names, undefined for a transaction the peer does not know', async () => {
    const found = await findBlockThroughQscc(qscc(() => Promise.resolve(block.serializeBinary())), 'ankerdresden')(ANKERDRESDEN_RECEIPT_14.txId);
    expect(found?.getHeader()?.getNumber()).toBe(14);
    const unknown = Object.assign(new Error('evaluate call to endorser returned error: chaincode response 500, Failed to get block for txID'), { code: 2 });
    expect(await findBlockThroughQscc(qscc(() => Promise.reject(unknown)), 'ankerdresden')('a'.repeat(64))).toBeUndefined();
  });

  it('an unreachable or silent peer is LEDGER_UNAVAILABLE (503), not an unknown transaction (404)', async () => {
    for (const code of [14, 4, 1]) {
      const failure = Object.assign(new Error('no connection'), { code });
      await expect(findBlockThroughQscc(qscc(() => Promise.reject(failure)), 'ankerdresden')('a'.repeat(64))).rejects.toMatchObject({ code: 'LEDGER_UNAVAILABLE' });
      await expect(findBlockThroughQscc(qscc(() => Promise.reject(failure)), 'ankerdresden')('a'.repeat(64))).rejects.toBeInstanceOf(GatewayError);
    }
  });
});

describe('the cross-agency check of POST /api/v1/audit/verify', () => {
  const partner = (blocks: ReturnType<typeof loadBlocks>, height: () => Promise<number> = () => Promise.resolve(blocks.length)): PartnerBlockSource => ({
    peer: 'peer0.zab',
    mspId: 'ZabSachsenMSP',
    source: new MemoryBlockSource(blocks),
    height,
  });
  async function verifyWith(partners: PartnerBlockSource[], body: object = {}) {
    const own = new MemoryBlockSource(loadBlocks(ANKERDRESDEN));
    const gw = await startGateway({ mspId: 'BamfMSP', audit: new BlockAuditService({ source: own, requiredEndorsers: [], partners }) });
    const answer = await call(gw, 'post', '/api/v1/audit/verify', { token: gw.token.auditor, body });
    gw.stop();
    expect(answer.status).toBe(200);
    return AuditReportSchema.parse(answer.body);
  }

  it('identical copies: every verified block compared with the partner’s, IDENTICAL, the report valid', async () => {
    const report = await verifyWith([partner(loadBlocks(ANKERDRESDEN))]);
    expect(report.valid).toBe(true);
    expect(report.crossAgency).toEqual([{ peer: 'peer0.zab', mspId: 'ZabSachsenMSP', status: 'IDENTICAL', from: 0, to: 15, firstDivergentBlock: null, divergences: [] }]);
  });

  it('a validation flag or commit hash that differs in the partner’s copy: DIVERGENT at that block, named in errors, the report invalid', async () => {
    const other = loadBlocks(ANKERDRESDEN);
    const entries = other[14]!.getMetadata()!.getMetadataList_asU8().slice();
    entries[2] = Uint8Array.from([peer.TxValidationCode.MVCC_READ_CONFLICT]);
    other[14]!.getMetadata()!.setMetadataList(entries);
    const report = await verifyWith([partner(other)]);
    expect(report.valid).toBe(false);
    expect(report.blocks.every((b) => b.valid)).toBe(true);
    expect(report.crossAgency?.[0]).toMatchObject({ status: 'DIVERGENT', firstDivergentBlock: 14, divergences: [{ blockNumber: 14, code: 'TX_FILTER_DIVERGENCE' }] });
    expect(report.errors).toEqual([{ code: 'TX_FILTER_DIVERGENCE', detail: expect.stringMatching(/^peer0\.zab block 14: /) }]);
  });

  it('a partner a few blocks behind is compared up to its height; one that cannot be read is UNREACHABLE and leaves the verdict to the own copy', async () => {
    const behind = await verifyWith([partner(loadBlocks(ANKERDRESDEN).slice(0, 12))]);
    expect(behind.crossAgency?.[0]).toMatchObject({ status: 'IDENTICAL', from: 0, to: 11 });
    expect(behind.valid).toBe(true);
    const down = await verifyWith([partner(loadBlocks(ANKERDRESDEN), () => Promise.reject(new Error('UNAVAILABLE')))]);
    expect(down.crossAgency?.[0]).toMatchObject({ status: 'UNREACHABLE', to: null });
    expect(down.valid).toBe(true);
    const empty = await verifyWith([partner([])]);
    expect(empty.crossAgency?.[0]).toMatchObject({ status: 'BEHIND', from: 0, to: null });
    expect(empty.valid).toBe(true);
  });
});
