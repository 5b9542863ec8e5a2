/**
 * The auditor's ledger verification on the live network (ASL_TEST_KIND=net; `npm run network:up` first), three ways
 * over the same blocks: the gateway's route `POST /api/v1/audit/verify` (QSCC on the agency's peer, called by an
 * auditor registered through the admin API), `asl-audit verify` on a copy of that peer's block files, and Fabric's
 * own `ledgerutil verify` on the same copy.
 *
 * test-network/test/ledger-verify.net.test.ts already shows ledgerutil and asl-audit agreeing on an intact copy and on
 * one byte flipped in a block's *data* (a transaction envelope). This suite covers what it does not: a byte flipped in
 * a block's *header* (data_hash), where both name the same two blocks, and a byte flipped in a block's *metadata* (the
 * orderer's signature), where they differ by design — ledgerutil verify checks only data and previous hashes
 * (fabric v3.1.5 internal/ledgerutil/verify/verify.go, checkBlock), so it calls the copy intact, while asl-audit
 * checks the orderer's signature and reports that block alone.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { tamperWithDataHash, tamperWithMetadata } from '../../../test-network/test/support/block-store';
import { aslAuditVerdict, ledgerutilVerdict } from '../../../test-network/test/support/ledger-verdicts';
import { AuditReportSchema } from '../../src/api/schemas';
import { liveCall } from '../support/live-client';
import { startLiveGateways, type LiveGateway, type LiveGateways } from '../support/live-gateways';
import { aslAuditJson, copyPeerStore, ledgerutilPath, liveChannel, registerCase, registerUser, type PeerStoreCopy } from '../support/live-audit';

jest.setTimeout(180_000);

type RouteReport = z.infer<typeof AuditReportSchema>;

/** The part of `asl-audit verify --json` (src/audit AuditReport) the route also answers. */
const Finding = z.object({ code: z.string(), detail: z.string(), txIndex: z.number().int().optional() });
const CliReportSchema = z.object({
  channelId: z.string().optional(),
  firstBlock: z.number().int().optional(),
  lastBlock: z.number().int().optional(),
  valid: z.boolean(),
  blocks: z.array(z.object({ blockNumber: z.number().int(), blockHash: z.string(), valid: z.boolean(), errors: z.array(Finding), notices: z.array(Finding) })),
  errors: z.array(Finding),
  nextCheckpoint: z.object({ blockNumber: z.number().int(), blockHash: z.string() }).optional(),
});

/** The CLI's report in the route's shape (the route leaves out per-block transactions, commit hash and anchor flag). */
function asRouteReport(cli: unknown): RouteReport {
  const r = CliReportSchema.parse(cli);
  const finding = (f: z.infer<typeof Finding>) => ({ code: f.code, detail: f.detail, ...(f.txIndex !== undefined ? { txIndex: f.txIndex } : {}) });
  return {
    valid: r.valid,
    channelId: r.channelId ?? null,
    firstBlock: r.firstBlock ?? null,
    lastBlock: r.lastBlock ?? null,
    blocks: r.blocks.map((b) => ({ blockNumber: b.blockNumber, blockHash: b.blockHash, valid: b.valid, errors: b.errors.map(finding), notices: b.notices.map(finding) })),
    errors: r.errors.map(finding),
    nextCheckpoint: r.nextCheckpoint ? { blockNumber: String(r.nextCheckpoint.blockNumber), blockHash: r.nextCheckpoint.blockHash } : null,
  };
}

async function verifyRoute(gw: LiveGateway, token: string, body: object): Promise<RouteReport> {
  const answer = await liveCall(gw.url, 'post', '/api/v1/audit/verify', { token, body });
  expect(answer.status).toBe(200);
  return AuditReportSchema.parse(answer.body);
}

const codesOf = (findings: readonly { code: string }[]): string[] => [...new Set(findings.map((f) => f.code))].sort();

