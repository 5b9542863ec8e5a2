/**
 * The outbound side against a fake SSE gateway (test/support/fake-ledger.ts: one in-memory ledger that
 * runs the domain's `decide`, streamed per agency with Last-Event-ID) and an in-memory case system.
 */
import { caseIdFor, courtRefFor, type Warning } from '@asl/chaincode/domain';
import { MemoryLevel } from 'memory-level';
import pino from 'pino';
import { parseMessage, type Message } from '../../src/message';
import type { CaseSystemSink, SinkResult } from '../../src/outbound/case-system-sink';
import { SseParser } from '../../src/outbound/event-stream';
import { HttpGatewayReader, type GatewayReader } from '../../src/outbound/gateway-reader';
import { Outbound, type OutboundPolicy } from '../../src/outbound/outbound';
import { OutboundStore, type QueuedMessage } from '../../src/outbound/outbound-store';
import { prominentFirst } from '../../src/outbound/translate';
import { LEDGER_KEY, startFakeNetwork, type FakeAgencyGateway, type FakeLedger } from '../support/fake-ledger';

const silent = pino({ level: 'silent' });
const POLICY: OutboundPolicy = { actionsIntervalMs: 60_000, baseDelayMs: 5, maxDelayMs: 20, maxRefusals: 3, streamIdleMs: 2_000, resolveIdentity: true };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(check: () => boolean, what: string, timeoutMs = 4_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (check()) return;
    await sleep(5);
  }
  throw new Error(`timed out: ${what}`);
}

/** An in-memory case system: records every delivery; `failures` scripts the next answers. */
class MemorySink implements CaseSystemSink {
  readonly deliveries: { id: string; message: Message; xml: string }[] = [];
  failures: SinkResult[] = [];
  deliver(message: QueuedMessage): Promise<SinkResult> {
    const next = this.failures.shift();
    if (next !== undefined) return Promise.resolve(next);
    const parsed = parseMessage(Buffer.from(message.xml));
    if (!parsed.ok) throw new Error('outbound message does not parse');
    this.deliveries.push({ id: message.id, message: parsed.message, xml: message.xml });
    return Promise.resolve({ ok: true });
  }
  ids(): string[] {
    return this.deliveries.map((d) => d.id);
  }
}

const AZR = '999 00 0000 001';
const caseId = caseIdFor(LEDGER_KEY, AZR);
let counter = 0;
function write(ledger: FakeLedger, msp: string, type: string, data: Record<string, unknown>, details?: Record<string, unknown>, id = caseId) {
  counter += 1;
  return ledger.write(msp, { caseId: id, type, occurredAt: '2026-11-20T08:00:00Z', sourceMessageId: `unit-${counter}`, data }, details).entry;
}

