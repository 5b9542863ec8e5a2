/**
 * Live (ASL_TEST_KIND=net): exactly once, proven by fault injection against the running network (issue 7 item 3,
 * issue 17 item 3). Both agencies' real gateways (`startLiveGateways`), both adapters as child processes
 * (`bin/asl-<profile>-adapter`), and two in-process case-system inboxes. Each case system posts its agency's steps
 * of fresh cases (random `999…` AZR numbers) as XML messages, in order per case, as a case system does: sent again
 * while no answer came. The adapters are killed with SIGKILL at each step of the delivery path by their fault hooks
 * (`ASL_FAULT_KILL_AFTER_*`, src/bin/adapter.ts):
 *
 * - after storing (outbox fsync'd, before the 202): the case system's resend is answered `duplicate`;
 * - after accepting (the 202 went out);
 * - after submitting (the write's request is on the wire, before the gateway's answer): the gateway commits it
 *   while the adapter is dead, and the next incarnation's write is `ALREADY_APPLIED`;
 * - after the gateway answered success, before the record was marked done;
 * - while delivering outbound (the case system took a message, before it was removed): redelivered, same id and bytes;
 *
 * and the ZAB gateway is killed with SIGKILL during an adapter's write, twice — as the request arrives, and after it
 * committed but before its answer reached the adapter (a TCP proxy in front of it says when the request went through
 * and holds the answer back) — and restarted: the adapter takes the broken connection as transient and its retry is
 * recorded once; after the commit the retry is answered ALREADY_APPLIED. Afterwards: every accepted message is on the ledger exactly once, in posting order per agency
 * and case; every partner event reached the other case system with `nachrichtUUID` = the ledger `txId` and the AZR
 * number; the reconciliation report of each agency shows no difference; no AZR number in any adapter log line.
 *
 * Each adapter starts with its outbound checkpoint at the stream's head (as an adapter that was running before the
 * test), so its cost does not grow with the shared ledger's history.
 */
import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClassicLevel } from 'classic-level';
import type { EventType } from '@asl/chaincode/domain';
import { freePort } from '@asl/network/processes';
import { CaseIdResponseSchema } from '../../../gateway/src/api/schemas';
import { liveCall } from '../../../gateway/test/support/live-client';
import { eventually, registerUser, timelineOf, type LiveUser } from '../../../gateway/test/support/live-fixtures';
import { startLiveGateways, type LiveGateway, type LiveGateways } from '../../../gateway/test/support/live-gateways';
import { openStream } from '../../../gateway/test/support/sse-client';
import { AGENCY_PROFILES, type ProfileName } from '../../src/agencies/profiles';
import { HttpGatewayClient } from '../../src/core/gateway-client';
import { caseSystemEventXml } from '../../src/simulator/simulator';
import { HttpGatewayReader } from '../../src/outbound/gateway-reader';
import { OutboundStore } from '../../src/outbound/outbound-store';
import { reconcile, type SentMessage } from '../../src/reconcile/reconcile';
import { AdapterProcess, type LogLine } from '../support/adapter-process';
import { CaseSystemReceiver } from '../support/case-system-receiver';
import { TcpProxy } from '../support/tcp-proxy';

jest.setTimeout(240_000);

/** Generous bounds for real signals on a shared 2-core machine (other live suites may run meanwhile). */
const WAIT = 60_000;

type Agency = ProfileName;
const GATEWAY_OF = { maris: 'bamf', zab: 'zab' } as const;

interface Step {
  readonly agency: Agency;
  readonly id: string;
  readonly type: EventType;
  readonly occurredAt: string;
  readonly data: Record<string, unknown>;
}

interface TestCase {
  readonly azr: string;
  readonly bamfFileNumber: string;
  caseId: string;
  readonly steps: Record<Agency, Step[]>;
}

/** Each agency's steps of one case (valid in any interleaving once the case is registered). */
const FLOWS: Record<Agency, readonly [Step['type'], Record<string, unknown>][]> = {
  zab: [
    ['CASE_REGISTERED', { facility: 'AE-DD-TEST', registeredOn: '2026-01-05' }],
    ['RECEPTION_ASSIGNED', { facility: 'AE-DD-TEST' }],
    ['PERSON_ABSCONDED', {}],
    ['PERSON_REAPPEARED', {}],
    ['RESPONSIBILITY_TRANSFERRED', { authority: 'ABH-DD-TEST' }],
  ],
  maris: [
    ['APPLICATION_FILED', { filedOn: '2026-01-07' }],
    ['HEARING_SCHEDULED', { hearingOn: '2026-02-10' }],
    ['HEARING_HELD', {}],
    ['HEARING_SCHEDULED', { hearingOn: '2026-03-10' }],
    ['HEARING_NOT_ATTENDED', { excused: true }],
  ],
};

