/**
 * Shared value lists on the ledger (domain.md §9), pure: versions, proposal and approval by the member
 * organisations' admins, the version in force at an instant, the check of an event's codes (the last
 * check of §7) and the diff of two versions.
 *
 * A version is proposed by one member's admin (its organisation counts as approving) and is in force
 * from the transaction time of the approval that completes the set of member organisations (the
 * organisation directory decides who is a member). Events are judged against the version in force at
 * their own transaction time and record it.
 */
import { z } from 'zod';
import { berlinDate, compareDates } from './calendar';
import { canonicalJson, sha256Hex } from './canonical-json';
import { DomainError } from './errors';
import {
  CodeSchema,
  InstantSchema,
  IsoDateSchema,
  MspIdSchema,
  RoleSchema,
  ValueListNameSchema,
  ValueListVersionNumberSchema,
  VALUE_LIST_NAMES,
  type EventInput,
  type OrgDirectory,
  type ValueListName,
  type ValueListVersions,
} from './schemas';
import { compareInstants } from './warning-rules';

/** The reason fields the `reason` list serves; each reason entry names the ones it may be used for. */
export const REASON_USES = ['withdrawalReason', 'cancellationReason', 'retractionReason'] as const;
/** A reason field of domain.md §3. */
export const ReasonUseSchema = z.enum(REASON_USES);
/** A reason field of domain.md §3. */
export type ReasonUse = z.infer<typeof ReasonUseSchema>;

/** The most entries one version may have (Saxony has about 420 municipalities; Germany about 10,800). */
export const MAX_VALUE_LIST_ENTRIES = 12_000;

/** A label: public reference data (names of facilities, courts, municipalities), plain text. */
const LabelSchema = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[^\p{C}]+$/u);

/**
 * One code of a list. `validFrom`/`validUntil` (Berlin dates, inclusive) bound when live events may use
 * it; `replacedBy` names the successor of a retired code (a municipality merged in a territorial reform)
 * and needs `validUntil`. `usedFor` is required in the `reason` list and forbidden elsewhere.
 */
export const ValueListEntrySchema = z.strictObject({
  code: CodeSchema,
  label: LabelSchema.optional(),
  validFrom: IsoDateSchema.optional(),
  validUntil: IsoDateSchema.optional(),
  replacedBy: CodeSchema.optional(),
  usedFor: z.array(ReasonUseSchema).min(1).max(REASON_USES.length).optional(),
});
/** One code of a value list. */
export type ValueListEntry = z.infer<typeof ValueListEntrySchema>;

/** An AGS (Amtlicher Gemeindeschlüssel): 8 digits. */
const AGS = /^[0-9]{8}$/;

/** `ProposeValueList`'s argument: the complete entries of the next version of one list. */
export const ValueListProposalSchema = z
  .strictObject({
    list: ValueListNameSchema,
    version: ValueListVersionNumberSchema,
    entries: z.array(ValueListEntrySchema).min(1).max(MAX_VALUE_LIST_ENTRIES),
  })
  .superRefine((p, ctx) => {
    const codes = new Set<string>();
    p.entries.forEach((e, i) => {
      const at = (field: string, message: string): void => {
        ctx.addIssue({ code: 'custom', path: ['entries', i, field], message });
      };
      if (codes.has(e.code)) at('code', 'duplicate_code');
      codes.add(e.code);
      if (p.list === 'municipality' && !AGS.test(e.code)) at('code', 'not_an_ags');
      if (p.list === 'reason' && e.usedFor === undefined) at('usedFor', 'required_for_reason');
      if (p.list !== 'reason' && e.usedFor !== undefined) at('usedFor', 'only_for_reason');
      if (e.usedFor !== undefined && new Set(e.usedFor).size !== e.usedFor.length) at('usedFor', 'duplicate_use');
      if (e.validFrom !== undefined && e.validUntil !== undefined && compareDates(e.validFrom, e.validUntil) > 0) {
        at('validUntil', 'before_valid_from');
      }
      if (e.replacedBy !== undefined && e.validUntil === undefined) at('validUntil', 'required_with_replaced_by');
      if (e.replacedBy === e.code) at('replacedBy', 'replaces_itself');
    });
    p.entries.forEach((e, i) => {
      if (e.replacedBy !== undefined && !codes.has(e.replacedBy)) {
        ctx.addIssue({ code: 'custom', path: ['entries', i, 'replacedBy'], message: 'successor_not_in_list' });
      }
    });
  });
