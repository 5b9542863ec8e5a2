/**
 * The web UI in real headless Chromium: the auditor's view (no identifying details, access log, receipts),
 * the language switch, a keyboard-only flow, and an axe-core scan (WCAG 2.1 A/AA) of every page.
 */
import type { Browser } from 'playwright-core';
import { caseIdFor } from '@asl/chaincode/domain';
import { CASE_ID, FAKE_PERSON } from '../support/fixtures';
import { TEST_KEYS } from '../support/harness';
import { axeScan, launchChromium, openPage, screenshot, signIn, type PageGlobals } from './browser-page';
import { LONG_CASE_AZR, seedScenario, startUiSystem, type UiSystem } from './ui-system';

jest.setTimeout(60_000);

const LONG_CASE_ID = caseIdFor(TEST_KEYS[0]!.key, LONG_CASE_AZR);

let sys: UiSystem;
let browser: Browser;

beforeAll(async () => {
  [sys, browser] = await Promise.all([startUiSystem(), launchChromium()]);
  await seedScenario(sys, CASE_ID, FAKE_PERSON, LONG_CASE_ID, 3);
});

afterAll(async () => {
  await browser?.close();
  await sys?.stop();
});

test('an auditor reads the timeline and receipts but never the identifying details, and queries the access log', async () => {
  const { context, page, watch } = await openPage(browser, sys.baseUrl);
  await signIn(page, sys.zab.token.auditor);
  await expect(page.getByLabel('AZR-Nummer').count()).resolves.toBe(0);
  await expect(page.getByRole('button', { name: 'Warnungen' }).count()).resolves.toBe(0);
  await page.locator(`tr[data-case-id="${CASE_ID}"]`).getByRole('button').click();
  await page.locator('ol.timeline > li').first().waitFor();
  await expect(page.locator('ol.timeline > li').count()).resolves.toBe(8);
  await expect(page.locator('#case-details').count()).resolves.toBe(0);
  const text = (await page.textContent('body')) ?? '';
  for (const value of [FAKE_PERSON.familyName, FAKE_PERSON.givenNames, FAKE_PERSON.azrNumber, FAKE_PERSON.bamfFileNumber]) expect(text).not.toContain(value);
  expect(watch.urls.some((u) => u.endsWith('/details'))).toBe(false);
  expect(await page.evaluate(async (id) => (await (globalThis as unknown as PageGlobals).fetch(`/api/v1/cases/${id}/details`)).status, CASE_ID)).toBe(403);
  await page.locator('ol.timeline > li').first().locator('summary').click();
  await expect(page.locator('details.receipt[open]').textContent()).resolves.toContain('Bestätigt von');
  await expect(page.getByRole('button', { name: 'Fallverlauf exportieren' }).count()).resolves.toBe(1);

  await page.getByRole('button', { name: 'Prüfung' }).click();
  await page.getByRole('heading', { level: 1, name: 'Prüfung' }).waitFor();
  await page.getByLabel('Fallkennzeichen (optional)').fill(CASE_ID);
  await page.getByRole('button', { name: 'Abfragen' }).click();
  await page.locator('#access-log-result table').waitFor();
  await expect(page.locator('#access-log-result').textContent()).resolves.toContain('Hash-Kette des Protokolls intakt.');
  await expect(page.locator('#access-log-result tbody tr').count()).resolves.toBeGreaterThan(0);
  await expect(page.locator('#access-log-result').textContent()).resolves.toContain('zab-auditor-0001');
  await screenshot(page, 'audit-access-log');
  expect(watch.pageErrors).toEqual([]);
  await context.close();
});

test('German by default, English on request: lang attribute, texts and the choice kept', async () => {
  const { context, page } = await openPage(browser, sys.baseUrl);
  await signIn(page, sys.zab.token.caseworker);
  expect(await page.getAttribute('html', 'lang')).toBe('de');
  await page.getByRole('button', { name: 'Switch to English' }).click();
  await page.getByRole('heading', { level: 1, name: 'Cases' }).waitFor();
  expect(await page.getAttribute('html', 'lang')).toBe('en');
  await expect(page.getByRole('button', { name: 'Auf Deutsch umschalten' }).isVisible()).resolves.toBe(true);
  await expect(page.getByLabel('AZR number').count()).resolves.toBe(1);
  await page.locator(`tr[data-case-id="${CASE_ID}"]`).getByRole('button').click();
  await page.getByRole('heading', { level: 2, name: 'Timeline' }).waitFor();
  await expect(page.locator('[data-deadline="remedyDeadline"]').textContent()).resolves.toBe('Appeal deadline: 1 Dec 2026 – 5 days left');
  await expect(page.locator('.panel--warnings').textContent()).resolves.toContain('BLOCKING');
  expect(await page.title()).toBe('Timeline – Asylum-procedure status ledger');
  await screenshot(page, 'case-english');
  await page.reload();
  await page.getByRole('heading', { level: 1, name: 'Cases' }).waitFor();
  expect(await page.getAttribute('html', 'lang')).toBe('en');
  await context.close();
});

