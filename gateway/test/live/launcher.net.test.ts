/**
 * `asl-gateways` against the live network (ASL_TEST_KIND=net): `up` with another home folder and other ports than the
 * defaults starts both gateways as detached processes that answer `/readyz`, a second `up` changes nothing, `status`
 * reports them, and `down` stops every process it started, by PID.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { GatewayConfigSchema } from '../../src/config';
import { BootstrapTokenFileSchema } from '../../src/identity/bootstrap-admin';
import { liveCall } from '../support/live-client';
import { freePort } from '@asl/network/processes';

const BIN = join(__dirname, '..', '..', 'bin', 'asl-gateways');

function cli(...args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd: tmpdir(), timeout: 240_000 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
      resolve({ code, output: stdout + stderr });
    });
  });
}

const RecordSchema = z.object({ name: z.string(), pid: z.number().int() });
/** Whether the process runs: it exists and is not a zombie its new parent has yet to reap (the CLI that started it has exited). */
const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};

describe('asl-gateways up | status | down on the live network', () => {
  const home = mkdtempSync(join(tmpdir(), 'asl-launcher-'));
  const records = () => readdirSync(join(home, 'run')).map((f) => RecordSchema.parse(JSON.parse(readFileSync(join(home, 'run', f), 'utf8'))));
  let pids: number[] = [];

  afterAll(async () => {
    // whatever happened above, nothing this suite started outlives it
    await cli('down', '--home', home);
    for (const pid of pids) if (alive(pid)) process.kill(pid, 'SIGKILL');
    rmSync(home, { recursive: true, force: true });
  }, 60_000);

  it('up starts both gateways on the given ports, ready; up again changes nothing; status reports them; down stops every PID', async () => {
    const ports = { bamf: await freePort(), zab: await freePort() };
    const up = await cli('up', '--home', home, '--port', `bamf=${ports.bamf}`, '--port', `zab=${ports.zab}`);
    expect(up.output).toMatch(/gateway-bamf ready/);
    expect(up.code).toBe(0);
    expect(up.output).toMatch(/gateway-zab ready/);

    const started = records();
    pids = started.map((r) => r.pid);
    expect(started.map((r) => r.name).sort()).toEqual(['gateway-bamf', 'gateway-zab']);
    expect(pids.every(alive)).toBe(true);
    for (const [org, port] of Object.entries(ports)) {
      const config = GatewayConfigSchema.parse(JSON.parse(readFileSync(join(home, org, 'gateway.json'), 'utf8')));
      expect(config).toMatchObject({ listen: { port }, ledger: { kind: 'fabric' }, identity: { kind: 'fabric-ca' }, pseudonymKeyFile: join(home, 'pseudonym-keys.json'), dataDir: join(home, org, 'data') });
      expect((await liveCall(`http://127.0.0.1:${port}`, 'get', '/readyz')).status).toBe(200);
      const tokenFile = join(home, org, 'admin-token.json');
      expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
      expect(BootstrapTokenFileSchema.parse(JSON.parse(readFileSync(tokenFile, 'utf8'))).userId).toBe(config.bootstrapAdmin?.userId);
    }
    expect(statSync(join(home, 'pseudonym-keys.json')).mode & 0o777).toBe(0o600);

    const again = await cli('up', '--home', home, '--port', `bamf=${ports.bamf}`, '--port', `zab=${ports.zab}`);
    expect(again.code).toBe(0);
    expect(again.output).toMatch(/gateway-bamf already running/);
    expect(records().map((r) => r.pid).sort()).toEqual([...pids].sort());

    const status = await cli('status', '--home', home);
    expect(status.code).toBe(0);
    expect(status.output.match(/running ready/g)).toHaveLength(2);

    const down = await cli('down', '--home', home);
    expect(down.code).toBe(0);
    expect(down.output).toMatch(/stopped: /);
    expect(pids.filter(alive)).toEqual([]);
    expect(readdirSync(join(home, 'run'))).toEqual([]);
    for (const port of Object.values(ports)) await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
    expect((await cli('status', '--home', home)).code).toBe(1);
    // both stopped gracefully: the server logs its stop after closing its stores
    for (const org of ['bamf', 'zab']) expect(readFileSync(join(home, 'logs', `gateway-${org}.log`), 'utf8')).toMatch(/gateway stopped/);
  }, 300_000);
});
