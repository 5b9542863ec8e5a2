import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CaBinaries, FabricBinaries } from './binaries';
import { runOk } from './exec';
import { peerAdminEnv, TLS_FILES } from './generators/peer';
import { orgAdmin } from './identities';
import type { Layout } from './layout';
import { peerHeight as channelHeight } from './ledger-info';
import { waitFor } from './processes';
import { activePeers, hostOf, nodeHost, orgOf, type Org, type Topology } from './topology';

/**
 * Revocation on the channel. A certificate revoked in an organisation's Fabric CA stays valid for the peers
 * and orderers until the CA's certificate revocation list is part of that organisation's MSP in the channel
 * configuration (`FabricMSPConfig.revocation_list`): the peers validate signers against the channel MSPs, never
 * against the CA. `publishCrl` brings the CA's current CRL onto the channel with a configuration update that the
 * organisation's own admin signs (the org group's `Admins` modification policy), and waits until every active
 * peer has committed it.
 */

/** Where a JSON config keeps an application org's `revocation_list` (configtxlator's JSON of common.Config). */
interface ConfigJson {
  channel_group: { groups: { Application: { groups: Record<string, { values: { MSP: { value: { config: { revocation_list?: string[] | null } } } } }> } } };
}

/**
 * The channel configuration with `crlPem` as the org's only revocation list (a CA's CRL lists every certificate
 * it ever revoked, so the newest one replaces the old). Pure; throws when the org is not an application org.
 */
export function withRevocationList(config: unknown, mspId: string, crlPem: string): { updated: ConfigJson; changed: boolean } {
  const updated = structuredClone(config) as ConfigJson;
  const org = updated.channel_group.groups.Application.groups[mspId];
  if (org === undefined) throw new Error(`${mspId} is not an application organisation of the channel`);
  const mspConfig = org.values.MSP.value.config;
  const entry = Buffer.from(crlPem, 'utf8').toString('base64');
  const before = mspConfig.revocation_list ?? [];
  mspConfig.revocation_list = [entry];
  return { updated, changed: !(before.length === 1 && before[0] === entry) };
}

/** The org's current `revocation_list` entries as PEM text. */
export function revocationListOf(config: unknown, mspId: string): string[] {
  const org = (config as ConfigJson).channel_group.groups.Application.groups[mspId];
  return (org?.values.MSP.value.config.revocation_list ?? []).map((b) => Buffer.from(b, 'base64').toString('utf8'));
}

