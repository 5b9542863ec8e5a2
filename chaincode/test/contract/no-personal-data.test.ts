import './support/quiet-logs';
import { TRANSACTIONS } from '../../src/contract/names';
import { CaseDetailsAnswerSchema, PutCaseDetailsAnswerSchema, PutEnforcementAnswerSchema, RecordAnswerSchema } from '../../src/domain';
import { Harness } from './support/harness';
import { ID, PERSONAL, SALT_A, bamfDetails, fakeCaseId, zabDetails, zabEnforcement } from './support/fixtures';
import { COURT_A, register } from './support/scenarios';

const CASE = fakeCaseId(1);
const PERSONAL_VALUES = Object.values(PERSONAL);

/**
 * A case's whole life with personal details in the transient data of every write that may carry them,
 * plus refusals whose inputs contain personal data: nothing in public state, chaincode events, public
 * answers or error messages may contain any of the personal fixture values.
 */
describe('no personal data in public state, events or errors', () => {
  it('holds over a full case with details, enforcement, refusals and a purge', async () => {
    const h = new Harness();
    await register(h, CASE, { transient: { caseDetails: zabDetails() } });
    await h.write(ID.bamfAdapter, CASE, 'APPLICATION_FILED', { filedOn: '2026-01-06' }, { transient: { caseDetails: bamfDetails() } });
    await h.ok(PutCaseDetailsAnswerSchema, ID.bamfCaseworker, TRANSACTIONS.PutCaseDetails, { caseId: CASE }, { transient: { caseDetails: bamfDetails() } });
    await h.write(ID.bamfAdapter, CASE, 'HEARING_SCHEDULED', { hearingOn: '2026-01-20' });
    h.at('2026-01-20');
    await h.write(ID.bamfAdapter, CASE, 'HEARING_HELD', {});
    h.at('2026-02-02');
    await h.write(ID.bamfAdapter, CASE, 'DECISION_ISSUED', { outcome: 'REJECTED_MANIFESTLY_UNFOUNDED', decidedOn: '2026-02-02' });
    h.at('2026-02-04');
    await h.write(ID.bamfAdapter, CASE, 'DECISION_SERVED', { servedOn: '2026-02-04' });
    h.at('2026-02-09');
    await h.write(ID.zabAdapter, CASE, 'RETURN_SCHEDULED', { kind: 'DEPORTATION' });
    await h.ok(PutEnforcementAnswerSchema, ID.zabCaseworker, TRANSACTIONS.PutEnforcement, { caseId: CASE }, { transient: { zabEnforcement: zabEnforcement() } });
    await h.write(ID.bamfCaseworker, CASE, 'URGENT_APPLICATION_FILED', { court: 'VG-DD-TEST', courtRef: COURT_A, filedOn: '2026-02-09' });

    await h.refused(ID.bamfAdapter, TRANSACTIONS.RecordEvent, h.envelope(CASE, 'APPLICATION_FILED', { filedOn: PERSONAL.dateOfBirth, note: PERSONAL.familyName }));
    await h.refused(ID.bamfAdapter, TRANSACTIONS.RecordEvent, `{"caseId":"${PERSONAL.azrNumber}","familyName":"${PERSONAL.familyName}"`);
    await h.refused(ID.bamfAdapter, TRANSACTIONS.RecordEvent, { caseId: PERSONAL.azrDigits, type: 'CASE_REGISTERED', sourceMessageId: PERSONAL.bamfFileNumber });
    await h.refused(ID.bamfAdapter, TRANSACTIONS.GetCase, { caseId: PERSONAL.azrDigits });
    await h.refused(ID.bamfAdapter, TRANSACTIONS.GetWrite, { sourceMessageId: PERSONAL.courtFileNumber });
    await h.refused(ID.bamfAdapter, TRANSACTIONS.PutCaseDetails, { caseId: CASE }, {
      transient: { caseDetails: JSON.stringify({ salt: SALT_A, familyName: PERSONAL.familyName, [PERSONAL.givenNames]: PERSONAL.dateOfBirth }) },
    });
    await h.refused(ID.bamfAdapter, TRANSACTIONS.PutCaseDetails, { caseId: CASE }, { transient: { caseDetails: `{"familyName":"${PERSONAL.familyName}"` } });
    await h.refused(ID.bamfAdapter, TRANSACTIONS.PutEnforcement, { caseId: CASE }, { transient: { zabEnforcement: zabEnforcement() } });
    await h.refused({ mspId: 'BamfMSP', enrollmentId: PERSONAL.givenNames, role: 'caseworker' }, TRANSACTIONS.GetCase, { caseId: CASE });

    await h.ok(CaseDetailsAnswerSchema, ID.zabCaseworker, TRANSACTIONS.GetCaseDetails, { caseId: CASE });
    for (const tx of [TRANSACTIONS.GetCase, TRANSACTIONS.GetTimeline]) await h.call(ID.bamfAuditor, tx, { caseId: CASE });
    await h.call(ID.bamfAuditor, TRANSACTIONS.ListCases, { phase: 'ENFORCEMENT' });
    h.at('2026-03-01');
    await h.ok(RecordAnswerSchema, ID.bamfAdmin, TRANSACTIONS.PurgePrivateData, { caseId: CASE, collection: 'caseDetails', sourceMessageId: 'purge-1', occurredAt: '2026-03-01T08:00:00+01:00' });

    expect(h.ledger.privateData.get('zabEnforcement')?.size).toBe(1);
    const publicText = [...h.ledger.publicText(), ...h.publicAnswers, ...h.errors].join('\n');
    expect(h.errors.length).toBeGreaterThanOrEqual(9);
    for (const value of PERSONAL_VALUES) expect(publicText).not.toContain(value);
    expect(publicText).not.toContain(SALT_A);
  });
});
