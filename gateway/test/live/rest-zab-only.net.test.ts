/**
 * Live (ASL_TEST_KIND=net): the two ZAB-only routes on both real gateways and real peers — the `zabEnforcement`
 * write endorsed by ZAB's peer alone, and the return check that judges the return rules now and writes nothing.
 * Fresh random cases and users per run; nothing mocked.
 */
import { DerivedReceiptSchema, EnforcementResponseSchema, ReturnCheckResponseSchema } from '../../src/api/schemas';
import { liveCall } from '../support/live-client';
import { CODES, eventBody, newCaseId, newCourtRef, recorded, registerUser, timelineOf, type LiveUser } from '../support/live-fixtures';
import { startLiveGateways, type LiveGateways } from '../support/live-gateways';
import { LedgerProbe } from '../support/ledger-probe';
import { markLedger, writtenSince } from '../support/live-ledger-checks';

jest.setTimeout(120_000);

let gateways: LiveGateways;
let zabProbe: LedgerProbe;
let bamfProbe: LedgerProbe;
let zab: { adapter: LiveUser; caseworker: LiveUser; auditor: LiveUser };
let bamf: { adapter: LiveUser; caseworker: LiveUser; auditor: LiveUser };
const everyone = (): string[] => [zab.adapter, zab.caseworker, zab.auditor, bamf.adapter, bamf.caseworker, bamf.auditor].map((u) => u.userId);

beforeAll(async () => {
  gateways = await startLiveGateways();
  zabProbe = LedgerProbe.open('zab');
  bamfProbe = LedgerProbe.open('bamf');
  zab = {
    adapter: await registerUser(gateways.zab, 'adapter', 'zabonly'),
    caseworker: await registerUser(gateways.zab, 'caseworker', 'zabonly'),
    auditor: await registerUser(gateways.zab, 'auditor', 'zabonly'),
  };
  bamf = {
    adapter: await registerUser(gateways.bamf, 'adapter', 'zabonly'),
    caseworker: await registerUser(gateways.bamf, 'caseworker', 'zabonly'),
    auditor: await registerUser(gateways.bamf, 'auditor', 'zabonly'),
  };
}, 180_000);

afterAll(async () => {
  zabProbe?.close();
  bamfProbe?.close();
  await gateways?.stop();
});

async function registeredCase(): Promise<string> {
  const caseId = newCaseId();
  await recorded(gateways.zab, zab.adapter.token, caseId, eventBody('CASE_REGISTERED', { facility: CODES.facility, registeredOn: '2026-01-05' }));
  return caseId;
}

