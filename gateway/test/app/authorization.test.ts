import { ROUTES, type RouteSpec } from '../../src/api/routes';
import { call } from '../support/client';
import { startGateway, TestClock, type TestGateway } from '../support/harness';
import { ALL_ROLES, proposePendingFacility, registration, sampleRequest } from '../support/samples';

type Spec = RouteSpec & { operationId: (typeof ROUTES)[number]['operationId'] };
const protectedRoutes = (ROUTES as readonly Spec[]).filter((r) => typeof r.access === 'object');

describe.each(['ZabSachsenMSP', 'BamfMSP'] as const)('authorisation matrix at the %s gateway', (mspId) => {
  let gw: TestGateway;
  beforeAll(async () => {
    const clock = new TestClock();
    const zab = await startGateway({ mspId: 'ZabSachsenMSP', clock });
    await call(zab, 'post', '/api/v1/cases/{caseId}/events', { token: zab.token.adapter, ...registration() });
    zab.stop();
    gw = await startGateway({ mspId, clock, channel: zab.channel });
    await proposePendingFacility(zab.channel, mspId);
  });
  afterAll(() => gw.stop());

  for (const spec of protectedRoutes) {
    const access = spec.access as { roles: readonly string[]; zabOnly?: boolean };
    for (const role of ALL_ROLES) {
      const permitted = access.roles.includes(role) && (access.zabOnly !== true || mspId === 'ZabSachsenMSP');
      it(`${spec.method.toUpperCase()} ${spec.path} as ${role}: ${permitted ? 'allowed' : '403 FORBIDDEN_ROLE'}`, async () => {
        if (spec.operationId === 'streamEvents') return; // streamed; its denial is checked in sse.test.ts
        const target = await gw.users.create(`t-${role}-${spec.operationId.toLowerCase()}`, 'caseworker');
        const extra = { userId: target.userId, tokenId: target.tokenId };
        const res = await call(gw, spec.method, spec.path, { token: gw.token[role], ...sampleRequest(spec.operationId, mspId, extra) });
        if (permitted) {
          expect(res.status).toBeGreaterThanOrEqual(200);
          expect(res.status).toBeLessThan(300);
        } else {
          expect(res.status).toBe(403);
          expect(res.body.code).toBe('FORBIDDEN_ROLE');
        }
      });
    }
    it(`${spec.method.toUpperCase()} ${spec.path} without, with a bad, an expired and a revoked token: 401`, async () => {
      const req = sampleRequest(spec.operationId, mspId);
      const none = await call(gw, spec.method, spec.path, req);
      const bad = await call(gw, spec.method, spec.path, { ...req, token: 'asl_' + 'x'.repeat(43) });
      const malformed = await call(gw, spec.method, spec.path, { ...req, headers: { authorization: 'Basic abc' } });
      const person = await gw.users.create(`exp-${spec.operationId.toLowerCase()}`, 'caseworker');
      const record = await gw.tokenStore.getById(person.tokenId);
      await gw.tokenStore.put({ ...record!, expiresAt: new Date(gw.clock.now().getTime() - 1).toISOString() });
      const revokedUser = await gw.users.create(`rev-${spec.operationId.toLowerCase()}`, 'admin');
      await gw.users.revokeToken(revokedUser.userId, revokedUser.tokenId);
      const revoked = await call(gw, spec.method, spec.path, { ...req, token: revokedUser.token });
      const expired = await call(gw, spec.method, spec.path, { ...req, token: person.token });
      for (const res of [none, bad, malformed, revoked, expired]) {
        expect(res.status).toBe(401);
        expect(res.body.code).toBe('UNAUTHENTICATED');
      }
    });
  }
});
