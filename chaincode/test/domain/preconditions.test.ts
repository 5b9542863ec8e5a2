/**
 * Every event type × the facts it requires (domain.md §3): accepted when present; PRECONDITION_FAILED with
 * `missing` or `conflicting` when not; NOT_OWNER for the other agency; FORBIDDEN_ROLE for auditors;
 * CASE_CLOSED on closed cases where §3 says so.
 */
import { EVENT_TYPES, EVENT_WRITER, isRefusedWhenClosed, type ErrorCode, type EventType } from '../../src/domain';
import {
  BAMF,
  COURT_A,
  COURT_B,
  TestLedger,
  ZAB,
  bamfAdapter,
  bamfAdmin,
  bamfAuditor,
  bamfCaseworker,
  writerOf,
  zabAdapter,
  zabAdmin,
  zabAuditor,
  zabCaseworker,
  type TestActor,
} from './fixtures';
import {
  appealFiled,
  closedByDeparture,
  decided,
  dublinAccepted,
  dublinStarted,
  final,
  followUpFiled,
  followUpInadmissible,
  hearingScheduled,
  heard,
  nothing,
  pending,
  registered,
  returnScheduled,
  revocationHeard,
  served,
  suspensiveOrdered,
  then,
  urgentFiled,
  type Setup,
} from './setups';

type Expectation = 'ok' | { missing: string[] } | { conflicting: string[] } | { code: ErrorCode };

interface Case {
  readonly name: string;
  readonly setup: Setup;
  readonly expect: Expectation;
  readonly data?: unknown;
  /** Berlin date of the write, if not the last setup write's. */
  readonly today?: string;
  readonly actor?: TestActor;
}

interface Row {
  readonly data: unknown;
  readonly cases: readonly Case[];
}

const w = (l: TestLedger, type: EventType, data: unknown, actor?: TestActor): void => {
  l.write(type, data, actor);
};

const fac = { facility: 'AE-DD-TEST' };
const appeal = { court: 'VG-DD-TEST', courtRef: COURT_A, filedOn: '2026-02-10' };
const urgent = { court: 'VG-DD-TEST', courtRef: COURT_A, filedOn: '2026-02-06' };