describe('PUT /api/v1/cases/{caseId}/enforcement (zabEnforcement) on the live network', () => {
  it('through the ZAB gateway: committed VALID and endorsed by ZAB alone, signed by the ZAB user, no chaincode event, no timeline entry; both agencies’ auditors re-derive the receipt from their blocks as verified', async () => {
    const caseId = await registeredCase();
    const before = await timelineOf(gateways.zab, zab.caseworker.token, caseId);
    const mark = await markLedger(zabProbe);
    const res = await liveCall(gateways.zab.url, 'put', '/api/v1/cases/{caseId}/enforcement', { token: zab.caseworker.token, params: { caseId }, body: { kind: 'DEPORTATION', scheduledOn: '2027-01-15' } });
    expect(res.status).toBe(200);
    const committed = EnforcementResponseSchema.parse(res.body);
    expect(committed).toEqual({ txId: expect.stringMatching(/^[0-9a-f]{64}$/), blockNumber: expect.stringMatching(/^\d+$/), txIndex: expect.any(Number), validationCode: 'VALID', endorsers: ['ZabSachsenMSP'] });
    expect(BigInt(committed.blockNumber)).toBeGreaterThanOrEqual(mark.height);

    // the block itself, read from each agency's peer (BAMF's peer holds the transaction, with the private data only as a hash)
    for (const probe of [zabProbe, bamfProbe]) {
      const tx = await probe.find(committed.txId, mark.height);
      expect(tx).toMatchObject({ blockNumber: BigInt(committed.blockNumber), txIndex: committed.txIndex, validationCode: 'VALID', endorsers: ['ZabSachsenMSP'], creatorMspId: 'ZabSachsenMSP', creatorId: zab.caseworker.userId });
      expect(tx?.chaincodeEvent).toBeUndefined();
    }
    expect(await timelineOf(gateways.zab, zab.caseworker.token, caseId)).toEqual(before);

    // Each agency's auditor re-derives the receipt from its own peer's blocks (BAMF's holds the private write as a
    // hash only): a write only to zabEnforcement needs ZAB's endorsement alone (the collection's policy), so the
    // receipt verifies with no ENDORSEMENT_POLICY_UNMET although BAMF did not endorse it.
    for (const [gw, auditor] of [
      [gateways.zab, zab.auditor],
      [gateways.bamf, bamf.auditor],
    ] as const) {
      const derived = await liveCall(gw.url, 'get', '/api/v1/audit/receipts/{txId}', { token: auditor.token, params: { txId: committed.txId } });
      expect([gw.mspId, derived.status]).toEqual([gw.mspId, 200]);
      expect(DerivedReceiptSchema.parse(derived.body)).toEqual({ ...committed, creatorMspId: 'ZabSachsenMSP', verified: true, findings: [] });
    }
  });

  it('the ZAB adapter writes it too (both writer roles); a ZAB auditor is refused 403 FORBIDDEN_ROLE (gateway route roles), nothing written', async () => {
    const caseId = await registeredCase();
    const byAdapter = await liveCall(gateways.zab.url, 'put', '/api/v1/cases/{caseId}/enforcement', { token: zab.adapter.token, params: { caseId }, body: { kind: 'DUBLIN_TRANSFER', scheduledOn: '2027-02-01' } });
    expect([byAdapter.status, EnforcementResponseSchema.parse(byAdapter.body).endorsers]).toEqual([200, ['ZabSachsenMSP']]);
    const mark = await markLedger(zabProbe);
    const byAuditor = await liveCall(gateways.zab.url, 'put', '/api/v1/cases/{caseId}/enforcement', { token: zab.auditor.token, params: { caseId }, body: { kind: 'DEPORTATION', scheduledOn: '2027-01-15' } });
    expect(byAuditor).toMatchObject({ status: 403, body: { code: 'FORBIDDEN_ROLE' } });
    expect((await writtenSince(zabProbe, mark, everyone())).ours).toEqual([]);
  });

  it('the BAMF gateway refuses it: 403 FORBIDDEN_ROLE from the gateway’s ZAB-only route check (the chaincode’s own NOT_OWNER for BAMF runs in the CaseLedger contract suite); nothing written', async () => {
    const caseId = await registeredCase();
    const mark = await markLedger(bamfProbe);
    for (const user of [bamf.adapter, bamf.caseworker]) {
      const res = await liveCall(gateways.bamf.url, 'put', '/api/v1/cases/{caseId}/enforcement', { token: user.token, params: { caseId }, body: { kind: 'DEPORTATION', scheduledOn: '2027-01-15' } });
      expect(res).toMatchObject({ status: 403, body: { code: 'FORBIDDEN_ROLE' } });
    }
    expect((await writtenSince(bamfProbe, mark, everyone())).ours).toEqual([]);
  });
});

