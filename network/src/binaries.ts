import { createHash } from 'node:crypto';
import { accessSync, constants, cpSync, createReadStream, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { BinariesUnavailableError, CommandFailedError } from './errors';
import { run, shellQuote } from './exec';
import { sharedDir } from './layout';
import { CACHE_KEY, FABRIC_SOURCE, GO_MODULES, VERSIONS } from './versions';

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
 * The Fabric CA build module. `go install pkg@version` is not used: it asks the proxy for the
 * module's version list to print deprecations (refused by some proxies); a tiny module with a
 * `tools.go` builds the same code.
 */
export function fabricCaModule(): BuildModule {
  return {
    name: 'fabric-ca',
    module: GO_MODULES.fabricCa,
    version: VERSIONS.fabricCaModule,
    packages: ['cmd/fabric-ca-server', 'cmd/fabric-ca-client'].map((p) => `${GO_MODULES.fabricCa}/${p}`),
    ldflags: `-X ${GO_MODULES.fabricCa}/lib/metadata.Version=${VERSIONS.fabricCa}`,
    cgo: true, // fabric-ca-server's default registry is sqlite (mattn/go-sqlite3 needs cgo)
    gobin: 'bin',
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

/** Thrown when a build command fails: which command and what it printed. */
export class GoBuildError extends CommandFailedError {}

/** One command of a build, with the environment it adds. */
export interface BuildCommand {
  readonly cwd: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
}

async function runBuild(c: BuildCommand, env: NodeJS.ProcessEnv, log?: (l: string) => void): Promise<void> {
  const line = `(cd ${c.cwd} && ${shellQuote(c.command, c.args, c.env)})`;
  log?.(`  $ ${line}`);
  const r = await run(c.command, c.args, { cwd: c.cwd, env: { ...env, ...c.env } }).catch((e: Error) => ({ code: null, output: e.message, stdout: '' }));
  if (r.code !== 0) throw new GoBuildError(line, r.code, r.output);
}

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
  await runBuild({ cwd: dir, command: 'go', args: ['mod', 'tidy'], env: goenv }, env, opts.log);
  await runBuild({ cwd: dir, command: 'go', args: ['install', ...(m.ldflags ? ['-ldflags', m.ldflags] : []), ...m.packages], env: goenv }, env, opts.log);
}

/** The Fabric source archive: `$ASL_FABRIC_SOURCE`, default `<shared dir>/third_party/<file>` (layout.ts sharedDir). */
export function fabricSourceArchive(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.ASL_FABRIC_SOURCE ?? join(sharedDir(env), 'third_party', FABRIC_SOURCE.file));
}

/** sha256 of a file, hex. */
export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** The `-ldflags` Fabric's Makefile sets (common/metadata), without which `peer version` reports no version. */
export function fabricLdflags(): string {
  const m = 'github.com/hyperledger/fabric/common/metadata';
  return [
    `-X ${m}.Version=${VERSIONS.fabric}`,
    `-X ${m}.CommitSHA=${VERSIONS.fabricCommit}`,
    `-X ${m}.BaseDockerLabel=org.hyperledger.fabric`,
    `-X ${m}.DockerNamespace=hyperledger`,
  ].join(' ');
}

/**
 * The commands that build Fabric from the unpacked source tree `src` into `cache`: peer, orderer and
 * tools offline from the vendored modules (`GOPROXY=off`, `-mod=vendor`), then the CCaaS builder, a
 * nested module whose three small dependencies come from the Go module proxy.
 */
export function fabricBuildCommands(src: string, cache: string): BuildCommand[] {
  return [
    {
      cwd: src,
      command: 'go',
      args: ['build', '-buildvcs=false', '-ldflags', fabricLdflags(), '-o', join(cache, 'bin') + '/', ...FABRIC_TOOLS.map((t) => `./cmd/${t}`)],
      env: { GOFLAGS: '-mod=vendor', GOPROXY: 'off', CGO_ENABLED: '0' },
    },
    {
      cwd: join(src, 'ccaas_builder'),
      command: 'go',
      args: ['build', '-buildvcs=false', '-o', join(cache, 'builders', 'ccaas', 'bin') + '/', ...CCAAS_PROGRAMS.map((p) => `./cmd/${p}`)],
      env: { GOFLAGS: '-mod=mod', CGO_ENABLED: '0' },
    },
  ];
}

/** Fabric's sample node configs, the base of every generated core.yaml / orderer.yaml. */
export const SAMPLE_CONFIG_FILES = ['core.yaml', 'orderer.yaml', 'configtx.yaml'] as const;

/**
 * Builds Fabric from the source archive into the cache: checks the archive's sha256, unpacks it below
 * `<cache>/build/`, runs {@link fabricBuildCommands}, copies the sample configs, removes the unpacked tree.
 */
export async function buildFabricFromSource(cache: string, opts: BinaryOptions = {}): Promise<void> {
  const env = opts.env ?? process.env;
  const archive = fabricSourceArchive(env);
  if (!existsSync(archive)) {
    throw new BinariesUnavailableError(
      `Fabric ${VERSIONS.fabric} is not on FABRIC_BIN, PATH or in ${cache}/bin, and its source archive ${archive} is missing ` +
        '(expected beside the checkout in ../shared/third_party/, or set ASL_FABRIC_SOURCE).',
      `test -f ${archive}`,
      'no such file',
    );
  }
  const sum = await sha256File(archive);
  if (sum !== FABRIC_SOURCE.sha256) {
    throw new BinariesUnavailableError(
      `${archive} has sha256 ${sum}, expected ${FABRIC_SOURCE.sha256} (../shared/third_party/README.md); refusing to build from it.`,
      `sha256sum ${archive}`,
      sum,
    );
  }
  const work = join(cache, 'build', 'fabric-src');
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  await runBuild({ cwd: work, command: 'tar', args: ['-xzf', archive], env: {} }, env, opts.log);
  const src = join(work, FABRIC_SOURCE.topDir);
  for (const c of fabricBuildCommands(src, cache)) await runBuild(c, env, opts.log);
  mkdirSync(join(cache, 'config'), { recursive: true });
  for (const f of SAMPLE_CONFIG_FILES) cpSync(join(src, 'sampleconfig', f), join(cache, 'config', f));
  rmSync(work, { recursive: true, force: true });
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
      await goBuild(fabricCaModule(), cache, opts);
      const built = await locateCa(env);
      if (built === undefined) throw new Error(`Fabric CA built into ${cache}/bin but it does not report version ${VERSIONS.fabricCa}`);
      return built;
    },
    opts,
  );
}

/**
 * Locates the Fabric binaries at the pinned version, building them (and the ccaas builder) from the
 * source archive into the cache if needed. Throws {@link BinariesUnavailableError} when the archive is
 * missing or does not match its sha256, {@link GoBuildError} when a build command fails.
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
      const started = Date.now();
      opts.log?.(`building Fabric ${VERSIONS.fabric} from ${fabricSourceArchive(env)} into ${cache} (about 1.5 min on 2 cores)`);
      await buildFabricFromSource(cache, opts);
      const built = await locateFabric(env);
      if (built === undefined) throw new Error(`Fabric built into ${cache} but peer/orderer do not report version ${VERSIONS.fabric}`);
      opts.log?.(`built Fabric ${VERSIONS.fabric} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      return built;
    },
    opts,
  );
}

/** Helper for the CLI: `dirname` of a located tool, for messages. */
export function binDir(b: FabricBinaries | CaBinaries): string {
  return 'server' in b ? dirname(b.server) : dirname(b.tools.peer);
}
