/**
 * The zod schemas of every message, built from the domain's schemas (`@asl/chaincode/domain`) and the
 * contract's `caseDetails` schema. These are the one source: the XML codec validates with them and the
 * XSD is generated from them (xml-model.ts, xsd.ts).
 *
 * Structure names follow XAusländer (`nachrichtenkopf`, `nachrichtUUID`, `autor`, `leser`, …); the
 * event data inside `ereignis/daten` keeps the domain's JSON field names, so nothing is typed twice.
 */
import { z } from 'zod';
import {
  ActionSchema,
  CaseIdSchema,
  CodeSchema,
  CourtRefSchema,
  EVENT_TYPES,
  FACT_DATA_SCHEMAS,
  IMPORTABLE_TYPES,
  InstantSchema,
  IsoDateSchema,
  MAX_IMPORTED_FACTS,
  MspIdSchema,
  SourceMessageIdSchema,
  TxIdSchema,
  WarningSchema,
  type EventType,
  type ImportableType,
  CaseDetailsSchema,
} from '@asl/chaincode/domain';
import { eventMessageType, NOTICE_MESSAGE_TYPE, RETURN_TO_SENDER_TYPE, type MessageTypeInfo } from './message-types';
import type { NamedType } from './xml-model';

const details = CaseDetailsSchema.shape;

/** The AZR number as a case system writes it (separators allowed; 8–16 digits). */
export const AzrNumberSchema = details.azrNumber.unwrap();
/** The BAMF file number (Aktenzeichen). */
export const BamfFileNumberSchema = details.bamfFileNumber.unwrap();
/** A court file number, in the clear: it only ever reaches the ledger as a `courtRef` pseudonym. */
export const CourtFileNumberSchema = details.courtFiles.unwrap().element.shape.fileNumber;

/** Court proceedings in the clear, as a case system knows them; the adapter derives the `courtRef`. */
export const CourtProceedingsSchema = z.strictObject({ court: CodeSchema, fileNumber: CourtFileNumberSchema });
/** Court proceedings in the clear. */
export type CourtProceedings = z.infer<typeof CourtProceedingsSchema>;

/** An authority: an MSP ID or the code of an Ausländerbehörde or case system. */
export const AuthoritySchema = z.strictObject({ kennung: CodeSchema });

/** Standard base64 (the rejected message inside a ReturnToSender). */
export const Base64Schema = z.string().regex(/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/);

/** Identifiers of the case: the pseudonym and/or the AZR and BAMF numbers (at least one is checked by the adapter). */
export const IdentificationSchema = z.strictObject({
  fallId: CaseIdSchema.optional(),
  azrNummer: AzrNumberSchema.optional(),
  bamfAktenzeichen: BamfFileNumberSchema.optional(),
});
/** Identifiers of the case. */
export type Identification = z.infer<typeof IdentificationSchema>;

/** What a caseworker needs to recognise the person (goes only into the private `caseDetails`). */
export const PersonSchema = CaseDetailsSchema.pick({ familyName: true, givenNames: true, dateOfBirth: true, nationality: true });
/** Person details. */
export type Person = z.infer<typeof PersonSchema>;

/**
 * Where the ledger recorded an event (outbound messages only): the transaction, when, which agency, and
 * the writing case system's own message id (`sourceMessageId`), so a partner can relate it to its records.
 */
export const LedgerReceiptSchema = z.strictObject({
  txId: TxIdSchema,
  recordedAt: InstantSchema,
  writer: MspIdSchema,
  sourceMessageId: SourceMessageIdSchema.optional(),
});

function headSchema(type: MessageTypeInfo) {
  return z.strictObject({
    nachrichtUUID: SourceMessageIdSchema,
    nachrichtentyp: z.literal(type.code),
    erstellungszeitpunkt: InstantSchema,
    autor: AuthoritySchema,
    leser: AuthoritySchema,
  });
}

/** The message head, as a type. */
export const MessageHeadSchema = headSchema({ name: '', code: '000000' }).extend({ nachrichtentyp: z.string() });
/** The message head. */
export type MessageHead = z.infer<typeof MessageHeadSchema>;

/**
 * The message form of an event type's data: a `courtRef` may come as the pseudonym (outbound, from the
 * ledger) or as `courtProceedings` in the clear (inbound, from a case system); the facts of
 * `CASE_IMPORTED` carry the message form of each fact's data.
 */