test('keyboard only: skip link, sign-in, AZR search and the timeline’s receipts by Tab and Enter, focus always visible', async () => {
  const { context, page } = await openPage(browser, sys.baseUrl);
  await page.goto('/');
  await page.getByRole('heading', { level: 1, name: 'Anmelden' }).waitFor();
  const focused = () => page.evaluate(() => {
    const w = globalThis as unknown as PageGlobals;
    const el = w.document.activeElement;
    const style = el ? w.getComputedStyle(el) : undefined;
    return { id: el?.id ?? '', tag: el?.tagName ?? '', cls: el?.className ?? '', text: el?.textContent?.trim() ?? '', outline: style ? `${style.outlineStyle} ${style.outlineWidth}` : '' };
  });
  /** Presses Tab until the predicate holds (at most `max` times); returns how many presses it took. */
  const tabTo = async (predicate: (f: Awaited<ReturnType<typeof focused>>) => boolean, max = 40): Promise<number> => {
    for (let i = 1; i <= max; i += 1) {
      await page.keyboard.press('Tab');
      const f = await focused();
      if (predicate(f)) return i;
      expect(f.outline).not.toMatch(/^none/);
    }
    throw new Error('focus never reached the target');
  };

  await page.keyboard.press('Tab');
  const first = await focused();
  expect(first.cls).toBe('skip-link');
  expect(first.text).toBe('Zum Inhalt springen');
  expect(first.outline).toMatch(/^solid 3px/);
  await page.keyboard.press('Enter');
  expect((await focused()).id).toBe('main');

  await tabTo((f) => f.id === 'token');
  await page.keyboard.type(sys.zab.token.caseworker);
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { level: 1, name: 'Fälle' }).waitFor();
  expect((await focused()).id).toBe('view-heading');

  await tabTo((f) => f.id === 'azr');
  await page.keyboard.type(FAKE_PERSON.azrNumber);
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { level: 1, name: `Fall ${CASE_ID}` }).waitFor();
  expect((await focused()).id).toBe('view-heading');

  await tabTo((f) => f.tag === 'SUMMARY', 80);
  await page.keyboard.press('Enter');
  await expect(page.locator('details.receipt[open]').count()).resolves.toBe(1);
  const outline = (await focused()).outline;
  expect(outline).toMatch(/^solid 3px/);
  await screenshot(page, 'keyboard-receipt-focus');
  await context.close();
});

test('axe-core finds no WCAG 2.1 A/AA violation on any page', async () => {
  const { context, page } = await openPage(browser, sys.baseUrl);
  const results: Record<string, string[]> = {};
  await page.goto('/');
  await page.getByRole('heading', { level: 1, name: 'Anmelden' }).waitFor();
  results['sign-in'] = await axeScan(page);
  await screenshot(page, 'sign-in');

  await signIn(page, sys.zab.token.caseworker);
  results['cases'] = await axeScan(page);
  await screenshot(page, 'cases');
  await page.locator(`tr[data-case-id="${CASE_ID}"]`).getByRole('button').click();
  await page.locator('ol.timeline > li').first().waitFor();
  await page.locator('ol.timeline > li').first().locator('summary').click();
  results['case'] = await axeScan(page);
  await page.getByRole('button', { name: 'Warnungen' }).click();
  await page.getByRole('heading', { level: 1, name: 'Warnungen' }).waitFor();
  results['warnings'] = await axeScan(page);
  await page.getByRole('button', { name: 'Nächste Schritte' }).click();
  await page.getByRole('heading', { level: 1, name: 'Nächste Schritte' }).waitFor();
  results['actions'] = await axeScan(page);
  await screenshot(page, 'actions');
  await page.getByRole('button', { name: 'Abmelden' }).click();

  await signIn(page, sys.zab.token.auditor);
  await page.getByRole('button', { name: 'Prüfung' }).click();
  await page.getByRole('heading', { level: 1, name: 'Prüfung' }).waitFor();
  await page.getByRole('button', { name: 'Abfragen' }).click();
  await page.locator('#access-log-result table').waitFor();
  results['audit'] = await axeScan(page);
  await page.getByRole('button', { name: 'Switch to English' }).click();
  await page.getByRole('heading', { level: 1, name: 'Audit' }).waitFor();
  results['audit (en)'] = await axeScan(page);

  const found = Object.entries(results).flatMap(([name, vs]) => vs.map((v) => `${name}: ${v}`));
  expect(found).toEqual([]);
  await context.close();
});
