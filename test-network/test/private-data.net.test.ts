/**
 * Live: the private data collections of domain.md §2 on the real peers. `caseDetails` is shared by both
 * agencies and erasable by an admin; `zabEnforcement` is endorsed by ZAB alone and never reaches BAMF's peer.
 */
import { COLLECTIONS } from '@asl/chaincode/domain';
import { committedTransaction } from './support/committed-transaction';
import { applicationFiled, caseRegistered, fakeCaseDetails, newCaseId, newMessageId } from './support/cases';
import { LiveNetwork, type Agency } from './support/live-network';
import { refusalCodes } from './support/procedure';

const live = new LiveNetwork();
afterAll(() => live.close());

const bamfMsp = live.mspId('bamf');
const zabMsp = live.mspId('zab');

describe('caseDetails: shared by both agencies, erasable by an admin', () => {
  const caseId = newCaseId();
  const zabDetails = fakeCaseDetails('Testfall-ZAB');
  const bamfDetails = fakeCaseDetails('Testfall-BAMF');
  const details = (agency: Agency) => live.procedure({ agency, role: 'caseworker' }).getCaseDetails(caseId);

  beforeAll(async () => {
    await live.procedure({ agency: 'zab', role: 'adapter' }).recordEvent(caseRegistered(caseId), { caseDetails: zabDetails });
    await live.procedure({ agency: 'bamf', role: 'adapter' }).recordEvent(applicationFiled(caseId), { caseDetails: bamfDetails });
  });

  it("each agency's record is readable by both agencies, each through its own peer", async () => {
    for (const agency of ['bamf', 'zab'] as const) {
      const answer = await details(agency);
      expect(answer.records).toEqual([
        { agency: bamfMsp, status: 'PRESENT', record: expect.objectContaining({ agency: bamfMsp, details: bamfDetails }) },
        { agency: zabMsp, status: 'PRESENT', record: expect.objectContaining({ agency: zabMsp, details: zabDetails }) },
      ]);
    }
  });

  it('an admin purges both records; afterwards both peers say ERASED, and the purge is a visible event', async () => {
    const purge = await live.procedure({ agency: 'zab', role: 'admin' }).purge({
      caseId,
      collection: COLLECTIONS.caseDetails,
      sourceMessageId: newMessageId(),
      occurredAt: new Date().toISOString(),
    });
    expect(purge.answer.purged).toBe(2);
    expect(purge.answer.event).toMatchObject({ type: 'PERSONAL_DATA_PURGED', data: { collection: COLLECTIONS.caseDetails } });

    for (const agency of ['bamf', 'zab'] as const) {
      expect((await details(agency)).records).toEqual([
        { agency: bamfMsp, status: 'ERASED' },
        { agency: zabMsp, status: 'ERASED' },
      ]);
      const view = await live.procedure({ agency, role: 'caseworker' }).getCase(caseId);
      expect(view.purged).toEqual([COLLECTIONS.caseDetails]);
      expect(view.lastEvent).toMatchObject({ type: 'PERSONAL_DATA_PURGED', txId: purge.txId });
    }
  });
});

describe('zabEnforcement: endorsed by ZAB alone, never on BAMF’s peer', () => {
  const caseId = newCaseId();
  const enforcement = { kind: 'DEPORTATION', scheduledOn: '2026-12-28' } as const;
  let txId = '';

  beforeAll(async () => {
    const zab = live.procedure({ agency: 'zab', role: 'adapter' });
    await zab.recordEvent(caseRegistered(caseId));
    txId = (await zab.putEnforcement(caseId, enforcement, [zabMsp])).txId;
  });

  it('the write commits VALID with the endorsement of ZabSachsenMSP only, and ZAB reads it back', async () => {
    expect(await committedTransaction(live.network({ agency: 'zab', role: 'auditor' }), txId)).toEqual({
      validationCode: 'VALID',
      endorserMspIds: [zabMsp],
    });
    const read = await live.procedure({ agency: 'zab', role: 'caseworker' }).getEnforcement(caseId);
    expect(read).toMatchObject({ status: 'PRESENT', record: { txId, enforcement } });
  });

  it('a BAMF identity cannot read it: the chaincode refuses with NOT_OWNER', async () => {
    const refusal = await refusalCodes(live.procedure({ agency: 'bamf', role: 'caseworker' }).getEnforcement(caseId));
    expect(new Set(refusal.codes)).toEqual(new Set(['NOT_OWNER']));
  });

  it("even a ZAB identity cannot read it through BAMF's peer, which holds only the hash: Fabric refuses the read", async () => {
    const refusal = await refusalCodes(live.procedure({ agency: 'zab', role: 'caseworker' }, 'bamf').getEnforcement(caseId));
    // The peer answers GET_STATE with "private data matching public hash version is not available"; the
    // contract reports such peer failures as LEDGER_UNAVAILABLE / CHAINCODE_INTERNAL (chaincode wire-error.ts).
    expect(new Set(refusal.codes)).toEqual(new Set(['LEDGER_UNAVAILABLE']));
    expect(refusal.messages.join('\n')).not.toContain(enforcement.scheduledOn);
  });
});