function deriveMessageData(type: EventType): z.ZodType {
  if (type === 'CASE_IMPORTED') {
    const facts = IMPORTABLE_TYPES.map((t: ImportableType) =>
      z.strictObject({ type: z.literal(t), data: deriveMessageData(t) }),
    );
    const [first, ...rest] = facts;
    if (first === undefined) throw new Error('no importable types');
    return z.strictObject({
      facts: z.array(z.discriminatedUnion('type', [first, ...rest])).min(1).max(MAX_IMPORTED_FACTS),
    });
  }
  const schema: z.ZodType = FACT_DATA_SCHEMAS[type];
  if (!(schema instanceof z.ZodObject)) return schema;
  const shape = schema.shape as Record<string, z.ZodType>;
  if (shape['courtRef'] !== CourtRefSchema) return schema;
  const clear = Object.fromEntries(
    Object.entries(shape).map(([k, v]) => (k === 'courtRef' ? ['courtProceedings', CourtProceedingsSchema] : [k, v])),
  );
  return z.union([schema, z.strictObject(clear)]);
}

/** The message form of every event type's data. */
export const MESSAGE_DATA_SCHEMAS: Readonly<Record<EventType, z.ZodType>> = Object.fromEntries(
  EVENT_TYPES.map((t) => [t, deriveMessageData(t)]),
) as Record<EventType, z.ZodType>;

function eventRootSchema(type: EventType) {
  return z.strictObject({
    nachrichtenkopf: headSchema(eventMessageType(type)),
    identifikation: IdentificationSchema,
    personendaten: PersonSchema.optional(),
    ereignis: z.strictObject({ eingetretenAm: InstantSchema, daten: MESSAGE_DATA_SCHEMAS[type] }),
    quittung: LedgerReceiptSchema.optional(),
  });
}

/** An event message (the shape common to every event type; `daten` is checked per type). */
export const EventMessageBodySchema = z.strictObject({
  nachrichtenkopf: MessageHeadSchema,
  identifikation: IdentificationSchema,
  personendaten: PersonSchema.optional(),
  ereignis: z.strictObject({ eingetretenAm: InstantSchema, daten: z.record(z.string(), z.unknown()) }),
  quittung: LedgerReceiptSchema.optional(),
});
/** An event message's body. */
export type EventMessageBody = z.infer<typeof EventMessageBodySchema>;

/**
 * Why a notice was sent: `RETURN_CONFLICT` — a scheduled return now meets a BLOCKING rule (the lost-fax
 * case, shown first); `WARNING_OPENED` — other warnings opened; `ACTIONS_CHANGED` — the case's warnings or
 * this agency's next actions changed (periodic comparison). Dead letters come back as ReturnToSender.
 */
export const NOTICE_OCCASIONS = ['RETURN_CONFLICT', 'WARNING_OPENED', 'ACTIONS_CHANGED'] as const;
/** Why a notice was sent. */
export const NoticeOccasionSchema = z.enum(NOTICE_OCCASIONS);
/** Why a notice was sent. */
export type NoticeOccasion = z.infer<typeof NoticeOccasionSchema>;

/** Warnings and next actions for one case. */
export const NoticeMessageBodySchema = z.strictObject({
  nachrichtenkopf: headSchema(NOTICE_MESSAGE_TYPE),
  identifikation: IdentificationSchema,
  hinweise: z.strictObject({
    anlass: NoticeOccasionSchema.optional(),
    stand: InstantSchema,
    warnung: z.array(WarningSchema),
    aktion: z.array(ActionSchema),
  }),
});
/** A warnings-and-actions message's body. */
export type NoticeMessageBody = z.infer<typeof NoticeMessageBodySchema>;

/**
 * Why a message was rejected: the XML and format checks of the adapter, the adapter's own checks, and
 * the ledger's error codes (domain.md §7) for messages that were accepted but could not be recorded.
 */
export const REJECTION_REASONS = [
  'MESSAGE_TOO_LARGE',
  'MALFORMED_XML',
  'FORBIDDEN_XML_CONSTRUCT',
  'UNKNOWN_MESSAGE_TYPE',
  'SCHEMA_VIOLATION',
  'MISSING_IDENTIFIER',
  'WRONG_READER',
  'INVALID_INPUT',
  'FORBIDDEN_ROLE',
  'NOT_OWNER',
  'CASE_NOT_FOUND',
  'CASE_EXISTS',
  'PRECONDITION_FAILED',
  'CASE_CLOSED',
  'IDEMPOTENCY_CONFLICT',
  'UNKNOWN_CODE_VALUE',
  'PAYLOAD_TOO_LARGE',
  'UNAUTHENTICATED',
  'DELIVERY_GAVE_UP',
] as const;
/** A rejection reason code. */
export const RejectionReasonSchema = z.enum(REJECTION_REASONS);
/** A rejection reason code. */
export type RejectionReason = z.infer<typeof RejectionReasonSchema>;

