import { caseIdFor, courtRefFor } from '@asl/chaincode/domain';
import { MemoryLevel } from 'memory-level';
import { Dispatcher, backoffMs, laneKeyFor, type DeliveryPolicy } from '../../src/core/dispatcher';
import { HttpGatewayClient } from '../../src/core/gateway-client';
import { LevelOutbox, type DeadLetter, type InboundEvent } from '../../src/core/outbox';
import { FAKE_ADMIN_TOKEN, FAKE_KEY, FAKE_TOKEN, FakeGateway } from '../support/fake-gateway';
import { capturedLogger } from '../support/log-capture';
import { SAMPLE_DATA } from '../support/samples';

const policy: DeliveryPolicy = { concurrency: 4, baseDelayMs: 100, maxDelayMs: 10_000, holdDelayMs: 1_000, holdWindowMs: 60_000, transientWindowMs: 120_000 };
const AZR_A = '111 222 333 44';
const AZR_B = '555 666 777 88';

describe('Dispatcher against a fake gateway over HTTP', () => {
  const gateway = new FakeGateway();
  let now = 1_000_000;
  let outbox: LevelOutbox;
  let dispatcher: Dispatcher;
  let log: ReturnType<typeof capturedLogger>;
  let dead: DeadLetter[];
  let seq = 0;

  beforeAll(() => gateway.start());
  afterAll(() => gateway.stop());
  beforeEach(async () => {
    gateway.applied.length = 0;
    gateway.script = undefined;
    gateway.outage = undefined;
    now = 1_000_000;
    dead = [];
    log = capturedLogger();
    outbox = await LevelOutbox.open(new MemoryLevel<string, unknown>({ valueEncoding: 'json' }));
    dispatcher = new Dispatcher({
      outbox,
      gateway: new HttpGatewayClient({ baseUrl: gateway.url, token: FAKE_TOKEN, adminToken: FAKE_ADMIN_TOKEN, timeoutMs: 2000 }),
      clock: { now: () => now },
      random: () => 0.5,
      policy,
      logger: log.logger,
      onDeadLetter: (l) => {
        dead.push(l);
        return Promise.resolve();
      },
    });
  });
  afterEach(() => outbox.close());

  async function accept(type: InboundEvent['eventType'], azr = AZR_A, data: Record<string, unknown> = SAMPLE_DATA[type]): Promise<string> {
    seq += 1;
    const id = `d-${seq}`;
    const r = await outbox.accept({
      id,
      receivedAt: 'x',
      laneKey: laneKeyFor(azr),
      event: { eventType: type, occurredAt: '2025-03-05T10:00:00+01:00', identification: { azrNummer: azr }, data, author: 'SIM' },
    });
    if (r.status !== 'accepted') throw new Error('not accepted');
    dispatcher.enqueue(r.record);
    return id;
  }

  async function drain(maxRounds = 50): Promise<void> {
    for (let i = 0; i < maxRounds && dispatcher.pendingCount() > 0; i += 1) {
      const started = await dispatcher.runOnce();
      if (started === 0) {
        const next = dispatcher.nextDueAt();
        if (next === undefined) return;
        now = Math.max(now, next);
      }
    }
  }

  it('records in per-case order, derives caseId and courtRef through the gateway, removes from the outbox', async () => {
    await accept('CASE_REGISTERED');
    await accept('APPLICATION_FILED');
    await accept('CASE_REGISTERED', AZR_B);
    await accept('DEPORTATION_STAY_NOTIFIED');
    await drain();
    const a = caseIdFor(FAKE_KEY, AZR_A);
    expect(gateway.typesOf(a)).toEqual(['CASE_REGISTERED', 'APPLICATION_FILED', 'DEPORTATION_STAY_NOTIFIED']);
    expect(gateway.typesOf(caseIdFor(FAKE_KEY, AZR_B))).toEqual(['CASE_REGISTERED']);
    expect(gateway.applied.find((w) => w.type === 'DEPORTATION_STAY_NOTIFIED')?.data).toEqual({ courtRef: courtRefFor(FAKE_KEY, 'VG-DRESDEN', '13 L 998/25.A') });
    expect(await outbox.pending()).toEqual([]);
    expect(dispatcher.counters.delivered).toBe(4);
  });

  it('runs different cases in parallel but one record per case at a time', async () => {
    await accept('CASE_REGISTERED');
    await accept('APPLICATION_FILED');
    await accept('CASE_REGISTERED', AZR_B);
    expect(await dispatcher.runOnce()).toBe(2);
    expect(gateway.applied.map((w) => w.type)).toEqual(expect.arrayContaining(['CASE_REGISTERED', 'CASE_REGISTERED']));
    expect(gateway.applied).toHaveLength(2);
  });

  it('treats ALREADY_APPLIED as success', async () => {
    const id = await accept('CASE_REGISTERED');
    await drain();
    expect(gateway.applied.map((w) => w.sourceMessageId)).toEqual([id]);
    await outbox.close();
    outbox = await LevelOutbox.open(new MemoryLevel<string, unknown>({ valueEncoding: 'json' }));
    const again = await outbox.accept({ id, receivedAt: 'x', laneKey: laneKeyFor(AZR_A), event: { eventType: 'CASE_REGISTERED', occurredAt: '2025-03-05T10:00:00+01:00', identification: { azrNummer: AZR_A }, data: SAMPLE_DATA.CASE_REGISTERED, author: 'SIM' } });
    if (again.status !== 'accepted') throw new Error('unreachable');
    const d2 = new Dispatcher({ outbox, gateway: new HttpGatewayClient({ baseUrl: gateway.url, token: FAKE_TOKEN, timeoutMs: 2000 }), clock: { now: () => now }, random: () => 0.5, policy, logger: log.logger });
    d2.enqueue(again.record);
    await d2.runOnce();
    expect(d2.counters.alreadyApplied).toBe(1);
    expect(gateway.applied).toHaveLength(1);
    expect(await outbox.pending()).toEqual([]);
  });

  it('holds a PRECONDITION_FAILED with missing (the case waits), then records once the earlier event is there', async () => {
    let partnerArrived = false;
    gateway.script = (w) => (w.type === 'DECISION_SERVED' && !partnerArrived ? { status: 409, code: 'PRECONDITION_FAILED', details: { missing: ['DECISION_ISSUED'] } } : undefined);
    await accept('DECISION_SERVED');
    await accept('APPEAL_FILED');
    await dispatcher.runOnce();
    expect(gateway.applied).toHaveLength(0);
    const [held] = await outbox.pending();
    expect(held).toMatchObject({ attempts: 1, heldSince: 1_000_000, lastCode: 'PRECONDITION_FAILED' });
    expect(held!.notBefore - now).toBeGreaterThanOrEqual(policy.holdDelayMs);
    expect(await dispatcher.runOnce()).toBe(0);
    partnerArrived = true;
    await drain();
    expect(gateway.applied.map((w) => w.type)).toEqual(['DECISION_SERVED', 'APPEAL_FILED']);
    expect(dead).toEqual([]);
  });

  it('gives up holding after the hold window: dead letter with the missing types, the case moves on', async () => {
    gateway.script = (w) => (w.type === 'DECISION_SERVED' ? { status: 409, code: 'PRECONDITION_FAILED', details: { missing: ['DECISION_ISSUED'] } } : undefined);
    await accept('DECISION_SERVED');
    await accept('HEARING_HELD');
    await drain(200);
    expect(dead).toHaveLength(1);
    expect(dead[0]!.cause).toEqual({ reason: 'PRECONDITION_FAILED', status: 409, missing: ['DECISION_ISSUED'] });
    expect(now - 1_000_000).toBeGreaterThan(policy.holdWindowMs);
    expect(gateway.applied.map((w) => w.type)).toEqual(['HEARING_HELD']);
    expect(log.lines.some((l) => l.includes('"alert":"DEAD_LETTER"'))).toBe(true);
  });

  it('dead-letters a conflicting precondition and other 4xx at once', async () => {
    gateway.script = (w) =>
      w.type === 'DECISION_ISSUED' ? { status: 409, code: 'PRECONDITION_FAILED', details: { conflicting: ['DECISION_ISSUED'] } } : w.type === 'RETURN_SCHEDULED' ? { status: 403, code: 'NOT_OWNER' } : undefined;
    await accept('DECISION_ISSUED');
    await accept('RETURN_SCHEDULED', AZR_B);
    await dispatcher.runOnce();
    expect(dead.map((d) => d.cause)).toEqual(
      expect.arrayContaining([
        { reason: 'PRECONDITION_FAILED', status: 409, conflicting: ['DECISION_ISSUED'] },
        { reason: 'NOT_OWNER', status: 403 },
      ]),
    );
    expect((await outbox.listDeadLetters()).map((d) => d.reason).sort()).toEqual(['NOT_OWNER', 'PRECONDITION_FAILED']);
  });

  it('retries LEDGER_UNAVAILABLE with backoff no shorter than Retry-After, and records after the outage', async () => {
    gateway.outage = { status: 503, code: 'LEDGER_UNAVAILABLE', retryAfter: '7' };
    await accept('CASE_REGISTERED');
    await dispatcher.runOnce();
    const [r] = await outbox.pending();
    expect(r).toMatchObject({ attempts: 1, failingSince: 1_000_000, lastCode: 'LEDGER_UNAVAILABLE' });
    expect(r!.notBefore - now).toBeGreaterThanOrEqual(7000);
    await dispatcher.runOnce();
    expect(gateway.applied).toHaveLength(0);
    gateway.outage = undefined;
    await drain();
    expect(gateway.applied).toHaveLength(1);
    expect(dispatcher.counters.transientFailures).toBe(1);
  });

  it('gives up on transient failures after the transient window (dead letter DELIVERY_GAVE_UP)', async () => {
    gateway.outage = { status: 504, code: 'LEDGER_TIMEOUT' };
    await accept('CASE_REGISTERED');
    await drain(500);
    expect(dead.map((d) => d.cause.reason)).toEqual(['DELIVERY_GAVE_UP']);
    expect(now - 1_000_000).toBeGreaterThan(policy.transientWindowMs);
  });

  it('an unreachable gateway is transient', async () => {
    const d = new Dispatcher({ outbox, gateway: new HttpGatewayClient({ baseUrl: 'http://127.0.0.1:1', token: 't', timeoutMs: 500 }), clock: { now: () => now }, random: () => 0, policy, logger: log.logger });
    const r = await outbox.accept({ id: 'u-1', receivedAt: 'x', laneKey: 'l', event: { eventType: 'HEARING_HELD', occurredAt: '2025-03-05T10:00:00Z', identification: { azrNummer: AZR_A }, data: {}, author: 'S' } });
    if (r.status !== 'accepted') throw new Error('unreachable');
    d.enqueue(r.record);
    await d.runOnce();
    expect((await outbox.pending())[0]).toMatchObject({ attempts: 1, lastCode: '0' });
  });

  it('sends the person details as caseDetails with the identifiers, and imports through the import route', async () => {
    seq += 1;
    const r = await outbox.accept({
      id: `d-${seq}`,
      receivedAt: 'x',
      laneKey: laneKeyFor(AZR_A),
      event: { eventType: 'CASE_IMPORTED', occurredAt: '2025-03-05T10:00:00Z', identification: { azrNummer: AZR_A, bamfAktenzeichen: '1-999' }, person: { familyName: 'Fake' }, data: SAMPLE_DATA.CASE_IMPORTED, author: 'SIM' },
    });
    if (r.status !== 'accepted') throw new Error('unreachable');
    dispatcher.enqueue(r.record);
    await drain();
    const [write] = gateway.applied;
    expect(write?.type).toBe('CASE_IMPORTED');
    expect(write?.caseDetails).toEqual({ familyName: 'Fake', azrNumber: AZR_A, bamfFileNumber: '1-999' });
    // The import route's envelope (the gateway's ImportRequest): the message id and instant, as for any event.
    expect(gateway.requests.find((q) => q.path.endsWith('/import'))?.body).toMatchObject({ sourceMessageId: `d-${seq}`, occurredAt: '2025-03-05T10:00:00Z' });
    expect(JSON.stringify(write?.data)).toContain('"courtRef":"r');
  });

  it('never writes the AZR number, names or court file numbers into the log', async () => {
    gateway.script = (w) => (w.type === 'RETURN_SCHEDULED' ? { status: 403, code: 'NOT_OWNER' } : undefined);
    await accept('CASE_REGISTERED');
    await accept('APPEAL_FILED');
    await accept('RETURN_SCHEDULED');
    await drain();
    const all = log.lines.join('\n');
    expect(all).toContain('recorded');
    for (const secret of ['111 222 333 44', '11122233344', '13 K 999/25.A', 'Mustermann']) expect(all).not.toContain(secret);
  });

  it('backoff grows exponentially, is capped and jittered within [ceiling/2, ceiling]', () => {
    const p = { baseDelayMs: 100, maxDelayMs: 1000 };
    expect(backoffMs(0, p, () => 0)).toBe(50);
    expect(backoffMs(0, p, () => 0.999)).toBe(100);
    expect(backoffMs(3, p, () => 0.999)).toBe(800);
    expect(backoffMs(10, p, () => 0)).toBe(500);
    expect(backoffMs(10, p, () => 0.999)).toBe(1000);
    expect(backoffMs(100, p, () => 0.999)).toBe(1000);
  });
});
