/**
 * Deterministic case flows for the case-system simulators. Both simulators generate the same flows
 * from the same seed and each sends only its own agency's steps: ZAB registers and allocates or
 * schedules returns, BAMF files the application, schedules and holds hearings, decides and serves;
 * court facts come through either. A step that follows a partner's step waits until the partner's event
 * reached this case system through its adapter (matched by the partner's `nachrichtUUID`, which the
 * outbound message carries in `quittung/sourceMessageId`), as a caseworker would.
 *
 * Flows: protection ending in allocation; rejection with an appeal (and sometimes its conclusion);
 * Dublin with absconding and the extended transfer deadline; and the **lost fax**: a manifestly
 * unfounded rejection served three days ago, ZAB schedules the deportation inside the remedy window,
 * and the urgent application reaches BAMF afterwards — both writes are `ReturnConflict`s for ZAB. Once
 * the urgent application reached ZAB, ZAB wants to execute the deportation: its case system runs the
 * return check first and executes only if allowed (`ScenarioCase.returnExecution`; here it is refused).
 * Case 1 is always the lost fax (`count: 1` generates exactly that flow).
 *
 * Personal data is obviously fake: "Testperson Eins", AZR numbers 999…, BAMF numbers 9…-999.
 */
import type { EventType, ReturnKind } from '@asl/chaincode/domain';
import type { Person } from '../message';
import type { ProfileName } from '../agencies/profiles';

/** One message a case system sends. */
export interface ScenarioStep {
  /** The `nachrichtUUID` (deterministic from seed, case and step). */
  readonly id: string;
  readonly caseNo: number;
  readonly agency: ProfileName;
  readonly type: EventType;
  /** Message-form data (court facts with `courtProceedings` in the clear). */
  readonly data: Record<string, unknown>;
  readonly occurredAt: string;
  /** The partner step whose event must have arrived first. */
  readonly after?: string;
}

/**
 * The state authority's planned execution of a scheduled return. Not a step: the ZAB simulator first runs
 * the return check and sends `RETURN_EXECUTION_STARTED` (with `id`) only if the check allows it.
 */
export interface ReturnExecution {
  /** The `nachrichtUUID` of the `RETURN_EXECUTION_STARTED` message, if it is sent. */
  readonly id: string;
  readonly kind: ReturnKind;
  readonly occurredAt: string;
  /** The partner step whose event must have arrived first. */
  readonly after?: string;
}

/** The kinds of flow. */
export const FLOWS = ['lost-fax', 'protection', 'rejection-appeal', 'dublin-absconding'] as const;
/** A kind of flow. */
export type Flow = (typeof FLOWS)[number];

/** One generated case. */
export interface ScenarioCase {
  readonly caseNo: number;
  readonly flow: Flow;
  readonly azrNumber: string;
  readonly bamfFileNumber: string;
  readonly person: Person;
  readonly steps: readonly ScenarioStep[];
  /** ZAB's planned execution of the case's scheduled return, after its steps. */
  readonly returnExecution?: ReturnExecution;
}

/** mulberry32: a small, seedable PRNG (deterministic flows, not cryptography). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NUMBERS = ['Eins', 'Zwei', 'Drei', 'Vier', 'Fünf', 'Sechs', 'Sieben', 'Acht', 'Neun', 'Zehn', 'Elf', 'Zwölf'];
const PROTECTION = ['REFUGEE_STATUS_GRANTED', 'SUBSIDIARY_PROTECTION_GRANTED', 'DEPORTATION_BAN_ESTABLISHED'] as const;
const MEMBER_STATES = ['IT', 'PL', 'HR', 'AT'] as const;

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/**
 * The fake AZR number of case `caseNo`: `999` + two seed digits + seven case digits for seeds below 100 (the
 * numbers of earlier versions, 12 digits); larger seeds give `999` + eight seed digits + five case digits (16
 * digits), so runs with random seeds do not reuse each other's numbers.
 */
export function fixtureAzrNumber(seed: number, caseNo: number): string {
  if (seed < 100) return `999${String(seed).padStart(2, '0')}${String(caseNo).padStart(7, '0')}`;
  return `999${String(seed % 100_000_000).padStart(8, '0')}${String(caseNo).padStart(5, '0')}`;
}

/** The fixture name of case n (1-based): "Eins", …, then "Nr 13". */
export function fixtureGivenName(n: number): string {
  return NUMBERS[n - 1] ?? `Nr ${n}`;
}

