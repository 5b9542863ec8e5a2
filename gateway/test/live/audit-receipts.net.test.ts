/**
 * Receipts on the live network (ASL_TEST_KIND=net; `npm run network:up` first): what a write through a gateway
 * returned (201 `{receipt, …}`) is verified OFFLINE, from copies of both agencies' peer block files, with
 * `asl-audit receipt --receipt <file>` — position, VALID, both endorsements verified, the writer (MSP, enrolment ID
 * and role from the creator's certificate, and the recorded event's actor), recorded time and rule version — and
 * re-derived ONLINE by each agency's auditor through `GET /api/v1/audit/receipts/{txId}` (QSCC, the gateway's
 * verified chain). How long each route call took is printed, not asserted (gateway/README.md has the measurement).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { tamperWithBlockData } from '../../../test-network/test/support/block-store';
import { DerivedReceiptSchema } from '../../src/api/schemas';
import { liveCall } from '../support/live-client';
import { startLiveGateways, type LiveGateways } from '../support/live-gateways';
import { aslAuditJson, copyPeerStore, registerCase, registerUser, write, type PeerStoreCopy, type Written } from '../support/live-audit';

jest.setTimeout(180_000);

const BOTH = ['BamfMSP', 'ZabSachsenMSP'];

/** The part of `asl-audit receipt --json` the suite reads. */
const ReceiptVerdictSchema = z.object({
  verified: z.boolean(),
  findings: z.array(z.object({ code: z.string(), detail: z.string() })),
  derived: z.object({
    validationCode: z.string(),
    endorsers: z.array(z.string()),
    writer: z.object({ mspId: z.string(), enrollmentId: z.string().optional(), role: z.string().optional() }),
    recordedAt: z.string().optional(),
    ruleVersion: z.string().optional(),
  }).optional(),
  unchecked: z.array(z.string()),
  event: z.object({ chaincodeId: z.string(), eventName: z.string() }).optional(),
});

