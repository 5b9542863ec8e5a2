/**
 * The one schema source of the domain core (zod v4; types only via `z.infer`): event data per type,
 * the input envelope, actor, stored event, receipt, warning, action and the case view.
 */
import { z } from 'zod';
import { COLLECTION_NAMES } from './contract-names';
import { isIsoDate } from './calendar';
import { EVENT_TYPES, PHASES } from './event-types';

/** `YYYY-MM-DD`, a real calendar date. */
export const IsoDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine(isIsoDate, { message: 'not a calendar date' });

const RFC3339 = /^(\d{4}-\d{2}-\d{2})T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/** An RFC 3339 instant with `Z` or a numeric offset, on a real calendar date. */
export const InstantSchema = z
  .string()
  .regex(RFC3339)
  .refine((s) => isIsoDate(s.slice(0, 10)), { message: 'not a calendar date' })
  .refine(
    (s) => {
      const hh = Number(s.slice(11, 13));
      const mm = Number(s.slice(14, 16));
      const ss = Number(s.slice(17, 19));
      return hh <= 23 && mm <= 59 && ss <= 60;
    },
    { message: 'not a time of day' },
  );

/**
 * A code from a value list (facility, court, municipality, authority, reasons). The schema checks the
 * format; membership in the list version in force is the last check of a write (value-lists.ts).
 */
export const CodeSchema = z.string().regex(/^[A-Za-z0-9._:-]{1,64}$/);

/**
 * The shared value lists (domain.md §9). `reason` is one list whose entries say which reason fields
 * they serve (`usedFor`): withdrawal, cancellation and retraction reasons are governed together.
 */
export const VALUE_LIST_NAMES = ['facility', 'court', 'municipality', 'authority', 'reason'] as const;
/** The name of a value list. */
export const ValueListNameSchema = z.enum(VALUE_LIST_NAMES);
/** The name of a value list. */
export type ValueListName = z.infer<typeof ValueListNameSchema>;

/** A value-list version number: 1, 2, 3… (+1 each). */
export const ValueListVersionNumberSchema = z.number().int().min(1).max(999_999_999);

/** The value-list versions an event was validated against, per list it used (domain.md §3, §9). */
export const ValueListVersionsSchema = z.partialRecord(ValueListNameSchema, ValueListVersionNumberSchema);
/** The value-list versions an event was validated against. */
export type ValueListVersions = z.infer<typeof ValueListVersionsSchema>;

/** The case pseudonym (domain.md §2). */
export const CaseIdSchema = z.string().regex(/^c[a-z2-7]{31}$/);
/** The court-proceedings pseudonym (domain.md §2). */
export const CourtRefSchema = z.string().regex(/^r[a-z2-7]{31}$/);
/** The writer's message id, unique per writing agency (domain.md §3). */
export const SourceMessageIdSchema = z.string().regex(/^[A-Za-z0-9._:-]{1,128}$/);
/** A Fabric transaction id (64 hex digits on a real peer; any bounded token is accepted). */
export const TxIdSchema = z.string().regex(/^[A-Za-z0-9._:-]{1,128}$/);
/** An MSP ID (case-sensitive). */
export const MspIdSchema = z.string().regex(/^[A-Za-z][A-Za-z0-9._-]{0,63}$/);

/** Decision outcomes of `DECISION_ISSUED` (domain.md §3). */
export const OUTCOMES = [
  'ASYLUM_GRANTED',
  'REFUGEE_STATUS_GRANTED',
  'SUBSIDIARY_PROTECTION_GRANTED',
  'DEPORTATION_BAN_ESTABLISHED',
  'REJECTED_UNFOUNDED',
  'REJECTED_MANIFESTLY_UNFOUNDED',
  'INADMISSIBLE_DUBLIN',
  'INADMISSIBLE_OTHER',
  'PROTECTION_REVOKED',
  'DISCONTINUED',
] as const;
/** The outcome of a decision. */
export const OutcomeSchema = z.enum(OUTCOMES);
/** The outcome of a decision. */
export type Outcome = z.infer<typeof OutcomeSchema>;

