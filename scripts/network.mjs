#!/usr/bin/env node
// `npm run network:up|down|status [-- args]`: a thin wrapper around the network CLI (network/src/cli.ts).
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const r = spawnSync('npx', ['tsx', join(root, 'network', 'src', 'cli.ts'), ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
process.exit(r.status ?? 1);