describe('write receipts verified offline from copied blocks and re-derived by the auditors’ route', () => {
  let gateways: LiveGateways;
  const writes: { agency: 'zab' | 'bamf'; written: Written }[] = [];
  const auditor: Record<'bamf' | 'zab', string> = { bamf: '', zab: '' };
  const copies: Record<'bamf' | 'zab', PeerStoreCopy | undefined> = { bamf: undefined, zab: undefined };
  const dir = mkdtempSync(join(tmpdir(), 'asl-receipts-live-'));
  const receiptFile = (name: string, content: unknown): string => {
    const path = join(dir, `${name}.json`);
    writeFileSync(path, JSON.stringify(content));
    return path;
  };

  beforeAll(async () => {
    gateways = await startLiveGateways();
    const zabAdapter = await registerUser(gateways.zab, 'adapter', 'adapter');
    const bamfAdapter = await registerUser(gateways.bamf, 'adapter', 'adapter');
    auditor.bamf = await registerUser(gateways.bamf, 'auditor', 'auditor');
    auditor.zab = await registerUser(gateways.zab, 'auditor', 'auditor');
    const { caseId, written } = await registerCase(gateways.zab, zabAdapter);
    writes.push({ agency: 'zab', written });
    const filed = await write(gateways.bamf, bamfAdapter, caseId, {
      type: 'APPLICATION_FILED',
      occurredAt: new Date().toISOString(),
      sourceMessageId: `live-audit-app-${randomUUID()}`,
      data: { filedOn: new Date().toISOString().slice(0, 10) },
    });
    writes.push({ agency: 'bamf', written: filed });
    const last = Math.max(...writes.map((w) => Number(w.written.receipt.blockNumber)));
    copies.bamf = await copyPeerStore('bamf', last);
    copies.zab = await copyPeerStore('zab', last);
  });
  afterAll(async () => {
    await gateways?.stop();
    copies.bamf?.remove();
    copies.zab?.remove();
    rmSync(dir, { recursive: true, force: true });
  });

  it('both writes answered 201 with a complete receipt: VALID, endorsed by both agencies, the writer the agency’s adapter', () => {
    for (const { agency, written } of writes) {
      expect(written.receipt).toMatchObject({ validationCode: 'VALID', endorsers: BOTH, writer: { mspId: gateways[agency].mspId, role: 'adapter' } });
    }
  });

  it.each(['bamf', 'zab'] as const)('asl-audit receipt --receipt verifies each receipt from a copy of %s’s peer blocks: every field re-derived equal', (peer) => {
    for (const { agency, written } of writes) {
      const file = receiptFile(`${peer}-${agency}`, written);
      const r = aslAuditJson(['receipt', '--blocks', copies[peer]!.channelDir, '--receipt', file, '--require-endorsers', BOTH.join(','), '--creator-msp', written.receipt.writer.mspId]);
      const verdict = ReceiptVerdictSchema.parse(r.report);
      expect(verdict.findings).toEqual([]);
      expect(r.status).toBe(0);
      expect(verdict.verified).toBe(true);
      expect(verdict.unchecked).toEqual([]);
      expect(verdict.derived).toEqual({
        validationCode: written.receipt.validationCode,
        endorsers: written.receipt.endorsers,
        writer: written.receipt.writer,
        recordedAt: written.receipt.recordedAt,
        ruleVersion: written.receipt.ruleVersion,
      });
      expect(verdict.event).toMatchObject({ chaincodeId: 'procedure', eventName: 'CaseEventRecorded' });
    }
  });

  it('a receipt altered in any field is refused offline, with the field’s code', () => {
    const { written } = writes[0]!;
    const other = writes[1]!.written.receipt;
    const cases: [string, object, string][] = [
      ['writer', { writer: other.writer }, 'WRITER_MISMATCH'],
      ['role', { writer: { ...written.receipt.writer, role: 'caseworker' } }, 'WRITER_MISMATCH'],
      ['endorsers', { endorsers: ['ZabSachsenMSP'] }, 'RECEIPT_MISMATCH'],
      ['recordedAt', { recordedAt: other.recordedAt }, 'RECEIPT_MISMATCH'],
      ['txIndex', { txIndex: written.receipt.txIndex + 1 }, 'TX_NOT_FOUND'],
      ['blockNumber', { blockNumber: other.blockNumber }, 'RECEIPT_TX_ID_MISMATCH'],
    ];
    for (const [name, change, code] of cases) {
      const r = aslAuditJson(['receipt', '--blocks', copies.zab!.channelDir, '--receipt', receiptFile(`altered-${name}`, { ...written.receipt, ...change })]);
      expect(r.status).toBe(1);
      expect(ReceiptVerdictSchema.parse(r.report).findings.map((f) => f.code)).toContain(code);
    }
  });

  it('the same receipt is refused from a copy whose block was tampered with (a byte of its transaction flipped)', async () => {
    const { written } = writes[1]!;
    const copy = await copyPeerStore('bamf', Number(written.receipt.blockNumber));
    try {
      tamperWithBlockData(copy, Number(written.receipt.blockNumber));
      const r = aslAuditJson(['receipt', '--blocks', copy.channelDir, '--receipt', receiptFile('tampered', written)]);
      expect(r.status).toBe(1);
      expect(ReceiptVerdictSchema.parse(r.report).findings.map((f) => f.code)).toContain('DATA_HASH_MISMATCH');
    } finally {
      copy.remove();
    }
  });

  it('each auditor’s route re-derives both receipts from its own peer, verified, as the offline check did', async () => {
    for (const agency of ['bamf', 'zab'] as const) {
      const timings: string[] = [];
      for (const round of ['first', 'again']) {
        for (const { written } of writes) {
          const started = process.hrtime.bigint();
          const answer = await liveCall(gateways[agency].url, 'get', '/api/v1/audit/receipts/{txId}', { token: auditor[agency], params: { txId: written.receipt.txId } });
          timings.push(`${round} block ${written.receipt.blockNumber}: ${(Number(process.hrtime.bigint() - started) / 1e6).toFixed(0)} ms`);
          expect(answer.status).toBe(200);
          expect(DerivedReceiptSchema.parse(answer.body)).toEqual({
            txId: written.receipt.txId,
            blockNumber: written.receipt.blockNumber,
            txIndex: written.receipt.txIndex,
            validationCode: 'VALID',
            endorsers: BOTH,
            creatorMspId: written.receipt.writer.mspId,
            verified: true,
            findings: [],
          });
        }
      }
      process.stderr.write(`receipt route at ${agency} (ledger height ≥ ${copies.bamf!.lastBlock + 1}): ${timings.join('; ')}\n`);
    }
  });
});
