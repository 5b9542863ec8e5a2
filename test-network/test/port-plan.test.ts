import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { allPorts, loadTopology } from '../../network/src/topology';

/** The port plan in README.md is documentation of network/topology.yaml: keep them in step. */
describe('test-network README port plan', () => {
  const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
  const plan = readme.slice(readme.indexOf('## Port plan'), readme.indexOf('## Channel'));
  const documented = new Set([...plan.matchAll(/\b(\d{4,5})\b/g)].map((m) => Number(m[1])));

  it('documents every port of the topology', () => {
    for (const p of allPorts(loadTopology())) expect(documented).toContain(p.port);
  });

  it('documents no port the topology does not use (besides the defaults it avoids)', () => {
    const used = new Set(allPorts(loadTopology()).map((p) => p.port));
    const avoided = [7050, 7054, 9443, 3001, 3202];
    for (const p of documented) if (!avoided.includes(p)) expect(used).toContain(p);
  });
});
