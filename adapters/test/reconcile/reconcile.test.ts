import { caseIdFor } from '@asl/chaincode/domain';
import { HttpGatewayClient } from '../../src/core/gateway-client';
import { HttpGatewayReader } from '../../src/outbound/gateway-reader';
import { reconcile, type SentMessage } from '../../src/reconcile/reconcile';
import { LEDGER_KEY, startFakeNetwork } from '../support/fake-ledger';

const AZR = '999 00 0000 777';

describe('reconciliation report', () => {
  it('reports missing, extra and mismatched messages by id, type and pseudonym only — AZR numbers on request', async () => {
    const net = await startFakeNetwork();
    try {
      const caseId = caseIdFor(LEDGER_KEY, AZR);
      const w = (msp: string, id: string, type: string, data: Record<string, unknown>) =>
        net.ledger.write(msp, { caseId, type, occurredAt: '2026-10-01T08:00:00Z', sourceMessageId: id, data });
      w('ZabSachsenMSP', 'z-1', 'CASE_REGISTERED', { facility: 'AE-DD-TEST', registeredOn: '2026-10-01' });
      w('BamfMSP', 'b-1', 'APPLICATION_FILED', { filedOn: '2026-10-02' });
      w('BamfMSP', 'b-2', 'HEARING_SCHEDULED', { hearingOn: '2026-10-20' });
      w('BamfMSP', 'b-extra', 'HEARING_HELD', {});
      const sent: SentMessage[] = [
        { nachrichtUUID: 'b-1', eventType: 'APPLICATION_FILED', azrNummer: AZR, occurredAt: '2026-10-01T10:00:00+02:00', data: { filedOn: '2026-10-02' } },
        { nachrichtUUID: 'b-2', eventType: 'HEARING_SCHEDULED', azrNummer: AZR, data: { hearingOn: '2026-10-21' } },
        { nachrichtUUID: 'b-lost', eventType: 'DECISION_ISSUED', azrNummer: AZR },
      ];
      const deps = {
        agency: 'BamfMSP',
        sent,
        gateway: new HttpGatewayClient({ baseUrl: net.bamf.url, token: net.bamf.token, timeoutMs: 2_000 }),
        reader: new HttpGatewayReader({ baseUrl: net.bamf.url, token: net.bamf.token, timeoutMs: 2_000 }),
      };
      const report = await reconcile(deps);
      expect(report).toMatchObject({ agency: 'BamfMSP', cases: 1, sent: 3, matched: 1, unreadable: 0 });
      expect(report.missing).toEqual([{ nachrichtUUID: 'b-lost', eventType: 'DECISION_ISSUED', caseId }]);
      expect(report.extra.map((e) => [e.nachrichtUUID, e.eventType])).toEqual([['b-extra', 'HEARING_HELD']]);
      expect(report.mismatched.map((e) => [e.nachrichtUUID, e.fields])).toEqual([['b-2', ['data.hearingOn']]]);
      // The AZR number as sent and normalised; not a fragment of it, which a random hex txId may contain.
      for (const form of [AZR, AZR.replace(/ /g, '')]) expect(JSON.stringify(report)).not.toContain(form);
      const revealed = await reconcile({ ...deps, reveal: true });
      expect(revealed.missing[0]?.azrNummer).toBe(AZR);
    } finally {
      await net.stop();
    }
  });

  it('tries a read the gateway answers "not now" again (no answer, 429 with Retry-After, 5xx) and counts a case unreadable only after that', async () => {
    const waits: number[] = [];
    const answers = [{ ok: false as const, status: 429, retryAfterMs: 2_000 }, { ok: false as const, status: 0 }, { ok: true as const, value: 'c-1' }];
    const timelines = [{ ok: false as const, status: 503 }, { ok: true as const, value: [{ type: 'APPLICATION_FILED', occurredAt: '2026-10-01T08:00:00.000Z', data: {}, sourceMessageId: 'b-1', writer: 'BamfMSP', txId: 't1', retracted: false }] }];
    const sent: SentMessage[] = [{ nachrichtUUID: 'b-1', eventType: 'APPLICATION_FILED', azrNummer: AZR }];
    const retry = { sleep: (ms: number) => (waits.push(ms), Promise.resolve()) };
    const report = await reconcile({
      agency: 'BamfMSP',
      sent,
      gateway: { caseId: () => Promise.resolve(answers.shift() ?? { ok: false, status: 500 }) },
      reader: { timeline: () => Promise.resolve(timelines.shift() ?? { ok: false, status: 500 }) },
      retry,
    });
    expect(report).toMatchObject({ matched: 1, unreadable: 0 });
    expect(waits).toEqual([2_000, 1_000, 500]); // Retry-After wins over the first backoff; then 500 · 2^n

    // a refusal is not "not now": no second try; a read that stays unavailable counts after the attempts
    let refusals = 0;
    const refused = await reconcile({ agency: 'BamfMSP', sent, gateway: { caseId: () => (refusals++, Promise.resolve({ ok: false, status: 403 })) }, reader: { timeline: () => Promise.resolve({ ok: false, status: 500 }) }, retry });
    expect([refused.unreadable, refusals]).toEqual([1, 1]);
    let tries = 0;
    const down = await reconcile({ agency: 'BamfMSP', sent, gateway: { caseId: () => Promise.resolve({ ok: true, value: 'c-1' }) }, reader: { timeline: () => (tries++, Promise.resolve({ ok: false, status: 503 })) }, retry: { ...retry, attempts: 3 } });
    expect([down.unreadable, tries]).toEqual([1, 3]);
  });
});
