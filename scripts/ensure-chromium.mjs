#!/usr/bin/env node
// Makes sure Debian's Chromium is at /usr/bin/chromium for the web UI's browser tests (gateway/test/ui).
// Playwright never downloads a browser here: playwright-core drives the distribution's package. When the
// binary is missing and we are root (CI, a fresh machine), it installs the `chromium` package with apt-get;
// otherwise it says what to run and exits 1. Exit 0 means the browser is there and starts.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CHROMIUM = process.env.ASL_CHROMIUM ?? '/usr/bin/chromium';

function run(cmd, args) {
  process.stdout.write(`$ ${cmd} ${args.join(' ')}\n`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  return r.status ?? 1;
}

function version() {
  const r = spawnSync(CHROMIUM, ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

if (!existsSync(CHROMIUM)) {
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!root) {
    process.stderr.write(`${CHROMIUM} is missing; install it with: sudo apt-get update && sudo apt-get install -y chromium\n`);
    process.exit(1);
  }
  if (run('apt-get', ['update']) !== 0 || run('apt-get', ['install', '-y', 'chromium']) !== 0) {
    process.stderr.write('apt-get could not install chromium\n');
    process.exit(1);
  }
}

const v = version();
if (v === undefined) {
  process.stderr.write(`${CHROMIUM} does not start (--version failed)\n`);
  process.exit(1);
}
process.stdout.write(`chromium: ${v}\n`);
