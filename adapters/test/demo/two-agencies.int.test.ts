/**
 * Both case-system simulators and both adapters as real child processes (`startAdapterSide`, the demo
 * entry point) against one shared fake ledger with a fake gateway per agency (SSE included). The ZAB
 * adapter is killed with SIGKILL while it delivers outbound (once at a deterministic point — after the
 * case system took a message, before it was removed from the queue — and once at an arbitrary moment),
 * and restarted on the same data. Afterwards: every simulator step is on the ledger exactly once, every
 * partner event reached the other case system (nothing lost), and anything received more than once
 * carried the same nachrichtUUID (at least once, deduped by id).
 */
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HttpGatewayClient } from '../../src/core/gateway-client';
import { startAdapterSide, type AdapterSide } from '../../src/demo';
import { HttpGatewayReader } from '../../src/outbound/gateway-reader';
import { reconcile, type SentMessage } from '../../src/reconcile/reconcile';
import { generateScenario } from '../../src/simulator/scenario';
import type { ReceivedSummary } from '../../src/simulator/simulator';
import { startFakeNetwork } from '../support/fake-ledger';

jest.setTimeout(90_000);

const SEED = 11;
const CASES = 8;

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

async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check().catch(() => false)) return;
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function received(url: string): Promise<{ count: number; redeliveries: number; messages: ReceivedSummary[] }> {
  return (await (await fetch(`${url}/received`)).json()) as { count: number; redeliveries: number; messages: ReceivedSummary[] };
}

async function status(url: string): Promise<{ done: boolean; ownSteps: number; sent: number; rejected: number }> {
  return (await (await fetch(`${url}/status`)).json()) as { done: boolean; ownSteps: number; sent: number; rejected: number };
}

describe('two agencies: simulators and adapters as child processes over a shared fake ledger', () => {
  let net: Awaited<ReturnType<typeof startFakeNetwork>>;
  let side: AdapterSide | undefined;
  const today = new Date().toISOString().slice(0, 10);
  const scenario = generateScenario({ seed: SEED, count: CASES, today });

  beforeAll(async () => {
    net = await startFakeNetwork();
  });

  afterAll(async () => {
    await side?.stop();
    await net.stop();
  });

  it('loses and doubles nothing across SIGKILLs of the ZAB adapter during outbound delivery', async () => {
    const home = mkdtempSync(join(tmpdir(), 'asl-demo-'));
    side = await startAdapterSide({
      home,
      bamf: { gatewayUrl: net.bamf.url, token: net.bamf.token },
      zab: { gatewayUrl: net.zab.url, token: net.zab.token },
      seed: SEED,
      cases: CASES,
      caseIntervalMs: 150,
      stepDelayMs: 20,
      today,
      actionsIntervalMs: 500,
      logLevel: 'warn',
      stdio: 'ignore',
      ports: {
        maris: { inbound: await freePort(), simulator: await freePort() },
        zab: { inbound: await freePort(), simulator: await freePort() },
      },
      // The first ZAB adapter kills itself after the case system took its 5th outbound message,
      // before removing it from the queue: the redelivery window.
      adapterEnv: { zab: { ASL_FAULT_KILL_AFTER_OUTBOUND: '5' } },
    });
    const s = side;
    const zabSim = s.simulators.zab.url;
    const marisSim = s.simulators.maris.url;

    const firstZab = s.adapters.zab.child;
    await new Promise<void>((resolve) => (firstZab.exitCode !== null || firstZab.signalCode !== null ? resolve() : firstZab.once('exit', () => resolve())));
    expect(firstZab.signalCode).toBe('SIGKILL');
    const beforeRestart = await received(zabSim);
    await s.restartAdapter('zab');

    // A second, arbitrary kill once more outbound messages have arrived.
    await waitFor(async () => (await received(zabSim)).count >= beforeRestart.count + 5, 30_000, 'more ZAB outbound');
    s.adapters.zab.child.kill('SIGKILL');
    await new Promise<void>((resolve) => s.adapters.zab.child.once('exit', () => resolve()));
    await s.restartAdapter('zab');

    await waitFor(async () => (await status(zabSim)).done && (await status(marisSim)).done, 60_000, 'both simulators to send every step');
    const allSteps = scenario.flatMap((c) => c.steps);
    await waitFor(() => Promise.resolve(net.ledger.entries.length >= allSteps.length), 30_000, 'every step on the ledger');

    // Every step recorded exactly once, by its own agency.
    const sourceIds = net.ledger.entries.map((e) => e.event.sourceMessageId);
    expect(new Set(sourceIds).size).toBe(sourceIds.length);
    expect([...sourceIds].sort()).toEqual(allSteps.map((st) => st.id).sort());
    expect((await status(zabSim)).rejected).toBe(0);
    expect((await status(marisSim)).rejected).toBe(0);

    // Every partner event reached the other case system: nothing lost, with the txId as nachrichtUUID.
    for (const [sim, partner] of [[zabSim, 'maris'], [marisSim, 'zab']] as const) {
      const expected = allSteps.filter((st) => st.agency === partner).map((st) => st.id).sort();
      await waitFor(async () => (await received(sim)).messages.filter((m) => m.kind === 'event').length >= expected.length, 30_000, `partner events at ${sim}`);
      const got = (await received(sim)).messages.filter((m) => m.kind === 'event');
      expect(got.map((m) => m.sourceMessageId).sort()).toEqual(expected);
      const txIds = new Map(net.ledger.entries.map((e) => [e.event.sourceMessageId, e.event.txId]));
      for (const m of got) expect(m.nachrichtUUID).toBe(txIds.get(m.sourceMessageId ?? ''));
    }

    // The lost fax: ZAB's case system got RETURN_CONFLICT notices, including the urgent application's.
    const zabGot = await received(zabSim);
    const conflicts = zabGot.messages.filter((m) => m.kind === 'notice' && m.occasion === 'RETURN_CONFLICT');
    expect(conflicts.length).toBeGreaterThanOrEqual(2);
    expect(conflicts.some((m) => m.warnings?.includes('RET_URGENT_APPLICATION'))).toBe(true);
    // Next actions arrived too (BAMF: e.g. SCHEDULE_HEARING / DECIDE at some point).
    expect((await received(marisSim)).messages.some((m) => m.kind === 'notice' && m.occasion === 'ACTIONS_CHANGED')).toBe(true);
    // The reconciliation report over what each simulator says it sent: everything matches.
    for (const [sim, gw] of [[marisSim, net.bamf], [zabSim, net.zab]] as const) {
      const sent = ((await (await fetch(`${sim}/sent`)).json()) as { messages: SentMessage[] }).messages;
      const report = await reconcile({
        agency: gw.mspId,
        sent,
        gateway: new HttpGatewayClient({ baseUrl: gw.url, token: gw.token, timeoutMs: 5_000 }),
        reader: new HttpGatewayReader({ baseUrl: gw.url, token: gw.token, timeoutMs: 5_000 }),
      });
      expect(report).toMatchObject({ missing: [], extra: [], mismatched: [], unreadable: 0, matched: sent.length });
    }
    // The deterministic kill happened after a delivery and before its removal: that message came again, same id.
    expect(zabGot.redeliveries).toBeGreaterThanOrEqual(1);
  });
});
