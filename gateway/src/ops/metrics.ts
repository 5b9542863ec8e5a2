/** Latency buckets in seconds. */
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

function labelText(labels: Readonly<Record<string, string>>): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${v.replace(/["\\\n]/g, '_')}"`);
  return parts.length === 0 ? '' : `{${parts.join(',')}}`;
}

/**
 * The gateway's Prometheus metrics (text format 0.0.4): request latency histograms per route, ledger
 * submits by outcome and the read model's lag. Labels carry route templates and codes, never case ids.
 */
export class Metrics {
  readonly #counters = new Map<string, Map<string, number>>();
  readonly #histograms = new Map<string, Map<string, { buckets: number[]; sum: number; count: number }>>();
  readonly #gauges = new Map<string, () => Promise<number>>();
  readonly #help = new Map<string, string>();

  inc(name: string, help: string, labels: Record<string, string> = {}): void {
    this.#help.set(name, help);
    const series = this.#counters.get(name) ?? new Map<string, number>();
    const key = labelText(labels);
    series.set(key, (series.get(key) ?? 0) + 1);
    this.#counters.set(name, series);
  }

  observe(name: string, help: string, seconds: number, labels: Record<string, string> = {}): void {
    this.#help.set(name, help);
    const series = this.#histograms.get(name) ?? new Map<string, { buckets: number[]; sum: number; count: number }>();
    const key = labelText(labels);
    const h = series.get(key) ?? { buckets: BUCKETS.map(() => 0), sum: 0, count: 0 };
    BUCKETS.forEach((le, i) => {
      if (seconds <= le) h.buckets[i] = (h.buckets[i] ?? 0) + 1;
    });
    h.sum += seconds;
    h.count += 1;
    series.set(key, h);
    this.#histograms.set(name, series);
  }

  /** A gauge read when scraped. */
  gauge(name: string, help: string, read: () => Promise<number>): void {
    this.#help.set(name, help);
    this.#gauges.set(name, read);
  }

  async render(): Promise<string> {
    const lines: string[] = [];
    for (const [name, series] of this.#counters) {
      lines.push(`# HELP ${name} ${this.#help.get(name) ?? ''}`, `# TYPE ${name} counter`);
      for (const [labels, v] of series) lines.push(`${name}${labels} ${v}`);
    }
    for (const [name, series] of this.#histograms) {
      lines.push(`# HELP ${name} ${this.#help.get(name) ?? ''}`, `# TYPE ${name} histogram`);
      for (const [labels, h] of series) {
        const inner = labels === '' ? '' : labels.slice(1, -1) + ',';
        BUCKETS.forEach((le, i) => lines.push(`${name}_bucket{${inner}le="${le}"} ${h.buckets[i] ?? 0}`));
        lines.push(`${name}_bucket{${inner}le="+Inf"} ${h.count}`, `${name}_sum${labels} ${h.sum}`, `${name}_count${labels} ${h.count}`);
      }
    }
    for (const [name, read] of this.#gauges) {
      let value = NaN;
      try {
        value = await read();
      } catch {
        value = NaN;
      }
      lines.push(`# HELP ${name} ${this.#help.get(name) ?? ''}`, `# TYPE ${name} gauge`, `${name} ${value}`);
    }
    return lines.join('\n') + '\n';
  }
}
