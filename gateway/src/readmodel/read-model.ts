import {
  compareInstants,
  berlinDate,
  retractedTxIds,
  type ActionCode,
  type CaseView,
  type OrgDirectory,
  type Phase,
  type Severity,
  type Warning,
  type WarningCode,
  type Action,
} from '@asl/chaincode/domain';
import type { LedgerEntry } from '../ports/case-ledger';
import { compareCheckpoints, type LedgerCheckpoint, type LedgerEvents, type Subscription } from '../ports/ledger-events';
import type { ProjectionStore, StreamItem } from '../ports/projection-store';
import { evaluateCase } from './evaluate';
import { STAGES, type StageUnit } from './throughput';

/** Options of {@link ReadModel}. */
export interface ReadModelOptions {
  readonly store: ProjectionStore;
  readonly events: LedgerEvents;
  readonly orgs: OrgDirectory;
  /** This gateway's agency (MSP ID). */
  readonly agency: string;
  readonly now: () => Date;
  /** Called when the event stream fails (it reconnects by itself). */
  readonly onError?: (error: unknown) => void;
}

/** Filters of the case list. */
export interface ListFilter {
  readonly phase?: Phase;
  readonly warning?: WarningCode;
  readonly action?: ActionCode;
}

/** One row of the case list. */
export interface CaseSummary {
  readonly caseId: string;
  readonly phase: Phase;
  readonly openWarnings: WarningCode[];
  readonly actions: ActionCode[];
  readonly lastEvent: CaseView['lastEvent'];
}

/** Throughput stages: from the date in one event's data to the date in a later one. */
function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? null) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/**
 * The gateway's read model: projects the channel's committed events into a {@link ProjectionStore}
 * (checkpointed, resumable) and answers reads with the domain fold, clock rules judged at read time.
 */
export class ReadModel {
  readonly #o: ReadModelOptions;
  readonly #listeners = new Set<(item: StreamItem) => void>();
  #subscription: Subscription | undefined;
  #applied: LedgerCheckpoint | undefined;
  /** The last block the event source reported processed (with or without case events); lag is measured from it. */
  #processedBlock: bigint | undefined;
  /** Whether the projection has reached the ledger's height since it (re)started ({@link lag}). */
  #caughtUp = false;
  readonly #waiters: { at: LedgerCheckpoint; resolve: () => void }[] = [];

  constructor(options: ReadModelOptions) {
    this.#o = options;
  }

