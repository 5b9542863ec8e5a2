import './support/quiet-logs';
import { ValueListChangedPayloadSchema } from '../../src/domain';
import { Keys } from '../../src/contract/keys';
import { TRANSACTIONS } from '../../src/contract/names';
import {
  DiffValueListsAnswerSchema,
  ListValueListsAnswerSchema,
  RecordAnswerSchema,
  ValueListAnswerSchema,
  ValueListChangeAnswerSchema,
} from '../../src/domain';
import { planValueListSeeding, readSeedValueLists, type SeedStep } from '../../src/seed/value-list-seed';
import { FakeLedger } from './support/fake-stub';
import { Harness } from './support/harness';
import { ID, fakeCaseId } from './support/fixtures';
import { decidedAndServed } from './support/scenarios';

const CASE = fakeCaseId(1);
const COURTS = [{ code: 'VG-DRESDEN', label: 'Verwaltungsgericht Dresden' }, { code: 'VG-LEIPZIG' }];
const keys = new Keys(new FakeLedger().begin());

function lastEvent(h: Harness): { name: string; payload: unknown } {
  const tx = h.ledger.committed[h.ledger.committed.length - 1];
  if (tx?.event === undefined) throw new Error('no event');
  return { name: tx.event.name, payload: JSON.parse(tx.event.payload) };
}

/** Proposes by BAMF's admin and approves by ZAB's admin; returns the approval's answer. */
async function inForce(h: Harness, list: string, version: number, entries: unknown[]): Promise<unknown> {
  const proposed = await h.ok(ValueListChangeAnswerSchema, ID.bamfAdmin, TRANSACTIONS.ProposeValueList, { list, version, entries });
  return h.ok(ValueListChangeAnswerSchema, ID.zabAdmin, TRANSACTIONS.ApproveValueList, { list, version, contentHash: proposed.valueList.contentHash });
}

