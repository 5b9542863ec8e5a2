/**
 * Pure view logic of the web UI: ordering, deadlines, who may retract what. No DOM here, so unit tests
 * run it under Node and the root type check covers it.
 */
import type { Action, Actor, CaseView, ReasonUse, Receipt, Role, ValueListAnswer, Warning } from '@asl/chaincode/domain';
import { berlinDate } from '../../../../chaincode/src/domain/calendar';
import { NOT_RETRACTABLE as DOMAIN_NOT_RETRACTABLE } from '../../../../chaincode/src/domain/event-types';

/** One item of `GET /api/v1/cases/{caseId}/timeline` (architecture.md). */
export interface TimelineItem {
  readonly event: { readonly type: string; readonly occurredAt: string; readonly data: Readonly<Record<string, unknown>>; readonly sourceMessageId: string };
  readonly actor: Actor;
  readonly receipt: Receipt;
  readonly retracted: boolean;
  readonly confirmationOf?: string;
}

/** The case view as the gateway answers it (domain view plus read-time evaluation). */
export type CaseViewResponse = CaseView & { readonly evaluatedAt: string; readonly ledgerHeight: string; readonly projectionHeight: string };

/** Event types that can never be retracted (domain.md §3, `EVENT_RETRACTED`). */
export const NOT_RETRACTABLE: ReadonlySet<string> = new Set(DOMAIN_NOT_RETRACTABLE);

/** One choice of a code picker: the code sent to the ledger and the label shown. */
export interface CodeOption {
  readonly code: string;
  readonly label: string;
}

/**
 * The reasons a picker offers for one reason field: the entries of the `reason` list in force
 * (`GET /api/v1/value-lists/reason`) that serve `use` and are valid on `today` (a Berlin date; validity is
 * inclusive, as the chaincode judges it), in list order. The label is the UI dictionary's translation when
 * it has one (`translate` answers `undefined` otherwise), else the list's own label, else the code, so a
 * reason added through governance is offered without a UI release.
 */
export function reasonOptions(list: Pick<ValueListAnswer, 'entries'>, use: ReasonUse, today: string, translate: (code: string) => string | undefined): CodeOption[] {
  return list.entries
    .filter((e) => e.usedFor?.includes(use) === true)
    .filter((e) => (e.validFrom === undefined || e.validFrom <= today) && (e.validUntil === undefined || today <= e.validUntil))
    .map((e) => ({ code: e.code, label: translate(e.code) ?? e.label ?? e.code }));
}

/** Ledger order `(blockNumber, txIndex)`; block numbers are decimal strings that may exceed 2^53. */
export function compareLedgerOrder(a: Pick<Receipt, 'blockNumber' | 'txIndex'>, b: Pick<Receipt, 'blockNumber' | 'txIndex'>): number {
  const ba = BigInt(a.blockNumber);
  const bb = BigInt(b.blockNumber);
  if (ba !== bb) return ba < bb ? -1 : 1;
  return a.txIndex - b.txIndex;
}

/** Merges new items into a timeline, without duplicates (by txId), in ledger order. */
export function mergeTimeline(current: readonly TimelineItem[], incoming: readonly TimelineItem[]): TimelineItem[] {
  const byTx = new Map<string, TimelineItem>();
  for (const item of current) byTx.set(item.receipt.txId, item);
  for (const item of incoming) byTx.set(item.receipt.txId, item);
  return [...byTx.values()].sort((a, b) => compareLedgerOrder(a.receipt, b.receipt));
}

/** For every retracted txId, the reason code its `EVENT_RETRACTED` gave. */
export function retractionReasons(items: readonly TimelineItem[]): Map<string, string> {
  const reasons = new Map<string, string>();
  for (const item of items) {
    if (item.event.type !== 'EVENT_RETRACTED' || item.retracted) continue;
    const { retractedTxId, retractionReason } = item.event.data;
    if (typeof retractedTxId === 'string' && typeof retractionReason === 'string') reasons.set(retractedTxId, retractionReason);
  }
  return reasons;
}

/** Who is looking: the agency of this gateway and the signed-in role. */
export interface Viewer {
  readonly agency: string;
  readonly role: Role;
}

