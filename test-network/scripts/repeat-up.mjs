#!/usr/bin/env node
// `node test-network/scripts/repeat-up.mjs [runs=10]`: from a purged data directory, `down --purge` + `up`
// `runs` times in a row, each of which must succeed at the first attempt. Times every step and the first
// application transaction (the first value-list proposal) from the lines `up` prints, as they arrive.
// Writes the result to test-network/measurements/repeat-up.json and prints a summary.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cliPath = join(root, 'network', 'src', 'cli.ts');
const tsx = join(root, 'node_modules', '.bin', 'tsx');
const runs = Number(process.argv[2] ?? 10);

function timedUp() {
  return new Promise((resolve) => {
    const started = Date.now();
    const marks = {};
    let step;
    let buffer = '';
    const child = spawn(tsx, [cliPath, 'up'], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout.on('data', (d) => {
      buffer += d.toString();
      let nl;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        const t = (Date.now() - started) / 1000;
        const s = /^== (\S+):/.exec(line);
        if (s) step = s[1];
        if (/^\s+ok \(/.test(line) && step) marks[step] = t;
        if (/value lists: ProposeValueList/.test(line) && marks.firstApplicationTx === undefined) marks.firstApplicationTx = t;
      }
    });
    child.on('close', (code) => resolve({ code, seconds: (Date.now() - started) / 1000, marks }));
  });
}

const results = [];
for (let i = 1; i <= runs; i++) {
  const down = spawnSync(tsx, [cliPath, 'down', '--purge'], { cwd: root, encoding: 'utf8' });
  if (down.status !== 0) throw new Error(`run ${i}: down --purge failed:\n${down.stdout}${down.stderr}`);
  const r = await timedUp();
  results.push({ run: i, ...r });
  process.stdout.write(`run ${i}: exit ${r.code}, ${r.seconds.toFixed(1)} s (first application tx at ${r.marks.firstApplicationTx?.toFixed(1)} s)\n`);
  if (r.code !== 0) break;
}
const ok = results.filter((r) => r.code === 0);
const stat = (xs) => ({ min: Math.min(...xs), median: [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)], max: Math.max(...xs) });
const summary = {
  command: `node test-network/scripts/repeat-up.mjs ${runs}`,
  date: new Date().toISOString(),
  runs: results.length,
  succeededFirstAttempt: ok.length,
  upSeconds: stat(ok.map((r) => r.seconds)),
  firstApplicationTxSeconds: stat(ok.map((r) => r.marks.firstApplicationTx)),
  results,
};
mkdirSync(join(root, 'test-network', 'measurements'), { recursive: true });
writeFileSync(join(root, 'test-network', 'measurements', 'repeat-up.json'), JSON.stringify(summary, null, 2) + '\n');
process.stdout.write(`${ok.length}/${runs} succeeded at the first attempt; up ${JSON.stringify(summary.upSeconds)} s\n`);
process.exit(ok.length === runs ? 0 : 1);