/** A parsed proposal. */
export type ValueListProposal = z.infer<typeof ValueListProposalSchema>;

/** `ApproveValueList`'s argument: the version and the content hash the approving admin reviewed. */
export const ValueListApprovalSchema = z.strictObject({
  list: ValueListNameSchema,
  version: ValueListVersionNumberSchema,
  contentHash: z.string().regex(/^[0-9a-f]{64}$/),
});
/** A parsed approval. */
export type ValueListApproval = z.infer<typeof ValueListApprovalSchema>;

/** A version of a list as the ledger stores it (proposed, or in force from `inForceFrom`). */
export const ValueListVersionSchema = z.strictObject({
  list: ValueListNameSchema,
  version: ValueListVersionNumberSchema,
  /** Sorted by code. */
  entries: z.array(ValueListEntrySchema),
  /** SHA-256 of the canonical JSON of `{list, version, entries}`: what an approval refers to. */
  contentHash: z.string().regex(/^[0-9a-f]{64}$/),
  proposedBy: z.strictObject({ mspId: MspIdSchema, enrollmentId: z.string().min(1).max(128) }),
  proposedAt: InstantSchema,
  /** MSP IDs of the organisations that approved, in ledger order: the proposer's organisation first. */
  approvals: z.array(MspIdSchema),
  /** The transaction time of the approval that completed it; null while proposed. */
  inForceFrom: InstantSchema.nullable(),
});
/** A stored value-list version. */
export type ValueListVersion = z.infer<typeof ValueListVersionSchema>;

/** Per list, the versions in force in order and the pending proposal: small, read by every write. */
export const ValueListHeadSchema = z.strictObject({
  list: ValueListNameSchema,
  inForce: z.array(z.strictObject({ version: ValueListVersionNumberSchema, inForceFrom: InstantSchema })),
  pending: ValueListVersionNumberSchema.nullable(),
});
/** The head record of a list. */
export type ValueListHead = z.infer<typeof ValueListHeadSchema>;

/** A version without its entries (events, list answers). */
export const ValueListSummarySchema = ValueListVersionSchema.omit({ entries: true }).extend({
  entryCount: z.number().int().nonnegative(),
});
/** A version without its entries. */
export type ValueListSummary = z.infer<typeof ValueListSummarySchema>;

/** What a proposal or approval did. */
export const ValueListActionSchema = z.enum(['PROPOSED', 'APPROVED']);

/** The payload of the `ValueListChanged` chaincode event (domain.md §5). */
export const ValueListChangedPayloadSchema = z.strictObject({
  action: ValueListActionSchema,
  txId: z.string(),
  valueList: ValueListSummarySchema,
  inForce: z.boolean(),
});
/** The payload of `ValueListChanged`. */
export type ValueListChangedPayload = z.infer<typeof ValueListChangedPayloadSchema>;

/** The outcome of a proposal or an approval: the version and head to store, and the event to emit. */
export interface ValueListChange {
  readonly version: ValueListVersion;
  readonly head: ValueListHead;
  /** False for a repeated identical proposal: nothing to store, no event. */
  readonly changed: boolean;
  readonly payload: ValueListChangedPayload;
}

/** The caller of a value-list transaction. */
export interface ValueListActor {
  readonly mspId: string;
  readonly enrollmentId: string;
  readonly role: string;
}

/** The content hash of a version: what an approving admin reviewed. */
export function valueListContentHash(list: ValueListName, version: number, entries: readonly ValueListEntry[]): string {
  return sha256Hex(canonicalJson({ list, version, entries }));
}