/** Serial numbers a CRL lists (`openssl crl -text`), sorted: two CRLs of one CA revoke the same when these are equal. */
export async function revokedSerials(crlPem: string): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'asl-crl-'));
  try {
    writeFileSync(join(dir, 'crl.pem'), crlPem);
    const text = (await runOk('openssl', ['crl', '-in', join(dir, 'crl.pem'), '-noout', '-text'])).stdout;
    return [...text.matchAll(/Serial Number: ([0-9A-Fa-f]+)/g)].map((m) => (m[1] ?? '').toUpperCase()).sort();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The envelope (as configtxlator JSON) that carries a config update for the channel. */
export function configUpdateEnvelope(channel: string, configUpdate: unknown): unknown {
  return { payload: { header: { channel_header: { channel_id: channel, type: 2 } }, data: { config_update: configUpdate } } };
}

/** What publishCrl needs. */
export interface CrlContext {
  readonly topology: Topology;
  readonly layout: Layout;
  readonly fabric: FabricBinaries;
  readonly ca: CaBinaries;
  readonly log: (line: string) => void;
}

/** Asks the org's CA for its current CRL (as the registrar) and returns it as PEM. */
async function currentCrl(ctx: CrlContext, org: Org): Promise<string> {
  const home = ctx.layout.registrar(org);
  const msp = join(home, 'msp');
  await runOk(
    ctx.ca.client,
    ['gencrl', '-u', `https://${hostOf(ctx.topology, org)}:${org.ca.port}`, '--caname', org.ca.name, '--tls.certfiles', ctx.layout.caTlsCert(org), '-H', home, '--mspdir', msp],
    { env: { FABRIC_CA_CLIENT_HOME: home }, timeoutMs: 60_000 },
  );
  return readFileSync(join(msp, 'crls', 'crl.pem'), 'utf8');
}

/**
 * Publishes the org's current CRL to the channel (idempotent: nothing is submitted when the channel already
 * carries it). Returns whether a configuration update was committed.
 */
export async function publishCrl(ctx: CrlContext, orgKey: string): Promise<boolean> {
  const { topology: t, layout, fabric } = ctx;
  const org = t.orgs.find((o) => o.key === orgKey || o.mspId === orgKey);
  if (org === undefined || org.kind === 'ordering-service') throw new Error(`${orgKey} is not an application organisation of the topology`);
  const peer = activePeers(t, { secondPeer: false }).find((p) => p.org === org.mspId);
  const orderer = t.orderers[0];
  if (peer === undefined || orderer === undefined) throw new Error(`${org.mspId} has no base peer or the topology no orderer`);
  const env = peerAdminEnv(t, layout, peer, orgAdmin(t, org.mspId), fabric.sampleConfig);
  const admin = layout.user(org, orgAdmin(t, org.mspId));
  const ordererArgs = [
    '-o', `${hostOf(t, orgOf(t, orderer.org))}:${orderer.port}`,
    '--tls', '--cafile', join(layout.nodeOf(orderer).tls, TLS_FILES.ca),
    '--clientauth', '--certfile', join(admin.tls, TLS_FILES.cert), '--keyfile', join(admin.tls, TLS_FILES.key),
  ];
  const crl = await currentCrl(ctx, org);
  const dir = mkdtempSync(join(tmpdir(), 'asl-crl-'));
  try {
    const f = (name: string): string => join(dir, name);
    const lator = (args: string[]): Promise<unknown> => runOk(fabric.tools.configtxlator, args);
    await runOk(fabric.tools.peer, ['channel', 'fetch', 'config', f('config_block.pb'), '-c', t.channel.name, ...ordererArgs], { env });
    await lator(['proto_decode', '--input', f('config_block.pb'), '--type', 'common.Block', '--output', f('config_block.json')]);
    const block = JSON.parse(readFileSync(f('config_block.json'), 'utf8')) as { data: { data: { payload: { data: { config: unknown } } }[] } };
    const config = block.data.data[0]?.payload.data.config;
    // The CA signs a fresh CRL (new thisUpdate) on every gencrl: compare what it revokes, not its bytes.
    const current = revocationListOf(config, org.mspId);
    const unchanged = current.length === 1 && JSON.stringify(await revokedSerials(current[0] ?? '')) === JSON.stringify(await revokedSerials(crl));
    const { updated, changed } = withRevocationList(config, org.mspId, crl);
    if (unchanged || !changed) {
      ctx.log(`${org.mspId}: the channel already carries the CA's current CRL`);
      return false;
    }
    writeFileSync(f('config.json'), JSON.stringify(config));
    writeFileSync(f('updated.json'), JSON.stringify(updated));
    await lator(['proto_encode', '--input', f('config.json'), '--type', 'common.Config', '--output', f('config.pb')]);
    await lator(['proto_encode', '--input', f('updated.json'), '--type', 'common.Config', '--output', f('updated.pb')]);
    await lator(['compute_update', '--channel_id', t.channel.name, '--original', f('config.pb'), '--updated', f('updated.pb'), '--output', f('update.pb')]);
    await lator(['proto_decode', '--input', f('update.pb'), '--type', 'common.ConfigUpdate', '--output', f('update.json')]);
    const update = JSON.parse(readFileSync(f('update.json'), 'utf8')) as unknown;
    writeFileSync(f('envelope.json'), JSON.stringify(configUpdateEnvelope(t.channel.name, update)));
    await lator(['proto_encode', '--input', f('envelope.json'), '--type', 'common.Envelope', '--output', f('envelope.pb')]);
    const heights = await Promise.all(activePeers(t, { secondPeer: false }).map((p) => peerHeight(ctx, p)));
    await runOk(fabric.tools.peer, ['channel', 'update', '-f', f('envelope.pb'), '-c', t.channel.name, ...ordererArgs], { env });
    // Committed once every peer's height has passed its height before the update.
    const peers = activePeers(t, { secondPeer: false });
    for (const [i, p] of peers.entries()) {
      await waitFor(`${nodeHost(t, p)} committing the configuration update`, async () => (await peerHeight(ctx, p)) > (heights[i] ?? 0), 60_000);
    }
    ctx.log(`${org.mspId}: published the CA's CRL to ${t.channel.name}`);
    return true;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function peerHeight(ctx: CrlContext, p: Topology['peers'][number]): Promise<number> {
  const env = peerAdminEnv(ctx.topology, ctx.layout, p, orgAdmin(ctx.topology, p.org), ctx.fabric.sampleConfig);
  return channelHeight(ctx.fabric.tools.peer, ctx.topology.channel.name, env);
}
