/**
 * One long, domain-valid case history for the growth benchmark: the events that really repeat in a case
 * that stays for years. It opens with the lost fax (a deportation scheduled inside the remedy window, the
 * urgent application reaching BAMF, ZAB acknowledging and cancelling); then the person stays tolerated
 * for years: each cycle a toleration is granted and revoked, the facility changes, a deportation is
 * scheduled, a court orders a stay (the fax reaches both agencies: the second is a confirmation), both
 * agencies acknowledge the warnings, the return is cancelled and the stay lifted, sometimes the person
 * absconds and reappears, sometimes ZAB corrects a wrong facility (retraction plus the right event).
 * Every fourth cycle a follow-up application reopens the procedure: hearing, a new rejection, an appeal
 * reported by both agencies, the judgment, finality.
 *
 * Every step is written through the contract, so a step the domain refuses stops the benchmark.
 */
import { addDays, type EventType, type IsoDate } from '../../../chaincode/src/domain';
import { ID } from '../../../chaincode/test/contract/support/fixtures';
import type { FakeIdentitySpec } from '../../../chaincode/test/contract/support/fake-stub';

/** One event of the scenario: when (a Berlin date), who, what. */
export interface Step {
  readonly date: IsoDate;
  readonly who: FakeIdentitySpec;
  readonly type: EventType;
  readonly data: unknown;
  /** A name under which later steps find this step's txId. */
  readonly label?: string;
}

/** What the scenario reads back from the ledger between steps. */
export interface ScenarioLedger {
  /** The txId of the last step written with `label`. */
  txOf(label: string): string;
}

/** Codes the contract tests' value lists carry (`HARNESS_LIST_ENTRIES`). */
const FACILITY = 'AE-DD-TEST';
const COURT = 'VG-DD-TEST';
const REASON = 'TEST-REASON';
const CORRECTION = 'TEST-ERROR';

/** An obviously fake court-file pseudonym (`r` + 31 base32 letters). */
export function fakeCourtRef(tag: string, n: number): string {
  let letters = '';
  for (let rest = n; letters.length < 6; rest = Math.floor(rest / 26)) letters = String.fromCharCode(97 + (rest % 26)) + letters;
  return `r${`${tag}${letters}`.padEnd(31, 'z')}`;
}

function step(date: IsoDate, who: FakeIdentitySpec, type: EventType, data: unknown, label?: string): Step {
  return label === undefined ? { date, who, type, data } : { date, who, type, data, label };
}

/** Registration to finality: the lost fax of the pilot, 14 events. */
function* lostFax(ledger: ScenarioLedger): Generator<Step, IsoDate> {
  const urgent = fakeCourtRef('urgent', 0);
  yield step('2026-01-05', ID.zabAdapter, 'CASE_REGISTERED', { facility: FACILITY, registeredOn: '2026-01-05' });
  yield step('2026-01-05', ID.bamfAdapter, 'APPLICATION_FILED', { filedOn: '2026-01-05' });
  yield step('2026-01-08', ID.zabAdapter, 'RECEPTION_ASSIGNED', { facility: FACILITY }, 'facility');
  yield step('2026-01-12', ID.bamfAdapter, 'HEARING_SCHEDULED', { hearingOn: '2026-01-26' });
  yield step('2026-01-26', ID.bamfAdapter, 'HEARING_HELD', {});
  yield step('2026-02-02', ID.bamfAdapter, 'DECISION_ISSUED', { outcome: 'REJECTED_MANIFESTLY_UNFOUNDED', decidedOn: '2026-02-02' });
  yield step('2026-02-04', ID.bamfAdapter, 'DECISION_SERVED', { servedOn: '2026-02-04' });
  yield step('2026-02-09', ID.zabAdapter, 'RETURN_SCHEDULED', { kind: 'DEPORTATION' });
  yield step('2026-02-10', ID.bamfAdapter, 'URGENT_APPLICATION_FILED', { court: COURT, courtRef: urgent, filedOn: '2026-02-09' }, 'urgent');
  yield step('2026-02-10', ID.zabCaseworker, 'WARNING_ACKNOWLEDGED', { code: 'RET_URGENT_APPLICATION', anchorTxId: ledger.txOf('urgent') });
  yield step('2026-02-10', ID.zabAdapter, 'RETURN_CANCELLED', { cancellationReason: REASON });
  yield step('2026-02-11', ID.zabAdapter, 'URGENT_APPLICATION_FILED', { court: COURT, courtRef: urgent, filedOn: '2026-02-09' });
  yield step('2026-03-02', ID.bamfAdapter, 'URGENT_APPLICATION_DECIDED', { courtRef: urgent, result: 'REJECTED', decidedOn: '2026-03-02' });
  yield step('2026-03-05', ID.bamfAdapter, 'DECISION_FINAL', {});
  return '2026-03-16';
}