/** Outcomes that grant protection. */
export const PROTECTION_OUTCOMES = [
  'ASYLUM_GRANTED',
  'REFUGEE_STATUS_GRANTED',
  'SUBSIDIARY_PROTECTION_GRANTED',
  'DEPORTATION_BAN_ESTABLISHED',
] as const satisfies readonly Outcome[];
/** Negative outcomes (the person is obliged to leave or to be transferred). */
export const NEGATIVE_OUTCOMES = [
  'REJECTED_UNFOUNDED',
  'REJECTED_MANIFESTLY_UNFOUNDED',
  'INADMISSIBLE_DUBLIN',
  'INADMISSIBLE_OTHER',
  'PROTECTION_REVOKED',
] as const satisfies readonly Outcome[];

/** Whether the outcome grants protection. */
export function isProtection(outcome: Outcome): boolean {
  return (PROTECTION_OUTCOMES as readonly Outcome[]).includes(outcome);
}
/** Whether the outcome is negative. */
export function isNegative(outcome: Outcome): boolean {
  return (NEGATIVE_OUTCOMES as readonly Outcome[]).includes(outcome);
}

/** Return kinds. */
export const ReturnKindSchema = z.enum(['DEPORTATION', 'DUBLIN_TRANSFER']);
/** The kind of a return measure. */
export type ReturnKind = z.infer<typeof ReturnKindSchema>;

/** Warning codes of domain.md §5. */
export const WARNING_CODES = [
  'RET_PROTECTION_GRANTED',
  'RET_PROCEDURE_PENDING',
  'RET_REMEDY_WINDOW_OPEN',
  'RET_DEPARTURE_PERIOD_RUNNING',
  'RET_SUSPENSIVE_APPEAL',
  'RET_URGENT_APPLICATION',
  'RET_FOLLOW_UP_PENDING',
  'RET_DEPORTATION_STAY',
  'RET_KIND_MISMATCH',
  'RET_DUBLIN_DEADLINE_PASSED',
  'RET_TOLERATION_VALID',
  'FINALITY_CONTRADICTED',
  'COURT_FACT_AFTER_RETURN',
  'ALLOC_NOTICE_OVERDUE',
] as const;
/** A warning rule's code. */
export const WarningCodeSchema = z.enum(WARNING_CODES);
/** A warning rule's code. */
export type WarningCode = z.infer<typeof WarningCodeSchema>;

const none = z.strictObject({});