/** Record<EventType, …>: the compiler refuses a table that leaves out an event type. */
const TABLE: Record<EventType, Row> = {
  CASE_REGISTERED: {
    data: { facility: 'AE-DD-TEST', registeredOn: '2026-01-05' },
    cases: [
      { name: 'new case', setup: nothing, expect: 'ok' },
      { name: 'case exists', setup: registered, expect: { code: 'CASE_EXISTS' } },
    ],
  },
  RECEPTION_ASSIGNED: {
    data: fac,
    cases: [
      { name: 'registered', setup: registered, expect: 'ok' },
      { name: 'no case', setup: nothing, expect: { code: 'CASE_NOT_FOUND' } },
    ],
  },
  RESPONSIBILITY_TRANSFERRED: {
    data: { authority: 'ABH-LEIPZIG-TEST' },
    cases: [
      { name: 'registered', setup: registered, expect: 'ok' },
      { name: 'closed case still accepts it', setup: closedByDeparture, expect: 'ok' },
    ],
  },
  PERSON_ABSCONDED: {
    data: {},
    cases: [
      { name: 'registered', setup: registered, expect: 'ok' },
      { name: 'already absconded', setup: then(registered, (l) => w(l, 'PERSON_ABSCONDED', {})), expect: { conflicting: ['PERSON_ABSCONDED'] } },
    ],
  },
  PERSON_REAPPEARED: {
    data: {},
    cases: [
      { name: 'absconded', setup: then(registered, (l) => w(l, 'PERSON_ABSCONDED', {})), expect: 'ok' },
      { name: 'not absconded', setup: registered, expect: { missing: ['PERSON_ABSCONDED'] } },
    ],
  },
  APPLICATION_FILED: {
    data: { filedOn: '2026-01-06' },
    cases: [
      { name: 'registered', setup: registered, expect: 'ok' },
      { name: 'procedure pending', setup: pending, expect: { conflicting: ['PROCEDURE_PENDING'] } },
    ],
  },
  DUBLIN_PROCEDURE_STARTED: {
    data: { memberState: 'PL' },
    cases: [
      { name: 'procedure pending', setup: pending, expect: 'ok' },
      { name: 'no procedure', setup: registered, expect: { missing: ['PROCEDURE_PENDING'] } },
      { name: 'already running', setup: dublinStarted, expect: { conflicting: ['DUBLIN_PROCEDURE_STARTED'] } },
    ],
  },
  DUBLIN_TRANSFER_ACCEPTED: {
    data: { acceptedOn: '2026-01-30' },
    cases: [
      { name: 'Dublin running', setup: dublinStarted, expect: 'ok' },
      { name: 'no Dublin procedure', setup: pending, expect: { missing: ['DUBLIN_PROCEDURE_STARTED'] } },
      { name: 'already accepted', setup: dublinAccepted, expect: { conflicting: ['DUBLIN_TRANSFER_ACCEPTED'] } },
    ],
  },
  DUBLIN_DEADLINE_EXTENDED: {
    data: { months: 12, basis: 'DETENTION' },
    cases: [
      { name: 'accepted and running', setup: dublinAccepted, expect: 'ok' },
      { name: 'not accepted', setup: dublinStarted, expect: { missing: ['DUBLIN_TRANSFER_ACCEPTED'] } },
      {
        name: 'Dublin ended',
        setup: then(dublinAccepted, (l) => w(l, 'DUBLIN_PROCEDURE_ENDED', { basis: 'SELF_ASSUMED' })),
        expect: { missing: ['DUBLIN_PROCEDURE_STARTED'] },
      },
      {
        name: 'already extended',
        setup: then(dublinAccepted, (l) => w(l, 'DUBLIN_DEADLINE_EXTENDED', { months: 18, basis: 'ABSCONDING' })),
        expect: { conflicting: ['DUBLIN_DEADLINE_EXTENDED'] },
      },
    ],
  },
  DUBLIN_PROCEDURE_ENDED: {
    data: { basis: 'REQUEST_REFUSED' },
    cases: [
      { name: 'running', setup: dublinStarted, expect: 'ok' },
      { name: 'not running', setup: pending, expect: { missing: ['DUBLIN_PROCEDURE_STARTED'] } },
    ],
  },
  HEARING_SCHEDULED: {
    data: { hearingOn: '2026-01-20' },
    cases: [
      { name: 'procedure pending', setup: pending, expect: 'ok' },
      { name: 'rescheduling', setup: hearingScheduled, expect: 'ok' },
      { name: 'no procedure', setup: registered, expect: { missing: ['PROCEDURE_PENDING'] } },
    ],
  },
  HEARING_HELD: {
    data: {},
    cases: [
      { name: 'scheduled', setup: hearingScheduled, expect: 'ok' },
      { name: 'not scheduled', setup: pending, expect: { missing: ['HEARING_SCHEDULED'] } },
      { name: 'already held', setup: heard, expect: { conflicting: ['HEARING_HELD'] } },
    ],
  },
  HEARING_NOT_ATTENDED: {
    data: { excused: false },
    cases: [
      { name: 'scheduled', setup: hearingScheduled, expect: 'ok' },
      { name: 'not scheduled', setup: pending, expect: { missing: ['HEARING_SCHEDULED'] } },
      { name: 'already held', setup: heard, expect: { conflicting: ['HEARING_HELD'] } },
      {
        name: 'already not attended',
        setup: then(hearingScheduled, (l) => w(l, 'HEARING_NOT_ATTENDED', { excused: true })),
        expect: { conflicting: ['HEARING_NOT_ATTENDED'] },
      },
    ],
  },
  REVOCATION_PROCEEDINGS_STARTED: {
    data: {},
    cases: [
      { name: 'protection in force', setup: served('SUBSIDIARY_PROTECTION_GRANTED'), expect: 'ok' },
      { name: 'negative decision', setup: served('REJECTED_UNFOUNDED'), expect: { missing: ['PROTECTION_IN_FORCE'] } },
      { name: 'procedure pending', setup: then(served('ASYLUM_GRANTED'), (l) => w(l, 'REVOCATION_PROCEEDINGS_STARTED', {})), expect: { conflicting: ['PROCEDURE_PENDING'] } },
    ],
  },
  DECISION_ISSUED: {
    data: { outcome: 'REJECTED_UNFOUNDED', decidedOn: '2026-02-02' },
    cases: [
      { name: 'hearing held', setup: heard, expect: 'ok' },
      {
        name: 'hearing not attended',
        setup: then(hearingScheduled, (l) => w(l, 'HEARING_NOT_ATTENDED', { excused: false })),
        expect: 'ok',
      },
      { name: 'no hearing scheduled', setup: pending, expect: { missing: ['HEARING_SCHEDULED'] } },
      { name: 'hearing scheduled, not held', setup: hearingScheduled, expect: { missing: ['HEARING_HELD'] } },
      { name: 'no procedure pending', setup: registered, expect: { missing: ['PROCEDURE_PENDING'] } },
      { name: 'decided already', setup: decided('REJECTED_UNFOUNDED'), expect: { missing: ['PROCEDURE_PENDING'] } },
      ...(['ASYLUM_GRANTED', 'REFUGEE_STATUS_GRANTED', 'SUBSIDIARY_PROTECTION_GRANTED', 'DEPORTATION_BAN_ESTABLISHED', 'DISCONTINUED', 'INADMISSIBLE_OTHER'] as const).map(
        (outcome): Case => ({ name: `${outcome} without hearing`, setup: pending, data: { outcome, decidedOn: '2026-02-02' }, expect: 'ok' }),
      ),
      ...(['REJECTED_MANIFESTLY_UNFOUNDED', 'REJECTED_UNFOUNDED'] as const).map(
        (outcome): Case => ({ name: `${outcome} without hearing`, setup: pending, data: { outcome, decidedOn: '2026-02-02' }, expect: { missing: ['HEARING_SCHEDULED'] } }),
      ),
      { name: 'INADMISSIBLE_DUBLIN with transfer accepted', setup: dublinAccepted, data: { outcome: 'INADMISSIBLE_DUBLIN', decidedOn: '2026-02-02' }, expect: 'ok' },
      { name: 'INADMISSIBLE_DUBLIN without acceptance', setup: dublinStarted, data: { outcome: 'INADMISSIBLE_DUBLIN', decidedOn: '2026-02-02' }, expect: { missing: ['DUBLIN_TRANSFER_ACCEPTED'] } },
      { name: 'PROTECTION_REVOKED in revocation proceedings', setup: revocationHeard, data: { outcome: 'PROTECTION_REVOKED', decidedOn: '2026-06-20' }, expect: 'ok' },
      { name: 'PROTECTION_REVOKED outside revocation', setup: heard, data: { outcome: 'PROTECTION_REVOKED', decidedOn: '2026-02-02' }, expect: { conflicting: ['APPLICATION_FILED'] } },
      { name: 'protection confirmed in revocation proceedings', setup: revocationHeard, data: { outcome: 'REFUGEE_STATUS_GRANTED', decidedOn: '2026-06-20' }, expect: 'ok' },
      { name: 'a rejection in revocation proceedings', setup: revocationHeard, data: { outcome: 'REJECTED_UNFOUNDED', decidedOn: '2026-06-20' }, expect: { conflicting: ['REVOCATION_PROCEEDINGS_STARTED'] } },
    ],
  },
  DECISION_SERVED: {
    data: { servedOn: '2026-02-04' },
    cases: [
      { name: 'issued', setup: decided('REJECTED_UNFOUNDED'), expect: 'ok' },
      { name: 'nothing issued', setup: pending, expect: { missing: ['DECISION_ISSUED'] } },
      { name: 'already served', setup: served('REJECTED_UNFOUNDED'), expect: { conflicting: ['DECISION_SERVED'] } },
    ],
  },
  DECISION_WITHDRAWN: {
    data: { withdrawalReason: 'ERROR-TEST' },
    cases: [
      { name: 'issued', setup: decided('REJECTED_UNFOUNDED'), expect: 'ok' },
      { name: 'final', setup: final('REJECTED_UNFOUNDED'), expect: 'ok' },
      { name: 'nothing issued', setup: pending, expect: { missing: ['DECISION_ISSUED'] } },
    ],
  },
  PROCEDURE_RESUMED: {
    data: {},
    cases: [
      { name: 'discontinued', setup: served('DISCONTINUED'), expect: 'ok' },
      { name: 'other outcome', setup: served('REJECTED_UNFOUNDED'), expect: { conflicting: ['DECISION_ISSUED'] } },
      { name: 'no decision', setup: registered, expect: { missing: ['DECISION_ISSUED'] } },
      { name: 'procedure pending', setup: pending, expect: { conflicting: ['PROCEDURE_PENDING'] } },
    ],
  },
  DECISION_FINAL: {
    data: {},
    cases: [
      // served Wed 2026-02-04, two weeks: deadline Wed 2026-02-18
      { name: 'remedy deadline passed', setup: served('REJECTED_UNFOUNDED'), today: '2026-02-19', expect: 'ok' },
      { name: 'on the last day of the deadline', setup: served('REJECTED_UNFOUNDED'), today: '2026-02-18', expect: { missing: ['REMEDY_DEADLINE_PASSED'] } },
      { name: 'one week for manifestly unfounded', setup: served('REJECTED_MANIFESTLY_UNFOUNDED'), today: '2026-02-12', expect: 'ok' },
      { name: 'not served', setup: decided('REJECTED_UNFOUNDED'), today: '2026-03-30', expect: { missing: ['DECISION_SERVED'] } },
      { name: 'appeal pending', setup: appealFiled, today: '2026-03-30', expect: { missing: ['COURT_PROCEEDINGS_CONCLUDED'] } },
      { name: 'urgent application pending', setup: urgentFiled, today: '2026-03-30', expect: { missing: ['COURT_PROCEEDINGS_CONCLUDED'] } },
      {
        name: 'court proceedings concluded',
        setup: then(appealFiled, (l) => w(l, 'COURT_PROCEEDINGS_CONCLUDED', { courtRef: COURT_A, result: 'APPEAL_WITHDRAWN', finalOn: '2026-02-12' })),
        today: '2026-02-13',
        expect: 'ok',
      },
      { name: 'already final', setup: final('REJECTED_UNFOUNDED'), expect: { conflicting: ['DECISION_FINAL'] } },
      { name: 'no decision', setup: pending, expect: { missing: ['DECISION_ISSUED'] } },
    ],
  },
  FOLLOW_UP_APPLICATION_FILED: {
    data: { filedOn: '2026-05-04' },
    cases: [
      { name: 'last decision final', setup: final('REJECTED_UNFOUNDED'), expect: 'ok' },
      { name: 'discontinued and served', setup: served('DISCONTINUED'), expect: 'ok' },
      { name: 'case closed', setup: closedByDeparture, expect: 'ok' },
      { name: 'not final', setup: served('REJECTED_UNFOUNDED'), expect: { missing: ['DECISION_FINAL'] } },
      { name: 'discontinued, not served', setup: decided('DISCONTINUED'), expect: { missing: ['DECISION_SERVED'] } },
      { name: 'procedure pending', setup: pending, expect: { conflicting: ['PROCEDURE_PENDING'] } },
      { name: 'follow-up pending', setup: followUpFiled, expect: { conflicting: ['FOLLOW_UP_APPLICATION_FILED'] } },
    ],
  },
  FOLLOW_UP_APPLICATION_DECIDED: {
    data: { result: 'INADMISSIBLE', servedOn: '2026-05-20' },
    cases: [
      { name: 'follow-up pending', setup: followUpFiled, expect: 'ok' },
      { name: 'no follow-up', setup: final('REJECTED_UNFOUNDED'), expect: { missing: ['FOLLOW_UP_APPLICATION_FILED'] } },
    ],
  },
  APPEAL_FILED: {
    data: appeal,
    cases: [
      { name: 'decision served', setup: served('REJECTED_UNFOUNDED'), expect: 'ok' },
      { name: 'against a protection decision', setup: served('SUBSIDIARY_PROTECTION_GRANTED'), expect: 'ok' },
      { name: 'not served', setup: decided('REJECTED_UNFOUNDED'), expect: { missing: ['DECISION_SERVED'] } },
      { name: 'same proceedings pending (same agency)', setup: appealFiled, actor: zabAdapter, expect: { conflicting: ['APPEAL_FILED'] } },
      { name: 'another courtRef', setup: appealFiled, data: { ...appeal, courtRef: COURT_B }, expect: 'ok' },
    ],
  },
  URGENT_APPLICATION_FILED: {
    data: urgent,
    cases: [
      { name: 'served negative', setup: served('REJECTED_MANIFESTLY_UNFOUNDED'), expect: 'ok' },
      { name: 'served discontinued', setup: served('DISCONTINUED'), expect: 'ok' },
      { name: 'served Dublin', setup: then(dublinAccepted, (l) => { w(l, 'DECISION_ISSUED', { outcome: 'INADMISSIBLE_DUBLIN', decidedOn: '2026-02-02' }); w(l, 'DECISION_SERVED', { servedOn: '2026-02-04' }); }), expect: 'ok' },
      { name: 'inadmissible follow-up decision', setup: followUpInadmissible, expect: 'ok' },
      { name: 'not served', setup: decided('REJECTED_MANIFESTLY_UNFOUNDED'), expect: { missing: ['DECISION_SERVED'] } },
      { name: 'protection', setup: served('ASYLUM_GRANTED'), expect: { conflicting: ['PROTECTION_IN_FORCE'] } },
      { name: 'same proceedings pending', setup: urgentFiled, expect: { conflicting: ['URGENT_APPLICATION_FILED'] } },
    ],
  },
  URGENT_APPLICATION_DECIDED: {
    data: { courtRef: COURT_A, result: 'REJECTED', decidedOn: '2026-02-20' },
    cases: [
      { name: 'pending', setup: urgentFiled, expect: 'ok' },
      { name: 'no such application', setup: served('REJECTED_MANIFESTLY_UNFOUNDED'), expect: { missing: ['URGENT_APPLICATION_FILED'] } },
      { name: 'other courtRef', setup: urgentFiled, data: { courtRef: COURT_B, result: 'REJECTED', decidedOn: '2026-02-20' }, expect: { missing: ['URGENT_APPLICATION_FILED'] } },
      { name: 'already decided', setup: suspensiveOrdered, expect: { conflicting: ['URGENT_APPLICATION_DECIDED'] } },
    ],
  },
  COURT_PROCEEDINGS_CONCLUDED: {
    data: { courtRef: COURT_A, result: 'DECISION_UPHELD', finalOn: '2026-09-15' },
    cases: [
      { name: 'appeal pending', setup: appealFiled, expect: 'ok' },
      { name: 'no appeal', setup: served('REJECTED_UNFOUNDED'), expect: { missing: ['APPEAL_FILED'] } },
      {
        name: 'already concluded',
        setup: then(appealFiled, (l) => w(l, 'COURT_PROCEEDINGS_CONCLUDED', { courtRef: COURT_A, result: 'SETTLED', finalOn: '2026-03-01' })),
        expect: { conflicting: ['COURT_PROCEEDINGS_CONCLUDED'] },
      },
    ],
  },
  DEPORTATION_STAY_NOTIFIED: {
    data: { courtRef: COURT_A },
    cases: [
      { name: 'registered', setup: registered, expect: 'ok' },
      { name: 'closed case still accepts court facts', setup: closedByDeparture, expect: 'ok' },
      { name: 'already in force (same agency)', setup: then(registered, (l) => w(l, 'DEPORTATION_STAY_NOTIFIED', { courtRef: COURT_A })), expect: { conflicting: ['DEPORTATION_STAY_NOTIFIED'] } },
    ],
  },
  DEPORTATION_STAY_LIFTED: {
    data: { courtRef: COURT_A },
    cases: [
      { name: 'stay in force', setup: then(registered, (l) => w(l, 'DEPORTATION_STAY_NOTIFIED', { courtRef: COURT_A })), expect: 'ok' },
      { name: 'no stay', setup: registered, expect: { missing: ['DEPORTATION_STAY_NOTIFIED'] } },
    ],
  },
  MUNICIPALITY_ALLOCATED: {
    data: { municipality: '14612000', authority: 'ABH-DD-TEST', basis: 'MAX_STAY_REACHED' },
    cases: [
      { name: 'max stay reached', setup: registered, expect: 'ok' },
      { name: 'protection', setup: decided('ASYLUM_GRANTED'), data: { municipality: '14612000', authority: 'ABH-DD-TEST', basis: 'PROTECTION' }, expect: 'ok' },
      { name: 'protection basis without protection', setup: decided('REJECTED_UNFOUNDED'), data: { municipality: '14612000', authority: 'ABH-DD-TEST', basis: 'PROTECTION' }, expect: { missing: ['PROTECTION_IN_FORCE'] } },
      { name: 'suspensive effect ordered', setup: suspensiveOrdered, data: { municipality: '14612000', authority: 'ABH-DD-TEST', basis: 'SUSPENSIVE_EFFECT' }, expect: 'ok' },
      { name: 'urgent application only pending', setup: urgentFiled, data: { municipality: '14612000', authority: 'ABH-DD-TEST', basis: 'SUSPENSIVE_EFFECT' }, expect: { missing: ['SUSPENSIVE_EFFECT_ORDERED'] } },
    ],
  },
  TOLERATION_GRANTED: {
    data: { validUntil: '2026-08-31' },
    cases: [
      { name: 'negative outcome', setup: decided('REJECTED_UNFOUNDED'), expect: 'ok' },
      { name: 'discontinued', setup: decided('DISCONTINUED'), expect: 'ok' },
      { name: 'no decision', setup: pending, expect: { missing: ['DECISION_ISSUED'] } },
      { name: 'protection', setup: decided('ASYLUM_GRANTED'), expect: { conflicting: ['PROTECTION_IN_FORCE'] } },
    ],
  },
  TOLERATION_REVOKED: {
    data: {},
    cases: [
      { name: 'valid toleration', setup: then(decided('REJECTED_UNFOUNDED'), (l) => w(l, 'TOLERATION_GRANTED', { validUntil: '2026-03-31' })), expect: 'ok' },
      { name: 'on its last day', setup: then(decided('REJECTED_UNFOUNDED'), (l) => w(l, 'TOLERATION_GRANTED', { validUntil: '2026-03-31' })), today: '2026-03-31', expect: 'ok' },
      { name: 'expired', setup: then(decided('REJECTED_UNFOUNDED'), (l) => w(l, 'TOLERATION_GRANTED', { validUntil: '2026-03-31' })), today: '2026-04-01', expect: { missing: ['TOLERATION_GRANTED'] } },
      { name: 'none granted', setup: decided('REJECTED_UNFOUNDED'), expect: { missing: ['TOLERATION_GRANTED'] } },
    ],
  },
  RETURN_SCHEDULED: {
    data: { kind: 'DEPORTATION' },
    cases: [
      { name: 'registered (deliberately weak)', setup: registered, expect: 'ok' },
      { name: 'already scheduled', setup: returnScheduled, expect: { conflicting: ['RETURN_SCHEDULED'] } },
    ],
  },
  RETURN_EXECUTION_STARTED: {
    data: {},
    cases: [
      { name: 'scheduled', setup: returnScheduled, expect: 'ok' },
      { name: 'not scheduled', setup: registered, expect: { missing: ['RETURN_SCHEDULED'] } },
    ],
  },
  RETURN_CANCELLED: {
    data: { cancellationReason: 'ILLNESS-TEST' },
    cases: [
      { name: 'scheduled', setup: returnScheduled, expect: 'ok' },
      { name: 'not scheduled', setup: registered, expect: { missing: ['RETURN_SCHEDULED'] } },
    ],
  },
  RETURN_COMPLETED: {
    data: { completedOn: '2026-01-05' },
    cases: [
      { name: 'scheduled', setup: returnScheduled, expect: 'ok' },
      { name: 'not scheduled', setup: registered, expect: { missing: ['RETURN_SCHEDULED'] } },
    ],
  },
  VOLUNTARY_DEPARTURE_RECORDED: {
    data: { departedOn: '2026-01-12' },
    cases: [{ name: 'registered', setup: registered, expect: 'ok' }],
  },
  CASE_IMPORTED: {
    data: { facts: [{ type: 'CASE_REGISTERED', data: { facility: 'AE-DD-TEST', registeredOn: '2019-05-06' } }] },
    cases: [
      { name: 'no case yet', setup: nothing, expect: 'ok' },
      { name: 'case registered', setup: registered, expect: 'ok' },
      {
        name: 'this agency imported already',
        setup: (l) => w(l, 'CASE_IMPORTED', { facts: [{ type: 'PERSON_ABSCONDED', data: {} }] }, zabAdmin),
        expect: { conflicting: ['CASE_IMPORTED'] },
      },
      {
        name: 'the other agency imported',
        setup: (l) => w(l, 'CASE_IMPORTED', { facts: [{ type: 'APPLICATION_FILED', data: { filedOn: '2019-05-07' } }] }, bamfAdmin),
        expect: 'ok',
      },
    ],
  },
  WARNING_ACKNOWLEDGED: {
    data: { code: 'RET_PROCEDURE_PENDING', anchorTxId: 'tx-0002' },
    cases: [
      { name: 'open warning', setup: then(pending, (l) => w(l, 'RETURN_SCHEDULED', { kind: 'DEPORTATION' })), expect: 'ok' },
      {
        name: 'was open (return cancelled since)',
        setup: then(pending, (l) => { w(l, 'RETURN_SCHEDULED', { kind: 'DEPORTATION' }); w(l, 'RETURN_CANCELLED', { cancellationReason: 'X' }); }),
        expect: 'ok',
      },
      { name: 'never open', setup: pending, expect: { conflicting: ['WARNING_NOT_OPENED'] } },
      {
        name: 'acknowledged already by this agency',
        setup: then(pending, (l) => { w(l, 'RETURN_SCHEDULED', { kind: 'DEPORTATION' }); w(l, 'WARNING_ACKNOWLEDGED', { code: 'RET_PROCEDURE_PENDING', anchorTxId: 'tx-0002' }, zabCaseworker); }),
        expect: { conflicting: ['WARNING_ACKNOWLEDGED'] },
      },
      {
        name: 'acknowledged by the other agency only',
        setup: then(pending, (l) => { w(l, 'RETURN_SCHEDULED', { kind: 'DEPORTATION' }); w(l, 'WARNING_ACKNOWLEDGED', { code: 'RET_PROCEDURE_PENDING', anchorTxId: 'tx-0002' }, bamfCaseworker); }),
        expect: 'ok',
      },
    ],
  },
  EVENT_RETRACTED: {
    data: { retractedTxId: 'tx-0002', retractionReason: 'WRONG-CASE-TEST' },
    cases: [
      { name: 'own event, remaining history replays', setup: then(registered, (l) => w(l, 'PERSON_ABSCONDED', {})), expect: 'ok' },
      { name: 'unknown event', setup: registered, data: { retractedTxId: 'tx-9999', retractionReason: 'X' }, expect: { conflicting: ['RETRACTED_EVENT_UNKNOWN'] } },
      { name: 'CASE_REGISTERED', setup: registered, data: { retractedTxId: 'tx-0001', retractionReason: 'X' }, expect: { conflicting: ['CASE_REGISTERED'] } },
      {
        name: 'already retracted',
        setup: then(registered, (l) => { w(l, 'PERSON_ABSCONDED', {}); w(l, 'EVENT_RETRACTED', { retractedTxId: 'tx-0002', retractionReason: 'X' }); }),
        expect: { conflicting: ['EVENT_RETRACTED'] },
      },
      {
        name: 'later events would no longer replay',
        setup: then(registered, (l) => { w(l, 'PERSON_ABSCONDED', {}); w(l, 'PERSON_REAPPEARED', {}); }),
        expect: { conflicting: ['PERSON_REAPPEARED'] },
      },
    ],
  },
  PERSONAL_DATA_PURGED: {
    data: { collection: 'caseDetails' },
    cases: [
      { name: 'case exists', setup: registered, expect: 'ok' },
      { name: 'closed case', setup: closedByDeparture, expect: 'ok' },
      { name: 'no case', setup: nothing, expect: { code: 'CASE_NOT_FOUND' } },
    ],
  },
};

