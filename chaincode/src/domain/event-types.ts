/**
 * The event vocabulary of domain.md §3: one `as const` list, the writer of each type, the court facts,
 * the closed-case rule and the phases of the case view.
 */

/** Every event type, in the order domain.md §3 lists them. */
export const EVENT_TYPES = [
  'CASE_REGISTERED',
  'RECEPTION_ASSIGNED',
  'RESPONSIBILITY_TRANSFERRED',
  'PERSON_ABSCONDED',
  'PERSON_REAPPEARED',
  'APPLICATION_FILED',
  'DUBLIN_PROCEDURE_STARTED',
  'DUBLIN_TRANSFER_ACCEPTED',
  'DUBLIN_DEADLINE_EXTENDED',
  'DUBLIN_PROCEDURE_ENDED',
  'HEARING_SCHEDULED',
  'HEARING_HELD',
  'HEARING_NOT_ATTENDED',
  'REVOCATION_PROCEEDINGS_STARTED',
  'DECISION_ISSUED',
  'DECISION_SERVED',
  'DECISION_WITHDRAWN',
  'PROCEDURE_RESUMED',
  'DECISION_FINAL',
  'FOLLOW_UP_APPLICATION_FILED',
  'FOLLOW_UP_APPLICATION_DECIDED',
  'APPEAL_FILED',
  'URGENT_APPLICATION_FILED',
  'URGENT_APPLICATION_DECIDED',
  'COURT_PROCEEDINGS_CONCLUDED',
  'DEPORTATION_STAY_NOTIFIED',
  'DEPORTATION_STAY_LIFTED',
  'MUNICIPALITY_ALLOCATED',
  'TOLERATION_GRANTED',
  'TOLERATION_REVOKED',
  'RETURN_SCHEDULED',
  'RETURN_EXECUTION_STARTED',
  'RETURN_CANCELLED',
  'RETURN_COMPLETED',
  'VOLUNTARY_DEPARTURE_RECORDED',
  'CASE_IMPORTED',
  'WARNING_ACKNOWLEDGED',
  'EVENT_RETRACTED',
  'PERSONAL_DATA_PURGED',
] as const;

/** One event type (domain.md §3). */
export type EventType = (typeof EVENT_TYPES)[number];

/** The types a retraction may never target (domain.md §3); the UI offers no retraction for them either. */
export const NOT_RETRACTABLE: readonly EventType[] = ['CASE_REGISTERED', 'CASE_IMPORTED', 'EVENT_RETRACTED', 'PERSONAL_DATA_PURGED'];

/**
 * Who writes an event type: the federal office, the case's responsible state authority, either kind
 * (court facts, which reach whichever agency the fax reaches) or a cross-cutting type with its own
 * role rules (ownership.ts).
 */
export type WriterKind = 'FEDERAL_OFFICE' | 'STATE_AUTHORITY' | 'EITHER' | 'CROSS_CUTTING';

