import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ValueListEntrySchema, ValueListNameSchema, type ValueListEntry, type ValueListName } from '@asl/chaincode/domain';
import { z } from 'zod';
import { GatewayConfigSchema } from '../config';
import { BootstrapTokenFileSchema } from '../identity/bootstrap-admin';
import { gatewayFiles } from '../launch/config-from-connection';
import { gatewaysLayout } from '../launch/gateway-home';
import { GatewayProblem, ValueListClient, type ValueListDiffAnswer, type ValueListsOverview } from './value-list-client';
import { approveReviewed, CodeAlreadyListedError, proposeNextVersion, reviewPending, type ValueListChange } from './value-list-procedure';

/** Exit codes of `asl-value-lists`. */
export const EXIT = { DONE: 0, REFUSED: 1, USAGE: 2, UNREACHABLE: 3 } as const;

/** Where the CLI writes and what it reads from its environment; the real process's in `bin/`, buffers in tests. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly fetch?: typeof fetch;
}

const USAGE = `usage: asl-value-lists <command> [options]   (docs/operations.md, "Changing a value list")
  list                                              every list: version in force, since when, pending proposal
  show    <list> [--version N]                      a version's entries (default: the version in force)
  diff    <list> --from N --to M                    added, removed, changed and retired codes
  propose <list> --add <file> [--version N]         the version in force plus the entries in <file>, as version N+1
  propose <list> --entries <file> [--version N]     the complete entries in <file> as the next version
  review  <list>                                    the pending proposal: version, proposer, content hash, diff
  approve <list> --version N --content-hash <hash>  approve the version you reviewed (the hash review printed)
<list>: facility, court, municipality, authority, reason. <file>: JSON, an array of entries or {"entries": [...]}.
which gateway, as whom (a token on the command line would show in the process list, so none is taken there):
  --url <url> --token-file <file>      a gateway and a file holding a token (plain, or {"token": ...} as the
                                       gateway's bootstrap admin-token.json); or $ASL_GATEWAY_URL and
                                       $ASL_TOKEN_FILE / $ASL_TOKEN
  --agency <org> [--home <dir>]        the gateway asl-gateways started for <org> (bamf, zab) and its bootstrap
                                       admin's token (default home $ASL_HOME/gateways)
  --json                               print the answer as JSON
exit codes: 0 done, 1 refused (the problem code is printed), 2 usage or unreadable input, 3 gateway unreachable.`;

class UsageError extends Error {}

const OPTIONS = {
  url: { type: 'string' },
  'token-file': { type: 'string' },
  agency: { type: 'string' },
  home: { type: 'string' },
  version: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  add: { type: 'string' },
  entries: { type: 'string' },
  'content-hash': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true; strict: true }>>['values'];

function versionOf(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^[1-9][0-9]{0,8}$/.test(value)) throw new UsageError(`--${name} must be a version number (1, 2, …)`);
  return Number(value);
}

function required<T>(name: string, value: T | undefined): T {
  if (value === undefined) throw new UsageError(`--${name} is required`);
  return value;
}

function listOf(value: string | undefined): ValueListName {
  const parsed = ValueListNameSchema.safeParse(value);
  if (!parsed.success) throw new UsageError(value === undefined ? 'which list?' : `unknown list ${value}`);
  return parsed.data;
}

function readText(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    throw new UsageError(`cannot read ${what} ${file}`);
  }
}

const EntriesFileSchema = z.union([z.array(ValueListEntrySchema), z.object({ list: ValueListNameSchema.optional(), entries: z.array(ValueListEntrySchema) })]);

/** Reads an entries file: an array of entries, or an object with `entries` (a seed file's shape: its `list` must match). */
export function readEntriesFile(file: string, list: ValueListName): ValueListEntry[] {
  let json: unknown;
  try {
    json = JSON.parse(readText(file, 'entries file'));
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`${file} is not JSON`);
  }
  const parsed = EntriesFileSchema.safeParse(json);
  if (!parsed.success) {
    const where = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`);
    throw new UsageError(`${file} holds no valid value-list entries (${where.join('; ')})`);
  }
  if (Array.isArray(parsed.data)) return parsed.data;
  if (parsed.data.list !== undefined && parsed.data.list !== list) throw new UsageError(`${file} is a ${parsed.data.list} list, not ${list}`);
  return parsed.data.entries;
}

/** The token in a token file: plain text, or JSON with a `token` field (the gateway's admin-token.json). */
export function readTokenFile(file: string): string {
  const text = readText(file, 'token file').trim();
  if (text.startsWith('{')) {
    const parsed = z.object({ token: z.string().min(1) }).safeParse(JSON.parse(text));
    if (!parsed.success) throw new UsageError(`${file} has no token`);
    return parsed.data.token;
  }
  if (text === '') throw new UsageError(`${file} is empty`);
  return text;
}

function clientFrom(values: Values, io: CliIo): ValueListClient {
  const fetchOption = io.fetch ? { fetch: io.fetch } : {};
  if (values.agency !== undefined) {
    if (values.url !== undefined || values['token-file'] !== undefined) throw new UsageError('--agency replaces --url and --token-file');
    const layout = gatewaysLayout(values.home ?? (io.env.ASL_HOME ? join(io.env.ASL_HOME, 'gateways') : undefined));
    const files = gatewayFiles(layout.org(values.agency));
    let url: string;
    try {
      const config = GatewayConfigSchema.parse(JSON.parse(readFileSync(files.config, 'utf8')));
      url = `http://${config.listen.host}:${config.listen.port}`;
    } catch {
      throw new UsageError(`no gateway configuration for ${values.agency} at ${files.config} (npm run gateways:up)`);
    }
    const admin = BootstrapTokenFileSchema.safeParse(JSON.parse(readText(files.adminToken, 'admin token file')));
    if (!admin.success) throw new UsageError(`${files.adminToken} is not an admin token file`);
    return new ValueListClient({ url, token: admin.data.token, ...fetchOption });
  }
  const url = values.url ?? io.env.ASL_GATEWAY_URL;
  if (url === undefined) throw new UsageError('which gateway? --url, $ASL_GATEWAY_URL or --agency');
  const tokenFile = values['token-file'] ?? io.env.ASL_TOKEN_FILE;
  const token = tokenFile !== undefined ? readTokenFile(tokenFile) : io.env.ASL_TOKEN;
  if (token === undefined || token === '') throw new UsageError('no token: --token-file, $ASL_TOKEN_FILE or $ASL_TOKEN');
  return new ValueListClient({ url, token, ...fetchOption });
}

