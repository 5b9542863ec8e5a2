import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connectionOrg, type Connection } from '@asl/network/connection';
import { dataHome } from '@asl/network/layout';
import { z } from 'zod';
import type { GatewayConfig } from '../config';
import { gatewayConfigFromConnection, gatewayFiles, type GatewayFiles } from './config-from-connection';

/** The repository root: the server runs from here, where `tsx` finds the `@asl/*` paths of `tsconfig.json`. */
export const REPO_ROOT = join(__dirname, '..', '..', '..');
/** The gateway server's entry point. */
export const SERVER_ENTRY = join(__dirname, '..', 'server.ts');

/**
 * The launcher's folder, `$ASL_HOME/gateways` (default `<repo>/.asl/gateways`):
 *
 * ```
 * pseudonym-keys.json   the pseudonym key both agencies' gateways read (domain.md §2), 0600, generated once
 * run/  logs/           PID records and one log per gateway process
 * <org key>/            one gateway: gateway.json, vault.key, admin-token.json, network.json, data/
 * ```
 */
export interface GatewaysLayout {
  readonly root: string;
  readonly pseudonymKeyFile: string;
  readonly runDir: string;
  readonly logDir: string;
  /** The folder of the agency's gateway. */
  org(orgKey: string): string;
}

/** The layout below `root` (default `$ASL_HOME/gateways`). */
export function gatewaysLayout(root: string = join(dataHome(), 'gateways')): GatewaysLayout {
  return {
    root,
    pseudonymKeyFile: join(root, 'pseudonym-keys.json'),
    runDir: join(root, 'run'),
    logDir: join(root, 'logs'),
    org: (orgKey) => join(root, orgKey),
  };
}

/** The organisations that run a gateway: every agency of the connection description with a peer, by org key. */
export function agencyKeys(connection: Connection): string[] {
  return Object.entries(connection.orgs)
    .filter(([, org]) => org.kind !== 'ordering-service' && org.peers.length > 0)
    .map(([key]) => key);
}

