/**
 * Verifier speed on a live peer's block store: copies the block files of one agency's peer (connection.json's
 * `ledgerDir`, cut after the last complete block, as test-network's ledgerutil suite copies them), then times
 *
 * - `asl-audit verify --blocks <copy> --json` as a process, as an auditor runs it (includes Node and tsx start-up),
 * - `verifyLedger` over `BlockStoreSource` in this process (the verifier alone: decoding, hashes, every signature),
 *
 * each `--runs` times, and writes the figures with the command, the machine and the ledger to a JSON file.
 *
 *   npx tsx bench/src/audit-verify.ts [--org bamf|zab] [--runs 3] [--out bench/results/audit-verify.json]
 *
 * Needs a running network (`npm run network:up`); reads the peer's files, writes nothing to the network.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { connectionOrg, readConnection } from '@asl/network/connection';
import { copyBlockStore } from '../../test-network/test/support/block-store';
import { BlockStoreSource } from '../../gateway/src/audit/block-store-source';
import { verifyLedger } from '../../gateway/src/audit/ledger-verifier';

const REPO_ROOT = resolve(__dirname, '..', '..');
const ASL_AUDIT = join(REPO_ROOT, 'gateway', 'bin', 'asl-audit');

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

function seconds(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      org: { type: 'string', default: 'bamf' },
      runs: { type: 'string', default: '3' },
      out: { type: 'string', default: join(REPO_ROOT, 'bench', 'results', 'audit-verify.json') },
    },
  });
  const runs = Number(values.runs);
  if (!Number.isSafeInteger(runs) || runs < 1) throw new Error('--runs must be a positive integer');
  const connection = readConnection();
  const peer = connectionOrg(connection, values.org).peers[0];
  if (peer === undefined) throw new Error(`${values.org} has no peer in connection.json`);

  const copy = copyBlockStore(peer.ledgerDir, connection.channel);
  try {
    const source = await BlockStoreSource.open(copy.channelDir);
    const blocks = source.blockCount;
    const bytes = statSync(join(copy.channelDir, 'blockfile_000000')).size;

    const cli: number[] = [];
    let transactions = 0;
    for (let i = 0; i < runs; i++) {
      const start = process.hrtime.bigint();
      const r = spawnSync(process.execPath, [ASL_AUDIT, 'verify', '--blocks', copy.channelDir, '--json'], { encoding: 'utf8', maxBuffer: 1 << 30 });
      cli.push(seconds(start));
      if (r.status !== 0) throw new Error(`asl-audit verify exited ${String(r.status)} (the copy should verify): ${r.stderr}`);
    }
    const library: number[] = [];
    for (let i = 0; i < runs; i++) {
      const start = process.hrtime.bigint();
      const report = await verifyLedger({ source: await BlockStoreSource.open(copy.channelDir) });
      library.push(seconds(start));
      if (!report.valid) throw new Error('the copy does not verify');
      transactions = report.blocks.reduce((n, b) => n + b.transactions.length, 0);
    }

    const result = {
      benchmark: 'audit-verify',
      command: `npx tsx ${relative(REPO_ROOT, __filename)} --org ${values.org} --runs ${runs}`,
      measuredAt: new Date().toISOString(),
      machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version, platform: process.platform },
      ledger: { peer: peer.name, channel: connection.channel, blocks, transactions, blockFileBytes: bytes },
      aslAuditProcess: { seconds: cli, medianSeconds: median(cli), blocksPerSecond: blocks / median(cli) },
      verifyLedgerInProcess: { seconds: library, medianSeconds: median(library), blocksPerSecond: blocks / median(library) },
    };
    mkdirSync(dirname(values.out), { recursive: true });
    writeFileSync(values.out, `${JSON.stringify(result, null, 2)}\n`);
    process.stdout.write(
      `${blocks} blocks (${transactions} transactions, ${(bytes / 2 ** 20).toFixed(1)} MiB) of ${result.ledger.peer}: ` +
        `asl-audit verify ${result.aslAuditProcess.medianSeconds.toFixed(2)} s (${result.aslAuditProcess.blocksPerSecond.toFixed(0)} blocks/s), ` +
        `verifyLedger ${result.verifyLedgerInProcess.medianSeconds.toFixed(2)} s (${result.verifyLedgerInProcess.blocksPerSecond.toFixed(0)} blocks/s); written to ${values.out}\n`,
    );
  } finally {
    rmSync(copy.root, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`audit-verify: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
