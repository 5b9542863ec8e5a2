/**
 * What the `procedure` contract answers and emits, as zod schemas other workspaces parse with: the answers
 * of its transactions, the chaincode-event payloads and the value-list read arguments (the contract's other
 * arguments are `EventInputSchema`, `ValueListProposalSchema`, `ValueListApprovalSchema` and the contract's
 * own request schemas). Types are `z.infer` of these.
 */
import { z } from 'zod';
import {
  CaseDetailsReadRecordSchema,
  EnforcementRecordSchema,
  RecordStatusSchema,
} from './private-records';
import {
  CaseIdSchema,
  CaseViewSchema,
  ChaincodeReceiptSchema,
  InstantSchema,
  MspIdSchema,
  SourceMessageIdSchema,
  StoredEventSchema,
  TxIdSchema,
  ValueListNameSchema,
  ValueListVersionNumberSchema,
  WarningCodeSchema,
  WarningSchema,
} from './schemas';
import { ValueListDiffSchema, ValueListSummarySchema, ValueListVersionSchema } from './value-lists';

/** The answer of `RecordEvent`, `ImportCase` and `PurgePrivateData` (which adds `purged`, the records purged). */
export const RecordAnswerSchema = z.strictObject({
  receipt: ChaincodeReceiptSchema,
  event: StoredEventSchema,
  warnings: z.array(WarningSchema),
  blocked: z.boolean(),
  reasons: z.array(WarningCodeSchema),
  purged: z.number().int().nonnegative().optional(),
});

/** The answer of a write transaction. */
export type RecordAnswer = z.infer<typeof RecordAnswerSchema>;

/** The payload of both chaincode events `CaseEventRecorded` and `ReturnConflict` (domain.md §5). */
export const ChaincodeEventPayloadSchema = z.strictObject({
  event: StoredEventSchema,
  txId: TxIdSchema,
  recordedAt: InstantSchema,
  ruleVersion: z.string(),
  warnings: z.array(WarningSchema).readonly(),
  blocked: z.boolean(),
  reasons: z.array(WarningCodeSchema).readonly(),
});

/** The payload both chaincode events carry. */
export type ChaincodeEventPayload = z.infer<typeof ChaincodeEventPayloadSchema>;

/** The answer of `GetCase`: the cached view. */
export const CaseAnswerSchema = CaseViewSchema;

/** One item of a `GetTimeline` page: an event in ledger order with the chaincode's part of its receipt. */
export const TimelineItemSchema = z.strictObject({
  position: z.number().int().nonnegative(),
  event: StoredEventSchema,
  receipt: ChaincodeReceiptSchema,
  retracted: z.boolean(),
});

/** One item of a `GetTimeline` page. */
export type TimelineItem = z.infer<typeof TimelineItemSchema>;

/** The answer of `GetTimeline`. */
export const TimelineAnswerSchema = z.strictObject({
  caseId: CaseIdSchema,
  items: z.array(TimelineItemSchema),
  bookmark: z.string().optional(),
});

/** The answer of `GetTimeline`. */
export type TimelineAnswer = z.infer<typeof TimelineAnswerSchema>;

/** The answer of `GetWrite`. */
export const WriteAnswerSchema = z.strictObject({
  mspId: MspIdSchema,
  sourceMessageId: SourceMessageIdSchema,
  caseId: CaseIdSchema,
  contentHash: z.string(),
  receipt: ChaincodeReceiptSchema,
  event: StoredEventSchema,
});

/** The answer of `GetWrite`. */
export type WriteAnswer = z.infer<typeof WriteAnswerSchema>;

/** The answer of `ListCases`. */
export const ListCasesAnswerSchema = z.strictObject({
  items: z.array(z.strictObject({ caseId: CaseIdSchema, view: CaseViewSchema })),
  bookmark: CaseIdSchema.optional(),
});

/** The answer of `GetCaseDetails`: one entry per member agency, in MSP ID order. */
export const CaseDetailsAnswerSchema = z.strictObject({
  caseId: CaseIdSchema,
  records: z.array(
    z.strictObject({
      agency: MspIdSchema,
      status: RecordStatusSchema,
      record: CaseDetailsReadRecordSchema.optional(),
    }),
  ),
});

/** The answer of `GetCaseDetails`. */
export type CaseDetailsAnswer = z.infer<typeof CaseDetailsAnswerSchema>;

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

/** Where a version stands. */
export type ValueListStatus = z.infer<typeof ValueListStatusSchema>;

/** The answer of `ProposeValueList` and `ApproveValueList`: the version without its entries. */
export const ValueListChangeAnswerSchema = z.strictObject({
  valueList: ValueListSummarySchema,
  status: ValueListStatusSchema,
});

/** The answer of `ProposeValueList` and `ApproveValueList`. */
export type ValueListChangeAnswer = z.infer<typeof ValueListChangeAnswerSchema>;

/** The answer of `GetValueList`: the version with its entries and its status. */
export const ValueListAnswerSchema = ValueListVersionSchema.extend({ status: ValueListStatusSchema });

/** The answer of `GetValueList`. */
export type ValueListAnswer = z.infer<typeof ValueListAnswerSchema>;

/** One list in `ListValueLists`: the version in force, the pending proposal and when each version came into force. */
export const ValueListOverviewSchema = z.strictObject({
  list: ValueListNameSchema,
  inForce: ValueListSummarySchema.nullable(),
  pending: ValueListSummarySchema.nullable(),
  history: z.array(z.strictObject({ version: ValueListVersionNumberSchema, inForceFrom: InstantSchema })),
});

/** One list in `ListValueLists`. */
export type ValueListOverview = z.infer<typeof ValueListOverviewSchema>;

/** The answer of `ListValueLists`: one item per list, in the domain's list order. */
export const ListValueListsAnswerSchema = z.strictObject({ items: z.array(ValueListOverviewSchema) });

/** The answer of `ListValueLists`. */
export type ListValueListsAnswer = z.infer<typeof ListValueListsAnswerSchema>;

/** The answer of `DiffValueLists`. */
export const DiffValueListsAnswerSchema = ValueListDiffSchema;