/** The `data` schema of every event type except `CASE_IMPORTED` (whose facts are built from these). */
export const FACT_DATA_SCHEMAS = {
  CASE_REGISTERED: z.strictObject({ facility: CodeSchema, registeredOn: IsoDateSchema }),
  RECEPTION_ASSIGNED: z.strictObject({ facility: CodeSchema }),
  RESPONSIBILITY_TRANSFERRED: z.strictObject({ authority: CodeSchema }),
  PERSON_ABSCONDED: none,
  PERSON_REAPPEARED: none,
  APPLICATION_FILED: z.strictObject({ filedOn: IsoDateSchema }),
  DUBLIN_PROCEDURE_STARTED: z.strictObject({ memberState: z.string().regex(/^[A-Z]{2}$/) }),
  DUBLIN_TRANSFER_ACCEPTED: z.strictObject({ acceptedOn: IsoDateSchema }),
  DUBLIN_DEADLINE_EXTENDED: z.union([
    z.strictObject({ months: z.literal(12), basis: z.literal('DETENTION') }),
    z.strictObject({ months: z.literal(18), basis: z.literal('ABSCONDING') }),
  ]),
  DUBLIN_PROCEDURE_ENDED: z.strictObject({
    basis: z.enum(['REQUEST_REFUSED', 'SELF_ASSUMED', 'DEADLINE_EXPIRED', 'TRANSFERRED']),
  }),
  HEARING_SCHEDULED: z.strictObject({ hearingOn: IsoDateSchema }),
  HEARING_HELD: none,
  HEARING_NOT_ATTENDED: z.strictObject({ excused: z.boolean() }),
  REVOCATION_PROCEEDINGS_STARTED: none,
  DECISION_ISSUED: z.strictObject({ outcome: OutcomeSchema, decidedOn: IsoDateSchema }),
  DECISION_SERVED: z.strictObject({ servedOn: IsoDateSchema }),
  DECISION_WITHDRAWN: z.strictObject({ withdrawalReason: CodeSchema }),
  PROCEDURE_RESUMED: none,
  DECISION_FINAL: none,
  FOLLOW_UP_APPLICATION_FILED: z.strictObject({ filedOn: IsoDateSchema }),
  FOLLOW_UP_APPLICATION_DECIDED: z.strictObject({
    result: z.enum(['INADMISSIBLE', 'PROCEDURE_REOPENED']),
    servedOn: IsoDateSchema,
  }),
  APPEAL_FILED: z.strictObject({ court: CodeSchema, courtRef: CourtRefSchema, filedOn: IsoDateSchema }),
  URGENT_APPLICATION_FILED: z.strictObject({ court: CodeSchema, courtRef: CourtRefSchema, filedOn: IsoDateSchema }),
  URGENT_APPLICATION_DECIDED: z.strictObject({
    courtRef: CourtRefSchema,
    result: z.enum(['SUSPENSIVE_EFFECT_ORDERED', 'REJECTED']),
    decidedOn: IsoDateSchema,
  }),
  COURT_PROCEEDINGS_CONCLUDED: z.strictObject({
    courtRef: CourtRefSchema,
    result: z.enum(['DECISION_UPHELD', 'DECISION_OVERTURNED', 'APPEAL_WITHDRAWN', 'SETTLED']),
    finalOn: IsoDateSchema,
  }),
  DEPORTATION_STAY_NOTIFIED: z.strictObject({ courtRef: CourtRefSchema }),
  DEPORTATION_STAY_LIFTED: z.strictObject({ courtRef: CourtRefSchema }),
  MUNICIPALITY_ALLOCATED: z.strictObject({
    municipality: CodeSchema,
    authority: CodeSchema,
    basis: z.enum(['PROTECTION', 'SUSPENSIVE_EFFECT', 'MAX_STAY_REACHED']),
  }),
  TOLERATION_GRANTED: z.strictObject({ validUntil: IsoDateSchema }),
  TOLERATION_REVOKED: none,
  RETURN_SCHEDULED: z.strictObject({ kind: ReturnKindSchema }),
  RETURN_EXECUTION_STARTED: none,
  RETURN_CANCELLED: z.strictObject({ cancellationReason: CodeSchema }),
  RETURN_COMPLETED: z.strictObject({ completedOn: IsoDateSchema }),
  VOLUNTARY_DEPARTURE_RECORDED: z.strictObject({ departedOn: IsoDateSchema }),
  WARNING_ACKNOWLEDGED: z.strictObject({ code: WarningCodeSchema, anchorTxId: TxIdSchema }),
  EVENT_RETRACTED: z.strictObject({ retractedTxId: TxIdSchema, retractionReason: CodeSchema }),
  PERSONAL_DATA_PURGED: z.strictObject({ collection: z.enum(COLLECTION_NAMES) }),
};

/** Event types whose facts may appear inside `CASE_IMPORTED` (everything but the cross-cutting ones). */
export const IMPORTABLE_TYPES = EVENT_TYPES.filter(
  (t): t is Exclude<(typeof EVENT_TYPES)[number], 'CASE_IMPORTED' | 'WARNING_ACKNOWLEDGED' | 'EVENT_RETRACTED' | 'PERSONAL_DATA_PURGED'> =>
    t !== 'CASE_IMPORTED' && t !== 'WARNING_ACKNOWLEDGED' && t !== 'EVENT_RETRACTED' && t !== 'PERSONAL_DATA_PURGED',
);
/** A type that may appear as an imported fact. */
export type ImportableType = (typeof IMPORTABLE_TYPES)[number];