function attempt(row: Row, type: EventType, c: Case) {
  const l = new TestLedger();
  c.setup(l);
  if (c.today !== undefined) l.today = c.today;
  return { l, error: l.refusal(type, c.data ?? row.data, c.actor ?? writerOf(type)) };
}

describe.each(EVENT_TYPES.map((t) => [t] as const))('%s', (type) => {
  const row = TABLE[type];

  test.each(row.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const { error } = attempt(row, type, c);
    if (c.expect === 'ok') {
      expect(error?.message).toBeUndefined();
    } else if ('code' in c.expect) {
      expect(error?.code).toBe(c.expect.code);
    } else {
      expect(error?.code).toBe('PRECONDITION_FAILED');
      expect(error?.detail).toEqual(c.expect);
    }
  });

  test('auditors never write (FORBIDDEN_ROLE before anything else)', () => {
    for (const auditor of [bamfAuditor, zabAuditor]) {
      const ok = row.cases.find((c) => c.expect === 'ok')!;
      const l = new TestLedger();
      ok.setup(l);
      expect(l.refusal(type, ok.data ?? row.data, auditor)?.code).toBe('FORBIDDEN_ROLE');
    }
  });

  const writer = EVENT_WRITER[type];
  if (writer === 'FEDERAL_OFFICE' || writer === 'STATE_AUTHORITY') {
    test('the other agency is NOT_OWNER', () => {
      const ok = row.cases.find((c) => c.expect === 'ok')!;
      const l = new TestLedger();
      ok.setup(l);
      const other = writer === 'FEDERAL_OFFICE' ? zabAdapter : bamfAdapter;
      expect(l.refusal(type, ok.data ?? row.data, other)?.code).toBe('NOT_OWNER');
    });
  }
  if (writer === 'EITHER') {
    test('either agency may report it', () => {
      const ok = row.cases.find((c) => c.expect === 'ok')!;
      for (const actor of [bamfAdapter, zabAdapter]) {
        const l = new TestLedger();
        ok.setup(l);
        expect(l.refusal(type, ok.data ?? row.data, actor)?.message).toBeUndefined();
      }
    });
  }

  test(isRefusedWhenClosed(type) ? 'a closed case refuses it with CASE_CLOSED' : 'a closed case does not refuse it with CASE_CLOSED', () => {
    const l = new TestLedger();
    closedByDeparture(l);
    const error = l.refusal(type, row.data);
    // the case-exists check runs before the closed check (§7)
    if (type === 'CASE_REGISTERED') expect(error?.code).toBe('CASE_EXISTS');
    else if (isRefusedWhenClosed(type)) expect(error?.code).toBe('CASE_CLOSED');
    else expect(error?.code).not.toBe('CASE_CLOSED');
  });
});

