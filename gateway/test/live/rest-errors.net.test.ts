/**
 * Live (ASL_TEST_KIND=net): the error table of domain.md §7 through REST on both real gateways and real peers. Each
 * row provokes one code and checks the HTTP status, the problem+json `code` (and its detail where the contract fixes
 * one) and — for every refusal — that nothing was written: no transaction signed by any of this suite's users was
 * committed meanwhile, and the case's timeline is unchanged. The test name says where the refusal comes from:
 * "chaincode" rows pass every gateway check and are refused by the `procedure` chaincode on the peers (the domain's
 * `decide`); "gateway" rows are the gateway's own checks (token, body size, rate, schema, route roles).
 */
import { randomBytes } from 'node:crypto';
import { WriteResponseSchema } from '../../src/api/schemas';
import { liveCall, type LiveResponse } from '../support/live-client';
import { CODES, eventBody, newCaseId, recorded, registerUser, timelineOf, type LiveUser, type Written } from '../support/live-fixtures';
import { startLiveGateways, type LiveGateway, type LiveGateways } from '../support/live-gateways';
import { LedgerProbe } from '../support/ledger-probe';
import { markLedger, writtenSince } from '../support/live-ledger-checks';

jest.setTimeout(120_000);

let gateways: LiveGateways;
let probe: LedgerProbe;
const users = new Map<'zabAdapter' | 'zabCaseworker' | 'zabAuditor' | 'bamfAdapter' | 'rateLimited', LiveUser>();
const user = (name: Parameters<typeof users.get>[0]): LiveUser => {
  const u = users.get(name);
  if (u === undefined) throw new Error(`${name} was not registered`);
  return u;
};
/** The cases the rows refuse writes on; `unknown` is never registered. */
const cases = { open: '', filed: '', closed: '', unknown: newCaseId() };
let registration: { body: ReturnType<typeof eventBody>; written: Written };

beforeAll(async () => {
  gateways = await startLiveGateways();
  probe = LedgerProbe.open('zab');
  users.set('zabAdapter', await registerUser(gateways.zab, 'adapter', 'errors'));
  users.set('zabCaseworker', await registerUser(gateways.zab, 'caseworker', 'errors'));
  users.set('zabAuditor', await registerUser(gateways.zab, 'auditor', 'errors'));
  users.set('bamfAdapter', await registerUser(gateways.bamf, 'adapter', 'errors'));
  users.set('rateLimited', await registerUser(gateways.zab, 'caseworker', 'ratelimit'));

  const register = () => eventBody('CASE_REGISTERED', { facility: CODES.facility, registeredOn: '2026-01-05' });
  cases.open = newCaseId();
  const body = register();
  registration = { body, written: await recorded(gateways.zab, user('zabAdapter').token, cases.open, body) };
  cases.filed = newCaseId();
  await recorded(gateways.zab, user('zabAdapter').token, cases.filed, register());
  await recorded(gateways.bamf, user('bamfAdapter').token, cases.filed, eventBody('APPLICATION_FILED', { filedOn: '2026-01-07' }));
  cases.closed = newCaseId();
  await recorded(gateways.zab, user('zabAdapter').token, cases.closed, register());
  await recorded(gateways.zab, user('zabAdapter').token, cases.closed, eventBody('VOLUNTARY_DEPARTURE_RECORDED', { departedOn: '2026-03-01' }));
}, 180_000);

afterAll(async () => {
  probe?.close();
  await gateways?.stop();
});

const post = (gw: LiveGateway, token: string | undefined, caseId: string, body: unknown): Promise<LiveResponse> =>
  liveCall(gw.url, 'post', '/api/v1/cases/{caseId}/events', { ...(token === undefined ? {} : { token }), params: { caseId }, body });

/** One row: what to send, what must come back, and which case must stay unchanged. */
interface Row {
  readonly code: string;
  readonly status: number;
  readonly source: 'chaincode' | 'gateway';
  readonly what: string;
  readonly send: () => Promise<LiveResponse>;
  readonly caseId: () => string;
  readonly details?: Record<string, unknown>;
}

const zab = (): LiveGateway => gateways.zab;
const bamf = (): LiveGateway => gateways.bamf;

