import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LevelProjectionStore } from '../../src/readmodel/level-store';

/** Runs only as an integration test (the CLI's --testPathIgnorePatterns replaces the config's kind filter). */
const TOTAL = 400;

function runChild(dir: string, killAfter?: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, '../support/projector-child.ts'), dir, String(TOTAL)], { stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      const last = [...chunk.matchAll(/applied (\d+)/g)].at(-1);
      const applied = last ? Number(last[1]) : 0;
      if (killAfter !== undefined && applied >= killAfter) child.kill('SIGKILL');
      if (killAfter === undefined && applied >= TOTAL) child.kill('SIGTERM');
    });
    child.once('exit', () => resolve());
    child.once('error', reject);
  });
}

async function inspect(dir: string) {
  const store = await LevelProjectionStore.open(dir);
  const stream = await store.streamAfter(0, 10_000);
  const checkpoint = await store.checkpoint();
  let perCase = 0;
  for (const id of await store.caseIds(undefined, 100)) perCase += (await store.caseEntries(id))?.length ?? 0;
  await store.close();
  return { stream, checkpoint, perCase };
}

describe('read model after kill -9', () => {
  const dir = mkdtempSync(join(tmpdir(), 'asl-kill-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is consistent at the kill and resumes without a gap or a duplicate', async () => {
    await runChild(dir, 100);
    const killed = await inspect(dir);
    const k = killed.stream.length;
    expect(k).toBeGreaterThanOrEqual(100);
    expect(k).toBeLessThan(TOTAL);
    expect(killed.stream.map((i) => i.seq)).toEqual(Array.from({ length: k }, (_, i) => i + 1));
    expect(killed.checkpoint?.blockNumber).toBe(String(k));
    expect(killed.perCase).toBe(k);

    await runChild(dir);
    const done = await inspect(dir);
    expect(done.stream.map((i) => i.seq)).toEqual(Array.from({ length: TOTAL }, (_, i) => i + 1));
    expect(done.stream.map((i) => (i.kind === 'event' ? i.entry.receipt.blockNumber : ''))).toEqual(Array.from({ length: TOTAL }, (_, i) => String(i + 1)));
    expect(done.perCase).toBe(TOTAL);
    process.stdout.write(`killed after ${k} of ${TOTAL} entries; resumed to ${done.stream.length}\n`);
  }, 60_000);
});
