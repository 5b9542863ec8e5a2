import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClassicLevel } from 'classic-level';
import { LevelOutbox, type LevelLike } from '../../src/core/outbox';
import { event, outboxSuite } from '../support/outbox-suite';

const open = (dir: string) => new ClassicLevel<string, unknown>(dir, { valueEncoding: 'json' }) as unknown as LevelLike;

outboxSuite('classic-level on disk', () => open(mkdtempSync(join(tmpdir(), 'asl-outbox-'))));

describe('classic-level outbox across restarts', () => {
  it('keeps pending records, dead letters, the id index and the sequence after close and reopen', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'asl-outbox-'));
    let outbox = await LevelOutbox.open(open(dir));
    await outbox.accept({ id: 'r-1', receivedAt: 'x', laneKey: 'l', event: event(1) });
    const r2 = await outbox.accept({ id: 'r-2', receivedAt: 'x', laneKey: 'l', event: event(2) });
    if (r2.status !== 'accepted') throw new Error('unreachable');
    await outbox.deadLetter(r2.record, { reason: 'NOT_OWNER', status: 403 }, '2025-01-01T00:00:00.000Z');
    await outbox.close();
    outbox = await LevelOutbox.open(open(dir));
    expect((await outbox.pending()).map((r) => r.id)).toEqual(['r-1']);
    expect((await outbox.listDeadLetters()).map((d) => d.id)).toEqual(['r-2']);
    expect((await outbox.accept({ id: 'r-1', receivedAt: 'x', laneKey: 'l', event: event(1) })).status).toBe('duplicate');
    const r3 = await outbox.accept({ id: 'r-3', receivedAt: 'x', laneKey: 'l', event: event(3) });
    expect(r3.status === 'accepted' && r3.record.seq).toBe(2);
    await outbox.close();
  });
});