/** The summary of a version (without entries). */
export function summarizeValueList(v: ValueListVersion): ValueListSummary {
  const { entries, ...rest } = v;
  return { ...rest, entryCount: entries.length };
}

/** An empty head. */
export function emptyHead(list: ValueListName): ValueListHead {
  return { list, inForce: [], pending: null };
}

/** The latest version in force (0 when none is). */
export function currentVersion(head: ValueListHead | undefined): number {
  return head?.inForce[head.inForce.length - 1]?.version ?? 0;
}

/** The version in force at the instant `at` (null when none was). */
export function versionInForceAt(head: ValueListHead | undefined, at: string): number | null {
  let found: number | null = null;
  for (const v of head?.inForce ?? []) {
    if (compareInstants(v.inForceFrom, at) <= 0) found = v.version;
  }
  return found;
}

/** Where a version stands at `now`: proposed, the version in force, or in force before a later one. */
export function valueListStatus(version: ValueListVersion, head: ValueListHead | undefined, now: string): 'IN_FORCE' | 'SUPERSEDED' | 'PROPOSED' {
  if (version.inForceFrom === null) return 'PROPOSED';
  return versionInForceAt(head, now) === version.version ? 'IN_FORCE' : 'SUPERSEDED';
}

/** Parses a proposal; `INVALID_INPUT` names paths and issue codes only. */
export function parseValueListProposal(input: unknown): ValueListProposal {
  return parseOrRefuse(ValueListProposalSchema, input);
}

/** Parses an approval; `INVALID_INPUT` names paths and issue codes only. */
export function parseValueListApproval(input: unknown): ValueListApproval {
  return parseOrRefuse(ValueListApprovalSchema, input);
}

function parseOrRefuse<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 20).map((i) => ({
      path: i.path.map(String).join('.'),
      // our own refinements carry a code as their message; zod's own issues their issue code
      code: i.code === 'custom' ? i.message : i.code,
    }));
    throw new DomainError('INVALID_INPUT', { where: 'argument', issues });
  }
  return parsed.data;
}

function requireAdmin(actor: ValueListActor, orgs: OrgDirectory): void {
  const role = RoleSchema.safeParse(actor.role);
  if (!role.success || role.data !== 'admin') {
    throw new DomainError('FORBIDDEN_ROLE', { role: role.success ? role.data : 'INVALID', allowed: ['admin'] });
  }
  if (!Object.prototype.hasOwnProperty.call(orgs, actor.mspId)) throw new DomainError('NOT_OWNER', { reason: 'NOT_A_MEMBER' });
}

/** The member organisations, sorted. */
function members(orgs: OrgDirectory): string[] {
  return Object.keys(orgs).sort();
}

function inForceWith(approvals: readonly string[], orgs: OrgDirectory): boolean {
  return members(orgs).every((m) => approvals.includes(m));
}

/** Everything a proposal depends on. */
export interface ProposeValueListRequest {
  readonly input: unknown;
  readonly actor: ValueListActor;
  readonly txId: string;
  readonly txTime: string;
  readonly orgs: OrgDirectory;
  /** The list's head record (undefined before the first proposal). */
  readonly head: ValueListHead | undefined;
  /** The stored record of the proposed version number, if there is one (a pending proposal). */
  readonly existing: ValueListVersion | undefined;
}

/**
 * Proposes the next version of a list. Checks: schema → role (admin of a member) → version: it must be
 * the version in force + 1 (`PRECONDITION_FAILED` conflicting `VALUE_LIST_VERSION` with `current`
 * otherwise: stale or a gap). A pending proposal of the same version is replaced (a counter-proposal
 * or a correction; approvals start again), except that the same organisation proposing identical
 * content again is a retry and changes nothing.
 */
