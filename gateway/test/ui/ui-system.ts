/**
 * The system the browser tests drive: a ZAB gateway (createApp over the in-memory channel running the real
 * domain rules) listening on a free loopback port, a BAMF gateway on the same channel (its writes reach the
 * ZAB gateway's read model and event stream, as on the real channel), and headless Debian Chromium.
 */
import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import request from 'supertest';
import { seededChannel, startGateway, TestClock, type TestGateway } from '../support/harness';
import { msgId } from '../support/fixtures';

/** Debian's Chromium (scripts/ensure-chromium.mjs installs it). */
export const CHROMIUM = process.env.ASL_CHROMIUM ?? '/usr/bin/chromium';

/** Where screenshots go: under the data directory (gitignored), kept as test artefacts. */
export const ARTIFACTS = join(process.env.ASL_HOME ?? resolve(__dirname, '../../../.asl'), 'test-artifacts', 'ui');

/** Records an event through a gateway's REST API as the given role; fails the test on refusal. */
export async function record(gw: TestGateway, role: 'adapter' | 'caseworker', caseId: string, type: string, data: Record<string, unknown>, extra: { occurredAt?: string; caseDetails?: Record<string, unknown> } = {}) {
  const res = await request(gw.app)
    .post(`/api/v1/cases/${caseId}/events`)
    .set('authorization', `Bearer ${gw.token[role]}`)
    .send({ type, occurredAt: extra.occurredAt ?? '2026-11-26T09:00:00+01:00', sourceMessageId: msgId(type.toLowerCase().replace(/_/g, '-')), data, ...(extra.caseDetails ? { caseDetails: extra.caseDetails } : {}) });
  if (res.status !== 201) throw new Error(`${type} refused: ${res.status} ${res.text}`);
  return res.body as { receipt: { txId: string } };
}

/** Starts both gateways and serves the ZAB one over HTTP. */
export async function startUiSystem() {
  const clock = new TestClock();
  const channel = await seededChannel(clock);
  const zab = await startGateway({ mspId: 'ZabSachsenMSP', channel, clock });
  const bamf = await startGateway({ mspId: 'BamfMSP', channel, clock });
  const server: Server = createServer(zab.app);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    clock,
    channel,
    zab,
    bamf,
    baseUrl,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
      zab.stop();
      bamf.stop();
    },
  };
}

/** A system from {@link startUiSystem}. */
export type UiSystem = Awaited<ReturnType<typeof startUiSystem>>;

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

/** A second, obviously fake person whose case has a long timeline (the 200-event rendering measurement). */
export const LONG_CASE_AZR = '1234 5678 9012';

/**
 * Seeds the shared scenario on the channel: the case of FAKE_PERSON written by both agencies up to a scheduled
 * deportation inside the appeal and departure periods (BLOCKING clock warnings, deadlines running), and a second
 * case with `longEvents` events.
 */
export async function seedScenario(sys: UiSystem, caseId: string, person: Record<string, string>, longCaseId: string, longEvents: number) {
  const { zab, bamf } = sys;
  await record(zab, 'adapter', caseId, 'CASE_REGISTERED', { facility: 'AE-DD-TEST', registeredOn: '2026-11-02' }, {
    occurredAt: '2026-11-02T09:00:00+01:00',
    caseDetails: { familyName: person.familyName!, givenNames: person.givenNames!, dateOfBirth: person.dateOfBirth!, azrNumber: person.azrNumber! },
  });
  const reception = await record(zab, 'adapter', caseId, 'RECEPTION_ASSIGNED', { facility: 'AE-L-TEST' }, { occurredAt: '2026-11-02T10:00:00+01:00' });
  await record(bamf, 'adapter', caseId, 'APPLICATION_FILED', { filedOn: '2026-11-03' }, { occurredAt: '2026-11-03T11:00:00+01:00', caseDetails: { bamfFileNumber: person.bamfFileNumber! } });
  await record(bamf, 'adapter', caseId, 'HEARING_SCHEDULED', { hearingOn: '2026-11-10' }, { occurredAt: '2026-11-04T08:30:00+01:00' });
  await record(bamf, 'adapter', caseId, 'HEARING_HELD', {}, { occurredAt: '2026-11-10T14:00:00+01:00' });
  await record(bamf, 'adapter', caseId, 'DECISION_ISSUED', { outcome: 'REJECTED_MANIFESTLY_UNFOUNDED', decidedOn: '2026-11-20' }, { occurredAt: '2026-11-20T12:00:00+01:00' });
  await record(bamf, 'adapter', caseId, 'DECISION_SERVED', { servedOn: '2026-11-24' }, { occurredAt: '2026-11-24T09:00:00+01:00' });
  const scheduled = await record(zab, 'adapter', caseId, 'RETURN_SCHEDULED', { kind: 'DEPORTATION' }, { occurredAt: '2026-11-25T16:00:00+01:00' });

  await record(zab, 'adapter', longCaseId, 'CASE_REGISTERED', { facility: 'AE-DD-TEST', registeredOn: '2026-10-01' });
  for (let i = 1; i < longEvents; i += 1) {
    await record(zab, 'adapter', longCaseId, i % 2 === 1 ? 'PERSON_ABSCONDED' : 'PERSON_REAPPEARED', {});
  }
  return { receptionTxId: reception.receipt.txId, scheduledTxId: scheduled.receipt.txId };
}