describe('POST /api/v1/cases/{caseId}/return-check on the live network', () => {
  /** A case whose inadmissible decision was served long ago: enforceable, every deadline passed. */
  async function enforceableCase(): Promise<string> {
    const caseId = await registeredCase();
    await recorded(gateways.bamf, bamf.adapter.token, caseId, eventBody('APPLICATION_FILED', { filedOn: '2026-01-07' }));
    await recorded(gateways.bamf, bamf.adapter.token, caseId, eventBody('DECISION_ISSUED', { outcome: 'INADMISSIBLE_OTHER', decidedOn: '2026-02-02' }));
    await recorded(gateways.bamf, bamf.adapter.token, caseId, eventBody('DECISION_SERVED', { servedOn: '2026-02-04' }));
    return caseId;
  }

  const check = (token: string, caseId: string, kind: string, gw = gateways.zab) => liveCall(gw.url, 'post', '/api/v1/cases/{caseId}/return-check', { token, params: { caseId }, body: { kind } });

  it('judges every return rule now and writes nothing: a deportation is not blocked, a Dublin transfer is (RET_KIND_MISMATCH); after an urgent application both are (RET_URGENT_APPLICATION); ledger height and timeline unchanged', async () => {
    const caseId = await enforceableCase();
    const timelineBefore = await timelineOf(gateways.zab, zab.caseworker.token, caseId);
    const mark = await markLedger(zabProbe);

    const deportation = ReturnCheckResponseSchema.parse((await check(zab.caseworker.token, caseId, 'DEPORTATION')).body);
    expect(deportation).toMatchObject({ caseId, kind: 'DEPORTATION', blocked: false });
    expect(deportation.warnings.filter((w) => w.severity === 'BLOCKING')).toEqual([]);
    const transfer = ReturnCheckResponseSchema.parse((await check(zab.adapter.token, caseId, 'DUBLIN_TRANSFER')).body);
    expect(transfer.blocked).toBe(true);
    expect(transfer.warnings.map((w) => w.code)).toContain('RET_KIND_MISMATCH');

    const written = await writtenSince(zabProbe, mark, everyone());
    expect(written.ours).toEqual([]);
    process.stdout.write(`return-check: ledger height ${mark.height} before, +${written.blocks} blocks after (blocks by other suites only)\n`);
    if (written.blocks === 0n) expect(await zabProbe.height()).toBe(mark.height);
    expect(await timelineOf(gateways.zab, zab.caseworker.token, caseId)).toEqual(timelineBefore);

    const urgent = await recorded(gateways.bamf, bamf.adapter.token, caseId, eventBody('URGENT_APPLICATION_FILED', { court: CODES.court, courtRef: newCourtRef(), filedOn: '2026-12-01' }));
    // the ZAB read model has the BAMF write once the return check sees it
    const after = await (async () => {
      const deadline = Date.now() + 15_000;
      for (;;) {
        const r = ReturnCheckResponseSchema.parse((await check(zab.caseworker.token, caseId, 'DEPORTATION')).body);
        if (r.blocked || Date.now() > deadline) return r;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    })();
    expect(after.blocked).toBe(true);
    const rule = after.warnings.find((w) => w.code === 'RET_URGENT_APPLICATION');
    expect(rule).toMatchObject({ severity: 'BLOCKING', anchors: expect.arrayContaining([urgent.receipt.txId]) });
  });

  it('is for ZAB only: the BAMF gateway refuses it with 403 FORBIDDEN_ROLE (gateway route check), as the ZAB gateway refuses an auditor; nothing written', async () => {
    const caseId = await registeredCase();
    const mark = await markLedger(bamfProbe);
    expect(await check(bamf.caseworker.token, caseId, 'DEPORTATION', gateways.bamf)).toMatchObject({ status: 403, body: { code: 'FORBIDDEN_ROLE' } });
    expect(await check(zab.auditor.token, caseId, 'DEPORTATION')).toMatchObject({ status: 403, body: { code: 'FORBIDDEN_ROLE' } });
    expect(await check(zab.caseworker.token, newCaseId(), 'DEPORTATION')).toMatchObject({ status: 404, body: { code: 'CASE_NOT_FOUND' } });
    expect((await writtenSince(bamfProbe, mark, everyone())).ours).toEqual([]);
  });
});
