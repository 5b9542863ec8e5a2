import { StoredEventSchema, type Warning } from '@asl/chaincode/domain';
import type { LedgerEntry } from '../../src/ports/case-ledger';
import type { ProjectionStore } from '../../src/ports/projection-store';

/** A minimal entry of case `caseId` at (block, 0). */
export function entryAt(caseId: string, block: number, type = 'CASE_REGISTERED'): LedgerEntry {
  const txId = `tx${block}`;
  const actor = { mspId: 'ZabSachsenMSP', enrollmentId: 'zab-adapter-0001', role: 'adapter' as const };
  return {
    event: StoredEventSchema.parse({
      caseId,
      type,
      occurredAt: '2026-11-26T09:00:00+01:00',
      sourceMessageId: `m${block}`,
      data: type === 'CASE_REGISTERED' ? { facility: 'AE-DD-TEST', registeredOn: '2026-11-25' } : { facility: 'AE-L-TEST' },
      recordedAt: '2026-11-26T08:00:00.000Z',
      txId,
      actor,
      writerKind: 'STATE_AUTHORITY',
      ruleVersion: '1.0.0',
      valueListVersions: {},
    }),
    receipt: { txId, blockNumber: String(block), txIndex: 0, validationCode: 'VALID', endorsers: ['BamfMSP', 'ZabSachsenMSP'], writer: actor, recordedAt: '2026-11-26T08:00:00.000Z', ruleVersion: '1.0.0' },
    warnings: [],
  };
}

const A = 'c' + 'a'.repeat(31);
const B = 'c' + 'b'.repeat(31);

/** The behaviour every {@link ProjectionStore} implementation must show (abstract-level style compliance suite). */
export function projectionStoreCompliance(name: string, open: () => Promise<{ store: ProjectionStore; reopen?: () => Promise<ProjectionStore> }>): void {
  describe(`ProjectionStore compliance: ${name}`, () => {
    it('applies entries in order, per case and in the stream, with the checkpoint', async () => {
      const { store } = await open();
      expect(await store.checkpoint()).toBeUndefined();
      expect(await store.streamHead()).toBe(0);
      expect((await store.applyEntry(entryAt(A, 1)))?.seq).toBe(1);
      expect((await store.applyEntry(entryAt(B, 2)))?.seq).toBe(2);
      expect((await store.applyEntry(entryAt(A, 3, 'RECEPTION_ASSIGNED')))?.seq).toBe(3);
      expect(await store.checkpoint()).toEqual({ blockNumber: '3', txIndex: 0, txId: 'tx3' });
      expect((await store.caseEntries(A))?.map((e) => e.receipt.blockNumber)).toEqual(['1', '3']);
      expect(await store.caseEntries('c' + 'z'.repeat(31))).toBeUndefined();
      expect(await store.caseIds(undefined, 10)).toEqual([A, B]);
      expect(await store.caseIds(A, 10)).toEqual([B]);
      expect(await store.caseIds(undefined, 1)).toEqual([A]);
      expect((await store.streamAfter(1, 10)).map((i) => i.seq)).toEqual([2, 3]);
      expect((await store.streamAfter(0, 2)).map((i) => i.seq)).toEqual([1, 2]);
      expect(await store.streamHead()).toBe(3);
      await store.close();
    });

    it('ignores entries at or before the checkpoint (no duplicates on redelivery)', async () => {
      const { store } = await open();
      await store.applyEntry(entryAt(A, 1));
      await store.applyEntry(entryAt(A, 2));
      expect(await store.applyEntry(entryAt(A, 2))).toBeUndefined();
      expect(await store.applyEntry(entryAt(A, 1))).toBeUndefined();
      expect(await store.caseEntries(A)).toHaveLength(2);
      expect(await store.streamAfter(0, 10)).toHaveLength(2);
      await store.close();
    });

    it('announces a clock warning opening once, in the same stream', async () => {
      const { store } = await open();
      await store.applyEntry(entryAt(A, 1));
      const w: Warning = { id: 'ALLOC_NOTICE_OVERDUE:tx1', code: 'ALLOC_NOTICE_OVERDUE', severity: 'WARNING', caseId: A, anchors: ['tx1'], openedAt: '2026-12-01T23:00:00Z', evaluatedAt: '2026-12-02T08:00:00Z', clock: true, acknowledgedBy: [] };
      expect((await store.announceWarning(w))?.seq).toBe(2);
      expect(await store.announceWarning({ ...w, evaluatedAt: '2026-12-02T08:01:00Z' })).toBeUndefined();
      expect(await store.streamHead()).toBe(2);
      expect((await store.streamAfter(1, 10))[0]).toMatchObject({ kind: 'warning', caseId: A });
      await store.close();
    });

    it('clears everything for a rebuild', async () => {
      const { store } = await open();
      await store.applyEntry(entryAt(A, 1));
      await store.clear();
      expect(await store.checkpoint()).toBeUndefined();
      expect(await store.caseIds(undefined, 10)).toEqual([]);
      expect(await store.streamAfter(0, 10)).toEqual([]);
      expect(await store.streamHead()).toBe(0);
      await store.close();
    });

    it('keeps entries, checkpoint and sequence across a reopen (durable implementations)', async () => {
      const { store, reopen } = await open();
      if (!reopen) {
        await store.close();
        return;
      }
      await store.applyEntry(entryAt(A, 1));
      await store.applyEntry(entryAt(B, 2));
      await store.close();
      const again = await reopen();
      expect(await again.checkpoint()).toEqual({ blockNumber: '2', txIndex: 0, txId: 'tx2' });
      expect(await again.applyEntry(entryAt(B, 2))).toBeUndefined();
      expect((await again.applyEntry(entryAt(A, 3, 'RECEPTION_ASSIGNED')))?.seq).toBe(3);
      expect((await again.streamAfter(0, 10)).map((i) => i.seq)).toEqual([1, 2, 3]);
      expect(await again.streamHead()).toBe(3);
      await again.close();
    });
  });
}