type FactOption<T extends ImportableType> = z.ZodObject<{
  type: z.ZodLiteral<T>;
  data: (typeof FACT_DATA_SCHEMAS)[T];
}>;

function factOption<T extends ImportableType>(type: T): FactOption<T> {
  return z.strictObject({ type: z.literal(type), data: FACT_DATA_SCHEMAS[type] });
}

/** One fact asserted by `CASE_IMPORTED`: `{type, data}` validated per type. */
export const ImportedFactSchema = z.discriminatedUnion('type', [
  factOption('CASE_REGISTERED'),
  factOption('RECEPTION_ASSIGNED'),
  factOption('RESPONSIBILITY_TRANSFERRED'),
  factOption('PERSON_ABSCONDED'),
  factOption('PERSON_REAPPEARED'),
  factOption('APPLICATION_FILED'),
  factOption('DUBLIN_PROCEDURE_STARTED'),
  factOption('DUBLIN_TRANSFER_ACCEPTED'),
  factOption('DUBLIN_DEADLINE_EXTENDED'),
  factOption('DUBLIN_PROCEDURE_ENDED'),
  factOption('HEARING_SCHEDULED'),
  factOption('HEARING_HELD'),
  factOption('HEARING_NOT_ATTENDED'),
  factOption('REVOCATION_PROCEEDINGS_STARTED'),
  factOption('DECISION_ISSUED'),
  factOption('DECISION_SERVED'),
  factOption('DECISION_WITHDRAWN'),
  factOption('PROCEDURE_RESUMED'),
  factOption('DECISION_FINAL'),
  factOption('FOLLOW_UP_APPLICATION_FILED'),
  factOption('FOLLOW_UP_APPLICATION_DECIDED'),
  factOption('APPEAL_FILED'),
  factOption('URGENT_APPLICATION_FILED'),
  factOption('URGENT_APPLICATION_DECIDED'),
  factOption('COURT_PROCEEDINGS_CONCLUDED'),
  factOption('DEPORTATION_STAY_NOTIFIED'),
  factOption('DEPORTATION_STAY_LIFTED'),
  factOption('MUNICIPALITY_ALLOCATED'),
  factOption('TOLERATION_GRANTED'),
  factOption('TOLERATION_REVOKED'),
  factOption('RETURN_SCHEDULED'),
  factOption('RETURN_EXECUTION_STARTED'),
  factOption('RETURN_CANCELLED'),
  factOption('RETURN_COMPLETED'),
  factOption('VOLUNTARY_DEPARTURE_RECORDED'),
]);
/** One imported fact. */
export type ImportedFact = z.infer<typeof ImportedFactSchema>;

/** Upper bound on the facts of one import: a go-live snapshot of one case, not a bulk channel. */
export const MAX_IMPORTED_FACTS = 200;

/** `data` of every event type. */
export const EVENT_DATA_SCHEMAS = {
  ...FACT_DATA_SCHEMAS,
  CASE_IMPORTED: z.strictObject({ facts: z.array(ImportedFactSchema).min(1).max(MAX_IMPORTED_FACTS) }),
};

const envelope = {
  caseId: CaseIdSchema,
  occurredAt: InstantSchema,
  sourceMessageId: SourceMessageIdSchema,
};

function inputOption<T extends (typeof EVENT_TYPES)[number]>(type: T) {
  return z.strictObject({ ...envelope, type: z.literal(type), data: EVENT_DATA_SCHEMAS[type] });
}

