/**
 * The adapter's `POST /return-check` for the case system: AZR number and kind in, the caseId derived through the
 * gateway's case-ids route, the gateway's `return-check` judgement passed on as the gateway answered it — statuses,
 * problem codes and `Retry-After` included — against the shared fake ledger (real domain `judgeReturn`) and, for
 * scripted answers, the scripted fake gateway. No AZR number in any log line.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { berlinDate, caseIdFor, courtRefFor } from '@asl/chaincode/domain';
import { MemoryLevel } from 'memory-level';
import request from 'supertest';
import { createApp } from '../../src/core/app';
import { Dispatcher, type DeliveryPolicy } from '../../src/core/dispatcher';
import { HttpGatewayClient } from '../../src/core/gateway-client';
import { Inbound } from '../../src/core/inbound';
import { LevelOutbox } from '../../src/core/outbox';
import { FakeGateway } from '../support/fake-gateway';
import { LEDGER_KEY, startFakeNetwork, type FakeAgencyGateway } from '../support/fake-ledger';
import { capturedLogger } from '../support/log-capture';

const policy: DeliveryPolicy = { concurrency: 1, baseDelayMs: 10, maxDelayMs: 100, holdDelayMs: 10, holdWindowMs: 1000, transientWindowMs: 1000 };
const LOST_FAX_AZR = '999 8800 0000 01';
const CLEAR_AZR = '999 8800 0000 02';
const UNKNOWN_AZR = '999 8800 0000 03';

const daysAgo = (n: number): string => berlinDate(new Date(Date.now() - n * 86_400_000).toISOString());

describe('adapter POST /return-check (the case system asks before it executes a return)', () => {
  let net: Awaited<ReturnType<typeof startFakeNetwork>>;
  let log: ReturnType<typeof capturedLogger>;
  let outboxes: LevelOutbox[] = [];

  /** A ZAB (or BAMF) adapter app over `gatewayUrl` with `token`. */
  async function adapterApp(gatewayUrl: string, token: string) {
    const outbox = await LevelOutbox.open(new MemoryLevel<string, unknown>({ valueEncoding: 'json' }));
    outboxes.push(outbox);
    const clock = { now: () => Date.now() };
    const gateway = new HttpGatewayClient({ baseUrl: gatewayUrl, token, timeoutMs: 2000 });
    const dispatcher = new Dispatcher({ outbox, gateway, clock, random: () => 0.5, policy, logger: log.logger });
    const inbound = new Inbound({ outbox, enqueue: (r) => dispatcher.enqueue(r), clock, agency: { mspId: 'ZabSachsenMSP', caseSystem: 'ZAB-VERFAHREN' }, limits: { maxBytes: 16 * 1024, maxDepth: 24, maxElements: 2000 }, logger: log.logger });
    return createApp({ inbound, dispatcher, outbox, deadLetters: outbox, gateway, operatorToken: 'operator-token-fake-0123456789', maxBytes: 16 * 1024, clock, logger: log.logger });
  }

  /** Writes a case onto the fake ledger: served a manifestly unfounded rejection `servedDaysAgo` days ago, deportation scheduled. */
  function writeCase(azr: string, servedDaysAgo: number, urgentApplication: boolean): void {
    const caseId = caseIdFor(LEDGER_KEY, azr);
    const write = (msp: string, type: string, data: Record<string, unknown>, on: string) =>
      net.ledger.write(msp, { caseId, type, occurredAt: `${on}T09:00:00Z`, sourceMessageId: `rc-${randomUUID()}`, data });
    const start = servedDaysAgo + 40;
    write('ZabSachsenMSP', 'CASE_REGISTERED', { facility: 'AE-DD-TEST', registeredOn: daysAgo(start) }, daysAgo(start));
    write('BamfMSP', 'APPLICATION_FILED', { filedOn: daysAgo(start - 1) }, daysAgo(start - 1));
    write('BamfMSP', 'HEARING_SCHEDULED', { hearingOn: daysAgo(start - 10) }, daysAgo(start - 2));
    write('BamfMSP', 'HEARING_HELD', {}, daysAgo(start - 10));
    write('BamfMSP', 'DECISION_ISSUED', { outcome: 'REJECTED_MANIFESTLY_UNFOUNDED', decidedOn: daysAgo(servedDaysAgo + 1) }, daysAgo(servedDaysAgo + 1));
    write('BamfMSP', 'DECISION_SERVED', { servedOn: daysAgo(servedDaysAgo) }, daysAgo(servedDaysAgo));
    write('ZabSachsenMSP', 'RETURN_SCHEDULED', { kind: 'DEPORTATION' }, daysAgo(1));
    if (urgentApplication) {
      write('BamfMSP', 'URGENT_APPLICATION_FILED', { court: 'VG-DRESDEN', courtRef: courtRefFor(LEDGER_KEY, 'VG-DRESDEN', '13 L 880/26.A'), filedOn: daysAgo(1) }, daysAgo(0));
    }
  }

  /** What the fake gateway itself answers for the same request (the adapter must pass exactly this on). */
  async function gatewayAnswer(gw: FakeAgencyGateway, azr: string, kind: string): Promise<{ status: number; body: unknown }> {
    const res = await fetch(`${gw.url}/api/v1/cases/${caseIdFor(LEDGER_KEY, azr)}/return-check`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${gw.token}` },
      body: JSON.stringify({ kind }),
    });
    return { status: res.status, body: await res.json() };
  }

  beforeAll(async () => {
    net = await startFakeNetwork();
    writeCase(LOST_FAX_AZR, 3, true);
    writeCase(CLEAR_AZR, 60, false);
  });
  afterAll(() => net.stop());
  beforeEach(() => {
    log = capturedLogger();
  });
  afterEach(async () => {
    await Promise.all(outboxes.map((o) => o.close()));
    outboxes = [];
  });

  it('passes on the gateway’s judgement: the lost fax is blocked by the urgent application (and the open windows), nothing is written', async () => {
    const app = await adapterApp(net.zab.url, net.zab.token);
    const height = net.ledger.entries.length;
    const res = await request(app).post('/return-check').send({ azrNumber: LOST_FAX_AZR, kind: 'DEPORTATION' });
    expect(res.status).toBe(200);
    expect(res.type).toBe('application/json');
    expect(res.body).toMatchObject({ caseId: caseIdFor(LEDGER_KEY, LOST_FAX_AZR), kind: 'DEPORTATION', blocked: true });
    const blocking = (res.body as { warnings: { code: string; severity: string }[] }).warnings.filter((w) => w.severity === 'BLOCKING').map((w) => w.code);
    expect(blocking).toEqual(expect.arrayContaining(['RET_URGENT_APPLICATION', 'RET_REMEDY_WINDOW_OPEN', 'RET_DEPARTURE_PERIOD_RUNNING']));
    // Mirrored: the fake gateway answers the same (apart from the evaluation instant).
    const direct = await gatewayAnswer(net.zab, LOST_FAX_AZR, 'DEPORTATION');
    expect(direct.status).toBe(200);
    const withoutTimes = (b: unknown) => JSON.parse(JSON.stringify(b).replace(/"(evaluatedAt|openedAt)":"[^"]*"/g, '"$1":"-"')) as unknown;
    expect(withoutTimes(res.body)).toEqual(withoutTimes(direct.body));
    expect(net.ledger.entries.length).toBe(height);
  });

  it('allows a deportation whose windows closed weeks ago; a Dublin transfer of the same case is a kind mismatch', async () => {
    const app = await adapterApp(net.zab.url, net.zab.token);
    const res = await request(app).post('/return-check').send({ azrNumber: CLEAR_AZR, kind: 'DEPORTATION' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ caseId: caseIdFor(LEDGER_KEY, CLEAR_AZR), kind: 'DEPORTATION', blocked: false });
    expect((res.body as { warnings: { severity: string }[] }).warnings.filter((w) => w.severity === 'BLOCKING')).toEqual([]);
    const dublin = await request(app).post('/return-check').send({ azrNumber: CLEAR_AZR, kind: 'DUBLIN_TRANSFER' });
    expect(dublin.body).toMatchObject({ kind: 'DUBLIN_TRANSFER', blocked: true, warnings: expect.arrayContaining([expect.objectContaining({ code: 'RET_KIND_MISMATCH', severity: 'BLOCKING' })]) });
  });

  it('refuses what is not a return check with 400 INVALID_INPUT before asking the gateway', async () => {
    const app = await adapterApp(net.zab.url, net.zab.token);
    for (const body of [{ azrNumber: LOST_FAX_AZR }, { azrNumber: LOST_FAX_AZR, kind: 'EXPULSION' }, { kind: 'DEPORTATION' }, { azrNumber: '', kind: 'DEPORTATION' }, { azrNumber: LOST_FAX_AZR, kind: 'DEPORTATION', name: 'x' }]) {
      const res = await request(app).post('/return-check').send(body);
      expect(res.status).toBe(400);
      expect(res.type).toBe('application/problem+json');
      expect(res.body).toMatchObject({ status: 400, code: 'INVALID_INPUT' });
    }
    expect((await request(app).post('/return-check').set('content-type', 'application/json').send('{"azrNumber":')).body).toMatchObject({ code: 'INVALID_INPUT' });
    expect((await request(app).post('/return-check').set('content-type', 'application/xml').send('<x/>')).status).toBe(400);
    expect((await request(app).post('/return-check').set('content-type', 'application/json').send(JSON.stringify({ azrNumber: 'x'.repeat(5000), kind: 'DEPORTATION' }))).body).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
    // A malformed AZR number is the gateway's INVALID_INPUT (case-ids), passed on.
    expect((await request(app).post('/return-check').send({ azrNumber: '12-AB', kind: 'DEPORTATION' })).body).toMatchObject({ status: 400, code: 'INVALID_INPUT' });
  });

  it('passes on the gateway’s refusals: CASE_NOT_FOUND, FORBIDDEN_ROLE at the BAMF gateway, UNAUTHENTICATED, LEDGER_UNAVAILABLE', async () => {
    const zab = await adapterApp(net.zab.url, net.zab.token);
    const unknown = await request(zab).post('/return-check').send({ azrNumber: UNKNOWN_AZR, kind: 'DEPORTATION' });
    expect(unknown.status).toBe(404);
    expect(unknown.type).toBe('application/problem+json');
    expect(unknown.body).toMatchObject({ status: 404, code: 'CASE_NOT_FOUND' });
    const bamf = await adapterApp(net.bamf.url, net.bamf.token);
    expect((await request(bamf).post('/return-check').send({ azrNumber: LOST_FAX_AZR, kind: 'DEPORTATION' })).body).toMatchObject({ status: 403, code: 'FORBIDDEN_ROLE' });
    expect((await gatewayAnswer(net.bamf, LOST_FAX_AZR, 'DEPORTATION')).body).toMatchObject({ status: 403, code: 'FORBIDDEN_ROLE' });
    const wrongToken = await adapterApp(net.zab.url, 'asl_not-the-token');
    expect((await request(wrongToken).post('/return-check').send({ azrNumber: LOST_FAX_AZR, kind: 'DEPORTATION' })).body).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
    net.zab.down = true;
    try {
      expect((await request(zab).post('/return-check').send({ azrNumber: LOST_FAX_AZR, kind: 'DEPORTATION' })).body).toMatchObject({ status: 503, code: 'LEDGER_UNAVAILABLE' });
    } finally {
      net.zab.down = false;
    }
    // No answer at all from the gateway.
    const nowhere = await adapterApp('http://127.0.0.1:1', net.zab.token);
    const none = await request(nowhere).post('/return-check').send({ azrNumber: LOST_FAX_AZR, kind: 'DEPORTATION' });
    expect(none.status).toBe(503);
    expect(none.body).toMatchObject({ code: 'LEDGER_UNAVAILABLE' });
  });

  it('passes on Retry-After with RATE_LIMITED', async () => {
    const scripted = new FakeGateway();
    await scripted.start();
    try {
      const app = await adapterApp(scripted.url, 'asl_fake-adapter-token');
      scripted.outage = { status: 429, code: 'RATE_LIMITED', retryAfter: '7' };
      const limited = await request(app).post('/return-check').send({ azrNumber: LOST_FAX_AZR, kind: 'DEPORTATION' });
      expect(limited.status).toBe(429);
      expect(limited.headers['retry-after']).toBe('7');
      expect(limited.body).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
    } finally {
      await scripted.stop();
    }
  });

  it('says 502 BAD_GATEWAY_ANSWER when the gateway answers without a problem code (not a gateway of this API)', async () => {
    const stranger = createServer((_req, res) => {
      res.writeHead(404, { 'content-type': 'text/html' });
      res.end('<h1>Not Found</h1>');
    });
    await new Promise<void>((resolve) => stranger.listen(0, '127.0.0.1', resolve));
    try {
      const app = await adapterApp(`http://127.0.0.1:${(stranger.address() as AddressInfo).port}`, net.zab.token);
      const res = await request(app).post('/return-check').send({ azrNumber: LOST_FAX_AZR, kind: 'DEPORTATION' });
      expect(res.status).toBe(502);
      expect(res.body).toMatchObject({ status: 502, code: 'BAD_GATEWAY_ANSWER' });
    } finally {
      stranger.closeAllConnections();
      await new Promise((r) => stranger.close(r));
    }
  });

  it('logs the case pseudonym, kind and rule codes — never the AZR number', async () => {
    const app = await adapterApp(net.zab.url, net.zab.token);
    await request(app).post('/return-check').send({ azrNumber: LOST_FAX_AZR, kind: 'DEPORTATION' });
    await request(app).post('/return-check').send({ azrNumber: UNKNOWN_AZR, kind: 'DEPORTATION' });
    const text = log.lines.join('');
    expect(text).toContain(caseIdFor(LEDGER_KEY, LOST_FAX_AZR));
    expect(text).toContain('RET_URGENT_APPLICATION');
    for (const azr of [LOST_FAX_AZR, UNKNOWN_AZR]) {
      expect(text).not.toContain(azr);
      expect(text).not.toContain(azr.replace(/\D/g, ''));
    }
  });
});
