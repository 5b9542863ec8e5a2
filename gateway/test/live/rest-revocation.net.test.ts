/**
 * Live (ASL_TEST_KIND=net): revocation on both real gateways, their real Fabric CAs and the real peers. A revoked
 * token and a revoked user (all tokens plus the certificate, revoked in the CA) are refused with 401
 * UNAUTHENTICATED and write nothing; a certificate revoked in the CA behind the gateway's back — its token still
 * valid at the gateway — must not write either: the gateway asks the CA before it signs a write. The peers enforce
 * revocation once the CA's CRL is in the channel MSP (`network/src/cli.ts publish-crl <org>`): the last test signs
 * at the peer directly with a revoked certificate.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes, X509Certificate } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { identityFor } from '@asl/network/connection';
import { EventInputSchema } from '@asl/chaincode/domain';
import { common, msp } from '@hyperledger/fabric-protos';
import { IssuedTokenSchema, RevokedResponseSchema } from '../../src/api/schemas';
import { FabricCaseLedger } from '../../src/fabric/fabric-ledger';
import type { FabricCaIdentityService } from '../../src/identity/ca-identity';
import { agencyPeer, certificatesInCa, registrarCa } from '../support/live-agency';
import { liveCall } from '../support/live-client';
import { CODES, eventBody, newCaseId, recorded, registerUser, timelineOf, type LiveUser } from '../support/live-fixtures';
import { startLiveGateways, type LiveGateways } from '../support/live-gateways';
import { LedgerProbe } from '../support/ledger-probe';
import { markLedger, writtenSince } from '../support/live-ledger-checks';

jest.setTimeout(120_000);

let gateways: LiveGateways;
let probe: LedgerProbe;
let zabAdapter: LiveUser;
let reader: LiveUser;
const scratch = mkdtempSync(join(tmpdir(), 'asl-revocation-'));

/** Serial numbers (upper-case hex, no leading zeros) on the CA's current CRL, read with openssl. */
async function crlSerials(ca: FabricCaIdentityService): Promise<string[]> {
  const crl = Buffer.from(String(await ca.client.generateCRL({}, await ca.registrar())), 'base64').toString('utf8');
  const file = join(scratch, 'crl.pem');
  writeFileSync(file, crl);
  const text = execFileSync('openssl', ['crl', '-in', file, '-noout', '-text'], { encoding: 'utf8' });
  return [...text.matchAll(/Serial Number: ([0-9A-F]+)/g)].map((m) => (m[1] ?? '').replace(/^0+/, ''));
}
const serialOf = (cert: X509Certificate): string => cert.serialNumber.toUpperCase().replace(/^0+/, '');

beforeAll(async () => {
  gateways = await startLiveGateways();
  probe = LedgerProbe.open('zab');
  zabAdapter = await registerUser(gateways.zab, 'adapter', 'revoke');
  reader = await registerUser(gateways.zab, 'caseworker', 'revoke');
}, 180_000);

