/**
 * REST request and response bodies, built from the domain core's schemas (one schema source). The
 * OpenAPI document is generated from these (openapi.ts).
 */
import {
  ActionSchema,
  ActorSchema,
  CaseIdSchema,
  CaseViewSchema,
  CodeSchema,
  EventInputSchema,
  EVENT_TYPES,
  ImportedFactSchema,
  InstantSchema,
  IsoDateSchema,
  MAX_IMPORTED_FACTS,
  PHASES,
  ReceiptSchema,
  ReturnKindSchema,
  RoleSchema,
  SeveritySchema,
  SourceMessageIdSchema,
  StoredEventSchema,
  TxIdSchema,
  WarningCodeSchema,
  WarningSchema,
  ActionCodeSchema,
  CaseDetailsReadRecordSchema,
  CaseDetailsSchema,
  DiffValueListsAnswerSchema,
  EnforcementSchema,
  ListValueListsAnswerSchema,
  MAX_VALUE_LIST_ENTRIES,
  ValueListAnswerSchema,
  ValueListApprovalSchema,
  ValueListChangeAnswerSchema,
  ValueListEntrySchema,
  ValueListNameSchema,
  ValueListVersionNumberSchema,
} from '@asl/chaincode/domain';
import { z } from 'zod';

/** Largest page any list route returns. */
export const MAX_PAGE_LIMIT = 100;
/** Page size when `limit` is not given. */
export const DEFAULT_PAGE_LIMIT = 50;

/** An opaque cursor from a previous page. */
export const CursorSchema = z.string().regex(/^[A-Za-z0-9_-]{1,200}$/);

/** Path parameter `caseId`. */
export const CaseIdParamsSchema = z.strictObject({ caseId: CaseIdSchema });

/** `POST /api/v1/case-ids`. */
export const CaseIdRequestSchema = z.strictObject({ azrNumber: z.string().min(1).max(32) }).meta({ id: 'CaseIdRequest' });
export const CaseIdResponseSchema = z.strictObject({ caseId: CaseIdSchema, keyVersion: z.string(), exists: z.boolean() }).meta({ id: 'CaseIdResponse' });

/** `POST /api/v1/court-refs`. */
export const CourtRefRequestSchema = z.strictObject({ court: CodeSchema, fileNumber: z.string().min(1).max(40) }).meta({ id: 'CourtRefRequest' });
export const CourtRefResponseSchema = z.strictObject({ courtRef: z.string().regex(/^r[a-z2-7]{31}$/), keyVersion: z.string() }).meta({ id: 'CourtRefResponse' });

/**
 * `POST /api/v1/cases/{caseId}/events`: the event envelope without `caseId` (it is in the path), plus
 * the agency's `caseDetails` record as transient data (the gateway adds the salt).
 */
export const EventRequestSchema = z
  .union(
    EventInputSchema.options
      .filter((o) => o.shape.type.value !== 'CASE_IMPORTED' && o.shape.type.value !== 'PERSONAL_DATA_PURGED')
      .map((o) => o.omit({ caseId: true }).extend({ caseDetails: CaseDetailsSchema.optional() })),
  )
  .meta({ id: 'EventRequest' });

/** The same body, as the handler reads it before `EventInputSchema` checks the assembled envelope. */
export interface EventRequest {
  readonly type: string;
  readonly occurredAt: string;
  readonly sourceMessageId: string;
  readonly data: unknown;
  readonly caseDetails?: z.infer<typeof CaseDetailsSchema>;
}

/** `{receipt, event, warnings}` of a write (domain.md §8). */
export const WriteResponseSchema = z
  .strictObject({ receipt: ReceiptSchema, event: StoredEventSchema, warnings: z.array(WarningSchema) })
  .meta({ id: 'WriteResponse' });

/** `PUT /api/v1/cases/{caseId}/enforcement`. */
export const EnforcementRequestSchema = EnforcementSchema.meta({ id: 'EnforcementRequest' });
/**
 * A committed `zabEnforcement` write as its block shows it: no event, so no receipt of domain.md §8's shape, but the
 * block, index, validation code and endorsers (ZAB alone: the collection's endorsement policy).
 */
export const EnforcementResponseSchema = z
  .strictObject({
    txId: TxIdSchema,
    blockNumber: z.string().regex(/^\d+$/),
    txIndex: z.number().int().min(0),
    validationCode: z.string(),
    endorsers: z.array(z.string()),
  })
  .meta({ id: 'EnforcementResponse' });

/** `POST /api/v1/cases/{caseId}/return-check`. */
export const ReturnCheckRequestSchema = z.strictObject({ kind: ReturnKindSchema }).meta({ id: 'ReturnCheckRequest' });
export const ReturnCheckResponseSchema = z
  .strictObject({
    caseId: CaseIdSchema,
    kind: ReturnKindSchema,
    blocked: z.boolean(),
    warnings: z.array(WarningSchema),
    evaluatedAt: InstantSchema,
  })
  .meta({ id: 'ReturnCheckResponse' });