  /** Starts projecting from the stored checkpoint. */
  async start(): Promise<void> {
    this.#caughtUp = false;
    this.#applied = await this.#o.store.checkpoint();
    this.#subscription = this.#o.events.subscribe(this.#applied, {
      onEntry: async (entry) => {
        const item = await this.#o.store.applyEntry(entry);
        this.#applied = { blockNumber: entry.receipt.blockNumber, txIndex: entry.receipt.txIndex };
        if (item) this.#emit(item);
        this.#release();
      },
      onBlockProcessed: (blockNumber) => {
        const block = BigInt(blockNumber);
        if (this.#processedBlock === undefined || block > this.#processedBlock) this.#processedBlock = block;
        return Promise.resolve();
      },
      onError: (error) => this.#o.onError?.(error),
    });
  }

  /** Stops projecting. */
  stop(): void {
    this.#subscription?.close();
    this.#subscription = undefined;
  }

  /** Drops the projection and replays the channel from the start. */
  async rebuild(): Promise<void> {
    this.stop();
    this.#processedBlock = undefined;
    await this.#o.store.clear();
    await this.start();
  }

  /** Listens to new stream items; returns the unsubscribe function. */
  onItem(listener: (item: StreamItem) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #emit(item: StreamItem): void {
    for (const listener of this.#listeners) listener(item);
  }

  #release(): void {
    for (let i = this.#waiters.length - 1; i >= 0; i--) {
      const w = this.#waiters[i];
      if (w && this.#applied && compareCheckpoints(this.#applied, w.at) >= 0) {
        this.#waiters.splice(i, 1);
        w.resolve();
      }
    }
  }

  /** Resolves true once the projection has applied `at`, false after `timeoutMs`. */
  waitFor(at: LedgerCheckpoint, timeoutMs: number): Promise<boolean> {
    if (this.#applied && compareCheckpoints(this.#applied, at) >= 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        const i = this.#waiters.indexOf(waiter);
        if (i >= 0) this.#waiters.splice(i, 1);
        resolve(false);
      }, timeoutMs);
      const waiter = {
        at,
        resolve: () => {
          clearTimeout(timer);
          resolve(true);
        },
      };
      this.#waiters.push(waiter);
    });
  }

  /**
   * The projection's height: the number of the block after the last processed one — the later of the last
   * applied entry and the last block the event source reported processed (blocks without case events count).
   */
  async projectionHeight(): Promise<bigint> {
    const cp = this.#applied ?? (await this.#o.store.checkpoint());
    const applied = cp === undefined ? undefined : BigInt(cp.blockNumber);
    const processed = this.#processedBlock !== undefined && (applied === undefined || this.#processedBlock > applied) ? this.#processedBlock : applied;
    return processed === undefined ? 0n : processed + 1n;
  }

  /**
   * How many blocks the projection is behind `ledgerHeight`, and whether it has caught up since it (re)started:
   * `caughtUp` turns true the first time the projection reaches `ledgerHeight` (lag 0) and stays true until the
   * next start or rebuild. Readiness uses both: a gateway that is replaying the channel after a start is not ready
   * however few blocks remain, one that had caught up tolerates a small lag while new blocks arrive.
   */
  async lag(ledgerHeight: bigint): Promise<{ blocks: bigint; caughtUp: boolean }> {
    const blocks = ledgerHeight - (await this.projectionHeight());
    if (blocks <= 0n) this.#caughtUp = true;
    return { blocks, caughtUp: this.#caughtUp };
  }

  #nowIso(): string {
    return this.#o.now().toISOString();
  }

  /** The case's entries in ledger order, or undefined. */
  entries(caseId: string): Promise<readonly LedgerEntry[] | undefined> {
    return this.#o.store.caseEntries(caseId);
  }

  /** The case view judged now (clock rules included), or undefined. */
  async caseView(caseId: string, now = this.#nowIso()): Promise<CaseView | undefined> {
    const entries = await this.#o.store.caseEntries(caseId);
    return entries === undefined ? undefined : evaluateCase(entries.map((e) => e.event), now, this.#o.orgs);
  }

  /** Retracted transaction ids of a history. */
  static retracted(entries: readonly LedgerEntry[]): ReadonlySet<string> {
    return retractedTxIds(entries.map((e) => e.event));
  }

  async *#views(after?: string): AsyncGenerator<CaseView> {
    const now = this.#nowIso();
    let cursor = after;
    for (;;) {
      const ids = await this.#o.store.caseIds(cursor, 200);
      if (ids.length === 0) return;
      for (const id of ids) {
        const view = await this.caseView(id, now);
        if (view) yield view;
      }
      cursor = ids[ids.length - 1];
    }
  }

  /** A page of the case list, in caseId order; the cursor is the last caseId returned. */
  async list(filter: ListFilter, limit: number, cursor?: string): Promise<{ items: CaseSummary[]; cursor?: string }> {
    const items: CaseSummary[] = [];
    for await (const view of this.#views(cursor)) {
      if (filter.phase !== undefined && view.phase !== filter.phase) continue;
      if (filter.warning !== undefined && !view.warnings.some((w) => w.code === filter.warning)) continue;
      if (filter.action !== undefined && !view.actions.some((a) => a.code === filter.action)) continue;
      if (items.length === limit) return { items, cursor: items[items.length - 1]?.caseId ?? '' };
      items.push({
        caseId: view.caseId,
        phase: view.phase,
        openWarnings: view.warnings.map((w) => w.code),
        actions: view.actions.filter((a) => a.agency === this.#o.agency).map((a) => a.code),
        lastEvent: view.lastEvent,
      });
    }
    return { items };
  }

  /** Open warnings of every case, newest first. */
  async warnings(filter: { severity?: Severity; acknowledged?: boolean }): Promise<Warning[]> {
    const out: Warning[] = [];
    for await (const view of this.#views()) {
      for (const w of view.warnings) {
        if (filter.severity !== undefined && w.severity !== filter.severity) continue;
        const acked = w.acknowledgedBy.includes(this.#o.agency);
        if (filter.acknowledged !== undefined && acked !== filter.acknowledged) continue;
        out.push(w);
      }
    }
    return out.sort((a, b) => compareInstants(b.openedAt, a.openedAt) || a.id.localeCompare(b.id));
  }

  /** This agency's next actions, by due date (undated last). */
  async actions(): Promise<Action[]> {
    const out: Action[] = [];
    for await (const view of this.#views()) out.push(...view.actions.filter((a) => a.agency === this.#o.agency));
    return out.sort((a, b) => (a.due ?? '9999-12-31').localeCompare(b.due ?? '9999-12-31') || a.caseId.localeCompare(b.caseId) || a.code.localeCompare(b.code));
  }

  /** Aggregates without case ids. Throughput stages count when their end date lies in [from, to]. */
  async stats(from: string | undefined, to: string | undefined): Promise<{
    cases: number;
    perPhase: Record<string, number>;
    openWarningsByRule: Record<string, number>;
    overdueActions: number;
    throughputDays: Record<string, { count: number; medianDays: number | null; unit: StageUnit; target?: number }>;
  }> {
    const today = berlinDate(this.#nowIso());
    const perPhase: Record<string, number> = {};
    const byRule: Record<string, number> = {};
    const stageDays: Record<string, number[]> = Object.fromEntries(STAGES.map((s) => [s.name, [] as number[]]));
    let cases = 0;
    let overdue = 0;
    for await (const view of this.#views()) {
      cases += 1;
      perPhase[view.phase] = (perPhase[view.phase] ?? 0) + 1;
      for (const w of view.warnings) byRule[w.code] = (byRule[w.code] ?? 0) + 1;
      overdue += view.actions.filter((a) => a.agency === this.#o.agency && a.due !== undefined && a.due < today).length;
      const entries = (await this.#o.store.caseEntries(view.caseId)) ?? [];
      const retracted = ReadModel.retracted(entries);
      const events = entries.map((e) => e.event).filter((e) => !retracted.has(e.txId));
      for (const stage of STAGES) {
        const m = stage.measure(events);
        if (m === undefined) continue;
        if ((from !== undefined && m.endedOn < from) || (to !== undefined && m.endedOn > to)) continue;
        stageDays[stage.name]?.push(m.days);
      }
    }
    const throughputDays = Object.fromEntries(
      STAGES.map((stage) => {
        const days = stageDays[stage.name] ?? [];
        const target = stage.target === undefined ? {} : { target: stage.target };
        return [stage.name, { count: days.length, medianDays: median(days), unit: stage.unit, ...target }];
      }),
    );
    return { cases, perPhase, openWarningsByRule: byRule, overdueActions: overdue, throughputDays };
  }

  /** Stream items after `afterSeq`. */
  streamAfter(afterSeq: number, limit: number): Promise<readonly StreamItem[]> {
    return this.#o.store.streamAfter(afterSeq, limit);
  }

  /** The stream's last sequence number (0 while empty). */
  streamHead(): Promise<number> {
    return this.#o.store.streamHead();
  }

  /**
   * The gateway's clock: judges every case now and appends each clock-rule warning that opened since the
   * last tick to the stream (once per opening). Returns how many were announced.
   */
  async tickClock(): Promise<number> {
    let announced = 0;
    for await (const view of this.#views()) {
      for (const w of view.warnings) {
        if (!w.clock) continue;
        const item = await this.#o.store.announceWarning(w);
        if (item) {
          announced += 1;
          this.#emit(item);
        }
      }
    }
    return announced;
  }
}