/** The event a writer submits: `{caseId, type, occurredAt, sourceMessageId, data}` (domain.md §3). */
export const EventInputSchema = z.discriminatedUnion('type', [
  inputOption('CASE_REGISTERED'),
  inputOption('RECEPTION_ASSIGNED'),
  inputOption('RESPONSIBILITY_TRANSFERRED'),
  inputOption('PERSON_ABSCONDED'),
  inputOption('PERSON_REAPPEARED'),
  inputOption('APPLICATION_FILED'),
  inputOption('DUBLIN_PROCEDURE_STARTED'),
  inputOption('DUBLIN_TRANSFER_ACCEPTED'),
  inputOption('DUBLIN_DEADLINE_EXTENDED'),
  inputOption('DUBLIN_PROCEDURE_ENDED'),
  inputOption('HEARING_SCHEDULED'),
  inputOption('HEARING_HELD'),
  inputOption('HEARING_NOT_ATTENDED'),
  inputOption('REVOCATION_PROCEEDINGS_STARTED'),
  inputOption('DECISION_ISSUED'),
  inputOption('DECISION_SERVED'),
  inputOption('DECISION_WITHDRAWN'),
  inputOption('PROCEDURE_RESUMED'),
  inputOption('DECISION_FINAL'),
  inputOption('FOLLOW_UP_APPLICATION_FILED'),
  inputOption('FOLLOW_UP_APPLICATION_DECIDED'),
  inputOption('APPEAL_FILED'),
  inputOption('URGENT_APPLICATION_FILED'),
  inputOption('URGENT_APPLICATION_DECIDED'),
  inputOption('COURT_PROCEEDINGS_CONCLUDED'),
  inputOption('DEPORTATION_STAY_NOTIFIED'),
  inputOption('DEPORTATION_STAY_LIFTED'),
  inputOption('MUNICIPALITY_ALLOCATED'),
  inputOption('TOLERATION_GRANTED'),
  inputOption('TOLERATION_REVOKED'),
  inputOption('RETURN_SCHEDULED'),
  inputOption('RETURN_EXECUTION_STARTED'),
  inputOption('RETURN_CANCELLED'),
  inputOption('RETURN_COMPLETED'),
  inputOption('VOLUNTARY_DEPARTURE_RECORDED'),
  inputOption('CASE_IMPORTED'),
  inputOption('WARNING_ACKNOWLEDGED'),
  inputOption('EVENT_RETRACTED'),
  inputOption('PERSONAL_DATA_PURGED'),
]);
/** A validated event input. */
export type EventInput = z.infer<typeof EventInputSchema>;

/** Roles carried in the client certificate's `role` attribute (domain.md §1). */
export const RoleSchema = z.enum(['adapter', 'caseworker', 'auditor', 'admin']);
/** A role. */
export type Role = z.infer<typeof RoleSchema>;

/** Who wrote an event: `{mspId, enrollmentId, role}`; the enrollment id is a staff or system number. */
export const ActorSchema = z.strictObject({
  mspId: MspIdSchema,
  enrollmentId: z.string().min(1).max(128),
  role: RoleSchema,
});
/** The actor of a write. */
export type Actor = z.infer<typeof ActorSchema>;

/** An organisation's kind (domain.md §1), kept in the chaincode's configuration. */
export const OrgKindSchema = z.enum(['FEDERAL_OFFICE', 'STATE_AUTHORITY']);
/** An organisation's kind. */
export type OrgKind = z.infer<typeof OrgKindSchema>;

/** The organisation directory: MSP ID → kind. */
export const OrgDirectorySchema = z.record(MspIdSchema, z.strictObject({ kind: OrgKindSchema }));
/** The organisation directory. */
export type OrgDirectory = z.infer<typeof OrgDirectorySchema>;

/** What the ledger adds to every event (domain.md §3), plus the flags the fold and the timeline use. */
const storedMeta = {
  recordedAt: InstantSchema,
  txId: TxIdSchema,
  actor: ActorSchema,
  /** The writer organisation's kind when the event was accepted. */
  writerKind: OrgKindSchema,
  ruleVersion: z.string().min(1).max(32),
  /** The version of each value list whose codes the event uses (`{}` when it uses none). */
  valueListVersions: ValueListVersionsSchema,
  /** Set when a court fact repeated one the other agency had recorded: shown, changes nothing. */
  confirmationOf: TxIdSchema.optional(),
};

