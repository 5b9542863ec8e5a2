/**
 * Schemas of the contract's own boundary: transaction arguments other than the event envelope (which
 * is the domain core's), and the private records that arrive as transient data. The private-record
 * schemas live here until the domain core takes them over (they are shared with the gateway).
 */
import { z } from 'zod';
import { PHASES } from '../domain/event-types';
import {
  ValueListDiffSchema,
  ValueListSummarySchema,
  ValueListVersionSchema,
} from '../domain/value-lists';
import {
  ActorSchema,
  CaseIdSchema,
  CaseViewSchema,
  ChaincodeReceiptSchema,
  CodeSchema,
  StoredEventSchema,
  WarningSchema,
  InstantSchema,
  IsoDateSchema,
  MspIdSchema,
  SourceMessageIdSchema,
  TxIdSchema,
  ValueListNameSchema,
  ValueListVersionNumberSchema,
  WarningCodeSchema,
} from '../domain/schemas';

/** A code of a measure in the enforcement record: SCREAMING_SNAKE. */
const MeasureCodeSchema = z.string().regex(/^[A-Z][A-Z0-9_]{0,63}$/);

/** The largest page a list transaction returns. */
export const MAX_PAGE_SIZE = 100;

/** Page size and the bookmark a previous page returned. */
const PageFields = {
  pageSize: z.number().int().min(1).max(MAX_PAGE_SIZE).optional(),
  bookmark: z.string().max(200).optional(),
};

/** `GetCase`, `GetCaseDetails`, `GetEnforcement`, `PutCaseDetails`, `PutEnforcement`. */
export const CaseRequestSchema = z.strictObject({ caseId: CaseIdSchema });

/** `GetTimeline`: events in ledger order, paged. */
export const TimelineRequestSchema = z.strictObject({ caseId: CaseIdSchema, ...PageFields });

/** `GetWrite`: the write recorded for a `sourceMessageId` of the caller's organisation or of `mspId`. */
export const WriteRequestSchema = z.strictObject({
  sourceMessageId: SourceMessageIdSchema,
  mspId: MspIdSchema.optional(),
});

/** `ListCases`: cases in a phase, or with an open event-rule warning; exactly one of the two. */
export const ListCasesRequestSchema = z
  .strictObject({ phase: z.enum(PHASES).optional(), warning: WarningCodeSchema.optional(), ...PageFields })
  .refine((r) => (r.phase === undefined) !== (r.warning === undefined), { message: 'exactly one of phase, warning' });

/** `PurgePrivateData`: purges a collection's records of a case and records `PERSONAL_DATA_PURGED`. */
export const PurgeRequestSchema = z.strictObject({
  caseId: CaseIdSchema,
  collection: z.enum(['caseDetails', 'zabEnforcement']),
  sourceMessageId: SourceMessageIdSchema,
  occurredAt: InstantSchema,
});

/** Plain text a person typed: no control, format, surrogate, private-use or unassigned code points. */
const Text = (max: number) => z.string().min(1).max(max).regex(/^[^\p{C}]+$/u);

/**
 * The 32 random bytes every private record carries (domain.md §2), as canonical standard base64: the
 * chaincode may not generate randomness, so the client supplies them in the transient data.
 */
export const SaltSchema = z
  .string()
  .regex(/^[A-Za-z0-9+/]{43}=$/)
  .refine((s) => Buffer.from(s, 'base64').length === 32 && Buffer.from(s, 'base64').toString('base64') === s, {
    message: 'not 32 bytes of base64',
  });

/** AZR number as typed (spaces, dots, hyphens allowed), 8 to 16 digits once those are removed. */
const AzrNumber = z
  .string()
  .max(32)
  .regex(/^[0-9 .-]+$/)
  .refine((s) => /^[0-9]{8,16}$/.test(s.replace(/[ .-]/g, '')), { message: 'not an AZR number' });

