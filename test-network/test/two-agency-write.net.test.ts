/**
 * Live: a case written by both agencies, each with its own adapter identity through its own peer, endorsed by
 * both agencies' peers and seen alike by both (domain.md §1: endorsement AND(BamfMSP, ZabSachsenMSP)).
 */
import { committedTransaction } from './support/committed-transaction';
import { applicationFiled, caseRegistered, newCaseId } from './support/cases';
import { LiveNetwork } from './support/live-network';

const live = new LiveNetwork();
afterAll(() => live.close());

describe('a case written by both agencies', () => {
  const caseId = newCaseId();
  const bamfMsp = live.mspId('bamf');
  const zabMsp = live.mspId('zab');

  it('ZAB registers and BAMF files the application, each through its own peer; both peers answer the same case view, and both transactions carry the endorsements of exactly BAMF and ZAB', async () => {
    const registered = await live.procedure({ agency: 'zab', role: 'adapter' }).recordEvent(caseRegistered(caseId));
    const filed = await live.procedure({ agency: 'bamf', role: 'adapter' }).recordEvent(applicationFiled(caseId));
    expect(registered.answer.event.actor).toMatchObject({ mspId: zabMsp, role: 'adapter' });
    expect(filed.answer.event.actor).toMatchObject({ mspId: bamfMsp, role: 'adapter' });

    const onBamfPeer = await live.procedure({ agency: 'bamf', role: 'caseworker' }).getCase(caseId);
    const onZabPeer = await live.procedure({ agency: 'zab', role: 'caseworker' }).getCase(caseId);
    expect(onZabPeer).toEqual(onBamfPeer);
    expect(onBamfPeer).toMatchObject({
      caseId,
      phase: 'PROCEDURE',
      flags: { registered: true, procedurePending: true },
      responsibleAuthority: zabMsp,
      eventCount: 2,
      lastEvent: { type: 'APPLICATION_FILED', txId: filed.txId },
    });

    for (const [write, peerOf] of [
      [registered, 'bamf'],
      [filed, 'zab'],
    ] as const) {
      const tx = await committedTransaction(live.network({ agency: peerOf, role: 'auditor' }), write.txId);
      expect(tx).toEqual({ validationCode: 'VALID', endorserMspIds: [bamfMsp, zabMsp] });
    }
  });
});
