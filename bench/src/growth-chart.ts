/**
 * The growth chart (SVG, log–log) from the JSON files of `growth.ts`: median milliseconds per write (the
 * contract's `RecordEvent`) and per gateway evaluation against events in the case, one line per file and
 * measurement. On log–log axes a line of slope 1 is linear growth, slope 2 quadratic; dotted guides show both.
 *
 *   npx tsx bench/src/growth-chart.ts bench/results/growth-before.json bench/results/growth-after.json \
 *     [--out bench/results/growth.svg]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

interface Measured {
  readonly summary: { readonly medianMs: number };
}

interface GrowthReport {
  readonly label: string;
  readonly commit: string;
  readonly sizes: readonly {
    readonly events: number;
    readonly probes: Readonly<Record<string, { readonly contract: Measured }>>;
    readonly gatewayEvaluate: Measured;
  }[];
}

interface Series {
  readonly name: string;
  readonly dashed: boolean;
  readonly colour: string;
  readonly points: readonly (readonly [number, number])[];
}

const COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e'];
const W = 760;
const H = 480;
const M = { left: 70, right: 250, top: 30, bottom: 50 };

function seriesOf(report: GrowthReport, dashed: boolean): Series[] {
  const probes = Object.keys(report.sizes[0]?.probes ?? {});
  const lines = [
    ...probes.map((p) => ({ name: `${p} write`, pick: (s: GrowthReport['sizes'][number]) => s.probes[p]?.contract.summary.medianMs ?? NaN })),
    { name: 'gateway evaluateCase', pick: (s: GrowthReport['sizes'][number]) => s.gatewayEvaluate.summary.medianMs },
  ];
  return lines.map((l, i) => ({
    name: `${l.name} (${report.label || report.commit})`,
    dashed,
    colour: COLOURS[i % COLOURS.length] ?? '#000',
    points: report.sizes.map((s) => [s.events, l.pick(s)] as const),
  }));
}

function main(): void {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { out: { type: 'string', default: 'bench/results/growth.svg' } },
  });
  if (positionals.length === 0) throw new Error('usage: growth-chart <growth.json>… [--out file.svg]');
  const reports = positionals.map((file) => JSON.parse(readFileSync(file, 'utf8')) as GrowthReport);
  const series = reports.flatMap((r, i) => seriesOf(r, i === 0 && reports.length > 1));
  const xs = series.flatMap((s) => s.points.map(([x]) => x));
  const ys = series.flatMap((s) => s.points.map(([, y]) => y)).filter((y) => y > 0);
  const [x0, x1] = [Math.log10(Math.min(...xs)), Math.log10(Math.max(...xs))];
  const [y0, y1] = [Math.floor(Math.log10(Math.min(...ys))), Math.ceil(Math.log10(Math.max(...ys)))];
  const px = (x: number): number => M.left + ((Math.log10(x) - x0) / (x1 - x0)) * (W - M.left - M.right);
  const py = (y: number): number => H - M.bottom - ((Math.log10(y) - y0) / (y1 - y0)) * (H - M.top - M.bottom);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
  ];
  for (let e = y0; e <= y1; e += 1) {
    const y = py(10 ** e);
    out.push(`<line x1="${M.left}" x2="${W - M.right}" y1="${y}" y2="${y}" stroke="#ddd"/>`);
    out.push(`<text x="${M.left - 8}" y="${y + 4}" text-anchor="end">${10 ** e >= 1 ? String(10 ** e) : (10 ** e).toFixed(-e)} ms</text>`);
  }
  for (const x of [...new Set(xs)]) {
    out.push(`<line x1="${px(x)}" x2="${px(x)}" y1="${M.top}" y2="${H - M.bottom}" stroke="#ddd"/>`);
    out.push(`<text x="${px(x)}" y="${H - M.bottom + 18}" text-anchor="middle">${x}</text>`);
  }
  out.push(`<text x="${(M.left + W - M.right) / 2}" y="${H - 10}" text-anchor="middle">events in the case</text>`);
  // Slope guides from the bottom-left corner: how a linear and a quadratic cost would rise.
  const x = [Math.min(...xs), Math.max(...xs)] as const;
  for (const [slope, label] of [[1, 'slope 1: linear'], [2, 'slope 2: quadratic']] as const) {
    const yEnd = Math.min(10 ** y1, 10 ** y0 * (x[1] / x[0]) ** slope);
    const xEnd = x[0] * (yEnd / 10 ** y0) ** (1 / slope);
    out.push(`<line x1="${px(x[0])}" y1="${py(10 ** y0)}" x2="${px(xEnd)}" y2="${py(yEnd)}" stroke="#999" stroke-dasharray="2 4"/>`);
    out.push(`<text x="${px(xEnd) - 4}" y="${py(yEnd) + 14}" text-anchor="end" fill="#777">${label}</text>`);
  }
  series.forEach((s, i) => {
    const d = s.points.map(([x, y], k) => `${k === 0 ? 'M' : 'L'}${px(x).toFixed(1)},${py(y).toFixed(1)}`).join(' ');
    out.push(`<path d="${d}" fill="none" stroke="${s.colour}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`);
    const ly = M.top + i * 18;
    out.push(`<line x1="${W - M.right + 12}" x2="${W - M.right + 36}" y1="${ly}" y2="${ly}" stroke="${s.colour}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`);
    out.push(`<text x="${W - M.right + 42}" y="${ly + 4}">${s.name}</text>`);
  });
  out.push('</svg>');
  writeFileSync(resolve(process.env['INIT_CWD'] ?? process.cwd(), values.out), `${out.join('\n')}\n`);
}

main();
