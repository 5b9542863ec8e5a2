import { api } from '../api';
import type { ViewContext } from '../context';
import { h, s, swapKeepingFocus } from '../dom';
import { axisMax, phaseRows, stageRows, validPeriod, warningRows, type ChartRow, type StatsResponse } from '../logic/dashboard';

/** Geometry of the bar charts (SVG user units; the SVG scales to the panel's width). */
const WIDTH = 720;
const LABEL_W = 250;
const VALUE_W = 90;
const ROW_H = 30;
const BAR_H = 18;
const TOP = 8;
const AXIS_H = 26;

interface ChartSpec {
  readonly id: string;
  readonly title: string;
  readonly rows: readonly ChartRow[];
  /** The translated label of a row's code. */
  readonly label: (code: string) => string;
  /** The value as text (shown next to the bar and in the table). */
  readonly valueText: (row: ChartRow) => string;
  /** Table columns after the label (header, cell text per row). */
  readonly columns: readonly { readonly header: string; readonly cell: (row: ChartRow) => string }[];
  readonly firstHeader: string;
}

/**
 * A horizontal bar chart as inline SVG (`role="img"` with an accessible name that carries the values) and,
 * below it, the same figures as a table. Every bar has its value written next to it, and a target is a dashed
 * line with a text label, so nothing depends on colour.
 */
function barChart(ctx: ViewContext, spec: ChartSpec): HTMLElement {
  const { rows } = spec;
  const max = axisMax(rows);
  const plotW = WIDTH - LABEL_W - VALUE_W;
  const x = (v: number): number => LABEL_W + (v / max) * plotW;
  const height = TOP + rows.length * ROW_H + AXIS_H;
  const titleId = `${spec.id}-title`;
  const summary = rows.map((r) => `${spec.label(r.code)}: ${spec.valueText(r)}`).join('; ');
  const ticks = max < 2 ? [0, max] : [0, max / 2, max];
  const svg = s(
    'svg',
    { class: 'chart', viewBox: `0 0 ${WIDTH} ${height}`, role: 'img', 'aria-label': ctx.t('dashboard.chartLabel', { title: spec.title, values: summary }), focusable: 'false' },
    ticks.map((tv) => [
      s('line', { class: 'chart__grid', x1: x(tv), x2: x(tv), y1: TOP - 4, y2: TOP + rows.length * ROW_H }),
      s('text', { class: 'chart__tick', x: x(tv), y: height - 6, 'text-anchor': 'middle' }, new Intl.NumberFormat(ctx.t.lang).format(tv)),
    ]),
    rows.map((r, i) => {
      const y = TOP + i * ROW_H;
      const value = r.value ?? 0;
      const barW = value > 0 ? Math.max(2, x(value) - LABEL_W) : 0;
      return s(
        'g',
        { class: 'chart__row', 'data-code': r.code },
        s('text', { class: 'chart__label', x: LABEL_W - 8, y: y + BAR_H - 4, 'text-anchor': 'end' }, spec.label(r.code)),
        barW === 0 ? null : s('rect', { class: 'chart__bar', x: LABEL_W, y, width: barW, height: BAR_H }),
        s('text', { class: 'chart__value', x: LABEL_W + barW + 6, y: y + BAR_H - 4 }, spec.valueText(r)),
        r.targetWorkingDays === undefined
          ? null
          : [
              s('line', { class: 'chart__target', x1: x(r.targetWorkingDays), x2: x(r.targetWorkingDays), y1: y - 3, y2: y + BAR_H + 3 }),
              s('text', { class: 'chart__target-label', x: x(r.targetWorkingDays) + 4, y: y + BAR_H + 10 }, ctx.t('dashboard.targetWorkingDays', { n: r.targetWorkingDays })),
            ],
      );
    }),
  );
  // The figure's caption names the chart; the SVG carries its own accessible name (with the values).
  return h(
    'figure',
    { class: 'chart-figure', id: spec.id, 'aria-labelledby': titleId },
    h('figcaption', { id: titleId, class: 'chart-figure__title' }, spec.title),
    h('div', { class: 'chart-wrap' }, svg),
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'table chart-table', 'data-chart': spec.id },
        h('caption', { class: 'visually-hidden' }, ctx.t('dashboard.tableCaption', { title: spec.title })),
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, spec.firstHeader), spec.columns.map((c) => h('th', { scope: 'col' }, c.header)))),
        h('tbody', {}, rows.map((r) => h('tr', { 'data-code': r.code }, h('th', { scope: 'row' }, spec.label(r.code)), spec.columns.map((c) => h('td', {}, c.cell(r)))))),
      ),
    ),
  );
}

