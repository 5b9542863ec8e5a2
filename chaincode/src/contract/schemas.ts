/**
 * Schemas of the contract's own request arguments (case reads, purge). The event envelope, the private
 * records, the value-list arguments and every answer and chaincode-event payload are the domain core's
 * (`private-records.ts`, `contract-messages.ts`, `value-lists.ts`), shared with the gateway and adapters.
 */
import { z } from 'zod';
import { COLLECTION_NAMES } from '../domain/contract-names';
import { PHASES } from '../domain/event-types';
import { CaseIdSchema, InstantSchema, MspIdSchema, SourceMessageIdSchema, WarningCodeSchema } from '../domain/schemas';

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
  collection: z.enum(COLLECTION_NAMES),
  sourceMessageId: SourceMessageIdSchema,
  occurredAt: InstantSchema,
});
