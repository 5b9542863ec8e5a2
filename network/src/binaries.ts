import { accessSync, constants, cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { BinariesUnavailableError, CommandFailedError } from './errors';
import { run, shellQuote } from './exec';
import { CACHE_KEY, GO_MODULES, VERSIONS } from './versions';

/** Fabric executables taken from one directory (their versions must match the verified `peer`). */
export const FABRIC_TOOLS = ['peer', 'orderer', 'configtxgen', 'configtxlator', 'osnadmin', 'ledgerutil'] as const;
/** Fabric CA executables. */
export const CA_TOOLS = ['fabric-ca-server', 'fabric-ca-client'] as const;
/** Programs of the CCaaS external builder (the peer runs `<builder>/bin/<program>`). */
export const CCAAS_PROGRAMS = ['detect', 'build', 'release'] as const;

/** Where each binary was found. */
export interface FabricBinaries {
  readonly tools: Record<(typeof FABRIC_TOOLS)[number], string>;
  /** Builder folder (parent of bin/detect, bin/build, bin/release), for core.yaml externalBuilders. */
  readonly ccaasBuilder: string;
  /** Folder holding Fabric's sample core.yaml and orderer.yaml, the base of every node config. */
  readonly sampleConfig: string;
}

/** Where the CA binaries were found. */
export interface CaBinaries {
  readonly server: string;
  readonly client: string;
}

/** Inputs of binary resolution; defaults come from the process environment. */
export interface BinaryOptions {
  readonly env?: NodeJS.ProcessEnv;
  /** Called with progress lines (the CLI prints them; tests stay quiet). */
  readonly log?: (line: string) => void;
}

/** The binary cache: `$ASL_FABRIC_CACHE`, default `~/.cache/asl-fabric/<versions>`. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.ASL_FABRIC_CACHE ?? join(homedir(), '.cache', 'asl-fabric', CACHE_KEY));
}

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Directories searched, in order: `$FABRIC_BIN`, `$PATH`, the cache's bin/. */
export function searchDirs(env: NodeJS.ProcessEnv): string[] {
  const dirs: string[] = [];
  if (env.FABRIC_BIN) dirs.push(resolve(env.FABRIC_BIN));
  dirs.push(...(env.PATH ?? '').split(delimiter).filter((d) => d !== ''));
  dirs.push(join(cacheDir(env), 'bin'));
  return [...new Set(dirs)];
}

/** True when a `version` output names the expected release (`Version: 3.1.5` or `Version: v3.1.5`). */
export function reportsVersion(output: string, version: string): boolean {
  return new RegExp(`Version:\\s*v?${version.replace(/\./g, '\\.')}\\b`).test(output);
}

async function versionOk(bin: string, version: string): Promise<boolean> {
  const r = await run(bin, ['version'], { timeoutMs: 20_000 }).catch(() => undefined);
  return r !== undefined && r.code === 0 && reportsVersion(r.output, version);
}

/** First directory holding `name` that reports `version` (checked with `<name> version`). */
async function findVerified(dirs: readonly string[], name: string, version: string): Promise<string | undefined> {
  for (const d of dirs) {
    const bin = join(d, name);
    if (executable(bin) && (await versionOk(bin, version))) return d;
  }
  return undefined;
}

function ccaasBuilderNear(dirs: readonly string[]): string | undefined {
  return dirs.find((d) => CCAAS_PROGRAMS.every((p) => executable(join(d, 'bin', p))));
}

function sampleConfigNear(dirs: readonly string[]): string | undefined {
  return dirs.find((d) => existsSync(join(d, 'core.yaml')) && existsSync(join(d, 'orderer.yaml')));
}

/** Locates the Fabric binaries at the pinned version without building anything. */
export async function locateFabric(env: NodeJS.ProcessEnv = process.env): Promise<FabricBinaries | undefined> {
  const cache = cacheDir(env);
  const dir = await findVerified(searchDirs(env), 'peer', VERSIONS.fabric);
  if (dir === undefined || !FABRIC_TOOLS.every((t) => executable(join(dir, t)))) return undefined;
  if (!(await versionOk(join(dir, 'orderer'), VERSIONS.fabric))) return undefined;
  // Release tarball layout: bin/, builders/ccaas/, config/ side by side; the cache mirrors it.
  const ccaasBuilder = ccaasBuilderNear([join(dir, '..', 'builders', 'ccaas'), join(cache, 'builders', 'ccaas')]);
  const sampleConfig = sampleConfigNear([...(env.FABRIC_CFG_PATH ? [env.FABRIC_CFG_PATH] : []), join(dir, '..', 'config'), join(cache, 'config')]);
  if (ccaasBuilder === undefined || sampleConfig === undefined) return undefined;
  const tools = Object.fromEntries(FABRIC_TOOLS.map((t) => [t, join(dir, t)])) as FabricBinaries['tools'];
  return { tools, ccaasBuilder: resolve(ccaasBuilder), sampleConfig: resolve(sampleConfig) };
}

/** Locates fabric-ca-server and fabric-ca-client at the pinned version. */
export async function locateCa(env: NodeJS.ProcessEnv = process.env): Promise<CaBinaries | undefined> {
  const dirs = searchDirs(env);
  const server = await findVerified(dirs, 'fabric-ca-server', VERSIONS.fabricCa);
  const client = await findVerified(dirs, 'fabric-ca-client', VERSIONS.fabricCa);
  if (server === undefined || client === undefined) return undefined;
  return { server: join(server, 'fabric-ca-server'), client: join(client, 'fabric-ca-client') };
}

/** A throw-away Go module whose only purpose is to pin and build some commands of another module. */
export interface BuildModule {
  readonly name: string;
  readonly module: string;
  readonly version: string;
  readonly packages: readonly string[];
  readonly ldflags: string;
  readonly cgo: boolean;
  /** Install target folder, relative to the cache. */
  readonly gobin: string;
}

/**
 * The build modules, from the pinned versions. `go install pkg@version` is not used: it asks the
 * proxy for the module's version list to print deprecations (refused by some proxies) and cannot
 * share one build cache across modules; a tiny module with a `tools.go` builds the same code.
 */
export function buildModules(): { fabricCa: BuildModule; fabric: BuildModule; ccaas: BuildModule } {
  const fabricMeta = `${GO_MODULES.fabric}/common/metadata`;
  return {
    fabricCa: {
      name: 'fabric-ca',
      module: GO_MODULES.fabricCa,
      version: VERSIONS.fabricCaModule,
      packages: ['cmd/fabric-ca-server', 'cmd/fabric-ca-client'].map((p) => `${GO_MODULES.fabricCa}/${p}`),
      ldflags: `-X ${GO_MODULES.fabricCa}/lib/metadata.Version=${VERSIONS.fabricCa}`,
      cgo: true, // fabric-ca-server's default registry is sqlite (mattn/go-sqlite3 needs cgo)
      gobin: 'bin',
    },
    fabric: {
      name: 'fabric',
      module: GO_MODULES.fabric,
      version: VERSIONS.fabricModule,
      packages: ['peer', 'orderer', 'configtxgen', 'configtxlator', 'osnadmin', 'ledgerutil'].map((c) => `${GO_MODULES.fabric}/cmd/${c}`),
      ldflags: `-X ${fabricMeta}.Version=${VERSIONS.fabric} -X ${fabricMeta}.CommitSHA=${VERSIONS.fabricCommit}`,
      cgo: false,
      gobin: 'bin',
    },
    ccaas: {
      name: 'ccaas-builder',
      module: GO_MODULES.ccaasBuilder,
      version: VERSIONS.ccaasBuilderModule,
      packages: CCAAS_PROGRAMS.map((p) => `${GO_MODULES.ccaasBuilder}/cmd/${p}`),
      ldflags: '',
      cgo: false,
      gobin: join('builders', 'ccaas', 'bin'),
    },
  };
}

/** go.mod of a build module. */
export function goMod(m: BuildModule): string {
  return `module asl.local/${m.name}-build\n\ngo ${VERSIONS.goDirective}\n\nrequire ${m.module} ${m.version}\n`;
}

/** tools.go of a build module: blank imports keep the commands' packages in the module graph. */
export function toolsGo(m: BuildModule): string {
  return `//go:build tools\n\npackage tools\n\nimport (\n${m.packages.map((p) => `\t_ "${p}"\n`).join('')})\n`;
}

function goEnv(m: BuildModule, cache: string, env: NodeJS.ProcessEnv): Record<string, string> {
  const flags = [env.GOFLAGS ?? '', '-mod=mod'].join(' ').trim();
  return { GOFLAGS: flags, CGO_ENABLED: m.cgo ? '1' : '0', GOBIN: join(cache, m.gobin) };
}

/** Thrown by {@link goBuild}: which command failed and what it printed. */
export class GoBuildError extends CommandFailedError {}

/** Writes the build module below the cache and runs `go mod tidy` + `go install`. */
export async function goBuild(m: BuildModule, cache: string, opts: BinaryOptions = {}): Promise<void> {
  const env = opts.env ?? process.env;
  const dir = join(cache, 'build', m.name);
  mkdirSync(dir, { recursive: true });
  mkdirSync(join(cache, m.gobin), { recursive: true });
  writeFileSync(join(dir, 'go.mod'), goMod(m));
  rmSync(join(dir, 'go.sum'), { force: true });
  writeFileSync(join(dir, 'tools.go'), toolsGo(m));
  const goenv = goEnv(m, cache, env);
  const steps: [string, string[]][] = [
    ['go', ['mod', 'tidy']],
    ['go', ['install', ...(m.ldflags ? ['-ldflags', m.ldflags] : []), ...m.packages]],
  ];
  for (const [cmd, args] of steps) {
    opts.log?.(`  $ (cd ${dir} && ${shellQuote(cmd, args, goenv)})`);
    const r = await run(cmd, args, { cwd: dir, env: { ...env, ...goenv } }).catch((e: Error) => ({ code: null, output: e.message, stdout: '' }));
    if (r.code !== 0) throw new GoBuildError(`(cd ${dir} && ${shellQuote(cmd, args, goenv)})`, r.code, r.output);
  }
}

/** Copies Fabric's sampleconfig (core.yaml, orderer.yaml) from the module cache next to the binaries. */
async function copySampleConfig(m: BuildModule, cache: string, env: NodeJS.ProcessEnv): Promise<void> {
  const dir = join(cache, 'build', m.name);
  const r = await run('go', ['list', '-m', '-f', '{{.Dir}}', m.module], { cwd: dir, env: { ...env, GOFLAGS: '-mod=mod' } });
  if (r.code !== 0) throw new CommandFailedError(`go list -m ${m.module}`, r.code, r.output);
  const src = join(r.stdout.trim(), 'sampleconfig');
  mkdirSync(join(cache, 'config'), { recursive: true });
  for (const f of ['core.yaml', 'orderer.yaml', 'configtx.yaml']) {
    cpSync(join(src, f), join(cache, 'config', f));
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs `fn` while holding the cache's build lock (an atomically created directory with the owner's
 * PID), so two concurrent `ensure-binaries` never build into the same folder. A lock whose owner has
 * died is taken over.
 */
export async function withBuildLock<T>(cache: string, fn: () => Promise<T>, opts: { timeoutMs?: number; log?: (l: string) => void } = {}): Promise<T> {
  const lock = join(cache, '.build.lock');
  const deadline = Date.now() + (opts.timeoutMs ?? 45 * 60_000);
  mkdirSync(cache, { recursive: true });
  let announced = false;
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), String(process.pid));
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const owner = Number(readFileSafe(join(lock, 'pid')));
      if (Number.isInteger(owner) && owner > 0 && !pidAlive(owner)) {
        rmSync(lock, { recursive: true, force: true });
        continue;
      }
      if (!announced) opts.log?.(`waiting for another build (lock ${lock}, pid ${owner})`);
      announced = true;
      if (Date.now() > deadline) throw new Error(`timed out waiting for build lock ${lock}`);
      await sleep(500);
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function readFileSafe(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** Locates fabric-ca-server/-client at the pinned version, building them into the cache if needed. */
export async function ensureCa(opts: BinaryOptions = {}): Promise<CaBinaries> {
  const env = opts.env ?? process.env;
  const found = await locateCa(env);
  if (found !== undefined) return found;
  const cache = cacheDir(env);
  return withBuildLock(
    cache,
    async () => {
      const again = await locateCa(env);
      if (again !== undefined) return again;
      opts.log?.(`building Fabric CA ${VERSIONS.fabricCa} into ${cache}`);
      await goBuild(buildModules().fabricCa, cache, opts);
      const built = await locateCa(env);
      if (built === undefined) throw new Error(`Fabric CA built into ${cache}/bin but it does not report version ${VERSIONS.fabricCa}`);
      return built;
    },
    opts,
  );
}

/**
 * Locates the Fabric binaries at the pinned version, building them (and the ccaas builder) into the
 * cache if needed. Throws {@link BinariesUnavailableError} when they cannot be had, quoting the
 * failing go command and its output.
 */
export async function ensureFabric(opts: BinaryOptions = {}): Promise<FabricBinaries> {
  const env = opts.env ?? process.env;
  const found = await locateFabric(env);
  if (found !== undefined) return found;
  const cache = cacheDir(env);
  return withBuildLock(
    cache,
    async () => {
      const again = await locateFabric(env);
      if (again !== undefined) return again;
      const modules = buildModules();
      opts.log?.(`building Fabric ${VERSIONS.fabric} (${GO_MODULES.fabric}@${VERSIONS.fabricModule}) into ${cache}`);
      try {
        await goBuild(modules.fabric, cache, opts);
        await copySampleConfig(modules.fabric, cache, env);
        await goBuild(modules.ccaas, cache, opts);
      } catch (e) {
        if (e instanceof CommandFailedError) throw blocked(e);
        throw e;
      }
      const built = await locateFabric(env);
      if (built === undefined) throw new Error(`Fabric built into ${cache} but peer/orderer do not report version ${VERSIONS.fabric}`);
      return built;
    },
    opts,
  );
}

function blocked(e: CommandFailedError): BinariesUnavailableError {
  const message = [
    `Fabric ${VERSIONS.fabric} peer/orderer binaries are not available and cannot be built on this machine.`,
    `The binaries were looked for (reporting version ${VERSIONS.fabric}) in $FABRIC_BIN, $PATH and ${cacheDir()}/bin;`,
    'building them from the official Go module failed:',
    '',
    `  $ ${e.command}`,
    ...e.output.split('\n').map((l) => `  ${l}`),
    '',
    'What to do: put Fabric v3.1.5 binaries (peer, orderer, configtxgen, configtxlator, osnadmin, ledgerutil,',
    'with config/ and builders/ccaas/ beside bin/ as in the release tarball) on FABRIC_BIN, or use a Go module',
    `proxy that serves ${GO_MODULES.fabric}@${VERSIONS.fabricModule} and`,
    `${GO_MODULES.ccaasBuilder}@${VERSIONS.ccaasBuilderModule}, then run ensure-binaries again.`,
    'The Docker route (test-network/docker-compose.yaml) needs no local build.',
  ].join('\n');
  return new BinariesUnavailableError(message, e.command, e.output);
}

/** Helper for the CLI: `dirname` of a located tool, for messages. */
export function binDir(b: FabricBinaries | CaBinaries): string {
  return 'server' in b ? dirname(b.server) : dirname(b.tools.peer);
}
