import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ORG_FACTS_FILE, orgFactsSource } from '../src/generators/org-facts';
import { policyEndorsers } from '../src/policies';
import { loadTopology } from '../src/topology';

const repo = join(__dirname, '..', '..');
const topology = loadTopology();

/** Every TypeScript source of the workspaces (not tests: fixtures may name an MSP on purpose). */
function sources(): string[] {
  const roots = ['chaincode/src', 'network/src', 'test-network/src', 'gateway/src', 'gateway/ui/src', 'adapters/src', 'bench/src'];
  const walk = (dir: string): string[] => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return [];
    }
    return entries.flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
  };
  return roots.flatMap((r) => walk(join(repo, r)));
}

describe('organisation facts: one source', () => {
  it('the generated module is what the topology says (npx tsx network/src/cli.ts org-facts rewrites it)', () => {
    expect(readFileSync(ORG_FACTS_FILE, 'utf8')).toBe(orgFactsSource(topology));
  });

  it('no workspace source types a member MSP ID as a string of its own', () => {
    const members = topology.orgs.filter((o) => o.kind !== 'ordering-service').map((o) => o.mspId);
    const literal = new RegExp(`(['"])(${members.join('|')})\\1`);
    const copies = sources()
      .filter((file) => file !== ORG_FACTS_FILE)
      .flatMap((file) =>
        readFileSync(file, 'utf8')
          .split('\n')
          .flatMap((line, i) => (literal.test(line) ? [`${relative(repo, file)}:${i + 1}: ${line.trim()}`] : [])),
      );
    expect(copies).toEqual([]);
  });

  it('reads the topology as the network configures it: kinds, members, endorsers', () => {
    const source = orgFactsSource(topology);
    expect(source).toContain("{ mspId: 'BamfMSP', key: 'bamf', kind: 'FEDERAL_OFFICE' }");
    expect(source).toContain("{ mspId: 'ZabSachsenMSP', key: 'zab', kind: 'STATE_AUTHORITY' }");
    expect(source).not.toContain('OrdererMSP');
    expect(source).toContain("zabEnforcement: { members: ['ZabSachsenMSP'], endorsers: ['ZabSachsenMSP'] }");
    expect(source).toContain("caseDetails: { members: ['BamfMSP', 'ZabSachsenMSP'], endorsers: null }");
  });

  it('policyEndorsers reads AND of principals and OR of one, and refuses what is not one required set', () => {
    expect(policyEndorsers("AND('ZabSachsenMSP.peer','BamfMSP.peer')")).toEqual(['BamfMSP', 'ZabSachsenMSP']);
    expect(policyEndorsers("OR('ZabSachsenMSP.peer')")).toEqual(['ZabSachsenMSP']);
    expect(() => policyEndorsers("OR('A.peer','B.peer')")).toThrow(/not an AND/);
    expect(() => policyEndorsers("OutOf(1,'A.peer','B.peer')")).toThrow(/not an AND/);
  });
});
