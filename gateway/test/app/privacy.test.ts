import { call, REQUESTED_URLS } from '../support/client';
import { applicationBody, CASE_ID, FAKE_PERSON, msgId, registerBody } from '../support/fixtures';
import { startGateway, TestClock } from '../support/harness';

const IDENTIFYING = [
  FAKE_PERSON.azrNumber,
  FAKE_PERSON.azrNumber.replace(/ /g, ''),
  FAKE_PERSON.familyName,
  FAKE_PERSON.givenNames,
  FAKE_PERSON.bamfFileNumber,
  FAKE_PERSON.courtFileNumber,
  FAKE_PERSON.courtFileNumber.replace(/ /g, ''),
];

describe('no identifying data in logs, URLs or error bodies', () => {
  it('holds across writes, reads, details, refusals and pseudonym requests of both gateways', async () => {
    const clock = new TestClock();
    const zab = await startGateway({ mspId: 'ZabSachsenMSP', clock });
    const bamf = await startGateway({ mspId: 'BamfMSP', clock, channel: zab.channel });
    const errorBodies: string[] = [];
    const track = async (p: ReturnType<typeof call>) => {
      const res = await p;
      if (res.status >= 400) errorBodies.push(res.text);
      return res;
    };
    const EVENTS = '/api/v1/cases/{caseId}/events';
    await track(call(zab, 'post', '/api/v1/case-ids', { token: zab.token.adapter, body: { azrNumber: FAKE_PERSON.azrNumber } }));
    await track(call(zab, 'post', '/api/v1/case-ids', { token: zab.token.adapter, body: { azrNumber: FAKE_PERSON.familyName } }));
    await track(call(zab, 'post', '/api/v1/court-refs', { token: zab.token.adapter, body: { court: 'VG-DRESDEN', fileNumber: FAKE_PERSON.courtFileNumber } }));
    await track(call(zab, 'post', '/api/v1/court-refs', { token: zab.token.adapter, body: { court: 'VG|DD', fileNumber: FAKE_PERSON.courtFileNumber } }));
    await track(call(zab, 'post', EVENTS, { token: zab.token.adapter, params: { caseId: CASE_ID }, body: registerBody() }));
    await track(call(zab, 'post', EVENTS, { token: zab.token.adapter, params: { caseId: CASE_ID }, body: registerBody() }));
    await track(call(bamf, 'post', EVENTS, { token: bamf.token.adapter, params: { caseId: CASE_ID }, body: applicationBody() }));
    await track(call(bamf, 'post', EVENTS, { token: bamf.token.adapter, params: { caseId: CASE_ID }, body: { ...applicationBody(), caseDetails: { familyName: FAKE_PERSON.familyName, nickname: FAKE_PERSON.givenNames } } }));
    await track(call(bamf, 'post', EVENTS, { token: bamf.token.adapter, params: { caseId: CASE_ID }, body: { type: 'APPEAL_FILED', occurredAt: '2026-11-26T12:00:00+01:00', sourceMessageId: msgId(), data: { court: 'VG-DRESDEN', courtRef: FAKE_PERSON.courtFileNumber, filedOn: '2026-11-26' } } }));
    await track(call(bamf, 'get', '/api/v1/cases/{caseId}/details', { token: bamf.token.caseworker, params: { caseId: CASE_ID } }));
    await track(call(zab, 'get', '/api/v1/cases/{caseId}', { token: zab.token.caseworker, params: { caseId: CASE_ID } }));
    zab.channel.injectFault(new Error(`peer failed while handling ${FAKE_PERSON.familyName}`));
    await track(call(zab, 'post', EVENTS, { token: zab.token.adapter, params: { caseId: CASE_ID }, body: { type: 'RECEPTION_ASSIGNED', occurredAt: '2026-11-26T12:00:00+01:00', sourceMessageId: msgId(), data: { facility: 'AE-L-TEST' } } }));

    const logs = [...zab.logLines, ...bamf.logLines];
    expect(logs.length).toBeGreaterThan(10);
    expect(logs.some((l) => l.includes(`"caseId":"${CASE_ID}"`) && l.includes('"txId"'))).toBe(true);
    expect(errorBodies.length).toBeGreaterThanOrEqual(5);
    for (const value of IDENTIFYING) {
      for (const line of logs) expect(line).not.toContain(value);
      for (const url of REQUESTED_URLS) expect(decodeURIComponent(url)).not.toContain(value);
      for (const body of errorBodies) expect(body).not.toContain(value);
    }
    zab.stop();
    bamf.stop();
  });
});