/** Whether the viewer may offer a correction (retraction) of this entry: own agency's, caseworker, retractable. */
export function canRetract(item: TimelineItem, viewer: Viewer): boolean {
  return viewer.role === 'caseworker' && item.actor.mspId === viewer.agency && !item.retracted && !NOT_RETRACTABLE.has(item.event.type);
}

/** Whether the viewer may see identifying details (domain.md §2; architecture.md `details` roles). */
export function canSeeDetails(role: Role): boolean {
  return role === 'caseworker';
}

/** Whether the viewer's role has the live event stream, the warnings and the actions routes. */
export function canWork(role: Role): boolean {
  return role === 'caseworker';
}

/** Whether this viewer's agency has not yet acknowledged the warning, and the viewer may do so. */
export function canAcknowledge(warning: Warning, viewer: Viewer): boolean {
  return viewer.role === 'caseworker' && !warning.acknowledgedBy.includes(viewer.agency);
}

/** The Berlin calendar date (`YYYY-MM-DD`) of an instant: the domain's own rule (the chaincode's), not the browser's time-zone data. */
export { berlinDate };

/** Whole days from `today` to `date` (both `YYYY-MM-DD`); negative when `date` is past. */
export function daysBetween(today: string, date: string): number {
  return Math.round((Date.parse(`${date}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000);
}

/** A deadline of the case header. */
export interface Deadline {
  readonly key: keyof CaseView['dates'];
  readonly date: string;
  /** Days left counted from the gateway's evaluation day (negative: passed). */
  readonly daysLeft: number;
}

/**
 * The deadlines to show: every set date, counted from the day the gateway evaluated the view (its clock, so
 * the header agrees with the clock warnings). Running ones first, nearest first; passed ones after.
 */
export function deadlines(view: Pick<CaseViewResponse, 'dates' | 'evaluatedAt'>): Deadline[] {
  const today = berlinDate(view.evaluatedAt);
  const out: Deadline[] = [];
  for (const key of ['remedyDeadline', 'departureDeadline', 'dublinTransferDeadline', 'allocationNoticeDue'] as const) {
    const date = view.dates[key];
    if (date) out.push({ key, date, daysLeft: daysBetween(today, date) });
  }
  return out.sort((a, b) => (a.daysLeft < 0) !== (b.daysLeft < 0) ? (a.daysLeft < 0 ? 1 : -1) : a.daysLeft - b.daysLeft);
}

/** Warnings BLOCKING first, then newest first (the list route's order within a severity). */
export function sortWarnings(warnings: readonly Warning[]): Warning[] {
  return [...warnings].sort((a, b) => (a.severity === b.severity ? b.openedAt.localeCompare(a.openedAt) : a.severity === 'BLOCKING' ? -1 : 1));
}

/** Actions by due date, overdue first; actions without a due date last. */
export function sortActions(actions: readonly Action[]): Action[] {
  return [...actions].sort((a, b) => {
    if (a.due === undefined || b.due === undefined) return a.due === b.due ? 0 : a.due === undefined ? 1 : -1;
    return a.due.localeCompare(b.due);
  });
}

/** Whether an action is overdue on `today` (a due day lasts until 24:00 Berlin time). */
export function isOverdue(action: Pick<Action, 'due'>, today: string): boolean {
  return action.due !== undefined && action.due < today;
}

/** The warnings of a stream item that are BLOCKING: what a `ReturnConflict` announcement names. */
export function blockingCodes(warnings: readonly Pick<Warning, 'code' | 'severity'>[]): string[] {
  return [...new Set(warnings.filter((w) => w.severity === 'BLOCKING').map((w) => w.code))];
}

/** Whether a value looks like an AZR number the gateway would accept (8 to 16 digits after removing separators). */
export function plausibleAzr(value: string): boolean {
  return /^\d{8,16}$/.test(value.replace(/[\s.-]/g, ''));
}

/** A `sourceMessageId` for a write made in the UI (unique per agency; domain.md §3 pattern). */
export function uiMessageId(random: string): string {
  return `ui-${random}`.replace(/[^A-Za-z0-9._:-]/g, '').slice(0, 128);
}

/** An RFC 3339 instant with offset for `occurredAt` of a UI write (the UI's own action happens now). */
export function occurredNow(now: Date): string {
  return now.toISOString();
}
