/**
 * The ZAB simulator runs the return check through its adapter before it executes a scheduled return, and executes
 * only if allowed: a real adapter app (createApp, outbox in memory, dispatcher delivering) over the shared fake
 * ledger, the simulator talking to it over HTTP. Refused and failed executions are recorded and shown by
 * `GET /return-checks` without names or AZR numbers. Also: case 1 of every seed is exactly the lost fax.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { berlinDate, caseIdFor, courtRefFor } from '@asl/chaincode/domain';
import { MemoryLevel } from 'memory-level';
import pino from 'pino';
import request from 'supertest';
import { AGENCY_PROFILES } from '../../src/agencies/profiles';
import { createApp } from '../../src/core/app';
import { Dispatcher } from '../../src/core/dispatcher';
import { HttpGatewayClient } from '../../src/core/gateway-client';
import { Inbound } from '../../src/core/inbound';
import { LevelOutbox } from '../../src/core/outbox';
import { fixtureAzrNumber, generateScenario, type ScenarioCase } from '../../src/simulator/scenario';
import { CaseSystemSimulator, createSimulatorApp } from '../../src/simulator/simulator';
import { LEDGER_KEY, startFakeNetwork } from '../support/fake-ledger';

const quiet = pino({ level: 'silent' });
const today = (): string => berlinDate(new Date().toISOString());
const daysAgo = (n: number): string => berlinDate(new Date(Date.now() - n * 86_400_000).toISOString());

async function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('the ZAB simulator checks before it executes a return', () => {
  let net: Awaited<ReturnType<typeof startFakeNetwork>>;
  let outbox: LevelOutbox;
  let dispatcher: Dispatcher;
  let server: Server;
  let adapterUrl = '';
  const simulators: CaseSystemSimulator[] = [];

  beforeAll(async () => {
    net = await startFakeNetwork();
    outbox = await LevelOutbox.open(new MemoryLevel<string, unknown>({ valueEncoding: 'json' }));
    const clock = { now: () => Date.now() };
    const gateway = new HttpGatewayClient({ baseUrl: net.zab.url, token: net.zab.token, timeoutMs: 2000 });
    dispatcher = new Dispatcher({ outbox, gateway, clock, random: () => 0.5, policy: { concurrency: 2, baseDelayMs: 10, maxDelayMs: 50, holdDelayMs: 10, holdWindowMs: 5000, transientWindowMs: 5000 }, logger: quiet });
    const zab = AGENCY_PROFILES.zab;
    const inbound = new Inbound({ outbox, enqueue: (r) => dispatcher.enqueue(r), clock, agency: { mspId: zab.mspId, caseSystem: zab.caseSystem }, limits: { maxBytes: 64 * 1024, maxDepth: 24, maxElements: 2000 }, logger: quiet, allowedTypes: zab.sends });
    const app = createApp({ inbound, dispatcher, outbox, deadLetters: outbox, gateway, operatorToken: 'operator-token-fake-0123456789', maxBytes: 64 * 1024, clock, logger: quiet });
    server = await new Promise((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    adapterUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    dispatcher.start();
  });

  afterAll(async () => {
    await Promise.all(simulators.map((s) => s.stop()));
    await dispatcher.stop();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    await outbox.close();
    await net.stop();
  });

  /** Writes a case's steps onto the fake ledger as its agencies' adapters would (court file numbers as courtRefs). */
  function writeSteps(c: ScenarioCase): void {
    const caseId = caseIdFor(LEDGER_KEY, c.azrNumber);
    for (const step of c.steps) {
      const { courtProceedings, ...rest } = step.data as { courtProceedings?: { court: string; fileNumber: string } };
      const data = courtProceedings === undefined ? rest : { ...rest, courtRef: courtRefFor(LEDGER_KEY, courtProceedings.court, courtProceedings.fileNumber) };
      net.ledger.write(AGENCY_PROFILES[step.agency].mspId, { caseId, type: step.type, occurredAt: step.occurredAt, sourceMessageId: step.id, data });
    }
  }

  /** A ZAB simulator with only the planned execution left (the case's steps are already on the ledger). */
  function executionOnly(c: ScenarioCase): CaseSystemSimulator {
    const { returnExecution } = c;
    if (returnExecution === undefined) throw new Error('no planned execution');
    const planned = { id: returnExecution.id, kind: returnExecution.kind, occurredAt: returnExecution.occurredAt };
    const sim = new CaseSystemSimulator({ profile: 'zab', adapterUrl, cases: [{ ...c, steps: [], returnExecution: planned }], caseIntervalMs: 0, stepDelayMs: 0, logger: quiet });
    simulators.push(sim);
    return sim;
  }

  it('case 1 of any seed is the lost fax, and its planned execution waits for the urgent application', () => {
    for (const seed of [1, 7, 42, 123_456_789]) {
      const [c, ...rest] = generateScenario({ seed, count: 1, today: '2026-11-26' });
      expect(rest).toEqual([]);
      expect(c?.flow).toBe('lost-fax');
      expect(c?.steps.map((s) => s.type)).toEqual(['CASE_REGISTERED', 'APPLICATION_FILED', 'HEARING_SCHEDULED', 'HEARING_HELD', 'DECISION_ISSUED', 'DECISION_SERVED', 'RETURN_SCHEDULED', 'URGENT_APPLICATION_FILED']);
      const urgent = c?.steps[7];
      expect(c?.returnExecution).toEqual({ id: `sim-${seed}-1-9`, kind: 'DEPORTATION', occurredAt: '2026-11-26T08:18:00Z', after: urgent?.id });
    }
    // Other flows plan no execution (they schedule no return).
    expect(generateScenario({ seed: 5, count: 20, today: '2026-11-26' }).filter((c) => c.returnExecution !== undefined).every((c) => c.flow === 'lost-fax')).toBe(true);
  });

  it('fake AZR numbers: the 12-digit ones of earlier versions below seed 100, 16 digits from seed and case above', () => {
    expect(fixtureAzrNumber(7, 3)).toBe('999070000003');
    expect(fixtureAzrNumber(99, 10_000)).toBe('999990010000');
    expect(fixtureAzrNumber(123_456_789, 12)).toBe('9992345678900012');
    expect(fixtureAzrNumber(100, 10_000)).toMatch(/^999\d{13}$/);
    expect(fixtureAzrNumber(123_456_789, 1)).not.toBe(fixtureAzrNumber(123_456_788, 1));
  });

  it('refuses the lost fax’s deportation: nothing written, the blocking rules recorded, no names or AZR numbers shown', async () => {
    const [c] = generateScenario({ seed: 201, count: 1, today: today() });
    if (c === undefined) throw new Error('no case');
    writeSteps(c);
    const height = net.ledger.entries.length;
    const sim = executionOnly(c);
    sim.start();
    await until(() => sim.status().done);
    expect(sim.status()).toMatchObject({ ownSteps: 0, sent: 0, returnChecks: { planned: 1, executed: 0, refused: 1, failed: 0 }, done: true });
    const record = sim.returnChecks.get(1);
    expect(record).toMatchObject({ caseNo: 1, caseId: caseIdFor(LEDGER_KEY, c.azrNumber), kind: 'DEPORTATION', outcome: 'refused' });
    expect(record?.blocking).toEqual(expect.arrayContaining(['RET_URGENT_APPLICATION', 'RET_REMEDY_WINDOW_OPEN']));
    expect(record?.nachrichtUUID).toBeUndefined();
    expect(net.ledger.entries.length).toBe(height);
    const shown = await request(createSimulatorApp(sim)).get('/return-checks');
    expect(shown.status).toBe(200);
    expect(shown.body).toEqual({ planned: 1, checks: [JSON.parse(JSON.stringify(record)) as unknown] });
    const text = JSON.stringify(shown.body);
    for (const secret of [c.azrNumber, c.person.familyName, c.person.givenNames, c.bamfFileNumber, '13 L']) expect(text).not.toContain(secret);
  });

  it('executes an allowed deportation: RETURN_EXECUTION_STARTED through the adapter, on the ledger exactly once', async () => {
    const [lostFax] = generateScenario({ seed: 202, count: 1, today: today() });
    if (lostFax === undefined) throw new Error('no case');
    // The same case, but served two months ago and no urgent application: every window has closed.
    const served = daysAgo(60);
    const c: ScenarioCase = {
      ...lostFax,
      steps: lostFax.steps
        .filter((s) => s.type !== 'URGENT_APPLICATION_FILED')
        .map((s) => (s.type === 'DECISION_ISSUED' ? { ...s, data: { ...s.data, decidedOn: daysAgo(61) }, occurredAt: `${daysAgo(61)}T08:00:00Z` } : s.type === 'DECISION_SERVED' ? { ...s, data: { servedOn: served }, occurredAt: `${served}T08:00:00Z` } : s)),
    };
    writeSteps(c);
    const sim = executionOnly(c);
    sim.start();
    await until(() => sim.status().done);
    expect(sim.status().returnChecks).toEqual({ planned: 1, executed: 1, refused: 0, failed: 0 });
    const planned = c.returnExecution;
    expect(sim.returnChecks.get(1)).toMatchObject({ outcome: 'executed', blocking: [], nachrichtUUID: planned?.id });
    expect(sim.sent.get(planned?.id ?? '')).toMatchObject({ eventType: 'RETURN_EXECUTION_STARTED', status: 'accepted' });
    await until(() => net.ledger.entries.some((e) => e.event.sourceMessageId === planned?.id));
    const executed = net.ledger.entries.filter((e) => e.event.sourceMessageId === planned?.id);
    expect(executed).toHaveLength(1);
    expect(executed[0]?.event).toMatchObject({ type: 'RETURN_EXECUTION_STARTED', caseId: caseIdFor(LEDGER_KEY, c.azrNumber), actor: { mspId: 'ZabSachsenMSP' } });
  });

  it('does not execute without a judgement: an unknown case is recorded as failed; an unavailable gateway is asked again', async () => {
    const [unknown] = generateScenario({ seed: 203, count: 1, today: today() });
    if (unknown === undefined) throw new Error('no case');
    const failing = executionOnly(unknown);
    failing.start();
    await until(() => failing.status().done);
    expect(failing.returnChecks.get(1)).toMatchObject({ outcome: 'failed', status: 404, code: 'CASE_NOT_FOUND', blocking: [] });
    expect(failing.sent.size).toBe(0);

    const [later] = generateScenario({ seed: 204, count: 1, today: today() });
    if (later === undefined) throw new Error('no case');
    writeSteps(later);
    net.zab.down = true;
    const waiting = executionOnly(later);
    waiting.start();
    try {
      // Long enough for several attempts (50, 100, 200 ms apart): a 503 is no judgement, so nothing is decided.
      await new Promise((r) => setTimeout(r, 500));
      expect(waiting.returnChecks.size).toBe(0);
    } finally {
      net.zab.down = false;
    }
    await until(() => waiting.status().done);
    expect(waiting.returnChecks.get(1)).toMatchObject({ outcome: 'refused' });
  });
});