const REFUSALS: readonly Row[] = [
  {
    code: 'INVALID_INPUT',
    status: 400,
    source: 'gateway',
    what: 'an unknown field in the event data (the route schema; the chaincode parses the same domain schema and is never reached)',
    send: () => post(zab(), user('zabAdapter').token, cases.open, eventBody('RECEPTION_ASSIGNED', { facility: CODES.facility, unexpected: 'x' })),
    caseId: () => cases.open,
  },
  {
    code: 'INVALID_INPUT',
    status: 400,
    source: 'gateway',
    what: 'a date that is not a calendar date',
    send: () => post(zab(), user('zabAdapter').token, cases.open, eventBody('VOLUNTARY_DEPARTURE_RECORDED', { departedOn: '2026-02-30' })),
    caseId: () => cases.open,
  },
  {
    code: 'UNAUTHENTICATED',
    status: 401,
    source: 'gateway',
    what: 'no token',
    send: () => post(zab(), undefined, cases.open, eventBody('RECEPTION_ASSIGNED', { facility: CODES.facility })),
    caseId: () => cases.open,
  },
  {
    code: 'UNAUTHENTICATED',
    status: 401,
    source: 'gateway',
    what: 'a well-formed token the gateway never issued',
    send: () => post(zab(), `asl_${randomBytes(32).toString('base64url')}`, cases.open, eventBody('RECEPTION_ASSIGNED', { facility: CODES.facility })),
    caseId: () => cases.open,
  },
  {
    code: 'PAYLOAD_TOO_LARGE',
    status: 413,
    source: 'gateway',
    what: 'a body above the 256 KiB limit (refused before authentication)',
    send: () => post(zab(), user('zabAdapter').token, cases.open, { ...eventBody('RECEPTION_ASSIGNED', { facility: CODES.facility }), padding: 'x'.repeat(300 * 1024) }),
    caseId: () => cases.open,
  },
  {
    code: 'FORBIDDEN_ROLE',
    status: 403,
    source: 'gateway',
    what: 'an auditor writing an event (route roles: adapter, caseworker)',
    send: () => post(zab(), user('zabAuditor').token, cases.open, eventBody('RECEPTION_ASSIGNED', { facility: CODES.facility })),
    caseId: () => cases.open,
  },
  {
    code: 'FORBIDDEN_ROLE',
    status: 403,
    source: 'chaincode',
    what: 'an adapter acknowledging a warning (only caseworkers may; the route admits adapters, the chaincode’s role check per event type refuses)',
    send: () => post(zab(), user('zabAdapter').token, cases.open, eventBody('WARNING_ACKNOWLEDGED', { code: 'RET_PROCEDURE_PENDING', anchorTxId: registration.written.receipt.txId })),
    caseId: () => cases.open,
  },
  {
    code: 'NOT_OWNER',
    status: 403,
    source: 'chaincode',
    what: 'ZAB filing an asylum application (a federal-office event)',
    send: () => post(zab(), user('zabAdapter').token, cases.open, eventBody('APPLICATION_FILED', { filedOn: '2026-01-07' })),
    caseId: () => cases.open,
  },
  {
    code: 'NOT_OWNER',
    status: 403,
    source: 'chaincode',
    what: 'BAMF assigning a reception facility (the responsible state authority’s event)',
    send: () => post(bamf(), user('bamfAdapter').token, cases.open, eventBody('RECEPTION_ASSIGNED', { facility: CODES.facility })),
    caseId: () => cases.open,
  },
  {
    code: 'CASE_NOT_FOUND',
    status: 404,
    source: 'chaincode',
    what: 'an event on a case nobody registered',
    send: () => post(zab(), user('zabAdapter').token, cases.unknown, eventBody('RECEPTION_ASSIGNED', { facility: CODES.facility })),
    caseId: () => cases.open,
  },
  {
    code: 'CASE_EXISTS',
    status: 409,
    source: 'chaincode',
    what: 'registering a registered case again (new sourceMessageId)',
    send: () => post(zab(), user('zabAdapter').token, cases.open, eventBody('CASE_REGISTERED', { facility: CODES.facility, registeredOn: '2026-01-05' })),
    caseId: () => cases.open,
  },
  {
    code: 'PRECONDITION_FAILED',
    status: 409,
    source: 'chaincode',
    what: 'missing: a hearing held that was never scheduled (may succeed later)',
    send: () => post(bamf(), user('bamfAdapter').token, cases.filed, eventBody('HEARING_HELD')),
    caseId: () => cases.filed,
    details: { missing: ['HEARING_SCHEDULED'] },
  },
  {
    code: 'PRECONDITION_FAILED',
    status: 409,
    source: 'chaincode',
    what: 'conflicting: a second application while one is pending (will not succeed)',
    send: () => post(bamf(), user('bamfAdapter').token, cases.filed, eventBody('APPLICATION_FILED', { filedOn: '2026-01-08' })),
    caseId: () => cases.filed,
    details: { conflicting: ['PROCEDURE_PENDING'] },
  },
  {
    code: 'CASE_CLOSED',
    status: 409,
    source: 'chaincode',
    what: 'an accommodation event on a case closed by a voluntary departure',
    send: () => post(zab(), user('zabAdapter').token, cases.closed, eventBody('RECEPTION_ASSIGNED', { facility: CODES.facility })),
    caseId: () => cases.closed,
  },
  {
    code: 'IDEMPOTENCY_CONFLICT',
    status: 409,
    source: 'chaincode',
    what: 'the registration’s sourceMessageId again with other content',
    send: () => post(zab(), user('zabAdapter').token, cases.open, { ...eventBody('RECEPTION_ASSIGNED', { facility: CODES.facility }), sourceMessageId: registration.body.sourceMessageId }),
    caseId: () => cases.open,
  },
  {
    code: 'UNKNOWN_CODE_VALUE',
    status: 422,
    source: 'chaincode',
    what: 'a facility code that is not in the value list in force',
    send: () => post(zab(), user('zabAdapter').token, cases.open, eventBody('RECEPTION_ASSIGNED', { facility: 'AE-NO-SUCH-FACILITY' })),
    caseId: () => cases.open,
    details: { field: 'data.facility', list: 'facility' },
  },
];
const everyone = (): string[] => [...users.values()].map((u) => u.userId);