describe('closed-case semantics (domain.md §3, end)', () => {
  test('exactly the accommodation, allocation and enforcement types are refused', () => {
    expect(EVENT_TYPES.filter(isRefusedWhenClosed).sort()).toEqual(
      [
        'RECEPTION_ASSIGNED',
        'PERSON_ABSCONDED',
        'PERSON_REAPPEARED',
        'MUNICIPALITY_ALLOCATED',
        'TOLERATION_GRANTED',
        'TOLERATION_REVOKED',
        'RETURN_SCHEDULED',
        'RETURN_EXECUTION_STARTED',
        'RETURN_CANCELLED',
        'RETURN_COMPLETED',
        'VOLUNTARY_DEPARTURE_RECORDED',
        'CASE_REGISTERED',
      ].sort(),
    );
  });

  test('a follow-up application reopens the case for state-authority events', () => {
    const l = new TestLedger();
    closedByDeparture(l);
    expect(l.refusal('RECEPTION_ASSIGNED', fac)?.code).toBe('CASE_CLOSED');
    l.write('FOLLOW_UP_APPLICATION_FILED', { filedOn: '2026-05-04' });
    expect(l.refusal('RECEPTION_ASSIGNED', fac)).toBeUndefined();
  });

  test('after a completed return, court facts and federal-office facts are still recorded', () => {
    const l = new TestLedger();
    final('REJECTED_MANIFESTLY_UNFOUNDED')(l);
    l.write('RETURN_SCHEDULED', { kind: 'DEPORTATION' });
    l.write('RETURN_COMPLETED', { completedOn: '2026-03-02' });
    expect(l.refusal('DEPORTATION_STAY_NOTIFIED', { courtRef: COURT_A })).toBeUndefined();
    expect(l.refusal('DECISION_WITHDRAWN', { withdrawalReason: 'X' })).toBeUndefined();
    expect(l.refusal('RETURN_SCHEDULED', { kind: 'DEPORTATION' })?.code).toBe('CASE_CLOSED');
  });
});

