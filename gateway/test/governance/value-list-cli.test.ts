/**
 * `asl-value-lists` (docs/operations.md, "Changing a value list") against both agencies' gateways over one in-memory
 * channel, each app listening on an ephemeral loopback port so the CLI talks HTTP as it does to a real gateway. The
 * live run of the same procedure is `test/live/value-lists.net.test.ts`.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main, readEntriesFile, readTokenFile, EXIT } from '../../src/governance/value-list-cli';
import { nextEntries } from '../../src/governance/value-list-procedure';
import { seededChannel, startGateway, TestClock, type TestGateway } from '../support/harness';

let dir: string;
let bamf: TestGateway;
let zab: TestGateway;
const servers: Server[] = [];
const urls = { bamf: '', zab: '' };

async function listen(gw: TestGateway): Promise<string> {
  const server = await new Promise<Server>((resolve) => {
    const s = gw.app.listen(0, '127.0.0.1', () => resolve(s));
  });
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function tokenFile(name: string, content: string): string {
  const file = join(dir, name);
  writeFileSync(file, content, { mode: 0o600 });
  return file;
}

function jsonFile(name: string, content: unknown): string {
  return tokenFile(name, JSON.stringify(content));
}

/** Runs the CLI; stdout parsed as JSON when `--json` was passed. */
async function cli(argv: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string; json: unknown }> {
  let out = '';
  let err = '';
  const code = await main(argv, { stdout: (t) => void (out += t), stderr: (t) => void (err += t), env });
  return { code, out, err, json: argv.includes('--json') && out !== '' ? JSON.parse(out) : undefined };
}

const as = (agency: 'bamf' | 'zab', role: 'admin' | 'caseworker' = 'admin'): string[] => [
  '--url',
  urls[agency],
  '--token-file',
  tokenFile(`${agency}-${role}.token`, (agency === 'bamf' ? bamf : zab).token[role]),
];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'asl-vl-cli-'));
  const clock = new TestClock();
  const channel = await seededChannel(clock);
  bamf = await startGateway({ mspId: 'BamfMSP', channel, clock });
  zab = await startGateway({ mspId: 'ZabSachsenMSP', channel, clock });
  urls.bamf = await listen(bamf);
  urls.zab = await listen(zab);
});

afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  bamf?.stop();
  zab?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const NEW_COURT = { code: 'VG-GOERLITZ-TEST', label: 'Verwaltungsgericht Görlitz (Testdaten)' };

