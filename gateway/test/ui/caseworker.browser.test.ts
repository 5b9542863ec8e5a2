/**
 * The web UI in real headless Chromium against the real gateway app: a ZAB caseworker signs in, finds a case by
 * AZR number, reads the shared timeline and the case header, sees a BAMF write appear live with a ReturnConflict
 * banner, acknowledges the warning, corrects an own entry, and signs out.
 */
import type { Browser } from 'playwright-core';
import request from 'supertest';
import { caseIdFor } from '@asl/chaincode/domain';
import { CASE_ID, COURT_REF, FAKE_PERSON } from '../support/fixtures';
import { TEST_KEYS } from '../support/harness';
import { UI_CSP } from '../../src/ui/ui-router';
import { launchChromium, openPage, screenshot, signIn, type PageElement, type PageGlobals } from './browser-page';
import { LONG_CASE_AZR, record, seedScenario, startUiSystem, type UiSystem } from './ui-system';

jest.setTimeout(60_000);

const LONG_CASE_ID = caseIdFor(TEST_KEYS[0]!.key, LONG_CASE_AZR);
const AZR_DIGITS = FAKE_PERSON.azrNumber.replace(/\D/g, '');

let sys: UiSystem;
let browser: Browser;
let seeded: Awaited<ReturnType<typeof seedScenario>>;

beforeAll(async () => {
  [sys, browser] = await Promise.all([startUiSystem(), launchChromium()]);
  seeded = await seedScenario(sys, CASE_ID, FAKE_PERSON, LONG_CASE_ID, 200);
});

afterAll(async () => {
  await browser?.close();
  await sys?.stop();
});

/** Everything the browser kept or showed that could carry the AZR number. */
async function browserState(page: import('playwright-core').Page): Promise<string> {
  return page.evaluate(() => {
    const w = globalThis as unknown as PageGlobals;
    return JSON.stringify({ href: w.location.href, history: w.history.state, local: { ...w.localStorage }, session: { ...w.sessionStorage } });
  });
}

