import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { AuditError, type AuditFinding } from './audit-codes';
import { BlockSourceError } from './block-source';
import { BlockStoreSource } from './block-store-source';
import { type Checkpoint, formatCheckpoint, parseCheckpoint } from './checkpoint';
import { compareLedgers } from './ledger-compare';
import { type AuditReport, verifyLedger } from './ledger-verifier';
import { type ReceiptClaim, verifyReceipt } from './receipt';

/** Exit codes of `asl-audit`. */
export const EXIT = { VERIFIED: 0, FINDINGS: 1, USAGE: 2 } as const;

/** Where the CLI writes; the real streams in `main`, buffers in tests. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

const USAGE = `usage:
  asl-audit verify  --blocks <dir> [--from N] [--to M] [--checkpoint <file>] [--write-checkpoint <file>] [--json]
  asl-audit receipt --blocks <dir> --tx-id <id> --block <N> --index <i> [--require-endorsers A,B] [--creator-msp M] [--checkpoint <file>] [--json]
  asl-audit receipt --blocks <dir> --receipt <file> [--require-endorsers A,B] [--creator-msp M] [--checkpoint <file>] [--json]
  asl-audit compare --blocks <dir> --other <dir> --to <M> [--from N] [--json]
<dir> is a copied peer block store (the directory holding blockfile_000000, …).
--receipt: a receipt as a write returned it (the receipt object, or the whole {receipt, event, warnings} answer);
every field is checked against the blocks: position, validation code, endorsers, writer, recorded time, rule version.
exit codes: 0 everything verified, 1 findings, 2 usage or unreadable input.
`;

class UsageError extends Error {}

function integer(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^(0|[1-9][0-9]*)$/.test(value) || !Number.isSafeInteger(Number(value))) throw new UsageError(`--${name} must be a non-negative integer`);
  return Number(value);
}

function required(name: string, value: string | undefined): string {
  if (value === undefined || value === '') throw new UsageError(`--${name} is required`);
  return value;
}

function findingText(f: AuditFinding): string {
  return `${f.code}${f.txIndex === undefined ? '' : ` (tx ${f.txIndex})`}: ${f.detail}`;
}

function verifyTable(report: AuditReport): string {
  const lines = [`source:  ${report.source}`, `channel: ${report.channelId ?? 'unknown'}`, ''];
  lines.push('block  hash              txs  verdict  findings');
  for (const b of report.blocks) {
    const codes = [...new Set(b.errors.map((e) => e.code))].join(', ');
    lines.push(
      `${String(b.blockNumber).padStart(5)}  ${b.blockHash.slice(0, 16).padEnd(16)}  ${String(b.transactions.length).padStart(3)}  ${(b.valid ? 'valid' : 'INVALID').padEnd(7)}  ${codes}${b.trustAnchor ? ' (trust anchor)' : ''}`,
    );
  }
  const details = report.blocks.flatMap((b) => b.errors.map((e) => `  block ${b.blockNumber}: ${findingText(e)}`));
  if (details.length > 0) lines.push('', 'block findings:', ...details);
  if (report.errors.length > 0) lines.push('', 'range findings:', ...report.errors.map((e) => `  ${findingText(e)}`));
  const invalid = report.blocks.filter((b) => !b.valid).length;
  lines.push('', `${report.valid ? 'VERIFIED' : 'NOT VERIFIED'}: ${report.blocks.length} block(s) checked, ${invalid} invalid, ${report.errors.length} range finding(s)`);
  return `${lines.join('\n')}\n`;
}

async function readCheckpoint(path: string | undefined): Promise<Checkpoint | undefined> {
  if (path === undefined) return undefined;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new UsageError(`cannot read checkpoint file ${path}`);
  }
  return parseCheckpoint(text);
}

async function verifyCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      blocks: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      checkpoint: { type: 'string' },
      'write-checkpoint': { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  const source = await BlockStoreSource.open(required('blocks', values.blocks));
  const checkpoint = await readCheckpoint(values.checkpoint);
  const from = integer('from', values.from);
  const to = integer('to', values.to);
  const report = await verifyLedger({
    source,
    ...(from === undefined ? {} : { from }),
    ...(to === undefined ? {} : { to }),
    ...(checkpoint ? { checkpoint } : {}),
  });
  io.stdout(values.json ? `${JSON.stringify(report, null, 2)}\n` : verifyTable(report));
  const target = values['write-checkpoint'];
  if (target !== undefined) {
    if (report.valid && report.nextCheckpoint) {
      await writeFile(target, formatCheckpoint(report.nextCheckpoint));
      io.stderr(`checkpoint written to ${target}: block ${report.nextCheckpoint.blockNumber}\n`);
    } else {
      io.stderr('checkpoint not written: the audit found errors\n');
    }
  }
  return report.valid ? EXIT.VERIFIED : EXIT.FINDINGS;
}

/** A write receipt (domain.md §8) as a file: the receipt itself or a write's whole answer `{receipt, …}`. */
const ReceiptFileSchema = z.object({
  txId: z.string().regex(/^[0-9a-f]{64}$/),
  blockNumber: z.string().regex(/^(0|[1-9][0-9]*)$/),
  txIndex: z.number().int().nonnegative(),
  validationCode: z.string(),
  endorsers: z.array(z.string()),
  writer: z.object({ mspId: z.string(), enrollmentId: z.string(), role: z.string() }),
  recordedAt: z.string(),
  ruleVersion: z.string(),
});