function storedOption<T extends (typeof EVENT_TYPES)[number]>(type: T) {
  return inputOption(type).extend(storedMeta);
}

/** An event as the ledger stores it. */
export const StoredEventSchema = z.discriminatedUnion('type', [
  storedOption('CASE_REGISTERED'),
  storedOption('RECEPTION_ASSIGNED'),
  storedOption('RESPONSIBILITY_TRANSFERRED'),
  storedOption('PERSON_ABSCONDED'),
  storedOption('PERSON_REAPPEARED'),
  storedOption('APPLICATION_FILED'),
  storedOption('DUBLIN_PROCEDURE_STARTED'),
  storedOption('DUBLIN_TRANSFER_ACCEPTED'),
  storedOption('DUBLIN_DEADLINE_EXTENDED'),
  storedOption('DUBLIN_PROCEDURE_ENDED'),
  storedOption('HEARING_SCHEDULED'),
  storedOption('HEARING_HELD'),
  storedOption('HEARING_NOT_ATTENDED'),
  storedOption('REVOCATION_PROCEEDINGS_STARTED'),
  storedOption('DECISION_ISSUED'),
  storedOption('DECISION_SERVED'),
  storedOption('DECISION_WITHDRAWN'),
  storedOption('PROCEDURE_RESUMED'),
  storedOption('DECISION_FINAL'),
  storedOption('FOLLOW_UP_APPLICATION_FILED'),
  storedOption('FOLLOW_UP_APPLICATION_DECIDED'),
  storedOption('APPEAL_FILED'),
  storedOption('URGENT_APPLICATION_FILED'),
  storedOption('URGENT_APPLICATION_DECIDED'),
  storedOption('COURT_PROCEEDINGS_CONCLUDED'),
  storedOption('DEPORTATION_STAY_NOTIFIED'),
  storedOption('DEPORTATION_STAY_LIFTED'),
  storedOption('MUNICIPALITY_ALLOCATED'),
  storedOption('TOLERATION_GRANTED'),
  storedOption('TOLERATION_REVOKED'),
  storedOption('RETURN_SCHEDULED'),
  storedOption('RETURN_EXECUTION_STARTED'),
  storedOption('RETURN_CANCELLED'),
  storedOption('RETURN_COMPLETED'),
  storedOption('VOLUNTARY_DEPARTURE_RECORDED'),
  storedOption('CASE_IMPORTED'),
  storedOption('WARNING_ACKNOWLEDGED'),
  storedOption('EVENT_RETRACTED'),
  storedOption('PERSONAL_DATA_PURGED'),
]);
/** A stored event. */
export type StoredEvent = z.infer<typeof StoredEventSchema>;

/** The receipt of domain.md §8, as the gateway completes it from the committed block. */
export const ReceiptSchema = z.strictObject({
  txId: TxIdSchema,
  blockNumber: z.string().regex(/^\d+$/),
  txIndex: z.number().int().nonnegative(),
  validationCode: z.string(),
  endorsers: z.array(MspIdSchema),
  writer: ActorSchema,
  recordedAt: InstantSchema,
  ruleVersion: z.string(),
});
/** A complete receipt. */
export type Receipt = z.infer<typeof ReceiptSchema>;

/** The part of a receipt the chaincode knows (the gateway adds block number, index, code, endorsers). */
export const ChaincodeReceiptSchema = ReceiptSchema.pick({ txId: true, writer: true, recordedAt: true, ruleVersion: true });
/** The chaincode's part of a receipt. */
export type ChaincodeReceipt = z.infer<typeof ChaincodeReceiptSchema>;

/** Severity of a warning rule. */
export const SeveritySchema = z.enum(['BLOCKING', 'WARNING']);
/** Severity of a warning rule. */
export type Severity = z.infer<typeof SeveritySchema>;

