import { DomainError, ERROR_CODE_LIST, ERROR_CODES, formatError } from '@asl/chaincode/domain';
import { GatewayError, toProblem } from '../../src/http/problem';
import { call } from '../support/client';
import { CASE_ID, FAKE_PERSON, msgId, registerBody } from '../support/fixtures';
import { startGateway, TestClock, type TestGateway } from '../support/harness';

const EVENTS = '/api/v1/cases/{caseId}/events';
const at = '2026-11-26T12:00:00+01:00';

describe('toProblem: one mapping for any error', () => {
  it.each(ERROR_CODE_LIST)('maps %s to its HTTP status from the shared table', (code) => {
    const fromDomain = toProblem(new DomainError(code, { missing: ['X'] }));
    const fromGateway = toProblem(new GatewayError(code));
    const fromWire = toProblem(new Error(`10 ABORTED: failed to endorse transaction, see attached details for more info: ${formatError(code, {})}`));
    for (const m of [fromDomain, fromGateway, fromWire]) {
      expect(m.status).toBe(ERROR_CODES[code].http);
      expect(m.body).toMatchObject({ code, status: ERROR_CODES[code].http });
      expect(m.headers['content-type']).toBe('application/problem+json');
    }
    if (code === 'RATE_LIMITED' || code === 'LEDGER_UNAVAILABLE' || code === 'LEDGER_TIMEOUT') expect(fromGateway.headers['retry-after']).toMatch(/^\d+$/);
  });

  it('answers anything unknown with a generic 503 that reveals nothing', () => {
    const raw = new Error('14 UNAVAILABLE: No connection established. Last error: connect ECONNREFUSED 10.1.2.3:7051 (peer0.bamf, BamfMSP)');
    raw.stack = 'at secret (/srv/gateway/x.ts:1:1)';
    const m = toProblem(raw);
    expect(m.status).toBe(503);
    expect(JSON.stringify(m.body)).not.toMatch(/10\.1\.2\.3|7051|peer0|BamfMSP|ECONNREFUSED|secret/);
    expect(m.headers['retry-after']).toBe('5');
  });

  it('passes only whitelisted detail keys', () => {
    const m = toProblem(new DomainError('PRECONDITION_FAILED', { missing: ['HEARING_SCHEDULED'], azrNumber: FAKE_PERSON.azrNumber }));
    expect(m.body.details).toEqual({ missing: ['HEARING_SCHEDULED'] });
  });
});

