import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ensureCa, type CaBinaries } from '../src/binaries';
import { enrollIdentity, enrollRegistrar, registerIdentity, startCa, stopCa, writeOrgMsp, type CaContext } from '../src/ca';
import { identityPlan } from '../src/identities';
import { Layout } from '../src/layout';
import { operationsProbe } from '../src/generators/peer';
import { httpOk, ProcessSupervisor, freePort } from '../src/processes';
import { DEFAULT_TOPOLOGY_FILE, orgOf, parseTopology, type Topology } from '../src/topology';
import { certAttributes, certOrganizationalUnits } from '../src/x509';

/** True while `pid` is a live process (a zombie awaiting its parent's wait() counts as gone). */
function liveProcess(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) Z/.test(stat);
  } catch {
    return false;
  }
}

/** The committed topology with BAMF's CA moved to free ports. */
async function topologyWithFreeCaPorts(): Promise<Topology> {
  const raw = parse(readFileSync(DEFAULT_TOPOLOGY_FILE, 'utf8')) as { orgs: { mspId: string; ca: { port: number; operationsPort: number } }[] };
  const bamf = raw.orgs.find((o) => o.mspId === 'BamfMSP')!;
  bamf.ca.port = await freePort();
  bamf.ca.operationsPort = await freePort();
  return parseTopology(raw);
}

