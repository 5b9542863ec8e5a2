/**
 * The organisation facts of the channel, one source for every workspace: generated from `network/topology.yaml`
 * into `org-facts.generated.ts` (see there), read here into the shapes the code needs. Nothing else types an MSP ID
 * (`network/test/org-facts.test.ts` fails when a copy appears in a workspace's sources).
 */
import { CHAINCODE_ENDORSERS, COLLECTION_FACTS, MEMBER_ORGANISATIONS } from './org-facts.generated';
import type { CollectionName } from './contract-names';
import type { OrgDirectory } from './schemas';

export { CHAINCODE_ENDORSERS, COLLECTION_FACTS, MEMBER_ORGANISATIONS };

/** A member organisation's MSP ID. */
export type MemberMspId = (typeof MEMBER_ORGANISATIONS)[number]['mspId'];
/** A member organisation's short key (`bamf`, `zab`: folders, ports, credentials). */
export type AgencyKey = (typeof MEMBER_ORGANISATIONS)[number]['key'];

/** The members' MSP IDs, in topology order. */
export const MEMBER_MSP_IDS: readonly MemberMspId[] = Object.freeze(MEMBER_ORGANISATIONS.map((o) => o.mspId));

/** MSP ID → organisation kind, in the domain's directory shape. */
export const MEMBER_DIRECTORY: OrgDirectory = Object.freeze(
  Object.fromEntries(MEMBER_ORGANISATIONS.map((o) => [o.mspId, Object.freeze({ kind: o.kind })])),
);

/** The MSP ID of the member with this key. */
export function mspIdOf(key: AgencyKey): MemberMspId {
  const org = MEMBER_ORGANISATIONS.find((o) => o.key === key);
  if (org === undefined) throw new Error(`no member organisation ${key}`);
  return org.mspId;
}

/** The key of a member's MSP ID, or undefined for an MSP that is not a member. */
export function agencyKeyOf(mspId: string): AgencyKey | undefined {
  return MEMBER_ORGANISATIONS.find((o) => o.mspId === mspId)?.key;
}

/** Whether an MSP is a member of the private data collection (may write and read its records). */
export function inCollection(name: CollectionName, mspId: string): boolean {
  return (COLLECTION_FACTS[name].members as readonly string[]).includes(mspId);
}

/** The collections with an endorsement policy of their own: name → the MSPs it needs. */
export const COLLECTION_ENDORSERS: Readonly<Record<string, readonly string[]>> = Object.freeze(
  Object.fromEntries(Object.entries(COLLECTION_FACTS).flatMap(([name, c]) => (c.endorsers === null ? [] : [[name, c.endorsers]]))),
);
