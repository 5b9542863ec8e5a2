/**
 * The system the browser tests drive: a ZAB gateway (createApp over the in-memory channel running the real
 * domain rules) listening on a free loopback port, a BAMF gateway on the same channel (its writes reach the
 * ZAB gateway's read model and event stream, as on the real channel). The browser and page helpers are in
 * browser-page.ts.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { seededChannel, startGateway, TestClock, type TestGateway } from '../support/harness';
import { msgId } from '../support/fixtures';

/** Records an event through a gateway's REST API as the given role; fails the test on refusal. */
export async function record(gw: TestGateway, role: 'adapter' | 'caseworker', caseId: string, type: string, data: Record<string, unknown>, extra: { occurredAt?: string; caseDetails?: Record<string, unknown> } = {}) {
  const res = await request(gw.app)
    .post(`/api/v1/cases/${caseId}/events`)
    .set('authorization', `Bearer ${gw.token[role]}`)
    .send({ type, occurredAt: extra.occurredAt ?? '2026-11-26T09:00:00+01:00', sourceMessageId: msgId(type.toLowerCase().replace(/_/g, '-')), data, ...(extra.caseDetails ? { caseDetails: extra.caseDetails } : {}) });
  if (res.status !== 201) throw new Error(`${type} refused: ${res.status} ${res.text}`);
  return res.body as { receipt: { txId: string } };
}

/** Starts both gateways and serves the ZAB one over HTTP. */
export async function startUiSystem() {
  const clock = new TestClock();
  const channel = await seededChannel(clock);
  const zab = await startGateway({ mspId: 'ZabSachsenMSP', channel, clock });
  const bamf = await startGateway({ mspId: 'BamfMSP', channel, clock });
  const server: Server = createServer(zab.app);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    clock,
    channel,
    zab,
    bamf,
    baseUrl,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
      zab.stop();
      bamf.stop();
    },
  };
}

/** A system from {@link startUiSystem}. */
export type UiSystem = Awaited<ReturnType<typeof startUiSystem>>;

/** A second, obviously fake person whose case has a long timeline (the 200-event rendering measurement). */
export const LONG_CASE_AZR = '1234 5678 9012';

/**
 * Seeds the shared scenario on the channel: the case of FAKE_PERSON written by both agencies up to a scheduled
 * deportation inside the appeal and departure periods (BLOCKING clock warnings, deadlines running), and a second
 * case with `longEvents` events.
 */
export async function seedScenario(sys: UiSystem, caseId: string, person: Record<string, string>, longCaseId: string, longEvents: number) {
  const { zab, bamf } = sys;
  await record(zab, 'adapter', caseId, 'CASE_REGISTERED', { facility: 'AE-DD-TEST', registeredOn: '2026-11-02' }, {
    occurredAt: '2026-11-02T09:00:00+01:00',
    caseDetails: { familyName: person.familyName!, givenNames: person.givenNames!, dateOfBirth: person.dateOfBirth!, azrNumber: person.azrNumber! },
  });
  const reception = await record(zab, 'adapter', caseId, 'RECEPTION_ASSIGNED', { facility: 'AE-L-TEST' }, { occurredAt: '2026-11-02T10:00:00+01:00' });
  await record(bamf, 'adapter', caseId, 'APPLICATION_FILED', { filedOn: '2026-11-03' }, { occurredAt: '2026-11-03T11:00:00+01:00', caseDetails: { bamfFileNumber: person.bamfFileNumber! } });
  await record(bamf, 'adapter', caseId, 'HEARING_SCHEDULED', { hearingOn: '2026-11-10' }, { occurredAt: '2026-11-04T08:30:00+01:00' });
  await record(bamf, 'adapter', caseId, 'HEARING_HELD', {}, { occurredAt: '2026-11-10T14:00:00+01:00' });
  await record(bamf, 'adapter', caseId, 'DECISION_ISSUED', { outcome: 'REJECTED_MANIFESTLY_UNFOUNDED', decidedOn: '2026-11-20' }, { occurredAt: '2026-11-20T12:00:00+01:00' });
  await record(bamf, 'adapter', caseId, 'DECISION_SERVED', { servedOn: '2026-11-24' }, { occurredAt: '2026-11-24T09:00:00+01:00' });
  const scheduled = await record(zab, 'adapter', caseId, 'RETURN_SCHEDULED', { kind: 'DEPORTATION' }, { occurredAt: '2026-11-25T16:00:00+01:00' });

  await record(zab, 'adapter', longCaseId, 'CASE_REGISTERED', { facility: 'AE-DD-TEST', registeredOn: '2026-10-01' });
  for (let i = 1; i < longEvents; i += 1) {
    await record(zab, 'adapter', longCaseId, i % 2 === 1 ? 'PERSON_ABSCONDED' : 'PERSON_REAPPEARED', {});
  }
  return { receptionTxId: reception.receipt.txId, scheduledTxId: scheduled.receipt.txId };
}
