import { BlockStoreSource } from '../../src/audit/block-store-source';
import { BlockAuditService } from '../../src/audit-service/block-audit-service';
import { BAD } from '../audit/ledger-fixtures';
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
});
