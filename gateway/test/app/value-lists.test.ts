import { MAX_VALUE_LIST_ENTRIES, VALUE_LIST_NAMES } from '@asl/chaincode/domain';
import { call, pluck } from '../support/client';
import { CASE_ID, msgId, registerBody } from '../support/fixtures';
import { DEFAULT_LIMITS, startGateway, TestClock, type TestGateway } from '../support/harness';
import { seedEntries } from '../support/samples';

const LISTS = '/api/v1/value-lists';
const LIST = '/api/v1/value-lists/{list}';
const DIFF = '/api/v1/value-lists/{list}/diff';
const PROPOSALS = '/api/v1/value-lists/{list}/proposals';
const APPROVALS = '/api/v1/value-lists/{list}/versions/{version}/approvals';
const EVENTS = '/api/v1/cases/{caseId}/events';
const CASE = { caseId: CASE_ID };
const at = '2026-11-26T12:00:00+01:00';

/** Version 2 of `facility`: the seed facilities and one more. */
const facilityV2 = () => ({ version: 2, entries: [...seedEntries('facility'), { code: 'AE-DD-TEST-2', label: 'Erstaufnahmeeinrichtung Dresden II (Testdaten)' }] });

describe('value lists over the in-memory ledger (domain.md §9)', () => {
  let zab: TestGateway;
  let bamf: TestGateway;
  let clock: TestClock;
  beforeEach(async () => {
    clock = new TestClock();
    zab = await startGateway({ mspId: 'ZabSachsenMSP', clock });
    bamf = await startGateway({ mspId: 'BamfMSP', clock, channel: zab.channel });
  });
  afterEach(() => {
    zab.stop();
    bamf.stop();
  });

  const reception = (facility: string) =>
    call(zab, 'post', EVENTS, { token: zab.token.adapter, params: CASE, body: { type: 'RECEPTION_ASSIGNED', occurredAt: at, sourceMessageId: msgId(), data: { facility } } });

  /** BAMF's admin proposes facility v2 and ZAB's admin approves it with the hash it read. */
  async function facilityV2InForce(): Promise<string> {
    const proposed = await call(bamf, 'post', PROPOSALS, { token: bamf.token.admin, params: { list: 'facility' }, body: facilityV2() });
    expect(proposed.status).toBe(201);
    const reviewed = await call(zab, 'get', LIST, { token: zab.token.admin, params: { list: 'facility' }, query: { version: '2' } });
    const approved = await call(zab, 'post', APPROVALS, { token: zab.token.admin, params: { list: 'facility', version: '2' }, body: { contentHash: reviewed.body.contentHash } });
    expect([approved.status, approved.body.status]).toEqual([201, 'IN_FORCE']);
    return reviewed.body.contentHash as string;
  }

  it('everyone reads the lists: version 1 of every list in force (seeded), entries with labels, by version or in force', async () => {
    for (const role of ['adapter', 'caseworker', 'auditor', 'admin'] as const) {
      const lists = await call(bamf, 'get', LISTS, { token: bamf.token[role] });
      expect(lists.status).toBe(200);
      expect(pluck(lists.body.items, 'list')).toEqual([...VALUE_LIST_NAMES]);
      for (const item of lists.body.items) {
        expect(item).toMatchObject({ inForce: { version: 1, approvals: ['BamfMSP', 'ZabSachsenMSP'] }, pending: null });
      }
    }
    const reason = await call(zab, 'get', LIST, { token: zab.token.caseworker, params: { list: 'reason' } });
    expect(reason.status).toBe(200);
    expect(reason.body).toMatchObject({ list: 'reason', version: 1, status: 'IN_FORCE' });
    expect(reason.body.entries).toEqual(expect.arrayContaining([{ code: 'RETRACT-WRONG-DATA', label: 'Wrong date or data', usedFor: ['retractionReason'] }]));
    const byVersion = await call(zab, 'get', LIST, { token: zab.token.auditor, params: { list: 'reason' }, query: { version: '1' } });
    expect(byVersion.body).toEqual(reason.body);
    const unknown = await call(zab, 'get', LIST, { token: zab.token.auditor, params: { list: 'reason' }, query: { version: '9' } });
    expect([unknown.status, unknown.body.code, unknown.body.details]).toEqual([404, 'CASE_NOT_FOUND', { valueList: 'UNKNOWN' }]);
  });

  it('propose (BAMF admin) → pending → approve (ZAB admin, reviewed hash) → in force; the diff; events use the new code', async () => {
    expect((await call(zab, 'post', EVENTS, { token: zab.token.adapter, params: CASE, body: registerBody() })).status).toBe(201);
    expect((await reception('AE-DD-TEST-2')).body.code).toBe('UNKNOWN_CODE_VALUE');
    const proposed = await call(bamf, 'post', PROPOSALS, { token: bamf.token.admin, params: { list: 'facility' }, body: facilityV2() });
    expect(proposed.status).toBe(201);
    expect(proposed.body).toMatchObject({ status: 'PROPOSED', valueList: { list: 'facility', version: 2, entryCount: 4, approvals: ['BamfMSP'], inForceFrom: null } });
    const retry = await call(bamf, 'post', PROPOSALS, { token: bamf.token.admin, params: { list: 'facility' }, body: facilityV2() });
    expect(retry.body).toEqual(proposed.body);
    const pending = await call(zab, 'get', LISTS, { token: zab.token.caseworker });
    const facility = (pending.body.items as { list: string }[]).find((i) => i.list === 'facility');
    expect(facility).toMatchObject({ inForce: { version: 1 }, pending: { version: 2, contentHash: proposed.body.valueList.contentHash } });

    const diff = await call(zab, 'get', DIFF, { token: zab.token.admin, params: { list: 'facility' }, query: { from: '1', to: '2' } });
    expect(diff.status).toBe(200);
    expect(diff.body).toEqual({ list: 'facility', from: 1, to: 2, added: [{ code: 'AE-DD-TEST-2', label: 'Erstaufnahmeeinrichtung Dresden II (Testdaten)' }], removed: [], changed: [], replaced: [] });

    const approved = await call(zab, 'post', APPROVALS, { token: zab.token.admin, params: { list: 'facility', version: '2' }, body: { contentHash: proposed.body.valueList.contentHash } });
    expect(approved.status).toBe(201);
    expect(approved.body).toMatchObject({ status: 'IN_FORCE', valueList: { version: 2, approvals: ['BamfMSP', 'ZabSachsenMSP'], inForceFrom: clock.now().toISOString() } });
    expect((await call(bamf, 'get', LIST, { token: bamf.token.adapter, params: { list: 'facility' }, query: { version: '1' } })).body.status).toBe('SUPERSEDED');

    const recorded = await reception('AE-DD-TEST-2');
    expect(recorded.status).toBe(201);
    expect(recorded.body.event.valueListVersions).toEqual({ facility: 2 });
  });

  it('FORBIDDEN_ROLE 403 for every role but admin proposing or approving, and nothing changes', async () => {
    for (const role of ['adapter', 'caseworker', 'auditor'] as const) {
      const p = await call(bamf, 'post', PROPOSALS, { token: bamf.token[role], params: { list: 'facility' }, body: facilityV2() });
      const a = await call(zab, 'post', APPROVALS, { token: zab.token[role], params: { list: 'facility', version: '2' }, body: { contentHash: '0'.repeat(64) } });
      expect([p.status, p.body.code, a.status, a.body.code]).toEqual([403, 'FORBIDDEN_ROLE', 403, 'FORBIDDEN_ROLE']);
    }
    const lists = await call(zab, 'get', LISTS, { token: zab.token.admin });
    expect(pluck(lists.body.items, 'pending')).toEqual(VALUE_LIST_NAMES.map(() => null));
  });

  it('INVALID_INPUT 400: unknown list, bad version, malformed entries, cross-entry rules of the domain, bad hash', async () => {
    const cases = [
      await call(bamf, 'get', LIST, { token: bamf.token.admin, params: { list: 'colours' } }),
      await call(bamf, 'get', LIST, { token: bamf.token.admin, params: { list: 'court' }, query: { version: 'latest' } }),
      await call(bamf, 'get', DIFF, { token: bamf.token.admin, params: { list: 'court' }, query: { from: '1' } }),
      await call(bamf, 'post', PROPOSALS, { token: bamf.token.admin, params: { list: 'court' }, body: { version: 2, entries: [] } }),
      await call(bamf, 'post', PROPOSALS, { token: bamf.token.admin, params: { list: 'court' }, body: { version: 2, entries: [{ code: 'VG X' }] } }),
      await call(bamf, 'post', PROPOSALS, { token: bamf.token.admin, params: { list: 'court' }, body: { version: 2, entries: [{ code: 'VG-A' }, { code: 'VG-A' }] } }),
      await call(bamf, 'post', PROPOSALS, { token: bamf.token.admin, params: { list: 'reason' }, body: { version: 2, entries: [{ code: 'RETRACT-X' }] } }),
      await call(bamf, 'post', PROPOSALS, { token: bamf.token.admin, params: { list: 'municipality' }, body: { version: 2, entries: [{ code: 'DRESDEN' }] } }),
      await call(bamf, 'post', PROPOSALS, { token: bamf.token.admin, params: { list: 'court' }, body: { version: 2, entries: [{ code: 'VG-A' }], list: 'court' } }),
      await call(zab, 'post', APPROVALS, { token: zab.token.admin, params: { list: 'court', version: '2' }, body: { contentHash: 'not-a-hash' } }),
      await call(zab, 'post', APPROVALS, { token: zab.token.admin, params: { list: 'court', version: 'two' }, body: { contentHash: '0'.repeat(64) } }),
    ];
    expect(cases.map((r): unknown[] => [r.status, r.body.code])).toEqual(cases.map(() => [400, 'INVALID_INPUT']));
    const lists = await call(zab, 'get', LISTS, { token: zab.token.admin });
    expect(pluck(lists.body.items, 'pending')).toEqual(VALUE_LIST_NAMES.map(() => null));
  });

  it('PRECONDITION_FAILED 409: a stale or skipping version, self-approval, a replaced proposal, approving what is in force', async () => {
    const stale = await call(bamf, 'post', PROPOSALS, { token: bamf.token.admin, params: { list: 'facility' }, body: { ...facilityV2(), version: 1 } });
    expect([stale.status, stale.body.code, stale.body.details]).toEqual([409, 'PRECONDITION_FAILED', { conflicting: ['VALUE_LIST_VERSION'], current: 1 }]);
    const skipping = await call(bamf, 'post', PROPOSALS, { token: bamf.token.admin, params: { list: 'facility' }, body: { ...facilityV2(), version: 3 } });
    expect(skipping.body.details).toEqual({ conflicting: ['VALUE_LIST_VERSION'], current: 1 });

    const proposed = await call(bamf, 'post', PROPOSALS, { token: bamf.token.admin, params: { list: 'facility' }, body: facilityV2() });
    const hash = proposed.body.valueList.contentHash as string;
    const self = await call(bamf, 'post', APPROVALS, { token: bamf.token.admin, params: { list: 'facility', version: '2' }, body: { contentHash: hash } });
    expect([self.status, self.body.code, self.body.details]).toEqual([409, 'PRECONDITION_FAILED', { conflicting: ['APPROVED_BY_ORGANISATION'] }]);
    const other = await call(zab, 'post', APPROVALS, { token: zab.token.admin, params: { list: 'facility', version: '2' }, body: { contentHash: 'f'.repeat(64) } });
    expect(other.body.details).toEqual({ conflicting: ['VALUE_LIST_CONTENT'] });
    const notProposed = await call(zab, 'post', APPROVALS, { token: zab.token.admin, params: { list: 'court', version: '2' }, body: { contentHash: hash } });
    expect([notProposed.status, notProposed.body.details]).toEqual([409, { missing: ['VALUE_LIST_PROPOSED'] }]);

    await call(zab, 'post', APPROVALS, { token: zab.token.admin, params: { list: 'facility', version: '2' }, body: { contentHash: hash } });
    const again = await call(zab, 'post', APPROVALS, { token: zab.token.admin, params: { list: 'facility', version: '2' }, body: { contentHash: hash } });
    expect([again.status, again.body.details]).toEqual([409, { conflicting: ['VALUE_LIST_IN_FORCE'] }]);
  });

  it('UNKNOWN_CODE_VALUE 422 for a code not in the list in force, a reason used for another field, and nothing is written', async () => {
    expect((await call(zab, 'post', EVENTS, { token: zab.token.adapter, params: CASE, body: registerBody() })).status).toBe(201);
    const before = zab.channel.entries().length;
    const unknown = await reception('AE-NOWHERE-TEST');
    expect([unknown.status, unknown.body.code, unknown.body.details]).toEqual([422, 'UNKNOWN_CODE_VALUE', { field: 'data.facility', list: 'facility', version: 1 }]);
    const recorded = await reception('AE-L-TEST');
    expect(recorded.status).toBe(201);
    const wrongUse = await call(zab, 'post', EVENTS, {
      token: zab.token.caseworker,
      params: CASE,
      body: { type: 'EVENT_RETRACTED', occurredAt: at, sourceMessageId: msgId(), data: { retractedTxId: recorded.body.event.txId, retractionReason: 'CANCEL-ILLNESS' } },
    });
    expect([wrongUse.status, wrongUse.body.code, wrongUse.body.details]).toEqual([422, 'UNKNOWN_CODE_VALUE', { field: 'data.retractionReason', list: 'reason', version: 1 }]);
    expect(zab.channel.entries().length).toBe(before + 1);
  });

  it('a list replaced since it was reviewed cannot be approved with the old hash; the counter-proposal can', async () => {
    const oldHash = await (async () => {
      const p = await call(bamf, 'post', PROPOSALS, { token: bamf.token.admin, params: { list: 'facility' }, body: facilityV2() });
      return p.body.valueList.contentHash as string;
    })();
    const counter = await call(zab, 'post', PROPOSALS, { token: zab.token.admin, params: { list: 'facility' }, body: { version: 2, entries: seedEntries('facility').slice(0, 2) } });
    expect(counter.body).toMatchObject({ status: 'PROPOSED', valueList: { approvals: ['ZabSachsenMSP'] } });
    const stale = await call(zab, 'post', APPROVALS, { token: zab.token.admin, params: { list: 'facility', version: '2' }, body: { contentHash: oldHash } });
    expect(stale.body.details).toEqual({ conflicting: ['VALUE_LIST_CONTENT'] });
    const approved = await call(bamf, 'post', APPROVALS, { token: bamf.token.admin, params: { list: 'facility', version: '2' }, body: { contentHash: counter.body.valueList.contentHash } });
    expect(approved.body.status).toBe('IN_FORCE');
    expect(await facilityV3Refused()).toBe('PRECONDITION_FAILED');
  });

  /** After v2 is in force, proposing v2 again is stale. */
  async function facilityV3Refused(): Promise<string> {
    const res = await call(bamf, 'post', PROPOSALS, { token: bamf.token.admin, params: { list: 'facility' }, body: facilityV2() });
    return res.body.code as string;
  }

  it('the dev/test seeding is the domain’s own governance: version 1 was proposed by BAMF’s admin and approved by ZAB’s', async () => {
    const court = await call(zab, 'get', LIST, { token: zab.token.auditor, params: { list: 'court' } });
    expect(court.body).toMatchObject({ proposedBy: { mspId: 'BamfMSP', enrollmentId: 'bamf-seed-admin' }, approvals: ['BamfMSP', 'ZabSachsenMSP'] });
    expect(court.body.entries).toEqual(seedEntries('court'));
    await facilityV2InForce();
  });

  describe('body limits: the proposal route has its own, every other route keeps the small one', () => {
    /** Version 2 of `municipality` as long as a list may be: the seed entries and fake municipalities (codes 14000000…). */
    const municipalities = (label: (i: number) => string) => ({
      version: 2,
      entries: [
        ...seedEntries('municipality'),
        ...Array.from({ length: MAX_VALUE_LIST_ENTRIES - seedEntries('municipality').length }, (_, i) => ({ code: String(14_000_000 + i), label: label(i) })),
      ],
    });
    const expectTooLarge = (res: { status: number; body: { code?: string }; headers: Record<string, string> }) => {
      expect([res.status, res.body.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    };

    it('a whole municipality list (far above the small limit) is proposed', async () => {
      const body = municipalities((i) => `Gemeinde ${i} (Testdaten)`);
      const size = Buffer.byteLength(JSON.stringify(body));
      expect(size).toBeGreaterThan(DEFAULT_LIMITS.bodyBytes);
      expect(size).toBeLessThan(DEFAULT_LIMITS.valueListProposalBodyBytes);
      const proposed = await call(bamf, 'post', PROPOSALS, { token: bamf.token.admin, params: { list: 'municipality' }, body });
      expect(proposed.status).toBe(201);
      expect(proposed.body).toMatchObject({ status: 'PROPOSED', valueList: { list: 'municipality', version: 2, entryCount: MAX_VALUE_LIST_ENTRIES } });
    });

    it('a proposal above its own limit is PAYLOAD_TOO_LARGE 413 and nothing is proposed', async () => {
      const body = municipalities((i) => `Gemeinde ${i} ${'x'.repeat(180)}`);
      expect(Buffer.byteLength(JSON.stringify(body))).toBeGreaterThan(DEFAULT_LIMITS.valueListProposalBodyBytes);
      expectTooLarge(await call(bamf, 'post', PROPOSALS, { token: bamf.token.admin, params: { list: 'municipality' }, body }));
      const lists = await call(bamf, 'get', LISTS, { token: bamf.token.admin });
      expect((lists.body.items as { list: string }[]).find((i) => i.list === 'municipality')).toMatchObject({ pending: null });
    });

    it('a body above the small limit on any other route is PAYLOAD_TOO_LARGE 413, also where the proposal limit would admit it', async () => {
      const padding = 'x'.repeat(DEFAULT_LIMITS.bodyBytes);
      expect(padding.length).toBeLessThan(DEFAULT_LIMITS.valueListProposalBodyBytes);
      const height = zab.channel.entries().length;
      expectTooLarge(
        await call(zab, 'post', EVENTS, { token: zab.token.adapter, params: CASE, body: { ...registerBody(), sourceMessageId: msgId(), padding } }),
      );
      expectTooLarge(
        await call(zab, 'post', APPROVALS, { token: zab.token.admin, params: { list: 'facility', version: '2' }, body: { contentHash: padding } }),
      );
      expect(zab.channel.entries()).toHaveLength(height);
    });
  });
});