/** Decimal block height. */
const Height = z.string().regex(/^\d+$/);

/** The case view with its read-time evaluation and the heights of ledger and read model. */
export const CaseViewResponseSchema = CaseViewSchema.extend({
  evaluatedAt: InstantSchema,
  ledgerHeight: Height,
  projectionHeight: Height,
}).meta({ id: 'CaseView' });

/** One timeline item (architecture.md). */
export const TimelineItemSchema = z
  .strictObject({
    event: z.strictObject({ type: z.enum(EVENT_TYPES), occurredAt: InstantSchema, data: z.record(z.string(), z.unknown()), sourceMessageId: SourceMessageIdSchema }),
    actor: ActorSchema,
    receipt: ReceiptSchema,
    retracted: z.boolean(),
    confirmationOf: TxIdSchema.optional(),
  })
  .meta({ id: 'TimelineItem' });
export const TimelineQuerySchema = z.strictObject({ cursor: CursorSchema.optional(), limit: z.coerce.number().int().min(1).max(MAX_PAGE_LIMIT).optional() });
export const TimelineResponseSchema = z
  .strictObject({ caseId: CaseIdSchema, items: z.array(TimelineItemSchema), cursor: CursorSchema.optional() })
  .meta({ id: 'Timeline' });

/** `GET /api/v1/cases/{caseId}/details`. */
export const DetailsResponseSchema = z
  .strictObject({
    caseId: CaseIdSchema,
    records: z.array(
      z.union([
        z.strictObject({ agency: z.string(), state: z.literal('present'), record: CaseDetailsReadRecordSchema }),
        z.strictObject({ agency: z.string(), state: z.literal('erased') }),
      ]),
    ),
  })
  .meta({ id: 'CaseDetails' });

const Bool = z.enum(['true', 'false']).transform((v) => v === 'true');

/** `GET /api/v1/cases`. */
export const ListQuerySchema = z.strictObject({
  phase: z.enum(PHASES).optional(),
  warning: WarningCodeSchema.optional(),
  action: ActionCodeSchema.optional(),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_LIMIT).optional(),
  cursor: CursorSchema.optional(),
});
export const CaseSummarySchema = z
  .strictObject({
    caseId: CaseIdSchema,
    phase: z.enum(PHASES),
    openWarnings: z.array(WarningCodeSchema),
    actions: z.array(ActionCodeSchema),
    lastEvent: CaseViewSchema.shape.lastEvent,
  })
  .meta({ id: 'CaseSummary' });
export const ListResponseSchema = z.strictObject({ items: z.array(CaseSummarySchema), cursor: CursorSchema.optional() }).meta({ id: 'CaseList' });

/** `GET /api/v1/warnings`. */
export const WarningsQuerySchema = z.strictObject({ severity: SeveritySchema.optional(), acknowledged: Bool.optional() });
export const WarningsResponseSchema = z.strictObject({ items: z.array(WarningSchema), evaluatedAt: InstantSchema }).meta({ id: 'WarningList' });

/** `GET /api/v1/actions`. */
export const ActionsResponseSchema = z.strictObject({ items: z.array(ActionSchema), evaluatedAt: InstantSchema }).meta({ id: 'ActionList' });

/** `GET /api/v1/events/stream`: without `from`, the stream starts at the beginning (or after `Last-Event-ID`). */
export const StreamQuerySchema = z.strictObject({
  from: z
    .enum(['head'])
    .optional()
    .describe('head: start after the stream’s current last item (no history); the first message is an id-only line naming it. A Last-Event-ID header takes precedence.'),
});

/** `GET /api/v1/stats`. */
export const StatsQuerySchema = z.strictObject({ from: IsoDateSchema.optional(), to: IsoDateSchema.optional() });
export const StatsResponseSchema = z
  .strictObject({
    from: IsoDateSchema.nullable(),
    to: IsoDateSchema.nullable(),
    cases: z.number().int().nonnegative(),
    perPhase: z.record(z.string(), z.number().int().nonnegative()),
    openWarningsByRule: z.record(z.string(), z.number().int().nonnegative()),
    overdueActions: z.number().int().nonnegative(),
    throughputDays: z.record(
      z.string(),
      z.strictObject({
        count: z.number().int().nonnegative(),
        /** Median duration in `unit` (calendar days, or Saxon working days where the service level counts them). */
        medianDays: z.number().nullable(),
        unit: z.enum(['calendarDays', 'workingDays']),
        /** The agreed service level in `unit`, e.g. 3 working days from protection to allocation (domain.md §4). */
        target: z.number().int().positive().optional(),
      }),
    ),
    evaluatedAt: InstantSchema,
  })
  .meta({ id: 'Stats' });