const CASES = 3;

function newCase(n: number): TestCase {
  const base = Date.now() - 3_600_000 + n * 60_000;
  const steps = (agency: Agency): Step[] =>
    FLOWS[agency].map(([type, data], i) => ({ agency, id: randomUUID(), type, data, occurredAt: new Date(base + i * 2_000 + (agency === 'maris' ? 1_000 : 0)).toISOString() }));
  return { azr: `999${randomInt(10 ** 8, 10 ** 9)}`, bamfFileNumber: `${randomInt(1_000_000, 9_999_999)}-999`, caseId: '', steps: { zab: steps('zab'), maris: steps('maris') } };
}

/** A step as its case system writes it (obviously fake person details on the first step of each agency). */
function xmlOf(c: TestCase, step: Step, index: number): string {
  const person = index === 0 ? { familyName: 'Testperson', givenNames: 'Eins', dateOfBirth: '1990-01', nationality: 'XXA' } : undefined;
  return caseSystemEventXml(step.agency, { azrNumber: c.azr, bamfFileNumber: c.bamfFileNumber, ...(person === undefined ? {} : { person }) }, step);
}

/** What `POST /messages` answered: the status and the JSON status, or `undefined` when no answer came. */
type PostResult = { readonly status: number; readonly outcome?: string } | undefined;

async function post(adapter: AdapterProcess, xml: string): Promise<PostResult> {
  try {
    const res = await fetch(new URL('/messages', adapter.url), { method: 'POST', headers: { 'content-type': 'application/xml' }, body: xml });
    const text = await res.text();
    return { status: res.status, ...(res.status === 202 ? { outcome: (JSON.parse(text) as { status: string }).status } : {}) };
  } catch {
    return undefined;
  }
}