describe('every error code over HTTP (in-memory ledger)', () => {
  let zab: TestGateway;
  let bamf: TestGateway;
  beforeEach(async () => {
    const clock = new TestClock();
    zab = await startGateway({ mspId: 'ZabSachsenMSP', clock, limits: { bodyBytes: 4096 } });
    bamf = await startGateway({ mspId: 'BamfMSP', clock, channel: zab.channel });
    const res = await call(zab, 'post', EVENTS, { token: zab.token.adapter, params: { caseId: CASE_ID }, body: registerBody() });
    expect(res.status).toBe(201);
  });
  afterEach(() => {
    zab.stop();
    bamf.stop();
  });

  async function post(gw: TestGateway, body: object, caseId = CASE_ID, token = gw.token.caseworker) {
    return call(gw, 'post', EVENTS, { token, params: { caseId }, body });
  }

  it('INVALID_INPUT 400 for unknown fields, wrong types, bad JSON and bad params — and nothing is written', async () => {
    const height = zab.channel.entries().length;
    const cases = [
      await post(zab, { type: 'RECEPTION_ASSIGNED', occurredAt: at, sourceMessageId: msgId(), data: { facility: 'X' }, status: 'CLOSED' }),
      await post(zab, { type: 'RECEPTION_ASSIGNED', occurredAt: at, sourceMessageId: msgId(), data: { facility: 'X', extra: 1 } }),
      await post(zab, { type: 'RECEPTION_ASSIGNED', occurredAt: 'yesterday', sourceMessageId: msgId(), data: { facility: 'X' } }),
      await post(zab, { type: 'NO_SUCH_TYPE', occurredAt: at, sourceMessageId: msgId(), data: {} }),
      await post(zab, { type: 'RECEPTION_ASSIGNED', occurredAt: at, sourceMessageId: msgId(), data: { facility: 'X' }, caseDetails: { familyName: FAKE_PERSON.familyName, shoeSize: 44 } }),
      await post(zab, { type: 'RECEPTION_ASSIGNED', occurredAt: at, sourceMessageId: msgId(), data: { facility: 'X' } }, 'not-a-case-id'),
      await call(zab, 'post', EVENTS, { token: zab.token.caseworker, params: { caseId: CASE_ID }, rawBody: '{"type": ' }),
      await call(zab, 'post', '/api/v1/case-ids', { token: zab.token.caseworker, body: { azrNumber: `${FAKE_PERSON.familyName}` } }),
      await call(zab, 'get', '/api/v1/cases', { token: zab.token.caseworker, query: { limit: '100000' } }),
      await call(zab, 'get', '/api/v1/cases', { token: zab.token.caseworker, query: { unknown: 'x' } }),
    ];
    for (const res of cases) {
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('INVALID_INPUT');
      expect(res.text).not.toContain(FAKE_PERSON.familyName);
    }
    expect(zab.channel.entries()).toHaveLength(height);
  });

  it('FORBIDDEN_ROLE 403 from the ledger (the chaincode checks roles again)', async () => {
    const res = await post(zab, { type: 'WARNING_ACKNOWLEDGED', occurredAt: at, sourceMessageId: msgId(), data: { code: 'RET_PROCEDURE_PENDING', anchorTxId: 'x' } }, CASE_ID, zab.token.adapter);
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('FORBIDDEN_ROLE');
  });

  it('NOT_OWNER 403, CASE_NOT_FOUND 404, CASE_EXISTS 409', async () => {
    const notOwner = await post(bamf, registerBody());
    expect([notOwner.status, notOwner.body.code]).toEqual([403, 'NOT_OWNER']);
    const other = 'c' + 'b'.repeat(31);
    const notFound = await post(bamf, { type: 'APPLICATION_FILED', occurredAt: at, sourceMessageId: msgId(), data: { filedOn: '2026-11-26' } }, other);
    expect([notFound.status, notFound.body.code]).toEqual([404, 'CASE_NOT_FOUND']);
    const read = await call(zab, 'get', '/api/v1/cases/{caseId}', { token: zab.token.auditor, params: { caseId: other } });
    expect([read.status, read.body.code]).toEqual([404, 'CASE_NOT_FOUND']);
    const exists = await post(zab, registerBody());
    expect([exists.status, exists.body.code]).toEqual([409, 'CASE_EXISTS']);
  });

  it('PRECONDITION_FAILED 409 with missing, CASE_CLOSED 409, IDEMPOTENCY_CONFLICT 409, ALREADY_APPLIED 200', async () => {
    const pre = await post(bamf, { type: 'HEARING_HELD', occurredAt: at, sourceMessageId: msgId(), data: {} });
    expect([pre.status, pre.body.code]).toEqual([409, 'PRECONDITION_FAILED']);
    expect(Object.keys(pre.body.details as object)).toEqual(expect.arrayContaining([expect.stringMatching(/missing|conflicting/)]));

    const id = msgId();
    const departed = await post(zab, { type: 'VOLUNTARY_DEPARTURE_RECORDED', occurredAt: at, sourceMessageId: id, data: { departedOn: '2026-11-26' } });
    expect(departed.status).toBe(201);
    const again = await post(zab, { type: 'VOLUNTARY_DEPARTURE_RECORDED', occurredAt: at, sourceMessageId: id, data: { departedOn: '2026-11-26' } });
    expect(again.status).toBe(200);
    expect(again.body.receipt).toEqual(departed.body.receipt);
    const conflict = await post(zab, { type: 'VOLUNTARY_DEPARTURE_RECORDED', occurredAt: at, sourceMessageId: id, data: { departedOn: '2026-11-25' } });
    expect([conflict.status, conflict.body.code]).toEqual([409, 'IDEMPOTENCY_CONFLICT']);
    const closed = await post(zab, { type: 'RECEPTION_ASSIGNED', occurredAt: at, sourceMessageId: msgId(), data: { facility: 'AE-L-TEST' } });
    expect([closed.status, closed.body.code]).toEqual([409, 'CASE_CLOSED']);
  });

  it('UNKNOWN_CODE_VALUE 422 as the ledger reports it', async () => {
    zab.channel.injectFault(new Error(`chaincode response 500, ${formatError('UNKNOWN_CODE_VALUE', { field: 'data.facility' })}`));
    const res = await post(zab, { type: 'RECEPTION_ASSIGNED', occurredAt: at, sourceMessageId: msgId(), data: { facility: 'NOPE' } });
    expect([res.status, res.body.code, res.body.details]).toEqual([422, 'UNKNOWN_CODE_VALUE', { field: 'data.facility' }]);
  });

  it('PAYLOAD_TOO_LARGE 413 and nothing is written', async () => {
    const height = zab.channel.entries().length;
    const res = await post(zab, { type: 'RECEPTION_ASSIGNED', occurredAt: at, sourceMessageId: msgId(), data: { facility: 'X'.repeat(10_000) } });
    expect([res.status, res.body.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
    expect(zab.channel.entries()).toHaveLength(height);
  });

  it('LEDGER_UNAVAILABLE 503 and LEDGER_TIMEOUT 504 with Retry-After and generic bodies; reads keep working from the read model', async () => {
    zab.channel.injectFault(new Error('14 UNAVAILABLE: connect ECONNREFUSED 10.1.2.3:7051'));
    const down = await post(zab, { type: 'RECEPTION_ASSIGNED', occurredAt: at, sourceMessageId: msgId(), data: { facility: 'AE-L-TEST' } });
    expect([down.status, down.body.code, down.headers['retry-after']]).toEqual([503, 'LEDGER_UNAVAILABLE', '5']);
    expect(down.text).not.toMatch(/10\.1\.2\.3|ECONNREFUSED/);
    zab.channel.injectFault('timeout');
    const slow = await post(zab, { type: 'RECEPTION_ASSIGNED', occurredAt: at, sourceMessageId: msgId(), data: { facility: 'AE-L-TEST' } });
    expect([slow.status, slow.body.code]).toEqual([504, 'LEDGER_TIMEOUT']);
    expect(slow.headers['retry-after']).toMatch(/^\d+$/);
    zab.channel.injectFault('unavailable');
    const read = await call(zab, 'get', '/api/v1/cases/{caseId}', { token: zab.token.caseworker, params: { caseId: CASE_ID } });
    expect(read.status).toBe(200);
  });
});

describe('RATE_LIMITED', () => {
  it('429 with Retry-After once a token used its burst; other tokens are unaffected', async () => {
    const gw = await startGateway({ limits: { rateBurst: 3, ratePerSecond: 0.5 } });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await call(gw, 'get', '/api/v1/actions', { token: gw.token.caseworker })).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const limited = await call(gw, 'get', '/api/v1/actions', { token: gw.token.caseworker });
    expect(limited.body.code).toBe('RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect((await call(gw, 'get', '/api/v1/actions', { token: gw.token.adapter })).status).toBe(200);
    gw.stop();
  });
});
