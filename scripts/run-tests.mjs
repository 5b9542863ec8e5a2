#!/usr/bin/env node
// Test entry point for `npm test` (all), `npm run test:unit` and `npm run test:int`.
// `all` first installs what is missing (npm packages, Chromium, Fabric CA build), then runs lint, type
// check, unit/contract tests, browser tests, integration tests that start their own processes, and the
// suites against a real two-agency network that this script builds (Fabric from ../shared/third_party),
// starts fresh and stops. A suite that could not run fails the run.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const mode = process.argv[2] ?? 'all';
const results = [];
const counts = { passed: 0, failed: 0, skipped: 0 };
const reports = join(root, '.asl', 'test-reports');
const startedAll = Date.now();

function run(name, cmd, args, env = {}) {
  const started = Date.now();
  process.stdout.write(`\n=== ${name}: ${cmd} ${args.join(' ')}\n`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  results.push({ name, status: r.status, seconds });
  return r.status ?? 1;
}

function installIfMissing() {
  const lock = join(root, 'package-lock.json');
  const marker = join(root, 'node_modules', '.package-lock.json');
  const stale = !existsSync(marker) || (existsSync(lock) && statSync(lock).mtimeMs > statSync(marker).mtimeMs);
  if (stale) {
    const status = run('install', 'npm', existsSync(lock) ? ['ci', '--no-audit', '--no-fund'] : ['install', '--no-audit', '--no-fund']);
    if (status !== 0) finish();
  }
}

function jest(kind, extra = []) {
  mkdirSync(reports, { recursive: true });
  const report = join(reports, `jest-${kind}.json`);
  rmSync(report, { force: true });
  const status = run(
    `jest ${kind}`,
    process.execPath,
    [join(root, 'node_modules', 'jest', 'bin', 'jest.js'), '--ci', '--json', `--outputFile=${report}`, ...extra],
    { ASL_TEST_KIND: kind },
  );
  if (existsSync(report)) {
    const r = JSON.parse(readFileSync(report, 'utf8'));
    counts.passed += r.numPassedTests;
    counts.failed += r.numFailedTests;
    counts.skipped += r.numPendingTests + r.numTodoTests;
  }
  return status;
}

/** Records a stage that could not run as a failure, with the reason. */
function notRun(name, reason) {
  process.stdout.write(`\nFAIL: ${name} not run: ${reason}\n`);
  results.push({ name: `${name} NOT RUN: ${reason}`, status: 1, seconds: '0.0' });
}

function finish() {
  process.stdout.write('\n=== summary\n');
  for (const r of results) process.stdout.write(`${r.status === 0 ? 'ok  ' : 'FAIL'} ${r.name} (${r.seconds}s)\n`);
  const failed = results.filter((r) => r.status !== 0).length;
  process.stdout.write(`tests: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped\n`);
  process.stdout.write(`total: ${((Date.now() - startedAll) / 1000).toFixed(1)}s\n`);
  process.exit(failed === 0 ? 0 : 1);
}

const network = (...args) => run(`network ${args.join(' ')}`, 'npx', ['tsx', 'network/src/cli.ts', ...args]);

installIfMissing();
if (mode === 'unit') {
  jest('unit');
} else if (mode === 'int') {
  jest('net', ['--runInBand']);
  jest('restart', ['--runInBand']);
} else {
  run('lint', 'npx', ['eslint', '.']);
  run('typecheck', 'npx', ['tsc', '-p', 'tsconfig.json']);
  jest('unit');
  if (existsSync(join(root, 'scripts', 'ensure-chromium.mjs'))) {
    if (run('chromium', process.execPath, [join(root, 'scripts', 'ensure-chromium.mjs')]) === 0) jest('browser', ['--runInBand']);
  }
  run('xmllint', 'sh', [join(root, 'adapters', 'scripts', 'install-xmllint.sh')]);
  // The live network: Fabric built from ../shared/third_party (or found), brought up fresh, every
  // *.net.test.ts run against it, brought down. Anything that keeps the network suites from running is a
  // failure of `npm test`, never a line counted as passed.
  const binaries = network('ensure-binaries');
  jest('int', ['--runInBand']);
  if (binaries !== 0) {
    notRun('network suites', 'the Fabric binaries could not be had (see "network ensure-binaries" above)');
  } else if (network('up', '--fresh') !== 0) {
    notRun('network suites', 'the network did not come up (see "network up --fresh" above; logs in .asl/network/logs)');
    network('down');
  } else {
    jest('net', ['--runInBand']);
    jest('restart', ['--runInBand']);
    network('down');
  }
}
finish();
