/**
 * The message types of the adapters' XAusländer-style format: one per event type of domain.md §3, one
 * for warnings and next actions, and the rejection modelled on `Administration.ReturnToSender.000001`.
 *
 * Names follow XAusländer's `<Gruppe>.<Name>.<6-digit code>`; the root element of a message is its
 * name and its head's `nachrichtentyp` is the code. Codes are a published contract: they never change,
 * new types get new codes.
 */
import { EVENT_TYPES, type EventType } from '@asl/chaincode/domain';

/** The XML namespace of every message (default namespace on the root element). */
export const MESSAGE_NAMESPACE = 'urn:de:asl:ankerdresden:nachrichten:1';

/** The format version carried in the root's `version` attribute. */
export const FORMAT_VERSION = '1.0';

/** Group and code of each event message. Groups follow the tables of domain.md §3. */
const EVENT_MESSAGE_CODES = {
  CASE_REGISTERED: ['Aufnahme', '100101'],
  RECEPTION_ASSIGNED: ['Aufnahme', '100102'],
  RESPONSIBILITY_TRANSFERRED: ['Aufnahme', '100103'],
  PERSON_ABSCONDED: ['Aufnahme', '100104'],
  PERSON_REAPPEARED: ['Aufnahme', '100105'],
  APPLICATION_FILED: ['Asyl', '100201'],
  DUBLIN_PROCEDURE_STARTED: ['Asyl', '100202'],
  DUBLIN_TRANSFER_ACCEPTED: ['Asyl', '100203'],
  DUBLIN_DEADLINE_EXTENDED: ['Asyl', '100204'],
  DUBLIN_PROCEDURE_ENDED: ['Asyl', '100205'],
  HEARING_SCHEDULED: ['Asyl', '100206'],
  HEARING_HELD: ['Asyl', '100207'],
  HEARING_NOT_ATTENDED: ['Asyl', '100208'],
  REVOCATION_PROCEEDINGS_STARTED: ['Asyl', '100209'],
  DECISION_ISSUED: ['Asyl', '100210'],
  DECISION_SERVED: ['Asyl', '100211'],
  DECISION_WITHDRAWN: ['Asyl', '100212'],
  PROCEDURE_RESUMED: ['Asyl', '100213'],
  DECISION_FINAL: ['Asyl', '100214'],
  FOLLOW_UP_APPLICATION_FILED: ['Asyl', '100215'],
  FOLLOW_UP_APPLICATION_DECIDED: ['Asyl', '100216'],
  APPEAL_FILED: ['Gericht', '100301'],
  URGENT_APPLICATION_FILED: ['Gericht', '100302'],
  URGENT_APPLICATION_DECIDED: ['Gericht', '100303'],
  COURT_PROCEEDINGS_CONCLUDED: ['Gericht', '100304'],
  DEPORTATION_STAY_NOTIFIED: ['Gericht', '100305'],
  DEPORTATION_STAY_LIFTED: ['Gericht', '100306'],
  MUNICIPALITY_ALLOCATED: ['Vollzug', '100401'],
  TOLERATION_GRANTED: ['Vollzug', '100402'],
  TOLERATION_REVOKED: ['Vollzug', '100403'],
  RETURN_SCHEDULED: ['Vollzug', '100404'],
  RETURN_EXECUTION_STARTED: ['Vollzug', '100405'],
  RETURN_CANCELLED: ['Vollzug', '100406'],
  RETURN_COMPLETED: ['Vollzug', '100407'],
  VOLUNTARY_DEPARTURE_RECORDED: ['Vollzug', '100408'],
  CASE_IMPORTED: ['Ledger', '100501'],
  WARNING_ACKNOWLEDGED: ['Ledger', '100502'],
  EVENT_RETRACTED: ['Ledger', '100503'],
  PERSONAL_DATA_PURGED: ['Ledger', '100504'],
} as const satisfies Record<EventType, readonly [string, string]>;

/** `CASE_REGISTERED` → `CaseRegistered`. */
export function pascalCase(type: string): string {
  return type
    .toLowerCase()
    .split('_')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
}

/** A message type: its root element name and its `nachrichtentyp` code. */
export interface MessageTypeInfo {
  readonly name: string;
  readonly code: string;
}

/** The message type of an event type. */
export function eventMessageType(type: EventType): MessageTypeInfo {
  const [group, code] = EVENT_MESSAGE_CODES[type];
  return { name: `${group}.${pascalCase(type)}.${code}`, code };
}

/** Warnings and next actions for one case, sent by the adapter to its case system. */
export const NOTICE_MESSAGE_TYPE: MessageTypeInfo = { name: 'Hinweis.WarnungenUndAktionen.100901', code: '100901' };

/** The rejection of a message, after XAusländer's `Administration.ReturnToSender.000001`. */
export const RETURN_TO_SENDER_TYPE: MessageTypeInfo = { name: 'Administration.ReturnToSender.000001', code: '000001' };

/** Every event type with its message type, in domain order. */
export const EVENT_MESSAGE_TYPES: readonly (MessageTypeInfo & { readonly eventType: EventType })[] = EVENT_TYPES.map(
  (eventType) => ({ eventType, ...eventMessageType(eventType) }),
);
