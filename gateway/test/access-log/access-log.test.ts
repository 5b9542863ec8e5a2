import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LevelAccessLog, MemoryAccessLog } from '../../src/access-log/access-log';
import type { AccessLog } from '../../src/ports/access-log';

const A = 'c' + 'a'.repeat(31);
const B = 'c' + 'b'.repeat(31);
const read = (caseId: string, at: string) => ({ at, userId: 'zab-cw-0001', role: 'caseworker' as const, caseId, resource: 'view' as const, fields: ['phase'] });

function compliance(name: string, open: () => Promise<{ log: AccessLog; close: () => Promise<void> }>): void {
  describe(`AccessLog: ${name}`, () => {
    it('chains entries and queries by case, time and cursor', async () => {
      const { log, close } = await open();
      const e1 = await log.append(read(A, '2026-11-26T08:00:00.000Z'));
      const e2 = await log.append(read(B, '2026-11-26T09:00:00.000Z'));
      await log.append(read(A, '2026-11-26T10:00:00.000Z'));
      expect(e1.prevHash).toBe('0'.repeat(64));
      expect(e2.prevHash).toBe(e1.hash);
      expect((await log.query({ caseId: A, limit: 10 })).map((e) => e.seq)).toEqual([1, 3]);
      expect((await log.query({ from: '2026-11-26T09:00:00Z', to: '2026-11-26T10:00:00Z', limit: 10 })).map((e) => e.seq)).toEqual([2]);
      expect((await log.query({ afterSeq: 1, limit: 1 })).map((e) => e.seq)).toEqual([2]);
      expect(await log.verify()).toBeUndefined();
      await close();
    });
  });
}

compliance('memory', () => Promise.resolve({ log: new MemoryAccessLog(), close: () => Promise.resolve() }));
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
compliance('classic-level', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'asl-al-'));
  dirs.push(dir);
  const log = await LevelAccessLog.open(dir);
  return { log, close: () => log.close() };
});

it('detects a rewritten entry', async () => {
  const log = new MemoryAccessLog();
  await log.append(read(A, '2026-11-26T08:00:00.000Z'));
  await log.append(read(B, '2026-11-26T09:00:00.000Z'));
  await log.append(read(A, '2026-11-26T10:00:00.000Z'));
  log.entries[1] = { ...log.entries[1]!, caseId: A };
  expect(await log.verify()).toBe(2);
});