export function proposeValueList(req: ProposeValueListRequest): ValueListChange {
  const proposal = parseValueListProposal(req.input);
  requireAdmin(req.actor, req.orgs);
  const current = currentVersion(req.head);
  if (proposal.version !== current + 1) {
    throw new DomainError('PRECONDITION_FAILED', { conflicting: ['VALUE_LIST_VERSION'], current });
  }
  const head = req.head ?? emptyHead(proposal.list);
  const entries = [...proposal.entries].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  const contentHash = valueListContentHash(proposal.list, proposal.version, entries);
  const existing = req.existing !== undefined && req.existing.inForceFrom === null ? req.existing : undefined;
  if (existing !== undefined && existing.contentHash === contentHash && existing.proposedBy.mspId === req.actor.mspId) {
    return { version: existing, head, changed: false, payload: payloadOf('PROPOSED', req.txId, existing) };
  }
  const approvals = [req.actor.mspId];
  const inForce = inForceWith(approvals, req.orgs);
  const version: ValueListVersion = {
    list: proposal.list,
    version: proposal.version,
    entries,
    contentHash,
    proposedBy: { mspId: req.actor.mspId, enrollmentId: req.actor.enrollmentId },
    proposedAt: req.txTime,
    approvals,
    inForceFrom: inForce ? req.txTime : null,
  };
  checkTimeOrder(head, req.txTime);
  return { version, head: nextHead(head, version), changed: true, payload: payloadOf('PROPOSED', req.txId, version) };
}

/** Everything an approval depends on. */
export interface ApproveValueListRequest {
  readonly input: unknown;
  readonly actor: ValueListActor;
  readonly txId: string;
  readonly txTime: string;
  readonly orgs: OrgDirectory;
  readonly head: ValueListHead | undefined;
  /** The stored record of the version to approve, if there is one. */
  readonly existing: ValueListVersion | undefined;
}

/**
 * Approves a proposed version. Checks: schema → role (admin of a member) → the version is proposed
 * (`missing VALUE_LIST_PROPOSED`), not already in force (`conflicting VALUE_LIST_IN_FORCE`), has the
 * reviewed content (`conflicting VALUE_LIST_CONTENT`: it was replaced since), and the caller's
 * organisation has not approved it yet (`conflicting APPROVED_BY_ORGANISATION`: the proposer's own
 * organisation never counts twice). When every member organisation has approved, the version is in
 * force from this transaction's time.
 */
export function approveValueList(req: ApproveValueListRequest): ValueListChange {
  const approval = parseValueListApproval(req.input);
  requireAdmin(req.actor, req.orgs);
  const v = req.existing;
  if (v === undefined) throw new DomainError('PRECONDITION_FAILED', { missing: ['VALUE_LIST_PROPOSED'] });
  if (v.inForceFrom !== null) throw new DomainError('PRECONDITION_FAILED', { conflicting: ['VALUE_LIST_IN_FORCE'] });
  if (v.contentHash !== approval.contentHash) throw new DomainError('PRECONDITION_FAILED', { conflicting: ['VALUE_LIST_CONTENT'] });
  if (v.approvals.includes(req.actor.mspId)) {
    throw new DomainError('PRECONDITION_FAILED', { conflicting: ['APPROVED_BY_ORGANISATION'] });
  }
  const head = req.head ?? emptyHead(v.list);
  if (compareInstants(req.txTime, v.proposedAt) < 0) throw new DomainError('PRECONDITION_FAILED', { conflicting: ['TX_TIME_ORDER'] });
  checkTimeOrder(head, req.txTime);
  const approvals = [...v.approvals, req.actor.mspId];
  const inForce = inForceWith(approvals, req.orgs);
  const version: ValueListVersion = { ...v, approvals, inForceFrom: inForce ? req.txTime : null };
  return { version, head: nextHead(head, version), changed: true, payload: payloadOf('APPROVED', req.txId, version) };
}

/**
 * Versions come into force in order: a write whose transaction time lies before the version in force
 * (the client's clock, accepted by peers within a window) is refused, so "the version in force at an
 * instant" is well defined. Retrying with a fresh timestamp succeeds.
 */
function checkTimeOrder(head: ValueListHead, txTime: string): void {
  const last = head.inForce[head.inForce.length - 1];
  if (last !== undefined && compareInstants(txTime, last.inForceFrom) < 0) {
    throw new DomainError('PRECONDITION_FAILED', { conflicting: ['TX_TIME_ORDER'] });
  }
}

