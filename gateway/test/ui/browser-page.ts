/**
 * Headless Chromium and the page helpers every web UI test uses, whatever serves the UI: the browser suite's gateway
 * over the in-memory channel (ui-system.ts) or the gateways on the live network (test/live/ui-*.net.test.ts).
 * Nothing here knows which ledger is behind the page.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import axe from 'axe-core';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** Debian's Chromium (scripts/ensure-chromium.mjs installs it). */
export const CHROMIUM = process.env.ASL_CHROMIUM ?? '/usr/bin/chromium';

/** Where screenshots go: under the data directory (gitignored), kept as test artefacts. */
export const ARTIFACTS = join(process.env.ASL_HOME ?? resolve(__dirname, '../../../.asl'), 'test-artifacts', 'ui');

/**
 * Launches headless Chromium. Playwright gives every `launch()` a fresh temporary profile (its own
 * --user-data-dir, removed on close), so no state leaks between runs.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** An element, as the page functions below use it (the root type check has no DOM lib; they run in Chromium). */
export interface PageElement {
  readonly id: string;
  readonly tagName: string;
  readonly className: string;
  readonly textContent: string | null;
  readonly classList: { contains(name: string): boolean };
  getAttribute(name: string): string | null;
}

/** A violation as axe-core reports it (the fields the tests print). */
export interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly nodes: readonly { readonly target: readonly string[] }[];
}

/** The browser globals the page functions use; inside a page function: `globalThis as unknown as PageGlobals`. */
export interface PageGlobals {
  readonly document: {
    readonly activeElement: PageElement | null;
    readonly cookie: string;
    getElementById(id: string): PageElement | null;
    addEventListener(type: 'securitypolicyviolation', listener: (e: { violatedDirective: string; blockedURI: string }) => void): void;
  };
  readonly location: { readonly href: string };
  readonly history: { readonly state: unknown };
  readonly localStorage: Readonly<Record<string, string>> & { readonly length: number };
  readonly sessionStorage: Readonly<Record<string, string>> & { readonly length: number };
  getComputedStyle(el: PageElement): { readonly borderRadius: string; readonly outlineStyle: string; readonly outlineWidth: string };
  fetch(url: string): Promise<{ readonly status: number }>;
  __marker?: number;
  __cspViolations: string[];
  axe: { run(context: unknown, options: object): Promise<{ violations: AxeViolation[] }> };
}

/** What a page did that a test checks afterwards. */
export interface PageWatch {
  readonly urls: string[];
  readonly console: string[];
  readonly pageErrors: string[];
}

