import { applicationBody, CASE_ID, msgId, registerBody } from '../support/fixtures';
import { call } from '../support/client';
import { startGateway, TestClock, type TestGateway } from '../support/harness';

function types(body: unknown): string[] {
  return (body as { items: { event: { type: string } }[] }).items.map((i) => i.event.type);
}

describe('a case written through both gateways (in-memory ledger)', () => {
  let zab: TestGateway;
  let bamf: TestGateway;

  beforeEach(async () => {
    const clock = new TestClock();
    zab = await startGateway({ mspId: 'ZabSachsenMSP', clock });
    bamf = await startGateway({ mspId: 'BamfMSP', clock, channel: zab.channel });
  });
  afterEach(() => {
    zab.stop();
    bamf.stop();
  });

  it('records, reads back from both sides, and answers a replay with the original receipt', async () => {
    const reg = registerBody();
    // the blocks before are the value-list seeding's (version 1 of every list, proposed and approved)
    const first = Number(zab.channel.height());
    const created = await call(zab, 'post', '/api/v1/cases/{caseId}/events', { token: zab.token.adapter, params: { caseId: CASE_ID }, body: reg });
    expect(created.status).toBe(201);
    expect(created.body.receipt).toMatchObject({ blockNumber: String(first), txIndex: 0, validationCode: 'VALID', endorsers: ['BamfMSP', 'ZabSachsenMSP'] });
    expect(created.body.receipt.writer).toEqual({ mspId: 'ZabSachsenMSP', enrollmentId: 'zab-adapter-0001', role: 'adapter' });
    expect(created.body.event).toMatchObject({ caseId: CASE_ID, type: 'CASE_REGISTERED' });

    const replay = await call(zab, 'post', '/api/v1/cases/{caseId}/events', { token: zab.token.caseworker, params: { caseId: CASE_ID }, body: reg });
    expect(replay.status).toBe(200);
    expect(replay.body.receipt).toEqual(created.body.receipt);

    const filed = await call(bamf, 'post', '/api/v1/cases/{caseId}/events', { token: bamf.token.caseworker, params: { caseId: CASE_ID }, body: applicationBody() });
    expect(filed.status).toBe(201);
    expect(filed.body.receipt.blockNumber).toBe(String(first + 1));

    const fromZab = await call(zab, 'get', '/api/v1/cases/{caseId}', { token: zab.token.auditor, params: { caseId: CASE_ID } });
    const fromBamf = await call(bamf, 'get', '/api/v1/cases/{caseId}', { token: bamf.token.caseworker, params: { caseId: CASE_ID } });
    expect(fromZab.status).toBe(200);
    expect(fromZab.body).toMatchObject({ caseId: CASE_ID, phase: 'PROCEDURE', ledgerHeight: String(first + 2), projectionHeight: String(first + 2), evaluatedAt: '2026-11-26T08:00:00.000Z' });
    expect(fromZab.body.flags.procedurePending).toBe(true);
    expect(fromZab.body.actions).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'SCHEDULE_HEARING', agency: 'BamfMSP' })]));
    expect({ ...fromBamf.body, evaluatedAt: null }).toEqual({ ...fromZab.body, evaluatedAt: null });

    const tlZab = await call(zab, 'get', '/api/v1/cases/{caseId}/timeline', { token: zab.token.adapter, params: { caseId: CASE_ID } });
    const tlBamf = await call(bamf, 'get', '/api/v1/cases/{caseId}/timeline', { token: bamf.token.adapter, params: { caseId: CASE_ID } });
    expect(types(tlZab.body)).toEqual(['CASE_REGISTERED', 'APPLICATION_FILED']);
    expect(tlBamf.body.items).toEqual(tlZab.body.items);
    expect(tlZab.body.items[1].actor).toEqual({ mspId: 'BamfMSP', enrollmentId: 'bamf-caseworker-0001', role: 'caseworker' });

    const consistent = await call(zab, 'get', '/api/v1/cases/{caseId}', { token: zab.token.caseworker, params: { caseId: CASE_ID }, query: { consistent: 'true' } });
    expect(consistent.body.phase).toBe('PROCEDURE');
  });

  it('pages a timeline with a cursor', async () => {
    await call(zab, 'post', '/api/v1/cases/{caseId}/events', { token: zab.token.adapter, params: { caseId: CASE_ID }, body: registerBody() });
    await call(bamf, 'post', '/api/v1/cases/{caseId}/events', { token: bamf.token.adapter, params: { caseId: CASE_ID }, body: applicationBody() });
    await call(bamf, 'post', '/api/v1/cases/{caseId}/events', {
      token: bamf.token.adapter,
      params: { caseId: CASE_ID },
      body: { type: 'HEARING_SCHEDULED', occurredAt: '2026-11-26T11:00:00+01:00', sourceMessageId: msgId(), data: { hearingOn: '2026-12-03' } },
    });
    const first = await call(zab, 'get', '/api/v1/cases/{caseId}/timeline', { token: zab.token.adapter, params: { caseId: CASE_ID }, query: { limit: '2' } });
    expect(first.body.items).toHaveLength(2);
    expect(first.body.cursor).toBeDefined();
    const second = await call(zab, 'get', '/api/v1/cases/{caseId}/timeline', { token: zab.token.adapter, params: { caseId: CASE_ID }, query: { limit: '2', cursor: first.body.cursor } });
    expect(types(second.body)).toEqual(['HEARING_SCHEDULED']);
    expect(second.body.cursor).toBeUndefined();
  });
});
