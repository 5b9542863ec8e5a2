/**
 * The organisation facts every workspace needs — which MSPs are members and of what kind, which endorse the
 * chaincode, who is in each private data collection and who endorses its writes — generated from the topology
 * into one TypeScript module of the domain core (`chaincode/src/domain/org-facts.generated.ts`), which the
 * chaincode, the gateway, its UI and the adapters import. `npx tsx network/src/cli.ts org-facts` rewrites it;
 * `network/test/org-facts.test.ts` fails when the committed file differs from the topology.
 */
import { join } from 'node:path';
import { policyEndorsers } from '../policies';
import type { Topology } from '../topology';

/** Where the generated module lives. */
export const ORG_FACTS_FILE = join(__dirname, '..', '..', '..', 'chaincode', 'src', 'domain', 'org-facts.generated.ts');

const KIND: Readonly<Record<string, string>> = { 'federal-office': 'FEDERAL_OFFICE', 'state-authority': 'STATE_AUTHORITY' };

const list = (items: readonly string[]): string => `[${items.map((i) => `'${i}'`).join(', ')}]`;

/** The module's source text for the topology. */
export function orgFactsSource(t: Topology): string {
  const members = t.orgs.filter((o) => o.kind !== 'ordering-service');
  const lines = [
    '// Generated from network/topology.yaml by `npx tsx network/src/cli.ts org-facts`. Do not edit:',
    '// network/test/org-facts.test.ts fails when this file and the topology differ.',
    '',
    '/** The channel\'s member organisations (domain.md §1), in topology order. */',
    'export const MEMBER_ORGANISATIONS = [',
    ...members.map((o) => `  { mspId: '${o.mspId}', key: '${o.key}', kind: '${KIND[o.kind] ?? o.kind}' },`),
    '] as const;',
    '',
    '/** The MSPs the chaincode\'s endorsement policy needs (`' + t.chaincode.endorsementPolicy + '`). */',
    `export const CHAINCODE_ENDORSERS = ${list(policyEndorsers(t.chaincode.endorsementPolicy))} as const;`,
    '',
    '/** Each private data collection: its members, and the MSPs its own endorsement policy needs (null: the chaincode\'s). */',
    'export const COLLECTION_FACTS = {',
    ...t.chaincode.collections.map(
      (c) => `  ${c.name}: { members: ${list([...c.members].sort())}, endorsers: ${c.endorsementPolicy === undefined ? 'null' : list(policyEndorsers(c.endorsementPolicy))} },`,
    ),
    '} as const;',
    '',
  ];
  return lines.join('\n');
}
