/**
 * Cost of the auditor's receipt route `GET /api/v1/audit/receipts/{txId}` on the live network, per call, at the
 * ledger's current height: starts both gateways as processes (gateway/test/support/live-gateways.ts: free ports,
 * temporary folders), registers a ZAB adapter and a BAMF auditor through the admin API, optionally writes cases until
 * the channel has `--grow-to` blocks (one write, one block), then times the route at BAMF's gateway:
 *
 * - `head`:   a receipt written just before, called `--calls` times (the first call of a fresh gateway included),
 * - `old`:    the receipt of a write made at the start (an older block), called `--calls` times,
 * - `newest`: one call each for receipts of `--calls` further writes, each written right before it is asked for.
 *
 *   npx tsx bench/src/audit-receipt-route.ts [--grow-to 600] [--calls 5] [--out bench/results/audit-receipt-route.json]
 *
 * The script only uses startLiveGateways and HTTP, so the same file run from a checkout of an older commit measures
 * that commit's route (gateway/README.md, "The receipt route", has both).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startLiveGateways, type LiveGateway } from '../../gateway/test/support/live-gateways';

const REPO_ROOT = resolve(__dirname, '..', '..');

async function call(gw: LiveGateway, method: string, path: string, token: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  const res = await fetch(gw.url + path, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text.length > 0 ? (JSON.parse(text) as unknown) : undefined };
}

function field(value: unknown, ...path: string[]): unknown {
  let v = value;
  for (const key of path) v = typeof v === 'object' && v !== null ? Reflect.get(v, key) : undefined;
  return v;
}

async function register(gw: LiveGateway, role: string): Promise<string> {
  const r = await call(gw, 'POST', '/api/v1/admin/users', gw.adminToken, { userId: `${gw.orgKey}-bench-${role}-${randomBytes(3).toString('hex')}`, role });
  const token = field(r.body, 'token');
  if (r.status !== 201 || typeof token !== 'string') throw new Error(`registering a ${role} answered ${r.status}`);
  return token;
}

/** ZAB's adapter registers a fresh case; returns its receipt's txId and block number. */
async function writeCase(zab: LiveGateway, adapter: string): Promise<{ txId: string; blockNumber: number }> {
  const ids = await call(zab, 'POST', '/api/v1/case-ids', adapter, { azrNumber: `9997${String(randomBytes(4).readUInt32BE() % 100_000_000).padStart(8, '0')}` });
  const caseId = field(ids.body, 'caseId');
  if (typeof caseId !== 'string') throw new Error(`case-ids answered ${ids.status}`);
  for (let attempt = 0; ; attempt++) {
    const r = await call(zab, 'POST', `/api/v1/cases/${caseId}/events`, adapter, {
      type: 'CASE_REGISTERED',
      occurredAt: new Date().toISOString(),
      sourceMessageId: `bench-${randomUUID()}`,
      data: { facility: 'AE-DD-TEST', registeredOn: new Date().toISOString().slice(0, 10) },
    });
    const txId = field(r.body, 'receipt', 'txId');
    const blockNumber = field(r.body, 'receipt', 'blockNumber');
    if ((r.status === 201 || r.status === 200) && typeof txId === 'string' && typeof blockNumber === 'string') return { txId, blockNumber: Number(blockNumber) };
    if ((r.status !== 503 && r.status !== 504) || attempt > 20) throw new Error(`write answered ${r.status}: ${JSON.stringify(r.body)}`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

async function timedReceipt(gw: LiveGateway, auditor: string, txId: string): Promise<number> {
  const start = process.hrtime.bigint();
  const r = await call(gw, 'GET', `/api/v1/audit/receipts/${txId}`, auditor);
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 200 || field(r.body, 'verified') !== true) throw new Error(`receipt route answered ${r.status}: ${JSON.stringify(r.body)}`);
  return Math.round(ms);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'grow-to': { type: 'string', default: '0' },
      calls: { type: 'string', default: '5' },
      out: { type: 'string', default: join(REPO_ROOT, 'bench', 'results', 'audit-receipt-route.json') },
    },
  });
  const growTo = Number(values['grow-to']);
  const calls = Number(values.calls);
  const gateways = await startLiveGateways();
  try {
    const adapter = await register(gateways.zab, 'adapter');
    const auditor = await register(gateways.bamf, 'auditor');
    const old = await writeCase(gateways.zab, adapter);
    let last = old;
    while (last.blockNumber + 1 < growTo) {
      last = await writeCase(gateways.zab, adapter);
      if (last.blockNumber % 50 === 0) process.stderr.write(`grown to ${last.blockNumber + 1} blocks\n`);
    }
    const head = await writeCase(gateways.zab, adapter);
    const headMs: number[] = [];
    for (let i = 0; i < calls; i++) headMs.push(await timedReceipt(gateways.bamf, auditor, head.txId));
    const oldMs: number[] = [];
    for (let i = 0; i < calls; i++) oldMs.push(await timedReceipt(gateways.bamf, auditor, old.txId));
    const newestMs: number[] = [];
    let newest = head;
    for (let i = 0; i < calls; i++) {
      newest = await writeCase(gateways.zab, adapter);
      newestMs.push(await timedReceipt(gateways.bamf, auditor, newest.txId));
    }
    let commit = 'unknown';
    try {
      commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
    } catch {
      // not a git checkout
    }
    const result = {
      benchmark: 'audit-receipt-route',
      command: `npx tsx ${relative(REPO_ROOT, __filename)} --grow-to ${growTo} --calls ${calls}`,
      commit,
      measuredAt: new Date().toISOString(),
      machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', node: process.version },
      ledgerHeight: newest.blockNumber + 1,
      head: { blockNumber: head.blockNumber, ms: headMs, medianMs: median(headMs) },
      old: { blockNumber: old.blockNumber, ms: oldMs, medianMs: median(oldMs) },
      newest: { lastBlockNumber: newest.blockNumber, ms: newestMs, medianMs: median(newestMs) },
    };
    mkdirSync(dirname(values.out), { recursive: true });
    writeFileSync(values.out, `${JSON.stringify(result, null, 2)}\n`);
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    await gateways.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`audit-receipt-route: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