/** Generates `count` cases from `seed`, dated relative to `today` (YYYY-MM-DD). */
export function generateScenario(options: { seed: number; count: number; today: string }): ScenarioCase[] {
  const rnd = seededRandom(options.seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)] as T;
  const cases: ScenarioCase[] = [];
  for (let i = 0; i < options.count; i += 1) {
    const caseNo = i + 1;
    const flow: Flow = i < FLOWS.length ? (FLOWS[i] as Flow) : pick(FLOWS);
    const steps: ScenarioStep[] = [];
    let returnExecution: ReturnExecution | undefined;
    const nextId = (): string => `sim-${options.seed}-${caseNo}-${steps.length + 1}`;
    const at = (on: string): string => `${on}T08:${String(10 + steps.length).padStart(2, '0')}:00Z`;
    const add = (agency: ProfileName, type: EventType, data: Record<string, unknown>, on: string): string => {
      const previous = steps[steps.length - 1];
      const id = nextId();
      steps.push({
        id,
        caseNo,
        agency,
        type,
        data,
        occurredAt: at(on),
        ...(previous !== undefined && previous.agency !== agency ? { after: previous.id } : {}),
      });
      return id;
    };
    const d0 = addDays(options.today, -(45 + Math.floor(rnd() * 30)));
    const court = 'VG-DRESDEN';
    const proceedings = (letter: 'K' | 'L') => ({ court, fileNumber: `13 ${letter} ${900 + caseNo}/26.A` });
    add('zab', 'CASE_REGISTERED', { facility: 'AE-DD-TEST', registeredOn: d0 }, d0);
    add('maris', 'APPLICATION_FILED', { filedOn: addDays(d0, 2) }, addDays(d0, 2));
    if (flow === 'dublin-absconding') {
      add('maris', 'DUBLIN_PROCEDURE_STARTED', { memberState: pick(MEMBER_STATES) }, addDays(d0, 5));
      add('maris', 'DUBLIN_TRANSFER_ACCEPTED', { acceptedOn: addDays(d0, 20) }, addDays(d0, 20));
      add('zab', 'PERSON_ABSCONDED', {}, addDays(d0, 30));
      add('maris', 'DUBLIN_DEADLINE_EXTENDED', { months: 18, basis: 'ABSCONDING' }, addDays(d0, 32));
    } else {
      add('maris', 'HEARING_SCHEDULED', { hearingOn: addDays(d0, 12) }, addDays(d0, 5));
      add('maris', 'HEARING_HELD', {}, addDays(d0, 12));
      if (flow === 'protection') {
        add('maris', 'DECISION_ISSUED', { outcome: pick(PROTECTION), decidedOn: addDays(d0, 25) }, addDays(d0, 25));
        add('maris', 'DECISION_SERVED', { servedOn: addDays(d0, 27) }, addDays(d0, 27));
        add('zab', 'MUNICIPALITY_ALLOCATED', { municipality: '14612000', authority: 'ABH-DD-TEST', basis: 'PROTECTION' }, addDays(d0, 29));
      } else if (flow === 'rejection-appeal') {
        add('maris', 'DECISION_ISSUED', { outcome: 'REJECTED_UNFOUNDED', decidedOn: addDays(d0, 25) }, addDays(d0, 25));
        add('maris', 'DECISION_SERVED', { servedOn: addDays(d0, 27) }, addDays(d0, 27));
        add(pick(['maris', 'zab'] as const), 'APPEAL_FILED', { court, courtProceedings: proceedings('K'), filedOn: addDays(d0, 33) }, addDays(d0, 33));
        if (rnd() < 0.5) {
          add(pick(['maris', 'zab'] as const), 'COURT_PROCEEDINGS_CONCLUDED', { courtProceedings: proceedings('K'), result: 'DECISION_UPHELD', finalOn: addDays(d0, 40) }, addDays(d0, 40));
        }
      } else {
        const decided = addDays(options.today, -4);
        const served = addDays(options.today, -3);
        add('maris', 'DECISION_ISSUED', { outcome: 'REJECTED_MANIFESTLY_UNFOUNDED', decidedOn: decided }, decided);
        add('maris', 'DECISION_SERVED', { servedOn: served }, served);
        add('zab', 'RETURN_SCHEDULED', { kind: 'DEPORTATION' }, addDays(options.today, -1));
        const urgent = add('maris', 'URGENT_APPLICATION_FILED', { court, courtProceedings: proceedings('L'), filedOn: addDays(options.today, -1) }, options.today);
        returnExecution = { id: nextId(), kind: 'DEPORTATION', occurredAt: at(options.today), after: urgent };
      }
    }
    cases.push({
      caseNo,
      flow,
      azrNumber: fixtureAzrNumber(options.seed, caseNo),
      bamfFileNumber: `9${String(caseNo).padStart(6, '0')}-999`,
      person: { familyName: 'Testperson', givenNames: fixtureGivenName(caseNo), dateOfBirth: `19${70 + (caseNo % 30)}`, nationality: 'XXA' },
      steps,
      ...(returnExecution === undefined ? {} : { returnExecution }),
    });
  }
  return cases;
}