test('a ZAB caseworker signs in, finds the case by AZR number and sees the shared timeline, header, details and live updates', async () => {
  const { context, page, watch } = await openPage(browser, sys.baseUrl);
  const response = await page.goto('/');
  expect(response?.url()).toBe(`${sys.baseUrl}/ui/`);
  expect(response?.headers()['content-security-policy']).toBe(UI_CSP);
  expect(UI_CSP).toContain("default-src 'self'");
  expect(UI_CSP).toContain("frame-ancestors 'none'");
  expect(UI_CSP).not.toContain('unsafe-inline');
  expect(await page.getAttribute('html', 'lang')).toBe('de');

  await signIn(page, sys.zab.token.caseworker);
  const cookies = await context.cookies();
  const session = cookies.find((c) => c.name === 'asl_session');
  expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
  // The token is nowhere script can read it.
  expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).document.cookie)).toBe('');
  expect(await browserState(page)).not.toContain(sys.zab.token.caseworker);
  await expect(page.locator('.site-user').textContent()).resolves.toContain('zab-caseworker-0001');

  await page.getByLabel('AZR-Nummer').fill(FAKE_PERSON.azrNumber);
  await page.getByRole('button', { name: 'Fall öffnen' }).click();
  await page.getByRole('heading', { level: 1, name: `Fall ${CASE_ID}` }).waitFor();
  expect(await page.getByLabel('AZR-Nummer').count()).toBe(0);

  // Timeline: both agencies in ledger order, labelled in text and by shape.
  const entries = page.locator('ol.timeline > li');
  await expect(entries.count()).resolves.toBe(8);
  const types = await entries.evaluateAll((els: PageElement[]) => els.map((e) => `${e.getAttribute('data-agency')}:${e.getAttribute('data-type')}`));
  expect(types).toEqual([
    'ZabSachsenMSP:CASE_REGISTERED',
    'ZabSachsenMSP:RECEPTION_ASSIGNED',
    'BamfMSP:APPLICATION_FILED',
    'BamfMSP:HEARING_SCHEDULED',
    'BamfMSP:HEARING_HELD',
    'BamfMSP:DECISION_ISSUED',
    'BamfMSP:DECISION_SERVED',
    'ZabSachsenMSP:RETURN_SCHEDULED',
  ]);
  const labels = await entries.locator('.agency-badge').allTextContents();
  expect(labels).toEqual(['ZAB Sachsen', 'ZAB Sachsen', 'BAMF', 'BAMF', 'BAMF', 'BAMF', 'BAMF', 'ZAB Sachsen']);
  const shapes = await entries.locator('.agency-badge__shape').evaluateAll((els: PageElement[]) => els.map((e) => (globalThis as unknown as PageGlobals).getComputedStyle(e).borderRadius));
  expect(new Set(shapes.slice(0, 2))).not.toEqual(new Set(shapes.slice(2, 3)));
  const served = entries.nth(6);
  await expect(served.textContent()).resolves.toMatch(/Bescheid zugestellt.*Fachlich am.*24\.11\.2026.*Erfasst am.*Erfasst von.*bamf-adapter-0001.*Regelversion/s);
  // The transaction id opens its receipt.
  await served.locator('summary').click();
  await expect(served.locator('details.receipt').textContent()).resolves.toMatch(/Block.*Position im Block.*Validierung.*VALID.*Bestätigt von/s);

  // Header: phase, outcome, deadlines with days left, BLOCKING warnings first, next actions.
  await expect(page.locator('[data-phase]').textContent()).resolves.toBe('Aufenthaltsbeendigung');
  await expect(page.locator('.case-header').textContent()).resolves.toContain('abgelehnt (offensichtlich unbegründet)');
  await expect(page.locator('[data-deadline="remedyDeadline"]').textContent()).resolves.toBe('Klagefrist: 01.12.2026 – noch 5 Tage');
  await expect(page.locator('[data-deadline="departureDeadline"]').textContent()).resolves.toContain('noch 5 Tage');
  const firstWarning = page.locator('.panel--warnings li.warning').first();
  await expect(firstWarning.getAttribute('class')).resolves.toContain('warning--blocking');
  await expect(firstWarning.textContent()).resolves.toContain('BLOCKIEREND');
  await expect(page.locator('.panel--warnings').textContent()).resolves.toContain('Klagefrist läuft noch');

  // Identifying details of both agencies, for caseworkers.
  const details = page.locator('#case-details');
  await expect(details.textContent()).resolves.toContain(FAKE_PERSON.familyName);
  await expect(details.textContent()).resolves.toContain(FAKE_PERSON.bamfFileNumber);
  await screenshot(page, 'case-zab-caseworker');

  // A BAMF write appears live, without reload, with a ReturnConflict banner within a second.
  await page.locator('#live-state').getByText('Live-Aktualisierung aktiv').waitFor();
  const marker = await page.evaluate(() => {
    (globalThis as unknown as PageGlobals).__marker = 42;
    return 42;
  });
  const started = Date.now();
  await record(sys.bamf, 'caseworker', CASE_ID, 'DEPORTATION_STAY_NOTIFIED', { courtRef: COURT_REF });
  await page.locator('#banner .banner').waitFor({ timeout: 5000 });
  const bannerMs = Date.now() - started;
  await entries.nth(8).waitFor();
  expect(bannerMs).toBeLessThan(1000);
  expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).__marker)).toBe(marker);
  await expect(page.locator('#banner').textContent()).resolves.toContain('Abschiebungsstopp in Kraft');
  await expect(entries.nth(8).getAttribute('data-agency')).resolves.toBe('BamfMSP');
  await expect(entries.nth(8).textContent()).resolves.toContain('Abschiebungsstopp mitgeteilt');
  await page.waitForFunction(() => (globalThis as unknown as PageGlobals).document.getElementById('live')?.textContent?.includes('Neuer Eintrag von BAMF') === true);
  await screenshot(page, 'case-live-return-conflict');

  // Acknowledge the new BLOCKING warning (recorded on the ledger).
  const stay = page.locator('.panel--warnings li[data-warning-code="RET_DEPORTATION_STAY"]');
  await stay.getByRole('button', { name: 'Zur Kenntnis nehmen: Abschiebungsstopp in Kraft' }).click();
  await page.locator('ol.timeline > li[data-type="WARNING_ACKNOWLEDGED"]').waitFor();
  await expect(stay.textContent()).resolves.toContain('Zur Kenntnis genommen von ZAB Sachsen');
  const timeline = await request(sys.zab.app).get(`/api/v1/cases/${CASE_ID}/timeline`).set('authorization', `Bearer ${sys.zab.token.auditor}`);
  const ack = (timeline.body.items as { event: { type: string; data: Record<string, unknown> }; actor: { enrollmentId: string } }[]).find((i) => i.event.type === 'WARNING_ACKNOWLEDGED');
  expect(ack).toMatchObject({ event: { data: { code: 'RET_DEPORTATION_STAY' } }, actor: { enrollmentId: 'zab-caseworker-0001' } });

  // No AZR number in any URL, history state or storage; no CSP violation, no script error.
  const all = [...watch.urls, await browserState(page)].join('\n');
  expect(all).not.toContain(AZR_DIGITS);
  expect(all).not.toContain(FAKE_PERSON.azrNumber);
  expect(all).not.toContain(encodeURIComponent(FAKE_PERSON.azrNumber));
  expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).__cspViolations)).toEqual([]);
  expect(watch.console.filter((m) => /Content Security Policy|Trusted Type|Refused to/i.test(m))).toEqual([]);
  expect(watch.console.filter((m) => m.startsWith('error'))).toEqual([]);
  expect(watch.pageErrors).toEqual([]);
  await context.close();
});