/** A finding behind a rejection: where (element path or field) and what (a code), never a value. */
export const FindingSchema = z.strictObject({
  pfad: z.string().regex(/^[A-Za-z0-9._/[\]|-]{0,200}$/),
  code: z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/),
});
/** A finding. */
export type Finding = z.infer<typeof FindingSchema>;

/** `Administration.ReturnToSender.000001`: the rejected message goes back with the reason. */
export const ReturnToSenderBodySchema = z.strictObject({
  nachrichtenkopf: headSchema(RETURN_TO_SENDER_TYPE),
  rueckweisendeStelle: AuthoritySchema,
  begruendung: z.strictObject({
    grund: RejectionReasonSchema,
    fehler: z.array(FindingSchema).max(50),
  }),
  transportinformationen: z.strictObject({
    nachrichtenID: SourceMessageIdSchema.optional(),
    empfangszeitpunkt: InstantSchema,
  }),
  abgewieseneNachricht: z.strictObject({ nachricht: Base64Schema }),
});
/** A ReturnToSender body. */
export type ReturnToSenderBody = z.infer<typeof ReturnToSenderBodySchema>;

/** A message root: its type, element name and schema. */
export type MessageRoot =
  | { readonly kind: 'event'; readonly eventType: EventType; readonly type: MessageTypeInfo; readonly schema: z.ZodType }
  | { readonly kind: 'notice'; readonly type: MessageTypeInfo; readonly schema: z.ZodType }
  | { readonly kind: 'returnToSender'; readonly type: MessageTypeInfo; readonly schema: z.ZodType };

/** Every message root, in the order the XSD lists them. */
export const MESSAGE_ROOTS: readonly MessageRoot[] = [
  ...EVENT_TYPES.map(
    (eventType): MessageRoot => ({ kind: 'event', eventType, type: eventMessageType(eventType), schema: eventRootSchema(eventType) }),
  ),
  { kind: 'notice', type: NOTICE_MESSAGE_TYPE, schema: NoticeMessageBodySchema },
  { kind: 'returnToSender', type: RETURN_TO_SENDER_TYPE, schema: ReturnToSenderBodySchema },
];

/**
 * Shared schemas with a name in the XSD. For refined schemas the XSD base and extra patterns carry what
 * the zod refinement checks (`xs:date` rejects 2024-02-30, `xs:dateTime` 25:00, the AZR pattern counts
 * digits), so XSD and parser agree; the tests check both on the same samples.
 */
export const NAMED_TYPES: ReadonlyMap<z.ZodType, NamedType> = new Map<z.ZodType, NamedType>([
  [IsoDateSchema, { name: 'Datum', base: 'date' }],
  [InstantSchema, { name: 'Zeitpunkt', base: 'dateTime' }],
  [CodeSchema, { name: 'Code' }],
  [CaseIdSchema, { name: 'FallId' }],
  [CourtRefSchema, { name: 'GerichtsverfahrenRef' }],
  [SourceMessageIdSchema, { name: 'NachrichtUUID' }],
  [TxIdSchema, { name: 'TxId' }],
  [MspIdSchema, { name: 'MspId' }],
  [AzrNumberSchema, { name: 'AzrNummer', extraPatterns: ['^(?:[ .-]*[0-9]){8,16}[ .-]*$'] }],
  [BamfFileNumberSchema, { name: 'BamfAktenzeichen' }],
  [Base64Schema, { name: 'Base64', base: 'base64Binary' }],
  [AuthoritySchema, { name: 'Behoerde' }],
  [IdentificationSchema, { name: 'Identifikation' }],
  [PersonSchema, { name: 'Personendaten' }],
  [LedgerReceiptSchema, { name: 'Quittung' }],
  [CourtProceedingsSchema, { name: 'Gerichtsverfahren' }],
  [WarningSchema, { name: 'Warnung' }],
  [ActionSchema, { name: 'Aktion' }],
  [FindingSchema, { name: 'Befund' }],
]);