/** What an agency needs to recognise the person of a case. Unknown fields are rejected. */
export const CaseDetailsSchema = z.strictObject({
  familyName: Text(200).optional(),
  givenNames: Text(200).optional(),
  dateOfBirth: z.string().regex(/^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$/).optional(),
  nationality: z.string().regex(/^[A-Z]{3}$/).optional(),
  azrNumber: AzrNumber.optional(),
  bamfFileNumber: z.string().regex(/^[A-Za-z0-9 ./-]{1,40}$/).optional(),
  courtFiles: z
    .array(z.strictObject({ court: CodeSchema, fileNumber: z.string().regex(/^[A-Za-z0-9 ./-]{1,40}$/) }))
    .max(20)
    .optional(),
});

/** The details of a `caseDetails` record. */
export type CaseDetails = z.infer<typeof CaseDetailsSchema>;

/** The `caseDetails` transient document: the details plus the salt, at least one detail. */
export const CaseDetailsInputSchema = CaseDetailsSchema.extend({ salt: SaltSchema }).refine(
  (d) => Object.keys(d).length > 1,
  { message: 'no details' },
);

/** A `caseDetails` transient document. */
export type CaseDetailsInput = z.infer<typeof CaseDetailsInputSchema>;

/**
 * ZAB's enforcement facts (`zabEnforcement`, ZAB only): the dates of return measures that must never
 * reach BAMF's peer (§ 59 Abs. 1 S. 8 AufenthG). Measures are codes with dates, never free text.
 */
export const EnforcementSchema = z.strictObject({
  kind: z.enum(['DEPORTATION', 'DUBLIN_TRANSFER']),
  scheduledOn: IsoDateSchema,
  measures: z.array(z.strictObject({ code: MeasureCodeSchema, on: IsoDateSchema })).max(20).optional(),
});

/** The facts of a `zabEnforcement` record. */
export type Enforcement = z.infer<typeof EnforcementSchema>;

/** The `zabEnforcement` transient document: the facts plus the salt. */
export const EnforcementInputSchema = EnforcementSchema.extend({ salt: SaltSchema });

/** A `zabEnforcement` transient document. */
export type EnforcementInput = z.infer<typeof EnforcementInputSchema>;

/** Who wrote a private record, when and in which transaction. */
const RecordStamp = {
  caseId: CaseIdSchema,
  txId: TxIdSchema,
  recordedAt: InstantSchema,
  writer: ActorSchema,
};

/** A stored `caseDetails` record: one per agency per case. */
export const CaseDetailsRecordSchema = z.strictObject({
  ...RecordStamp,
  agency: MspIdSchema,
  details: CaseDetailsSchema,
  salt: SaltSchema,
});

/** A stored `caseDetails` record. */
export type CaseDetailsRecord = z.infer<typeof CaseDetailsRecordSchema>;

/** A stored `zabEnforcement` record. */
export const EnforcementRecordSchema = z.strictObject({
  ...RecordStamp,
  enforcement: EnforcementSchema,
  salt: SaltSchema,
});

/** A stored `zabEnforcement` record. */
export type EnforcementRecord = z.infer<typeof EnforcementRecordSchema>;

/** The answer of `RecordEvent`, `ImportCase` and `PurgePrivateData` (which adds `purged`, the records purged). */
export const RecordAnswerSchema = z.strictObject({
  receipt: ChaincodeReceiptSchema,
  event: StoredEventSchema,
  warnings: z.array(WarningSchema),
  blocked: z.boolean(),
  reasons: z.array(WarningCodeSchema),
  purged: z.number().int().nonnegative().optional(),
});

/** The payload of both chaincode events `CaseEventRecorded` and `ReturnConflict` (domain.md §5). */
export const ChaincodeEventPayloadSchema = z.strictObject({
  event: StoredEventSchema,
  txId: TxIdSchema,
  recordedAt: InstantSchema,
  ruleVersion: z.string(),
  warnings: z.array(WarningSchema),
  blocked: z.boolean(),
  reasons: z.array(WarningCodeSchema),
});

/** The answer of `GetCase`: the cached view. */
export const CaseAnswerSchema = CaseViewSchema;