test('a caseworker corrects their own agency’s entry and cannot retract the other agency’s', async () => {
  const { context, page, watch } = await openPage(browser, sys.baseUrl);
  await signIn(page, sys.zab.token.caseworker);
  await page.locator(`tr[data-case-id="${CASE_ID}"]`).getByRole('button', { name: `Fall ${CASE_ID} öffnen` }).click();
  const reception = page.locator(`ol.timeline > li[data-tx-id="${seeded.receptionTxId}"]`);
  await reception.waitFor();
  await expect(page.locator('ol.timeline > li[data-agency="BamfMSP"] button', { hasText: 'Eintrag berichtigen' }).count()).resolves.toBe(0);
  await expect(page.locator('ol.timeline > li[data-type="CASE_REGISTERED"] button', { hasText: 'Eintrag berichtigen' }).count()).resolves.toBe(0);

  await reception.getByRole('button', { name: 'Eintrag berichtigen: Aufnahmeeinrichtung zugewiesen' }).click();
  // the choices are the `reason` list in force on the ledger (its retraction reasons), labelled, codes as values
  const reasonSelect = reception.getByLabel('Grund der Rücknahme');
  await reasonSelect.locator('option[value="RETRACT-WRONG-DATA"]').waitFor({ state: 'attached' });
  await expect(reasonSelect.locator('option').evaluateAll((os) => os.map((o) => (o as unknown as { value: string }).value))).resolves.toEqual(['RETRACT-DUPLICATE', 'RETRACT-WRONG-CASE', 'RETRACT-WRONG-DATA']);
  await expect(reasonSelect.locator('option[value="RETRACT-WRONG-DATA"]').textContent()).resolves.toBe('falsche Angaben');
  await reception.getByLabel('Grund der Rücknahme').selectOption('RETRACT-WRONG-DATA');
  await reception.getByRole('button', { name: 'Zurücknehmen', exact: true }).click();
  await page.locator('ol.timeline > li[data-type="EVENT_RETRACTED"]').waitFor();
  await expect(reception.getAttribute('class')).resolves.toContain('entry--retracted');
  await expect(reception.locator('h3 del').textContent()).resolves.toBe('Aufnahmeeinrichtung zugewiesen');
  await expect(reception.locator('.entry__retracted').textContent()).resolves.toContain('falsche Angaben (RETRACT-WRONG-DATA)');
  await expect(reception.getByRole('button', { name: /Eintrag berichtigen/ }).count()).resolves.toBe(0);
  await page.waitForFunction(() => (globalThis as unknown as PageGlobals).document.getElementById('live')?.textContent === 'Der Eintrag wurde zurückgenommen.');
  await screenshot(page, 'case-retracted-entry');
  expect(watch.pageErrors).toEqual([]);
  await context.close();
});

test('warnings and next actions of the agency: BLOCKING first, overdue first, each opening its case', async () => {
  const { context, page } = await openPage(browser, sys.baseUrl);
  await signIn(page, sys.zab.token.caseworker);
  await page.getByRole('button', { name: 'Warnungen' }).click();
  await page.getByRole('heading', { level: 1, name: 'Warnungen' }).waitFor();
  const severities = await page.locator('li.warning').evaluateAll((els: PageElement[]) => els.map((e) => (e.classList.contains('warning--blocking') ? 'B' : 'W')));
  expect(severities.length).toBeGreaterThan(0);
  expect(severities.join('')).toMatch(/^B+W*$/);
  await screenshot(page, 'warnings');

  await page.getByRole('button', { name: 'Nächste Schritte' }).click();
  await page.getByRole('heading', { level: 1, name: 'Nächste Schritte' }).waitFor();
  const api = await request(sys.zab.app).get('/api/v1/actions').set('authorization', `Bearer ${sys.zab.token.caseworker}`);
  await expect(page.locator('tbody tr').count()).resolves.toBe((api.body.items as unknown[]).length);
  await context.close();
});

