/** Obviously fake sample messages for every message type (test fixtures). */
import type { EventType } from '@asl/chaincode/domain';
import type { Message } from '../../src/message/codec';
import { eventMessageType } from '../../src/message/message-types';

export const FAKE_AZR = '000 111 222 33';
export const FAKE_BAMF = '1234567 - 999';
export const FAKE_CASE_ID = 'caaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
export const FAKE_COURT_REF = 'rbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb';

/** Message-form data per event type; court facts come in the clear (`courtProceedings`). */
export const SAMPLE_DATA: Record<EventType, Record<string, unknown>> = {
  CASE_REGISTERED: { facility: 'AE-DD-TEST', registeredOn: '2025-01-06' },
  RECEPTION_ASSIGNED: { facility: 'AE-L-TEST' },
  RESPONSIBILITY_TRANSFERRED: { authority: 'ABH-DD-TEST' },
  PERSON_ABSCONDED: {},
  PERSON_REAPPEARED: {},
  APPLICATION_FILED: { filedOn: '2025-01-08' },
  DUBLIN_PROCEDURE_STARTED: { memberState: 'IT' },
  DUBLIN_TRANSFER_ACCEPTED: { acceptedOn: '2025-02-03' },
  DUBLIN_DEADLINE_EXTENDED: { months: 18, basis: 'ABSCONDING' },
  DUBLIN_PROCEDURE_ENDED: { basis: 'SELF_ASSUMED' },
  HEARING_SCHEDULED: { hearingOn: '2025-02-10' },
  HEARING_HELD: {},
  HEARING_NOT_ATTENDED: { excused: true },
  REVOCATION_PROCEEDINGS_STARTED: {},
  DECISION_ISSUED: { outcome: 'REJECTED_MANIFESTLY_UNFOUNDED', decidedOn: '2025-03-03' },
  DECISION_SERVED: { servedOn: '2025-03-05' },
  DECISION_WITHDRAWN: { withdrawalReason: 'WITHDRAW-ERROR' },
  PROCEDURE_RESUMED: {},
  DECISION_FINAL: {},
  FOLLOW_UP_APPLICATION_FILED: { filedOn: '2025-06-02' },
  FOLLOW_UP_APPLICATION_DECIDED: { result: 'INADMISSIBLE', servedOn: '2025-06-20' },
  APPEAL_FILED: { court: 'VG-DRESDEN', courtProceedings: { court: 'VG-DRESDEN', fileNumber: '13 K 999/25.A' }, filedOn: '2025-03-10' },
  URGENT_APPLICATION_FILED: { court: 'VG-DRESDEN', courtProceedings: { court: 'VG-DRESDEN', fileNumber: '13 L 998/25.A' }, filedOn: '2025-03-10' },
  URGENT_APPLICATION_DECIDED: { courtRef: FAKE_COURT_REF, result: 'SUSPENSIVE_EFFECT_ORDERED', decidedOn: '2025-03-20' },
  COURT_PROCEEDINGS_CONCLUDED: { courtProceedings: { court: 'VG-DRESDEN', fileNumber: '13 K 999/25.A' }, result: 'DECISION_UPHELD', finalOn: '2025-09-01' },
  DEPORTATION_STAY_NOTIFIED: { courtProceedings: { court: 'VG-DRESDEN', fileNumber: '13 L 998/25.A' } },
  DEPORTATION_STAY_LIFTED: { courtRef: FAKE_COURT_REF },
  MUNICIPALITY_ALLOCATED: { municipality: '14612000', authority: 'ABH-DD-TEST', basis: 'PROTECTION' },
  TOLERATION_GRANTED: { validUntil: '2025-12-31' },
  TOLERATION_REVOKED: {},
  RETURN_SCHEDULED: { kind: 'DEPORTATION' },
  RETURN_EXECUTION_STARTED: {},
  RETURN_CANCELLED: { cancellationReason: 'CANCEL-ILLNESS' },
  RETURN_COMPLETED: { completedOn: '2025-10-01' },
  VOLUNTARY_DEPARTURE_RECORDED: { departedOn: '2025-10-02' },
  CASE_IMPORTED: {
    facts: [
      { type: 'CASE_REGISTERED', data: { facility: 'AE-DD-TEST', registeredOn: '2024-11-04' } },
      { type: 'HEARING_HELD', data: {} },
      { type: 'DUBLIN_DEADLINE_EXTENDED', data: { months: 12, basis: 'DETENTION' } },
      { type: 'APPEAL_FILED', data: { court: 'VG-DRESDEN', courtProceedings: { court: 'VG-DRESDEN', fileNumber: '13 K 1/24.A' }, filedOn: '2024-12-01' } },
    ],
  },
  WARNING_ACKNOWLEDGED: { code: 'RET_DEPORTATION_STAY', anchorTxId: 'tx-fake-0001' },
  EVENT_RETRACTED: { retractedTxId: 'tx-fake-0002', retractionReason: 'RETRACT-WRONG-DATA' },
  PERSONAL_DATA_PURGED: { collection: 'caseDetails' },
};

let counter = 0;

/** A fresh, obviously fake message id. */
export function fakeUuid(): string {
  counter += 1;
  return `00000000-fake-4000-8000-${String(counter).padStart(12, '0')}`;
}

/** An inbound event message as a case system would send it. */
export function sampleEventMessage(type: EventType, overrides: { uuid?: string; azr?: string; data?: Record<string, unknown> } = {}): Message {
  return {
    kind: 'event',
    eventType: type,
    body: {
      nachrichtenkopf: {
        nachrichtUUID: overrides.uuid ?? fakeUuid(),
        nachrichtentyp: eventMessageType(type).code,
        erstellungszeitpunkt: '2025-03-05T10:15:00+01:00',
        autor: { kennung: 'ZAB-SIM' },
        leser: { kennung: 'ZabSachsenMSP' },
      },
      identifikation: { azrNummer: overrides.azr ?? FAKE_AZR, bamfAktenzeichen: FAKE_BAMF },
      personendaten: { familyName: 'Mustermann-Fake', givenNames: 'Erika Ä', dateOfBirth: '1990-01', nationality: 'XXA' },
      ereignis: { eingetretenAm: '2025-03-05T10:00:00+01:00', daten: overrides.data ?? SAMPLE_DATA[type] },
    },
  };
}
