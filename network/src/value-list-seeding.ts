import { join } from 'node:path';
import { ListValueListsAnswerSchema, TRANSACTIONS, type ListValueListsAnswer } from '@asl/chaincode/domain';
import { planValueListSeeding, type SeedValueList } from '@asl/chaincode/seed';
import { MSP_TLS_CA_CERT } from './generators/msp';
import { TLS_FILES } from './generators/peer';
import type { Layout } from './layout';
import { activePeers, hostOf, orgOf, peerOrgs, type Topology } from './topology';

/** The contract's value-list transactions this step calls. */
export const VALUE_LIST_TX = {
  list: TRANSACTIONS.ListValueLists,
  propose: TRANSACTIONS.ProposeValueList,
  approve: TRANSACTIONS.ApproveValueList,
} as const;

/** A client identity of the topology acting for its organisation. */
export interface SeedSigner {
  readonly mspId: string;
  readonly enrollmentId: string;
}

/** One transaction the seeding step submits: who signs it, which transaction, its one JSON argument. */
export interface SeedSubmission {
  readonly signer: SeedSigner;
  readonly transaction: typeof VALUE_LIST_TX.propose | typeof VALUE_LIST_TX.approve;
  readonly argument: string;
}

/**
 * The identities that seed: the first peer organisation's client with the application role `admin` proposes,
 * every other peer organisation's `admin` client approves (the contract counts the proposer's organisation as
 * approving). Org admins (Fabric `admin` type) carry no `role` attribute, so the contract would refuse them.
 */
export function seedSigners(t: Topology): { proposer: SeedSigner; approvers: SeedSigner[] } {
  const signers = peerOrgs(t).map((org): SeedSigner => {
    const admin = org.clients.find((c) => c.role === 'admin');
    if (admin === undefined) throw new Error(`${org.mspId} has no client with role admin: value lists cannot be seeded`);
    return { mspId: org.mspId, enrollmentId: admin.enrollmentId };
  });
  const [proposer, ...approvers] = signers;
  if (proposer === undefined) throw new Error('no peer organisations');
  return { proposer, approvers };
}

/**
 * What seeding still has to submit, from the ledger's `ListValueLists` answer: the domain's plan
 * (`planValueListSeeding`: propose version 1 of every list not yet in force, unless already proposed with the
 * same content; approve it with the hash computed from the seed file), with the signer of each transaction.
 * Empty once every list is in force, so running `up` again submits nothing.
 */
export function valueListSeedingPlan(t: Topology, seeds: readonly SeedValueList[], ledger: ListValueListsAnswer): SeedSubmission[] {
  const { proposer, approvers } = seedSigners(t);
  return planValueListSeeding(seeds, ledger.items, proposer.mspId).flatMap((step): SeedSubmission[] =>
    step.action === 'propose'
      ? [{ signer: proposer, transaction: VALUE_LIST_TX.propose, argument: JSON.stringify(step.argument) }]
      : approvers.map((signer) => ({ signer, transaction: VALUE_LIST_TX.approve, argument: JSON.stringify(step.argument) })),
  );
}

/** The `-c` argument of the peer CLI: the contract takes one JSON string argument per transaction. */
function ctorArgs(transaction: string, argument: string): string {
  return JSON.stringify({ function: transaction, Args: [argument] });
}

/** `peer chaincode query` arguments for `ListValueLists`. */
export function listValueListsArgs(t: Topology): string[] {
  return ['chaincode', 'query', '-C', t.channel.name, '-n', t.chaincode.name, '-c', ctorArgs(VALUE_LIST_TX.list, '{}')];
}

/** Parses the query's output (the contract's canonical JSON answer). */
export function parseListValueLists(stdout: string): ListValueListsAnswer {
  return ListValueListsAnswerSchema.parse(JSON.parse(stdout.trim()));
}

/**
 * `peer chaincode invoke` arguments for one submission: TLS to the first orderer (client certificate of the
 * signer, as orderers require client auth), endorsement by one base peer of every peer organisation (the
 * chaincode's `AND` policy: "endorsed by both", domain.md §9), and `--waitForEvent` so the next transaction
 * (the approval) sees the proposal committed.
 */
export function seedInvokeArgs(t: Topology, layout: Layout, s: SeedSubmission): string[] {
  const o = t.orderers[0];
  if (o === undefined) throw new Error('no orderer');
  const signerTls = layout.user(orgOf(t, s.signer.mspId), s.signer.enrollmentId).tls;
  const endorsers = peerOrgs(t).flatMap((org) => {
    const p = activePeers(t, { secondPeer: false }).find((x) => x.org === org.mspId);
    if (p === undefined) throw new Error(`${org.mspId} has no base peer`);
    return ['--peerAddresses', `${hostOf(t, org)}:${p.port}`, '--tlsRootCertFiles', join(layout.orgMsp(org), MSP_TLS_CA_CERT)];
  });
  return [
    'chaincode', 'invoke',
    '-o', `${hostOf(t, orgOf(t, o.org))}:${o.port}`,
    '--tls', '--cafile', join(layout.nodeOf(o).tls, TLS_FILES.ca),
    '--clientauth', '--certfile', join(signerTls, TLS_FILES.cert), '--keyfile', join(signerTls, TLS_FILES.key),
    '-C', t.channel.name,
    '-n', t.chaincode.name,
    ...endorsers,
    '--waitForEvent',
    '-c', ctorArgs(s.transaction, s.argument),
  ];
}
