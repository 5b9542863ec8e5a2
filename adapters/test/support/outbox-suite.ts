/** The behavioural suite every outbox store runs (memory-level in unit tests, classic-level on disk in integration tests). */
import { LevelOutbox, type InboundEvent, type LevelLike } from '../../src/core/outbox';
import { FAKE_AZR } from './samples';

export function event(n: number, azr = FAKE_AZR): InboundEvent {
  return {
    eventType: 'HEARING_SCHEDULED',
    occurredAt: '2025-03-05T10:00:00+01:00',
    identification: { azrNummer: azr },
    data: { hearingOn: `2025-04-${String(n).padStart(2, '0')}` },
    author: 'SIM',
  };
}

export function outboxSuite(name: string, makeDb: () => LevelLike): void {
  describe(`Outbox behaviour: ${name}`, () => {
    let outbox: LevelOutbox;
    beforeEach(async () => {
      outbox = await LevelOutbox.open(makeDb());
    });
    afterEach(async () => {
      await outbox.close();
    });

    const accept = (id: string, n = 1, lane = 'azr:1', azr = FAKE_AZR) =>
      outbox.accept({ id, receivedAt: '2025-03-05T09:00:00Z', laneKey: lane, event: event(n, azr) });

    it('accepts, lists in acceptance order, completes', async () => {
      const a = await accept('m-1', 1);
      const b = await accept('m-2', 2);
      expect(a.status).toBe('accepted');
      expect(b.status).toBe('accepted');
      expect((await outbox.pending()).map((r) => r.id)).toEqual(['m-1', 'm-2']);
      const [first] = await outbox.pending();
      await outbox.complete(first!);
      expect((await outbox.pending()).map((r) => r.id)).toEqual(['m-2']);
    });

    it('answers a repeated id: same content = duplicate (also after completion), other content = conflict', async () => {
      await accept('m-1', 1);
      expect((await accept('m-1', 1)).status).toBe('duplicate');
      expect((await accept('m-1', 2)).status).toBe('conflict');
      await outbox.complete((await outbox.pending())[0]!);
      expect((await accept('m-1', 1)).status).toBe('duplicate');
      expect(await outbox.pending()).toEqual([]);
    });

    it('keeps retry state', async () => {
      const r = await accept('m-1');
      if (r.status !== 'accepted') throw new Error('unreachable');
      await outbox.update({ ...r.record, attempts: 3, notBefore: 99, lastCode: 'LEDGER_UNAVAILABLE' });
      expect((await outbox.pending())[0]).toMatchObject({ attempts: 3, notBefore: 99, lastCode: 'LEDGER_UNAVAILABLE' });
    });

    it('moves to dead letters; lists without identifying data; shows; retries at the end; discards', async () => {
      const r1 = await accept('m-1', 1);
      await accept('m-2', 2);
      if (r1.status !== 'accepted') throw new Error('unreachable');
      await outbox.deadLetter({ ...r1.record, attempts: 2, caseId: 'cxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx' }, { reason: 'PRECONDITION_FAILED', status: 409, conflicting: ['DECISION_ISSUED'] }, '2025-03-05T11:00:00.000Z');
      expect((await outbox.pending()).map((r) => r.id)).toEqual(['m-2']);
      const list = await outbox.listDeadLetters();
      expect(list).toEqual([
        { id: 'm-1', eventType: 'HEARING_SCHEDULED', deadAt: '2025-03-05T11:00:00.000Z', reason: 'PRECONDITION_FAILED', attempts: 2, caseId: 'cxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx' },
      ]);
      expect(JSON.stringify(list)).not.toContain(FAKE_AZR);
      expect((await outbox.getDeadLetter('m-1'))?.cause.conflicting).toEqual(['DECISION_ISSUED']);
      expect(await outbox.getDeadLetter('m-2')).toBeUndefined();
      expect((await accept('m-1', 1)).status).toBe('duplicate');
      const retried = await outbox.retryDeadLetter('m-1', 1234);
      expect(retried).toMatchObject({ id: 'm-1', attempts: 0, notBefore: 1234 });
      expect((await outbox.pending()).map((r) => r.id)).toEqual(['m-2', 'm-1']);
      expect(await outbox.listDeadLetters()).toEqual([]);
      await outbox.deadLetter((await outbox.pending())[1]!, { reason: 'NOT_OWNER', status: 403 }, '2025-03-05T12:00:00.000Z');
      expect(await outbox.discardDeadLetter('m-1')).toBe(true);
      expect(await outbox.discardDeadLetter('m-1')).toBe(false);
      expect(await outbox.retryDeadLetter('m-1', 0)).toBeUndefined();
      expect(await outbox.listDeadLetters()).toEqual([]);
    });

    it('purges a case from pending records and dead letters, by AZR number (any spelling) or case id', async () => {
      await accept('a-1', 1, 'azr:a', '111.222.333');
      await accept('b-1', 1, 'azr:b', '444 555 666');
      const a2 = await accept('a-2', 2, 'azr:a', '111222333');
      if (a2.status !== 'accepted') throw new Error('unreachable');
      await outbox.deadLetter(a2.record, { reason: 'INVALID_INPUT', status: 400 }, '2025-03-05T12:00:00.000Z');
      expect(await outbox.purge({ azrNumber: '111-222-333' })).toBe(2);
      expect((await outbox.pending()).map((r) => r.id)).toEqual(['b-1']);
      expect(await outbox.listDeadLetters()).toEqual([]);
      const b1 = (await outbox.pending())[0]!;
      await outbox.update({ ...b1, caseId: 'cbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb' });
      expect(await outbox.purge({ caseId: 'cbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb' })).toBe(1);
      expect(await outbox.pending()).toEqual([]);
    });

    it('takes concurrent accepts of many ids without losing or reordering any', async () => {
      const ids = Array.from({ length: 50 }, (_, i) => `c-${i}`);
      await Promise.all(ids.map((id, i) => accept(id, (i % 28) + 1)));
      const pending = await outbox.pending();
      expect(pending.map((r) => r.id)).toEqual(ids);
      expect(new Set(pending.map((r) => r.seq)).size).toBe(50);
    });
  });
}
