import { valueListContentHash, VALUE_LIST_NAMES, type ListValueListsAnswer, type ValueListSummary } from '@asl/chaincode/domain';
import { readSeedValueLists } from '@asl/chaincode/seed';
import { Layout } from '../src/layout';
import { loadTopology } from '../src/topology';
import { listValueListsArgs, parseListValueLists, seedInvokeArgs, seedSigners, valueListSeedingPlan, type SeedSubmission } from '../src/value-list-seeding';

const t = loadTopology();
const layout = new Layout('/data-home-under-test', t);
const seeds = readSeedValueLists();
const AT = '2026-11-26T08:00:00.000Z';

const empty: ListValueListsAnswer = { items: VALUE_LIST_NAMES.map((list) => ({ list, inForce: null, pending: null, history: [] })) };

function summary(list: (typeof VALUE_LIST_NAMES)[number], approvals: string[], inForceFrom: string | null): ValueListSummary {
  const seed = seeds.find((s) => s.list === list)!;
  const entries = [...seed.proposal.entries].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  return {
    list,
    version: 1,
    contentHash: valueListContentHash(list, 1, entries),
    proposedBy: { mspId: 'BamfMSP', enrollmentId: 'bamf-adm-0002' },
    proposedAt: AT,
    approvals,
    inForceFrom,
    entryCount: entries.length,
  };
}

const what = (plan: readonly SeedSubmission[]) => plan.map((s) => [s.transaction, s.signer.enrollmentId, (JSON.parse(s.argument) as { list: string }).list]);

describe('network step value-lists: what it would submit', () => {
  it('signs with the role-admin clients of the topology: BAMF proposes, ZAB approves (org admins have no role attribute)', () => {
    expect(seedSigners(t)).toEqual({ proposer: { mspId: 'BamfMSP', enrollmentId: 'bamf-adm-0002' }, approvers: [{ mspId: 'ZabSachsenMSP', enrollmentId: 'zab-adm-0002' }] });
  });

  it('on a fresh channel: for every list, ProposeValueList of the seed file as version 1, then ApproveValueList with the hash of that content', () => {
    const plan = valueListSeedingPlan(t, seeds, empty);
    expect(what(plan)).toEqual(
      VALUE_LIST_NAMES.flatMap((list) => [
        ['ProposeValueList', 'bamf-adm-0002', list],
        ['ApproveValueList', 'zab-adm-0002', list],
      ]),
    );
    for (const list of VALUE_LIST_NAMES) {
      const seed = seeds.find((s) => s.list === list)!;
      const propose = plan.find((s) => s.transaction === 'ProposeValueList' && s.argument.includes(`"list":"${list}"`))!;
      expect(JSON.parse(propose.argument)).toEqual({ list, version: 1, entries: seed.proposal.entries });
      const approve = plan.find((s) => s.transaction === 'ApproveValueList' && s.argument.includes(`"list":"${list}"`))!;
      expect(JSON.parse(approve.argument)).toEqual({ list, version: 1, contentHash: summary(list, [], null).contentHash });
    }
  });

  it('resumes: a list proposed with the seed content only needs the approval; a foreign or different proposal is proposed again', () => {
    const ledger: ListValueListsAnswer = {
      items: empty.items.map((i) => {
        if (i.list === 'facility') return { ...i, pending: summary('facility', ['BamfMSP'], null) };
        if (i.list === 'court') return { ...i, pending: { ...summary('court', ['BamfMSP'], null), contentHash: 'f'.repeat(64) } };
        return i;
      }),
    };
    const plan = what(valueListSeedingPlan(t, seeds, ledger));
    expect(plan.slice(0, 3)).toEqual([
      ['ApproveValueList', 'zab-adm-0002', 'facility'],
      ['ProposeValueList', 'bamf-adm-0002', 'court'],
      ['ApproveValueList', 'zab-adm-0002', 'court'],
    ]);
    expect(plan).toHaveLength(1 + 2 * 4);
  });

  it('is idempotent: nothing to submit once every list has a version in force (later versions are governance, not seeding)', () => {
    const done: ListValueListsAnswer = {
      items: VALUE_LIST_NAMES.map((list) => ({ list, inForce: summary(list, ['BamfMSP', 'ZabSachsenMSP'], AT), pending: null, history: [{ version: 1, inForceFrom: AT }] })),
    };
    expect(valueListSeedingPlan(t, seeds, done)).toEqual([]);
    const amended = { items: done.items.map((i) => (i.list === 'court' ? { ...i, pending: { ...summary('court', ['ZabSachsenMSP'], null), version: 2 } } : i)) };
    expect(valueListSeedingPlan(t, seeds, amended)).toEqual([]);
  });

  it('peer CLI: queries ListValueLists, invokes with TLS client auth, both agencies’ peers endorsing, waiting for the commit', () => {
    expect(listValueListsArgs(t)).toEqual(['chaincode', 'query', '-C', t.channel.name, '-n', t.chaincode.name, '-c', '{"function":"ListValueLists","Args":["{}"]}']);
    const [propose] = valueListSeedingPlan(t, seeds, empty);
    const args = seedInvokeArgs(t, layout, propose!);
    expect(args.slice(0, 2)).toEqual(['chaincode', 'invoke']);
    expect(args).toEqual(expect.arrayContaining(['--tls', '--clientauth', '--waitForEvent', '-C', t.channel.name, '-n', t.chaincode.name]));
    const certfile = args[args.indexOf('--certfile') + 1]!;
    expect(certfile).toContain('bamf-adm-0002');
    expect(args.filter((a) => a === '--peerAddresses')).toHaveLength(2);
    const ctor = JSON.parse(args[args.indexOf('-c') + 1]!) as { function: string; Args: string[] };
    expect(ctor.function).toBe('ProposeValueList');
    expect(ctor.Args).toEqual([propose!.argument]);
  });

  it('reads the contract’s ListValueLists answer with the domain schema and refuses anything else', () => {
    expect(parseListValueLists(`${JSON.stringify(empty)}\n`)).toEqual(empty);
    expect(() => parseListValueLists('{"items":[{"list":"colours"}]}')).toThrow();
  });
});