describe('outbound', () => {
  let net: Awaited<ReturnType<typeof startFakeNetwork>>;
  let store: OutboundStore;
  let db: MemoryLevel<string, unknown>;
  const running: Outbound[] = [];

  function outboundFor(gateway: FakeAgencyGateway, sink: CaseSystemSink, policy: Partial<OutboundPolicy> = {}, reader?: GatewayReader): Outbound {
    const o = new Outbound({
      store,
      sink,
      reader: reader ?? new HttpGatewayReader({ baseUrl: gateway.url, token: gateway.token, timeoutMs: 2_000 }),
      self: { mspId: gateway.mspId, caseSystem: gateway.mspId === 'BamfMSP' ? 'MARIS' : 'ZAB-VERFAHREN' },
      stream: { url: `${gateway.url}/api/v1/events/stream`, token: gateway.token },
      policy: { ...POLICY, ...policy },
      clock: { now: () => Date.now() },
      random: () => 0.5,
      logger: silent,
    });
    running.push(o);
    return o;
  }

  beforeEach(async () => {
    net = await startFakeNetwork({ now: () => new Date('2026-11-26T10:00:00Z') });
    db = new MemoryLevel<string, unknown>({ valueEncoding: 'json' });
    store = await OutboundStore.open(db);
  });

  afterEach(async () => {
    await Promise.all(running.splice(0).map((o) => o.stop()));
    await net.stop();
  });

  it('delivers the partner agency’s events (txId as nachrichtUUID, receipt with the sourceMessageId), not its own', async () => {
    const sink = new MemorySink();
    const zab = outboundFor(net.zab, sink);
    await zab.start();
    write(net.ledger, 'ZabSachsenMSP', 'CASE_REGISTERED', { facility: 'AE-DD-TEST', registeredOn: '2026-10-01' }, { azrNumber: AZR, familyName: 'Testperson' });
    const filed = write(net.ledger, 'BamfMSP', 'APPLICATION_FILED', { filedOn: '2026-10-03' });
    await until(() => sink.deliveries.length >= 1, 'partner event');
    await sleep(50);
    const events = sink.deliveries.filter((d) => d.message.kind === 'event');
    expect(events.map((d) => d.id)).toEqual([filed.event.txId]);
    const m = events[0]!.message;
    if (m.kind !== 'event') throw new Error('not an event');
    expect(m.eventType).toBe('APPLICATION_FILED');
    expect(m.body.quittung).toEqual({ txId: filed.event.txId, recordedAt: filed.event.recordedAt, writer: 'BamfMSP', sourceMessageId: filed.event.sourceMessageId });
    expect(m.body.identifikation).toEqual({ fallId: caseId, azrNummer: AZR });
    expect(m.body.nachrichtenkopf.leser.kennung).toBe('ZAB-VERFAHREN');
  });

  it('waits for a case’s identifiers while the details lookup fails for now (429, no answer) rather than send an event or notice without them', async () => {
    const http = new HttpGatewayReader({ baseUrl: net.zab.url, token: net.zab.token, timeoutMs: 2_000 });
    const failures = [429, 0, 503];
    const lookups: number[] = [];
    const reader: GatewayReader = {
      warnings: () => http.warnings(),
      actions: () => http.actions(),
      timeline: (c) => http.timeline(c),
      identity: (c) => {
        const status = failures.shift();
        lookups.push(status ?? 200);
        return status === undefined ? http.identity(c) : Promise.resolve({ ok: false, status });
      },
    };
    const sink = new MemorySink();
    const zab = outboundFor(net.zab, sink, {}, reader);
    await zab.start();
    write(net.ledger, 'ZabSachsenMSP', 'CASE_REGISTERED', { facility: 'AE-DD-TEST', registeredOn: '2026-10-01' }, { azrNumber: AZR, familyName: 'Testperson' });
    write(net.ledger, 'BamfMSP', 'APPLICATION_FILED', { filedOn: '2026-10-03' });
    await until(() => sink.deliveries.some((d) => d.message.kind === 'event'), 'the partner event', 8_000);
    expect(lookups.slice(0, 4)).toEqual([429, 0, 503, 200]);
    for (const d of sink.deliveries) {
      if (d.message.kind === 'returnToSender') continue;
      expect({ kind: d.message.kind, azr: d.message.body.identifikation.azrNummer }).toEqual({ kind: d.message.kind, azr: AZR });
    }
  });

  it('checkpoints durably: a restarted outbound resumes after the last committed item, missing and repeating nothing', async () => {
    const sink = new MemorySink();
    const first = outboundFor(net.zab, sink, { resolveIdentity: false });
    await first.start();
    write(net.ledger, 'ZabSachsenMSP', 'CASE_REGISTERED', { facility: 'AE-DD-TEST', registeredOn: '2026-10-01' });
    const a = write(net.ledger, 'BamfMSP', 'APPLICATION_FILED', { filedOn: '2026-10-03' });
    await until(() => sink.ids().includes(a.event.txId), 'first event');
    await first.stop();
    expect(await store.checkpoint()).toBe(2);
    const b = write(net.ledger, 'BamfMSP', 'HEARING_SCHEDULED', { hearingOn: '2026-10-20' });
    const c = write(net.ledger, 'BamfMSP', 'HEARING_HELD', {});
    const second = outboundFor(net.zab, sink, { resolveIdentity: false });
    await second.start();
    await until(() => sink.ids().includes(c.event.txId), 'events written while stopped');
    await sleep(50);
    expect(sink.ids().filter((id) => !id.startsWith('H.'))).toEqual([a.event.txId, b.event.txId, c.event.txId]);
    expect(await store.checkpoint()).toBe(4);
  });

  it('resumes with Last-Event-ID when the gateway drops the stream', async () => {
    const sink = new MemorySink();
    const o = outboundFor(net.zab, sink, { resolveIdentity: false });
    await o.start();
    write(net.ledger, 'ZabSachsenMSP', 'CASE_REGISTERED', { facility: 'AE-DD-TEST', registeredOn: '2026-10-01' });
    const a = write(net.ledger, 'BamfMSP', 'APPLICATION_FILED', { filedOn: '2026-10-03' });
    await until(() => sink.ids().includes(a.event.txId), 'first event');
    net.zab.dropStreams();
    const b = write(net.ledger, 'BamfMSP', 'HEARING_SCHEDULED', { hearingOn: '2026-10-20' });
    await until(() => sink.ids().includes(b.event.txId), 'event after the drop');
    expect(sink.ids().filter((id) => !id.startsWith('H.'))).toEqual([a.event.txId, b.event.txId]);
  });

  it('a message queued but not yet delivered when the process died is delivered after restart with the same id', async () => {
    const sink = new MemorySink();
    sink.failures = [{ ok: false, transient: true, status: 0 }];
    const o = outboundFor(net.zab, sink, { resolveIdentity: false, baseDelayMs: 10_000, maxDelayMs: 10_000 });
    await o.start();
    write(net.ledger, 'ZabSachsenMSP', 'CASE_REGISTERED', { facility: 'AE-DD-TEST', registeredOn: '2026-10-01' });
    const a = write(net.ledger, 'BamfMSP', 'APPLICATION_FILED', { filedOn: '2026-10-03' });
    await until(() => o.counters.retries === 1, 'the failed attempt');
    await o.stop();
    expect((await store.queued()).map((q) => q.id)).toContain(a.event.txId);
    const again = outboundFor(net.zab, sink, { resolveIdentity: false });
    await again.start();
    await until(() => sink.ids().includes(a.event.txId), 'redelivery');
    expect(sink.ids().filter((id) => id === a.event.txId)).toHaveLength(1);
  });

  it('retries a case system that is down with spaced, growing waits, and loses nothing', async () => {
    const sink = new MemorySink();
    sink.failures = [
      { ok: false, transient: true, status: 0 },
      { ok: false, transient: true, status: 503 },
      { ok: false, transient: true, status: 0 },
    ];
    const random = jest.fn(() => 1);
    const o = outboundFor(net.zab, sink, { resolveIdentity: false, baseDelayMs: 10, maxDelayMs: 25 });
    (o as unknown as { deps: { random: () => number } }).deps.random = random;
    await o.start();
    write(net.ledger, 'ZabSachsenMSP', 'CASE_REGISTERED', { facility: 'AE-DD-TEST', registeredOn: '2026-10-01' });
    const a = write(net.ledger, 'BamfMSP', 'APPLICATION_FILED', { filedOn: '2026-10-03' });
    const started = Date.now();
    await until(() => sink.ids().includes(a.event.txId), 'delivery after the outage');
    expect(o.counters.retries).toBe(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(10 + 20 + 25 - 5);
    expect(o.counters.deadLettered).toBe(0);
  });

  it('parks a message the case system refuses after maxRefusals and goes on with the next', async () => {
    const sink = new MemorySink();
    sink.failures = [1, 2, 3].map(() => ({ ok: false as const, transient: false, status: 400 }));
    const o = outboundFor(net.zab, sink, { resolveIdentity: false });
    await o.start();
    write(net.ledger, 'ZabSachsenMSP', 'CASE_REGISTERED', { facility: 'AE-DD-TEST', registeredOn: '2026-10-01' });
    const a = write(net.ledger, 'BamfMSP', 'APPLICATION_FILED', { filedOn: '2026-10-03' });
    const b = write(net.ledger, 'BamfMSP', 'HEARING_SCHEDULED', { hearingOn: '2026-10-20' });
    await until(() => sink.ids().includes(b.event.txId), 'the next message');
    expect(sink.ids()).not.toContain(a.event.txId);
    expect((await store.deadLetters()).map((d) => [d.message.id, d.status])).toEqual([[a.event.txId, 400]]);
    expect(o.counters.deadLettered).toBe(1);
  });

  it('surfaces a ReturnConflict (lost fax) first, marked RETURN_CONFLICT, with the blocking return rules on top', async () => {
    const sink = new MemorySink();
    sink.failures = [{ ok: false, transient: true, status: 0 }];
    const o = outboundFor(net.zab, sink, { resolveIdentity: false, baseDelayMs: 300, maxDelayMs: 300 });
    write(net.ledger, 'ZabSachsenMSP', 'CASE_REGISTERED', { facility: 'AE-DD-TEST', registeredOn: '2026-09-01' });
    write(net.ledger, 'BamfMSP', 'APPLICATION_FILED', { filedOn: '2026-09-03' });
    write(net.ledger, 'BamfMSP', 'HEARING_SCHEDULED', { hearingOn: '2026-09-20' });
    write(net.ledger, 'BamfMSP', 'HEARING_HELD', {});
    write(net.ledger, 'BamfMSP', 'DECISION_ISSUED', { outcome: 'REJECTED_MANIFESTLY_UNFOUNDED', decidedOn: '2026-11-22' });
    write(net.ledger, 'BamfMSP', 'DECISION_SERVED', { servedOn: '2026-11-23' });
    const scheduled = write(net.ledger, 'ZabSachsenMSP', 'RETURN_SCHEDULED', { kind: 'DEPORTATION' });
    expect(scheduled.chaincodeEvent).toBe('ReturnConflict');
    const urgent = write(net.ledger, 'BamfMSP', 'URGENT_APPLICATION_FILED', { court: 'VG-DRESDEN', courtRef: courtRefFor(LEDGER_KEY, 'VG-DRESDEN', '13 L 1/26.A'), filedOn: '2026-11-25' });
    expect(urgent.chaincodeEvent).toBe('ReturnConflict');
    await o.start();
    await until(() => sink.ids().includes(urgent.event.txId), 'everything');
    const notices = sink.deliveries.filter((d) => d.message.kind === 'notice');
    const conflicts = notices.filter((d) => d.message.kind === 'notice' && d.message.body.hinweise.anlass === 'RETURN_CONFLICT');
    expect(conflicts.map((d) => d.id)).toEqual([`H.${scheduled.event.txId}`, `H.${urgent.event.txId}`]);
    // Both conflicts were queued while the case system was down; they go out before every partner event.
    expect(sink.deliveries.slice(0, 2).map((d) => d.id)).toEqual(conflicts.map((d) => d.id));
    const last = conflicts[1]!.message;
    if (last.kind !== 'notice') throw new Error('not a notice');
    expect(last.body.hinweise.warnung[0]?.code.startsWith('RET_')).toBe(true);
    expect(last.body.hinweise.warnung.map((w) => w.code)).toContain('RET_URGENT_APPLICATION');
    expect(o.counters.returnConflicts).toBe(2);
  });

  it('sends the agency’s warnings and next actions when they change, and not again when they do not', async () => {
    const sink = new MemorySink();
    const o = outboundFor(net.bamf, sink, { resolveIdentity: false });
    write(net.ledger, 'ZabSachsenMSP', 'CASE_REGISTERED', { facility: 'AE-DD-TEST', registeredOn: '2026-10-01' });
    expect(await o.pollNotices()).toBe(1);
    expect(await o.pollNotices()).toBe(0);
    write(net.ledger, 'BamfMSP', 'APPLICATION_FILED', { filedOn: '2026-10-03' });
    expect(await o.pollNotices()).toBe(1);
    const queued = await store.queued();
    const actions = queued.map((q) => parseMessage(Buffer.from(q.xml))).map((p) => (p.ok && p.message.kind === 'notice' ? p.message.body.hinweise.aktion.map((a) => a.code) : []));
    expect(actions).toEqual([['TAKE_APPLICATION'], ['SCHEDULE_HEARING']]);
  });

  it('returns a dead letter to the case system once (ReturnToSender, first in line), however often it is offered', async () => {
    const sink = new MemorySink();
    const o = outboundFor(net.zab, sink, { resolveIdentity: false });
    const letter = {
      record: {
        seq: 3,
        id: 'sim-dead-1',
        receivedAt: '2026-11-26T09:00:00.000Z',
        laneKey: 'azr:99900000000001',
        attempts: 1,
        notBefore: 0,
        event: { eventType: 'RETURN_SCHEDULED' as const, occurredAt: '2026-11-26T08:00:00Z', identification: { azrNummer: AZR }, data: { kind: 'DEPORTATION' }, author: 'ZAB-VERFAHREN' },
      },
      deadAt: '2026-11-26T09:00:01.000Z',
      cause: { reason: 'CASE_CLOSED' as const, status: 409, conflicting: ['CASE_CLOSED'] },
    };
    expect(await o.deadLetterAlert(letter)).toBe(true);
    expect(await o.deadLetterAlert(letter)).toBe(false);
    await o.start();
    await until(() => sink.deliveries.length === 1, 'the ReturnToSender');
    const m = sink.deliveries[0]!.message;
    if (m.kind !== 'returnToSender') throw new Error('not a ReturnToSender');
    expect(m.body.begruendung.grund).toBe('CASE_CLOSED');
    expect(m.body.transportinformationen.nachrichtenID).toBe('sim-dead-1');
    expect(m.body.nachrichtenkopf.leser.kennung).toBe('ZAB-VERFAHREN');
    expect(parseMessage(Buffer.from(m.body.abgewieseneNachricht.nachricht, 'base64')).ok).toBe(true);
    expect(o.counters.deadLetterAlerts).toBe(1);
    expect(o.metrics().join('\n')).toMatch(/asl_adapter_dead_letter_alerts_total 1/);
  });

  it('purges a case from the queue, the identity map and the announced state', async () => {
    const sink = new MemorySink();
    sink.failures = Array.from({ length: 50 }, () => ({ ok: false as const, transient: true, status: 0 }));
    const o = outboundFor(net.zab, sink, { baseDelayMs: 5_000, maxDelayMs: 5_000 });
    await o.start();
    write(net.ledger, 'ZabSachsenMSP', 'CASE_REGISTERED', { facility: 'AE-DD-TEST', registeredOn: '2026-10-01' }, { azrNumber: AZR });
    write(net.ledger, 'BamfMSP', 'APPLICATION_FILED', { filedOn: '2026-10-03' });
    await until(() => o.counters.queued >= 1, 'queued');
    await sleep(50);
    expect(await store.identity(caseId)).toEqual({ azrNummer: AZR });
    expect(await store.purge({ azrNumber: AZR })).toBeGreaterThan(0);
    expect(await store.identity(caseId)).toBeUndefined();
    expect((await store.queued()).filter((q) => q.caseId === caseId)).toEqual([]);
  });
});

describe('SseParser', () => {
  it('splits messages across chunks and line endings, ignores comments, keeps id and event', () => {
    const p = new SseParser();
    expect(p.push(': keep-alive\n\nid: 1\nevent: case-')).toEqual([]);
    expect(p.push('event\ndata: {"a":\r\ndata: 1}\r\n\r\nid: 2\ndata: x\n\n')).toEqual([
      { id: '1', event: 'case-event', data: '{"a":\n1}' },
      { id: '2', event: 'message', data: 'x' },
    ]);
  });
});

describe('prominentFirst', () => {
  it('orders blocking return rules, then other blocking, then warnings', () => {
    const w = (code: string, severity: 'BLOCKING' | 'WARNING'): Warning => ({ id: code, code: code as Warning['code'], severity, caseId, anchors: ['t'], openedAt: '2026-01-01T00:00:00Z', evaluatedAt: '2026-01-01T00:00:00Z', clock: false, acknowledgedBy: [] });
    const sorted = prominentFirst([w('FINALITY_CONTRADICTED', 'WARNING'), w('RET_URGENT_APPLICATION', 'BLOCKING'), w('ALLOC_NOTICE_OVERDUE', 'WARNING'), w('RET_DEPORTATION_STAY', 'BLOCKING')]);
    expect(sorted.map((x) => x.code)).toEqual(['RET_DEPORTATION_STAY', 'RET_URGENT_APPLICATION', 'ALLOC_NOTICE_OVERDUE', 'FINALITY_CONTRADICTED']);
  });
});