describe('asl-value-lists: the procedure of docs/operations.md over two gateways', () => {
  it('list shows every list with its version in force', async () => {
    const r = await cli(['list', ...as('zab', 'caseworker')]);
    expect(r.code).toBe(EXIT.DONE);
    for (const list of ['facility', 'court', 'municipality', 'authority', 'reason']) expect(r.out).toMatch(new RegExp(`^${list}\\s+1\\s`, 'm'));
  });

  it('BAMF proposes a new court, ZAB reviews the diff, a wrong hash and BAMF itself are refused, ZAB approves: version 2 is in force', async () => {
    const add = jsonFile('add.json', [NEW_COURT]);
    const proposed = await cli(['propose', 'court', '--add', add, '--json', ...as('bamf')]);
    expect(proposed.code).toBe(EXIT.DONE);
    expect(proposed.json).toMatchObject({ list: 'court', fromVersion: 1, result: { status: 'PROPOSED', valueList: { version: 2, approvals: ['BamfMSP'], inForceFrom: null } }, diff: { from: 1, to: 2, added: [NEW_COURT], removed: [], changed: [], replaced: [] }, replaced: null });

    const review = await cli(['review', 'court', ...as('zab')]);
    expect(review.code).toBe(EXIT.DONE);
    expect(review.out).toContain(`+ ${NEW_COURT.code}`);
    const reviewed = await cli(['review', 'court', '--json', ...as('zab')]);
    const hash = (reviewed.json as { pending: { contentHash: string } }).pending.contentHash;
    expect(review.out).toContain(`asl-value-lists approve court --version 2 --content-hash ${hash}`);

    const wrong = await cli(['approve', 'court', '--version', '2', '--content-hash', 'f'.repeat(64), '--json', ...as('zab')]);
    expect(wrong.code).toBe(EXIT.REFUSED);
    expect(wrong.json).toEqual({ refused: { status: 409, code: 'PRECONDITION_FAILED', details: { conflicting: ['VALUE_LIST_CONTENT'] } } });
    expect(wrong.err).toContain('refused: 409 PRECONDITION_FAILED');
    const own = await cli(['approve', 'court', '--version', '2', '--content-hash', hash, '--json', ...as('bamf')]);
    expect(own.json).toEqual({ refused: { status: 409, code: 'PRECONDITION_FAILED', details: { conflicting: ['APPROVED_BY_ORGANISATION'] } } });

    const approved = await cli(['approve', 'court', '--version', '2', '--content-hash', hash, ...as('zab')]);
    expect(approved.code).toBe(EXIT.DONE);
    expect(approved.out).toMatch(/^approved court version 2: in force since \S+ \(approved by BamfMSP, ZabSachsenMSP\)/);

    const shown = await cli(['show', 'court', ...as('bamf', 'caseworker')]);
    expect(shown.out).toMatch(/^court version 2: IN_FORCE since /);
    expect(shown.out).toContain(NEW_COURT.code);
    const diff = await cli(['diff', 'court', '--from', '1', '--to', '2', '--json', ...as('bamf', 'caseworker')]);
    expect(diff.json).toEqual({ list: 'court', from: 1, to: 2, added: [NEW_COURT], removed: [], changed: [], replaced: [] });
    const review2 = await cli(['review', 'court', ...as('zab')]);
    expect(review2.out).toBe('court: nothing pending (version 2 in force)\n');
  });

  it('refuses a proposal by a non-admin, one skipping a version and one adding a code already listed — nothing pending afterwards', async () => {
    const add = jsonFile('add-facility.json', { entries: [{ code: 'AE-NEW-TEST', label: 'Neue Einrichtung (Testdaten)' }] });
    const caseworker = await cli(['propose', 'facility', '--add', add, '--json', ...as('bamf', 'caseworker')]);
    expect(caseworker.code).toBe(EXIT.REFUSED);
    expect(caseworker.json).toMatchObject({ refused: { status: 403, code: 'FORBIDDEN_ROLE' } });
    const skipping = await cli(['propose', 'facility', '--add', add, '--version', '3', '--json', ...as('bamf')]);
    expect(skipping.json).toEqual({ refused: { status: 409, code: 'PRECONDITION_FAILED', details: { conflicting: ['VALUE_LIST_VERSION'], current: 1 } } });
    const listed = await cli(['propose', 'facility', '--add', jsonFile('dup.json', [{ code: 'AE-DD-TEST' }]), '--json', ...as('bamf')]);
    expect(listed.json).toEqual({ refused: { code: 'CODE_ALREADY_LISTED', details: { list: 'facility', version: 1, codes: ['AE-DD-TEST'] } } });
    const review = await cli(['review', 'facility', ...as('zab')]);
    expect(review.out).toBe('facility: nothing pending (version 1 in force)\n');
  });

  it('--agency reads the gateway and its bootstrap admin token from an asl-gateways folder', async () => {
    const home = join(dir, 'gateways');
    const org = join(home, 'zab');
    mkdirSync(org, { recursive: true });
    const port = Number(new URL(urls.zab).port);
    jsonFile('gateways/zab/gateway.json', { mspId: 'ZabSachsenMSP', listen: { host: '127.0.0.1', port }, dataDir: join(org, 'data'), pseudonymKeyFile: 'k', vaultKeyFile: 'v', ledger: { kind: 'memory' }, identity: { kind: 'dev' } });
    jsonFile('gateways/zab/admin-token.json', { userId: 'zab-admin-0001', token: zab.token.admin, expiresAt: '2026-11-26T20:00:00.000Z' });
    const r = await cli(['show', 'authority', '--agency', 'zab', '--home', home, '--json']);
    expect(r.code).toBe(EXIT.DONE);
    expect(r.json).toMatchObject({ list: 'authority', version: 1, status: 'IN_FORCE' });
    const viaEnv = await cli(['show', 'authority', '--agency', 'zab', '--json'], { ASL_HOME: dir });
    expect(viaEnv.code).toBe(EXIT.DONE);
  });

  it('takes the gateway and token from the environment; usage errors exit 2, an unreachable gateway 3', async () => {
    const env = { ASL_GATEWAY_URL: urls.zab, ASL_TOKEN: zab.token.auditor };
    expect((await cli(['show', 'reason'], env)).code).toBe(EXIT.DONE);
    expect((await cli(['show', 'reason'], { ASL_GATEWAY_URL: urls.zab, ASL_TOKEN_FILE: tokenFile('plain.token', `${zab.token.auditor}\n`) })).code).toBe(EXIT.DONE);
    const usage = async (argv: string[]): Promise<number> => (await cli(argv, env)).code;
    expect(await usage([])).toBe(EXIT.USAGE);
    expect(await usage(['frobnicate'])).toBe(EXIT.USAGE);
    expect(await usage(['show', 'colours'])).toBe(EXIT.USAGE);
    expect(await usage(['diff', 'court', '--from', '1'])).toBe(EXIT.USAGE);
    expect(await usage(['propose', 'court'])).toBe(EXIT.USAGE);
    expect(await usage(['propose', 'court', '--add', join(dir, 'missing.json')])).toBe(EXIT.USAGE);
    expect(await usage(['approve', 'court', '--version', '2', '--content-hash', 'abc'])).toBe(EXIT.USAGE);
    expect(await usage(['show', 'court', '--version', '0'])).toBe(EXIT.USAGE);
    expect(await usage(['show', 'court', '--token', 'x'])).toBe(EXIT.USAGE);
    expect((await cli(['show', 'court'])).code).toBe(EXIT.USAGE);
    const closed = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const { port } = s.address() as AddressInfo;
        s.close(() => resolve(port));
      });
    });
    const down = await cli(['show', 'court'], { ASL_GATEWAY_URL: `http://127.0.0.1:${closed}`, ASL_TOKEN: 'x' });
    expect(down.code).toBe(EXIT.UNREACHABLE);
    expect(down.err).toContain('the gateway did not answer');
    expect((await cli(['--help'])).out).toContain('usage: asl-value-lists');
  });
});

