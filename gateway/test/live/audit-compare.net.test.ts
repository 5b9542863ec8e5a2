/**
 * The cross-agency check on the live network (ASL_TEST_KIND=net; `npm run network:up` first): copies of BAMF's and
 * ZAB's peer block files, compared with `asl-audit compare` at the height both copies reach — header hash, validation
 * flags (TRANSACTIONS_FILTER) and COMMIT_HASH of every block. Both peers applied the same blocks the same way, so the
 * copies are identical; a copy altered where one copy alone cannot show it (a validation flag, the commit hash: block
 * metadata outside the header hash, which `asl-audit verify` and `ledgerutil verify` both pass) is caught by the
 * comparison at exactly that block, and so is a changed header. Each auditor's `POST /api/v1/audit/verify` makes the
 * same comparison online, with the partner agency's peer through its QSCC (divergence on the route: unit-tested in
 * test/app/verifier-routes.test.ts, as the live peers cannot be altered).
 */
import { peer } from '@hyperledger/fabric-protos';
import { z } from 'zod';
import { setValidationCode, tamperWithDataHash, tamperWithMetadata } from '../../../test-network/test/support/block-store';
import { aslAuditVerdict, ledgerutilVerdict } from '../../../test-network/test/support/ledger-verdicts';
import { AuditReportSchema } from '../../src/api/schemas';
import { liveCall } from '../support/live-client';
import { startLiveGateways, type LiveGateways } from '../support/live-gateways';
import { aslAuditJson, copyPeerStore, ledgerutilPath, liveChannel, registerCase, registerUser, type PeerStoreCopy } from '../support/live-audit';

jest.setTimeout(180_000);

const ComparisonSchema = z.object({
  from: z.number().int(),
  to: z.number().int(),
  identical: z.boolean(),
  firstDivergentBlock: z.number().int().optional(),
  divergences: z.array(z.object({ blockNumber: z.number().int(), code: z.string(), detail: z.string() })),
});

const COMMIT_HASH = 4;

describe('the cross-agency check: both peers’ copies compared block by block', () => {
  let gateways: LiveGateways;
  let target = 0;
  const copies: PeerStoreCopy[] = [];
  /** Fresh copies of both peers' stores, both holding block `target + 1`. */
  const pair = async (): Promise<{ bamf: PeerStoreCopy; zab: PeerStoreCopy; to: number }> => {
    const bamf = await copyPeerStore('bamf', target + 1);
    const zab = await copyPeerStore('zab', target + 1);
    copies.push(bamf, zab);
    return { bamf, zab, to: Math.min(bamf.lastBlock, zab.lastBlock) };
  };
  const compare = (a: PeerStoreCopy, b: PeerStoreCopy, to: number) => {
    const r = aslAuditJson(['compare', '--blocks', a.channelDir, '--other', b.channelDir, '--to', String(to)]);
    return { status: r.status, report: ComparisonSchema.parse(r.report) };
  };

  const auditor: Record<'bamf' | 'zab', string> = { bamf: '', zab: '' };

  beforeAll(async () => {
    gateways = await startLiveGateways();
    auditor.bamf = await registerUser(gateways.bamf, 'auditor', 'auditor');
    auditor.zab = await registerUser(gateways.zab, 'auditor', 'auditor');
    const zabAdapter = await registerUser(gateways.zab, 'adapter', 'adapter');
    target = Number((await registerCase(gateways.zab, zabAdapter)).written.receipt.blockNumber);
    await registerCase(gateways.zab, zabAdapter);
  });
  afterAll(async () => {
    await gateways?.stop();
    for (const copy of copies) copy.remove();
  });

  it('BAMF’s and ZAB’s copies at the same height are identical: same header hash, validation flags and commit hash in every block', async () => {
    const { bamf, zab, to } = await pair();
    const { status, report } = compare(bamf, zab, to);
    expect(report).toEqual({ from: 0, to, identical: true, divergences: [] });
    expect(status).toBe(0);
    expect(to).toBeGreaterThan(target);
  });

  it.each([
    ['bamf', 'peer0.zab', 'ZabSachsenMSP'],
    ['zab', 'peer0.bamf', 'BamfMSP'],
  ] as const)('the %s auditor’s verify route compares its peer’s blocks with %s’s (QSCC on the partner peer): identical up to the height both reach', async (agency, partnerPeer, partnerMsp) => {
    const answer = await liveCall(gateways[agency].url, 'post', '/api/v1/audit/verify', { token: auditor[agency], body: {} });
    expect(answer.status).toBe(200);
    const report = AuditReportSchema.parse(answer.body);
    expect(report.valid).toBe(true);
    expect(report.errors).toEqual([]);
    expect(report.crossAgency).toEqual([{ peer: partnerPeer, mspId: partnerMsp, status: 'IDENTICAL', from: 0, to: expect.any(Number), firstDivergentBlock: null, divergences: [] }]);
    // the partner may trail by the blocks committed while the route read them, never by more than a few
    expect(report.crossAgency![0]!.to).toBeGreaterThan(target);
    expect(report.crossAgency![0]!.to).toBeGreaterThanOrEqual(report.lastBlock! - 5);
  });

  it('a validation flag changed in ZAB’s copy passes both single-copy verifiers, and the comparison names that block', async () => {
    const { bamf, zab, to } = await pair();
    setValidationCode(zab, target, 0, peer.TxValidationCode.MVCC_READ_CONFLICT);
    expect(aslAuditVerdict(zab)).toEqual({ intact: true, badBlocks: [] });
    expect(ledgerutilVerdict(await ledgerutilPath(), zab, liveChannel())).toEqual({ intact: true, badBlocks: [] });
    const { status, report } = compare(bamf, zab, to);
    expect(status).toBe(1);
    expect(report.firstDivergentBlock).toBe(target);
    expect(report.divergences).toEqual([{ blockNumber: target, code: 'TX_FILTER_DIVERGENCE', detail: expect.any(String) }]);
  });

  it('a commit hash changed in BAMF’s copy is COMMIT_HASH_DIVERGENCE at that block alone', async () => {
    const { bamf, zab, to } = await pair();
    tamperWithMetadata(bamf, target, COMMIT_HASH);
    expect(aslAuditVerdict(bamf)).toEqual({ intact: true, badBlocks: [] });
    const { report } = compare(bamf, zab, to);
    expect(report.divergences.map((d) => [d.blockNumber, d.code])).toEqual([[target, 'COMMIT_HASH_DIVERGENCE']]);
  });

  it('a header changed in ZAB’s copy is BLOCK_HASH_DIVERGENCE at that block', async () => {
    const { bamf, zab, to } = await pair();
    tamperWithDataHash(zab, target);
    const { report } = compare(bamf, zab, to);
    expect(report.divergences.map((d) => [d.blockNumber, d.code])).toEqual([[target, 'BLOCK_HASH_DIVERGENCE']]);
  });
});