function periodText(ctx: ViewContext, from: string, to: string): string {
  if (from === '' && to === '') return ctx.t('dashboard.periodAll');
  if (from === '') return ctx.t('dashboard.periodUntil', { to: ctx.date(to) });
  if (to === '') return ctx.t('dashboard.periodFrom', { from: ctx.date(from) });
  return ctx.t('dashboard.periodRange', { from: ctx.date(from), to: ctx.date(to) });
}

function figures(ctx: ViewContext, stats: StatsResponse): HTMLElement {
  const count = (r: ChartRow): string => String(r.value ?? 0);
  const days = (v: number | null): string => (v === null ? ctx.t('dashboard.noData') : v === 1 ? ctx.t('dashboard.dayOne') : ctx.t('dashboard.days', { n: new Intl.NumberFormat(ctx.t.lang).format(v) }));
  const warnings = warningRows(stats);
  return h(
    'div',
    { class: 'dashboard__figures' },
    h(
      'ul',
      { class: 'kpis' },
      h('li', { class: 'kpi', 'data-kpi': 'cases' }, h('span', { class: 'kpi__label' }, ctx.t('dashboard.cases')), ' ', h('strong', { class: 'kpi__value' }, String(stats.cases))),
      h(
        'li',
        { class: `kpi${stats.overdueActions > 0 ? ' kpi--alert' : ''}`, 'data-kpi': 'overdue' },
        h('span', { class: 'kpi__label' }, ctx.t('dashboard.overdue', { agency: ctx.agency(ctx.viewer.agency) })),
        ' ',
        h('strong', { class: 'kpi__value' }, stats.overdueActions > 0 ? [h('span', { 'aria-hidden': 'true' }, '⚠ '), String(stats.overdueActions)] : String(stats.overdueActions)),
      ),
    ),
    h(
      'section',
      { class: 'panel', 'aria-labelledby': 'h-per-phase' },
      h('h2', { id: 'h-per-phase' }, ctx.t('dashboard.perPhase')),
      barChart(ctx, {
        id: 'chart-phases',
        title: ctx.t('dashboard.perPhaseChart'),
        rows: phaseRows(stats),
        label: (c) => ctx.t.code('phase', c),
        valueText: count,
        firstHeader: ctx.t('dashboard.phase'),
        columns: [{ header: ctx.t('dashboard.count'), cell: count }],
      }),
    ),
    h(
      'section',
      { class: 'panel', 'aria-labelledby': 'h-by-rule' },
      h('h2', { id: 'h-by-rule' }, ctx.t('dashboard.warningsByRule')),
      warnings.length === 0
        ? h('p', {}, ctx.t('dashboard.warningsNone'))
        : barChart(ctx, {
            id: 'chart-warnings',
            title: ctx.t('dashboard.warningsByRuleChart'),
            rows: warnings,
            label: (c) => ctx.t.code('warning', c),
            valueText: count,
            firstHeader: ctx.t('dashboard.rule'),
            columns: [
              { header: ctx.t('dashboard.code'), cell: (r) => r.code },
              { header: ctx.t('dashboard.count'), cell: count },
            ],
          }),
    ),
    h(
      'section',
      { class: 'panel', 'aria-labelledby': 'h-throughput' },
      h('h2', { id: 'h-throughput' }, ctx.t('dashboard.throughput')),
      h('p', { class: 'muted' }, ctx.t('dashboard.throughputNote')),
      barChart(ctx, {
        id: 'chart-throughput',
        title: ctx.t('dashboard.throughputChart'),
        rows: stageRows(stats),
        label: (c) => ctx.t.code('stage', c),
        valueText: (r) => days(r.value),
        firstHeader: ctx.t('dashboard.stage'),
        columns: [
          { header: ctx.t('dashboard.median'), cell: (r) => days(r.value) },
          { header: ctx.t('dashboard.count'), cell: (r) => String(r.count ?? 0) },
          { header: ctx.t('dashboard.target'), cell: (r) => (r.targetWorkingDays === undefined ? '—' : ctx.t('dashboard.targetWorkingDays', { n: r.targetWorkingDays })) },
        ],
      }),
    ),
    h('p', { class: 'muted', id: 'dashboard-as-of' }, ctx.t('case.evaluatedAt', { at: ctx.instant(stats.evaluatedAt) })),
  );
}