/** `GET /api/v1/stats` answer. */
export type StatsResponse = z.infer<typeof StatsResponseSchema>;

/** `GET /api/v1/cases/{caseId}/export`. */
export const ExportResponseSchema = z
  .strictObject({
    caseId: CaseIdSchema,
    exportedAt: InstantSchema,
    view: CaseViewResponseSchema,
    timeline: z.array(TimelineItemSchema),
    proofs: z.strictObject({
      note: z.string(),
      receipts: z.array(z.strictObject({ txId: TxIdSchema, blockNumber: z.string(), txIndex: z.number().int() })),
    }),
  })
  .meta({ id: 'CaseExport' });

/** `GET /api/v1/audit/access-log`. */
export const AccessLogQuerySchema = z.strictObject({
  caseId: CaseIdSchema.optional(),
  from: InstantSchema.optional(),
  to: InstantSchema.optional(),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_LIMIT).optional(),
  cursor: z.string().regex(/^\d{1,15}$/).optional(),
});
export const AccessLogResponseSchema = z
  .strictObject({
    items: z.array(
      z.strictObject({
        seq: z.number().int(),
        at: InstantSchema,
        userId: z.string(),
        role: RoleSchema,
        caseId: CaseIdSchema,
        resource: z.enum(['view', 'timeline', 'details', 'export']),
        fields: z.array(z.string()),
        prevHash: z.string(),
        hash: z.string(),
      }),
    ),
    cursor: z.string().optional(),
    chainIntact: z.boolean(),
  })
  .meta({ id: 'AccessLog' });

/** `POST /api/v1/session`. */
export const SessionRequestSchema = z.strictObject({ token: z.string().min(1).max(100) }).meta({ id: 'SessionRequest' });
export const SessionResponseSchema = z.strictObject({ userId: z.string(), role: RoleSchema, expiresAt: InstantSchema }).meta({ id: 'Session' });

/** An enrollment ID: a staff or system number, never a name. */
export const UserIdSchema = z.string().regex(/^[a-z0-9][a-z0-9._-]{2,63}$/);

/** `POST /api/v1/admin/users`. */
export const CreateUserRequestSchema = z.strictObject({ userId: UserIdSchema, role: RoleSchema }).meta({ id: 'CreateUserRequest' });
export const IssuedTokenSchema = z
  .strictObject({ userId: UserIdSchema, role: RoleSchema, tokenId: z.string(), token: z.string(), expiresAt: InstantSchema })
  .meta({ id: 'IssuedToken' });
export const UserParamsSchema = z.strictObject({ userId: UserIdSchema });
export const TokenParamsSchema = z.strictObject({ userId: UserIdSchema, tokenId: z.string().regex(/^tok_[A-Za-z0-9_-]{16,64}$/) });
export const RevokedResponseSchema = z
  .strictObject({ userId: UserIdSchema, revokedTokens: z.number().int().nonnegative(), certificateRevoked: z.boolean() })
  .meta({ id: 'Revoked' });

/** `POST /api/v1/admin/cases/{caseId}/import`. */
export const ImportRequestSchema = z
  .strictObject({
    facts: z.array(ImportedFactSchema).min(1).max(MAX_IMPORTED_FACTS),
    sourceMessageId: SourceMessageIdSchema,
    occurredAt: InstantSchema,
    caseDetails: CaseDetailsSchema.optional(),
  })
  .meta({ id: 'ImportRequest' });

/** `POST /api/v1/admin/cases/{caseId}/purge`. */
export const PurgeRequestSchema = z
  .strictObject({ collection: z.enum(['caseDetails', 'zabEnforcement']), sourceMessageId: SourceMessageIdSchema, occurredAt: InstantSchema })
  .meta({ id: 'PurgeRequest' });

/** `GET /healthz`, `/readyz`. */
export const HealthResponseSchema = z
  .strictObject({ status: z.enum(['ok', 'unavailable']), checks: z.record(z.string(), z.strictObject({ ok: z.boolean(), detail: z.string().optional() })).optional() })
  .meta({ id: 'Health' });

const Finding = z.strictObject({ code: z.string(), detail: z.string(), txIndex: z.number().int().optional() });

/** `POST /api/v1/audit/verify`. */
export const AuditVerifyRequestSchema = z
  .strictObject({
    fromBlock: z.number().int().nonnegative().optional(),
    toBlock: z.number().int().nonnegative().optional(),
    checkpoint: z.strictObject({ blockNumber: z.union([z.number().int().nonnegative(), z.string().regex(/^\d{1,15}$/)]), blockHash: z.string().regex(/^[0-9a-f]{64}$/) }).optional(),
  })
  .meta({ id: 'AuditVerifyRequest' });