/** Writes `content()` to `file` with mode 0600 unless the file exists (never overwritten). Returns whether it wrote. */
function createSecretFile(file: string, content: () => string): boolean {
  if (existsSync(file)) return false;
  try {
    writeFileSync(file, content(), { mode: 0o600, flag: 'wx' });
    return true;
  } catch (error) {
    // another launcher created it in the meantime: keep theirs
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/**
 * The pseudonym key file (`[{"version": "k1", "key": <32 random bytes, base64>}]`, mode 0600), created once.
 * Both agencies' gateways must read the same key, or the same AZR number would give two case ids.
 */
export function ensurePseudonymKeyFile(file: string): boolean {
  return createSecretFile(file, () => JSON.stringify([{ version: 'k1', key: randomBytes(32).toString('base64') }]) + '\n');
}

/** A gateway's vault key (32 random bytes, base64, mode 0600), created once. */
export function ensureVaultKeyFile(file: string): boolean {
  return createSecretFile(file, () => randomBytes(32).toString('base64') + '\n');
}

/**
 * Names the network instance an agency's gateway state belongs to: a hash over the agency's CA TLS root, its
 * peer's TLS root and the registrar's certificate. A network recreated from scratch has new ones.
 */
export function networkFingerprint(connection: Connection, orgKey: string): string {
  const org = connectionOrg(connection, orgKey);
  const hash = createHash('sha256');
  for (const file of [org.ca.tlsRootCert, org.ca.registrar.certificate, ...org.peers.map((p) => p.tlsRootCert)]) hash.update(readFileSync(file));
  return hash.digest('hex');
}

const NetworkStateSchema = z.strictObject({ fingerprint: z.string(), bootstrapAdminId: z.string() });

/** Options of {@link prepareGateway}. */
export interface PrepareOptions {
  /** The gateway's folder. */
  readonly home: string;
  readonly port: number;
  readonly host?: string;
  readonly pseudonymKeyFile: string;
  /** Progress lines (what was generated or discarded). */
  readonly log?: (line: string) => void;
}

/** A gateway ready to be started: its configuration (already written to `files.config`) and files. */
export interface PreparedGateway {
  readonly orgKey: string;
  readonly mspId: string;
  readonly config: GatewayConfig;
  readonly files: GatewayFiles;
  /** `http://host:port`. */
  readonly url: string;
}

function writeAtomically(file: string, text: string): void {
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, text, { mode: 0o600 });
  renameSync(tmp, file);
}

/**
 * Makes an agency's gateway folder ready for a start against the network of `connection`: creates the folder
 * (0700) and the vault key if missing, and writes `gateway.json` from the connection description. The gateway's
 * state (stores, bootstrap admin and its token) belongs to one network instance ({@link networkFingerprint}):
 * when the network was recreated since, that state describes a ledger and a CA that no longer exist and is
 * discarded, and a new bootstrap admin id is chosen (the admin is registered in the CA on the server's first
 * start; a random suffix keeps the id unique in a CA that outlived an earlier gateway folder).
 */
export function prepareGateway(connection: Connection, orgKey: string, o: PrepareOptions): PreparedGateway {
  const log = o.log ?? (() => undefined);
  const files = gatewayFiles(o.home);
  mkdirSync(o.home, { recursive: true, mode: 0o700 });
  const stateFile = join(o.home, 'network.json');
  const fingerprint = networkFingerprint(connection, orgKey);
  let state: z.infer<typeof NetworkStateSchema> | undefined;
  try {
    state = NetworkStateSchema.parse(JSON.parse(readFileSync(stateFile, 'utf8')));
  } catch {
    state = undefined;
  }
  if (state?.fingerprint !== fingerprint) {
    if (existsSync(files.dataDir) || existsSync(files.adminToken)) {
      log(`${orgKey}: the network was recreated since this gateway last ran; discarding its old state (${files.dataDir}, ${files.adminToken})`);
    }
    rmSync(files.dataDir, { recursive: true, force: true });
    rmSync(files.adminToken, { force: true });
    state = { fingerprint, bootstrapAdminId: `${orgKey}-gw-admin-${randomBytes(4).toString('hex')}` };
    writeAtomically(stateFile, JSON.stringify(state, null, 2) + '\n');
  }
  if (ensureVaultKeyFile(files.vaultKey)) log(`${orgKey}: generated the vault key ${files.vaultKey}`);
  const host = o.host ?? '127.0.0.1';
  const config = gatewayConfigFromConnection(connection, orgKey, {
    home: o.home,
    host,
    port: o.port,
    pseudonymKeyFile: o.pseudonymKeyFile,
    bootstrapAdminId: state.bootstrapAdminId,
  });
  writeAtomically(files.config, JSON.stringify(config, null, 2) + '\n');
  return { orgKey, mspId: config.mspId, config, files, url: `http://${host}:${o.port}` };
}

/** How to run the server for a configuration file: `node --import tsx src/server.ts` from the repository root. */
export function serverProcess(configFile: string): { command: string; args: string[]; cwd: string; env: Record<string, string> } {
  return {
    command: process.execPath,
    args: ['--import', 'tsx', SERVER_ENTRY],
    cwd: REPO_ROOT,
    env: { ASL_GATEWAY_CONFIG: configFile, TSX_TSCONFIG_PATH: join(REPO_ROOT, 'tsconfig.json') },
  };
}

/** What `/readyz` answered last. */
export interface Readiness {
  readonly ready: boolean;
  readonly body: string;
}

/** One `GET /readyz`; not ready when the gateway does not answer. */
export async function readiness(url: string): Promise<Readiness> {
  try {
    const res = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(5000) });
    return { ready: res.status === 200, body: await res.text() };
  } catch (error) {
    return { ready: false, body: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * Waits until the gateway at `url` answers `/readyz` with 200 (its peer answers and its read model caught up).
 * Fails at once when `alive()` turns false (the process exited), and after `timeoutMs` with the last answer.
 */
export async function waitUntilReady(url: string, alive: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: Readiness = { ready: false, body: 'not asked yet' };
  for (;;) {
    if (!alive()) throw new Error(`the gateway at ${url} exited before it was ready (last /readyz: ${last.body})`);
    last = await readiness(url);
    if (last.ready) return;
    if (Date.now() > deadline) throw new Error(`the gateway at ${url} was not ready after ${timeoutMs} ms (last /readyz: ${last.body})`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