describe('role rules', () => {
  test('CASE_IMPORTED and PERSONAL_DATA_PURGED are admin only; admins write nothing else', () => {
    const l = new TestLedger();
    expect(l.refusal('CASE_IMPORTED', TABLE.CASE_IMPORTED.data, zabAdapter)?.code).toBe('FORBIDDEN_ROLE');
    expect(l.refusal('CASE_IMPORTED', TABLE.CASE_IMPORTED.data, zabCaseworker)?.code).toBe('FORBIDDEN_ROLE');
    registered(l);
    expect(l.refusal('PERSONAL_DATA_PURGED', { collection: 'caseDetails' }, zabAdapter)?.code).toBe('FORBIDDEN_ROLE');
    expect(l.refusal('PERSONAL_DATA_PURGED', { collection: 'caseDetails' }, bamfAdmin)).toBeUndefined();
    expect(l.refusal('PERSON_ABSCONDED', {}, zabAdmin)?.code).toBe('FORBIDDEN_ROLE');
  });

  test('WARNING_ACKNOWLEDGED is caseworker only, from either agency', () => {
    const l = new TestLedger();
    pending(l);
    l.write('RETURN_SCHEDULED', { kind: 'DEPORTATION' });
    const data = { code: 'RET_PROCEDURE_PENDING', anchorTxId: 'tx-0002' };
    expect(l.refusal('WARNING_ACKNOWLEDGED', data, zabAdapter)?.code).toBe('FORBIDDEN_ROLE');
    expect(l.refusal('WARNING_ACKNOWLEDGED', data, bamfCaseworker)).toBeUndefined();
    expect(l.refusal('WARNING_ACKNOWLEDGED', data, zabCaseworker)).toBeUndefined();
  });

  test('caseworkers write ordinary events like adapters', () => {
    const l = new TestLedger();
    registered(l);
    expect(l.refusal('APPLICATION_FILED', { filedOn: '2026-01-05' }, bamfCaseworker)).toBeUndefined();
  });

  test('an unknown role is FORBIDDEN_ROLE', () => {
    const l = new TestLedger();
    expect(l.refusal('CASE_REGISTERED', TABLE.CASE_REGISTERED.data, { mspId: ZAB, enrollmentId: 'x', role: 'superuser' })?.code).toBe('FORBIDDEN_ROLE');
  });
});