describe('the error table of domain.md §7, live through REST', () => {
  it.each(REFUSALS.map((r) => [`${r.code} ${r.status} (${r.source === 'gateway' ? 'gateway pre-check' : 'from the chaincode'}): ${r.what}`, r] as const))('%s — nothing written', async (_name, row) => {
    const caseId = row.caseId();
    const reader = user('zabCaseworker').token;
    const before = await timelineOf(gateways.zab, reader, caseId);
    const mark = await markLedger(probe);
    const res = await row.send();
    expect(res.status).toBe(row.status);
    expect(res.body).toMatchObject({ status: row.status, code: row.code, ...(row.details ? { details: expect.objectContaining(row.details) } : {}) });
    const written = await writtenSince(probe, mark, everyone());
    expect(written.ours).toEqual([]);
    expect(await timelineOf(gateways.zab, reader, caseId)).toEqual(before);
  });

  it('ALREADY_APPLIED 200 (from the chaincode): the same write again answers success with the original receipt and event, and commits nothing new', async () => {
    const mark = await markLedger(probe);
    const res = await post(zab(), user('zabAdapter').token, cases.open, registration.body);
    expect(res.status).toBe(200);
    const original = WriteResponseSchema.parse(res.body);
    expect(original.receipt).toEqual(registration.written.receipt);
    expect(original.event).toEqual(registration.written.event);
    expect((await writtenSince(probe, mark, everyone())).ours).toEqual([]);
  });

  it('RATE_LIMITED 429 (gateway): a burst above the token’s budget is refused with Retry-After; the next request after the pause succeeds', async () => {
    const token = user('rateLimited').token;
    const burst = await Promise.all(
      Array.from({ length: 90 }, () => fetch(`${gateways.zab.url}/api/v1/cases/${cases.open}`, { headers: { authorization: `Bearer ${token}` } }).then(async (r) => ({ status: r.status, retryAfter: r.headers.get('retry-after'), body: await r.json() }))),
    );
    const limited = burst.filter((r) => r.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    expect(burst.filter((r) => r.status !== 429).every((r) => r.status === 200)).toBe(true);
    expect(limited[0]).toMatchObject({ retryAfter: expect.stringMatching(/^\d+$/), body: { status: 429, code: 'RATE_LIMITED' } });
    await new Promise((resolve) => setTimeout(resolve, Number(limited[0]?.retryAfter ?? '1') * 1000));
    expect((await liveCall(gateways.zab.url, 'get', '/api/v1/cases/{caseId}', { token, params: { caseId: cases.open } })).status).toBe(200);
  });
});