describe('Fabric CA (real fabric-ca-server)', () => {
  let home: string;
  let ctx: CaContext;
  let bins: CaBinaries;

  beforeAll(async () => {
    bins = await ensureCa();
    home = mkdtempSync(join(tmpdir(), 'asl-ca-int-'));
    const topology = await topologyWithFreeCaPorts();
    const layout = new Layout(home, topology);
    ctx = { topology, layout, supervisor: new ProcessSupervisor(layout.runDir, layout.logDir), bins };
    await startCa(ctx, orgOf(topology, 'BamfMSP'));
    await enrollRegistrar(ctx, orgOf(topology, 'BamfMSP'));
  }, 600_000);

  afterAll(async () => {
    const pid = ctx.supervisor.record('ca-bamf')?.pid;
    await stopCa(ctx, orgOf(ctx.topology, 'BamfMSP'));
    if (pid !== undefined) expect(liveProcess(pid)).toBe(false);
    expect(ctx.supervisor.list()).toEqual([]);
    rmSync(home, { recursive: true, force: true });
  });

  const spec = (enrollmentId: string) => {
    const s = identityPlan(ctx.topology, ctx.layout, { secondPeer: false }).find((i) => i.enrollmentId === enrollmentId);
    if (s === undefined) throw new Error(`no identity ${enrollmentId} in the plan`);
    return s;
  };

  it('enrols a caseworker whose certificate carries role=caseworker and OU client', async () => {
    const cw = spec('bamf-cw-0001');
    expect(cw.role).toBe('caseworker');
    await registerIdentity(ctx, cw);
    await enrollIdentity(ctx, cw);

    const pem = readFileSync(join(cw.dirs.msp, 'signcerts', 'cert.pem'), 'utf8');
    const attrs = certAttributes(pem);
    expect(attrs).toMatchObject({ role: 'caseworker', 'hf.EnrollmentID': 'bamf-cw-0001', 'hf.Type': 'client' });
    expect(certOrganizationalUnits(pem)).toContain('client');
    expect(certOrganizationalUnits(pem)).not.toContain('peer');

    const tlsPem = readFileSync(join(cw.dirs.tls, 'server.crt'), 'utf8');
    expect(tlsPem).toContain('BEGIN CERTIFICATE');
    expect(statSync(join(cw.dirs.tls, 'server.key')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(cw.dirs.msp, 'config.yaml'), 'utf8')).toContain('OrganizationalUnitIdentifier: client');
  }, 120_000);

  it('is idempotent: registering and enrolling again changes nothing', async () => {
    const cw = spec('bamf-cw-0001');
    const before = readFileSync(join(cw.dirs.msp, 'signcerts', 'cert.pem'), 'utf8');
    await registerIdentity(ctx, cw);
    await enrollIdentity(ctx, cw);
    expect(readFileSync(join(cw.dirs.msp, 'signcerts', 'cert.pem'), 'utf8')).toBe(before);
  }, 120_000);

  it('enrols a peer with OU peer and a TLS certificate for 127.0.0.1', async () => {
    const peer = spec('peer0.bamf');
    await registerIdentity(ctx, peer);
    await enrollIdentity(ctx, peer);
    const pem = readFileSync(join(peer.dirs.msp, 'signcerts', 'cert.pem'), 'utf8');
    expect(certOrganizationalUnits(pem)).toContain('peer');
    expect(certAttributes(pem)?.role).toBeUndefined();
    const { X509Certificate } = await import('node:crypto');
    const tls = new X509Certificate(readFileSync(join(peer.dirs.tls, 'server.crt'), 'utf8'));
    expect(tls.subjectAltName).toContain('IP Address:127.0.0.1');
    expect(tls.checkIssued(new X509Certificate(readFileSync(join(peer.dirs.tls, 'ca.crt'), 'utf8')))).toBe(true);
  }, 120_000);

  it('writes every private key and secret with mode 0600 (issue 10)', () => {
    const files: string[] = [];
    const walk = (dir: string): void => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const f = join(dir, e.name);
        if (e.isDirectory()) walk(f);
        else if (/_sk$|\.key$/.test(e.name) || f.startsWith(join(ctx.layout.root, 'secrets'))) files.push(f);
      }
    };
    walk(ctx.layout.root);
    // registrar + caseworker + peer: MSP keystore and (for identities) the TLS key, plus the CA's own keys.
    expect(files.filter((f) => f.endsWith('_sk')).length).toBeGreaterThanOrEqual(5);
    expect(files.filter((f) => f.endsWith('server.key')).length).toBe(2);
    expect(files.some((f) => f.endsWith('bamf.json'))).toBe(true);
    for (const f of files) expect([f, (statSync(f).mode & 0o777).toString(8)]).toEqual([f, '600']);
    const caCfg = join(ctx.layout.caHome(orgOf(ctx.topology, 'BamfMSP')), 'fabric-ca-server-config.yaml');
    expect((statSync(caCfg).mode & 0o777).toString(8)).toBe('600');
  });

  it('readiness probe of an operations endpoint: TLS verified against the node TLS CA (real CA-issued key pair)', async () => {
    const peer = spec('peer0.bamf');
    const port = await freePort();
    const probe = operationsProbe(ctx.topology, ctx.layout, { name: 'peer0', org: 'BamfMSP', operationsPort: port });
    expect(probe.url).toBe(`https://127.0.0.1:${port}/healthz`);
    const server = createHttpsServer(
      { cert: readFileSync(join(peer.dirs.tls, 'server.crt')), key: readFileSync(join(peer.dirs.tls, 'server.key')) },
      (req, res) => res.writeHead(req.url === '/healthz' ? 200 : 404).end('{"status":"OK"}'),
    );
    await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
    try {
      expect(await httpOk(probe.url, probe)).toBe(true);
      // Without the CA the server certificate is not trusted: the probe must not pass.
      await expect(httpOk(probe.url)).rejects.toThrow();
    } finally {
      await new Promise((r) => server.close(r));
    }
  }, 60_000);

  it('assembles the org MSP with NodeOUs', () => {
    const org = orgOf(ctx.topology, 'BamfMSP');
    writeOrgMsp(ctx.layout, org);
    const msp = ctx.layout.orgMsp(org);
    expect(readFileSync(join(msp, 'cacerts', 'ca.pem'), 'utf8')).toContain('BEGIN CERTIFICATE');
    expect(readFileSync(join(msp, 'tlscacerts', 'tlsca.pem'), 'utf8')).toContain('BEGIN CERTIFICATE');
    const cfg = parse(readFileSync(join(msp, 'config.yaml'), 'utf8')) as { NodeOUs: { Enable: boolean } };
    expect(cfg.NodeOUs.Enable).toBe(true);
  });
});
