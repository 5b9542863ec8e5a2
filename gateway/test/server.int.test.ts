import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CASE_ID, registerBody } from './support/fixtures';
import { freePort } from '@asl/network/processes';

async function waitHealthy(url: string, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`gateway exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('gateway did not become healthy');
}

/** Runs only as an integration test (the CLI's --testPathIgnorePatterns replaces the config's kind filter). */

describe('gateway server process (dev mode: in-memory ledger, dev identities; classic-level stores on disk)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'asl-gw-server-'));
  let port: number;
  let configFile: string;
  const logs: string[] = [];
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function start(): ChildProcess {
    const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, '../src/server.ts')], {
      env: { ...process.env, ASL_GATEWAY_CONFIG: configFile },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (d: Buffer) => logs.push(d.toString()));
    child.stderr?.on('data', (d: Buffer) => logs.push(d.toString()));
    return child;
  }

  beforeAll(async () => {
    port = await freePort();
    writeFileSync(join(dir, 'keys.json'), JSON.stringify([{ version: 'k1', key: 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=' }]));
    writeFileSync(join(dir, 'vault.key'), randomBytes(32).toString('base64'), { mode: 0o600 });
    configFile = join(dir, 'gateway.json');
    writeFileSync(
      configFile,
      JSON.stringify({
        mspId: 'ZabSachsenMSP',
        listen: { host: '127.0.0.1', port },
        dataDir: join(dir, 'data'),
        pseudonymKeyFile: join(dir, 'keys.json'),
        vaultKeyFile: join(dir, 'vault.key'),
        ledger: { kind: 'memory' },
        identity: { kind: 'dev' },
        secureCookies: false,
        bootstrapAdmin: { userId: 'zab-admin-0001', tokenFile: join(dir, 'admin-token.json') },
      }),
    );
  });

  it('starts, bootstraps an admin, serves writes and reads, stops gracefully, and keeps tokens and the access log across a restart', async () => {
    const url = `http://127.0.0.1:${port}`;
    let child = start();
    await waitHealthy(url, child);
    // the development mode says so at start, at warn level, and again when it listens
    const warnings = logs.join('').split('\n').filter((l) => l.includes('"level":40'));
    expect(warnings.join('\n')).toMatch(/DEVELOPMENT ONLY: ledger.kind \\"memory\\"/);
    expect(warnings.join('\n')).toMatch(/DEVELOPMENT ONLY: identity.kind \\"dev\\"/);
    expect(logs.join('')).toMatch(/gateway listening \(DEVELOPMENT ONLY: in-memory ledger\)/);
    expect(statSync(join(dir, 'admin-token.json')).mode & 0o777).toBe(0o600);
    const admin = (JSON.parse(readFileSync(join(dir, 'admin-token.json'), 'utf8')) as { token: string }).token;
    const auth = (t: string) => ({ authorization: `Bearer ${t}`, 'content-type': 'application/json' });
    const adapter = (await (await fetch(`${url}/api/v1/admin/users`, { method: 'POST', headers: auth(admin), body: JSON.stringify({ userId: 'zab-adapter-0001', role: 'adapter' }) })).json()) as { token: string };
    const auditor = (await (await fetch(`${url}/api/v1/admin/users`, { method: 'POST', headers: auth(admin), body: JSON.stringify({ userId: 'zab-auditor-0001', role: 'auditor' }) })).json()) as { token: string };
    const write = await fetch(`${url}/api/v1/cases/${CASE_ID}/events`, { method: 'POST', headers: auth(adapter.token), body: JSON.stringify(registerBody()) });
    expect(write.status).toBe(201);
    const view = await fetch(`${url}/api/v1/cases/${CASE_ID}`, { headers: auth(auditor.token) });
    expect(view.status).toBe(200);
    expect(((await view.json()) as { phase: string }).phase).toBe('INTAKE');
    expect((await fetch(`${url}/metrics`)).status).toBe(200);

    child.kill('SIGTERM');
    const code = await new Promise((r) => child.once('exit', r));
    expect(code).toBe(0);

    child = start();
    await waitHealthy(url, child);
    const log = await fetch(`${url}/api/v1/audit/access-log`, { headers: auth(auditor.token) });
    expect(log.status).toBe(200);
    const body = (await log.json()) as { items: { caseId: string; resource: string }[]; chainIntact: boolean };
    expect(body.chainIntact).toBe(true);
    expect(body.items).toEqual([expect.objectContaining({ caseId: CASE_ID, resource: 'view' })]);
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    expect(logs.join('')).not.toContain(adapter.token);
  }, 60_000);
});
