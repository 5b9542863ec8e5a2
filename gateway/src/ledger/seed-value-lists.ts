import { planValueListSeeding, readSeedValueLists, type SeedStep, type SeedValueList } from '@asl/chaincode/seed';
import { MEMBER_ORGANISATIONS, mspIdOf, type MemberMspId } from '@asl/chaincode/domain';
import type { Caller, CaseLedger } from '../ports/case-ledger';
import type { MemoryChannel } from './memory-ledger';

/** An agency's admin acting through its gateway's ledger port. */
export interface SeedParty {
  readonly mspId: string;
  readonly ledger: CaseLedger;
  readonly caller: Caller;
}

/**
 * Seeds version 1 of every value list through the `CaseLedger` port, as the network does at deploy: the
 * proposer's admin proposes, the approver's admin approves with the content hash it computed from the
 * seed file. Idempotent (lists already in force are skipped). Answers the steps it submitted.
 */
export async function seedValueLists(seeds: readonly SeedValueList[], proposer: SeedParty, approver: SeedParty): Promise<SeedStep[]> {
  const { items } = await proposer.ledger.listValueLists(proposer.caller);
  const steps = planValueListSeeding(seeds, items, proposer.mspId);
  for (const step of steps) {
    if (step.action === 'propose') await proposer.ledger.proposeValueList(proposer.caller, step.argument);
    else await approver.ledger.approveValueList(approver.caller, step.argument);
  }
  return steps;
}

/** The admins that seed an in-memory channel (development and tests): obviously not people. */
export const SEED_ADMINS: Readonly<Record<MemberMspId, Caller>> = Object.freeze(
  Object.fromEntries(MEMBER_ORGANISATIONS.map((o) => [o.mspId, { userId: `${o.key}-seed-admin`, role: 'admin' }])) as Record<MemberMspId, Caller>,
);

function seeder(channel: MemoryChannel, mspId: MemberMspId): SeedParty {
  return { mspId, ledger: channel.ledgerFor(mspId), caller: SEED_ADMINS[mspId] };
}

/**
 * Seeds an in-memory channel with `chaincode/seed/value-lists` as the test network is seeded: BAMF's admin
 * proposes version 1 of every list, ZAB's admin approves it.
 */
export function seedMemoryChannel(channel: MemoryChannel, seeds: readonly SeedValueList[] = readSeedValueLists()): Promise<SeedStep[]> {
  return seedValueLists(
    seeds,
    seeder(channel, mspIdOf('bamf')),
    seeder(channel, mspIdOf('zab')),
  );
}
