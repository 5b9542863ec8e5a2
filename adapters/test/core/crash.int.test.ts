/**
 * The real crash test: the adapter runs as a child process (bin/asl-adapter) against a fake gateway.
 * Messages are posted per case in order; the adapter is killed with SIGKILL several times while it
 * delivers, restarted each time on the same data directory, and at the end the fake gateway must hold
 * every accepted message exactly once (idempotency by nachrichtUUID = sourceMessageId), in per-case
 * posting order.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { caseIdFor } from '@asl/chaincode/domain';
import { serializeMessage } from '../../src/message/codec';
import { FAKE_KEY, FAKE_TOKEN, FakeGateway } from '../support/fake-gateway';
import { sampleEventMessage } from '../support/samples';

jest.setTimeout(120_000);

const BIN = join(__dirname, '..', '..', 'bin', 'asl-adapter');
const CASES = 6;
const PER_CASE = 12;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return;
    await sleep(25);
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('adapter child process killed with SIGKILL while delivering', () => {
  const gateway = new FakeGateway();
  let child: ChildProcess | undefined;
  let port = 0;
  let stderr = '';
  const dir = mkdtempSync(join(tmpdir(), 'asl-crash-'));
  const config = join(dir, 'adapter.json');

  async function startChild(env: Record<string, string> = {}): Promise<void> {
    child = spawn(process.execPath, [BIN, '--config', config], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...env } });
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    await waitFor(async () => {
      try {
        return (await fetch(`http://127.0.0.1:${port}/healthz`)).ok;
      } catch {
        return false;
      }
    }, 30_000, 'adapter health');
  }

  function kill9(): Promise<void> {
    const c = child;
    if (c === undefined || c.exitCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      c.once('exit', () => resolve());
      c.kill('SIGKILL');
    });
  }

  beforeAll(async () => {
    gateway.latencyMs = 15;
    await gateway.start();
    port = await freePort();
    writeFileSync(
      config,
      JSON.stringify({
        agency: { mspId: 'ZabSachsenMSP', caseSystem: 'ZAB-SIM' },
        gateway: { url: gateway.url, token: FAKE_TOKEN, timeoutMs: 5000 },
        inbound: { port },
        dataDir: join(dir, 'data'),
        operatorToken: 'operator-token-fake-0123456789',
        delivery: { concurrency: 4, baseDelayMs: 20, maxDelayMs: 200, holdDelayMs: 20 },
        logLevel: 'warn',
      }),
    );
  });

  afterAll(async () => {
    await kill9();
    await gateway.stop();
  });

  it('delivers every accepted message exactly once, in per-case order, across three kills', async () => {
    const azrs = Array.from({ length: CASES }, (_, c) => `${String(c + 1).padStart(3, '0')} 000 000 ${String(c).padStart(2, '0')}`);
    const messages = azrs.map((azr, c) =>
      Array.from({ length: PER_CASE }, (_, k) => {
        const uuid = `crash-${c}-${String(k).padStart(3, '0')}`;
        const xml = serializeMessage(sampleEventMessage('HEARING_SCHEDULED', { uuid, azr, data: { hearingOn: `2025-05-${String(k + 1).padStart(2, '0')}` } }));
        return { uuid, xml };
      }),
    );
    const acknowledged = new Set<string>();
    const next = messages.map(() => 0);

    /** Posts each case's messages in order until done or the adapter goes away. */
    async function postAll(): Promise<void> {
      await Promise.all(
        messages.map(async (list, c) => {
          while ((next[c] ?? 0) < list.length) {
            const m = list[next[c] ?? 0]!;
            let res: Response;
            try {
              res = await fetch(`http://127.0.0.1:${port}/messages`, { method: 'POST', headers: { 'content-type': 'application/xml' }, body: m.xml });
            } catch {
              return;
            }
            expect(res.status).toBe(202);
            acknowledged.add(m.uuid);
            next[c] = (next[c] ?? 0) + 1;
          }
        }),
      );
    }

    await startChild();
    for (const killAfter of [10, 30, 50]) {
      const posting = postAll();
      await waitFor(() => gateway.applied.length >= killAfter, 60_000, `${killAfter} deliveries`);
      await kill9();
      await posting;
      await startChild();
    }
    await postAll();
    expect(acknowledged.size).toBe(CASES * PER_CASE);
    await waitFor(() => gateway.applied.length >= CASES * PER_CASE, 60_000, 'all deliveries');
    await sleep(300);

    const ids = gateway.applied.map((a) => a.sourceMessageId);
    expect(ids).toHaveLength(CASES * PER_CASE);
    expect(new Set(ids).size).toBe(ids.length);
    for (const [c, azr] of azrs.entries()) {
      const caseId = caseIdFor(FAKE_KEY, azr);
      expect(gateway.applied.filter((a) => a.caseId === caseId).map((a) => a.sourceMessageId)).toEqual(messages[c]!.map((m) => m.uuid));
    }
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(metrics).toMatch(/asl_adapter_outbox_pending 0/);
    expect(stderr).toBe('');
  });

  it('a crash after the ledger committed but before the record was marked done: the retry is ALREADY_APPLIED, recorded once', async () => {
    const before = gateway.applied.length;
    const alreadyBefore = gateway.alreadyAppliedCount;
    const azr = '999 000 000 01';
    const list = Array.from({ length: 5 }, (_, k) => {
      const uuid = `commit-crash-${k}`;
      return { uuid, xml: serializeMessage(sampleEventMessage('HEARING_SCHEDULED', { uuid, azr, data: { hearingOn: `2025-06-${String(k + 1).padStart(2, '0')}` } })) };
    });
    await kill9();
    await startChild({ ASL_FAULT_KILL_AFTER_COMMIT: '2' });
    const exited = new Promise<void>((resolve) => child?.once('exit', () => resolve()));
    for (const m of list) {
      const res = await fetch(`http://127.0.0.1:${port}/messages`, { method: 'POST', body: m.xml });
      expect(res.status).toBe(202);
    }
    await exited;
    expect(gateway.applied.length - before).toBe(2);
    await startChild();
    await waitFor(() => gateway.applied.length - before >= 5, 30_000, 'redelivery');
    await sleep(300);
    const caseId = caseIdFor(FAKE_KEY, azr);
    expect(gateway.applied.filter((a) => a.caseId === caseId).map((a) => a.sourceMessageId)).toEqual(list.map((m) => m.uuid));
    expect(gateway.alreadyAppliedCount - alreadyBefore).toBe(1);
  });
});
