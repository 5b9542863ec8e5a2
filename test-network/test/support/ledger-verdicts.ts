import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { BlockStoreCopy } from './block-store';

/** A verifier's verdict on a block store, reduced to what two verifiers can be compared on. */
export interface LedgerVerdict {
  readonly intact: boolean;
  /** Every block found bad, ascending, with the verifier's own finding names. */
  readonly badBlocks: readonly { readonly block: number; readonly findings: readonly string[] }[];
}

const REPO_ROOT = join(__dirname, '..', '..', '..');
const ASL_AUDIT = join(REPO_ROOT, 'gateway', 'bin', 'asl-audit');

function run(command: string, args: readonly string[], cwd: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(command, [...args], { cwd, encoding: 'utf8', env: { ...process.env, FABRIC_LOGGING_SPEC: 'error' } });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** `blocks.json` of `ledgerutil verify`: one entry per erroneous block (internal/ledgerutil/verify/verify.go). */
const LedgerutilBlocksSchema = z.array(z.object({ blockNum: z.number().int(), valid: z.boolean(), errors: z.array(z.string()).optional() }));

/**
 * Fabric's own verdict: `ledgerutil verify <peer fs path> -o <dir>` (exit 0 intact, 1 errors found), then its
 * `<channel>_verification_result/blocks.json`.
 */
export function ledgerutilVerdict(ledgerutil: string, copy: BlockStoreCopy, channel: string): LedgerVerdict {
  const out = mkdtempSync(join(copy.root, 'ledgerutil-'));
  const r = run(ledgerutil, ['verify', copy.root, '--outputDir', out], copy.root);
  if (r.status !== 0 && r.status !== 1) throw new Error(`ledgerutil verify exited ${String(r.status)}: ${r.stdout}${r.stderr}`);
  const blocks = LedgerutilBlocksSchema.parse(JSON.parse(readFileSync(join(out, `${channel}_verification_result`, 'blocks.json'), 'utf8')));
  const badBlocks = blocks.filter((b) => !b.valid).map((b) => ({ block: b.blockNum, findings: b.errors ?? [] }));
  if ((r.status === 0) !== (badBlocks.length === 0)) throw new Error(`ledgerutil exit ${String(r.status)} contradicts its blocks.json: ${r.stdout}`);
  return { intact: r.status === 0, badBlocks: badBlocks.sort((a, b) => a.block - b.block) };
}

/** The part of `asl-audit verify --json` (gateway/src/audit AuditReport) the comparison reads. */
const AuditReportSchema = z.object({
  valid: z.boolean(),
  blocks: z.array(z.object({ blockNumber: z.number().int(), valid: z.boolean(), errors: z.array(z.object({ code: z.string() })) })),
  errors: z.array(z.object({ code: z.string() })),
});

/** Runs the auditor's CLI `gateway/bin/asl-audit` with `args` as a process; exit 2 (usage, unreadable input) throws. */
export function runAslAudit(args: readonly string[]): { status: 0 | 1; stdout: string; stderr: string } {
  const r = run(process.execPath, [ASL_AUDIT, ...args], REPO_ROOT);
  if (r.status !== 0 && r.status !== 1) throw new Error(`asl-audit ${args[0] ?? ''} exited ${String(r.status)}: ${r.stderr}`);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The project's verdict: the auditor's CLI `asl-audit verify --blocks <channel dir> --json` (exit 0 verified, 1 findings). */
export function aslAuditVerdict(copy: BlockStoreCopy): LedgerVerdict {
  const r = runAslAudit(['verify', '--blocks', copy.channelDir, '--json']);
  const report = AuditReportSchema.parse(JSON.parse(r.stdout));
  if ((r.status === 0) !== report.valid) throw new Error(`asl-audit exit ${String(r.status)} contradicts its report`);
  const badBlocks = report.blocks.filter((b) => !b.valid).map((b) => ({ block: b.blockNumber, findings: [...new Set(b.errors.map((e) => e.code))] }));
  return { intact: report.valid && report.errors.length === 0, badBlocks: badBlocks.sort((a, b) => a.block - b.block) };
}
