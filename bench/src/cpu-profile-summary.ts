/**
 * Where the time goes in a V8 CPU profile (`node --cpu-prof`): the functions with the most self time and
 * the most inclusive time (time with the function anywhere on the stack, counted once per sample).
 *
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx bench/src/growth.ts --sizes 1000 --samples 5
 *   npx tsx bench/src/cpu-profile-summary.ts /tmp/prof/<file>.cpuprofile [--top 25] [--match chaincode/src]
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly children?: readonly number[];
}

interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

function keyOf(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const file = url.replace(/^file:\/\//, '').replace(/^.*?\/(chaincode|gateway|bench|node_modules)\//, '$1/');
  return file === '' ? functionName || '(anonymous)' : `${functionName || '(anonymous)'} ${file}:${lineNumber + 1}`;
}

function main(): void {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { top: { type: 'string', default: '25' }, match: { type: 'string', default: '' } },
  });
  const file = positionals[0];
  if (file === undefined) throw new Error('usage: cpu-profile-summary <file.cpuprofile> [--top N] [--match text]');
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    total += dt;
    const leaf = byId.get(id);
    if (leaf === undefined) return;
    self.set(keyOf(leaf), (self.get(keyOf(leaf)) ?? 0) + dt);
    const seen = new Set<string>();
    for (let n: number | undefined = id; n !== undefined; n = parent.get(n)) {
      const node = byId.get(n);
      if (node !== undefined) seen.add(keyOf(node));
    }
    for (const k of seen) inclusive.set(k, (inclusive.get(k) ?? 0) + dt);
  });

  const top = Number(values.top);
  const print = (title: string, table: Map<string, number>): void => {
    const rows = [...table.entries()]
      .filter(([k]) => values.match === '' || k.includes(values.match))
      .sort((a, b) => b[1] - a[1])
      .slice(0, top);
    process.stdout.write(`\n${title} (of ${(total / 1e6).toFixed(2)} s sampled)\n`);
    for (const [k, us] of rows) {
      process.stdout.write(`${(us / 1e3).toFixed(0).padStart(9)} ms ${((100 * us) / total).toFixed(1).padStart(5)}%  ${k}\n`);
    }
  };
  print('inclusive', inclusive);
  print('self', self);
}

main();