/** A fresh context (no cookies) and page, recording every requested URL, console message and page error. */
export async function openPage(browser: Browser, baseUrl: string): Promise<{ context: BrowserContext; page: Page; watch: PageWatch }> {
  const context = await browser.newContext({ baseURL: baseUrl, locale: 'de-DE', timezoneId: 'Europe/Berlin', viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const watch: PageWatch = { urls: [], console: [], pageErrors: [] };
  page.on('request', (r) => watch.urls.push(r.url()));
  page.on('console', (m) => watch.console.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => watch.pageErrors.push(e.message));
  // The page's own record of CSP violations (the event fires for every blocked load or inline use).
  await page.addInitScript(() => {
    const w = globalThis as unknown as PageGlobals;
    w.__cspViolations = [];
    w.document.addEventListener('securitypolicyviolation', (e) => w.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  return { context, page, watch };
}

/** Signs in through the form with a token. */
export async function signIn(page: Page, token: string): Promise<void> {
  await page.goto('/');
  await page.getByLabel('Zugangsschlüssel').fill(token);
  await page.getByRole('button', { name: 'Anmelden' }).click();
  await page.getByRole('heading', { level: 1, name: 'Fälle' }).waitFor();
}

/** Saves a full-page screenshot as a test artefact and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/**
 * Runs axe-core in the page against WCAG 2.0/2.1 A and AA and returns each violation as one line
 * (`rule (impact) help at targets`); the tests require none.
 */
export async function axeScan(page: Page): Promise<string[]> {
  await page.evaluate(axe.source);
  const violations: AxeViolation[] = await page.evaluate(async () => {
    const w = globalThis as unknown as PageGlobals;
    const result = await w.axe.run(w.document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) }));
  });
  return violations.map((v) => `${v.id} (${v.impact}) ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** The figures of `GET /api/v1/stats` the dashboard draws. */
export interface DashboardStats {
  readonly cases: number;
  readonly perPhase: Readonly<Record<string, number>>;
  readonly openWarningsByRule: Readonly<Record<string, number>>;
  readonly overdueActions: number;
  readonly throughputDays: Readonly<Record<string, { readonly count: number; readonly medianDays: number | null }>>;
}

/** What the dashboard shows: its tables as `{chartId: {code: [cells…]}}` plus the two key figures. */
export interface ShownFigures {
  readonly tables: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;
  readonly cases: number;
  readonly overdue: number;
}

/** Reads the figures the open dashboard shows (its tables, which carry the same numbers as the charts). */
export async function shownFigures(page: Page): Promise<ShownFigures> {
  const tables = await page.locator('table.chart-table').evaluateAll((els: PageElement[]) =>
    els.map((t) => {
      const table = t as unknown as { getAttribute(n: string): string | null; querySelectorAll(s: string): ArrayLike<{ getAttribute(n: string): string | null; querySelectorAll(s: string): ArrayLike<{ textContent: string | null }> }> };
      const rows: Record<string, string[]> = {};
      for (const tr of Array.from(table.querySelectorAll('tbody tr'))) rows[tr.getAttribute('data-code') ?? ''] = Array.from(tr.querySelectorAll('td')).map((td) => td.textContent ?? '');
      return [table.getAttribute('data-chart') ?? '', rows] as const;
    }),
  );
  const kpi = async (name: string) => Number(((await page.locator(`[data-kpi="${name}"] .kpi__value`).textContent()) ?? '').replace(/\D/g, ''));
  return { tables: Object.fromEntries(tables), cases: await kpi('cases'), overdue: await kpi('overdue') };
}

/**
 * Every difference between what the (German) dashboard shows and the stats: key figures, each phase (the phases'
 * sum is the number of cases), the open warnings by rule (exactly the rules with open warnings), and per stage the
 * count and the median as the page words it. Empty when every number agrees.
 */
export function dashboardMismatches(shown: ShownFigures, stats: DashboardStats): string[] {
  const out: string[] = [];
  const differ = (what: string, seen: unknown, expected: unknown): void => {
    if (JSON.stringify(seen) !== JSON.stringify(expected)) out.push(`${what}: shown ${JSON.stringify(seen)}, stats ${JSON.stringify(expected)}`);
  };
  for (const chart of ['chart-phases', 'chart-throughput']) if (shown.tables[chart] === undefined) out.push(`${chart}: no table shown`);
  differ('cases', shown.cases, stats.cases);
  differ('overdue actions', shown.overdue, stats.overdueActions);
  const phases = shown.tables['chart-phases'] ?? {};
  for (const [phase, cells] of Object.entries(phases)) differ(`phase ${phase}`, Number(cells[0]), stats.perPhase[phase] ?? 0);
  differ('sum of the phases', Object.values(phases).reduce((n, c) => n + Number(c[0]), 0), stats.cases);
  const open = Object.entries(stats.openWarningsByRule).filter(([, n]) => n > 0);
  const warnings = shown.tables['chart-warnings'] ?? {};
  differ('rules with open warnings', Object.keys(warnings).sort(), open.map(([c]) => c).sort());
  for (const [code, n] of open) differ(`open warnings ${code}`, Number(warnings[code]?.[1]), n);
  const stages = shown.tables['chart-throughput'] ?? {};
  differ('stages', Object.keys(stages).sort(), Object.keys(stats.throughputDays).sort());
  for (const [stage, t] of Object.entries(stats.throughputDays)) {
    differ(`stage ${stage} count`, Number(stages[stage]?.[1]), t.count);
    differ(`stage ${stage} median`, stages[stage]?.[0], t.medianDays === null ? 'keine Daten' : t.medianDays === 1 ? '1 Tag' : `${new Intl.NumberFormat('de').format(t.medianDays)} Tage`);
  }
  return out;
}
