import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import { msp } from '@hyperledger/fabric-protos';
import { commonNameOf, fabricAttributesOf } from '../../src/audit/certificate-attributes';
import { runCli } from '../../src/audit/cli';
import { verifyReceipt } from '../../src/audit/receipt';
import { decodeTransaction } from '../../src/audit/transaction';
import { ANKERDRESDEN, ANKERDRESDEN_RECEIPT_14, ANKERDRESDEN_RECEIPT_15, MemoryBlockSource, PROD, codes, loadBlocks } from './ledger-fixtures';

const BOTH = ['BamfMSP', 'ZabSachsenMSP'];

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(argv, { stdout: (t) => (out += t), stderr: (t) => (err += t) });
  return { code, out, err };
}

describe('a whole write receipt (domain.md §8) checked against the blocks alone', () => {
  const source = new MemoryBlockSource(loadBlocks(ANKERDRESDEN));

  it('re-derives every field from block 14: position, VALID, both endorsers, writer from the creator’s certificate, time, rule version', async () => {
    const verdict = await verifyReceipt({ source, receipt: ANKERDRESDEN_RECEIPT_14, requiredEndorsers: BOTH, expectedCreatorMspId: 'ZabSachsenMSP' });
    expect(verdict.findings).toEqual([]);
    expect(verdict.verified).toBe(true);
    expect(verdict.unchecked).toEqual([]);
    expect(verdict.derived).toEqual({
      validationCode: 'VALID',
      endorsers: BOTH,
      writer: ANKERDRESDEN_RECEIPT_14.writer,
      recordedAt: ANKERDRESDEN_RECEIPT_14.recordedAt,
      ruleVersion: '1.0.0',
    });
    expect((await verifyReceipt({ source, receipt: ANKERDRESDEN_RECEIPT_15, requiredEndorsers: BOTH })).verified).toBe(true);
  });

  it.each([
    ['validationCode', { validationCode: 'MVCC_READ_CONFLICT' }, 'RECEIPT_MISMATCH'],
    ['endorsers', { endorsers: ['ZabSachsenMSP'] }, 'RECEIPT_MISMATCH'],
    ['recordedAt', { recordedAt: '2026-12-02T14:14:26.803Z' }, 'RECEIPT_MISMATCH'],
    ['ruleVersion', { ruleVersion: '2.0.0' }, 'RECEIPT_MISMATCH'],
    ['writer MSP', { writer: { ...ANKERDRESDEN_RECEIPT_14.writer, mspId: 'BamfMSP' } }, 'WRITER_MISMATCH'],
    ['writer enrolment ID', { writer: { ...ANKERDRESDEN_RECEIPT_14.writer, enrollmentId: 'zab-someone-else' } }, 'WRITER_MISMATCH'],
    ['writer role', { writer: { ...ANKERDRESDEN_RECEIPT_14.writer, role: 'caseworker' } }, 'WRITER_MISMATCH'],
    ['txId', { txId: ANKERDRESDEN_RECEIPT_15.txId }, 'RECEIPT_TX_ID_MISMATCH'],
    ['txIndex', { txIndex: 1 }, 'TX_NOT_FOUND'],
  ])('a receipt with a wrong %s is refused', async (_field, change, code) => {
    const verdict = await verifyReceipt({ source, receipt: { ...ANKERDRESDEN_RECEIPT_14, ...change } });
    expect(verdict.verified).toBe(false);
    expect(codes(verdict.findings)).toEqual([code]);
  });

  it('the same recorded time written with another offset is the same instant', async () => {
    const verdict = await verifyReceipt({ source, receipt: { ...ANKERDRESDEN_RECEIPT_14, recordedAt: '2026-12-02T15:14:26.802+01:00' } });
    expect(verdict.verified).toBe(true);
  });

  it('fields the block does not record are named as unchecked, not passed silently', async () => {
    // block 1 is a lifecycle transaction: no chaincode event, so no rule version
    const blocks = loadBlocks(ANKERDRESDEN);
    const tx = decodeTransaction(blocks[1]!.getData()!.getDataList_asU8()[0]!);
    const verdict = await verifyReceipt({ source, receipt: { txId: tx.txId, blockNumber: '1', txIndex: 0, ruleVersion: '1.0.0' } });
    expect(verdict.unchecked).toEqual(['ruleVersion']);
    expect(verdict.verified).toBe(true);
  });

  it('reads the enrolment ID and the Fabric CA role attribute from a creator certificate', () => {
    const env = loadBlocks(ANKERDRESDEN)[15]!.getData()!.getDataList_asU8()[0]!;
    const cert = new X509Certificate(Buffer.from(msp.SerializedIdentity.deserializeBinary(decodeTransaction(env).creator).getIdBytes_asU8()));
    expect(commonNameOf(cert)).toBe('bamf-live-adapter-276b01');
    expect(fabricAttributesOf(cert)).toMatchObject({ role: 'adapter', 'hf.EnrollmentID': 'bamf-live-adapter-276b01' });
    const sampleEnv = loadBlocks(PROD)[2]!.getData()!.getDataList_asU8()[0]!;
    const sample = new X509Certificate(Buffer.from(msp.SerializedIdentity.deserializeBinary(decodeTransaction(sampleEnv).creator).getIdBytes_asU8()));
    expect(fabricAttributesOf(sample)).toEqual({});
  });
});

