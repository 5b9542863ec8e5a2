/** Sample statistics for the in-process benchmarks, in milliseconds. */

/** Median, 95th percentile (nearest rank), min, max and mean of a set of samples. */
export interface Summary {
  readonly n: number;
  readonly medianMs: number;
  readonly p95Ms: number;
  readonly minMs: number;
  readonly maxMs: number;
  readonly meanMs: number;
}

/** The value at quantile `q` by nearest rank (q = 0.95: the smallest sample at least 95% of samples do not exceed). */
export function nearestRank(sorted: readonly number[], q: number): number {
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

function median(sorted: readonly number[]): number {
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? Number.NaN) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

const round = (ms: number): number => Math.round(ms * 1000) / 1000;

/** The summary of samples in milliseconds, rounded to microseconds. */
export function summarise(samplesMs: readonly number[]): Summary {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const sum = sorted.reduce((a, b) => a + b, 0);
  return {
    n: sorted.length,
    medianMs: round(median(sorted)),
    p95Ms: round(nearestRank(sorted, 0.95)),
    minMs: round(sorted[0] ?? Number.NaN),
    maxMs: round(sorted[sorted.length - 1] ?? Number.NaN),
    meanMs: round(sum / Math.max(sorted.length, 1)),
  };
}

/** Times `run` `samples` times after `warmup` untimed runs, each on a fresh `setup()` (not timed); ms per run. */
export async function timeRuns<T>(setup: () => T, run: (prepared: T) => unknown, samples: number, warmup: number): Promise<number[]> {
  for (let i = 0; i < warmup; i += 1) await run(setup());
  const out: number[] = [];
  for (let i = 0; i < samples; i += 1) {
    const prepared = setup();
    const start = process.hrtime.bigint();
    await run(prepared);
    out.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return out;
}
