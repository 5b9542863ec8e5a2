/**
 * The steps of docs/operations.md "Changing a value list", each one call an agency's operator makes through its own
 * gateway: the proposing agency's admin proposes the next version (the version in force + 1) and reads what it changes;
 * every other agency's admin reviews the pending proposal (its content hash and its diff against the version in force)
 * and approves it with exactly that hash. The version is in force from the approval that completes the set of members
 * (domain.md §9). Nothing here decides a rule: the chaincode judges every step again (role, version, hash,
 * organisation) and the answers carry its codes.
 */
import type { ValueListEntry, ValueListName } from '@asl/chaincode/domain';
import type { ValueListChangeResult, ValueListClient, ValueListDiffAnswer, ValueListsOverview } from './value-list-client';

/** One list of the overview. */
export type ValueListOverviewItem = ValueListsOverview['items'][number];

/** A change to the version in force: codes to add, or the complete entries of the next version. */
export type ValueListChange = { readonly add: readonly ValueListEntry[] } | { readonly entries: readonly ValueListEntry[] };

/** Options of {@link proposeNextVersion}. */
export interface ProposeOptions {
  /**
   * The version to propose. Default: the version in force + 1, read just before. Given explicitly, it is sent as is
   * and the chaincode refuses anything but the version in force + 1 (`PRECONDITION_FAILED` `VALUE_LIST_VERSION`).
   */
  readonly version?: number;
}

/** What a proposal did, and what the other agencies' admins need to review it. */
export interface ProposalOutcome {
  readonly list: ValueListName;
  /** The version in force when the proposal was made (0: none). */
  readonly fromVersion: number;
  readonly result: ValueListChangeResult;
  /** The proposal against the version in force (undefined when no version is in force yet). */
  readonly diff: ValueListDiffAnswer | undefined;
  /** A proposal pending before this one, which this one replaced (a counter-proposal or correction). */
  readonly replaced: ValueListOverviewItem['pending'];
}

/** A pending proposal as a reviewer sees it. */
export interface ReviewOutcome {
  readonly list: ValueListName;
  readonly inForce: ValueListOverviewItem['inForce'];
  /** Null when nothing is pending: there is nothing to approve. */
  readonly pending: ValueListOverviewItem['pending'];
  /** The pending version against the version in force. */
  readonly diff: ValueListDiffAnswer | undefined;
}

/** A code that is already in the version in force cannot be added. */
export class CodeAlreadyListedError extends Error {
  override readonly name = 'CodeAlreadyListedError';
  constructor(
    readonly list: ValueListName,
    readonly version: number,
    readonly codes: readonly string[],
  ) {
    super(`already in ${list} version ${version}: ${codes.join(', ')}`);
  }
}

/** The entries of the next version: the version in force plus `add`, or the complete replacement. */
export function nextEntries(inForce: readonly ValueListEntry[], change: ValueListChange, list: ValueListName, version: number): ValueListEntry[] {
  if ('entries' in change) return [...change.entries];
  const present = new Set(inForce.map((e) => e.code));
  const clash = change.add.filter((e) => present.has(e.code)).map((e) => e.code);
  if (clash.length > 0) throw new CodeAlreadyListedError(list, version, clash);
  return [...inForce, ...change.add];
}

async function overviewOf(client: ValueListClient, list: ValueListName): Promise<ValueListOverviewItem> {
  const item = (await client.overview()).items.find((i) => i.list === list);
  if (item === undefined) throw new Error(`the gateway does not list ${list}`);
  return item;
}

/** Step 1 (proposing agency's admin): reads the version in force, proposes the next one, reads its diff. */
export async function proposeNextVersion(client: ValueListClient, list: ValueListName, change: ValueListChange, o: ProposeOptions = {}): Promise<ProposalOutcome> {
  const item = await overviewOf(client, list);
  const fromVersion = item.inForce?.version ?? 0;
  const current = fromVersion === 0 ? [] : (await client.get(list, fromVersion)).entries;
  const entries = nextEntries(current, change, list, fromVersion);
  const result = await client.propose(list, o.version ?? fromVersion + 1, entries);
  const diff = fromVersion === 0 ? undefined : await client.diff(list, fromVersion, result.valueList.version);
  const replaced = item.pending !== null && item.pending.contentHash !== result.valueList.contentHash ? item.pending : null;
  return { list, fromVersion, result, diff, replaced };
}

/** Step 2 (each other agency's admin): the pending proposal, its content hash and its diff against the version in force. */
export async function reviewPending(client: ValueListClient, list: ValueListName): Promise<ReviewOutcome> {
  const item = await overviewOf(client, list);
  if (item.pending === null) return { list, inForce: item.inForce, pending: null, diff: undefined };
  const diff = item.inForce === null ? undefined : await client.diff(list, item.inForce.version, item.pending.version);
  return { list, inForce: item.inForce, pending: item.pending, diff };
}

/** Step 3 (each other agency's admin): approves the reviewed version with the hash it reviewed. */
export function approveReviewed(client: ValueListClient, list: ValueListName, version: number, contentHash: string): Promise<ValueListChangeResult> {
  return client.approve(list, version, contentHash);
}
