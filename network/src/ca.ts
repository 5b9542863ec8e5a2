import { randomBytes } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { CaBinaries } from './binaries';
import { run, runOk } from './exec';
import { caServerConfigYaml, REGISTRAR_ID } from './generators/ca-config';
import { MSP_CA_CERT, MSP_TLS_CA_CERT, nodeOusConfigYaml } from './generators/msp';
import { TLS_FILES } from './generators/peer';
import { roleAttr, type IdentitySpec } from './identities';
import type { Layout } from './layout';
import { httpOk, tcpAccepts, waitFor, type ProcessSupervisor } from './processes';
import { hostOf, type Org, type Topology } from './topology';

/** What the CA functions need. */
export interface CaContext {
  readonly topology: Topology;
  readonly layout: Layout;
  readonly supervisor: ProcessSupervisor;
  readonly bins: CaBinaries;
  readonly log?: (line: string) => void;
}

/** Process name of an org's CA in the supervisor. */
export function caProcessName(org: Org): string {
  return org.ca.name;
}

/**
 * The enrolment secret of an identity: generated once (24 random bytes, base64url) and kept in
 * `secrets/<org>.json` (mode 0600), so repeated runs register and enrol with the same secret.
 */
export function secretFor(layout: Layout, org: Org, enrollmentId: string): string {
  const file = layout.secrets(org);
  const secrets = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>) : {};
  const known = secrets[enrollmentId];
  if (known !== undefined) return known;
  const secret = randomBytes(24).toString('base64url');
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, JSON.stringify({ ...secrets, [enrollmentId]: secret }, null, 2) + '\n', { mode: 0o600 });
  chmodSync(file, 0o600);
  return secret;
}

function caUrl(t: Topology, org: Org, cred?: { id: string; secret: string }): string {
  const auth = cred === undefined ? '' : `${encodeURIComponent(cred.id)}:${encodeURIComponent(cred.secret)}@`;
  return `https://${auth}${hostOf(t, org)}:${org.ca.port}`;
}

/** Writes the CA's config, starts fabric-ca-server (unless running) and waits until it is healthy. */
export async function startCa(ctx: CaContext, org: Org, timeoutMs = 60_000): Promise<void> {
  const { topology: t, layout } = ctx;
  const home = layout.caHome(org);
  mkdirSync(home, { recursive: true });
  writeFileSync(join(home, 'fabric-ca-server-config.yaml'), caServerConfigYaml(t, org, secretFor(layout, org, REGISTRAR_ID)), { mode: 0o600 });
  const wasRunning = ctx.supervisor.isRunning(caProcessName(org));
  ctx.supervisor.start({ name: caProcessName(org), command: ctx.bins.server, args: ['start', '--home', home], env: {}, cwd: home });
  if (!wasRunning) ctx.log?.(`started ${org.ca.name} on ${hostOf(t, org)}:${org.ca.port}`);
  await waitFor(
    `${org.ca.name} /healthz`,
    async () => {
      if (!ctx.supervisor.isRunning(caProcessName(org))) throw new Error(`${org.ca.name} exited; see ${join(layout.logDir, `${org.ca.name}.log`)}`);
      // /healthz is served by the operations listener; enrolment needs the CA's own listener to accept too.
      return (
        existsSync(layout.caTlsCert(org)) &&
        (await httpOk(`http://${hostOf(t, org)}:${org.ca.operationsPort}/healthz`)) &&
        (await tcpAccepts(hostOf(t, org), org.ca.port))
      );
    },
    timeoutMs,
  ).catch((e: Error) => {
    if (!ctx.supervisor.isRunning(caProcessName(org))) {
      throw new Error(`${org.ca.name} exited; see ${join(layout.logDir, `${org.ca.name}.log`)}`);
    }
    throw e;
  });
}

/** Stops an org's CA. */
export async function stopCa(ctx: Pick<CaContext, 'supervisor'>, org: Org): Promise<void> {
  await ctx.supervisor.stop(caProcessName(org));
}

function client(ctx: CaContext, org: Org, args: string[], home: string): Promise<unknown> {
  return runOk(ctx.bins.client, [...args, '--caname', org.ca.name, '--tls.certfiles', ctx.layout.caTlsCert(org), '-H', home], {
    env: { FABRIC_CA_CLIENT_HOME: home },
    timeoutMs: 60_000,
  });
}

/** Enrols the CA's bootstrap admin (the registrar) unless already enrolled. */
export async function enrollRegistrar(ctx: CaContext, org: Org): Promise<void> {
  const home = ctx.layout.registrar(org);
  if (existsSync(join(home, 'msp', 'signcerts', 'cert.pem'))) return;
  mkdirSync(home, { recursive: true });
  const secret = secretFor(ctx.layout, org, REGISTRAR_ID);
  await client(ctx, org, ['enroll', '-u', caUrl(ctx.topology, org, { id: REGISTRAR_ID, secret }), '--mspdir', join(home, 'msp')], home);
}

