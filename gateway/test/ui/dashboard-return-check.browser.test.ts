/**
 * The web UI in real headless Chromium: the overview dashboard (charts with tables, numbers equal to
 * `GET /api/v1/stats`, period filter) and the ZAB return check on a case page (BLOCKING first, announced),
 * neither shown to BAMF or auditors where they must not be; keyboard-only use and axe-core scans of both.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import request from 'supertest';
import { caseIdFor } from '@asl/chaincode/domain';
import { CASE_ID, FAKE_PERSON } from '../support/fixtures';
import { TEST_KEYS } from '../support/harness';
import { axeScan, dashboardMismatches, launchChromium, openPage, screenshot, shownFigures, signIn, type DashboardStats, type PageElement, type PageGlobals, type ShownFigures } from './browser-page';
import { LONG_CASE_AZR, seedScenario, startUiSystem, type UiSystem } from './ui-system';

jest.setTimeout(60_000);

const LONG_CASE_ID = caseIdFor(TEST_KEYS[0]!.key, LONG_CASE_AZR);

let sys: UiSystem;
let browser: Browser;
/** The BAMF gateway served over HTTP too (its UI must not offer the return check). */
let bamfServer: Server;
let bamfUrl: string;

beforeAll(async () => {
  [sys, browser] = await Promise.all([startUiSystem(), launchChromium()]);
  await seedScenario(sys, CASE_ID, FAKE_PERSON, LONG_CASE_ID, 3);
  bamfServer = createServer(sys.bamf.app);
  await new Promise<void>((done) => bamfServer.listen(0, '127.0.0.1', done));
  bamfUrl = `http://127.0.0.1:${(bamfServer.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await browser?.close();
  bamfServer?.closeAllConnections();
  await new Promise<void>((done) => (bamfServer ? bamfServer.close(() => done()) : done()));
  await sys?.stop();
});

async function apiStats(query: Record<string, string> = {}): Promise<DashboardStats> {
  const res = await request(sys.zab.app).get('/api/v1/stats').query(query).set('authorization', `Bearer ${sys.zab.token.caseworker}`);
  expect(res.status).toBe(200);
  return res.body as DashboardStats;
}

/** Checks that every number the dashboard shows equals the API's. */
function expectSameNumbers(shown: ShownFigures, stats: DashboardStats): void {
  expect(dashboardMismatches(shown, stats)).toEqual([]);
}

test('the dashboard shows the API’s numbers as charts with tables, and the period filter changes them', async () => {
  const { context, page, watch } = await openPage(browser, sys.baseUrl);
  await signIn(page, sys.zab.token.caseworker);
  await page.getByRole('button', { name: 'Übersicht' }).click();
  await page.getByRole('heading', { level: 1, name: 'Übersicht' }).waitFor();
  expect(await page.title()).toContain('Übersicht');

  const all = await apiStats();
  expect(all.cases).toBe(2);
  expect(Object.values(all.openWarningsByRule).some((n) => n > 0)).toBe(true);
  expectSameNumbers(await shownFigures(page), all);
  await expect(page.locator('#dashboard-period').textContent()).resolves.toBe('Durchlaufzeiten für: gesamter Zeitraum');

  // Three charts, each an image with a name carrying its values, each followed by its table.
  const charts = page.locator('svg.chart[role="img"]');
  await expect(charts.count()).resolves.toBe(3);
  const names = await charts.evaluateAll((els: PageElement[]) => els.map((e) => e.getAttribute('aria-label') ?? ''));
  expect(names[0]).toMatch(/^Balkendiagramm: Fälle je Phase\. .*Aufenthaltsbeendigung: 1/);
  expect(names[2]).toContain('Registrierung → Antrag: 1 Tag;');
  await expect(page.locator('table.chart-table').count()).resolves.toBe(3);
  await expect(page.locator('table.chart-table caption').first().textContent()).resolves.toBe('Balkendiagramm: Fälle je Phase als Tabelle');
  await expect(page.getByRole('table', { name: 'Balkendiagramm: Median der Durchlaufzeit je Stufe in Kalendertagen als Tabelle' }).count()).resolves.toBe(1);
  // Bars carry their value as text (not colour alone).
  await expect(page.locator('#chart-phases g[data-code="ENFORCEMENT"] .chart__value').textContent()).resolves.toBe('1');
  await screenshot(page, 'dashboard');
  expect(await axeScan(page)).toEqual([]);

  // A period after the registration → application stage ended leaves it out.
  await page.getByLabel('Von').fill('2026-11-21');
  await page.getByRole('button', { name: 'Anzeigen' }).click();
  await page.locator('#dashboard-period', { hasText: 'ab 21.11.2026' }).waitFor();
  const later = await apiStats({ from: '2026-11-21' });
  expect(later.throughputDays.registrationToApplication?.count).toBe(0);
  expect(all.throughputDays.registrationToApplication?.count).toBe(1);
  expectSameNumbers(await shownFigures(page), later);
  await page.waitForFunction(() => (globalThis as unknown as PageGlobals).document.getElementById('live')?.textContent === 'Übersicht aktualisiert: ab 21.11.2026.');

  // An end before the start is refused on the field, with no request.
  await page.getByLabel('Bis').fill('2026-11-01');
  await page.getByRole('button', { name: 'Anzeigen' }).click();
  await expect(page.locator('#period-error').textContent()).resolves.toBe('Das Ende des Zeitraums liegt vor seinem Anfang.');
  await expect(page.getByLabel('Bis').getAttribute('aria-invalid')).resolves.toBe('true');
  expect(await axeScan(page)).toEqual([]);

  // English.
  await page.getByRole('button', { name: 'Switch to English' }).click();
  await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
  await expect(page.getByRole('heading', { level: 2, name: 'Throughput times per stage' }).count()).resolves.toBe(1);
  await expect(page.locator('#chart-throughput table').textContent()).resolves.toContain('Registration → application');
  expect(await axeScan(page)).toEqual([]);
  await screenshot(page, 'dashboard-english');
  expect(watch.pageErrors).toEqual([]);
  expect(watch.console.filter((m) => m.startsWith('error') || /Content Security Policy|Trusted Type/i.test(m))).toEqual([]);
  await context.close();
});

test('keyboard only: the period filter and the return check by Tab, typing and Enter', async () => {
  const { context, page } = await openPage(browser, sys.baseUrl);
  await signIn(page, sys.zab.token.caseworker);
  const focusedId = () => page.evaluate(() => (globalThis as unknown as PageGlobals).document.activeElement?.id ?? '');
  const focusedView = () => page.evaluate(() => (globalThis as unknown as PageGlobals).document.activeElement?.getAttribute('data-view') ?? '');
  const tabTo = async (check: () => Promise<boolean>, max = 60): Promise<void> => {
    for (let i = 0; i < max; i += 1) {
      await page.keyboard.press('Tab');
      if (await check()) return;
    }
    throw new Error('focus never reached the target');
  };

  await tabTo(async () => (await focusedView()) === 'dashboard');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { level: 1, name: 'Übersicht' }).waitFor();
  expect(await focusedId()).toBe('view-heading');
  await tabTo(async () => (await focusedId()) === 'period-from');
  // The order of a date field's segments follows the browser's own locale (headless Chromium here: MM/DD/YYYY,
  // a German desktop: DD.MM.YYYY): type day first; if the field read it the other way, go back (Shift+Tab moves
  // between its segments) and type month first.
  await page.keyboard.type('21112026');
  if ((await page.locator('#period-from').inputValue()) !== '2026-11-21') {
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.type('11212026');
  }
  await expect(page.locator('#period-from').inputValue()).resolves.toBe('2026-11-21');
  await tabTo(async () => (await focusedId()) === 'period-apply');
  await page.keyboard.press('Enter');
  await page.locator('#dashboard-period', { hasText: 'ab 21.11.2026' }).waitFor();
  expectSameNumbers(await shownFigures(page), await apiStats({ from: '2026-11-21' }));

  // The return check on the case: choose the kind with the arrow keys, run it with Enter.
  await page.getByRole('button', { name: 'Fälle' }).focus();
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { level: 1, name: 'Fälle' }).waitFor();
  await page.locator(`tr[data-case-id="${CASE_ID}"]`).getByRole('button').focus();
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { level: 1, name: `Fall ${CASE_ID}` }).waitFor();
  await tabTo(async () => (await focusedId()) === 'return-kind');
  await page.keyboard.press('ArrowDown');
  await expect(page.locator('#return-kind').inputValue()).resolves.toBe('DUBLIN_TRANSFER');
  await tabTo(async () => (await focusedId()) === 'return-check-run');
  await page.keyboard.press('Enter');
  const verdict = page.locator('#return-check-result .return-check__verdict[data-kind="DUBLIN_TRANSFER"]');
  await verdict.waitFor();
  await expect(verdict.getAttribute('data-blocked')).resolves.toBe('true');
  await expect(verdict.locator('li[data-rule="RET_KIND_MISMATCH"]').getAttribute('data-severity')).resolves.toBe('BLOCKING');
  await screenshot(page, 'keyboard-return-check');
  await context.close();
});

test('a ZAB caseworker checks a return: BLOCKING rules first with names, anchors and evaluatedAt, announced; no axe violation', async () => {
  const { context, page, watch } = await openPage(browser, sys.baseUrl);
  await signIn(page, sys.zab.token.caseworker);
  await page.locator(`tr[data-case-id="${CASE_ID}"]`).getByRole('button').click();
  await page.getByRole('heading', { level: 2, name: 'Rückführung prüfen' }).waitFor();
  await expect(page.locator('#return-check-result').getAttribute('aria-live')).resolves.toBe('polite');
  await page.getByLabel('Art der Rückführung').selectOption('DEPORTATION');
  await page.getByRole('button', { name: 'Jetzt prüfen' }).click();
  const verdict = page.locator('#return-check-result .return-check__verdict');
  await verdict.waitFor();

  const api = await request(sys.zab.app).post(`/api/v1/cases/${CASE_ID}/return-check`).send({ kind: 'DEPORTATION' }).set('authorization', `Bearer ${sys.zab.token.caseworker}`);
  expect(api.status).toBe(200);
  const fired = api.body.warnings as { code: string; severity: string }[];
  expect(fired.some((w) => w.code === 'RET_REMEDY_WINDOW_OPEN' && w.severity === 'BLOCKING')).toBe(true);

  await expect(verdict.locator('.result').textContent()).resolves.toBe(`⊘ Rückführung blockiert: ${fired.filter((w) => w.severity === 'BLOCKING').length} blockierende Regel(n).`);
  const rules = await verdict.locator('.return-check__rules > li').evaluateAll((els: PageElement[]) => els.map((e) => `${e.getAttribute('data-severity')}:${e.getAttribute('data-rule')}`));
  expect(rules.map((r) => r.split(':')[1]).sort()).toEqual(fired.map((w) => w.code).sort());
  expect(rules.map((r) => r[0]).join('')).toMatch(/^B+W*$/);
  await expect(verdict.locator('li[data-rule="RET_REMEDY_WINDOW_OPEN"]').textContent()).resolves.toContain('Klagefrist läuft noch');
  await expect(verdict.locator('li[data-rule="RET_REMEDY_WINDOW_OPEN"]').textContent()).resolves.toContain('BLOCKIEREND');
  await expect(verdict.textContent()).resolves.toContain('Geprüft für: Abschiebung, Stand 26.11.2026');
  await expect(verdict.locator('time').getAttribute('datetime')).resolves.toBe(api.body.evaluatedAt as string);
  // Every other return rule is listed as not applying.
  await expect(verdict.locator('.return-check__clear li[data-rule="RET_PROTECTION_GRANTED"]').count()).resolves.toBe(1);
  await screenshot(page, 'case-return-check');
  expect(await axeScan(page)).toEqual([]);
  // The check wrote nothing.
  await expect(page.locator('ol.timeline > li').count()).resolves.toBe(8);
  expect(watch.pageErrors).toEqual([]);
  await context.close();
});

test('BAMF caseworkers and auditors see no return check; auditors see the dashboard', async () => {
  const bamf = await openPage(browser, bamfUrl);
  await signIn(bamf.page, sys.bamf.token.caseworker);
  await bamf.page.locator(`tr[data-case-id="${CASE_ID}"]`).getByRole('button').click();
  await bamf.page.locator('ol.timeline > li').first().waitFor();
  await expect(bamf.page.locator('#return-check').count()).resolves.toBe(0);
  await expect(bamf.page.getByRole('heading', { name: 'Rückführung prüfen' }).count()).resolves.toBe(0);
  await bamf.context.close();

  const { context, page } = await openPage(browser, sys.baseUrl);
  await signIn(page, sys.zab.token.auditor);
  await page.locator(`tr[data-case-id="${CASE_ID}"]`).getByRole('button').click();
  await page.locator('ol.timeline > li').first().waitFor();
  await expect(page.locator('#return-check').count()).resolves.toBe(0);
  await page.getByRole('button', { name: 'Übersicht' }).click();
  await page.getByRole('heading', { level: 1, name: 'Übersicht' }).waitFor();
  await expect(page.locator('svg.chart[role="img"]').count()).resolves.toBe(3);
  await context.close();
});
