import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LevelProjectionStore } from '../../src/readmodel/level-store';
import { MemoryProjectionStore } from '../../src/readmodel/memory-store';
import { projectionStoreCompliance } from './projection-store.compliance';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

projectionStoreCompliance('memory', () => Promise.resolve({ store: new MemoryProjectionStore() }));
projectionStoreCompliance('classic-level', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'asl-proj-'));
  dirs.push(dir);
  return { store: await LevelProjectionStore.open(dir), reopen: () => LevelProjectionStore.open(dir) };
});