describe('the auditor’s ledger verification on the live network', () => {
  let gateways: LiveGateways;
  const auditor: Record<'bamf' | 'zab', string> = { bamf: '', zab: '' };
  let zabAdapter = '';
  const copies: PeerStoreCopy[] = [];
  const keep = (copy: PeerStoreCopy): PeerStoreCopy => (copies.push(copy), copy);
  const dir = mkdtempSync(join(tmpdir(), 'asl-audit-live-'));

  beforeAll(async () => {
    gateways = await startLiveGateways();
    auditor.bamf = await registerUser(gateways.bamf, 'auditor', 'auditor');
    auditor.zab = await registerUser(gateways.zab, 'auditor', 'auditor');
    zabAdapter = await registerUser(gateways.zab, 'adapter', 'adapter');
  });
  afterAll(async () => {
    await gateways?.stop();
    for (const copy of copies) copy.remove();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each(['bamf', 'zab'] as const)(
    'the %s auditor’s route over QSCC and asl-audit on a copy of the same peer’s block files give the same report, block by block, at the copy’s height',
    async (agency) => {
      const { written } = await registerCase(gateways.zab, zabAdapter);
      const copy = keep(await copyPeerStore(agency, Number(written.receipt.blockNumber)));
      const cli = aslAuditJson(['verify', '--blocks', copy.channelDir, '--to', String(copy.lastBlock)]);
      const route = await verifyRoute(gateways[agency], auditor[agency], { toBlock: copy.lastBlock });

      const { crossAgency, ...ownCopy } = route;
      expect(ownCopy).toEqual(asRouteReport(cli.report));
      expect(cli.status).toBe(0);
      // the route also compared those blocks with the other agency's peer (the CLI does that with `compare`)
      expect(crossAgency?.map((c) => [c.status, c.from, c.to])).toEqual([['IDENTICAL', 0, copy.lastBlock]]);
      expect(route).toMatchObject({ valid: true, channelId: liveChannel(), firstBlock: 0, lastBlock: copy.lastBlock, errors: [] });
      expect(route.blocks.map((b) => b.blockNumber)).toEqual([...Array(copy.lastBlock + 1).keys()]);
      expect(route.blocks.every((b) => b.valid && b.errors.length === 0)).toBe(true);
      // without a range the route verifies up to the peer's height, which the copy trails at most
      const whole = await verifyRoute(gateways[agency], auditor[agency], {});
      expect(whole.valid).toBe(true);
      expect(whole.blocks.slice(0, copy.lastBlock + 1)).toEqual(route.blocks);
    },
  );

  describe('ledgerutil verify and asl-audit verify on a copy with one byte flipped where test-network’s suite does not flip it', () => {
    let ledgerutil = '';
    let target = 0;

    beforeAll(async () => {
      ledgerutil = await ledgerutilPath();
      target = Number((await registerCase(gateways.zab, zabAdapter)).written.receipt.blockNumber);
      // a later block, so the block after the target is in the copy too
      await registerCase(gateways.zab, zabAdapter);
    });

    it('intact: both say so', async () => {
      const copy = keep(await copyPeerStore('zab', target + 1));
      expect(ledgerutilVerdict(ledgerutil, copy, liveChannel())).toEqual({ intact: true, badBlocks: [] });
      expect(aslAuditVerdict(copy)).toEqual({ intact: true, badBlocks: [] });
    });

    it('a byte of the header’s data_hash flipped: both report that block and the next one (its previous_hash no longer matches), no other', async () => {
      const copy = keep(await copyPeerStore('zab', target + 1));
      tamperWithDataHash(copy, target);
      const fabric = ledgerutilVerdict(ledgerutil, copy, liveChannel());
      const ours = aslAuditVerdict(copy);
      expect(fabric).toEqual({
        intact: false,
        badBlocks: [
          { block: target, findings: ['DataHash mismatch'] },
          { block: target + 1, findings: ['PreviousHash mismatch'] },
        ],
      });
      expect(ours.intact).toBe(false);
      expect(ours.badBlocks.map((b) => b.block)).toEqual([target, target + 1]);
      // asl-audit also finds the orderer's signature over the changed header broken
      expect(ours.badBlocks[0]?.findings).toEqual(['DATA_HASH_MISMATCH', 'ORDERER_SIGNATURE_INVALID', 'ORDERER_SIGNATURE_POLICY_UNMET']);
      expect(ours.badBlocks[1]?.findings).toEqual(['PREVIOUS_HASH_MISMATCH']);
    });

    it('a byte of the orderer’s signature (block metadata) flipped: ledgerutil does not check it and says intact; asl-audit reports that block alone', async () => {
      const copy = keep(await copyPeerStore('zab', target + 1));
      tamperWithMetadata(copy, target, 0);
      expect(ledgerutilVerdict(ledgerutil, copy, liveChannel())).toEqual({ intact: true, badBlocks: [] });
      const ours = aslAuditVerdict(copy);
      expect(ours).toEqual({ intact: false, badBlocks: [{ block: target, findings: ['ORDERER_SIGNATURE_INVALID', 'ORDERER_SIGNATURE_POLICY_UNMET'] }] });
    });
  });

  describe('an auditor’s checkpoint from before a batch of writes', () => {
    it('is extended by the chain after the batch (route and CLI), and a forged checkpoint is refused', async () => {
      const { bamf } = gateways;
      // the audit before: the route's report and, on a copy, the CLI's checkpoint file
      const before = await verifyRoute(bamf, auditor.bamf, {});
      expect(before.valid).toBe(true);
      const checkpoint = before.nextCheckpoint!;
      const first = keep(await copyPeerStore('bamf', Number(checkpoint.blockNumber)));
      const checkpointFile = join(dir, 'checkpoint.json');
      const written = aslAuditJson(['verify', '--blocks', first.channelDir, '--write-checkpoint', checkpointFile]);
      expect(written.status).toBe(0);
      const fileCheckpoint = z.object({ blockNumber: z.string(), blockHash: z.string() }).parse(JSON.parse(readFileSync(checkpointFile, 'utf8')));
      expect(fileCheckpoint).toEqual({ blockNumber: String(first.lastBlock), blockHash: expect.stringMatching(/^[0-9a-f]{64}$/) });

      // the batch
      const batch = [];
      for (let i = 0; i < 3; i++) batch.push((await registerCase(gateways.zab, zabAdapter)).written);
      const lastOfBatch = Math.max(...batch.map((w) => Number(w.receipt.blockNumber)));
      expect(lastOfBatch).toBeGreaterThan(Number(checkpoint.blockNumber));

      // the route: from the checkpoint, the chain still passes through it and continues past the batch
      const after = await verifyRoute(bamf, auditor.bamf, { checkpoint });
      expect(after).toMatchObject({ valid: true, errors: [] });
      expect(after.blocks.find((b) => b.blockNumber === Number(checkpoint.blockNumber))?.blockHash).toBe(checkpoint.blockHash);
      expect(after.lastBlock).toBeGreaterThanOrEqual(lastOfBatch);
      const extension = after.blocks.filter((b) => b.blockNumber > Number(checkpoint.blockNumber));
      expect(extension.map((b) => b.blockNumber)).toEqual(extension.map((_, i) => Number(checkpoint.blockNumber) + 1 + i));
      expect(extension.every((b) => b.valid)).toBe(true);

      // the CLI: a later copy verified from the earlier copy's checkpoint file
      const second = keep(await copyPeerStore('bamf', lastOfBatch));
      const fromFile = aslAuditJson(['verify', '--blocks', second.channelDir, '--checkpoint', checkpointFile]);
      expect(fromFile.status).toBe(0);
      const fromFileReport = asRouteReport(fromFile.report);
      expect(fromFileReport.blocks.find((b) => b.blockNumber === first.lastBlock)?.blockHash).toBe(fileCheckpoint.blockHash);
      expect(fromFileReport.lastBlock).toBe(second.lastBlock);

      // forged: the same block number with another hash
      const forge = (hash: string): string => hash.replace(/.$/, (c) => (c === '0' ? '1' : '0'));
      const forgedHash = forge(checkpoint.blockHash);
      const forged = await verifyRoute(bamf, auditor.bamf, { checkpoint: { blockNumber: checkpoint.blockNumber, blockHash: forgedHash } });
      expect(forged.valid).toBe(false);
      expect(codesOf(forged.blocks.find((b) => b.blockNumber === Number(checkpoint.blockNumber))!.errors)).toEqual(['CHECKPOINT_MISMATCH']);
      expect(forged.blocks.filter((b) => !b.valid).map((b) => b.blockNumber)).toEqual([Number(checkpoint.blockNumber)]);
      const forgedFile = join(dir, 'forged.json');
      writeFileSync(forgedFile, JSON.stringify({ blockNumber: fileCheckpoint.blockNumber, blockHash: forge(fileCheckpoint.blockHash) }));
      const refused = aslAuditJson(['verify', '--blocks', second.channelDir, '--checkpoint', forgedFile, '--write-checkpoint', join(dir, 'not-written.json')]);
      expect(refused.status).toBe(1);
      expect(codesOf(asRouteReport(refused.report).blocks.flatMap((b) => b.errors))).toEqual(['CHECKPOINT_MISMATCH']);
      expect(() => readFileSync(join(dir, 'not-written.json'))).toThrow();

      // forged: a checkpoint beyond the chain's end
      const beyond = await verifyRoute(bamf, auditor.bamf, { checkpoint: { blockNumber: String(Number(after.lastBlock) + 100_000), blockHash: checkpoint.blockHash } });
      expect(beyond.valid).toBe(false);
      expect(codesOf(beyond.errors)).toContain('CHAIN_TRUNCATED');
    });
  });
});
