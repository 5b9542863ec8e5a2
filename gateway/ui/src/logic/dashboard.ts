/**
 * Pure logic of the overview dashboard (no DOM): the shape of `GET /api/v1/stats`, the order of its figures,
 * the throughput stages with their targets, and the scale of a bar chart.
 */
import { codesOf } from './i18n';

/** The domain's phases in their order (from the dictionaries, see {@link codesOf}). */
const PHASES: readonly string[] = codesOf('phase');

/** `GET /api/v1/stats`, typed from the gateway's one schema source (types only, erased by esbuild). */
export type { StatsResponse } from '../../../src/api/schemas';
import type { StatsResponse } from '../../../src/api/schemas';

/** One bar: a code (translated by the view), its value, and an optional target in the same unit. */
export interface ChartRow {
  readonly code: string;
  readonly value: number | null;
  readonly count?: number;
  readonly targetWorkingDays?: number;
}

/** The order stages are shown in, along the procedure; stages the route adds later come after, by name. */
export const STAGE_ORDER = ['registrationToApplication', 'applicationToHearing', 'hearingToDecision', 'applicationToDecision', 'decisionToService', 'protectionToAllocation'] as const;

/** Cases per phase, every phase of the domain in its order (zero included), then any phase the route adds. */
export function phaseRows(stats: StatsResponse): ChartRow[] {
  const known = PHASES.map((p) => ({ code: p, value: stats.perPhase[p] ?? 0 }));
  const extra = Object.keys(stats.perPhase)
    .filter((p) => !PHASES.includes(p))
    .sort()
    .map((p) => ({ code: p, value: stats.perPhase[p] ?? 0 }));
  return [...known, ...extra];
}

/** Open warnings by rule, most first (ties by code); rules without open warnings are left out. */
export function warningRows(stats: StatsResponse): ChartRow[] {
  return Object.entries(stats.openWarningsByRule)
    .filter(([, n]) => n > 0)
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
    .map(([code, value]) => ({ code, value }));
}

/** Throughput per stage as the route reports it, in procedure order, with the median, count and target. */
export function stageRows(stats: StatsResponse): ChartRow[] {
  const rank = (s: string): number => {
    const i = (STAGE_ORDER as readonly string[]).indexOf(s);
    return i === -1 ? STAGE_ORDER.length : i;
  };
  return Object.entries(stats.throughputDays)
    .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
    .map(([code, t]) => {
      const target = t.target;
      return { code, value: t.medianDays, count: t.count, ...(target === undefined ? {} : { targetWorkingDays: target }) };
    });
}

/** A round upper end for a chart's axis: at least 1, at least every value and target, on a 1/2/5 step. */
export function axisMax(rows: readonly ChartRow[]): number {
  const top = Math.max(1, ...rows.map((r) => Math.max(r.value ?? 0, r.targetWorkingDays ?? 0)));
  const magnitude = 10 ** Math.floor(Math.log10(top));
  for (const step of [1, 2, 5, 10]) if (step * magnitude >= top) return step * magnitude;
  return 10 * magnitude;
}

/** Whether a date range is usable: both ends optional, `from` not after `to`. */
export function validPeriod(from: string, to: string): boolean {
  return from === '' || to === '' || from <= to;
}