export const AuditReportSchema = z
  .strictObject({
    valid: z.boolean(),
    channelId: z.string().nullable(),
    firstBlock: z.number().int().nullable(),
    lastBlock: z.number().int().nullable(),
    blocks: z.array(z.strictObject({ blockNumber: z.number().int(), blockHash: z.string(), valid: z.boolean(), errors: z.array(Finding), notices: z.array(Finding) })),
    errors: z.array(Finding),
    nextCheckpoint: z.strictObject({ blockNumber: z.string(), blockHash: z.string() }).nullable(),
    /**
     * The cross-agency check: the verified blocks compared with each partner agency's peer (header hash, validation
     * flags, commit hash), up to the height both reach. Divergences also appear in `errors` and make the report
     * invalid; a partner that could not be read (`UNREACHABLE`) or has none of the verified blocks yet (`BEHIND`) is
     * named as such and leaves `valid` to the own copy's verdict.
     */
    crossAgency: z
      .array(
        z.strictObject({
          peer: z.string(),
          mspId: z.string(),
          status: z.enum(['IDENTICAL', 'DIVERGENT', 'BEHIND', 'UNREACHABLE']),
          from: z.number().int().nullable(),
          to: z.number().int().nullable(),
          firstDivergentBlock: z.number().int().nullable(),
          divergences: z.array(z.strictObject({ blockNumber: z.number().int(), code: z.string(), detail: z.string() })),
        }),
      )
      .optional(),
  })
  .meta({ id: 'AuditReport' });
/** One finding of the verifier (stable `code`, human-readable `detail`). */
export type AuditFindingBody = z.infer<typeof Finding>;
/** The verifier's report of a block range. */
export type AuditReport = z.infer<typeof AuditReportSchema>;
/** What a client may send to `POST /api/v1/audit/verify`. */
export type AuditVerifyRequest = z.input<typeof AuditVerifyRequestSchema>;

/** `GET /api/v1/audit/receipts/{txId}`. */
export const TxIdParamsSchema = z.strictObject({ txId: TxIdSchema });
export const DerivedReceiptSchema = z
  .strictObject({
    txId: TxIdSchema,
    blockNumber: z.string().regex(/^\d+$/),
    txIndex: z.number().int().nonnegative(),
    validationCode: z.string(),
    endorsers: z.array(z.string()),
    creatorMspId: z.string().nullable(),
    verified: z.boolean(),
    findings: z.array(Finding),
  })
  .meta({ id: 'DerivedReceipt' });
/** A receipt re-derived from the blocks, with the verifier's verdict. */
export type DerivedReceipt = z.infer<typeof DerivedReceiptSchema>;

export { CaseIdSchema };

/** A version number in a path or query string. */
const VersionParam = z.coerce.number().pipe(ValueListVersionNumberSchema);

/** Path parameter `list`. */
export const ValueListParamsSchema = z.strictObject({ list: ValueListNameSchema });
/** Path parameters `list` and `version`. */
export const ValueListVersionParamsSchema = z.strictObject({ list: ValueListNameSchema, version: VersionParam });

/** `GET /api/v1/value-lists`: every list's version in force, pending proposal and history. */
export const ValueListsResponseSchema = ListValueListsAnswerSchema.meta({ id: 'ValueLists' });

/** `GET /api/v1/value-lists/{list}?version=`: one version with its entries (without `version`: the one in force). */
export const ValueListQuerySchema = z.strictObject({ version: VersionParam.optional() });
export const ValueListResponseSchema = ValueListAnswerSchema.meta({ id: 'ValueList' });

/** `GET /api/v1/value-lists/{list}/diff?from=&to=`. */
export const ValueListDiffQuerySchema = z.strictObject({ from: VersionParam, to: VersionParam });
export const ValueListDiffResponseSchema = DiffValueListsAnswerSchema.meta({ id: 'ValueListDiff' });

/**
 * `POST /api/v1/value-lists/{list}/proposals`: the complete entries of the next version (the list is in
 * the path). The rules that span entries (duplicates, AGS codes, `usedFor`, successors) are the domain's
 * `ValueListProposalSchema`, judged on the assembled proposal.
 */
export const ValueListProposalRequestSchema = z
  .strictObject({ version: ValueListVersionNumberSchema, entries: z.array(ValueListEntrySchema).min(1).max(MAX_VALUE_LIST_ENTRIES) })
  .meta({ id: 'ValueListProposalRequest' });

/** `POST /api/v1/value-lists/{list}/versions/{version}/approvals`: the content hash the admin reviewed. */
export const ValueListApprovalRequestSchema = ValueListApprovalSchema.pick({ contentHash: true }).meta({ id: 'ValueListApprovalRequest' });

/** The answer of a proposal or approval: the version without its entries and where it stands. */
export const ValueListChangeResponseSchema = ValueListChangeAnswerSchema.meta({ id: 'ValueListChange' });