async function isRegistered(ctx: CaContext, org: Org, id: string): Promise<boolean> {
  const home = ctx.layout.registrar(org);
  const r = await run(
    ctx.bins.client,
    ['identity', 'list', '--id', id, '-u', caUrl(ctx.topology, org), '--caname', org.ca.name, '--tls.certfiles', ctx.layout.caTlsCert(org), '-H', home, '--mspdir', join(home, 'msp')],
    { env: { FABRIC_CA_CLIENT_HOME: home }, timeoutMs: 60_000 },
  );
  return r.code === 0;
}

/** Registers the identity unless the CA knows it already. */
export async function registerIdentity(ctx: CaContext, spec: IdentitySpec): Promise<void> {
  const { org } = spec;
  if (await isRegistered(ctx, org, spec.enrollmentId)) return;
  const home = ctx.layout.registrar(org);
  const secret = secretFor(ctx.layout, org, spec.enrollmentId);
  await client(
    ctx,
    org,
    [
      'register',
      '-u', caUrl(ctx.topology, org),
      '--mspdir', join(home, 'msp'),
      '--id.name', spec.enrollmentId,
      '--id.secret', secret,
      '--id.type', spec.type,
      '--id.affiliation', org.key,
      ...(spec.role === undefined ? [] : ['--id.attrs', roleAttr(spec.role)]),
    ],
    home,
  );
}

function onlyFile(dir: string, suffix: string): string {
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(suffix)) : [];
  const f = files[0];
  if (files.length !== 1 || f === undefined) throw new Error(`expected exactly one *${suffix} in ${dir}, found ${files.length}`);
  return join(dir, f);
}

/**
 * Enrols the identity's enrolment certificate (local MSP with NodeOUs config.yaml) and its TLS key
 * pair (profile `tls`, SANs from the spec), each unless present. The MSP's CA file is renamed to a
 * fixed name so config.yaml can point at it.
 */
export async function enrollIdentity(ctx: CaContext, spec: IdentitySpec): Promise<void> {
  const { org, dirs } = spec;
  const home = dirname(dirs.msp);
  const secret = secretFor(ctx.layout, org, spec.enrollmentId);
  const url = caUrl(ctx.topology, org, { id: spec.enrollmentId, secret });
  if (!existsSync(join(dirs.msp, 'signcerts', 'cert.pem'))) {
    rmSync(dirs.msp, { recursive: true, force: true });
    await client(ctx, org, ['enroll', '-u', url, '--mspdir', dirs.msp], home);
    const cacert = onlyFile(join(dirs.msp, 'cacerts'), '.pem');
    const target = join(dirs.msp, MSP_CA_CERT);
    if (cacert !== target) {
      copyFileSync(cacert, target);
      rmSync(cacert);
    }
    writeFileSync(join(dirs.msp, 'config.yaml'), nodeOusConfigYaml());
  }
  if (!existsSync(join(dirs.tls, TLS_FILES.cert))) {
    const raw = join(dirs.tls, 'raw');
    rmSync(raw, { recursive: true, force: true });
    await client(ctx, org, ['enroll', '-u', url, '--mspdir', raw, '--enrollment.profile', 'tls', '--csr.hosts', spec.tlsHosts.join(',')], home);
    const caDir = existsSync(join(raw, 'tlscacerts')) ? join(raw, 'tlscacerts') : join(raw, 'cacerts');
    copyFileSync(onlyFile(caDir, '.pem'), join(dirs.tls, TLS_FILES.ca));
    copyFileSync(onlyFile(join(raw, 'keystore'), '_sk'), join(dirs.tls, TLS_FILES.key));
    chmodSync(join(dirs.tls, TLS_FILES.key), 0o600);
    copyFileSync(join(raw, 'signcerts', 'cert.pem'), join(dirs.tls, TLS_FILES.cert));
  }
}

/**
 * The org's channel MSP (what configtxgen puts into the channel config): its root CA, the TLS root
 * (the same CA issues TLS certificates through its `tls` profile), NodeOUs config.yaml.
 */
export function writeOrgMsp(layout: Layout, org: Org): void {
  const msp = layout.orgMsp(org);
  for (const d of ['cacerts', 'tlscacerts']) mkdirSync(join(msp, d), { recursive: true });
  copyFileSync(layout.caTlsCert(org), join(msp, MSP_CA_CERT));
  copyFileSync(layout.caTlsCert(org), join(msp, MSP_TLS_CA_CERT));
  writeFileSync(join(msp, 'config.yaml'), nodeOusConfigYaml());
}