/** A warning (domain.md §5), plus the MSP IDs that acknowledged it. */
export const WarningSchema = z.strictObject({
  id: z.string(),
  code: WarningCodeSchema,
  severity: SeveritySchema,
  caseId: CaseIdSchema,
  anchors: z.array(TxIdSchema).min(1),
  openedAt: InstantSchema,
  evaluatedAt: InstantSchema,
  clock: z.boolean(),
  acknowledgedBy: z.array(MspIdSchema),
});
/** A warning. */
export type Warning = z.infer<typeof WarningSchema>;

/** Next-action codes (domain.md §4.1). */
export const ActionCodeSchema = z.enum([
  'TAKE_APPLICATION',
  'SCHEDULE_HEARING',
  'ENSURE_ATTENDANCE',
  'DECIDE',
  'SERVE_DECISION',
  'SEND_FINALITY_NOTICE',
  'ALLOCATE_MUNICIPALITY',
  'ARRANGE_TRANSFER',
  'EXAMINE_ENFORCEMENT',
  'ACKNOWLEDGE_WARNING',
]);
/** A next-action code. */
export type ActionCode = z.infer<typeof ActionCodeSchema>;

/**
 * A next action `{code, agency, caseId, due?}` (domain.md §4.1; the field is `code`, as for warnings and
 * errors — architecture.md's `action` names the same field). `warningIds` only on `ACKNOWLEDGE_WARNING`.
 */
export const ActionSchema = z.strictObject({
  code: ActionCodeSchema,
  /** The same code under the name architecture.md's API shape gives it (`{agency, action, caseId, due?}`). */
  action: ActionCodeSchema,
  agency: MspIdSchema,
  caseId: CaseIdSchema,
  due: IsoDateSchema.optional(),
  warningIds: z.array(z.string()).optional(),
});
/** A next action. */
export type Action = z.infer<typeof ActionSchema>;

/** Why enforcement is suspended (domain.md §4). */
export const SuspensiveReasonSchema = z.enum(['ORDERED', 'URGENT_PENDING', 'APPEAL_S75']);
/** Why enforcement is suspended. */
export type SuspensiveReason = z.infer<typeof SuspensiveReasonSchema>;

/** The case view of domain.md §4 in the API shape of architecture.md (the gateway adds the heights). */
export const CaseViewSchema = z.strictObject({
  caseId: CaseIdSchema,
  phase: z.enum(PHASES),
  outcome: OutcomeSchema.nullable(),
  flags: z.strictObject({
    registered: z.boolean(),
    procedurePending: z.boolean(),
    followUpPending: z.boolean(),
    protectionInForce: z.boolean(),
    dublinRunning: z.boolean(),
    decisionServed: z.boolean(),
    decisionFinal: z.boolean(),
    allocated: z.boolean(),
    absconded: z.boolean(),
    imported: z.boolean(),
    closed: z.boolean(),
  }),
  suspensiveEffect: z.strictObject({ reason: SuspensiveReasonSchema, reasons: z.array(SuspensiveReasonSchema) }).nullable(),
  returnScheduled: z.strictObject({ kind: ReturnKindSchema, executionStarted: z.boolean() }).nullable(),
  toleratedUntil: IsoDateSchema.nullable(),
  staysInForce: z.array(CourtRefSchema),
  responsibleAuthority: CodeSchema.nullable(),
  importedBy: z.array(MspIdSchema),
  purged: z.array(z.enum(COLLECTION_NAMES)),
  dates: z.strictObject({
    remedyDeadline: IsoDateSchema.nullable(),
    departureDeadline: IsoDateSchema.nullable(),
    dublinTransferDeadline: IsoDateSchema.nullable(),
    allocationNoticeDue: IsoDateSchema.nullable(),
  }),
  warnings: z.array(WarningSchema),
  actions: z.array(ActionSchema),
  lastEvent: z.strictObject({ type: z.enum(EVENT_TYPES), recordedAt: InstantSchema, txId: TxIdSchema }).nullable(),
  eventCount: z.number().int().nonnegative(),
  ruleVersion: z.string(),
});
/** The case view. */
export type CaseView = z.infer<typeof CaseViewSchema>;
