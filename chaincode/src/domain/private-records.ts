/**
 * The private records (domain.md §2): `caseDetails` (both agencies, one record per agency per case) and
 * `zabEnforcement` (ZAB only). One schema source for the chaincode's transient input and stored records,
 * the gateway's REST bodies and the adapters' messages.
 */
import { z } from 'zod';
import { ActorSchema, CaseIdSchema, CodeSchema, InstantSchema, IsoDateSchema, MspIdSchema, TxIdSchema } from './schemas';

/** A code of a measure in the enforcement record: SCREAMING_SNAKE. */
const MeasureCodeSchema = z.string().regex(/^[A-Z][A-Z0-9_]{0,63}$/);

/**
 * The last of 43 base64 characters encoding 32 bytes carries 2 padding bits, which are zero in the
 * canonical encoding: one of these 16 characters.
 */
const CANONICAL_LAST_SALT_CHARACTERS = 'AEIMQUYcgkosw048';

/**
 * The 32 random bytes every private record carries (domain.md §2), as canonical standard base64: the
 * chaincode may not generate randomness, so the client supplies them in the transient data.
 */
export const SaltSchema = z
  .string()
  .regex(/^[A-Za-z0-9+/]{43}=$/)
  .refine((s) => CANONICAL_LAST_SALT_CHARACTERS.includes(s.charAt(42)), { message: 'not 32 bytes of base64' });

/** Plain text a person typed: no control, format, surrogate, private-use or unassigned code points. */
const Text = (max: number) => z.string().min(1).max(max).regex(/^[^\p{C}]+$/u);

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

/** A `caseDetails` record as readers get it: never its salt. */
export const CaseDetailsReadRecordSchema = CaseDetailsRecordSchema.omit({ salt: true });

/** A `caseDetails` record as readers get it. */
export type CaseDetailsReadRecord = z.infer<typeof CaseDetailsReadRecordSchema>;

/** A stored `zabEnforcement` record. */
export const EnforcementRecordSchema = z.strictObject({
  ...RecordStamp,
  enforcement: EnforcementSchema,
  salt: SaltSchema,
});

/** A stored `zabEnforcement` record. */
export type EnforcementRecord = z.infer<typeof EnforcementRecordSchema>;

/** Whether a private record is there, was erased by a purge, or was never written. */
export const RecordStatusSchema = z.enum(['PRESENT', 'ERASED', 'ABSENT']);

/** Whether a private record is there, was erased by a purge, or was never written. */
export type RecordStatus = z.infer<typeof RecordStatusSchema>;