describe('value lists on the ledger', () => {
  it('before any version is in force, a code of that list is UNKNOWN_CODE_VALUE and nothing is written', async () => {
    const h = new Harness({ seedValueLists: false });
    const refusal = await h.call(ID.zabAdapter, TRANSACTIONS.RecordEvent, h.envelope(CASE, 'CASE_REGISTERED', { facility: 'AE-DD-TEST', registeredOn: '2026-01-05' }));
    expect(refusal.ok ? undefined : [refusal.code, refusal.detail]).toEqual(['UNKNOWN_CODE_VALUE', { field: 'data.facility', list: 'facility', version: null }]);
    expect(refusal.stub.isWriteSetEmpty()).toBe(true);
  });

  it('ProposeValueList then ApproveValueList by the other agency: keys, ValueListChanged events, status, then events use it', async () => {
    const h = new Harness({ seedValueLists: false });
    const proposed = await h.ok(ValueListChangeAnswerSchema, ID.bamfAdmin, TRANSACTIONS.ProposeValueList, { list: 'court', version: 1, entries: COURTS });
    expect(proposed).toMatchObject({ status: 'PROPOSED', valueList: { list: 'court', version: 1, approvals: ['BamfMSP'], inForceFrom: null, entryCount: 2, proposedBy: { mspId: 'BamfMSP', enrollmentId: 'B-ADM-1' } } });
    const proposal = lastEvent(h);
    expect(proposal.name).toBe('ValueListChanged');
    expect(ValueListChangedPayloadSchema.parse(proposal.payload)).toMatchObject({ action: 'PROPOSED', inForce: false });
    expect([...h.ledger.state.keys()].sort()).toEqual([keys.valueList('court', 1), keys.valueListHead('court')].sort());

    h.ledger.setTime('2026-01-05T11:00:00.000Z');
    const approved = await h.ok(ValueListChangeAnswerSchema, ID.zabAdmin, TRANSACTIONS.ApproveValueList, { list: 'court', version: 1, contentHash: proposed.valueList.contentHash });
    expect(approved).toMatchObject({ status: 'IN_FORCE', valueList: { approvals: ['BamfMSP', 'ZabSachsenMSP'], inForceFrom: '2026-01-05T11:00:00.000Z' } });
    expect(ValueListChangedPayloadSchema.parse(lastEvent(h).payload)).toMatchObject({ action: 'APPROVED', inForce: true });

    const got = await h.ok(ValueListAnswerSchema, ID.bamfAuditor, TRANSACTIONS.GetValueList, { list: 'court' });
    expect(got).toMatchObject({ version: 1, status: 'IN_FORCE', entries: [{ code: 'VG-DRESDEN', label: 'Verwaltungsgericht Dresden' }, { code: 'VG-LEIPZIG' }] });
  });

  it('only admins propose and approve (FORBIDDEN_ROLE), and the proposer’s organisation cannot approve its own proposal', async () => {
    const h = new Harness({ seedValueLists: false });
    const proposal = { list: 'court', version: 1, entries: COURTS };
    for (const id of [ID.bamfAdapter, ID.bamfCaseworker, ID.bamfAuditor, ID.zabNoRole, ID.foreign]) {
      expect((await h.refused(id, TRANSACTIONS.ProposeValueList, proposal)).code).toBe('FORBIDDEN_ROLE');
    }
    const proposed = await h.ok(ValueListChangeAnswerSchema, ID.zabAdmin, TRANSACTIONS.ProposeValueList, proposal);
    const approval = { list: 'court', version: 1, contentHash: proposed.valueList.contentHash };
    for (const id of [ID.bamfAdapter, ID.bamfCaseworker, ID.bamfAuditor]) {
      expect((await h.refused(id, TRANSACTIONS.ApproveValueList, approval)).code).toBe('FORBIDDEN_ROLE');
    }
    const own = await h.refused({ mspId: 'ZabSachsenMSP', enrollmentId: 'Z-ADM-2', role: 'admin' }, TRANSACTIONS.ApproveValueList, approval);
    expect(own).toMatchObject({ code: 'PRECONDITION_FAILED', detail: { conflicting: ['APPROVED_BY_ORGANISATION'] } });
    expect((await h.ok(ValueListAnswerSchema, ID.zabAuditor, TRANSACTIONS.GetValueList, { list: 'court', version: 1 })).status).toBe('PROPOSED');
    expect((await h.refused(ID.zabAuditor, TRANSACTIONS.GetValueList, { list: 'court' })).code).toBe('CASE_NOT_FOUND');
  });

  it('a stale proposal conflicts; an identical retry writes nothing and emits nothing', async () => {
    const h = new Harness();
    const stale = await h.refused(ID.zabAdmin, TRANSACTIONS.ProposeValueList, { list: 'court', version: 1, entries: COURTS });
    expect(stale).toMatchObject({ code: 'PRECONDITION_FAILED', detail: { conflicting: ['VALUE_LIST_VERSION'], current: 1 } });
    await h.ok(ValueListChangeAnswerSchema, ID.zabAdmin, TRANSACTIONS.ProposeValueList, { list: 'court', version: 2, entries: COURTS });
    const retry = await h.call(ID.zabAdmin, TRANSACTIONS.ProposeValueList, { list: 'court', version: 2, entries: COURTS });
    expect(retry.ok && retry.stub.isWriteSetEmpty()).toBe(true);
    expect(retry.stub.setEventCalls).toBe(0);
  });

  it('INVALID_INPUT for a malformed proposal names paths and codes only', async () => {
    const h = new Harness();
    const r = await h.refused(ID.bamfAdmin, TRANSACTIONS.ProposeValueList, { list: 'municipality', version: 2, entries: [{ code: '1461200', label: 'Dresden' }] });
    expect(r).toMatchObject({ code: 'INVALID_INPUT', detail: { issues: [{ path: 'entries.0.code', code: 'not_an_ags' }] } });
    expect(r.message).not.toContain('1461200');
  });

  it('writes are judged against the version in force at their transaction time, and record it', async () => {
    const h = new Harness();
    await decidedAndServed(h, CASE, 'REJECTED_UNFOUNDED');
    h.ledger.setTime('2026-02-05T12:00:00.000Z');
    await inForce(h, 'court', 2, COURTS);
    const appeal = (court: string, ref: string) => h.envelope(CASE, 'APPEAL_FILED', { court, courtRef: ref, filedOn: '2026-02-05' });

    h.ledger.setTime('2026-02-05T12:00:30.000Z');
    const refused = await h.refused(ID.zabAdapter, TRANSACTIONS.RecordEvent, appeal('VG-DD-TEST', `r${'a'.repeat(31)}`));
    expect(refused).toMatchObject({ code: 'UNKNOWN_CODE_VALUE', detail: { field: 'data.court', list: 'court', version: 2 } });

    // a client clock a little behind (peers accept ±15 minutes): the transaction time is before version 2
    h.ledger.setTime('2026-02-05T11:59:00.000Z');
    const before = await h.ok(RecordAnswerSchema, ID.zabAdapter, TRANSACTIONS.RecordEvent, appeal('VG-DD-TEST', `r${'a'.repeat(31)}`));
    expect(before.event.valueListVersions).toEqual({ court: 1 });
    h.ledger.setTime('2026-02-05T12:01:00.000Z');
    const after = await h.ok(RecordAnswerSchema, ID.bamfAdapter, TRANSACTIONS.RecordEvent, appeal('VG-DRESDEN', `r${'b'.repeat(31)}`));
    expect(after.event.valueListVersions).toEqual({ court: 2 });
    expect(JSON.parse(h.ledger.committed[h.ledger.committed.length - 1]!.event!.payload)).toMatchObject({ event: { valueListVersions: { court: 2 } } });
  });

  it('ImportCase judges imported facts against the lists too', async () => {
    const h = new Harness();
    const imp = (facility: string) => h.envelope(CASE, 'CASE_IMPORTED', { facts: [{ type: 'CASE_REGISTERED', data: { facility, registeredOn: '2024-03-01' } }] });
    expect(await h.refused(ID.zabAdmin, TRANSACTIONS.ImportCase, imp('AE-GONE'))).toMatchObject({
      code: 'UNKNOWN_CODE_VALUE',
      detail: { field: 'data.facts.0.data.facility', list: 'facility', version: 1 },
    });
    expect((await h.ok(RecordAnswerSchema, ID.zabAdmin, TRANSACTIONS.ImportCase, imp('AE-DD-TEST'))).event.valueListVersions).toEqual({ facility: 1 });
  });

  it('ListValueLists, GetValueList by version and DiffValueLists read for every role', async () => {
    const h = new Harness();
    await inForce(h, 'court', 2, COURTS);
    await h.ok(ValueListChangeAnswerSchema, ID.zabAdmin, TRANSACTIONS.ProposeValueList, { list: 'court', version: 3, entries: [...COURTS, { code: 'OVG-BAUTZEN' }] });
    const listed = await h.ok(ListValueListsAnswerSchema, ID.bamfAuditor, TRANSACTIONS.ListValueLists, {});
    expect(listed.items.map((i) => i.list)).toEqual(['facility', 'court', 'municipality', 'authority', 'reason']);
    const court = listed.items.find((i) => i.list === 'court')!;
    expect([court.inForce?.version, court.pending?.version, court.history.map((x) => x.version)]).toEqual([2, 3, [1, 2]]);
    expect((await h.ok(ValueListAnswerSchema, ID.zabAdapter, TRANSACTIONS.GetValueList, { list: 'court', version: 1 })).status).toBe('SUPERSEDED');
    const diff = await h.ok(DiffValueListsAnswerSchema, ID.zabCaseworker, TRANSACTIONS.DiffValueLists, { list: 'court', from: 1, to: 3 });
    expect([diff.added.map((e) => e.code), diff.removed.map((e) => e.code)]).toEqual([['OVG-BAUTZEN', 'VG-DRESDEN', 'VG-LEIPZIG'], ['VG-DD-TEST']]);
    expect((await h.refused(ID.zabAdapter, TRANSACTIONS.DiffValueLists, { list: 'court', from: 1, to: 9 })).code).toBe('CASE_NOT_FOUND');
    expect((await h.refused(ID.zabNoRole, TRANSACTIONS.ListValueLists, {})).code).toBe('FORBIDDEN_ROLE');
    expect((await h.refused(ID.zabAdapter, TRANSACTIONS.ListValueLists, { list: 'court' })).code).toBe('INVALID_INPUT');
  });
});