function nextHead(head: ValueListHead, v: ValueListVersion): ValueListHead {
  if (v.inForceFrom === null) return { ...head, pending: v.version };
  return { list: head.list, inForce: [...head.inForce, { version: v.version, inForceFrom: v.inForceFrom }], pending: null };
}

function payloadOf(action: 'PROPOSED' | 'APPROVED', txId: string, v: ValueListVersion): ValueListChangedPayload {
  return { action, txId, valueList: summarizeValueList(v), inForce: v.inForceFrom !== null };
}

// ----- codes in event data -----

/** Where an event type carries a code: the data field, its list and, for reasons, the use. */
export interface CodeField {
  readonly field: string;
  readonly list: ValueListName;
  readonly use?: ReasonUse;
}

/** Every code field of event data (domain.md §3), by event type; the order is the order of checking. */
export const CODE_FIELDS: Readonly<Partial<Record<EventInput['type'], readonly CodeField[]>>> = {
  CASE_REGISTERED: [{ field: 'facility', list: 'facility' }],
  RECEPTION_ASSIGNED: [{ field: 'facility', list: 'facility' }],
  RESPONSIBILITY_TRANSFERRED: [{ field: 'authority', list: 'authority' }],
  DECISION_WITHDRAWN: [{ field: 'withdrawalReason', list: 'reason', use: 'withdrawalReason' }],
  APPEAL_FILED: [{ field: 'court', list: 'court' }],
  URGENT_APPLICATION_FILED: [{ field: 'court', list: 'court' }],
  MUNICIPALITY_ALLOCATED: [
    { field: 'municipality', list: 'municipality' },
    { field: 'authority', list: 'authority' },
  ],
  RETURN_CANCELLED: [{ field: 'cancellationReason', list: 'reason', use: 'cancellationReason' }],
  EVENT_RETRACTED: [{ field: 'retractionReason', list: 'reason', use: 'retractionReason' }],
};

/** One code an event uses. */
export interface CodeUse extends CodeField {
  /** The path in the event input (`data.facility`, `data.facts.0.data.facility`). */
  readonly path: string;
  readonly code: string;
  /** A fact asserted by `CASE_IMPORTED`: historical, so validity periods are not applied. */
  readonly imported: boolean;
}

function usesOf(type: string, data: unknown, prefix: string, imported: boolean): CodeUse[] {
  const fields = (CODE_FIELDS as Readonly<Record<string, readonly CodeField[] | undefined>>)[type] ?? [];
  const record = typeof data === 'object' && data !== null ? (data as Readonly<Record<string, unknown>>) : {};
  const uses: CodeUse[] = [];
  for (const f of fields) {
    const code = record[f.field];
    if (typeof code === 'string') uses.push({ ...f, path: `${prefix}.${f.field}`, code, imported });
  }
  return uses;
}

/** Every code an event uses, in checking order (imported facts in their order). */
export function codeUses(input: EventInput): CodeUse[] {
  if (input.type === 'CASE_IMPORTED') {
    return input.data.facts.flatMap((f, i) => usesOf(f.type, f.data, `data.facts.${i}.data`, true));
  }
  return usesOf(input.type, input.data, 'data', false);
}

/** The lists an event's codes come from, in {@link VALUE_LIST_NAMES} order (what a contract loads). */
export function listsUsedBy(input: EventInput): ValueListName[] {
  const used = new Set(codeUses(input).map((u) => u.list));
  return VALUE_LIST_NAMES.filter((l) => used.has(l));
}

/**
 * The value-list versions a write is judged against: per list, candidate versions (usually just the one
 * in force at the transaction time); the one in force at the transaction time is chosen among them.
 */
export type ValueListSet = Readonly<Partial<Record<ValueListName, readonly ValueListVersion[]>>>;

