/**
 * Growth in events per case (issue 19, item 3), in this process, without a network: one case is written
 * through the `procedure` contract over the contract tests' in-memory ledger, following a long,
 * domain-valid history (growth/scenario.ts). When the case holds each of `--sizes` events, the benchmark
 * times, `--samples` times each (after `--warmup` untimed runs), four kinds of next write:
 *
 * - `fact` (`RECEPTION_ASSIGNED`), `courtFact` (`DEPORTATION_STAY_NOTIFIED` for a new court file),
 *   `acknowledgement` (`WARNING_ACKNOWLEDGED` of a warning the agency has not acknowledged),
 *   `retraction` (`EVENT_RETRACTED` of the latest facility assignment),
 *
 * each as `contract` (`RecordEvent` for an endorsement: load the case, decide, store, emit; never
 * committed, so every sample sees the same case) and as `decide` (the domain decision alone, on the
 * request the contract would build). Per size it also times the contract's `loadCase` (range scan,
 * JSON, schema per event), the fake ledger's range scan alone (a cost of the fake, not of Fabric), and
 * the gateway read model's evaluation of the case (`evaluateCase`: the fold, event and clock rules,
 * next actions), which every read and every clock tick runs per case.
 *
 *   npx tsx bench/src/growth.ts [--sizes 10,100,1000] [--samples 25] [--warmup 3] [--label after]
 *                               [--out bench/results/growth.json]
 *   npm run bench:growth -w bench -- [options]
 *
 * Writes the command, machine, commit, scenario and every sample to the JSON file; prints a table.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import * as domainByAlias from '@asl/chaincode/domain';
import {
  acknowledgeableWarningIds,
  decide,
  DomainError,
  foldCase,
  retractedTxIds,
  type StoredEvent,
} from '../../chaincode/src/domain';
import { ID } from '../../chaincode/test/contract/support/fixtures';
import { ORG_DIRECTORY } from '../../chaincode/src/contract/org-directory';
import { evaluateCase } from '../../gateway/src/readmodel/evaluate';
import { ContractDriver, type Write } from './growth/contract-driver';
import { fakeCourtRef, growthScenario } from './growth/scenario';
import { summarise, timeRuns, type Summary } from './growth/stats';

const REPO_ROOT = resolve(__dirname, '..', '..');

/** The next writes timed at every size. */
const PROBES = ['fact', 'courtFact', 'acknowledgement', 'retraction'] as const;
type Probe = (typeof PROBES)[number];

function probeWrite(probe: Probe, history: readonly StoredEvent[], at: string): Write {
  switch (probe) {
    case 'fact':
      return { who: ID.zabAdapter, type: 'RECEPTION_ASSIGNED', data: { facility: 'AE-DD-TEST' } };
    case 'courtFact':
      return { who: ID.bamfAdapter, type: 'DEPORTATION_STAY_NOTIFIED', data: { courtRef: fakeCourtRef('probe', 0) } };
    case 'acknowledgement': {
      const acks = foldCase(history).acks;
      for (const id of [...acknowledgeableWarningIds(history, at)].sort()) {
        for (const who of [ID.bamfCaseworker, ID.zabCaseworker]) {
          if (acks[id]?.includes(who.mspId) === true) continue;
          const [code = '', anchorTxId = ''] = id.split(':');
          return { who, type: 'WARNING_ACKNOWLEDGED', data: { code, anchorTxId } };
        }
      }
      throw new Error('no warning left to acknowledge at this size');
    }
    case 'retraction': {
      const retracted = retractedTxIds(history);
      const target = [...history].reverse().find((e) => e.type === 'RECEPTION_ASSIGNED' && !retracted.has(e.txId));
      if (target === undefined) throw new Error('no facility assignment to retract at this size');
      return { who: ID.zabAdapter, type: 'EVENT_RETRACTED', data: { retractedTxId: target.txId, retractionReason: 'TEST-ERROR' } };
    }
  }
}

interface Measured {
  readonly summary: Summary;
  readonly samplesMs: readonly number[];
}

function measured(samplesMs: readonly number[]): Measured {
  return { summary: summarise(samplesMs), samplesMs: samplesMs.map((ms) => Math.round(ms * 1000) / 1000) };
}

