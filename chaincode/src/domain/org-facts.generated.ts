// Generated from network/topology.yaml by `npx tsx network/src/cli.ts org-facts`. Do not edit:
// network/test/org-facts.test.ts fails when this file and the topology differ.

/** The channel's member organisations (domain.md §1), in topology order. */
export const MEMBER_ORGANISATIONS = [
  { mspId: 'BamfMSP', key: 'bamf', kind: 'FEDERAL_OFFICE' },
  { mspId: 'ZabSachsenMSP', key: 'zab', kind: 'STATE_AUTHORITY' },
] as const;

/** The MSPs the chaincode's endorsement policy needs (`AND('BamfMSP.peer','ZabSachsenMSP.peer')`). */
export const CHAINCODE_ENDORSERS = ['BamfMSP', 'ZabSachsenMSP'] as const;

/** Each private data collection: its members, and the MSPs its own endorsement policy needs (null: the chaincode's). */
export const COLLECTION_FACTS = {
  caseDetails: { members: ['BamfMSP', 'ZabSachsenMSP'], endorsers: null },
  zabEnforcement: { members: ['ZabSachsenMSP'], endorsers: ['ZabSachsenMSP'] },
} as const;
