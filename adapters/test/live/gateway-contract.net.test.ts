/**
 * Live (ASL_TEST_KIND=net): the adapters' test doubles answer like the real gateway (issue 17 item 2, contract part).
 * The same scenario of requests — every route the adapters use (src/core/gateway-client.ts with the ZAB return check,
 * src/outbound/gateway-reader.ts, src/outbound/event-stream.ts) and the refusals they decide on — runs against
 * both real gateways on the live network and against each double:
 *
 * - `fake-ledger.ts` (one in-memory ledger running the domain's `decide`, a fake gateway per agency): every step;
 * - `fake-gateway.ts` (one agency's write path, no domain rules): the steps of its routes; the domain's refusals are
 *   scripted on it, so what is compared is how it answers them.
 *
 * Per step: status, content type, `Retry-After`, the body's shape (keys and value types, recursively; generated
 * values such as txIds, request ids and instants are not compared), for problem+json the whole body but the request
 * id, and the values that follow from the request (event type and data, warning and action codes, `exists`,
 * records, pages). Every JSON answer of either side must conform to the gateway's OpenAPI document, and write,
 * timeline, details and pseudonym answers must parse with the gateway's own zod schemas. The stream is compared by
 * its item shapes and by `Last-Event-ID` resumption (consecutive ids after the one sent). The adapters' own clients
 * (`HttpGatewayClient`, `HttpGatewayReader`) read both sides to the same results.
 *
 * Not compared: `warning` stream items (clock-rule openings need time to pass), `valueListVersions` of the
 * single-agency fake's writes (it has no value lists; the shape is kept), routes no adapter calls.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { CaseIdResponseSchema, CourtRefResponseSchema, DetailsResponseSchema, TimelineResponseSchema, WriteResponseSchema } from '../../../gateway/src/api/schemas';
import { eventually, registerUser } from '../../../gateway/test/support/live-fixtures';
import { startLiveGateways, type LiveGateways } from '../../../gateway/test/support/live-gateways';
import { assertConforms } from '../../../gateway/test/support/openapi-check';
import { openStream } from '../../../gateway/test/support/sse-client';
import { HttpGatewayClient, type GatewayResult, type WriteReceipt } from '../../src/core/gateway-client';
import { HttpGatewayReader, type ReadResult } from '../../src/outbound/gateway-reader';
import { FAKE_ADMIN_TOKEN, FAKE_TOKEN, FakeGateway, type ScriptedProblem } from '../support/fake-gateway';
import { startFakeNetwork } from '../support/fake-ledger';

jest.setTimeout(180_000);

type Agency = 'zab' | 'bamf';
type TokenKind = 'adapter' | 'admin' | 'bad';

/** One agency's gateway of a target: its URL and tokens. */
interface Endpoint {
  readonly url: string;
  readonly adapterToken: string;
  readonly adminToken: string;
}

/** A gateway implementation under comparison. */
interface Target {
  readonly name: string;
  readonly gateways: Partial<Record<Agency, Endpoint>>;
  /** The event stream's last id at `agency` now (the fakes start empty). */
  streamHead(agency: Agency): Promise<number>;
  /** Only the single-agency fake: the domain's refusal to script before a step it cannot judge itself. */
  script?(problem: ScriptedProblem | undefined): void;
}

/** An answer as a client sees it. */
interface Answer {
  readonly status: number;
  readonly contentType: string;
  readonly retryAfter: boolean;
  readonly body: unknown;
}

const OPENAPI_PATHS: readonly [RegExp, string][] = [
  [/^\/api\/v1\/case-ids$/, '/api/v1/case-ids'],
  [/^\/api\/v1\/court-refs$/, '/api/v1/court-refs'],
  [/^\/api\/v1\/cases\/[^/]+\/events$/, '/api/v1/cases/{caseId}/events'],
  [/^\/api\/v1\/cases\/[^/]+\/timeline$/, '/api/v1/cases/{caseId}/timeline'],
  [/^\/api\/v1\/cases\/[^/]+\/details$/, '/api/v1/cases/{caseId}/details'],
  [/^\/api\/v1\/admin\/cases\/[^/]+\/import$/, '/api/v1/admin/cases/{caseId}/import'],
  [/^\/api\/v1\/warnings$/, '/api/v1/warnings'],
  [/^\/api\/v1\/actions$/, '/api/v1/actions'],
  [/^\/api\/v1\/events\/stream$/, '/api/v1/events/stream'],
  [/^\/api\/v1\/cases\/[^/]+\/return-check$/, '/api/v1/cases/{caseId}/return-check'],
];

