/**
 * The reconciliation report: what a case system sent compared with what the ledger holds for its
 * agency, case by case (timeline reads; the gateway has no lookup by `sourceMessageId`). Per case,
 * the agency's own ledger events are matched to the sent messages by `sourceMessageId` = `nachrichtUUID`:
 * - `missing`: sent, not on the ledger (still in the outbox, a dead letter, or lost);
 * - `extra`: on the ledger as this agency's, not in what the case system says it sent;
 * - `mismatched`: same id, but another event type, instant or data value (court file numbers are
 *   compared only as pseudonyms: a case system's clear file number is not on the ledger).
 * The report names messages by `nachrichtUUID`, event type and the case pseudonym; AZR numbers only
 * when the operator asks (`reveal`).
 */
import type { GatewayClient } from '../core/gateway-client';
import type { GatewayReader } from '../outbound/gateway-reader';

/** One message the case system sent. */
export interface SentMessage {
  readonly nachrichtUUID: string;
  readonly eventType: string;
  readonly azrNummer: string;
  readonly occurredAt?: string;
  readonly data?: Record<string, unknown>;
}

/** One finding of the report. */
export interface ReconcileFinding {
  readonly nachrichtUUID: string;
  readonly eventType: string;
  readonly caseId?: string;
  readonly azrNummer?: string;
  readonly txId?: string;
  readonly ledgerType?: string;
  readonly fields?: readonly string[];
}

/** The report. */
export interface ReconcileReport {
  readonly agency: string;
  readonly cases: number;
  readonly sent: number;
  readonly matched: number;
  readonly missing: ReconcileFinding[];
  readonly extra: ReconcileFinding[];
  readonly mismatched: ReconcileFinding[];
  /** Cases whose pseudonym or timeline could not be read (HTTP status), by count. */
  readonly unreadable: number;
}

const COURT_KEYS = new Set(['courtProceedings', 'courtRef']);

function differingFields(sent: SentMessage, ledger: { occurredAt: string; data: Record<string, unknown> }): string[] {
  const out: string[] = [];
  if (sent.occurredAt !== undefined && Date.parse(sent.occurredAt) !== Date.parse(ledger.occurredAt)) out.push('occurredAt');
  if (sent.data !== undefined) {
    const keys = new Set([...Object.keys(sent.data), ...Object.keys(ledger.data)].filter((k) => !COURT_KEYS.has(k)));
    for (const k of [...keys].sort()) if (JSON.stringify(sent.data[k]) !== JSON.stringify(ledger.data[k])) out.push(`data.${k}`);
  }
  return out;
}

/** A read's outcome as the report needs it: the value, or the HTTP status (0: no answer) and any `Retry-After`. */
type Read<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly status: number; readonly retryAfterMs?: number };

/** How often and how long a read answered "not now" is tried again before its case counts as unreadable. */
export interface ReconcileRetry {
  /** Tries per read (default 6). */
  readonly attempts: number;
  /** First wait; doubled per try, capped at `maxDelayMs`; a longer `Retry-After` wins up to the cap (defaults 500 / 10 000 ms). */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly sleep: (ms: number) => Promise<void>;
}

const DEFAULT_RETRY: ReconcileRetry = { attempts: 6, baseDelayMs: 500, maxDelayMs: 10_000, sleep: (ms) => new Promise((r) => setTimeout(r, ms)) };

/** No answer, rate-limited or a server error: the gateway may answer later (the same classes the dispatcher retries). */
const transient = (status: number): boolean => status === 0 || status === 429 || status >= 500;

async function patiently<T>(read: () => Promise<Read<T>>, retry: ReconcileRetry): Promise<Read<T>> {
  let result = await read();
  for (let attempt = 1; !result.ok && transient(result.status) && attempt < retry.attempts; attempt += 1) {
    const backoff = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (attempt - 1));
    await retry.sleep(Math.min(retry.maxDelayMs, Math.max(backoff, result.retryAfterMs ?? 0)));
    result = await read();
  }
  return result;
}

/**
 * Builds the report for one agency. A read the gateway answers "not now" (no answer, 429, 5xx) is tried again
 * (`retry`), so a busy gateway — its per-token rate limit shared with the running adapter — does not turn into
 * `unreadable` cases; what still fails after that is counted.
 */
export async function reconcile(input: {
  readonly agency: string;
  readonly sent: readonly SentMessage[];
  readonly gateway: Pick<GatewayClient, 'caseId'>;
  readonly reader: Pick<GatewayReader, 'timeline'>;
  readonly reveal?: boolean;
  readonly retry?: Partial<ReconcileRetry>;
}): Promise<ReconcileReport> {
  const retry: ReconcileRetry = { ...DEFAULT_RETRY, ...input.retry };
  const byAzr = new Map<string, SentMessage[]>();
  for (const m of input.sent) {
    const key = m.azrNummer.replace(/[ .-]/g, '');
    byAzr.set(key, [...(byAzr.get(key) ?? []), m]);
  }
  const missing: ReconcileFinding[] = [];
  const extra: ReconcileFinding[] = [];
  const mismatched: ReconcileFinding[] = [];
  let matched = 0;
  let unreadable = 0;
  const who = (m: SentMessage) => (input.reveal ? { azrNummer: m.azrNummer } : {});
  for (const messages of byAzr.values()) {
    const first = messages[0];
    if (first === undefined) continue;
    const id = await patiently(() => input.gateway.caseId(first.azrNummer), retry);
    if (!id.ok) {
      unreadable += 1;
      continue;
    }
    const caseId = id.value;
    const timeline = await patiently(() => input.reader.timeline(caseId), retry);
    if (!timeline.ok) {
      unreadable += 1;
      continue;
    }
    const own = new Map((timeline.value ?? []).filter((e) => e.writer === input.agency).map((e) => [e.sourceMessageId, e]));
    for (const m of messages) {
      const entry = own.get(m.nachrichtUUID);
      if (entry === undefined) {
        missing.push({ nachrichtUUID: m.nachrichtUUID, eventType: m.eventType, caseId, ...who(m) });
        continue;
      }
      own.delete(m.nachrichtUUID);
      const fields = entry.type === m.eventType ? differingFields(m, entry) : ['type'];
      if (fields.length === 0) matched += 1;
      else mismatched.push({ nachrichtUUID: m.nachrichtUUID, eventType: m.eventType, ledgerType: entry.type, caseId, txId: entry.txId, fields, ...who(m) });
    }
    for (const entry of own.values()) {
      extra.push({ nachrichtUUID: entry.sourceMessageId, eventType: entry.type, caseId, txId: entry.txId, ...who(first) });
    }
  }
  return { agency: input.agency, cases: byAzr.size, sent: input.sent.length, matched, missing, extra, mismatched, unreadable };
}