/** The writer of every event type (domain.md §3 table headings). */
export const EVENT_WRITER = {
  CASE_REGISTERED: 'STATE_AUTHORITY',
  RECEPTION_ASSIGNED: 'STATE_AUTHORITY',
  RESPONSIBILITY_TRANSFERRED: 'STATE_AUTHORITY',
  PERSON_ABSCONDED: 'STATE_AUTHORITY',
  PERSON_REAPPEARED: 'STATE_AUTHORITY',
  APPLICATION_FILED: 'FEDERAL_OFFICE',
  DUBLIN_PROCEDURE_STARTED: 'FEDERAL_OFFICE',
  DUBLIN_TRANSFER_ACCEPTED: 'FEDERAL_OFFICE',
  DUBLIN_DEADLINE_EXTENDED: 'FEDERAL_OFFICE',
  DUBLIN_PROCEDURE_ENDED: 'FEDERAL_OFFICE',
  HEARING_SCHEDULED: 'FEDERAL_OFFICE',
  HEARING_HELD: 'FEDERAL_OFFICE',
  HEARING_NOT_ATTENDED: 'FEDERAL_OFFICE',
  REVOCATION_PROCEEDINGS_STARTED: 'FEDERAL_OFFICE',
  DECISION_ISSUED: 'FEDERAL_OFFICE',
  DECISION_SERVED: 'FEDERAL_OFFICE',
  DECISION_WITHDRAWN: 'FEDERAL_OFFICE',
  PROCEDURE_RESUMED: 'FEDERAL_OFFICE',
  DECISION_FINAL: 'FEDERAL_OFFICE',
  FOLLOW_UP_APPLICATION_FILED: 'FEDERAL_OFFICE',
  FOLLOW_UP_APPLICATION_DECIDED: 'FEDERAL_OFFICE',
  APPEAL_FILED: 'EITHER',
  URGENT_APPLICATION_FILED: 'EITHER',
  URGENT_APPLICATION_DECIDED: 'EITHER',
  COURT_PROCEEDINGS_CONCLUDED: 'EITHER',
  DEPORTATION_STAY_NOTIFIED: 'EITHER',
  DEPORTATION_STAY_LIFTED: 'EITHER',
  MUNICIPALITY_ALLOCATED: 'STATE_AUTHORITY',
  TOLERATION_GRANTED: 'STATE_AUTHORITY',
  TOLERATION_REVOKED: 'STATE_AUTHORITY',
  RETURN_SCHEDULED: 'STATE_AUTHORITY',
  RETURN_EXECUTION_STARTED: 'STATE_AUTHORITY',
  RETURN_CANCELLED: 'STATE_AUTHORITY',
  RETURN_COMPLETED: 'STATE_AUTHORITY',
  VOLUNTARY_DEPARTURE_RECORDED: 'STATE_AUTHORITY',
  CASE_IMPORTED: 'CROSS_CUTTING',
  WARNING_ACKNOWLEDGED: 'CROSS_CUTTING',
  EVENT_RETRACTED: 'CROSS_CUTTING',
  PERSONAL_DATA_PURGED: 'CROSS_CUTTING',
} as const satisfies Record<EventType, WriterKind>;

/** Court facts: reported by either agency, carry a `courtRef`, may arrive twice (confirmations). */
export const COURT_FACT_TYPES = [
  'APPEAL_FILED',
  'URGENT_APPLICATION_FILED',
  'URGENT_APPLICATION_DECIDED',
  'COURT_PROCEEDINGS_CONCLUDED',
  'DEPORTATION_STAY_NOTIFIED',
  'DEPORTATION_STAY_LIFTED',
] as const satisfies readonly EventType[];

/** A court fact type. */
export type CourtFactType = (typeof COURT_FACT_TYPES)[number];

/** Whether `type` is a court fact (domain.md §3, "Court facts"). */
export function isCourtFact(type: EventType): type is CourtFactType {
  return EVENT_WRITER[type] === 'EITHER';
}

/**
 * The court facts that make a completed return look unlawful (`COURT_FACT_AFTER_RETURN`, §5:
 * "appeal, urgent application, stay").
 */
export const RETURN_CHALLENGING_COURT_FACTS = [
  'APPEAL_FILED',
  'URGENT_APPLICATION_FILED',
  'DEPORTATION_STAY_NOTIFIED',
] as const satisfies readonly CourtFactType[];

/**
 * The types a closed case refuses with `CASE_CLOSED` (domain.md §3, end): accommodation, allocation and
 * enforcement, i.e. every state-authority type except `RESPONSIBILITY_TRANSFERRED` (`CASE_REGISTERED`
 * is answered with `CASE_EXISTS` before this check is reached).
 */
export function isRefusedWhenClosed(type: EventType): boolean {
  return EVENT_WRITER[type] === 'STATE_AUTHORITY' && type !== 'RESPONSIBILITY_TRANSFERRED';
}

/** The event types an agency may assert in a `CASE_IMPORTED`: its own kind's types and court facts. */
export function isImportableBy(type: EventType, kind: 'FEDERAL_OFFICE' | 'STATE_AUTHORITY'): boolean {
  const writer: WriterKind = EVENT_WRITER[type];
  return writer === kind || writer === 'EITHER';
}

/**
 * The phases of the case view, in order of precedence: the first that holds is the case's phase
 * (case-state.ts `phaseOf`; the event → phase table is in chaincode/README.md).
 */
export const PHASES = [
  'CLOSED',
  'ENFORCEMENT',
  'PROCEDURE',
  'COURT',
  'ALLOCATED',
  'FINAL',
  'DECIDED',
  'INTAKE',
] as const;

/** A phase of the case view (domain.md §4). */
export type Phase = (typeof PHASES)[number];