async function call(ep: Endpoint, token: TokenKind, method: 'GET' | 'POST', path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const bearer = token === 'adapter' ? ep.adapterToken : token === 'admin' ? ep.adminToken : 'asl_not-a-token-the-gateway-issued';
  const res = await fetch(ep.url + path, {
    method,
    headers: { authorization: `Bearer ${bearer}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const contentType = res.headers.get('content-type') ?? '';
  const text = await res.text();
  const json: unknown = contentType.includes('json') ? JSON.parse(text) : text;
  const template = OPENAPI_PATHS.find(([re]) => re.test(path.split('?')[0] ?? ''))?.[1];
  if (template !== undefined && contentType.includes('json')) assertConforms(method, template, res.status, contentType, json);
  return { status: res.status, contentType, retryAfter: res.headers.has('retry-after'), body: json };
}

/** The structure of a value: object keys and value types, recursively; an array as the set of its elements' shapes. */
function shape(value: unknown, key = ''): unknown {
  if (key === 'valueListVersions') return 'record';
  if (value === null) return 'null';
  if (Array.isArray(value)) return ['array', ...[...new Set(value.map((v) => JSON.stringify(shape(v))))].sort()];
  if (typeof value === 'object') return Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, shape(v, k)]));
  return typeof value;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const get = (v: unknown, ...path: string[]): unknown => path.reduce<unknown>((o, k) => (isRecord(o) ? o[k] : undefined), v);

/** What must be equal between the real gateway and a double: everything but generated values. */
function comparable(answer: Answer, semantic?: (body: unknown) => unknown): unknown {
  const problem = answer.contentType.startsWith('application/problem+json');
  const body = problem && isRecord(answer.body) ? { ...answer.body, ...('requestId' in answer.body ? { requestId: 'present' } : {}), ...inForce(answer.body) } : answer.body;
  return {
    status: answer.status,
    contentType: answer.contentType,
    retryAfter: answer.retryAfter,
    ...(problem ? { problem: body } : { shape: shape(body) }),
    ...(semantic === undefined || problem ? {} : { semantic: semantic(answer.body) }),
  };
}

/**
 * `UNKNOWN_CODE_VALUE` names the version of the list in force, which is ledger state, not the request: on the shared
 * network other suites (value-list governance, the bypass matrix) move lists on, the doubles stay at version 1. Both
 * must name a version (a positive integer); which one is not compared.
 */
function inForce(body: Record<string, unknown>): Record<string, unknown> {
  const details = body['details'];
  if (body['code'] !== 'UNKNOWN_CODE_VALUE' || !isRecord(details)) return {};
  const version = details['version'];
  return { details: { ...details, version: Number.isInteger(version) && Number(version) >= 1 ? 'a version in force' : version } };
}

/** The parts of a write answer that follow from the request. */
function writeFacts(body: unknown): unknown {
  const w = WriteResponseSchema.parse(body);
  return {
    type: w.event.type,
    data: w.event.data,
    occurredAt: w.event.occurredAt,
    actor: { mspId: w.event.actor.mspId, role: w.event.actor.role },
    writerKind: w.event.writerKind,
    validationCode: w.receipt.validationCode,
    endorsers: [...w.receipt.endorsers].sort(),
    warnings: w.warnings.map((x) => [x.code, x.severity]),
  };
}

const OCCURRED = ['2026-01-05T09:00:00.000Z', '2026-01-07T09:00:00.000Z', '2026-01-08T09:00:00.000Z', '2026-01-09T09:00:00.000Z'] as const;

/** One run of the scenario against a target: the answers by step, and what the adapters' clients made of them. */
interface Run {
  readonly answers: Map<string, { answer: Answer; semantic?: (body: unknown) => unknown }>;
  readonly clients: Map<string, unknown>;
  readonly stream?: unknown;
}

/** Reduces a gateway client's result to what the dispatcher decides on (no generated ids). */
function clientView(r: GatewayResult<WriteReceipt | string>): unknown {
  if (r.ok) return { ok: true, ...(typeof r.value === 'string' ? { value: 'pseudonym' } : { alreadyApplied: r.value.alreadyApplied, txId: typeof r.value.txId }) };
  return { ok: false, status: r.status, code: r.code, missing: r.missing, conflicting: r.conflicting, retryAfter: r.retryAfterMs !== undefined };
}

function readView<T>(r: ReadResult<T>, map: (v: T) => unknown): unknown {
  return r.ok ? { ok: true, value: map(r.value) } : r;
}

/**
 * The scenario. `full`: the target runs the domain (both agencies, reads, stream); otherwise only the write path of
 * one agency (ZAB), with the domain's refusals scripted.
 */
async function runScenario(target: Target, full: boolean): Promise<Run> {
  const zab = target.gateways.zab;
  const bamf = target.gateways.bamf ?? zab;
  if (zab === undefined || bamf === undefined) throw new Error(`${target.name}: no ZAB gateway`);
  const answers: Run['answers'] = new Map();
  const clients: Run['clients'] = new Map();
  const step = async (name: string, ep: Endpoint, token: TokenKind, method: 'GET' | 'POST', path: string, body?: unknown, semantic?: (b: unknown) => unknown, headers?: Record<string, string>): Promise<Answer> => {
    const answer = await call(ep, token, method, path, body, headers);
    answers.set(name, { answer, ...(semantic ? { semantic } : {}) });
    return answer;
  };
  /** A domain refusal: judged by a full target; scripted on the write-path fake. */
  const refused = async (name: string, problem: ScriptedProblem, ep: Endpoint, path: string, body: unknown): Promise<void> => {
    target.script?.(problem);
    await step(name, ep, 'adapter', 'POST', path, body);
    target.script?.(undefined);
  };
  const azr = `999${randomInt(10 ** 8, 10 ** 9)}`;
  /** A case id no one registered (random, so the shared ledger cannot hold it). */
  const unknownCase = `c${Array.from({ length: 31 }, () => 'abcdefghijklmnopqrstuvwxyz234567'[randomInt(32)]).join('')}`;
  const azr2 = `999${randomInt(10 ** 8, 10 ** 9)}`;
  const person = { familyName: 'Testperson', givenNames: 'Zwei', dateOfBirth: '1990-01', nationality: 'XXA' };
  const zabClient = new HttpGatewayClient({ baseUrl: zab.url, token: zab.adapterToken, adminToken: zab.adminToken, timeoutMs: 30_000 });
  const bamfClient = new HttpGatewayClient({ baseUrl: bamf.url, token: bamf.adapterToken, timeoutMs: 30_000 });

  // Pseudonyms.
  const created = await step('case-ids', zab, 'adapter', 'POST', '/api/v1/case-ids', { azrNumber: azr }, (b) => ({ exists: CaseIdResponseSchema.parse(b).exists, keyVersion: get(b, 'keyVersion') }));
  const caseId = CaseIdResponseSchema.parse(created.body).caseId;
  const caseId2 = CaseIdResponseSchema.parse((await call(zab, 'adapter', 'POST', '/api/v1/case-ids', { azrNumber: azr2 })).body).caseId;
  await step('case-ids not an AZR number', zab, 'adapter', 'POST', '/api/v1/case-ids', { azrNumber: 'abc' });
  await step('case-ids schema', zab, 'adapter', 'POST', '/api/v1/case-ids', { azr });
  await step('case-ids unauthenticated', zab, 'bad', 'POST', '/api/v1/case-ids', { azrNumber: azr });
  await step('court-refs', zab, 'adapter', 'POST', '/api/v1/court-refs', { court: 'VG-DRESDEN', fileNumber: '13 K 999/26.A' }, (b) => ({ keyVersion: CourtRefResponseSchema.parse(b).keyVersion }));
  clients.set('client caseId', clientView(await zabClient.caseId(azr)));
  clients.set('client courtRef', clientView(await zabClient.courtRef('VG-DRESDEN', '13 K 999/26.A')));

  const events = (c: string): string => `/api/v1/cases/${c}/events`;
  const register = { type: 'CASE_REGISTERED', occurredAt: OCCURRED[0], sourceMessageId: randomUUID(), data: { facility: 'AE-DD-TEST', registeredOn: '2026-01-05' }, caseDetails: { ...person, azrNumber: azr } };
  const filed = { type: 'APPLICATION_FILED', occurredAt: OCCURRED[1], sourceMessageId: randomUUID(), data: { filedOn: '2026-01-07' }, caseDetails: { azrNumber: azr, bamfFileNumber: '7654321-999' } };

  // Writes and the refusals the dispatcher classifies; the stream is read from here on (full targets).
  const head = full ? await target.streamHead('zab') : 0;
  await refused('events CASE_NOT_FOUND', { code: 'CASE_NOT_FOUND' }, bamf, events(caseId), filed);
  const recorded = await step('events 201', zab, 'adapter', 'POST', events(caseId), register, writeFacts);
  const again = await step('events ALREADY_APPLIED', zab, 'adapter', 'POST', events(caseId), register, (b) => ({ ...(writeFacts(b) as object), sameReceipt: get(b, 'receipt', 'txId') === get(recorded.body, 'receipt', 'txId') }));
  expect(again.status).toBe(200);
  await step('events IDEMPOTENCY_CONFLICT', zab, 'adapter', 'POST', events(caseId), { ...register, data: { facility: 'AE-DD-TEST', registeredOn: '2026-01-06' } });
  await step('events INVALID_INPUT', zab, 'adapter', 'POST', events(caseId), { type: 'RECEPTION_ASSIGNED', occurredAt: OCCURRED[2], sourceMessageId: randomUUID(), data: { facility: 'AE-DD-TEST', unexpected: 1 } });
  await step('events unauthenticated', zab, 'bad', 'POST', events(caseId), register);
  await refused('events UNKNOWN_CODE_VALUE', { code: 'UNKNOWN_CODE_VALUE', details: { field: 'data.facility', list: 'facility', version: 1 } }, zab, events(caseId), {
    type: 'RECEPTION_ASSIGNED',
    occurredAt: OCCURRED[2],
    sourceMessageId: randomUUID(),
    data: { facility: 'AE-XX-NONE' },
  });
  await refused('events NOT_OWNER', { code: 'NOT_OWNER' }, zab, events(caseId), { ...filed, sourceMessageId: randomUUID(), caseDetails: undefined });
  clients.set('client 201', clientView(await zabClient.recordEvent(caseId, { type: 'RECEPTION_ASSIGNED', occurredAt: OCCURRED[2], sourceMessageId: randomUUID(), data: { facility: 'AE-DD-TEST' } })));
  clients.set('client ALREADY_APPLIED', clientView(await zabClient.recordEvent(caseId, register)));
  target.script?.({ code: 'NOT_OWNER' });
  clients.set('client NOT_OWNER', clientView(await zabClient.recordEvent(caseId, { ...filed, sourceMessageId: randomUUID() })));
  target.script?.(undefined);
  if (full) {
    await step('events 201 partner', bamf, 'adapter', 'POST', events(caseId), filed, writeFacts);
  }
  const missing = { type: 'HEARING_HELD', occurredAt: OCCURRED[3], sourceMessageId: randomUUID(), data: {} };
  await refused('events PRECONDITION_FAILED missing', { code: 'PRECONDITION_FAILED', details: { missing: ['HEARING_SCHEDULED'] } }, bamf, events(caseId), missing);
  const conflicting = { ...filed, sourceMessageId: randomUUID(), data: { filedOn: '2026-01-08' } };
  await refused('events PRECONDITION_FAILED conflicting', { code: 'PRECONDITION_FAILED', details: { conflicting: ['PROCEDURE_PENDING'] } }, bamf, events(caseId), conflicting);
  target.script?.({ code: 'PRECONDITION_FAILED', details: { missing: ['HEARING_SCHEDULED'] } });
  clients.set('client missing', clientView(await bamfClient.recordEvent(caseId, { ...missing, sourceMessageId: randomUUID() })));
  target.script?.({ code: 'PRECONDITION_FAILED', details: { conflicting: ['PROCEDURE_PENDING'] } });
  clients.set('client conflicting', clientView(await bamfClient.recordEvent(caseId, { ...conflicting, sourceMessageId: randomUUID() })));
  target.script?.({ code: 'CASE_NOT_FOUND' });
  clients.set('client CASE_NOT_FOUND', clientView(await bamfClient.recordEvent(caseId2, { ...filed, sourceMessageId: randomUUID() })));
  target.script?.(undefined);

  // The import route (admin only; the envelope's sourceMessageId and occurredAt are required).
  const facts = [{ type: 'CASE_REGISTERED', data: { facility: 'AE-DD-TEST', registeredOn: '2026-01-05' } }];
  const imported = { facts, sourceMessageId: randomUUID(), occurredAt: OCCURRED[0] };
  const importPath = (c: string): string => `/api/v1/admin/cases/${c}/import`;
  await step('import without envelope', zab, 'admin', 'POST', importPath(caseId2), { facts });
  await step('import as adapter', zab, 'adapter', 'POST', importPath(caseId2), imported);
  await step('import 201', zab, 'admin', 'POST', importPath(caseId2), imported, writeFacts);
  await step('import ALREADY_APPLIED', zab, 'admin', 'POST', importPath(caseId2), imported, writeFacts);
  const azr3 = `999${randomInt(10 ** 8, 10 ** 9)}`;
  const caseId3 = CaseIdResponseSchema.parse((await call(zab, 'adapter', 'POST', '/api/v1/case-ids', { azrNumber: azr3 })).body).caseId;
  clients.set('client import', clientView(await zabClient.importCase(caseId3, { facts, sourceMessageId: randomUUID(), occurredAt: OCCURRED[0] })));
  if (!full) return { answers, clients };

  await refused('import CASE_EXISTS', { code: 'CASE_EXISTS' }, zab, importPath(caseId), { ...imported, sourceMessageId: randomUUID() });
  await step('case-ids exists', bamf, 'adapter', 'POST', '/api/v1/case-ids', { azrNumber: azr }, (b) => ({ exists: CaseIdResponseSchema.parse(b).exists }));

  // A ReturnConflict: a return scheduled while the procedure is pending (BLOCKING warnings).
  const scheduled = { type: 'RETURN_SCHEDULED', occurredAt: OCCURRED[3], sourceMessageId: randomUUID(), data: { kind: 'DEPORTATION' } };
  await step('events 201 with warnings', zab, 'adapter', 'POST', events(caseId), scheduled, writeFacts);

  // The ZAB return check before execution (ZAB only; judges now, writes nothing).
  const checkPath = (c: string): string => `/api/v1/cases/${c}/return-check`;
  const judged = (b: unknown): unknown => ({
    kind: get(b, 'kind'),
    blocked: get(b, 'blocked'),
    // Anchors are txIds of this run's writes (or `planned`): compared by kind.
    warnings: (get(b, 'warnings') as unknown[]).map((w) => [get(w, 'code'), get(w, 'severity'), (get(w, 'anchors') as string[]).map((a) => (/^[0-9a-f]{64}$/.test(a) ? 'txId' : a))]),
  });
  await step('return-check', zab, 'adapter', 'POST', checkPath(caseId), { kind: 'DEPORTATION' }, judged);
  await step('return-check schema', zab, 'adapter', 'POST', checkPath(caseId), { kind: 'BY_SEA' });
  await step('return-check at BAMF', bamf, 'adapter', 'POST', checkPath(caseId), { kind: 'DEPORTATION' });
  await step('return-check CASE_NOT_FOUND', zab, 'adapter', 'POST', checkPath(unknownCase), { kind: 'DEPORTATION' });
  const check = await zabClient.returnCheck(caseId, 'DUBLIN_TRANSFER');
  clients.set('client returnCheck', check.ok ? { ok: true, blocked: check.value.blocked, warnings: check.value.warnings.map((w) => w.code) } : check);

  // Reads.
  const timeline = `/api/v1/cases/${caseId}/timeline`;
  const items = (b: unknown): unknown => TimelineResponseSchema.parse(b).items.map((i) => [i.event.type, i.actor.mspId, i.retracted]);
  const page1 = await step('timeline page 1', zab, 'adapter', 'GET', `${timeline}?limit=2`, undefined, (b) => ({ items: items(b), cursor: typeof get(b, 'cursor') }));
  const cursor = String(get(page1.body, 'cursor'));
  await step('timeline page 2', zab, 'adapter', 'GET', `${timeline}?cursor=${cursor}`, undefined, (b) => ({ items: items(b), cursor: typeof get(b, 'cursor') }));
  await step('timeline unknown cursor', zab, 'adapter', 'GET', `${timeline}?cursor=999999999_7`);
  await step('timeline CASE_NOT_FOUND', zab, 'adapter', 'GET', `/api/v1/cases/${unknownCase}/timeline`);
  const records = (b: unknown): unknown =>
    DetailsResponseSchema.parse(b).records.map((r) =>
      r.state === 'present' ? [r.agency, r.state, Object.keys(r.record).sort(), { ...r.record.details, azrNumber: r.record.details.azrNumber === azr }] : [r.agency, r.state],
    );
  await step('details', zab, 'adapter', 'GET', `/api/v1/cases/${caseId}/details`, undefined, records);
  await step('details CASE_NOT_FOUND', zab, 'adapter', 'GET', `/api/v1/cases/${unknownCase}/details`);
  const mine = (b: unknown): unknown[] => (Array.isArray(get(b, 'items')) ? (get(b, 'items') as unknown[]).filter((i) => get(i, 'caseId') === caseId) : []);
  const warnings = await step('warnings', zab, 'adapter', 'GET', '/api/v1/warnings');
  // Other suites' cases are on the real ledger too: only this case's items are compared.
  answers.set('warnings', { answer: { ...warnings, body: { ...(warnings.body as object), items: mine(warnings.body) } }, semantic: (b) => mine(b).map((w) => [get(w, 'code'), get(w, 'severity')]) });
  const actions = await step('actions', bamf, 'adapter', 'GET', '/api/v1/actions', undefined);
  answers.set('actions', { answer: { ...actions, body: { ...(actions.body as object), items: mine(actions.body) } }, semantic: (b) => mine(b).map((a) => [get(a, 'code'), get(a, 'agency')]) });
  await step('stream bad Last-Event-ID', zab, 'adapter', 'GET', '/api/v1/events/stream', undefined, undefined, { 'last-event-id': 'abc' });

  const zabReader = new HttpGatewayReader({ baseUrl: zab.url, token: zab.adapterToken, timeoutMs: 30_000 });
  const bamfReader = new HttpGatewayReader({ baseUrl: bamf.url, token: bamf.adapterToken, timeoutMs: 30_000 });
  clients.set('reader timeline', readView(await zabReader.timeline(caseId), (t) => t?.map((e) => [e.type, e.writer, e.retracted, typeof e.txId])));
  clients.set('reader timeline unknown case', readView(await zabReader.timeline(unknownCase), (t) => t));
  clients.set('reader identity', readView(await bamfReader.identity(caseId), (i) => ({ azr: i.azrNummer === azr, bamf: i.bamfAktenzeichen })));
  clients.set('reader warnings', readView(await zabReader.warnings(), (ws) => ws.filter((w) => w.caseId === caseId).map((w) => w.code)));
  clients.set('reader actions', readView(await bamfReader.actions(), (as) => as.filter((a) => a.caseId === caseId).map((a) => a.code)));

  return { answers, clients, stream: await streamView(zab, head, caseId) };
}

/**
 * The event stream as an adapter reads it: after `Last-Event-ID` = the head, ids consecutive from head + 1, this
 * case's items with their shapes; then a resumption after the case's first item starts right after it.
 */
async function streamView(ep: Endpoint, head: number, caseId: string): Promise<unknown> {
  const probe = await fetch(`${ep.url}/api/v1/events/stream`, { headers: { authorization: `Bearer ${ep.adapterToken}`, 'last-event-id': String(head) }, signal: AbortSignal.timeout(2_000) }).catch(() => undefined);
  const headers = { status: probe?.status, contentType: probe?.headers.get('content-type'), cacheControl: probe?.headers.get('cache-control') };
  await probe?.body?.cancel().catch(() => undefined);
  const ours = (m: { data: string }): boolean => get(JSON.parse(m.data), 'caseId') === caseId;
  const first = await openStream(ep.url, ep.adapterToken, { lastEventId: String(head) });
  await first.next((m) => ours(m) && get(JSON.parse(m.data), 'event', 'type') === 'RETURN_SCHEDULED', 30_000);
  first.close();
  const received = first.messages.filter((m) => Number(m.id) <= Number(first.messages.find((x) => ours(x) && get(JSON.parse(x.data), 'event', 'type') === 'RETURN_SCHEDULED')?.id));
  const ids = received.map((m) => Number(m.id));
  const mineItems = received.filter(ours);
  const resumeAfter = Number(mineItems[0]?.id);
  const second = await openStream(ep.url, ep.adapterToken, { lastEventId: String(resumeAfter) });
  const next = await second.next(() => true, 30_000);
  await second.next((m) => ours(m) && Number(m.id) > resumeAfter, 30_000);
  second.close();
  return {
    headers,
    consecutiveFromHead: ids.every((id, i) => id === head + 1 + i),
    items: mineItems.map((m) => {
      const data: unknown = JSON.parse(m.data);
      return { event: m.event, seqIsId: get(data, 'seq') === Number(m.id), shape: shape(data), type: get(data, 'event', 'type'), warnings: (get(data, 'warnings') as unknown[]).map((w) => get(w, 'code')) };
    }),
    resumesRightAfter: Number(next.id) === resumeAfter + 1,
  };
}

let gateways: LiveGateways;
let real: Run;
const stops: (() => Promise<void>)[] = [];

beforeAll(async () => {
  gateways = await startLiveGateways();
  const zabAdapter = await registerUser(gateways.zab, 'adapter', 'contract');
  const bamfAdapter = await registerUser(gateways.bamf, 'adapter', 'contract');
  real = await runScenario(
    {
      name: 'real gateways',
      gateways: {
        zab: { url: gateways.zab.url, adapterToken: zabAdapter.token, adminToken: gateways.zab.adminToken },
        bamf: { url: gateways.bamf.url, adapterToken: bamfAdapter.token, adminToken: gateways.bamf.adminToken },
      },
      streamHead: async (agency) => {
        const ep = agency === 'zab' ? { url: gateways.zab.url, token: zabAdapter.token } : { url: gateways.bamf.url, token: bamfAdapter.token };
        const stream = await openStream(ep.url, ep.token, { from: 'head' });
        const id = await eventually(() => Promise.resolve(stream.lastEventId), (x) => x !== undefined, 30_000, 20);
        stream.close();
        return Number(id);
      },
    },
    true,
  );
}, 180_000);

afterAll(async () => {
  for (const stop of stops) await stop();
  await gateways?.stop();
});

function expectSameAnswers(fake: Run, steps: readonly string[]): void {
  const view = (run: Run): unknown[] =>
    steps.map((name) => {
      const a = run.answers.get(name);
      return { step: name, ...(a === undefined ? { ran: false } : (comparable(a.answer, a.semantic) as object)) };
    });
  expect(view(fake)).toEqual(view(real));
}

describe('the shared fake ledger (fake-ledger.ts) answers like the real gateways', () => {
  let fake: Run;
  beforeAll(async () => {
    const net = await startFakeNetwork();
    stops.push(() => net.stop());
    const endpoint = (g: typeof net.zab): Endpoint => ({ url: g.url, adapterToken: g.token, adminToken: g.adminToken });
    fake = await runScenario({ name: 'fake ledger', gateways: { zab: endpoint(net.zab), bamf: endpoint(net.bamf) }, streamHead: () => Promise.resolve(net.ledger.entries.length) }, true);
  });

  it('every step: status, content type, Retry-After, body shape, problem+json, the values that follow from the request', () => {
    expect([...fake.answers.keys()]).toEqual([...real.answers.keys()]);
    expectSameAnswers(fake, [...real.answers.keys()]);
  });

  it('the adapters’ gateway client and reader make the same of both', () => {
    expect(Object.fromEntries(fake.clients)).toEqual(Object.fromEntries(real.clients));
  });

  it('the event stream: headers, item shapes, consecutive ids after Last-Event-ID, resumption right after the id sent', () => {
    expect(fake.stream).toEqual(real.stream);
    expect(real.stream).toMatchObject({ consecutiveFromHead: true, resumesRightAfter: true });
  });
});

describe('the write-path fake (fake-gateway.ts) answers like the real ZAB gateway on its routes', () => {
  let fake: Run;
  beforeAll(async () => {
    const gw = new FakeGateway(FAKE_TOKEN, 'ZabSachsenMSP', FAKE_ADMIN_TOKEN);
    await gw.start();
    stops.push(() => gw.stop());
    const script = (problem: ScriptedProblem | undefined): void => {
      gw.script = problem === undefined ? undefined : () => problem;
    };
    fake = await runScenario({ name: 'fake gateway', gateways: { zab: { url: gw.url, adapterToken: FAKE_TOKEN, adminToken: FAKE_ADMIN_TOKEN } }, streamHead: () => Promise.resolve(0), script }, false);
  });

  it('every step of its routes (domain refusals scripted): status, content type, body shape, problem+json', () => {
    // Without a ledger it cannot know a partner's writes: the partner's 201 and every read are not its routes.
    const steps = [...fake.answers.keys()];
    expect(steps.length).toBeGreaterThan(15);
    expectSameAnswers(fake, steps);
  });

  it('the adapters’ gateway client makes the same of both', () => {
    for (const [name, view] of fake.clients) expect({ name, view }).toEqual({ name, view: real.clients.get(name) });
  });
});