/** One tolerated stretch of 45 days from `d`: 11 to 15 events. */
function* toleratedCycle(ledger: ScenarioLedger, d: IsoDate, i: number): Generator<Step, IsoDate> {
  const stay = fakeCourtRef('stay', i % 3);
  yield step(d, ID.zabAdapter, 'TOLERATION_GRANTED', { validUntil: addDays(d, 90) });
  yield step(addDays(d, 5), ID.zabAdapter, 'RECEPTION_ASSIGNED', { facility: FACILITY }, 'facility');
  if (i % 3 === 1) {
    yield step(addDays(d, 8), ID.zabAdapter, 'PERSON_ABSCONDED', {});
    yield step(addDays(d, 15), ID.zabAdapter, 'PERSON_REAPPEARED', {});
  }
  yield step(addDays(d, 25), ID.zabAdapter, 'TOLERATION_REVOKED', {});
  yield step(addDays(d, 31), ID.zabAdapter, 'RETURN_SCHEDULED', { kind: 'DEPORTATION' });
  yield step(addDays(d, 33), ID.bamfAdapter, 'DEPORTATION_STAY_NOTIFIED', { courtRef: stay }, 'stay');
  yield step(addDays(d, 33), ID.zabAdapter, 'DEPORTATION_STAY_NOTIFIED', { courtRef: stay });
  yield step(addDays(d, 34), ID.zabCaseworker, 'WARNING_ACKNOWLEDGED', { code: 'RET_DEPORTATION_STAY', anchorTxId: ledger.txOf('stay') });
  yield step(addDays(d, 34), ID.bamfCaseworker, 'WARNING_ACKNOWLEDGED', { code: 'FINALITY_CONTRADICTED', anchorTxId: ledger.txOf('stay') });
  yield step(addDays(d, 35), ID.zabAdapter, 'RETURN_CANCELLED', { cancellationReason: REASON });
  yield step(addDays(d, 40), ID.zabAdapter, 'DEPORTATION_STAY_LIFTED', { courtRef: stay }, 'lift');
  yield step(addDays(d, 41), ID.bamfCaseworker, 'WARNING_ACKNOWLEDGED', { code: 'FINALITY_CONTRADICTED', anchorTxId: ledger.txOf('lift') });
  if (i % 4 === 3) {
    yield step(addDays(d, 42), ID.zabAdapter, 'EVENT_RETRACTED', { retractedTxId: ledger.txOf('facility'), retractionReason: CORRECTION });
    yield step(addDays(d, 42), ID.zabAdapter, 'RECEPTION_ASSIGNED', { facility: FACILITY }, 'facility');
  }
  return addDays(d, 45);
}

/** A follow-up application that reopens the procedure, to a new final rejection: 10 events over 125 days. */
function* followUpRound(d: IsoDate, k: number): Generator<Step, IsoDate> {
  const appeal = fakeCourtRef('appeal', k);
  yield step(d, ID.bamfAdapter, 'FOLLOW_UP_APPLICATION_FILED', { filedOn: d });
  yield step(addDays(d, 20), ID.bamfAdapter, 'FOLLOW_UP_APPLICATION_DECIDED', { result: 'PROCEDURE_REOPENED', servedOn: addDays(d, 20) });
  yield step(addDays(d, 21), ID.bamfAdapter, 'HEARING_SCHEDULED', { hearingOn: addDays(d, 35) });
  yield step(addDays(d, 35), ID.bamfAdapter, 'HEARING_HELD', {});
  yield step(addDays(d, 40), ID.bamfAdapter, 'DECISION_ISSUED', { outcome: 'REJECTED_UNFOUNDED', decidedOn: addDays(d, 40) });
  yield step(addDays(d, 42), ID.bamfAdapter, 'DECISION_SERVED', { servedOn: addDays(d, 42) });
  yield step(addDays(d, 45), ID.bamfAdapter, 'APPEAL_FILED', { court: COURT, courtRef: appeal, filedOn: addDays(d, 45) });
  yield step(addDays(d, 46), ID.zabAdapter, 'APPEAL_FILED', { court: COURT, courtRef: appeal, filedOn: addDays(d, 45) });
  yield step(addDays(d, 120), ID.bamfAdapter, 'COURT_PROCEEDINGS_CONCLUDED', { courtRef: appeal, result: 'DECISION_UPHELD', finalOn: addDays(d, 120) });
  yield step(addDays(d, 121), ID.bamfAdapter, 'DECISION_FINAL', {});
  return addDays(d, 125);
}

/** The whole case, as long as the caller keeps asking (about 60 events per simulated 10 months). */
export function* growthScenario(ledger: ScenarioLedger): Generator<Step, never> {
  let d = yield* lostFax(ledger);
  for (let i = 0; ; i += 1) {
    d = yield* toleratedCycle(ledger, d, i);
    if (i % 4 === 3) d = yield* followUpRound(d, i / 4);
  }
}
