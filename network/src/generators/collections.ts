import type { Topology } from '../topology';

/** One entry of the collections config JSON, with the keys `peer lifecycle` reads. */
export interface CollectionConfigJson {
  name: string;
  policy: string;
  requiredPeerCount: number;
  maxPeerCount: number;
  blockToLive: number;
  memberOnlyRead: boolean;
  memberOnlyWrite: boolean;
  endorsementPolicy?: { signaturePolicy: string };
}

/** Signature policy "any member of these orgs". */
export function membersPolicy(mspIds: readonly string[]): string {
  return `OR(${mspIds.map((m) => `'${m}.member'`).join(',')})`;
}

/** The collections config passed to approveformyorg / checkcommitreadiness / commit. */
export function collectionsConfig(t: Topology): CollectionConfigJson[] {
  return t.chaincode.collections.map((c) => ({
    name: c.name,
    policy: membersPolicy(c.members),
    requiredPeerCount: c.requiredPeerCount,
    maxPeerCount: c.maxPeerCount,
    blockToLive: c.blockToLive,
    memberOnlyRead: c.memberOnlyRead,
    memberOnlyWrite: c.memberOnlyWrite,
    ...(c.endorsementPolicy === undefined ? {} : { endorsementPolicy: { signaturePolicy: c.endorsementPolicy } }),
  }));
}