describe('ownership beyond the table', () => {
  test('EVENT_RETRACTED only by the agency that wrote the retracted event', () => {
    const l = new TestLedger();
    pending(l);
    expect(l.refusal('EVENT_RETRACTED', { retractedTxId: 'tx-0002', retractionReason: 'X' }, zabAdapter)?.code).toBe('NOT_OWNER');
    expect(l.refusal('EVENT_RETRACTED', { retractedTxId: 'tx-0002', retractionReason: 'X' }, bamfAdapter)).toBeUndefined();
  });

  test('CASE_IMPORTED may only assert the importing agency\'s own types and court facts', () => {
    const l = new TestLedger();
    const bamfFacts = { facts: [{ type: 'APPLICATION_FILED', data: { filedOn: '2019-05-07' } }, { type: 'APPEAL_FILED', data: appeal }] };
    expect(l.refusal('CASE_IMPORTED', bamfFacts, zabAdmin)?.code).toBe('NOT_OWNER');
    expect(l.refusal('CASE_IMPORTED', bamfFacts, bamfAdmin)).toBeUndefined();
    expect(l.refusal('CASE_IMPORTED', { facts: [{ type: 'RETURN_SCHEDULED', data: { kind: 'DEPORTATION' } }] }, bamfAdmin)?.code).toBe('NOT_OWNER');
  });

  test('zabEnforcement is purged only by a state authority', () => {
    const l = new TestLedger();
    registered(l);
    expect(l.refusal('PERSONAL_DATA_PURGED', { collection: 'zabEnforcement' }, bamfAdmin)?.code).toBe('NOT_OWNER');
    expect(l.refusal('PERSONAL_DATA_PURGED', { collection: 'zabEnforcement' }, zabAdmin)).toBeUndefined();
  });

  test('an organisation missing from the directory owns nothing', () => {
    const l = new TestLedger();
    registered(l);
    expect(l.refusal('APPEAL_FILED', appeal, { mspId: 'StrangerMSP', enrollmentId: 'x', role: 'adapter' })?.code).toBe('NOT_OWNER');
  });

  test('state-authority events belong to the responsible state authority, moved by RESPONSIBILITY_TRANSFERRED', () => {
    const other = { mspId: 'LandXMSP', enrollmentId: 'test-landx-adapter', role: 'adapter' };
    const l = new TestLedger();
    registered(l);
    expect(l.refusal('PERSON_ABSCONDED', {}, other)?.code).toBe('NOT_OWNER');
    l.write('RESPONSIBILITY_TRANSFERRED', { authority: 'LandXMSP' });
    expect(l.refusal('PERSON_ABSCONDED', {}, zabAdapter)?.code).toBe('NOT_OWNER');
    expect(l.refusal('PERSON_ABSCONDED', {}, other)).toBeUndefined();
    expect(l.last!.view.responsibleAuthority).toBe('LandXMSP');
  });

  test('a transfer to a non-member Ausländerbehörde leaves the writing with the transferring member', () => {
    const l = new TestLedger();
    registered(l);
    l.write('RESPONSIBILITY_TRANSFERRED', { authority: 'ABH-LEIPZIG-TEST' });
    expect(l.last!.view.responsibleAuthority).toBe('ABH-LEIPZIG-TEST');
    expect(l.refusal('PERSON_ABSCONDED', {}, zabAdapter)).toBeUndefined();
    expect(l.last!.view.actions.every((a) => a.agency === ZAB || a.agency === BAMF)).toBe(true);
  });
});