/** The case system's loop for one message: sent again (same bytes) until the adapter answers; a refusal fails the test. */
async function deliver(adapter: AdapterProcess, xml: string, deadline = Date.now() + 2 * WAIT): Promise<string> {
  for (;;) {
    const r = await post(adapter, xml);
    if (r !== undefined) {
      if (r.status !== 202) throw new Error(`adapter refused a message: ${r.status}`);
      return r.outcome ?? '';
    }
    if (Date.now() > deadline) throw new Error('the adapter never answered');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

let gateways: LiveGateways;
let dir: string;
let proxy: TcpProxy;
let users: Record<'zabAdapter' | 'bamfAdapter' | 'zabReader' | 'bamfReader', LiveUser>;
const receivers: Record<Agency, CaseSystemReceiver> = { zab: new CaseSystemReceiver(), maris: new CaseSystemReceiver() };
let adapters: Record<Agency, AdapterProcess> | undefined;
const adapter = (agency: Agency): AdapterProcess => {
  if (adapters === undefined) throw new Error('the adapters were not prepared');
  return adapters[agency];
};
const cases: TestCase[] = Array.from({ length: CASES }, (_, n) => newCase(n));
/** Every step accepted (202) by an adapter, by id. */
const accepted = new Set<string>();

const gatewayOf = (agency: Agency): LiveGateway => gateways[GATEWAY_OF[agency]];
const readerOf = (agency: Agency): LiveUser => (agency === 'zab' ? users.zabReader : users.bamfReader);
const stepsOf = (agency: Agency): { c: TestCase; step: Step; index: number }[] => cases.flatMap((c) => c.steps[agency].map((step, index) => ({ c, step, index })));

/** Writes an adapter's configuration (0600: it holds the token) and puts its outbound checkpoint at the stream's head. */
async function prepareAdapter(agency: Agency, gatewayUrl: string, token: string): Promise<AdapterProcess> {
  const home = join(dir, agency);
  const port = await freePort();
  const configPath = join(dir, `${agency}.json`);
  const config = {
    profile: agency,
    gateway: { url: gatewayUrl, token, timeoutMs: 20_000 },
    inbound: { port },
    dataDir: join(home, 'data'),
    operatorToken: `op_${randomBytes(18).toString('base64url')}`,
    delivery: { concurrency: 8, baseDelayMs: 100, maxDelayMs: 1_000, holdDelayMs: 200 },
    outbound: { caseSystemUrl: receivers[agency].url, actionsIntervalMs: 60_000, baseDelayMs: 100, maxDelayMs: 1_000, streamIdleMs: 10_000 },
    logLevel: 'info',
  };
  writeFileSync(configPath, JSON.stringify(config), { mode: 0o600 });
  const stream = await openStream(gatewayUrl, token, { from: 'head' });
  const head = await eventually(() => Promise.resolve(stream.lastEventId), (id) => id !== undefined, WAIT, 50);
  stream.close();
  if (head === undefined) throw new Error('the event stream sent no head id');
  const store = await OutboundStore.open(new ClassicLevel<string, unknown>(join(home, 'data', 'outbound'), { valueEncoding: 'json' }));
  await store.ingest({ checkpoint: Number(head), messages: [] });
  await store.close();
  return new AdapterProcess(agency === 'zab' ? 'asl-zab-adapter' : 'asl-maris-adapter', configPath, `http://127.0.0.1:${port}`);
}

/** The ledger's timeline of a case at `agency`'s gateway (empty while the case does not exist). */
async function timeline(agency: Agency, c: TestCase): Promise<{ sourceMessageId: string; writer: string; txId: string }[]> {
  const items = await timelineOf(gatewayOf(agency), readerOf(agency).token, c.caseId);
  return (items ?? []).map((i) => ({ sourceMessageId: i.event.sourceMessageId, writer: i.actor.mspId, txId: i.receipt.txId }));
}

/** Waits until each of `ids` is on the case timelines at `agency`'s gateway. */
async function onLedger(agency: Agency, ids: readonly string[], timeoutMs = 2 * WAIT): Promise<void> {
  const want = new Set(ids);
  const seen = await eventually(
    async () => new Set((await Promise.all(cases.map((c) => timeline(agency, c)))).flat().map((i) => i.sourceMessageId)),
    (s) => [...want].every((id) => s.has(id)),
    timeoutMs,
    500,
  );
  expect([...want].filter((id) => !seen.has(id))).toEqual([]);
}

const recordedLines = (agency: Agency, id: string): LogLine[] => adapter(agency).logged('recorded').filter((l) => l['id'] === id);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'asl-exactly-once-'));
  gateways = await startLiveGateways();
  users = {
    zabAdapter: await registerUser(gateways.zab, 'adapter', 'exactly-once'),
    bamfAdapter: await registerUser(gateways.bamf, 'adapter', 'exactly-once'),
    zabReader: await registerUser(gateways.zab, 'caseworker', 'exactly-once'),
    bamfReader: await registerUser(gateways.bamf, 'caseworker', 'exactly-once'),
  };
  for (const c of cases) {
    const r = await liveCall(gateways.zab.url, 'post', '/api/v1/case-ids', { token: users.zabReader.token, body: { azrNumber: c.azr } });
    const answer = CaseIdResponseSchema.parse(r.body);
    expect(answer.exists).toBe(false);
    c.caseId = answer.caseId;
  }
  await Promise.all(Object.values(receivers).map((r) => r.start()));
  proxy = new TcpProxy(Number(new URL(gateways.zab.url).port));
  await proxy.start();
  adapters = { zab: await prepareAdapter('zab', proxy.url, users.zabAdapter.token), maris: await prepareAdapter('maris', gateways.bamf.url, users.bamfAdapter.token) };
  await adapter('maris').start();
}, 180_000);

