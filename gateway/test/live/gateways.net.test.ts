/**
 * A gateway per agency on the live network (ASL_TEST_KIND=net; `npm run network:up` first): both gateways run as
 * server processes with `ledger.kind: fabric` (test/support/live-gateways.ts), users are registered in the agencies'
 * real Fabric CAs through the admin API, and a case is written by ZAB and BAMF through their own gateways. Nothing
 * is mocked. Every case, user and sourceMessageId is new per run, so the suite can share the network with others.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { certAttributes } from '../../../network/src/x509';
import { CaseIdResponseSchema, DerivedReceiptSchema, HealthResponseSchema, IssuedTokenSchema, TimelineResponseSchema, WriteResponseSchema } from '../../src/api/schemas';
import { certificatesInCa, registrarCa } from '../support/live-agency';
import { liveCall, type LiveResponse } from '../support/live-client';
import { eventually, recorded } from '../support/live-fixtures';
import { startLiveGateways, type LiveGateway, type LiveGateways } from '../support/live-gateways';

const run = randomBytes(3).toString('hex');
const msgId = (what: string): string => `live-${what}-${randomUUID()}`;
/** An obviously fake AZR number, new per run. */
const azrNumber = `9999${String(randomBytes(4).readUInt32BE() % 100_000_000).padStart(8, '0')}`;

type Agency = 'bamf' | 'zab';
type UserRole = 'adapter' | 'caseworker' | 'auditor';

