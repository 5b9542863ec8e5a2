/**
 * The test network's seed value lists (`chaincode/seed/value-lists/<list>.json`): version 1 of every
 * list, to be proposed by one agency's admin (`ProposeValueList`) and approved by the other's
 * (`ApproveValueList`) right after the chaincode is committed. Each file names its source.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import {
  IsoDateSchema,
  VALUE_LIST_NAMES,
  ValueListEntrySchema,
  ValueListNameSchema,
  parseValueListProposal,
  valueListContentHash,
  type ListValueListsAnswer,
  type ValueListApproval,
  type ValueListEntry,
  type ValueListName,
  type ValueListProposal,
} from '../domain';

/** Where a seed list comes from: an official subset or test-network data, and whether it is complete. */
export const SeedSourceSchema = z.strictObject({
  kind: z.enum(['OFFICIAL', 'OFFICIAL_SUBSET', 'TEST_NETWORK']),
  description: z.string().min(1),
  complete: z.boolean(),
  /** For official codes: the date from which the codes are in use. */
  codesInUseSince: IsoDateSchema.optional(),
  /** For lists extracted from a package: the package, its version and the source and date it states. */
  package: z.strictObject({ registry: z.string(), name: z.string(), version: z.string(), statedSource: z.string(), statedDate: z.string() }).optional(),
});

/** One seed file. */
export const SeedFileSchema = z.strictObject({
  list: ValueListNameSchema,
  source: SeedSourceSchema,
  entries: z.array(ValueListEntrySchema),
});

/** A seed list: its source and the `ProposeValueList` argument for version 1. */
export interface SeedValueList {
  readonly list: ValueListName;
  readonly source: z.infer<typeof SeedSourceSchema>;
  readonly proposal: ValueListProposal;
}

/** The folder of the checked-in seed files (from `src/seed` and from `dist/seed` alike). */
export const SEED_DIR = join(__dirname, '..', '..', 'seed', 'value-lists');

/** Reads and validates every list's seed file, in the domain's list order. Throws on a missing or invalid file. */
export function readSeedValueLists(dir: string = SEED_DIR): SeedValueList[] {
  return VALUE_LIST_NAMES.map((list) => {
    const file = SeedFileSchema.parse(JSON.parse(readFileSync(join(dir, `${list}.json`), 'utf8')));
    if (file.list !== list) throw new Error(`seed file ${list}.json holds list ${file.list}`);
    return { list, source: file.source, proposal: parseValueListProposal({ list, version: 1, entries: file.entries }) };
  });
}

/** One transaction of seeding: a proposal by the proposing agency's admin or an approval by the other's. */
export type SeedStep =
  | { readonly action: 'propose'; readonly list: ValueListName; readonly argument: ValueListProposal }
  | { readonly action: 'approve'; readonly list: ValueListName; readonly argument: ValueListApproval };

/**
 * What seeding still has to submit, given the ledger's `ListValueLists` items: for every seed list with no
 * version in force yet, a proposal of version 1 (unless the proposer's organisation already proposed exactly
 * this content, e.g. a run that stopped half-way) and the approval with the content hash the approver
 * computed itself from the seed file. A list with a version in force is left alone (later versions are
 * governance, not seeding), so the plan is empty once seeding is done: the step is idempotent.
 */
export function planValueListSeeding(
  seeds: readonly SeedValueList[],
  ledger: ListValueListsAnswer['items'],
  proposerMspId: string,
): SeedStep[] {
  const steps: SeedStep[] = [];
  for (const seed of seeds) {
    const item = ledger.find((i) => i.list === seed.list);
    if (item !== undefined && (item.inForce !== null || item.history.length > 0)) continue;
    const { list, version, entries } = seed.proposal;
    const contentHash = valueListContentHash(list, version, sortedEntries(entries));
    const pending = item?.pending ?? null;
    const proposed = pending !== null && pending.version === version && pending.contentHash === contentHash && pending.approvals.includes(proposerMspId);
    if (!proposed) steps.push({ action: 'propose', list, argument: seed.proposal });
    steps.push({ action: 'approve', list, argument: { list, version, contentHash } });
  }
  return steps;
}

/** Entries in code order, as the ledger stores them (the content hash is over the sorted entries). */
function sortedEntries(entries: readonly ValueListEntry[]): ValueListEntry[] {
  return [...entries].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}
