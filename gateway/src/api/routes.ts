import type { Role } from '@asl/chaincode/domain';
import { z } from 'zod';
import { ProblemSchema } from '../http/problem';
import * as S from './schemas';

/** Who may call a route: a list of roles, any holder of a valid token, or anyone. */
export type Access = { readonly roles: readonly Role[]; readonly zabOnly?: boolean } | 'token' | 'public';

/** One documented response. */
export interface ResponseSpec {
  readonly description: string;
  readonly schema?: z.ZodType;
  /** Defaults to application/json. */
  readonly contentType?: string;
}

/** One REST route: the single description the Express binding and the OpenAPI document both read. */
export interface RouteSpec {
  readonly operationId: string;
  readonly method: 'get' | 'post' | 'put' | 'delete';
  /** OpenAPI-style path (`{caseId}`); the Express path is derived from it. */
  readonly path: string;
  readonly summary: string;
  readonly access: Access;
  readonly params?: z.ZodObject;
  readonly query?: z.ZodObject;
  readonly body?: z.ZodType;
  readonly responses: Readonly<Record<number, ResponseSpec>>;
}

const RW: readonly Role[] = ['adapter', 'caseworker'];
const READ: readonly Role[] = ['adapter', 'caseworker', 'auditor'];
const OVERVIEW: readonly Role[] = ['caseworker', 'auditor'];
const ADMIN: readonly Role[] = ['admin'];
/** Value lists are public reference data: every role reads them (architecture.md: "everyone to read"). */
const EVERYONE: readonly Role[] = ['adapter', 'caseworker', 'auditor', 'admin'];

const json = (description: string, schema: z.ZodType): ResponseSpec => ({ description, schema });

