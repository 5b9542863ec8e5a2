import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryLevel } from 'memory-level';
import request from 'supertest';
import { main as deadlettersCli } from '../../src/bin/deadletters';
import { createApp } from '../../src/core/app';
import { Dispatcher, type DeliveryPolicy } from '../../src/core/dispatcher';
import { DropDirectory } from '../../src/core/drop-dir';
import { HttpGatewayClient } from '../../src/core/gateway-client';
import { Inbound } from '../../src/core/inbound';
import { LevelOutbox } from '../../src/core/outbox';
import { parseMessage, serializeMessage } from '../../src/message/codec';
import { FAKE_TOKEN, FakeGateway } from '../support/fake-gateway';
import { capturedLogger } from '../support/log-capture';
import { FAKE_AZR, sampleEventMessage } from '../support/samples';

const OPERATOR = 'operator-token-fake-0123456789';
const policy: DeliveryPolicy = { concurrency: 4, baseDelayMs: 10, maxDelayMs: 100, holdDelayMs: 10, holdWindowMs: 1000, transientWindowMs: 1000 };

describe('adapter HTTP app, drop directory and asl-deadletters', () => {
  const gateway = new FakeGateway();
  let outbox: LevelOutbox;
  let dispatcher: Dispatcher;
  let inbound: Inbound;
  let app: ReturnType<typeof createApp>;
  let log: ReturnType<typeof capturedLogger>;

  beforeAll(() => gateway.start());
  afterAll(() => gateway.stop());
  beforeEach(async () => {
    gateway.script = undefined;
    log = capturedLogger();
    outbox = await LevelOutbox.open(new MemoryLevel<string, unknown>({ valueEncoding: 'json' }));
    const clock = { now: () => Date.parse('2025-03-06T08:00:00Z') };
    dispatcher = new Dispatcher({ outbox, gateway: new HttpGatewayClient({ baseUrl: gateway.url, token: FAKE_TOKEN, timeoutMs: 2000 }), clock, random: () => 0.5, policy, logger: log.logger });
    inbound = new Inbound({ outbox, enqueue: (r) => dispatcher.enqueue(r), clock, agency: { mspId: 'ZabSachsenMSP', caseSystem: 'ZAB-SIM' }, limits: { maxBytes: 16 * 1024, maxDepth: 24, maxElements: 2000 }, logger: log.logger, newId: () => 'rts-fake-id' });
    app = createApp({ inbound, dispatcher, outbox, deadLetters: outbox, gateway: new HttpGatewayClient({ baseUrl: gateway.url, token: FAKE_TOKEN, timeoutMs: 2000 }), operatorToken: OPERATOR, maxBytes: 16 * 1024, clock, logger: log.logger });
  });
  afterEach(() => outbox.close());

  const xml = (uuid: string, type: Parameters<typeof sampleEventMessage>[0] = 'CASE_REGISTERED') => serializeMessage(sampleEventMessage(type, { uuid }));

  it('answers 202 once stored, 202 again for a duplicate, and delivers', async () => {
    const res = await request(app).post('/messages').set('content-type', 'application/xml').send(xml('h-1'));
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ nachrichtUUID: 'h-1', status: 'accepted' });
    expect((await outbox.pending()).map((r) => r.id)).toEqual(['h-1']);
    expect((await request(app).post('/messages').send(xml('h-1'))).body.status).toBe('duplicate');
    await dispatcher.runOnce();
    expect(gateway.applied.map((a) => a.sourceMessageId)).toContain('h-1');
  });

  it('answers 400 with a ReturnToSender for an invalid message, 409 for a reused id, 413 when too large', async () => {
    const bad = xml('h-2').replace('2025-01-06', '2025-02-30');
    const res = await request(app).post('/messages').set('content-type', 'application/xml').send(bad);
    expect(res.status).toBe(400);
    expect(res.type).toBe('application/xml');
    const rts = parseMessage(Buffer.from(res.text));
    expect(rts.ok && rts.message.kind === 'returnToSender' && rts.message.body.begruendung.grund).toBe('SCHEMA_VIOLATION');
    expect(rts.ok && rts.message.kind === 'returnToSender' && rts.message.body.nachrichtenkopf.leser.kennung).toBe('ZAB-SIM');
    expect(rts.ok && rts.message.kind === 'returnToSender' && Buffer.from(rts.message.body.abgewieseneNachricht.nachricht, 'base64').toString()).toBe(bad);
    await request(app).post('/messages').send(xml('h-3'));
    const conflict = await request(app).post('/messages').send(xml('h-3').replace('AE-DD-TEST', 'AE-DD-OTHER'));
    expect(conflict.status).toBe(409);
    const big = await request(app).post('/messages').set('content-type', 'application/xml').send('<a>' + 'x'.repeat(20_000) + '</a>');
    expect(big.status).toBe(413);
    expect(big.text).toContain('MESSAGE_TOO_LARGE');
    expect(await outbox.pending()).toHaveLength(1);
  });

  it('refuses a message for another agency, without an AZR number, or of an outbound-only type', async () => {
    expect((await request(app).post('/messages').send(xml('h-4').replace('<kennung>ZabSachsenMSP<', '<kennung>BamfMSP<'))).text).toContain('WRONG_READER');
    expect((await request(app).post('/messages').send(xml('h-5').replace(/<azrNummer>.*<\/azrNummer>/, ''))).text).toContain('MISSING_IDENTIFIER');
    expect(await outbox.pending()).toEqual([]);
  });

  it('health, readiness and metrics', async () => {
    expect((await request(app).get('/healthz')).status).toBe(200);
    await request(app).post('/messages').send(xml('h-6'));
    expect((await request(app).get('/readyz')).body).toEqual({ status: 'ready', pending: 1 });
    const metrics = (await request(app).get('/metrics')).text;
    expect(metrics).toContain('asl_adapter_messages_accepted_total 1');
    expect(metrics).toContain('asl_adapter_outbox_pending 1');
  });

  it('operators list, show, retry and discard dead letters (Bearer token), and purge a case', async () => {
    gateway.script = (w) => (w.type === 'RETURN_SCHEDULED' ? { status: 403, code: 'NOT_OWNER' } : undefined);
    await request(app).post('/messages').send(xml('h-7', 'RETURN_SCHEDULED'));
    await dispatcher.runOnce();
    expect((await request(app).get('/admin/dead-letters')).status).toBe(401);
    const auth = { authorization: `Bearer ${OPERATOR}` };
    const list = await request(app).get('/admin/dead-letters').set(auth);
    expect(list.body.deadLetters).toEqual([expect.objectContaining({ id: 'h-7', reason: 'NOT_OWNER', eventType: 'RETURN_SCHEDULED' })]);
    expect(JSON.stringify(list.body)).not.toContain(FAKE_AZR);
    expect((await request(app).get('/admin/dead-letters/h-7').set(auth)).body.cause).toEqual({ reason: 'NOT_OWNER', status: 403 });
    gateway.script = undefined;
    expect((await request(app).post('/admin/dead-letters/h-7/retry').set(auth)).status).toBe(202);
    await dispatcher.runOnce();
    expect(gateway.applied.map((a) => a.sourceMessageId)).toContain('h-7');
    expect((await request(app).delete('/admin/dead-letters/h-7').set(auth)).status).toBe(404);
    await request(app).post('/messages').send(xml('h-8', 'HEARING_HELD'));
    expect((await request(app).post('/admin/purge').set(auth).send({ azrNumber: FAKE_AZR })).body).toEqual({ removed: 1 });
    expect(dispatcher.pendingCount()).toBe(0);
    expect((await request(app).post('/admin/purge').set(auth).send({ name: 'x' })).status).toBe(400);
  });

  it('asl-deadletters talks to the running adapter; show hides identifiers unless --reveal', async () => {
    gateway.script = () => ({ status: 409, code: 'CASE_CLOSED' });
    await request(app).post('/messages').send(xml('h-9', 'APPEAL_FILED'));
    await dispatcher.runOnce();
    const server: Server = await new Promise((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    const dir = mkdtempSync(join(tmpdir(), 'asl-cli-'));
    const config = join(dir, 'adapter.json');
    writeFileSync(config, JSON.stringify({ agency: { mspId: 'ZabSachsenMSP', caseSystem: 'ZAB-SIM' }, gateway: { url: gateway.url, token: 't' }, inbound: { port: (server.address() as AddressInfo).port }, dataDir: dir, operatorToken: OPERATOR }));
    const run = async (...argv: string[]) => {
      const out: string[] = [];
      const err: string[] = [];
      const code = await deadlettersCli(['--config', config, ...argv], { out: (t) => out.push(t), err: (t) => err.push(t) });
      return { code, out: out.join(''), err: err.join('') };
    };
    try {
      const list = await run('list');
      expect(list.code).toBe(0);
      expect(JSON.parse(list.out).deadLetters[0]).toMatchObject({ id: 'h-9', reason: 'CASE_CLOSED' });
      const shown = await run('show', 'h-9');
      expect(shown.out).not.toContain(FAKE_AZR);
      expect(shown.out).not.toContain('13 K 999/25.A');
      expect(shown.out).toContain('CASE_CLOSED');
      expect((await run('show', 'h-9', '--reveal')).out).toContain(FAKE_AZR);
      expect((await run('show', 'nope')).code).toBe(1);
      expect((await run('discard', 'h-9')).out).toBe('discarded h-9\n');
      expect(JSON.parse((await run('list')).out).deadLetters).toEqual([]);
      gateway.script = () => ({ status: 403, code: 'NOT_OWNER' });
      await request(app).post('/messages').send(xml('h-10', 'HEARING_HELD'));
      await dispatcher.runOnce();
      gateway.script = undefined;
      expect((await run('retry', 'h-10')).code).toBe(0);
      await dispatcher.runOnce();
      expect(gateway.applied.map((a) => a.sourceMessageId)).toContain('h-10');
      expect((await run('frobnicate', 'x')).code).toBe(2);
      expect((await run()).code).toBe(2);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });

  it('the drop directory moves accepted files to done/, refused ones to failed/ with the ReturnToSender, ignores partial files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'asl-drop-'));
    const drop = new DropDirectory({ dir, pollMs: 60_000, maxBytes: 16 * 1024, inbound, logger: log.logger });
    await drop.start();
    await drop.stop();
    writeFileSync(join(dir, 'a.xml'), xml('f-1'));
    writeFileSync(join(dir, 'b.xml'), xml('f-2').replace('2025-01-06', 'not-a-date'));
    writeFileSync(join(dir, '.c.xml.tmp'), 'partial');
    writeFileSync(join(dir, 'd.xml'), xml('f-1'));
    const live = new DropDirectory({ dir, pollMs: 60_000, maxBytes: 16 * 1024, inbound, logger: log.logger });
    expect(await live.scan()).toBe(3);
    expect(readdirSync(join(dir, 'done')).sort()).toEqual(['a.xml', 'd.xml']);
    expect(readdirSync(join(dir, 'failed')).sort()).toEqual(['b.xml', 'b.xml.rts.xml']);
    expect(readFileSync(join(dir, 'failed', 'b.xml.rts.xml'), 'utf8')).toContain('<grund>SCHEMA_VIOLATION</grund>');
    expect(readdirSync(dir).sort()).toEqual(['.c.xml.tmp', 'done', 'failed']);
    expect((await outbox.pending()).map((r) => r.id)).toEqual(['f-1']);
    expect(log.lines.join('')).not.toContain(FAKE_AZR);
  });
});
