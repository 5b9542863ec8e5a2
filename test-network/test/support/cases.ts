import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import {
  caseIdFor,
  courtRefFor,
  EventInputSchema,
  type CaseDetails,
  type EventInput,
  type ValueListName,
} from '@asl/chaincode/domain';
import { readSeedValueLists } from '@asl/chaincode/seed';

/**
 * Test data for the live suites. Every test works on fresh random cases, so the suites can run again and again
 * on the same ledger, next to other suites writing to it. Identifiers are real pseudonyms (domain.md §2) under a
 * random throw-away key, of random fake AZR numbers.
 */

/** A key no agency holds: pseudonyms made with it can never collide with a real case. */
const TEST_KEY = randomBytes(32);

/** A random fake AZR number (12 digits). */
function fakeAzrNumber(): string {
  return String(randomInt(10 ** 11, 10 ** 12));
}

/** A fresh case pseudonym. */
export function newCaseId(): string {
  return caseIdFor(TEST_KEY, fakeAzrNumber());
}

/** A fresh court-proceedings pseudonym at `court`. */
export function newCourtRef(court: string): string {
  return courtRefFor(TEST_KEY, court, `${randomInt(1, 9999)} K ${randomInt(1000, 9999)}/26`);
}

/** A fresh, unique `sourceMessageId`. */
export function newMessageId(): string {
  return `net-test-${randomUUID()}`;
}

/**
 * A code of value-list version 1 as the network seeded it (chaincode/seed/value-lists); throws when the seed
 * no longer has it, so a changed seed shows up here and not as a puzzling `UNKNOWN_CODE_VALUE`.
 */
export function seededCode(list: ValueListName, code: string): string {
  const seed = readSeedValueLists().find((s) => s.list === list);
  if (!seed?.proposal.entries.some((e) => e.code === code)) throw new Error(`value list ${list} was not seeded with ${code}`);
  return code;
}

/** The codes the live suites write. */
export const CODES = {
  facility: seededCode('facility', 'AE-DD-TEST'),
  court: seededCode('court', 'VG-DRESDEN'),
} as const;

/** The `data` of an event type. */
export type EventData<T extends EventInput['type']> = Extract<EventInput, { type: T }>['data'];

/** An event on a case, now, with a fresh `sourceMessageId`; validated with the contract's own schema. */
export function eventOf<T extends EventInput['type']>(caseId: string, type: T, data: EventData<T>): EventInput {
  return EventInputSchema.parse({ caseId, type, occurredAt: new Date().toISOString(), sourceMessageId: newMessageId(), data });
}

/** `CASE_REGISTERED` at the test facility. */
export function caseRegistered(caseId: string): EventInput {
  return eventOf(caseId, 'CASE_REGISTERED', { facility: CODES.facility, registeredOn: '2026-01-05' });
}

/** `APPLICATION_FILED`. */
export function applicationFiled(caseId: string): EventInput {
  return eventOf(caseId, 'APPLICATION_FILED', { filedOn: '2026-01-07' });
}

/** An obviously fake person, as an agency's `caseDetails` record. */
export function fakeCaseDetails(familyName: string): CaseDetails {
  return { familyName, givenNames: 'Testperson', dateOfBirth: '1990-01-01', nationality: 'XXX', azrNumber: fakeAzrNumber() };
}