/** Every route of the REST API (architecture.md), in the order of its table. */
export const ROUTES = [
  { operationId: 'createCaseId', method: 'post', path: '/api/v1/case-ids', summary: 'The pseudonymous caseId of an AZR number (key epochs: an existing case under an older key wins)', access: { roles: RW }, body: S.CaseIdRequestSchema, responses: { 200: json('caseId', S.CaseIdResponseSchema) } },
  { operationId: 'createCourtRef', method: 'post', path: '/api/v1/court-refs', summary: 'The pseudonymous courtRef of a court file number', access: { roles: RW }, body: S.CourtRefRequestSchema, responses: { 200: json('courtRef', S.CourtRefResponseSchema) } },
  { operationId: 'recordEvent', method: 'post', path: '/api/v1/cases/{caseId}/events', summary: 'Records an event (and this agency’s caseDetails as transient data); waits for the commit', access: { roles: RW }, params: S.CaseIdParamsSchema, body: S.EventRequestSchema, responses: { 201: json('recorded', S.WriteResponseSchema), 200: json('ALREADY_APPLIED: the original receipt', S.WriteResponseSchema) } },
  { operationId: 'putEnforcement', method: 'put', path: '/api/v1/cases/{caseId}/enforcement', summary: 'Writes the ZAB-only zabEnforcement record (ZAB endorsement only)', access: { roles: RW, zabOnly: true }, params: S.CaseIdParamsSchema, body: S.EnforcementRequestSchema, responses: { 200: json('committed', S.EnforcementResponseSchema) } },
  { operationId: 'checkReturn', method: 'post', path: '/api/v1/cases/{caseId}/return-check', summary: 'Judges every return rule now for a planned kind; writes nothing', access: { roles: RW, zabOnly: true }, params: S.CaseIdParamsSchema, body: S.ReturnCheckRequestSchema, responses: { 200: json('judgement', S.ReturnCheckResponseSchema) } },
  { operationId: 'getCase', method: 'get', path: '/api/v1/cases/{caseId}', summary: 'The case view with warnings (clock rules judged now) and next actions', access: { roles: READ }, params: S.CaseIdParamsSchema, query: z.strictObject({ consistent: z.enum(['true', 'false']).optional() }), responses: { 200: json('case view', S.CaseViewResponseSchema) } },
  { operationId: 'getTimeline', method: 'get', path: '/api/v1/cases/{caseId}/timeline', summary: 'Events in ledger order with their receipts', access: { roles: READ }, params: S.CaseIdParamsSchema, query: S.TimelineQuerySchema, responses: { 200: json('timeline page', S.TimelineResponseSchema) } },
  { operationId: 'getDetails', method: 'get', path: '/api/v1/cases/{caseId}/details', summary: 'Both agencies’ caseDetails records (or erased); access-logged', access: { roles: RW }, params: S.CaseIdParamsSchema, responses: { 200: json('details', S.DetailsResponseSchema) } },
  { operationId: 'listCases', method: 'get', path: '/api/v1/cases', summary: 'Paged list of cases', access: { roles: OVERVIEW }, query: S.ListQuerySchema, responses: { 200: json('page', S.ListResponseSchema) } },
  { operationId: 'listWarnings', method: 'get', path: '/api/v1/warnings', summary: 'Open warnings, newest first', access: { roles: RW }, query: S.WarningsQuerySchema, responses: { 200: json('warnings', S.WarningsResponseSchema) } },
  { operationId: 'listActions', method: 'get', path: '/api/v1/actions', summary: 'This agency’s next actions, by due date', access: { roles: RW }, responses: { 200: json('actions', S.ActionsResponseSchema) } },
  { operationId: 'getStats', method: 'get', path: '/api/v1/stats', summary: 'Counts per phase, open warnings by rule, overdue actions, throughput (no case ids)', access: { roles: OVERVIEW }, query: S.StatsQuerySchema, responses: { 200: json('stats', S.StatsResponseSchema) } },
  { operationId: 'streamEvents', method: 'get', path: '/api/v1/events/stream', summary: 'Server-sent events; Last-Event-ID resumes without gaps; ?from=head starts after the current last item instead of replaying the history', access: { roles: RW }, query: S.StreamQuerySchema, responses: { 200: { description: 'event stream', contentType: 'text/event-stream' } } },
  { operationId: 'exportCase', method: 'get', path: '/api/v1/cases/{caseId}/export', summary: 'The case history with receipts, for courts and access requests', access: { roles: OVERVIEW }, params: S.CaseIdParamsSchema, responses: { 200: json('export', S.ExportResponseSchema) } },
  { operationId: 'getReceipt', method: 'get', path: '/api/v1/audit/receipts/{txId}', summary: 'The receipt re-derived from the blocks, verified', access: { roles: ['auditor'] }, params: S.TxIdParamsSchema, responses: { 200: json('receipt', S.DerivedReceiptSchema) } },
  { operationId: 'verifyLedger', method: 'post', path: '/api/v1/audit/verify', summary: 'Hash chain, signatures, endorsements of a block range; a report', access: { roles: ['auditor'] }, body: S.AuditVerifyRequestSchema, responses: { 200: json('report', S.AuditReportSchema) } },
  { operationId: 'getAccessLog', method: 'get', path: '/api/v1/audit/access-log', summary: 'Who read what', access: { roles: ['auditor'] }, query: S.AccessLogQuerySchema, responses: { 200: json('access log page', S.AccessLogResponseSchema) } },
  { operationId: 'createSession', method: 'post', path: '/api/v1/session', summary: 'Sign-in: an httpOnly SameSite=Strict cookie standing for the token', access: 'public', body: S.SessionRequestSchema, responses: { 200: json('signed in', S.SessionResponseSchema) } },
  { operationId: 'deleteSession', method: 'delete', path: '/api/v1/session', summary: 'Sign-out: clears the session cookie', access: 'public', responses: { 204: { description: 'signed out' } } },
  { operationId: 'createUser', method: 'post', path: '/api/v1/admin/users', summary: 'Registers and enrols a person or system in the CA; returns its first token once', access: { roles: ADMIN }, body: S.CreateUserRequestSchema, responses: { 201: json('created', S.IssuedTokenSchema) } },
  { operationId: 'issueToken', method: 'post', path: '/api/v1/admin/users/{userId}/tokens', summary: 'Issues a new token (returned once)', access: { roles: ADMIN }, params: S.UserParamsSchema, responses: { 201: json('issued', S.IssuedTokenSchema) } },
  { operationId: 'revokeToken', method: 'delete', path: '/api/v1/admin/users/{userId}/tokens/{tokenId}', summary: 'Revokes one token', access: { roles: ADMIN }, params: S.TokenParamsSchema, responses: { 204: { description: 'revoked' } } },
  { operationId: 'revokeUser', method: 'delete', path: '/api/v1/admin/users/{userId}', summary: 'Revokes all the user’s tokens and its certificate in the CA', access: { roles: ADMIN }, params: S.UserParamsSchema, responses: { 200: json('revoked', S.RevokedResponseSchema) } },
  { operationId: 'importCase', method: 'post', path: '/api/v1/admin/cases/{caseId}/import', summary: 'CASE_IMPORTED for go-live', access: { roles: ADMIN }, params: S.CaseIdParamsSchema, body: S.ImportRequestSchema, responses: { 201: json('recorded', S.WriteResponseSchema), 200: json('ALREADY_APPLIED', S.WriteResponseSchema) } },
  { operationId: 'purgeCase', method: 'post', path: '/api/v1/admin/cases/{caseId}/purge', summary: 'Purges private data for the case', access: { roles: ADMIN }, params: S.CaseIdParamsSchema, body: S.PurgeRequestSchema, responses: { 201: json('recorded', S.WriteResponseSchema), 200: json('ALREADY_APPLIED', S.WriteResponseSchema) } },
  { operationId: 'listValueLists', method: 'get', path: '/api/v1/value-lists', summary: 'Every value list: the version in force, any pending proposal, when each version came into force', access: { roles: EVERYONE }, responses: { 200: json('value lists', S.ValueListsResponseSchema) } },
  { operationId: 'getValueList', method: 'get', path: '/api/v1/value-lists/{list}', summary: 'One version of a value list with its entries (without ?version=: the version in force now)', access: { roles: EVERYONE }, params: S.ValueListParamsSchema, query: S.ValueListQuerySchema, responses: { 200: json('value list version', S.ValueListResponseSchema) } },
  { operationId: 'diffValueLists', method: 'get', path: '/api/v1/value-lists/{list}/diff', summary: 'Added, removed, changed and retired codes between two versions of a list', access: { roles: EVERYONE }, params: S.ValueListParamsSchema, query: S.ValueListDiffQuerySchema, responses: { 200: json('diff', S.ValueListDiffResponseSchema) } },
  { operationId: 'proposeValueList', method: 'post', path: '/api/v1/value-lists/{list}/proposals', summary: 'Proposes the next version of a list (version in force + 1); in force once every other member’s admin approved', access: { roles: ADMIN }, params: S.ValueListParamsSchema, body: S.ValueListProposalRequestSchema, responses: { 201: json('proposed (an identical retry answers the same)', S.ValueListChangeResponseSchema) } },
  { operationId: 'approveValueList', method: 'post', path: '/api/v1/value-lists/{list}/versions/{version}/approvals', summary: 'Approves a proposed version with the contentHash the admin reviewed', access: { roles: ADMIN }, params: S.ValueListVersionParamsSchema, body: S.ValueListApprovalRequestSchema, responses: { 201: json('approved', S.ValueListChangeResponseSchema) } },
  { operationId: 'healthz', method: 'get', path: '/healthz', summary: 'Liveness', access: 'public', responses: { 200: json('alive', S.HealthResponseSchema) } },
  { operationId: 'readyz', method: 'get', path: '/readyz', summary: 'Readiness: peer reachable, read model caught up with the ledger since the start and not too far behind', access: 'public', responses: { 200: json('ready', S.HealthResponseSchema), 503: json('not ready', S.HealthResponseSchema) } },
  { operationId: 'metrics', method: 'get', path: '/metrics', summary: 'Prometheus metrics', access: 'public', responses: { 200: { description: 'Prometheus text format', contentType: 'text/plain; version=0.0.4' } } },
  { operationId: 'openapi', method: 'get', path: '/openapi.json', summary: 'This document', access: 'public', responses: { 200: { description: 'OpenAPI 3.1' } } },
] as const satisfies readonly RouteSpec[];

/** An operation id of {@link ROUTES}. */
export type OperationId = (typeof ROUTES)[number]['operationId'];

/** The Express path of an OpenAPI path (`{caseId}` → `:caseId`). */
export function expressPath(path: string): string {
  return path.replace(/\{([A-Za-z]+)\}/g, ':$1');
}

/** Error responses every authenticated route may answer. */
export const ERROR_RESPONSE = { description: 'problem+json with a stable code', schema: ProblemSchema } as const;