/** The steering view: `GET /api/v1/stats` for a period, as charts with tables; `refresh()` re-reads it. */
export async function dashboardView(ctx: ViewContext): Promise<{ element: HTMLElement; refresh: () => Promise<void> }> {
  const box = h('div', { id: 'dashboard-figures' });
  const status = h('p', { class: 'muted', id: 'dashboard-period' });
  const fromInput = h('input', { id: 'period-from', name: 'from', type: 'date', 'aria-describedby': 'period-hint' });
  const toInput = h('input', { id: 'period-to', name: 'to', type: 'date', 'aria-describedby': 'period-hint period-error' });
  const error = h('p', { id: 'period-error', class: 'field-error', hidden: true });
  let period = { from: '', to: '' };

  const refresh = async (): Promise<void> => {
    const query = new URLSearchParams();
    if (period.from !== '') query.set('from', period.from);
    if (period.to !== '') query.set('to', period.to);
    const qs = query.toString();
    const stats = await api<StatsResponse>('GET', `/api/v1/stats${qs === '' ? '' : `?${qs}`}`);
    status.textContent = ctx.t('dashboard.showing', { period: periodText(ctx, period.from, period.to) });
    swapKeepingFocus(box, figures(ctx, stats));
  };

  const form = h(
    'form',
    {
      class: 'period-form',
      'aria-labelledby': 'period-legend',
      onsubmit: (e: Event) => {
        e.preventDefault();
        ctx.clearError();
        if (!validPeriod(fromInput.value, toInput.value)) {
          error.textContent = ctx.t('dashboard.periodInvalid');
          error.hidden = false;
          toInput.setAttribute('aria-invalid', 'true');
          toInput.focus();
          return;
        }
        error.hidden = true;
        error.textContent = '';
        toInput.removeAttribute('aria-invalid');
        period = { from: fromInput.value, to: toInput.value };
        refresh()
          .then(() => ctx.announce(ctx.t('dashboard.updated', { period: periodText(ctx, period.from, period.to) })))
          .catch((err: unknown) => ctx.showError(err));
      },
    },
    h(
      'fieldset',
      { class: 'period' },
      h('legend', { id: 'period-legend' }, ctx.t('dashboard.period')),
      h('p', { class: 'hint', id: 'period-hint' }, ctx.t('dashboard.periodHint')),
      h('div', { class: 'inline-form' }, h('div', {}, h('label', { for: 'period-from' }, ctx.t('dashboard.from')), fromInput), h('div', {}, h('label', { for: 'period-to' }, ctx.t('dashboard.to')), toInput), h('button', { type: 'submit', class: 'button', id: 'period-apply' }, ctx.t('dashboard.apply'))),
      error,
    ),
  );
  await refresh();
  return {
    element: h('div', { class: 'dashboard' }, h('h1', { tabindex: '-1', id: 'view-heading' }, ctx.t('dashboard.heading')), h('p', {}, ctx.t('dashboard.intro')), form, status, box),
    refresh,
  };
}