test('sign-out clears the session: the cookie is gone and the API answers 401', async () => {
  const { context, page } = await openPage(browser, sys.baseUrl);
  await signIn(page, sys.zab.token.caseworker);
  expect((await context.cookies()).some((c) => c.name === 'asl_session')).toBe(true);
  await page.getByRole('button', { name: 'Abmelden' }).click();
  await page.getByRole('heading', { level: 1, name: 'Anmelden' }).waitFor();
  await expect(page.locator('.notice').textContent()).resolves.toBe('Sie sind abgemeldet.');
  expect((await context.cookies()).some((c) => c.name === 'asl_session')).toBe(false);
  expect(await page.evaluate(async () => (await (globalThis as unknown as PageGlobals).fetch('/api/v1/cases')).status)).toBe(401);
  expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).sessionStorage.length)).toBe(0);
  await context.close();
});

test('a wrong token is refused with an announced error on the field', async () => {
  const { context, page } = await openPage(browser, sys.baseUrl);
  await page.goto('/');
  await page.getByLabel('Zugangsschlüssel').fill(`asl_${'A'.repeat(43)}`);
  await page.getByRole('button', { name: 'Anmelden' }).click();
  await page.locator('#token-error[role="alert"]').waitFor();
  await expect(page.getByLabel('Zugangsschlüssel').getAttribute('aria-invalid')).resolves.toBe('true');
  expect((await context.cookies()).length).toBe(0);
  await context.close();
});

test('a 200-event timeline renders (time measured, not asserted)', async () => {
  const { context, page } = await openPage(browser, sys.baseUrl);
  await signIn(page, sys.zab.token.caseworker);
  const started = Date.now();
  await page.locator(`tr[data-case-id="${LONG_CASE_ID}"]`).getByRole('button', { name: `Fall ${LONG_CASE_ID} öffnen` }).click();
  await page.locator('.case[data-entries="200"]').waitFor();
  const wall = Date.now() - started;
  const inPage = await page.locator('.case').getAttribute('data-render-ms');
  await expect(page.locator('ol.timeline > li').count()).resolves.toBe(200);
  process.stdout.write(`web UI: 200-event timeline first render ${wall} ms from click (${inPage} ms in page: 2 timeline pages + view, production bundle)\n`);
  await context.close();
});

test('a live event written right after the page opened the stream (no quiet period) appears; the page asks for the stream from the head', async () => {
  const caseId = caseIdFor(TEST_KEYS[0]!.key, '9876 5432 1098');
  await record(sys.zab, 'adapter', caseId, 'CASE_REGISTERED', { facility: 'AE-DD-TEST', registeredOn: '2026-11-02' }, { occurredAt: '2026-11-02T09:00:00+01:00' });
  await record(sys.bamf, 'adapter', caseId, 'APPLICATION_FILED', { filedOn: '2026-11-03' }, { occurredAt: '2026-11-03T11:00:00+01:00' });
  await record(sys.bamf, 'adapter', caseId, 'HEARING_SCHEDULED', { hearingOn: '2026-11-10' }, { occurredAt: '2026-11-04T08:30:00+01:00' });
  await record(sys.bamf, 'adapter', caseId, 'HEARING_HELD', {}, { occurredAt: '2026-11-10T14:00:00+01:00' });
  await record(sys.bamf, 'adapter', caseId, 'DECISION_ISSUED', { outcome: 'REJECTED_MANIFESTLY_UNFOUNDED', decidedOn: '2026-11-20' }, { occurredAt: '2026-11-20T12:00:00+01:00' });
  await record(sys.bamf, 'adapter', caseId, 'DECISION_SERVED', { servedOn: '2026-11-24' }, { occurredAt: '2026-11-24T09:00:00+01:00' });
  await record(sys.zab, 'adapter', caseId, 'RETURN_SCHEDULED', { kind: 'DEPORTATION' }, { occurredAt: '2026-11-25T16:00:00+01:00' });

  const { context, page, watch } = await openPage(browser, sys.baseUrl);
  const streamOpened = page.waitForResponse((r) => r.url().includes('/api/v1/events/stream'));
  await signIn(page, sys.zab.token.caseworker);
  const stream = await streamOpened;
  expect(stream.status()).toBe(200);
  expect(new URL(stream.url()).searchParams.get('from')).toBe('head');
  // Written immediately: a court's stay while a deportation is scheduled opens a BLOCKING ReturnConflict → banner.
  const started = Date.now();
  await record(sys.bamf, 'caseworker', caseId, 'DEPORTATION_STAY_NOTIFIED', { courtRef: COURT_REF });
  await page.locator('#banner .banner').waitFor({ timeout: 5000 });
  expect(Date.now() - started).toBeLessThan(1000);
  await expect(page.locator('#banner').textContent()).resolves.toContain(caseId);
  await page.locator('#live-state').getByText('Live-Aktualisierung aktiv').waitFor();
  expect(watch.urls.filter((u) => u.includes('/api/v1/events/stream')).every((u) => u.endsWith('?from=head'))).toBe(true);
  expect(watch.pageErrors).toEqual([]);
  await context.close();
});

