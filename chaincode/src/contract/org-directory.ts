/**
 * The organisation directory: which MSP is which kind of organisation (domain.md §1). Chaincode
 * configuration, read only through this module, so that it can move to ledger state under both
 * agencies' governance without touching its callers.
 */
import { COLLECTION_FACTS, MEMBER_DIRECTORY } from '../domain/org-facts';
import type { OrgDirectory, OrgKind } from '../domain/schemas';

/** MSP ID → organisation kind, in the domain core's directory shape. */
export const ORG_DIRECTORY: OrgDirectory = MEMBER_DIRECTORY;

/** The kind of a member organisation, or undefined for an MSP that is not a member. */
export function orgKindOf(mspId: string): OrgKind | undefined {
  return Object.prototype.hasOwnProperty.call(ORG_DIRECTORY, mspId) ? ORG_DIRECTORY[mspId]?.kind : undefined;
}

/**
 * The members of each private data collection, as the collection configuration declares them, sorted
 * (deterministic iteration on every peer). Only members may write or read a collection's records
 * through this contract.
 */
export const COLLECTION_MEMBERS = Object.freeze({
  caseDetails: COLLECTION_FACTS.caseDetails.members,
  zabEnforcement: COLLECTION_FACTS.zabEnforcement.members,
} as const);