afterAll(async () => {
  probe?.close();
  await gateways?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

async function registeredCase(): Promise<string> {
  const caseId = newCaseId();
  await recorded(gateways.zab, zabAdapter.token, caseId, eventBody('CASE_REGISTERED', { facility: CODES.facility, registeredOn: '2026-01-05' }));
  return caseId;
}

const writeAs = (token: string, caseId: string) =>
  liveCall(gateways.zab.url, 'post', '/api/v1/cases/{caseId}/events', { token, params: { caseId }, body: eventBody('RECEPTION_ASSIGNED', { facility: CODES.facility }) });
const readAs = (token: string, caseId: string) => liveCall(gateways.zab.url, 'get', '/api/v1/cases/{caseId}', { token, params: { caseId } });

describe('revocation on the live gateways, CAs and peers', () => {
  it('a revoked token (DELETE …/tokens/{tokenId}) is refused 401 UNAUTHENTICATED for reads and writes, and writes nothing; the user’s other token still works', async () => {
    const caseId = await registeredCase();
    const user = await registerUser(gateways.zab, 'adapter', 'token');
    const second = IssuedTokenSchema.parse((await liveCall(gateways.zab.url, 'post', '/api/v1/admin/users/{userId}/tokens', { token: gateways.zab.adminToken, params: { userId: user.userId } })).body);
    expect((await writeAs(user.token, caseId)).status).toBe(201);

    const revoked = await liveCall(gateways.zab.url, 'delete', '/api/v1/admin/users/{userId}/tokens/{tokenId}', { token: gateways.zab.adminToken, params: { userId: user.userId, tokenId: user.tokenId } });
    expect(revoked.status).toBe(204);
    const before = await timelineOf(gateways.zab, reader.token, caseId);
    const mark = await markLedger(probe);
    expect(await writeAs(user.token, caseId)).toMatchObject({ status: 401, body: { code: 'UNAUTHENTICATED' } });
    expect(await readAs(user.token, caseId)).toMatchObject({ status: 401, body: { code: 'UNAUTHENTICATED' } });
    expect((await writtenSince(probe, mark, [user.userId])).ours).toEqual([]);
    expect(await timelineOf(gateways.zab, reader.token, caseId)).toEqual(before);
    expect((await writeAs(second.token, caseId)).status).toBe(201);
  });

  it('a revoked user (DELETE /admin/users/{userId}): every token refused 401 UNAUTHENTICATED, the certificate revoked in the real CA (on its CRL), nothing written', async () => {
    const caseId = await registeredCase();
    const user = await registerUser(gateways.zab, 'caseworker', 'user');
    const second = IssuedTokenSchema.parse((await liveCall(gateways.zab.url, 'post', '/api/v1/admin/users/{userId}/tokens', { token: gateways.zab.adminToken, params: { userId: user.userId } })).body);
    expect((await writeAs(user.token, caseId)).status).toBe(201);
    const ca = registrarCa('zab');
    const [cert] = await certificatesInCa(ca, user.userId);
    expect(cert).toBeDefined();
    expect(await crlSerials(ca)).not.toContain(serialOf(cert!));

    const revoked = await liveCall(gateways.zab.url, 'delete', '/api/v1/admin/users/{userId}', { token: gateways.zab.adminToken, params: { userId: user.userId } });
    expect(revoked.status).toBe(200);
    expect(RevokedResponseSchema.parse(revoked.body)).toEqual({ userId: user.userId, revokedTokens: 2, certificateRevoked: true });
    expect(await crlSerials(ca)).toContain(serialOf(cert!));

    const before = await timelineOf(gateways.zab, reader.token, caseId);
    const mark = await markLedger(probe);
    for (const token of [user.token, second.token]) {
      expect(await writeAs(token, caseId)).toMatchObject({ status: 401, body: { code: 'UNAUTHENTICATED' } });
      expect(await readAs(token, caseId)).toMatchObject({ status: 401, body: { code: 'UNAUTHENTICATED' } });
    }
    // a new token cannot be issued for a revoked user either
    expect((await liveCall(gateways.zab.url, 'post', '/api/v1/admin/users/{userId}/tokens', { token: gateways.zab.adminToken, params: { userId: user.userId } })).status).toBe(400);
    expect((await writtenSince(probe, mark, [user.userId])).ours).toEqual([]);
    expect(await timelineOf(gateways.zab, reader.token, caseId)).toEqual(before);
  });

  it('a certificate revoked in the CA behind the gateway’s back (its token still valid at the gateway) cannot write: the gateway asks the CA before signing and answers 401 UNAUTHENTICATED (CERTIFICATE_REVOKED); nothing of that certificate is committed; its tokens are dead afterwards', async () => {
    const caseId = await registeredCase();
    const user = await registerUser(gateways.zab, 'adapter', 'certonly');
    expect((await writeAs(user.token, caseId)).status).toBe(201);
    const ca = registrarCa('zab');
    const [cert] = await certificatesInCa(ca, user.userId);
    await ca.revoke(user.userId);
    expect(await crlSerials(ca)).toContain(serialOf(cert!));

    const before = await timelineOf(gateways.zab, reader.token, caseId);
    const mark = await markLedger(probe);
    expect(await writeAs(user.token, caseId)).toMatchObject({ status: 401, body: { code: 'UNAUTHENTICATED', details: { reason: 'CERTIFICATE_REVOKED' } } });
    expect(await readAs(user.token, caseId)).toMatchObject({ status: 401, body: { code: 'UNAUTHENTICATED' } });
    expect((await writtenSince(probe, mark, [user.userId])).ours).toEqual([]);
    expect(await timelineOf(gateways.zab, reader.token, caseId)).toEqual(before);
  });

  it('without any gateway: once `network publish-crl` has put the CA\u2019s CRL into the channel MSP, the peers refuse a certificate revoked in the CA (before, with no CRL on the channel, they endorsed and committed it VALID)', async () => {
    // an identity enrolled here, so the test holds its key and signs at the peer directly, without any gateway
    const ca = registrarCa('zab');
    const enrollmentId = `zab-peercheck-adapter-${randomBytes(4).toString('hex')}`;
    const enrolment = await ca.registerAndEnrol({ enrollmentId, role: 'adapter' });
    const direct = directLedger('zab', enrollmentId, enrolment);
    try {
      const caseId = newCaseId();
      const input = (type: string, data: Record<string, unknown>) => EventInputSchema.parse({ caseId, ...eventBody(type, data) });
      const first = await direct.submitEvent({ userId: enrollmentId, role: 'adapter' }, input('CASE_REGISTERED', { facility: CODES.facility, registeredOn: '2026-01-05' }));
      expect(first.receipt).toMatchObject({ validationCode: 'VALID', endorsers: ['BamfMSP', 'ZabSachsenMSP'] });

      await ca.revoke(enrollmentId);
      const serial = serialOf(new X509Certificate(enrolment.certificatePem));
      expect(await crlSerials(ca)).toContain(serial);
      execFileSync('npx', ['tsx', join(__dirname, '..', '..', '..', 'network', 'src', 'cli.ts'), 'publish-crl', 'zab'], { stdio: 'pipe' });
      expect((await channelRevocationLists()).ZabSachsenMSP).toBe(1);
      const mark = await markLedger(probe);
      await expect(direct.submitEvent({ userId: enrollmentId, role: 'adapter' }, input('RECEPTION_ASSIGNED', { facility: CODES.facility }))).rejects.toThrow();
      expect((await writtenSince(probe, mark, [enrollmentId])).ours).toEqual([]);
    } finally {
      direct.close();
    }
  });
});

/** A FabricCaseLedger on the agency's first peer that signs as the given enrolled identity (no gateway, no token). */
function directLedger(orgKey: 'bamf' | 'zab', enrollmentId: string, enrolment: { certificatePem: string; privateKeyPem: string }): FabricCaseLedger & { close(): void } {
  const { connection, org, peer: peerConnection } = agencyPeer(orgKey);
  const read = (file: string): string => readFileSync(file, 'utf8');
  const service = identityFor(connection, orgKey, 'auditor');
  const ledger = new FabricCaseLedger({
    connection: peerConnection,
    mspId: org.mspId,
    channel: connection.channel,
    chaincode: connection.chaincode,
    identityOf: (userId) => (userId === enrollmentId ? Promise.resolve(enrolment) : Promise.reject(new Error(`unknown ${userId}`))),
    service: { certificatePem: read(service.certificate), privateKeyPem: read(service.privateKey) },
    timeouts: { evaluateMs: 5000, endorseMs: 15000, submitMs: 5000, commitStatusMs: 60000 },
    mvccRetries: 3,
    enforcementEndorsers: ['ZabSachsenMSP'],
  });
  const close = ledger.close.bind(ledger);
  return Object.assign(ledger, {
    close: () => {
      close();
      peerConnection.client.close();
    },
  });
}

/** Entries of `revocation_list` per application organisation in the channel configuration in force. */
async function channelRevocationLists(): Promise<Record<string, number>> {
  const height = await probe.height();
  const last = await probe.block(height - 1n);
  const signatures = common.Metadata.deserializeBinary(last.getMetadata()?.getMetadataList_asU8()[common.BlockMetadataIndex.SIGNATURES] ?? new Uint8Array());
  const lastConfig = common.OrdererBlockMetadata.deserializeBinary(signatures.getValue_asU8()).getLastConfig()?.getIndex() ?? 0;
  const block = await probe.block(BigInt(lastConfig));
  const payload = common.Payload.deserializeBinary(common.Envelope.deserializeBinary(block.getData()?.getDataList_asU8()[0] ?? new Uint8Array()).getPayload_asU8());
  const config = common.ConfigEnvelope.deserializeBinary(payload.getData_asU8()).getConfig();
  const application = config?.getChannelGroup()?.getGroupsMap().get('Application');
  const out: Record<string, number> = {};
  for (const [name, group] of application?.getGroupsMap().entries() ?? []) {
    const value = group.getValuesMap().get('MSP');
    if (value === undefined) continue;
    const fabricMsp = msp.FabricMSPConfig.deserializeBinary(msp.MSPConfig.deserializeBinary(value.getValue_asU8()).getConfig_asU8());
    out[name] = fabricMsp.getRevocationListList().length;
  }
  return out;
}
