import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/audit/cli';
import { BAD, PROD } from './ledger-fixtures';

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(argv, { stdout: (t) => (out += t), stderr: (t) => (err += t) });
  return { code, out, err };
}

describe('asl-audit CLI', () => {
  it('verify: exit 0 and a table on an intact ledger', async () => {
    const r = await run('verify', '--blocks', PROD);
    expect(r.code).toBe(0);
    expect(r.out).toContain('VERIFIED: 8 block(s) checked, 0 invalid');
  });

  it('verify: exit 1 on the corrupted ledger, JSON report with the codes', async () => {
    const r = await run('verify', '--blocks', BAD, '--json');
    expect(r.code).toBe(1);
    const report = JSON.parse(r.out);
    expect(report.valid).toBe(false);
    expect(report.blocks[0].errors[0].code).toBe('DATA_HASH_MISMATCH');
    expect(report.blocks[1].errors[0].code).toBe('PREVIOUS_HASH_MISMATCH');
  });

  it('exit 2 for usage errors and unreadable input', async () => {
    expect((await run()).code).toBe(2);
    expect((await run('verify')).code).toBe(2);
    expect((await run('verify', '--blocks', PROD, '--bogus')).code).toBe(2);
    expect((await run('verify', '--blocks', PROD, '--from', 'x')).code).toBe(2);
    expect((await run('verify', '--blocks', '/nonexistent/dir')).code).toBe(2);
    expect((await run('frobnicate')).code).toBe(2);
  });

  it('writes a checkpoint on success, and a later audit from it detects a mismatch', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'asl-audit-cp-'));
    const file = join(dir, 'checkpoint.json');
    expect((await run('verify', '--blocks', PROD, '--to', '5', '--write-checkpoint', file)).code).toBe(0);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ blockNumber: '5' });
    expect((await run('verify', '--blocks', PROD, '--checkpoint', file)).code).toBe(0);
    writeFileSync(file, JSON.stringify({ blockNumber: '5', blockHash: '0'.repeat(64) }));
    const r = await run('verify', '--blocks', PROD, '--checkpoint', file);
    expect(r.code).toBe(1);
    expect(r.out).toContain('CHECKPOINT_MISMATCH');
    const bad = join(dir, 'bad.json');
    expect((await run('verify', '--blocks', BAD, '--write-checkpoint', bad)).err).toContain('not written');
  });

  it('receipt and compare commands', async () => {
    const report = JSON.parse((await run('verify', '--blocks', BAD, '--json')).out);
    const txId: string = report.blocks[5].transactions[0].txId;
    const ok = await run('receipt', '--blocks', BAD, '--tx-id', txId, '--block', '5', '--index', '0', '--require-endorsers', 'Org1MSP,Org2MSP');
    expect(ok.code).toBe(0);
    const wrong = await run('receipt', '--blocks', BAD, '--tx-id', txId, '--block', '4', '--index', '0');
    expect(wrong.code).toBe(1);
    expect(wrong.out).toContain('RECEIPT_TX_ID_MISMATCH');
    expect((await run('compare', '--blocks', PROD, '--other', PROD, '--to', '7')).code).toBe(0);
  });

  it('the bin runs the CLI as a process (tsx, no build step)', () => {
    const bin = join(__dirname, '../../bin/asl-audit');
    const out = execFileSync(bin, ['verify', '--blocks', PROD, '--json'], { encoding: 'utf8' });
    expect(JSON.parse(out).valid).toBe(true);
    let status = 0;
    try {
      execFileSync(bin, ['verify', '--blocks', BAD], { encoding: 'utf8', stdio: 'pipe' });
    } catch (err) {
      status = Number(Reflect.get(Object(err), 'status'));
    }
    expect(status).toBe(1);
  });
});