function entryText(e: ValueListEntry): string {
  const parts = [e.code.padEnd(24), e.label ?? ''];
  if (e.validFrom !== undefined || e.validUntil !== undefined) parts.push(`[${e.validFrom ?? ''}..${e.validUntil ?? ''}]`);
  if (e.replacedBy !== undefined) parts.push(`-> ${e.replacedBy}`);
  if (e.usedFor !== undefined) parts.push(`(${e.usedFor.join(', ')})`);
  return parts.filter((p) => p !== '').join('  ');
}

function diffLines(diff: ValueListDiffAnswer | undefined): string[] {
  if (diff === undefined) return ['  (no version in force to compare with)'];
  const lines = [
    ...diff.added.map((e) => `  + ${entryText(e)}`),
    ...diff.removed.map((e) => `  - ${entryText(e)}`),
    ...diff.changed.map((c) => `  ~ ${entryText(c.from)}\n    ${entryText(c.to)}`),
    ...diff.replaced.map((r) => `  > ${r.code} retired after ${r.validUntil}, replaced by ${r.replacedBy}`),
  ];
  return lines.length === 0 ? ['  (no change)'] : lines;
}

function overviewLines(o: ValueListsOverview): string[] {
  const lines = ['list          in force  since                      entries  pending'];
  for (const i of o.items) {
    const pending = i.pending === null ? '-' : `version ${i.pending.version} by ${i.pending.proposedBy.mspId} (${i.pending.proposedBy.enrollmentId}), hash ${i.pending.contentHash}`;
    lines.push(`${i.list.padEnd(14)}${String(i.inForce?.version ?? '-').padEnd(10)}${(i.inForce?.inForceFrom ?? '-').padEnd(27)}${String(i.inForce?.entryCount ?? 0).padEnd(9)}${pending}`);
  }
  return lines;
}

