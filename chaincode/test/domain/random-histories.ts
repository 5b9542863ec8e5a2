/**
 * Random accepted event sequences for the property tests: candidate events are generated and kept when
 * decide accepts them, so every history is one the ledger could hold.
 */
import fc from 'fast-check';
import { EVENT_TYPES, OUTCOMES, addDays, type EventType } from '../../src/domain';
import { BAMF, COURT_A, COURT_B, TestLedger, ZAB, writerOf, type TestActor } from './fixtures';

export interface Command {
  readonly t: number;
  readonly v: number;
  readonly adv: number;
  readonly bamf: boolean;
}

export const command = fc.record({
  t: fc.nat(EVENT_TYPES.length - 1),
  v: fc.nat(40),
  adv: fc.oneof(fc.nat(3), fc.nat(12), fc.constant(45)),
  bamf: fc.boolean(),
});

const refs = [COURT_A, COURT_B];

function actorFor(type: EventType, c: Command): TestActor {
  const msp = c.bamf ? BAMF : ZAB;
  if (type === 'CASE_IMPORTED' || type === 'PERSONAL_DATA_PURGED') return { mspId: msp, enrollmentId: 'test-admin', role: 'admin' };
  if (type === 'WARNING_ACKNOWLEDGED') return { mspId: msp, enrollmentId: 'test-cw', role: 'caseworker' };
  if (type === 'APPEAL_FILED' || type.startsWith('URGENT_') || type.startsWith('DEPORTATION_STAY') || type === 'COURT_PROCEEDINGS_CONCLUDED') {
    return { mspId: msp, enrollmentId: 'test-adapter', role: c.v % 3 === 0 ? 'caseworker' : 'adapter' };
  }
  return writerOf(type);
}