describe('a gateway per agency on the live network', () => {
  let gateways: LiveGateways;
  /** Tokens of the users the admins register below, by agency and role. */
  const issued = new Map<string, string>();
  const token = (agency: Agency, role: UserRole): string => {
    const t = issued.get(`${agency}/${role}`);
    if (t === undefined) throw new Error(`no ${agency} ${role} was registered (see the registration tests above)`);
    return t;
  };

  beforeAll(async () => {
    gateways = await startLiveGateways();
  }, 180_000);
  afterAll(async () => {
    await gateways?.stop();
  });

  it('both gateways are ready: the peer answers and the read model has caught up with the ledger', async () => {
    for (const gw of [gateways.bamf, gateways.zab]) {
      const ready = await liveCall(gw.url, 'get', '/readyz');
      expect(ready.status).toBe(200);
      expect(HealthResponseSchema.parse(ready.body)).toEqual({ status: 'ok', checks: { peer: { ok: true }, readModel: { ok: true, detail: expect.stringMatching(/^\d+ blocks behind$/) } } });
    }
    expect(gateways.bamf.mspId).toBe('BamfMSP');
    expect(gateways.zab.mspId).toBe('ZabSachsenMSP');
  });

  it.each([
    ['bamf', 'adapter'],
    ['bamf', 'caseworker'],
    ['bamf', 'auditor'],
    ['zab', 'adapter'],
    ['zab', 'caseworker'],
    ['zab', 'auditor'],
  ] as const)('the %s admin registers a user with role %s in the agency’s Fabric CA; the certificate the CA issued carries the role attribute', async (agency: Agency, role: UserRole) => {
    const gw = gateways[agency];
    const userId = `${agency}-live-${role}-${run}`;
    const created = await liveCall(gw.url, 'post', '/api/v1/admin/users', { token: gw.adminToken, body: { userId, role } });
    expect(created.status).toBe(201);
    const user = IssuedTokenSchema.parse(created.body);
    expect(user).toMatchObject({ userId, role, token: expect.stringMatching(/^asl_/) });
    issued.set(`${agency}/${role}`, user.token);

    const certs = (await certificatesInCa(registrarCa(agency), userId)).map((c) => c.toString());
    expect(certs).toHaveLength(1);
    expect(certAttributes(certs[0]!)).toMatchObject({ role, 'hf.EnrollmentID': userId });
  });

  it('ZAB registers a case and BAMF files the application through their own gateways: 201 with receipts from the committed block, endorsed by both; a repeated sourceMessageId answers 200 with the original receipt; both gateways show the same timeline', async () => {
    const { bamf, zab } = gateways;
    // the shared pseudonym key: the same AZR number names the same case at both agencies
    const zabId = await liveCall(zab.url, 'post', '/api/v1/case-ids', { token: token('zab', 'adapter'), body: { azrNumber } });
    const bamfId = await liveCall(bamf.url, 'post', '/api/v1/case-ids', { token: token('bamf', 'adapter'), body: { azrNumber } });
    expect(zabId.status).toBe(200);
    expect(bamfId.body).toEqual(zabId.body);
    const { caseId, exists } = CaseIdResponseSchema.parse(zabId.body);
    expect(exists).toBe(false);

    const registration = {
      type: 'CASE_REGISTERED',
      occurredAt: '2026-11-26T09:00:00+01:00',
      sourceMessageId: msgId('reg'),
      data: { facility: 'AE-DD-TEST', registeredOn: '2026-11-25' },
      caseDetails: { familyName: 'Mustermann-Testperson', givenNames: 'Erika Fixture', dateOfBirth: '1990-01-01', azrNumber },
    };
    const registered = await recorded(zab, token('zab', 'adapter'), caseId, registration);
    const application = { type: 'APPLICATION_FILED', occurredAt: '2026-11-26T10:00:00+01:00', sourceMessageId: msgId('app'), data: { filedOn: '2026-11-26' } };
    const filed = await recorded(bamf, token('bamf', 'adapter'), caseId, application);

    for (const [write, agency, mspId] of [
      [registered, 'zab', 'ZabSachsenMSP'],
      [filed, 'bamf', 'BamfMSP'],
    ] as const) {
      expect(write.receipt).toEqual({
        txId: expect.stringMatching(/^[0-9a-f]{64}$/),
        blockNumber: expect.stringMatching(/^\d+$/),
        txIndex: expect.any(Number),
        validationCode: 'VALID',
        endorsers: ['BamfMSP', 'ZabSachsenMSP'],
        writer: { mspId, role: 'adapter', enrollmentId: `${agency}-live-adapter-${run}` },
        recordedAt: write.event.recordedAt,
        ruleVersion: write.event.ruleVersion,
      });
      // the actor's role is the attribute the chaincode read from the user's own certificate
      expect(write.event.actor).toEqual(write.receipt.writer);
      expect(write.event.txId).toBe(write.receipt.txId);
    }
    expect(BigInt(filed.receipt.blockNumber)).toBeGreaterThan(BigInt(registered.receipt.blockNumber));

    // each agency's auditor re-derives both receipts from its own peer's copy of the blocks
    for (const [gw, auditor] of [
      [bamf, token('bamf', 'auditor')],
      [zab, token('zab', 'auditor')],
    ] as const) {
      for (const write of [registered, filed]) {
        const derived = await liveCall(gw.url, 'get', '/api/v1/audit/receipts/{txId}', { token: auditor, params: { txId: write.receipt.txId } });
        expect(derived.status).toBe(200);
        expect(DerivedReceiptSchema.parse(derived.body)).toEqual({
          txId: write.receipt.txId,
          blockNumber: write.receipt.blockNumber,
          txIndex: write.receipt.txIndex,
          validationCode: 'VALID',
          endorsers: ['BamfMSP', 'ZabSachsenMSP'],
          creatorMspId: write.receipt.writer.mspId,
          verified: true,
          findings: [],
        });
      }
    }

    const again = await liveCall(bamf.url, 'post', '/api/v1/cases/{caseId}/events', { token: token('bamf', 'adapter'), params: { caseId }, body: application });
    expect(again.status).toBe(200);
    const original = WriteResponseSchema.parse(again.body);
    expect(original.receipt).toEqual(filed.receipt);
    expect(original.event).toEqual(filed.event);

    const timeline = (gw: LiveGateway, t: string) => () => liveCall(gw.url, 'get', '/api/v1/cases/{caseId}/timeline', { token: t, params: { caseId } });
    const complete = (r: LiveResponse): boolean => r.status === 200 && TimelineResponseSchema.parse(r.body).items.length === 2;
    const atZab = await eventually(timeline(zab, token('zab', 'caseworker')), complete);
    const atBamf = await eventually(timeline(bamf, token('bamf', 'caseworker')), complete);
    expect(atZab.status).toBe(200);
    const items = TimelineResponseSchema.parse(atZab.body).items;
    expect(items.map((i) => i.event.type)).toEqual(['CASE_REGISTERED', 'APPLICATION_FILED']);
    expect(items.map((i) => i.receipt)).toEqual([registered.receipt, filed.receipt]);
    expect(atBamf.body).toEqual(atZab.body);

    const known = await liveCall(bamf.url, 'post', '/api/v1/case-ids', { token: token('bamf', 'caseworker'), body: { azrNumber } });
    expect(CaseIdResponseSchema.parse(known.body)).toEqual({ caseId, keyVersion: 'k1', exists: true });
    // no identifying data in either gateway's log
    for (const gw of [bamf, zab]) {
      expect(gw.log()).not.toContain(azrNumber);
      expect(gw.log()).not.toContain('Mustermann-Testperson');
    }
  }, 120_000);
});