describe('entries and token files', () => {
  it('reads an array, {entries}, or a seed file of the same list; refuses another list and invalid entries', () => {
    expect(readEntriesFile(jsonFile('a.json', [{ code: 'X-1' }]), 'court')).toEqual([{ code: 'X-1' }]);
    expect(readEntriesFile(jsonFile('b.json', { list: 'court', source: {}, entries: [{ code: 'X-2', label: 'x' }] }), 'court')).toEqual([{ code: 'X-2', label: 'x' }]);
    expect(() => readEntriesFile(jsonFile('c.json', { list: 'facility', entries: [] }), 'court')).toThrow('is a facility list');
    expect(() => readEntriesFile(jsonFile('d.json', [{ code: 'has space' }]), 'court')).toThrow('no valid value-list entries');
    expect(() => readEntriesFile(tokenFile('e.json', 'not json'), 'court')).toThrow('is not JSON');
  });

  it('a token file is plain text or JSON with a token field', () => {
    expect(readTokenFile(tokenFile('t1', 'asl_abc\n'))).toBe('asl_abc');
    expect(readTokenFile(tokenFile('t2', '{"userId":"u","token":"asl_def","expiresAt":"2026-01-01T00:00:00Z"}'))).toBe('asl_def');
    expect(() => readTokenFile(tokenFile('t3', ''))).toThrow('empty');
  });

  it('nextEntries adds to the version in force or replaces it whole', () => {
    expect(nextEntries([{ code: 'A' }], { add: [{ code: 'B' }] }, 'court', 1)).toEqual([{ code: 'A' }, { code: 'B' }]);
    expect(nextEntries([{ code: 'A' }], { entries: [{ code: 'C' }] }, 'court', 1)).toEqual([{ code: 'C' }]);
    expect(() => nextEntries([{ code: 'A' }], { add: [{ code: 'A' }] }, 'court', 1)).toThrow('already in court version 1: A');
  });
});