describe('asl-audit receipt --receipt <file>: a write’s answer verified offline', () => {
  const dir = mkdtempSync(join(tmpdir(), 'asl-receipt-'));
  const file = (name: string, content: unknown): string => {
    const path = join(dir, name);
    writeFileSync(path, JSON.stringify(content));
    return path;
  };

  it('exit 0 for the receipt as the gateway returned it (the whole 201 answer), every field shown', async () => {
    const answer = file('answer.json', { receipt: ANKERDRESDEN_RECEIPT_14, event: {}, warnings: [] });
    const r = await cli('receipt', '--blocks', ANKERDRESDEN, '--receipt', answer, '--require-endorsers', BOTH.join(','));
    expect(r.code).toBe(0);
    expect(r.out).toContain('writer: ZabSachsenMSP zab-live-adapter-276b01 (adapter), recorded 2026-12-02T14:14:26.802Z, rule version 1.0.0');
    expect(r.out).toContain('VERIFIED');
    const json = await cli('receipt', '--blocks', ANKERDRESDEN, '--receipt', file('receipt.json', ANKERDRESDEN_RECEIPT_15), '--json');
    expect(json.code).toBe(0);
    expect(JSON.parse(json.out)).toMatchObject({ verified: true, derived: { writer: ANKERDRESDEN_RECEIPT_15.writer }, unchecked: [] });
  });

  it('exit 1 with the codes for a receipt that differs from the blocks', async () => {
    const forged = file('forged.json', { ...ANKERDRESDEN_RECEIPT_14, writer: { ...ANKERDRESDEN_RECEIPT_14.writer, role: 'caseworker' }, ruleVersion: '9' });
    const r = await cli('receipt', '--blocks', ANKERDRESDEN, '--receipt', forged);
    expect(r.code).toBe(1);
    expect(r.out).toContain('WRITER_MISMATCH');
    expect(r.out).toContain('RECEIPT_MISMATCH');
  });

  it('exit 2 for a file that is no receipt, or --receipt together with coordinates', async () => {
    expect((await cli('receipt', '--blocks', ANKERDRESDEN, '--receipt', file('no.json', { txId: 'x' }))).code).toBe(2);
    expect((await cli('receipt', '--blocks', ANKERDRESDEN, '--receipt', join(dir, 'missing.json'))).code).toBe(2);
    const both = await cli('receipt', '--blocks', ANKERDRESDEN, '--receipt', file('ok.json', ANKERDRESDEN_RECEIPT_14), '--block', '14');
    expect(both.code).toBe(2);
    expect(both.err).toContain('leave out');
  });
});
