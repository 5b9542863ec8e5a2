#!/usr/bin/env node
// `npm run demo`: installs what is missing, builds or locates Fabric, then starts the whole system.
// The network is the foundation of the demo: when its binaries cannot be had, the demo says so and stops.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const sh = (cmd, args) => spawnSync(cmd, args, { cwd: root, stdio: 'inherit' }).status ?? 1;

if (!existsSync(join(root, 'node_modules', '.package-lock.json')) && sh('npm', ['ci', '--no-audit', '--no-fund']) !== 0) {
  process.exit(1);
}
const binaries = sh('npx', ['tsx', 'network/src/cli.ts', 'ensure-binaries']);
if (binaries !== 0) {
  process.stderr.write(
    '\nThe demo needs the real two-agency Fabric network, and its binaries could not be found or built (see the output\n' +
      'above; Fabric is built from ../shared/third_party/fabric-3.1.5-src.tar.gz). Nothing was started.\n' +
      'Retry with: npx tsx network/src/cli.ts ensure-binaries\n',
  );
  process.exit(binaries);
}
const up = sh('npx', ['tsx', 'network/src/cli.ts', 'up']);
if (up !== 0) process.exit(up);
process.stderr.write('\nThe network is up. Gateways, adapters and simulators are not built yet (issues 4 and 7).\n');
process.exit(0);