afterAll(async () => {
  await Promise.all(Object.values(adapters ?? {}).map((a) => a.stop()));
  await Promise.all(Object.values(receivers).map((r) => r.stop()));
  await proxy?.stop();
  await gateways?.stop();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

/** BAMF's case system posts every step but the last (kept for the ZAB gateway's outage), case by case in parallel. */
let bamfPosting: Promise<void>;
const lastCase = (): TestCase => cases[cases.length - 1]!;

describe('exactly once on the live network, the adapters and a gateway killed with SIGKILL', () => {
  it('after storing (fsync, before the 202): no answer reaches the case system, the message is kept', async () => {
    bamfPosting = Promise.all(
      cases.map(async (c) => {
        for (const [index, step] of c.steps.maris.entries()) {
          if (c === lastCase() && index === c.steps.maris.length - 1) break;
          await deliver(adapter('maris'), xmlOf(c, step, index), Date.now() + 3 * WAIT);
          accepted.add(step.id);
        }
      }),
    ).then(() => undefined);
    await adapter('zab').start({ ASL_FAULT_KILL_AFTER_STORE: '1' });
    const first = cases[0]!.steps.zab[0]!;
    expect(await post(adapter('zab'), xmlOf(cases[0]!, first, 0))).toBeUndefined();
    expect(await adapter('zab').exited(WAIT)).toEqual({ code: null, signal: 'SIGKILL' });
  });

  it('after accepting (the 202 went out): the case system holds the acknowledgement, the adapter is gone', async () => {
    await adapter('zab').start({ ASL_FAULT_KILL_AFTER_ACCEPT: '1' });
    const second = cases[1]!.steps.zab[0]!;
    expect(await post(adapter('zab'), xmlOf(cases[1]!, second, 0))).toEqual({ status: 202, outcome: 'accepted' });
    accepted.add(second.id);
    expect(await adapter('zab').exited(WAIT)).toEqual({ code: null, signal: 'SIGKILL' });
  });

  let orphan: string | undefined;
  it('after submitting (request on the wire, no answer yet): the gateway commits it while the adapter is dead', async () => {
    await adapter('zab').start({ ASL_FAULT_KILL_AFTER_SUBMIT: '1' }, { mayDie: true });
    expect(await adapter('zab').exited(WAIT)).toEqual({ code: null, signal: 'SIGKILL' });
    expect(adapter('zab').logged('recorded').filter((l) => l.incarnation === 2)).toEqual([]);
    // The two registrations stored before were pending; the one whose request went out reaches the ledger alone.
    const registrations = [cases[0]!.steps.zab[0]!.id, cases[1]!.steps.zab[0]!.id];
    const seen = await eventually(
      async () => (await Promise.all([cases[0]!, cases[1]!].map((c) => timeline('zab', c)))).flat().map((i) => i.sourceMessageId),
      (ids) => ids.some((id) => registrations.includes(id)),
      WAIT,
      300,
    );
    orphan = seen.find((id) => registrations.includes(id));
    expect(orphan).toBeDefined();
  });

  it('after commit, before marking done: the next incarnation finds it ALREADY_APPLIED', async () => {
    await adapter('zab').start({ ASL_FAULT_KILL_AFTER_COMMIT: '1' }, { mayDie: true });
    expect(await adapter('zab').exited(WAIT)).toEqual({ code: null, signal: 'SIGKILL' });
    expect(adapter('zab').logged('recorded').filter((l) => l.incarnation === 3)).toEqual([]);
    await adapter('zab').start();
    // The case system never got an answer for the first registration: it sends it again, and it was kept.
    expect(await deliver(adapter('zab'), xmlOf(cases[0]!, cases[0]!.steps.zab[0]!, 0))).toBe('duplicate');
    accepted.add(cases[0]!.steps.zab[0]!.id);
    await onLedger('zab', [cases[0]!.steps.zab[0]!.id, cases[1]!.steps.zab[0]!.id]);
    const final = await eventually(
      () => Promise.resolve([cases[0]!, cases[1]!].map((c) => recordedLines('zab', c.steps.zab[0]!.id).filter((l) => l.incarnation === 4))),
      (lines) => lines.every((l) => l.length === 1),
      WAIT,
    );
    expect(final.map((l) => l.length)).toEqual([1, 1]);
    // The write the gateway committed while its adapter was dead: answered ALREADY_APPLIED, with the ledger's txId.
    const orphanLine = final.flat().find((l) => l['id'] === orphan);
    expect(orphanLine).toMatchObject({ alreadyApplied: true });
  });

  let killedDelivery: { nachrichtUUID: string; xml: string } | undefined;
  it('while delivering outbound (the case system took it, before it was removed): redelivered with the same id and bytes', async () => {
    // An arbitrary SIGKILL of the BAMF adapter first, then a start that kills itself after its first outbound delivery.
    await adapter('maris').kill('SIGKILL');
    const before = receivers.maris.deliveries.length;
    await adapter('maris').start({ ASL_FAULT_KILL_AFTER_OUTBOUND: '1' }, { mayDie: true });
    // ZAB's case system sends the rest of its steps (but the last two of the last case), each case's in order;
    // BAMF's case system gets them as partner events.
    const registration = cases[2]!.steps.zab[0]!;
    expect(await deliver(adapter('zab'), xmlOf(cases[2]!, registration, 0))).toBe('accepted');
    accepted.add(registration.id);
    const posting = Promise.all(
      cases.map(async (c) => {
        for (const [index, step] of c.steps.zab.entries()) {
          if (index === 0 || (c === lastCase() && index >= 3)) continue;
          await deliver(adapter('zab'), xmlOf(c, step, index));
          accepted.add(step.id);
        }
      }),
    );
    expect(await adapter('maris').exited(WAIT)).toEqual({ code: null, signal: 'SIGKILL' });
    expect(receivers.maris.deliveries.length).toBeGreaterThan(before);
    const last = receivers.maris.deliveries[receivers.maris.deliveries.length - 1]!;
    killedDelivery = { nachrichtUUID: last.nachrichtUUID, xml: last.xml };
    await adapter('maris').start();
    const again = await eventually(
      () => Promise.resolve(receivers.maris.deliveries.filter((d) => d.nachrichtUUID === last.nachrichtUUID)),
      (ds) => ds.length >= 2,
      WAIT,
    );
    expect(again.length).toBeGreaterThanOrEqual(2);
    expect(new Set(again.map((d) => d.xml)).size).toBe(1);
    expect(again[0]!.xml).toBe(killedDelivery.xml);
    await posting;
  });

  /** What the ZAB adapter saw for `id` while its gateway was down, and how the write ended. */
  function outcomeOf(id: string): string {
    const transient = adapter('zab').logged('transient failure, will retry').filter((l) => l['id'] === id);
    const recorded = recordedLines('zab', id);
    const seen = transient.map((l) => `${String(l['status'])}${typeof l['code'] === 'string' ? ` ${l['code']}` : ''}`).join(', ');
    return `the adapter saw [${seen}], then ${recorded[0]?.['alreadyApplied'] === true ? '200 ALREADY_APPLIED' : '201'}`;
  }

  /** Waits until the ZAB adapter took a failure of `id` as transient (it retries), while its gateway is down. */
  async function retriedWhileDown(id: string): Promise<void> {
    const lines = await eventually(
      () => Promise.resolve(adapter('zab').logged('transient failure, will retry').filter((l) => l['id'] === id)),
      (l) => l.length > 0,
      WAIT,
    );
    expect(lines.length).toBeGreaterThan(0);
  }

  const EVENT_WRITE = /^POST \/api\/v1\/cases\/c[a-z2-7]{31}\/events HTTP/m;

  it('gateway SIGKILL as a write arrives: the broken connection is transient, the retry is recorded once', async () => {
    // Everything else of ZAB's is on the ledger, so the next write through the proxy is the one posted now.
    await onLedger('zab', stepsOf('zab').filter((s) => accepted.has(s.step.id)).map((s) => s.step.id));
    await bamfPosting;
    const c = lastCase();
    const step = c.steps.zab[3]!;
    const write = proxy.intercept(EVENT_WRITE, { holdAnswer: false });
    expect(await deliver(adapter('zab'), xmlOf(c, step, 3))).toBe('accepted');
    accepted.add(step.id);
    await write.sent;
    await gateways.kill('zab', 'SIGKILL');
    // BAMF writes while the ZAB gateway is down (ZAB's peer still endorses); ZAB's case system gets it after the restart.
    const bamfLast = c.steps.maris[c.steps.maris.length - 1]!;
    expect(await deliver(adapter('maris'), xmlOf(c, bamfLast, c.steps.maris.length - 1))).toBe('accepted');
    accepted.add(bamfLast.id);
    await onLedger('maris', [bamfLast.id]);
    await retriedWhileDown(step.id);
    await gateways.restart('zab');
    await onLedger('zab', [step.id]);
    const lines = await eventually(() => Promise.resolve(recordedLines('zab', step.id)), (l) => l.length > 0, WAIT);
    expect(lines).toHaveLength(1);
    // Killed this early the write has seldom reached the orderer (then 201); if it had, ALREADY_APPLIED. One event either way.
    process.stderr.write(`gateway killed as the write arrived: ${outcomeOf(step.id)}\n`);
  });

  it('gateway SIGKILL after it committed, before its answer reached the adapter: the retry is ALREADY_APPLIED', async () => {
    const c = lastCase();
    const step = c.steps.zab[4]!;
    const write = proxy.intercept(EVENT_WRITE, { holdAnswer: true });
    expect(await deliver(adapter('zab'), xmlOf(c, step, 4))).toBe('accepted');
    accepted.add(step.id);
    // The gateway answers only after the commit: its answer is the proof the write is on the ledger.
    expect(await write.answered).toMatch(/^HTTP\/1\.1 201 /);
    await gateways.kill('zab', 'SIGKILL');
    await retriedWhileDown(step.id);
    await gateways.restart('zab');
    await onLedger('zab', [step.id]);
    const lines = await eventually(() => Promise.resolve(recordedLines('zab', step.id)), (l) => l.length > 0, WAIT);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ alreadyApplied: true });
    process.stderr.write(`gateway killed after the commit, its answer held back: ${outcomeOf(step.id)}\n`);
  });

  it('every accepted message is on the ledger once, every partner event reached the other case system, reconciliation is clean', async () => {
    const all = (['zab', 'maris'] as const).flatMap((agency) => stepsOf(agency).map((s) => s.step.id));
    expect([...accepted].sort()).toEqual([...all].sort());
    for (const agency of ['zab', 'maris'] as const) await onLedger(agency, all);
    const caseIds = new Set(cases.map((c) => c.caseId));
    for (const c of cases) {
      for (const agency of ['zab', 'maris'] as const) {
        const items = await timeline(agency, c);
        // Exactly once: each step once, nothing else; in posting order per agency.
        expect(items.map((i) => i.sourceMessageId).sort()).toEqual([...c.steps.zab, ...c.steps.maris].map((s) => s.id).sort());
        for (const writer of ['zab', 'maris'] as const) {
          const msp = AGENCY_PROFILES[writer].mspId;
          expect(items.filter((i) => i.writer === msp).map((i) => i.sourceMessageId)).toEqual(c.steps[writer].map((s) => s.id));
        }
      }
    }
    // At least once out: every partner event on these cases, with txId as nachrichtUUID and the case's AZR number.
    for (const [agency, partner] of [['zab', 'maris'], ['maris', 'zab']] as const) {
      const expected = new Map<string, { txId: string; azr: string }>();
      for (const c of cases) {
        for (const i of await timeline(agency, c)) if (i.writer === AGENCY_PROFILES[partner].mspId) expected.set(i.sourceMessageId, { txId: i.txId, azr: c.azr });
      }
      const got = await eventually(
        () => Promise.resolve(receivers[agency].eventsOf(caseIds)),
        (ds) => new Set(ds.map((d) => d.sourceMessageId)).size >= expected.size,
        WAIT,
      );
      expect([...new Set(got.map((d) => d.sourceMessageId ?? ''))].sort()).toEqual([...expected.keys()].sort());
      for (const d of got) {
        const want = expected.get(d.sourceMessageId ?? '');
        const at = { inbox: agency, type: d.eventType, case: cases.findIndex((c) => c.caseId === d.caseId) };
        expect({ ...at, id: d.nachrichtUUID, azr: d.azrNummer }).toEqual({ ...at, id: want?.txId, azr: want?.azr });
      }
      // A redelivery carries the same bytes.
      for (const id of new Set(got.map((d) => d.nachrichtUUID))) expect(new Set(got.filter((d) => d.nachrichtUUID === id).map((d) => d.xml)).size).toBe(1);
    }
    expect(killedDelivery).toBeDefined();
    // The reconciliation report of each agency over what its case system sent.
    for (const agency of ['zab', 'maris'] as const) {
      const gw = gatewayOf(agency);
      const sent: SentMessage[] = stepsOf(agency).map(({ c, step }) => ({ nachrichtUUID: step.id, eventType: step.type, azrNummer: c.azr, occurredAt: step.occurredAt, data: step.data }));
      const report = await reconcile({
        agency: AGENCY_PROFILES[agency].mspId,
        sent,
        gateway: new HttpGatewayClient({ baseUrl: gw.url, token: readerOf(agency).token, timeoutMs: 20_000 }),
        reader: new HttpGatewayReader({ baseUrl: gw.url, token: readerOf(agency).token, timeoutMs: 20_000 }),
      });
      expect(report).toMatchObject({ cases: CASES, sent: sent.length, matched: sent.length, missing: [], extra: [], mismatched: [], unreadable: 0 });
    }
    // Nothing left behind, nothing dead-lettered, no AZR number in any log line.
    for (const agency of ['zab', 'maris'] as const) {
      const metrics = await (await fetch(new URL('/metrics', adapter(agency).url))).text();
      expect(metrics).toMatch(/^asl_adapter_outbox_pending 0$/m);
      expect(metrics).toMatch(/^asl_adapter_dead_letters_total 0$/m);
      expect(adapter(agency).logged('dead letter: the partner does not learn of this status change until an operator acts')).toEqual([]);
      const log = JSON.stringify(adapter(agency).lines);
      for (const c of cases) expect(log).not.toContain(c.azr);
      expect(adapter(agency).stderr).toBe('');
    }
  });
});
