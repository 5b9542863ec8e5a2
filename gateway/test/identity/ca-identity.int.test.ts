import { execFileSync } from 'node:child_process';
import https from 'node:https';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { User } from 'fabric-common';
import { parse } from 'yaml';
import { ensureCa } from '../../../network/src/binaries';
import { startCa, stopCa, secretFor, type CaContext } from '../../../network/src/ca';
import { REGISTRAR_ID } from '../../../network/src/generators/ca-config';
import { Layout } from '../../../network/src/layout';
import { ProcessSupervisor } from '../../../network/src/processes';
import { DEFAULT_TOPOLOGY_FILE, orgOf, parseTopology, type Org, type Topology } from '../../../network/src/topology';
import { certAttributes } from '../../../network/src/x509';
import { FabricCaIdentityService } from '../../src/identity/ca-identity';
import { freePort } from '@asl/network/processes';

/** The committed topology with BAMF's CA on free ports (so the test never collides with a running network). */
async function topologyWithFreeCaPorts(): Promise<Topology> {
  const raw = parse(readFileSync(DEFAULT_TOPOLOGY_FILE, 'utf8')) as { orgs: { mspId: string; ca: { port: number; operationsPort: number } }[] };
  const bamf = raw.orgs.find((o) => o.mspId === 'BamfMSP')!;
  bamf.ca.port = await freePort();
  bamf.ca.operationsPort = await freePort();
  return parseTopology(raw);
}

/** Serial numbers (upper-case hex) listed in a PEM CRL, read with openssl. */
function crlSerials(crlPem: string, dir: string): string[] {
  const file = join(dir, 'crl.pem');
  writeFileSync(file, crlPem);
  const text = execFileSync('openssl', ['crl', '-in', file, '-noout', '-text'], { encoding: 'utf8' });
  return [...text.matchAll(/Serial Number: ([0-9A-F]+)/gi)].map((m) => m[1]!.toUpperCase().replace(/^0+/, ''));
}

/** Runs only as an integration test (the CLI's --testPathIgnorePatterns replaces the config's kind filter). */

describe('FabricCaIdentityService against a real fabric-ca-server', () => {
  let home: string;
  let ctx: CaContext;
  let org: Org;
  let service: FabricCaIdentityService;

  beforeAll(async () => {
    const bins = await ensureCa();
    home = mkdtempSync(join(tmpdir(), 'asl-gw-ca-int-'));
    const topology = await topologyWithFreeCaPorts();
    const layout = new Layout(home, topology);
    ctx = { topology, layout, supervisor: new ProcessSupervisor(layout.runDir, layout.logDir), bins };
    org = orgOf(topology, 'BamfMSP');
    await startCa(ctx, org);
    service = new FabricCaIdentityService({
      url: `https://127.0.0.1:${org.ca.port}`,
      caName: org.ca.name,
      tlsRootPem: readFileSync(layout.caTlsCert(org), 'utf8'),
      mspId: org.mspId,
      affiliation: org.key,
      registrar: { enrollmentId: REGISTRAR_ID, secret: secretFor(layout, org, REGISTRAR_ID) },
    });
  }, 600_000);

  afterAll(async () => {
    if (ctx) await stopCa(ctx, org);
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it('registers and enrols a caseworker whose certificate carries role=caseworker; revocation puts it on the CRL and refuses re-enrolment', async () => {
    const enrolment = await service.registerAndEnrol({ enrollmentId: 'bamf-cw-int-0001', role: 'caseworker' });
    const cert = new X509Certificate(enrolment.certificatePem);
    expect(cert.subject).toContain('CN=bamf-cw-int-0001');
    expect(certAttributes(enrolment.certificatePem)).toMatchObject({ role: 'caseworker', 'hf.EnrollmentID': 'bamf-cw-int-0001' });
    expect(enrolment.privateKeyPem).toMatch(/PRIVATE KEY/);

    const user = User.createUser('bamf-cw-int-0001', '', org.mspId, enrolment.certificatePem, enrolment.privateKeyPem);
    await expect(service.client.reenroll(user, [])).resolves.toHaveProperty('certificate');

    await service.revoke('bamf-cw-int-0001');
    await expect(service.client.reenroll(user, [])).rejects.toThrow();
    const crl = Buffer.from(String(await service.client.generateCRL({}, await service.registrar())), 'base64').toString('utf8');
    expect(crl).toMatch(/BEGIN X509 CRL/);
    expect(crlSerials(crl, home)).toContain(cert.serialNumber.toUpperCase().replace(/^0+/, ''));
  }, 120_000);

  it('registers an auditor and an adapter with their roles', async () => {
    for (const role of ['auditor', 'adapter'] as const) {
      const e = await service.registerAndEnrol({ enrollmentId: `bamf-${role}-int-0001`, role });
      expect(certAttributes(e.certificatePem)?.role).toBe(role);
    }
  }, 60_000);

  it('acts as the registrar with an enrolled key pair (as connection.json names it), and a burst of registrations piles no listeners onto a reused socket', async () => {
    const registrar = await service.client.enroll({ enrollmentID: REGISTRAR_ID, enrollmentSecret: secretFor(ctx.layout, org, REGISTRAR_ID) });
    const byKeyPair = new FabricCaIdentityService({
      url: `https://127.0.0.1:${org.ca.port}`,
      caName: org.ca.name,
      tlsRootPem: readFileSync(ctx.layout.caTlsCert(org), 'utf8'),
      mspId: org.mspId,
      affiliation: org.key,
      registrar: { enrollmentId: REGISTRAR_ID, certificatePem: registrar.certificate, privateKeyPem: registrar.key.toBytes() },
    });
    // the registrar signs with exactly that certificate: no enrolment of its own
    expect((await byKeyPair.registrar()).getIdentity().serialize().toString('utf8')).toContain(registrar.certificate.trim());
    for (let i = 0; i < 12; i++) {
      const e = await byKeyPair.registerAndEnrol({ enrollmentId: `bamf-burst-int-${String(i).padStart(4, '0')}`, role: 'caseworker' });
      expect(certAttributes(e.certificatePem)?.role).toBe('caseworker');
    }
    // fabric-ca-client adds a 'timeout' listener per request to the request's socket; a socket kept alive by the
    // global agent would carry one per request (MaxListenersExceededWarning at 11)
    const pooled = [...Object.values(https.globalAgent.freeSockets), ...Object.values(https.globalAgent.sockets)].flat();
    expect(pooled.map((socket) => socket?.listenerCount('timeout') ?? 0).filter((n) => n > 1)).toEqual([]);
  }, 120_000);
});