/** The version of `versions` in force at `at`: the highest with `inForceFrom` ≤ `at`. */
export function versionInForce(versions: readonly ValueListVersion[] | undefined, at: string): ValueListVersion | undefined {
  let found: ValueListVersion | undefined;
  for (const v of versions ?? []) {
    if (v.inForceFrom !== null && compareInstants(v.inForceFrom, at) <= 0 && (found === undefined || v.version > found.version)) found = v;
  }
  return found;
}

/**
 * Checks every code of an event against the list version in force at `txTime` and returns the versions
 * used. A code must be in that version; a reason entry must serve the field (`usedFor`); a live event's
 * code must also be valid on the Berlin date of `txTime` (`validFrom`/`validUntil`), while an imported
 * fact's code only needs to be in the list (its dates are historical). With no version of a list in
 * force every code of that list is unknown (strict). Throws `UNKNOWN_CODE_VALUE` with `{field, list,
 * version}` for the first failing code — never the value.
 */
export function checkValueLists(input: EventInput, lists: ValueListSet, txTime: string): ValueListVersions {
  const today = berlinDate(txTime);
  const used: ValueListVersions = {};
  for (const use of codeUses(input)) {
    const version = versionInForce(lists[use.list], txTime);
    const refuse = (): never => {
      throw new DomainError('UNKNOWN_CODE_VALUE', { field: use.path, list: use.list, version: version?.version ?? null });
    };
    if (version === undefined) return refuse();
    const entry = version.entries.find((e) => e.code === use.code);
    if (entry === undefined) return refuse();
    if (use.use !== undefined && entry.usedFor?.includes(use.use) !== true) return refuse();
    if (!use.imported) {
      if (entry.validFrom !== undefined && compareDates(today, entry.validFrom) < 0) return refuse();
      if (entry.validUntil !== undefined && compareDates(today, entry.validUntil) > 0) return refuse();
    }
    used[use.list] = version.version;
  }
  return used;
}

// ----- diff -----

/** The difference between two versions of a list. */
export const ValueListDiffSchema = z.strictObject({
  list: ValueListNameSchema,
  from: ValueListVersionNumberSchema,
  to: ValueListVersionNumberSchema,
  /** Codes in `to` only. */
  added: z.array(ValueListEntrySchema),
  /** Codes in `from` only (dropped entirely; old events keep them). */
  removed: z.array(ValueListEntrySchema),
  /** Codes in both whose label, validity, successor or uses differ. */
  changed: z.array(z.strictObject({ code: CodeSchema, from: ValueListEntrySchema, to: ValueListEntrySchema })),
  /** Codes that `to` retires with a successor (territorial reforms): `code` → `replacedBy` after `validUntil`. */
  replaced: z.array(z.strictObject({ code: CodeSchema, replacedBy: CodeSchema, validUntil: IsoDateSchema })),
});
/** The difference between two versions of a list. */
export type ValueListDiff = z.infer<typeof ValueListDiffSchema>;

/** The diff from one version of a list to another (any two, either order). */
export function diffValueLists(from: ValueListVersion, to: ValueListVersion): ValueListDiff {
  if (from.list !== to.list) throw new Error('diffValueLists: versions of different lists');
  const before = new Map(from.entries.map((e) => [e.code, e]));
  const after = new Map(to.entries.map((e) => [e.code, e]));
  const diff: ValueListDiff = { list: to.list, from: from.version, to: to.version, added: [], removed: [], changed: [], replaced: [] };
  for (const e of to.entries) {
    const old = before.get(e.code);
    if (old === undefined) diff.added.push(e);
    else if (canonicalJson(old) !== canonicalJson(e)) diff.changed.push({ code: e.code, from: old, to: e });
    if (e.replacedBy !== undefined && e.validUntil !== undefined && (old?.replacedBy !== e.replacedBy || old.validUntil !== e.validUntil)) {
      diff.replaced.push({ code: e.code, replacedBy: e.replacedBy, validUntil: e.validUntil });
    }
  }
  for (const e of from.entries) if (!after.has(e.code)) diff.removed.push(e);
  return diff;
}