async function readReceipt(path: string): Promise<ReceiptClaim> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch {
    throw new UsageError(`cannot read receipt file ${path} as JSON`);
  }
  const inner: unknown = typeof parsed === 'object' && parsed !== null && 'receipt' in parsed ? Reflect.get(parsed, 'receipt') : parsed;
  const receipt = ReceiptFileSchema.safeParse(inner);
  if (!receipt.success) throw new UsageError(`${path} is not a receipt: ${receipt.error.issues.map((i) => `${i.path.join('.') || '(root)'} ${i.message}`).join('; ')}`);
  return receipt.data;
}

async function receiptCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      blocks: { type: 'string' },
      receipt: { type: 'string' },
      'tx-id': { type: 'string' },
      block: { type: 'string' },
      index: { type: 'string' },
      'require-endorsers': { type: 'string' },
      'creator-msp': { type: 'string' },
      checkpoint: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  const source = await BlockStoreSource.open(required('blocks', values.blocks));
  let claim: ReceiptClaim;
  if (values.receipt !== undefined) {
    if (values['tx-id'] !== undefined || values.block !== undefined || values.index !== undefined) {
      throw new UsageError('--receipt names the transaction itself: leave out --tx-id, --block and --index');
    }
    claim = await readReceipt(values.receipt);
  } else {
    const blockNumber = integer('block', required('block', values.block)) ?? 0;
    claim = { txId: required('tx-id', values['tx-id']), blockNumber: String(blockNumber), txIndex: integer('index', required('index', values.index)) ?? 0 };
  }
  const checkpoint = await readCheckpoint(values.checkpoint);
  const verdict = await verifyReceipt({
    source,
    receipt: claim,
    requiredEndorsers: (values['require-endorsers'] ?? '').split(',').filter((m) => m !== ''),
    ...(values['creator-msp'] === undefined ? {} : { expectedCreatorMspId: values['creator-msp'] }),
    ...(checkpoint ? { checkpoint } : {}),
  });
  if (values.json) {
    const { event, ...rest } = verdict;
    const printable = { receipt: claim, ...rest, event: event && { chaincodeId: event.chaincodeId, eventName: event.eventName, payloadBase64: Buffer.from(event.payload).toString('base64') } };
    io.stdout(`${JSON.stringify(printable, null, 2)}\n`);
  } else {
    const t = verdict.transaction;
    const d = verdict.derived;
    const lines = [
      `receipt: tx ${claim.txId} block ${claim.blockNumber} index ${claim.txIndex}`,
      t ? `transaction: ${t.type} ${t.validationCode}, creator ${t.creatorMspId}, endorsers ${t.endorserMspIds.join(', ') || 'none'}` : 'transaction: not found',
      ...(d ? [`writer: ${d.writer.mspId} ${d.writer.enrollmentId ?? '?'} (${d.writer.role ?? 'no role'}), recorded ${d.recordedAt ?? '?'}, rule version ${d.ruleVersion ?? 'none'}`] : []),
      ...(verdict.event ? [`event: ${verdict.event.chaincodeId} ${verdict.event.eventName}`] : []),
      ...(verdict.unchecked.length > 0 ? [`not recorded in the block, not checked: ${verdict.unchecked.join(', ')}`] : []),
      ...verdict.findings.map((f) => `  ${findingText(f)}`),
      verdict.verified ? 'VERIFIED' : 'NOT VERIFIED',
    ];
    io.stdout(`${lines.join('\n')}\n`);
  }
  return verdict.verified ? EXIT.VERIFIED : EXIT.FINDINGS;
}

async function compareCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      blocks: { type: 'string' },
      other: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  const left = await BlockStoreSource.open(required('blocks', values.blocks));
  const right = await BlockStoreSource.open(required('other', values.other));
  const from = integer('from', values.from) ?? 0;
  const to = integer('to', required('to', values.to)) ?? 0;
  const report = await compareLedgers({ left, right, from, to });
  if (values.json) io.stdout(`${JSON.stringify(report, null, 2)}\n`);
  else {
    const lines = [
      `compare ${report.left}`,
      `   with ${report.right}, blocks ${from}..${to}`,
      ...report.divergences.map((d) => `  block ${d.blockNumber}: ${findingText(d)}`),
      report.identical ? 'IDENTICAL' : `DIVERGENT from block ${report.firstDivergentBlock}`,
    ];
    io.stdout(`${lines.join('\n')}\n`);
  }
  return report.identical ? EXIT.VERIFIED : EXIT.FINDINGS;
}

/** Runs `asl-audit` with the given arguments (without `node` and script); resolves to the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'verify':
        return await verifyCommand(rest, io);
      case 'receipt':
        return await receiptCommand(rest, io);
      case 'compare':
        return await compareCommand(rest, io);
      case undefined:
      case 'help':
      case '--help':
        io.stdout(USAGE);
        return command === undefined ? EXIT.USAGE : EXIT.VERIFIED;
      default:
        throw new UsageError(`unknown command ${command}`);
    }
  } catch (err) {
    // parseArgs reports unknown or malformed options as TypeError with an ERR_PARSE_ARGS_* code.
    // (checked by code, not instanceof: the error may come from another realm, e.g. under jest).
    const code: unknown = typeof err === 'object' && err !== null ? Reflect.get(err, 'code') : undefined;
    const parseError = typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
    if (err instanceof UsageError || err instanceof AuditError || err instanceof BlockSourceError || parseError) {
      io.stderr(`asl-audit: ${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
      return EXIT.USAGE;
    }
    throw err;
  }
}

/** Entry point of the `asl-audit` bin. */
export async function main(): Promise<void> {
  process.exitCode = await runCli(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  });
}