describe('the test network’s seed files', () => {
  it('propose and approve through the transactions; events then use Saxon AGS codes and seeded courts', async () => {
    const h = new Harness({ seedValueLists: false });
    h.ledger.setTime('2025-12-01T09:00:00.000Z');
    for (const seed of readSeedValueLists()) await inForce(h, seed.list, 1, [...seed.proposal.entries]);
    h.at('2026-01-05');
    await h.write(ID.zabAdapter, CASE, 'CASE_REGISTERED', { facility: 'AE-DD-TEST', registeredOn: '2026-01-05' });
    await h.write(ID.bamfAdapter, CASE, 'APPLICATION_FILED', { filedOn: '2026-01-06' });
    h.at('2026-02-02');
    await h.write(ID.bamfAdapter, CASE, 'DECISION_ISSUED', { outcome: 'REFUGEE_STATUS_GRANTED', decidedOn: '2026-02-02' });
    const allocated = await h.write(ID.zabAdapter, CASE, 'MUNICIPALITY_ALLOCATED', { municipality: '14713000', authority: 'ABH-L-TEST', basis: 'PROTECTION' });
    expect(allocated.event.valueListVersions).toEqual({ municipality: 1, authority: 1 });
  });

  it('the seeding plan runs against the contract: propose as BAMF admin, approve as ZAB admin; resumable and idempotent', async () => {
    const h = new Harness({ seedValueLists: false });
    h.ledger.setTime('2025-12-01T09:00:00.000Z');
    const seeds = readSeedValueLists();
    const ledgerItems = async () => (await h.ok(ListValueListsAnswerSchema, ID.bamfAuditor, TRANSACTIONS.ListValueLists, {})).items;
    const run = async (steps: SeedStep[]) => {
      for (const step of steps) {
        const tx = step.action === 'propose' ? TRANSACTIONS.ProposeValueList : TRANSACTIONS.ApproveValueList;
        await h.ok(ValueListChangeAnswerSchema, step.action === 'propose' ? ID.bamfAdmin : ID.zabAdmin, tx, step.argument);
      }
    };
    const plan = planValueListSeeding(seeds, await ledgerItems(), 'BamfMSP');
    expect(plan.map((s) => [s.action, s.list])).toEqual(seeds.flatMap((s) => [['propose', s.list], ['approve', s.list]]));
    await run(plan.slice(0, 3)); // stopped after facility and court's proposal: court is pending
    const resumed = planValueListSeeding(seeds, await ledgerItems(), 'BamfMSP');
    expect(resumed.map((s) => [s.action, s.list])).toEqual([['approve', 'court'], ...plan.slice(4).map((s) => [s.action, s.list])]);
    await run(resumed);
    expect(planValueListSeeding(seeds, await ledgerItems(), 'BamfMSP')).toEqual([]);
    for (const item of await ledgerItems()) expect(item.inForce).toMatchObject({ version: 1, approvals: ['BamfMSP', 'ZabSachsenMSP'] });
  });

  it('each names its source; the municipalities are Saxon AGS codes', () => {
    const seeds = readSeedValueLists();
    expect(seeds.map((s) => s.list)).toEqual(['facility', 'court', 'municipality', 'authority', 'reason']);
    const municipality = seeds.find((s) => s.list === 'municipality')!;
    expect(municipality.source.kind).toMatch(/^OFFICIAL/);
    expect(municipality.proposal.entries.map((e) => e.code)).toEqual(expect.arrayContaining(['14511000', '14612000', '14713000']));
    for (const e of municipality.proposal.entries) expect(e.code).toMatch(/^14[0-9]{6}$/);
    for (const s of seeds) expect(s.source.description.length).toBeGreaterThan(20);
  });
});