test('an open case is re-read only for events on it: another case’s events, even its ReturnConflict banner, neither reload the page nor add reads of its details to the access log', async () => {
  const otherId = caseIdFor(TEST_KEYS[0]!.key, '9876 1111 2222');
  const { context, page, watch } = await openPage(browser, sys.baseUrl);
  await signIn(page, sys.zab.token.caseworker);
  await page.locator(`tr[data-case-id="${CASE_ID}"]`).getByRole('button', { name: `Fall ${CASE_ID} öffnen` }).click();
  await page.locator('ol.timeline > li').first().waitFor();
  await page.locator('#live-state').getByText('Live-Aktualisierung aktiv').waitFor();
  const readsOfOpenCase = () => watch.urls.filter((u) => u.includes(`/api/v1/cases/${CASE_ID}`)).length;
  const detailsLogged = async () => {
    const log = await request(sys.zab.app).get('/api/v1/audit/access-log').query({ caseId: CASE_ID }).set('authorization', `Bearer ${sys.zab.token.auditor}`);
    expect(log.status).toBe(200);
    return (log.body.items as { resource: string; userId: string }[]).filter((i) => i.resource === 'details' && i.userId === 'zab-caseworker-0001').length;
  };
  const readsBefore = readsOfOpenCase();
  const detailsBefore = await detailsLogged();

  // Eight writes on another case, the last a ReturnConflict whose banner shows that the page received them all.
  await record(sys.zab, 'adapter', otherId, 'CASE_REGISTERED', { facility: 'AE-DD-TEST', registeredOn: '2026-11-02' }, { occurredAt: '2026-11-02T09:00:00+01:00' });
  await record(sys.bamf, 'adapter', otherId, 'APPLICATION_FILED', { filedOn: '2026-11-03' }, { occurredAt: '2026-11-03T11:00:00+01:00' });
  await record(sys.bamf, 'adapter', otherId, 'HEARING_SCHEDULED', { hearingOn: '2026-11-10' }, { occurredAt: '2026-11-04T08:30:00+01:00' });
  await record(sys.bamf, 'adapter', otherId, 'HEARING_HELD', {}, { occurredAt: '2026-11-10T14:00:00+01:00' });
  await record(sys.bamf, 'adapter', otherId, 'DECISION_ISSUED', { outcome: 'REJECTED_MANIFESTLY_UNFOUNDED', decidedOn: '2026-11-20' }, { occurredAt: '2026-11-20T12:00:00+01:00' });
  await record(sys.bamf, 'adapter', otherId, 'DECISION_SERVED', { servedOn: '2026-11-24' }, { occurredAt: '2026-11-24T09:00:00+01:00' });
  await record(sys.zab, 'adapter', otherId, 'RETURN_SCHEDULED', { kind: 'DEPORTATION' }, { occurredAt: '2026-11-25T16:00:00+01:00' });
  await record(sys.bamf, 'caseworker', otherId, 'DEPORTATION_STAY_NOTIFIED', { courtRef: COURT_REF });
  await page.locator('#banner .banner', { hasText: otherId }).waitFor({ timeout: 5000 });
  // A re-read would have started with the message that showed the banner; give its requests time to be seen.
  await page.waitForTimeout(500);

  expect(readsOfOpenCase()).toBe(readsBefore);
  expect(await detailsLogged()).toBe(detailsBefore);
  await expect(page.getByRole('heading', { level: 1, name: `Fall ${CASE_ID}` }).count()).resolves.toBe(1);
  expect(watch.pageErrors).toEqual([]);
  await context.close();
});