async function run(command: string, list: string | undefined, values: Values, io: CliIo): Promise<{ json: unknown; text: string[] }> {
  if (command === 'list') {
    const client = clientFrom(values, io);
    const overview = await client.overview();
    return { json: overview, text: overviewLines(overview) };
  }
  const name = listOf(list);
  if (command === 'show') {
    const v = await clientFrom(values, io).get(name, versionOf('version', values.version));
    return {
      json: v,
      text: [
        `${v.list} version ${v.version}: ${v.status}${v.inForceFrom === null ? '' : ` since ${v.inForceFrom}`}`,
        `proposed by ${v.proposedBy.mspId} (${v.proposedBy.enrollmentId}) at ${v.proposedAt}; approved by ${v.approvals.join(', ')}`,
        `contentHash ${v.contentHash}`,
        ...v.entries.map((e) => `  ${entryText(e)}`),
      ],
    };
  }
  if (command === 'diff') {
    const from = required('from', versionOf('from', values.from));
    const to = required('to', versionOf('to', values.to));
    const diff = await clientFrom(values, io).diff(name, from, to);
    return { json: diff, text: [`${name} version ${from} -> ${to}:`, ...diffLines(diff)] };
  }
  if (command === 'propose') {
    if ((values.add === undefined) === (values.entries === undefined)) throw new UsageError('propose needs exactly one of --add <file> and --entries <file>');
    const change: ValueListChange = values.add !== undefined ? { add: readEntriesFile(values.add, name) } : { entries: readEntriesFile(values.entries ?? '', name) };
    const version = versionOf('version', values.version);
    const client = clientFrom(values, io);
    const outcome = await proposeNextVersion(client, name, change, version === undefined ? {} : { version });
    const v = outcome.result.valueList;
    return {
      json: outcome,
      text: [
        `proposed ${name} version ${v.version} (${outcome.result.status}; approvals so far: ${v.approvals.join(', ')})`,
        ...(outcome.replaced ? [`it replaces the pending proposal of version ${outcome.replaced.version} by ${outcome.replaced.proposedBy.mspId}`] : []),
        `contentHash ${v.contentHash}`,
        `against version ${outcome.fromVersion}:`,
        ...diffLines(outcome.diff),
        `next: every other agency's admin runs  asl-value-lists review ${name}  and, if it agrees,`,
        `      asl-value-lists approve ${name} --version ${v.version} --content-hash ${v.contentHash}`,
      ],
    };
  }
  if (command === 'review') {
    const r = await reviewPending(clientFrom(values, io), name);
    if (r.pending === null) return { json: r, text: [`${name}: nothing pending (version ${r.inForce?.version ?? '-'} in force)`] };
    const p = r.pending;
    return {
      json: r,
      text: [
        `${name} version ${p.version} proposed by ${p.proposedBy.mspId} (${p.proposedBy.enrollmentId}) at ${p.proposedAt}; approvals so far: ${p.approvals.join(', ')}`,
        `contentHash ${p.contentHash}`,
        `against version ${r.inForce?.version ?? '-'} in force:`,
        ...diffLines(r.diff),
        `to approve exactly this content: asl-value-lists approve ${name} --version ${p.version} --content-hash ${p.contentHash}`,
      ],
    };
  }
  if (command === 'approve') {
    const version = required('version', versionOf('version', values.version));
    const hash = required('content-hash', values['content-hash']);
    if (!/^[0-9a-f]{64}$/.test(hash)) throw new UsageError('--content-hash must be the 64 hex digits review printed');
    const result = await approveReviewed(clientFrom(values, io), name, version, hash);
    const v = result.valueList;
    return {
      json: result,
      text: [
        v.inForceFrom === null
          ? `approved ${name} version ${v.version}: still PROPOSED (approvals so far: ${v.approvals.join(', ')})`
          : `approved ${name} version ${v.version}: in force since ${v.inForceFrom} (approved by ${v.approvals.join(', ')})`,
      ],
    };
  }
  throw new UsageError(command === '' ? 'no command' : `unknown command ${command}`);
}

/**
 * fetch's network failure (a `TypeError` with a `cause`) or the request deadline. Judged by name, not `instanceof`:
 * fetch's errors may come from another realm (jest's sandbox), where `instanceof TypeError` is false.
 */
function unreachable(error: unknown): error is Error {
  if (!(typeof error === 'object' && error !== null && 'name' in error && 'message' in error)) return false;
  return (error.name === 'TypeError' && 'cause' in error && error.cause !== undefined) || error.name === 'TimeoutError' || error.name === 'AbortError';
}

function causeText(cause: unknown): string {
  if (cause instanceof Error) return ` (${cause.message})`;
  return typeof cause === 'string' ? ` (${cause})` : '';
}

/** `asl-value-lists <command> …`; returns the exit code. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  let values: Values;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true }));
  } catch (error) {
    io.stderr(`asl-value-lists: ${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
    return EXIT.USAGE;
  }
  if (values.help) {
    io.stdout(`${USAGE}\n`);
    return EXIT.DONE;
  }
  const [command = '', list, ...extra] = positionals;
  try {
    if (extra.length > 0) throw new UsageError(`unexpected ${extra.join(' ')}`);
    const out = await run(command, list, values, io);
    io.stdout(values.json ? `${JSON.stringify(out.json, null, 2)}\n` : `${out.text.join('\n')}\n`);
    return EXIT.DONE;
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`asl-value-lists: ${error.message}\n${USAGE}\n`);
      return EXIT.USAGE;
    }
    if (error instanceof GatewayProblem || error instanceof CodeAlreadyListedError) {
      const refused = error instanceof GatewayProblem ? { status: error.status, code: error.code, details: error.details } : { code: 'CODE_ALREADY_LISTED', details: { list: error.list, version: error.version, codes: error.codes } };
      if (values.json) io.stdout(`${JSON.stringify({ refused }, null, 2)}\n`);
      io.stderr(`asl-value-lists: refused: ${error.message}\n`);
      return EXIT.REFUSED;
    }
    if (unreachable(error)) {
      io.stderr(`asl-value-lists: the gateway did not answer: ${error.message}${causeText(error.cause)}\n`);
      return EXIT.UNREACHABLE;
    }
    throw error;
  }
}
