#!/usr/bin/env node
// `npm run demo [-- up|down|status]`: installs what is missing (npm packages; Fabric is built by the demo's first
// step from ../shared/third_party/), then runs the demo (test-network/src/demo/cli.ts) in this terminal.
// Ctrl-C reaches the demo, which stops everything it started before it exits; this wrapper waits for it.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
if (!existsSync(join(root, 'node_modules', '.package-lock.json'))) {
  process.stderr.write('installing npm packages (npm ci) …\n');
  if ((spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' }).status ?? 1) !== 0) {
    process.stderr.write('\ndemo: step "install" failed (npm ci, output above). Retry: npm ci\n');
    process.exit(1);
  }
}
const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'test-network', 'src', 'demo', 'cli.ts'), ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, TSX_TSCONFIG_PATH: join(root, 'tsconfig.json') },
});
// The terminal's Ctrl-C goes to the whole foreground group; the demo handles it. Do not die before it has stopped.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal === 'SIGINT' ? 'SIGINT' : 'SIGTERM'));
child.on('exit', (code, signal) => process.exit(code ?? (signal === null ? 1 : 130)));