/** The answer of `GetTimeline`. */
export const TimelineAnswerSchema = z.strictObject({
  caseId: CaseIdSchema,
  items: z.array(
    z.strictObject({
      position: z.number().int().nonnegative(),
      event: StoredEventSchema,
      receipt: ChaincodeReceiptSchema,
      retracted: z.boolean(),
    }),
  ),
  bookmark: z.string().optional(),
});

/** The answer of `GetWrite`. */
export const WriteAnswerSchema = z.strictObject({
  mspId: MspIdSchema,
  sourceMessageId: SourceMessageIdSchema,
  caseId: CaseIdSchema,
  contentHash: z.string(),
  receipt: ChaincodeReceiptSchema,
  event: StoredEventSchema,
});

/** The answer of `ListCases`. */
export const ListCasesAnswerSchema = z.strictObject({
  items: z.array(z.strictObject({ caseId: CaseIdSchema, view: CaseViewSchema })),
  bookmark: CaseIdSchema.optional(),
});

/** Whether a private record is there, was erased by a purge, or was never written. */
export const RecordStatusSchema = z.enum(['PRESENT', 'ERASED', 'ABSENT']);

/** The answer of `GetCaseDetails`: one entry per member agency, in MSP ID order. */
export const CaseDetailsAnswerSchema = z.strictObject({
  caseId: CaseIdSchema,
  records: z.array(
    z.strictObject({
      agency: MspIdSchema,
      status: RecordStatusSchema,
      record: CaseDetailsRecordSchema.omit({ salt: true }).optional(),
    }),
  ),
});

/** The answer of `GetEnforcement`. */
export const EnforcementAnswerSchema = z.strictObject({
  caseId: CaseIdSchema,
  status: RecordStatusSchema,
  record: EnforcementRecordSchema.omit({ salt: true }).optional(),
});

/** The answer of `PutCaseDetails`. */
export const PutCaseDetailsAnswerSchema = z.strictObject({
  caseId: CaseIdSchema,
  agency: MspIdSchema,
  txId: TxIdSchema,
  recordedAt: InstantSchema,
});

/** The answer of `PutEnforcement`. */
export const PutEnforcementAnswerSchema = PutCaseDetailsAnswerSchema.omit({ agency: true });

/** `GetValueList`: one version of a list, or (without `version`) the version in force now. */
export const GetValueListRequestSchema = z.strictObject({
  list: ValueListNameSchema,
  version: ValueListVersionNumberSchema.optional(),
});

/** `ListValueLists`: every list's version in force and pending proposal (no arguments). */
export const ListValueListsRequestSchema = z.strictObject({});

/** `DiffValueLists`: the difference between two versions of a list (either order, pending ones too). */
export const DiffValueListsRequestSchema = z.strictObject({
  list: ValueListNameSchema,
  from: ValueListVersionNumberSchema,
  to: ValueListVersionNumberSchema,
});

/** Where a version stands: in force now, in force before a later version, or proposed. */
export const ValueListStatusSchema = z.enum(['IN_FORCE', 'SUPERSEDED', 'PROPOSED']);

/** The answer of `ProposeValueList` and `ApproveValueList`: the version without its entries. */
export const ValueListChangeAnswerSchema = z.strictObject({
  valueList: ValueListSummarySchema,
  status: ValueListStatusSchema,
});

/** The answer of `GetValueList`: the version with its entries and its status. */
export const ValueListAnswerSchema = ValueListVersionSchema.extend({ status: ValueListStatusSchema });

/** The answer of `ListValueLists`: one item per list, in the domain's list order. */
export const ListValueListsAnswerSchema = z.strictObject({
  items: z.array(
    z.strictObject({
      list: ValueListNameSchema,
      inForce: ValueListSummarySchema.nullable(),
      pending: ValueListSummarySchema.nullable(),
      history: z.array(z.strictObject({ version: ValueListVersionNumberSchema, inForceFrom: InstantSchema })),
    }),
  ),
});

/** The answer of `DiffValueLists`. */
export const DiffValueListsAnswerSchema = ValueListDiffSchema;
