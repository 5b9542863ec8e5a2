import { caseIdFor, courtRefFor } from '@asl/chaincode/domain';
import { TEST_KEYS } from './harness';

/** Obviously fake identifying data; none of it may appear in a log line, URL or error body. */
export const FAKE_PERSON = {
  azrNumber: '9999 0000 1111',
  familyName: 'Mustermann-Testperson',
  givenNames: 'Erika Fixture',
  dateOfBirth: '1990-01-01',
  bamfFileNumber: '7777777-999',
  courtFileNumber: '99 K 4242/26.A',
} as const;

const newest = TEST_KEYS[0]!.key;

/** The case of {@link FAKE_PERSON} under the newest test key. */
export const CASE_ID = caseIdFor(newest, FAKE_PERSON.azrNumber);
/** Its court proceedings. */
export const COURT_REF = courtRefFor(newest, 'VG-DRESDEN', FAKE_PERSON.courtFileNumber);

let counter = 0;
/** A fresh sourceMessageId. */
export function msgId(prefix = 'msg'): string {
  counter += 1;
  return `${prefix}-${counter}-${Date.now().toString(36)}`;
}

/** Body of a `CASE_REGISTERED` request (ZAB) with caseDetails. */
export function registerBody(sourceMessageId = msgId()) {
  return {
    type: 'CASE_REGISTERED',
    occurredAt: '2026-11-26T09:00:00+01:00',
    sourceMessageId,
    data: { facility: 'AE-DD-TEST', registeredOn: '2026-11-25' },
    caseDetails: { familyName: FAKE_PERSON.familyName, givenNames: FAKE_PERSON.givenNames, dateOfBirth: FAKE_PERSON.dateOfBirth, azrNumber: FAKE_PERSON.azrNumber },
  };
}

/** Body of an `APPLICATION_FILED` request (BAMF). */
export function applicationBody(sourceMessageId = msgId()) {
  return {
    type: 'APPLICATION_FILED',
    occurredAt: '2026-11-26T10:00:00+01:00',
    sourceMessageId,
    data: { filedOn: '2026-11-26' },
    caseDetails: { bamfFileNumber: FAKE_PERSON.bamfFileNumber },
  };
}