/** Digests of answers and views, so runs of two commits can show they computed the same results. */
function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function git(args: readonly string[]): string {
  try {
    return execFileSync('git', args, { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

function countBy<T>(items: readonly T[], key: (item: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of items) out[key(item)] = (out[key(item)] ?? 0) + 1;
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}

async function measureSize(driver: ContractDriver, samples: number, warmup: number): Promise<Record<string, unknown>> {
  const history = await driver.history(driver.probeStub('2026-01-05T10:00:00.000Z'));
  const last = history[history.length - 1];
  if (last === undefined) throw new Error('empty case');
  const at = `${last.recordedAt.slice(0, 10)}T15:00:00.000Z`;
  const probes: Record<string, unknown> = {};
  for (const probe of PROBES) {
    const write = probeWrite(probe, history, at);
    const text = await driver.recordEvent(driver.probeStub(at), write);
    const answer = JSON.parse(text) as { warnings: unknown[]; blocked: boolean };
    const contract = await timeRuns(() => driver.probeStub(at), (stub) => driver.recordEvent(stub, write), samples, warmup);
    const request = await driver.decideRequest(driver.probeStub(at), write, history);
    const decideOnly = await timeRuns(() => request, (req) => decide(req), samples, warmup);
    probes[probe] = {
      write: {
        type: write.type,
        by: `${write.who.mspId}/${write.who.role ?? ''}`,
        warningsAfter: answer.warnings.length,
        blocked: answer.blocked,
        answerSha256: sha256(text),
      },
      contract: measured(contract),
      decide: measured(decideOnly),
    };
  }
  const loadCase = await timeRuns(() => driver.probeStub(at), (stub) => driver.history(stub), samples, warmup);
  const fakeScan = await timeRuns(() => driver.probeStub(at), (stub) => driver.scanOnly(stub), samples, warmup);
  const gatewayEvaluate = await timeRuns(() => at, (now) => evaluateCase(history, now, ORG_DIRECTORY), samples, warmup);
  const view = evaluateCase(history, at, ORG_DIRECTORY);
  return {
    events: history.length,
    judgedAt: at,
    caseFacts: {
      eventTypes: countBy(history, (e) => e.type),
      retracted: retractedTxIds(history).size,
      confirmations: history.filter((e) => e.confirmationOf !== undefined).length,
      openWarnings: view.warnings.length,
      historyBytes: history.reduce((n, e) => n + JSON.stringify(e).length, 0),
      stateBytes: JSON.stringify(foldCase(history)).length,
      viewSha256: sha256(JSON.stringify(view)),
    },
    probes,
    loadCase: measured(loadCase),
    fakeScan: measured(fakeScan),
    gatewayEvaluate: measured(gatewayEvaluate),
  };
}

/** Median of `pick` at each size over the one before: 10× more events, so ~10 is linear and ~100 quadratic. */
function growthFactors(sizes: readonly Record<string, unknown>[], pick: (size: Record<string, unknown>) => number): Record<string, number> {
  const out: Record<string, number> = {};
  for (let i = 1; i < sizes.length; i += 1) {
    const a = sizes[i - 1];
    const b = sizes[i];
    if (a === undefined || b === undefined) continue;
    out[`${String(a['events'])}→${String(b['events'])}`] = Math.round((pick(b) / pick(a)) * 10) / 10;
  }
  return out;
}

function medianOf(path: readonly string[]): (size: Record<string, unknown>) => number {
  return (size) => {
    let node: unknown = size;
    for (const key of path) node = (node as Record<string, unknown>)[key];
    return (node as Measured).summary.medianMs;
  };
}

const METRICS: readonly { readonly name: string; readonly path: readonly string[] }[] = [
  ...PROBES.flatMap((p) => [
    { name: `${p} contract`, path: ['probes', p, 'contract'] },
    { name: `${p} decide`, path: ['probes', p, 'decide'] },
  ]),
  { name: 'loadCase', path: ['loadCase'] },
  { name: 'fake range scan', path: ['fakeScan'] },
  { name: 'gateway evaluateCase', path: ['gatewayEvaluate'] },
];

function printTable(sizes: readonly Record<string, unknown>[]): void {
  const header = ['metric (ms)', ...sizes.map((s) => `${String(s['events'])} ev median / p95`), 'growth'];
  const rows = METRICS.map((m) => {
    const cells = sizes.map((s) => {
      let node: unknown = s;
      for (const key of m.path) node = (node as Record<string, unknown>)[key];
      const { medianMs, p95Ms } = (node as Measured).summary;
      return `${medianMs.toFixed(3)} / ${p95Ms.toFixed(3)}`;
    });
    const factors = Object.values(growthFactors(sizes, medianOf(m.path))).map((f) => `${f}×`);
    return [m.name, ...cells, factors.join(', ')];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
  process.stdout.write(`${line(header)}\n${rows.map(line).join('\n')}\n`);
}

async function main(): Promise<void> {
  if (domainByAlias.decide !== decide) {
    throw new Error('@asl/chaincode/domain resolves to a build, not the source: run with the repository tsconfig (npx tsx from the repo root)');
  }
  const { values } = parseArgs({
    options: {
      sizes: { type: 'string', default: '10,100,1000' },
      samples: { type: 'string', default: '25' },
      warmup: { type: 'string', default: '3' },
      label: { type: 'string', default: '' },
      out: { type: 'string', default: join(REPO_ROOT, 'bench', 'results', 'growth.json') },
    },
  });
  const sizes = values.sizes.split(',').map(Number);
  const samples = Number(values.samples);
  const warmup = Number(values.warmup);
  if (sizes.some((n) => !Number.isSafeInteger(n) || n < 1) || [...sizes].sort((a, b) => a - b).join() !== sizes.join()) {
    throw new Error('--sizes must be increasing positive integers');
  }
  if (!Number.isSafeInteger(samples) || samples < 1 || !Number.isSafeInteger(warmup) || warmup < 0) {
    throw new Error('--samples must be a positive and --warmup a non-negative integer');
  }

  const loadStart = loadavg().map((l) => Math.round(l * 100) / 100);
  const driver = new ContractDriver();
  const scenario = growthScenario(driver);
  const results: Record<string, unknown>[] = [];
  let written = 0;
  const started = process.hrtime.bigint();
  const buildMs: Record<string, number> = {};
  for (const size of sizes) {
    const buildStart = process.hrtime.bigint();
    for (; written < size; written += 1) await driver.write(scenario.next().value);
    buildMs[String(size)] = Math.round(Number(process.hrtime.bigint() - buildStart) / 1e6);
    process.stdout.write(`${size} events written (${buildMs[String(size)]} ms); measuring…\n`);
    results.push(await measureSize(driver, samples, warmup));
  }

  const out = resolve(process.env['INIT_CWD'] ?? process.cwd(), values.out);
  const report = {
    benchmark: 'growth',
    label: values.label,
    command: ['npx', 'tsx', relative(REPO_ROOT, __filename), ...process.argv.slice(2)].join(' '),
    date: new Date().toISOString(),
    commit: git(['rev-parse', '--short', 'HEAD']),
    workingTreeChanges: git(['status', '--porcelain', '--', 'chaincode/src', 'gateway/src']).split('\n').filter((l) => l !== ''),
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', totalMemMiB: Math.round(totalmem() / 2 ** 20), node: process.version, platform: process.platform },
    /** 1-, 5- and 15-minute load averages when the run started and ended: other work on the machine shows here. */
    loadAverage: { start: loadStart, end: loadavg().map((l) => Math.round(l * 100) / 100) },
    method: {
      samplesPerMeasurement: samples,
      warmupRuns: warmup,
      scenario: 'bench/src/growth/scenario.ts (lost fax, then tolerated cycles and follow-up rounds)',
      ledger: 'chaincode/test/contract/support/fake-stub.ts FakeLedger, value lists seeded as the contract tests seed them',
      contract: 'ProcedureContract.RecordEvent on a fresh stub per sample, never committed',
      decide: 'domain decide() on the request the contract builds (history via CaseLedger.loadCase, value lists via ValueListLedger)',
      gatewayEvaluate: 'gateway/src/readmodel/evaluate.ts evaluateCase(history, now, orgs)',
    },
    buildMs,
    totalMs: Math.round(Number(process.hrtime.bigint() - started) / 1e6),
    sizes: results,
    growth: Object.fromEntries(METRICS.map((m) => [m.name, growthFactors(results, medianOf(m.path))])),
  };
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  printTable(results);
  process.stdout.write(`written ${relative(process.cwd(), out)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof DomainError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
