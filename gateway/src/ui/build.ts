import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';

/** Where the UI's client sources live (`gateway/ui`) and where the bundle goes (`gateway/dist/ui`, gitignored). */
export const UI_SOURCE_DIR = resolve(__dirname, '../../ui');
export const UI_OUT_DIR = resolve(__dirname, '../../dist/ui');
/** Sources outside `gateway/ui` the bundle may reach (the domain core's types and constants). */
const EXTRA_SOURCE_DIRS = [resolve(__dirname, '../../../chaincode/src/domain')];
const HASH_FILE = 'build-hash.txt';

/** The built assets, in memory. */
export interface UiAssets {
  readonly js: Buffer;
  readonly css: Buffer;
  /** Hash of the sources the bundle was built from. */
  readonly hash: string;
}

/** Options of {@link ensureUiBuilt}. */
export interface UiBuildOptions {
  readonly sourceDir?: string;
  readonly outDir?: string;
  /** Minify (default true: the production build). */
  readonly minify?: boolean;
}

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(path)));
    else if (/\.(ts|css|json)$/.test(entry.name)) out.push(path);
  }
  return out.sort();
}

/** SHA-256 over every source file's path and content and the esbuild version: the cache key of the bundle. */
export async function sourceHash(sourceDir: string, esbuildVersion: string, minify: boolean): Promise<string> {
  const hash = createHash('sha256').update(`esbuild ${esbuildVersion} minify ${minify}\n`);
  for (const dir of [sourceDir, ...EXTRA_SOURCE_DIRS]) {
    for (const file of await filesUnder(dir)) {
      hash.update(`${relative(dir, file)}\n`).update(await readFile(file)).update('\n');
    }
  }
  return hash.digest('hex');
}

async function readAssets(outDir: string): Promise<UiAssets | undefined> {
  try {
    const [js, css, hash] = await Promise.all([readFile(join(outDir, 'app.js')), readFile(join(outDir, 'app.css')), readFile(join(outDir, HASH_FILE), 'utf8')]);
    return { js, css, hash: hash.trim() };
  } catch {
    return undefined;
  }
}

/**
 * Returns the UI bundle, building it with esbuild when it is missing or its sources changed. The bundle is
 * not committed: it is built on demand (first request, or `npm run build:ui -w gateway`) into a gitignored
 * directory and reused while the source hash matches. The build writes into a fresh directory and renames
 * it into place, so concurrent processes never serve half a bundle.
 */
export async function ensureUiBuilt(options: UiBuildOptions = {}): Promise<UiAssets> {
  const sourceDir = options.sourceDir ?? UI_SOURCE_DIR;
  const outDir = options.outDir ?? UI_OUT_DIR;
  const minify = options.minify ?? true;
  const esbuild = await import('esbuild');
  const hash = await sourceHash(sourceDir, esbuild.version, minify);
  const existing = await readAssets(outDir);
  if (existing?.hash === hash) return existing;

  const tmp = `${outDir}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  await mkdir(tmp, { recursive: true });
  try {
    await esbuild.build({
      entryPoints: { app: join(sourceDir, 'src', 'main.ts') },
      bundle: true,
      outdir: tmp,
      format: 'iife',
      platform: 'browser',
      target: ['chrome110', 'firefox110', 'safari16'],
      minify,
      sourcemap: false,
      legalComments: 'none',
      charset: 'utf8',
      tsconfig: join(sourceDir, 'tsconfig.json'),
      logLevel: 'silent',
    });
    await writeFile(join(tmp, HASH_FILE), `${hash}\n`);
    await rm(outDir, { recursive: true, force: true });
    try {
      await rename(tmp, outDir);
    } catch {
      // Another process put its bundle there first; it was built from the same sources if the hash matches.
    }
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  const built = await readAssets(outDir);
  if (!built || built.hash !== hash) throw new Error('UI bundle could not be built');
  return built;
}
