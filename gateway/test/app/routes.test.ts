import { caseIdFor } from '@asl/chaincode/domain';
import request from 'supertest';
import { call, eventTypes, pluck } from '../support/client';
import { applicationBody, CASE_ID, COURT_REF, FAKE_PERSON, msgId, registerBody } from '../support/fixtures';
import { startGateway, TEST_KEYS, TestClock, type TestGateway } from '../support/harness';

const EVENTS = '/api/v1/cases/{caseId}/events';
const CASE = { caseId: CASE_ID };
const at = '2026-11-26T12:00:00+01:00';

describe('routes over the in-memory ledger', () => {
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

  const register = () => call(zab, 'post', EVENTS, { token: zab.token.adapter, params: CASE, body: registerBody() });

  it('case-ids: the newest key for a new case, an older key when the case exists under it', async () => {
    const fresh = await call(zab, 'post', '/api/v1/case-ids', { token: zab.token.adapter, body: { azrNumber: FAKE_PERSON.azrNumber } });
    expect(fresh.body).toEqual({ caseId: CASE_ID, keyVersion: 'k2', exists: false });
    const k1 = TEST_KEYS.find((k) => k.version === 'k1')!;
    const oldAzr = '1234 5678 9012';
    const oldCase = caseIdFor(k1.key, oldAzr);
    expect((await call(zab, 'post', EVENTS, { token: zab.token.adapter, params: { caseId: oldCase }, body: registerBody() })).status).toBe(201);
    const resolved = await call(bamf, 'post', '/api/v1/case-ids', { token: bamf.token.caseworker, body: { azrNumber: '1234.5678.9012' } });
    expect(resolved.body).toEqual({ caseId: oldCase, keyVersion: 'k1', exists: true });
  });

  it('court-refs: both agencies derive the same courtRef', async () => {
    const body = { court: 'VG-DRESDEN', fileNumber: FAKE_PERSON.courtFileNumber };
    const a = await call(zab, 'post', '/api/v1/court-refs', { token: zab.token.caseworker, body });
    const b = await call(bamf, 'post', '/api/v1/court-refs', { token: bamf.token.adapter, body: { court: 'VG-DRESDEN', fileNumber: FAKE_PERSON.courtFileNumber.toLowerCase() } });
    expect(a.body).toEqual({ courtRef: COURT_REF, keyVersion: 'k2' });
    expect(b.body).toEqual(a.body);
  });

  it('enforcement: ZAB writes it (no chaincode event, no timeline entry); BAMF is refused', async () => {
    await register();
    const before = zab.channel.entries().length;
    const res = await call(zab, 'put', '/api/v1/cases/{caseId}/enforcement', { token: zab.token.caseworker, params: CASE, body: { kind: 'DEPORTATION', scheduledOn: '2027-01-15' } });
    expect(res.status).toBe(200);
    expect(res.body.blockNumber).toMatch(/^\d+$/);
    expect(res.body).toMatchObject({ validationCode: 'VALID', endorsers: ['ZabSachsenMSP'] });
    expect(zab.channel.entries()).toHaveLength(before);
    const refused = await call(bamf, 'put', '/api/v1/cases/{caseId}/enforcement', { token: bamf.token.caseworker, params: CASE, body: { kind: 'DEPORTATION', scheduledOn: '2027-01-15' } });
    expect([refused.status, refused.body.code]).toEqual([403, 'FORBIDDEN_ROLE']);
  });

  it('return-check judges the rules now and writes nothing', async () => {
    await register();
    await call(bamf, 'post', EVENTS, { token: bamf.token.adapter, params: CASE, body: applicationBody() });
    const before = zab.channel.entries().length;
    const res = await call(zab, 'post', '/api/v1/cases/{caseId}/return-check', { token: zab.token.adapter, params: CASE, body: { kind: 'DEPORTATION' } });
    expect(res.status).toBe(200);
    expect(res.body.blocked).toBe(true);
    expect(pluck(res.body.warnings, 'code')).toEqual(expect.arrayContaining(['RET_PROCEDURE_PENDING', 'RET_KIND_MISMATCH']));
    expect(zab.channel.entries()).toHaveLength(before);
  });

  it('details: both agencies’ records, access-logged with field names only; erased after a purge', async () => {
    await register();
    await call(bamf, 'post', EVENTS, { token: bamf.token.adapter, params: CASE, body: applicationBody() });
    const res = await call(bamf, 'get', '/api/v1/cases/{caseId}/details', { token: bamf.token.caseworker, params: CASE });
    expect(res.status).toBe(200);
    expect((res.body.records as { agency: string; state: string }[]).map((r) => [r.agency, r.state])).toEqual([['BamfMSP', 'present'], ['ZabSachsenMSP', 'present']]);
    expect(JSON.stringify(res.body)).not.toContain('salt');
    const log = await call(bamf, 'get', '/api/v1/audit/access-log', { token: bamf.token.auditor, query: { caseId: CASE_ID } });
    expect(log.body.chainIntact).toBe(true);
    const detailsRead = (log.body.items as { resource: string; fields: string[] }[]).find((i) => i.resource === 'details');
    expect(detailsRead).toMatchObject({ userId: 'bamf-caseworker-0001', role: 'caseworker', caseId: CASE_ID });
    expect(detailsRead?.fields).toEqual(expect.arrayContaining(['BamfMSP.bamfFileNumber', 'ZabSachsenMSP.familyName']));
    expect(JSON.stringify(log.body)).not.toContain(FAKE_PERSON.familyName);

    const purge = await call(zab, 'post', '/api/v1/admin/cases/{caseId}/purge', { token: zab.token.admin, params: CASE, body: { collection: 'caseDetails', sourceMessageId: msgId('purge'), occurredAt: at } });
    expect(purge.status).toBe(201);
    expect(purge.body.event.type).toBe('PERSONAL_DATA_PURGED');
    const after = await call(zab, 'get', '/api/v1/cases/{caseId}/details', { token: zab.token.adapter, params: CASE });
    expect(pluck(after.body.records, 'state')).toEqual(['erased', 'erased']);
    const tl = await call(zab, 'get', '/api/v1/cases/{caseId}/timeline', { token: zab.token.auditor, params: CASE });
    expect(eventTypes(tl.body.items)).toEqual(['CASE_REGISTERED', 'APPLICATION_FILED', 'PERSONAL_DATA_PURGED']);
  });

  it('list with filters and cursor, warnings, actions, stats, export', async () => {
    await register();
    const second = caseIdFor(TEST_KEYS[0]!.key, '5555 6666 7777');
    await call(zab, 'post', EVENTS, { token: zab.token.adapter, params: { caseId: second }, body: registerBody() });
    await call(bamf, 'post', EVENTS, { token: bamf.token.adapter, params: CASE, body: applicationBody() });

    const all = await call(zab, 'get', '/api/v1/cases', { token: zab.token.caseworker, query: { limit: '1' } });
    expect(all.body.items).toHaveLength(1);
    const rest = await call(zab, 'get', '/api/v1/cases', { token: zab.token.caseworker, query: { limit: '1', cursor: all.body.cursor } });
    expect(rest.body.items).toHaveLength(1);
    expect(rest.body.cursor).toBeUndefined();
    expect(new Set([all.body.items[0].caseId, rest.body.items[0].caseId])).toEqual(new Set([CASE_ID, second]));
    const procedure = await call(zab, 'get', '/api/v1/cases', { token: zab.token.auditor, query: { phase: 'PROCEDURE' } });
    expect(pluck(procedure.body.items, 'caseId')).toEqual([CASE_ID]);
    const take = await call(bamf, 'get', '/api/v1/cases', { token: bamf.token.caseworker, query: { action: 'TAKE_APPLICATION' } });
    expect(pluck(take.body.items, 'caseId')).toEqual([second]);

    const actions = await call(bamf, 'get', '/api/v1/actions', { token: bamf.token.adapter });
    expect(pluck(actions.body.items, 'agency').every((a) => a === 'BamfMSP')).toBe(true);
    expect(pluck(actions.body.items, 'code').map(String).sort()).toEqual(['SCHEDULE_HEARING', 'TAKE_APPLICATION']);

    await call(zab, 'post', EVENTS, { token: zab.token.adapter, params: CASE, body: { type: 'RETURN_SCHEDULED', occurredAt: at, sourceMessageId: msgId(), data: { kind: 'DEPORTATION' } } });
    const warnings = await call(zab, 'get', '/api/v1/warnings', { token: zab.token.caseworker, query: { severity: 'BLOCKING', acknowledged: 'false' } });
    expect(pluck(warnings.body.items, 'code')).toEqual(expect.arrayContaining(['RET_PROCEDURE_PENDING']));

    const stats = await call(zab, 'get', '/api/v1/stats', { token: zab.token.auditor, query: { from: '2026-01-01', to: '2026-12-31' } });
    expect(stats.body).toMatchObject({ cases: 2, perPhase: { INTAKE: 1 } });
    expect(stats.body.throughputDays.registrationToApplication).toEqual({ count: 1, medianDays: 1, unit: 'calendarDays' });
    expect(stats.body.throughputDays.protectionToAllocation).toEqual({ count: 0, medianDays: null, unit: 'workingDays', target: 3 });
    expect(JSON.stringify(stats.body)).not.toContain(CASE_ID);

    const exported = await call(zab, 'get', '/api/v1/cases/{caseId}/export', { token: zab.token.auditor, params: CASE });
    expect(exported.body.timeline).toHaveLength(3);
    expect(exported.body.proofs.receipts).toHaveLength(3);
  });

  it('import (admin) creates the case as imported; a replay answers 200', async () => {
    const body = { sourceMessageId: 'import-1', occurredAt: at, facts: [{ type: 'CASE_REGISTERED', data: { facility: 'AE-DD-TEST', registeredOn: '2026-01-05' } }], caseDetails: { familyName: FAKE_PERSON.familyName } };
    const res = await call(zab, 'post', '/api/v1/admin/cases/{caseId}/import', { token: zab.token.admin, params: CASE, body });
    expect(res.status).toBe(201);
    expect(res.body.event.type).toBe('CASE_IMPORTED');
    const again = await call(zab, 'post', '/api/v1/admin/cases/{caseId}/import', { token: zab.token.admin, params: CASE, body });
    expect(again.status).toBe(200);
    const view = await call(zab, 'get', '/api/v1/cases/{caseId}', { token: zab.token.caseworker, params: CASE });
    expect(view.body.flags.imported).toBe(true);
  });

  it('session: sign in sets an httpOnly SameSite=Strict cookie that stands for the token; sign out clears it', async () => {
    const agent = request.agent(zab.app);
    const signIn = await agent.post('/api/v1/session').send({ token: zab.token.caseworker });
    expect(signIn.status).toBe(200);
    const cookie = String(signIn.headers['set-cookie']);
    expect(cookie).toMatch(/^asl_session=/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(signIn.body).toMatchObject({ userId: 'zab-caseworker-0001', role: 'caseworker' });
    expect((await agent.get('/api/v1/actions')).status).toBe(200);
    const out = await agent.delete('/api/v1/session');
    expect(out.status).toBe(204);
    expect(String(out.headers['set-cookie'])).toMatch(/Max-Age=0/);
    expect((await agent.get('/api/v1/actions')).status).toBe(401);
    const bad = await call(zab, 'post', '/api/v1/session', { body: { token: 'asl_' + 'y'.repeat(43) } });
    expect([bad.status, bad.body.code]).toEqual([401, 'UNAUTHENTICATED']);
  });

  it('admin users: register and enrol with role, token once, new token, revoke token, revoke user (tokens + certificate)', async () => {
    const created = await call(zab, 'post', '/api/v1/admin/users', { token: zab.token.admin, body: { userId: 'zab-cw-0042', role: 'caseworker' } });
    expect(created.status).toBe(201);
    expect(created.body.token).toMatch(/^asl_/);
    expect(zab.identities.registered).toContainEqual({ enrollmentId: 'zab-cw-0042', role: 'caseworker' });
    const sealed = await zab.users.signingIdentity('zab-cw-0042');
    expect(sealed.privateKeyPem).toMatch(/BEGIN PRIVATE KEY/);
    const dup = await call(zab, 'post', '/api/v1/admin/users', { token: zab.token.admin, body: { userId: 'zab-cw-0042', role: 'caseworker' } });
    expect([dup.status, dup.body.code]).toEqual([400, 'INVALID_INPUT']);

    const second = await call(zab, 'post', '/api/v1/admin/users/{userId}/tokens', { token: zab.token.admin, params: { userId: 'zab-cw-0042' } });
    expect(second.status).toBe(201);
    expect((await call(zab, 'get', '/api/v1/actions', { token: second.body.token })).status).toBe(200);
    const revokeOne = await call(zab, 'delete', '/api/v1/admin/users/{userId}/tokens/{tokenId}', { token: zab.token.admin, params: { userId: 'zab-cw-0042', tokenId: second.body.tokenId } });
    expect(revokeOne.status).toBe(204);
    expect((await call(zab, 'get', '/api/v1/actions', { token: second.body.token })).status).toBe(401);
    expect((await call(zab, 'get', '/api/v1/actions', { token: created.body.token })).status).toBe(200);

    const revoked = await call(zab, 'delete', '/api/v1/admin/users/{userId}', { token: zab.token.admin, params: { userId: 'zab-cw-0042' } });
    expect(revoked.body).toEqual({ userId: 'zab-cw-0042', revokedTokens: 1, certificateRevoked: true });
    expect(zab.identities.revoked).toEqual(['zab-cw-0042']);
    expect((await call(zab, 'get', '/api/v1/actions', { token: created.body.token })).status).toBe(401);
    const noMore = await call(zab, 'post', '/api/v1/admin/users/{userId}/tokens', { token: zab.token.admin, params: { userId: 'zab-cw-0042' } });
    expect(noMore.status).toBe(400);
  });

  it('healthz, readyz (peer and lag), metrics', async () => {
    await register();
    expect((await call(zab, 'get', '/healthz')).body).toEqual({ status: 'ok' });
    const ready = await call(zab, 'get', '/readyz');
    expect(ready.status).toBe(200);
    zab.channel.injectFault('unavailable');
    const notReady = await call(zab, 'get', '/readyz');
    expect(notReady.status).toBe(503);
    expect(notReady.body.checks.peer.ok).toBe(false);
    const metrics = await request(zab.app).get('/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.text).toMatch(/asl_http_request_duration_seconds_bucket\{method="POST",route="\/api\/v1\/cases\/\{caseId\}\/events",le="0.005"\}/);
    expect(metrics.text).toMatch(/asl_ledger_submits_total\{outcome="committed"\} 1/);
    expect(metrics.text).not.toContain(CASE_ID);
  });

  it('security headers, no CORS, no x-powered-by', async () => {
    const res = await request(zab.app).get('/healthz').set('origin', 'https://evil.example');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    expect(res.headers['x-powered-by']).toBeUndefined();
  });
});