function candidate(type: EventType, c: Command, l: TestLedger): { data: unknown; actor: TestActor } {
  const day = l.today;
  const v = c.v;
  const ref = refs[v % 2]!;
  const actor = actorFor(type, c);
  const pick = <T>(xs: readonly T[]): T => xs[v % xs.length]!;
  const data = ((): unknown => {
    switch (type) {
      case 'CASE_REGISTERED': return { facility: 'AE-T', registeredOn: day };
      case 'RECEPTION_ASSIGNED': return { facility: `AE-${v % 3}` };
      case 'RESPONSIBILITY_TRANSFERRED': return { authority: pick(['ABH-TEST', ZAB]) };
      case 'APPLICATION_FILED': case 'FOLLOW_UP_APPLICATION_FILED': return { filedOn: day };
      case 'DUBLIN_PROCEDURE_STARTED': return { memberState: pick(['PL', 'IT', 'AT']) };
      case 'DUBLIN_TRANSFER_ACCEPTED': return { acceptedOn: day };
      case 'DUBLIN_DEADLINE_EXTENDED': return v % 2 === 0 ? { months: 12, basis: 'DETENTION' } : { months: 18, basis: 'ABSCONDING' };
      case 'DUBLIN_PROCEDURE_ENDED': return { basis: pick(['REQUEST_REFUSED', 'SELF_ASSUMED', 'DEADLINE_EXPIRED', 'TRANSFERRED']) };
      case 'HEARING_SCHEDULED': return { hearingOn: addDays(day, 7) };
      case 'HEARING_NOT_ATTENDED': return { excused: v % 2 === 0 };
      case 'DECISION_ISSUED': return { outcome: pick(OUTCOMES), decidedOn: day };
      case 'DECISION_SERVED': return { servedOn: day };
      case 'DECISION_WITHDRAWN': return { withdrawalReason: 'W' };
      case 'FOLLOW_UP_APPLICATION_DECIDED': return { result: pick(['INADMISSIBLE', 'PROCEDURE_REOPENED']), servedOn: day };
      case 'APPEAL_FILED': case 'URGENT_APPLICATION_FILED': return { court: 'VG-T', courtRef: ref, filedOn: day };
      case 'URGENT_APPLICATION_DECIDED': return { courtRef: ref, result: v % 4 < 2 ? 'SUSPENSIVE_EFFECT_ORDERED' : 'REJECTED', decidedOn: day };
      case 'COURT_PROCEEDINGS_CONCLUDED': return { courtRef: ref, result: pick(['DECISION_UPHELD', 'DECISION_OVERTURNED', 'APPEAL_WITHDRAWN', 'SETTLED']), finalOn: day };
      case 'DEPORTATION_STAY_NOTIFIED': case 'DEPORTATION_STAY_LIFTED': return { courtRef: ref };
      case 'MUNICIPALITY_ALLOCATED': return { municipality: '14612000', authority: 'ABH-T', basis: pick(['PROTECTION', 'SUSPENSIVE_EFFECT', 'MAX_STAY_REACHED']) };
      case 'TOLERATION_GRANTED': return { validUntil: addDays(day, 20 + v) };
      case 'RETURN_SCHEDULED': return { kind: pick(['DEPORTATION', 'DUBLIN_TRANSFER']) };
      case 'RETURN_CANCELLED': return { cancellationReason: 'C' };
      case 'RETURN_COMPLETED': return { completedOn: day };
      case 'VOLUNTARY_DEPARTURE_RECORDED': return { departedOn: day };
      case 'CASE_IMPORTED':
        return c.bamf
          ? { facts: [{ type: 'HEARING_SCHEDULED', data: { hearingOn: day } }] }
          : { facts: [{ type: 'DEPORTATION_STAY_NOTIFIED', data: { courtRef: ref } }] };
      case 'WARNING_ACKNOWLEDGED': {
        const open = l.last?.warnings ?? [];
        const w = open[v % Math.max(open.length, 1)];
        return w === undefined ? { code: 'RET_PROCEDURE_PENDING', anchorTxId: 'tx-0001' } : { code: w.code, anchorTxId: w.anchors[0] };
      }
      case 'EVENT_RETRACTED': {
        const target = l.history[v % Math.max(l.history.length, 1)];
        return { retractedTxId: target?.txId ?? 'tx-9999', retractionReason: 'R' };
      }
      case 'PERSONAL_DATA_PURGED': return { collection: 'caseDetails' };
      case 'PERSON_ABSCONDED': case 'PERSON_REAPPEARED': case 'HEARING_HELD': case 'REVOCATION_PROCEEDINGS_STARTED':
      case 'PROCEDURE_RESUMED': case 'DECISION_FINAL': case 'TOLERATION_REVOKED': case 'RETURN_EXECUTION_STARTED':
        return {};
    }
  })();
  if (type === 'EVENT_RETRACTED') {
    const target = l.history[v % Math.max(l.history.length, 1)];
    if (target !== undefined) return { data, actor: { mspId: target.actor.mspId, enrollmentId: 'test-adapter', role: 'adapter' } };
  }
  return { data, actor };
}

/** Runs the commands; keeps what decide accepts. Anything but a DomainError fails the property. */
export function run(commands: readonly Command[]): TestLedger {
  const l = new TestLedger('2026-01-05');
  l.write('CASE_REGISTERED', { facility: 'AE-T', registeredOn: '2026-01-05' });
  for (const c of commands) {
    l.today = addDays(l.today, c.adv);
    // Try a few types per command (a stride coprime to the number of types) so most commands add an
    // event and sequences get deep: hearings, decisions, court facts, returns, retractions.
    for (let k = 0; k < 12; k += 1) {
      const type = EVENT_TYPES[(c.t + k * 7) % EVENT_TYPES.length]!;
      const { data, actor } = candidate(type, c, l);
      const e = l.refusal(type, data, actor);
      if (e === undefined) break;
    }
  }
  return l;
}

export const sequences = fc.array(command, { minLength: 5, maxLength: 45 });
