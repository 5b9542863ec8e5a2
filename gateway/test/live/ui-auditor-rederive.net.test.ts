/**
 * The auditor's receipt re-derivation on the live network (ASL_TEST_KIND=net; `npm run network:up` first): the
 * auditor's purpose is to notice a view that does not match the blocks. Both gateways run as server processes with
 * `ledger.kind: fabric` (test/support/live-gateways.ts); headless Chromium (test/ui/browser-page.ts) drives a ZAB
 * caseworker and a ZAB auditor.
 *
 * A case written by both agencies; the ZAB gateway is stopped (SIGTERM) while the caseworker has the case open, two
 * stored receipts in its classic-level read model are altered — one names another writer, one a transaction no block
 * holds — BAMF writes meanwhile, and the gateway is started again on the same folder. The caseworker's page resumes
 * its event stream by itself and shows BAMF's write; the auditor's *Re-derive from the ledger* says *matches* for the
 * untouched receipts, *differs* (naming the field and both values) for the altered writer, *not found* for the
 * transaction the blocks do not have; the REST route agrees (404 for that transaction at both agencies' gateways).
 * On *Prüfung* the auditor then verifies the blocks of those writes from ZAB's peer and sees the route's report.
 * Nothing is mocked; AZR number, users and sourceMessageIds are new per run, so the suite shares the network.
 */
import { randomBytes } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { berlinDate } from '@asl/chaincode/domain';
import { AuditReportSchema, CaseIdResponseSchema, DerivedReceiptSchema, type DerivedReceipt } from '../../src/api/schemas';
import type { LedgerEntry } from '../../src/ports/case-ledger';
import { liveCall } from '../support/live-client';
import { CODES, eventBody, eventually, recorded, registerUser, timelineOf, type LiveUser, type Written } from '../support/live-fixtures';
import { startLiveGateways, type LiveGateway, type LiveGateways } from '../support/live-gateways';
import { alterStoredEntry } from '../support/read-model-tamper';
import { axeScan, launchChromium, openPage, screenshot, signIn, type PageElement, type PageGlobals, type PageWatch } from '../ui/browser-page';

jest.setTimeout(180_000);

const digits = (n: number): string => Array.from(randomBytes(n), (b) => String(b % 10)).join('');
/** An obviously fake AZR number, new per run; it names the case at both agencies and must never reach a URL. */
const AZR = `9999 ${digits(4)} ${digits(4)}`;
const AZR_DIGITS = AZR.replace(/\D/g, '');
/** A Berlin calendar date `n` days before now. */
const daysAgo = (n: number): string => berlinDate(new Date(Date.now() - n * 86_400_000).toISOString());
/** A transaction ID no block holds (random: the chance of naming a real one is nil). */
const FORGED_TX_ID = randomBytes(32).toString('hex');

describe('the auditor on the live network: re-derived receipts match, differ or are not found after a read model was altered across a gateway restart; the ledger verified on Prüfung', () => {
  let gateways: LiveGateways;
  let browser: Browser;
  let zab: { adapter: LiveUser; caseworker: LiveUser; auditor: LiveUser };
  let bamf: { adapter: LiveUser; auditor: LiveUser };
  let caseId = '';
  /** The case's writes in order: ZAB's registration, BAMF's application, BAMF's scheduled hearing. */
  let written: Written[] = [];
  /** BAMF's write while the ZAB gateway was stopped. */
  let heldWhileDown: Written | undefined;
  /** The ZAB caseworker's page: open on the case before the stop, still open after the restart. */
  let caseworkerPage: Page;
  /** The ZAB auditor's page. */
  let auditorPage: Page;
  const pages: { name: string; page: Page; watch: PageWatch }[] = [];
  const axeFound: Record<string, string[]> = {};

  beforeAll(async () => {
    browser = await launchChromium();
    gateways = await startLiveGateways();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await gateways?.stop();
  });

  const derivedAt = async (gw: LiveGateway, auditor: LiveUser, txId: string) => liveCall(gw.url, 'get', '/api/v1/audit/receipts/{txId}', { token: auditor.token, params: { txId } });
  const derived = async (gw: LiveGateway, auditor: LiveUser, txId: string): Promise<DerivedReceipt> => {
    const res = await derivedAt(gw, auditor, txId);
    expect([txId, res.status]).toEqual([txId, 200]);
    return DerivedReceiptSchema.parse(res.body);
  };

  it('users in both agencies’ CAs; a case written through both gateways; an unknown transaction is 404 at both auditors’ receipt routes', async () => {
    zab = {
      adapter: await registerUser(gateways.zab, 'adapter', 'rederive'),
      caseworker: await registerUser(gateways.zab, 'caseworker', 'rederive'),
      auditor: await registerUser(gateways.zab, 'auditor', 'rederive'),
    };
    bamf = { adapter: await registerUser(gateways.bamf, 'adapter', 'rederive'), auditor: await registerUser(gateways.bamf, 'auditor', 'rederive') };

    const id = await liveCall(gateways.zab.url, 'post', '/api/v1/case-ids', { token: zab.adapter.token, body: { azrNumber: AZR } });
    expect(id.status).toBe(200);
    caseId = CaseIdResponseSchema.parse(id.body).caseId;
    written = [
      await recorded(gateways.zab, zab.adapter.token, caseId, eventBody('CASE_REGISTERED', { facility: CODES.facility, registeredOn: daysAgo(30) })),
      await recorded(gateways.bamf, bamf.adapter.token, caseId, eventBody('APPLICATION_FILED', { filedOn: daysAgo(29) })),
      await recorded(gateways.bamf, bamf.adapter.token, caseId, eventBody('HEARING_SCHEDULED', { hearingOn: daysAgo(2) })),
    ];
    for (const w of written) expect(w.receipt).toMatchObject({ validationCode: 'VALID', endorsers: ['BamfMSP', 'ZabSachsenMSP'] });
    // ZAB's read model has BAMF's writes (fed by ZAB's peer) before the gateway is stopped.
    const atZab = await eventually(() => timelineOf(gateways.zab, zab.caseworker.token, caseId), (items) => items?.length === written.length, 30_000);
    expect(atZab?.map((i) => i.receipt)).toEqual(written.map((w) => w.receipt));

    // The route for a transaction no block holds: 404, at either agency's gateway (both peers' blocks).
    for (const [gw, auditor] of [
      [gateways.zab, zab.auditor],
      [gateways.bamf, bamf.auditor],
    ] as const) {
      expect(await derivedAt(gw, auditor, FORGED_TX_ID)).toMatchObject({ status: 404, body: { status: 404, code: 'CASE_NOT_FOUND', details: { reason: 'UNKNOWN_TRANSACTION' } } });
      // … while a real one is re-derived from the blocks, as written.
      const d = await derived(gw, auditor, written[0]!.receipt.txId);
      expect(d).toMatchObject({ blockNumber: written[0]!.receipt.blockNumber, txIndex: written[0]!.receipt.txIndex, validationCode: 'VALID', creatorMspId: 'ZabSachsenMSP', verified: true, findings: [] });
    }
  });

  it('the ZAB gateway stops with a caseworker’s page open; its read model is altered on disk; BAMF writes meanwhile; after the restart the page resumes its stream and shows BAMF’s write without a reload', async () => {
    const opened = await openPage(browser, gateways.zab.url);
    pages.push({ name: 'zab caseworker', ...opened });
    caseworkerPage = opened.page;
    /** Each request of the page's event stream in order, with the Last-Event-ID it carried. */
    const streamRequests: (string | undefined)[] = [];
    caseworkerPage.on('request', (r) => {
      if (!r.url().includes('/api/v1/events/stream')) return;
      // A request refused while the gateway was down reports only its provisional headers (no Last-Event-ID).
      const i = streamRequests.push(undefined) - 1;
      void r.allHeaders().then((h) => (streamRequests[i] = h['last-event-id']));
    });
    await signIn(caseworkerPage, zab.caseworker.token);
    await caseworkerPage.getByLabel('AZR-Nummer').fill(AZR);
    await caseworkerPage.getByRole('button', { name: 'Fall öffnen' }).click();
    await caseworkerPage.locator(`.case[data-entries="${written.length}"]`).waitFor();
    await caseworkerPage.locator('#live-state').getByText('Live-Aktualisierung aktiv').waitFor();

    await gateways.kill('zab', 'SIGTERM');
    expect(gateways.zab.pid).toBeUndefined();
    // The gateway ended the stream on its way down; the page says it is reconnecting.
    await caseworkerPage.locator('#live-state').getByText('Live-Aktualisierung unterbrochen, neuer Versuch läuft').waitFor({ timeout: 30_000 });

    // Someone with access to the data folder rewrites two stored receipts (the store's checkpoint stays).
    const [registration, application, hearing] = written as [Written, Written, Written];
    await alterStoredEntry(gateways.zab.dataDir, caseId, application.receipt.txId, (e): LedgerEntry => ({ ...e, receipt: { ...e.receipt, writer: { mspId: 'ZabSachsenMSP', role: 'caseworker', enrollmentId: zab.caseworker.userId } } }));
    const entries = await alterStoredEntry(gateways.zab.dataDir, caseId, hearing.receipt.txId, (e): LedgerEntry => ({ ...e, event: { ...e.event, txId: FORGED_TX_ID }, receipt: { ...e.receipt, txId: FORGED_TX_ID } }));
    expect(entries.map((e) => [e.receipt.txId, e.receipt.writer.mspId])).toEqual([
      [registration.receipt.txId, 'ZabSachsenMSP'],
      [application.receipt.txId, 'ZabSachsenMSP'],
      [FORGED_TX_ID, 'BamfMSP'],
    ]);

    heldWhileDown = await recorded(gateways.bamf, bamf.adapter.token, caseId, eventBody('HEARING_HELD'));
    const restarting = Date.now();
    await gateways.restart('zab');
    const ready = Date.now();

    // No reload: EventSource reconnects with Last-Event-ID and the gateway sends what it projected since.
    await caseworkerPage.locator(`ol.timeline > li[data-tx-id="${heldWhileDown.receipt.txId}"][data-agency="BamfMSP"]`).waitFor({ timeout: 60_000 });
    await caseworkerPage.locator('#live-state').getByText('Live-Aktualisierung aktiv').waitFor({ timeout: 30_000 });
    await caseworkerPage.waitForFunction(() => (globalThis as unknown as PageGlobals).document.getElementById('live')?.textContent === 'Neuer Eintrag von BAMF: Anhörung durchgeführt');
    await expect(caseworkerPage.locator('.case').getAttribute('data-entries')).resolves.toBe(String(written.length + 1));
    // The first request started at the head; a later one resumed from the last id the page had seen.
    expect(streamRequests[0]).toBeUndefined();
    expect(streamRequests.slice(1).some((id) => id !== undefined && /^\d+$/.test(id))).toBe(true);
    process.stdout.write(`ZAB gateway restart: ready after ${ready - restarting} ms; BAMF's write on the open page ${Date.now() - ready} ms after that (measured, not asserted)\n`);

    // Through REST the restarted gateway serves the altered view as stored: it does not check its store against the blocks.
    const items = await timelineOf(gateways.zab, zab.caseworker.token, caseId);
    expect(items?.map((i) => [i.receipt.txId, i.receipt.writer.mspId])).toEqual([
      [registration.receipt.txId, 'ZabSachsenMSP'],
      [application.receipt.txId, 'ZabSachsenMSP'],
      [FORGED_TX_ID, 'BamfMSP'],
      [heldWhileDown.receipt.txId, 'BamfMSP'],
    ]);
  });

  it('the ZAB auditor re-derives each receipt from ZAB’s blocks: matches for the untouched ones, differs for the altered writer (field and both values named), not found for the forged transaction', async () => {
    const [registration, application] = written as [Written, Written, Written];
    const opened = await openPage(browser, gateways.zab.url);
    pages.push({ name: 'zab auditor', ...opened });
    const { page } = opened;
    auditorPage = page;
    await signIn(page, zab.auditor.token);
    // Auditors have no AZR search: the case is found in the list (paged by 50) by its identifier.
    const row = page.locator(`tr[data-case-id="${caseId}"]`);
    for (let i = 0; (await row.count()) === 0; i += 1) {
      const more = page.getByRole('button', { name: 'Weitere laden' });
      if (i > 400 || (await more.count()) === 0) throw new Error(`case ${caseId} is not in the auditor's case list`);
      const rows = await page.locator('tr[data-case-id]').count();
      await more.click();
      await page.waitForFunction((n) => (globalThis as unknown as { document: { querySelectorAll(s: string): { length: number } } }).document.querySelectorAll('tr[data-case-id]').length > n, rows);
    }
    await row.getByRole('button').click();
    await page.locator(`.case[data-entries="${written.length + 1}"]`).waitFor();

    const rederive = async (txId: string): Promise<{ match: string | null; text: string }> => {
      const entry = page.locator(`ol.timeline > li[data-tx-id="${txId}"]`);
      await entry.locator('summary').click();
      await entry.getByRole('button', { name: 'Aus dem Ledger nachrechnen' }).click();
      const verdict = entry.locator('.rederive-result [data-match]');
      // The first receipt after a start builds the gateway's verified chain from the genesis block.
      await verdict.waitFor({ timeout: 90_000 });
      return { match: await verdict.getAttribute('data-match'), text: ((await entry.locator('.rederive-result').textContent()) ?? '').trim() };
    };

    const untouched = await rederive(registration.receipt.txId);
    expect(untouched).toEqual({ match: 'true', text: '✓ Stimmt überein: Der aus den Blöcken nachgerechnete Beleg entspricht dem Beleg im Verlauf.' });
    const afterRestart = await rederive(heldWhileDown!.receipt.txId);
    expect(afterRestart.match).toBe('true');

    const differs = await rederive(application.receipt.txId);
    expect(differs).toEqual({ match: 'false', text: '⊘ Stimmt nicht überein: Schreibende Stelle: Verlauf ZabSachsenMSP, Ledger BamfMSP.' });
    const notFound = await rederive(FORGED_TX_ID);
    expect(notFound).toEqual({ match: 'false', text: `⊘ Nicht gefunden: Die Transaktion ${FORGED_TX_ID} steht nicht in den Blöcken dieses Gateways.` });
    axeFound['case with matching, differing and missing receipts (ZAB auditor)'] = await axeScan(page);
    await screenshot(page, 'live-auditor-rederive-differs');

    // The blocks, read through the routes of both agencies' gateways, hold what was written, not the altered view:
    // the application's creator is BAMF, the hearing's real transaction is there, the forged one is not.
    for (const [gw, auditor] of [
      [gateways.zab, zab.auditor],
      [gateways.bamf, bamf.auditor],
    ] as const) {
      expect(await derived(gw, auditor, application.receipt.txId)).toMatchObject({ blockNumber: application.receipt.blockNumber, txIndex: application.receipt.txIndex, creatorMspId: 'BamfMSP', endorsers: expect.arrayContaining(['BamfMSP', 'ZabSachsenMSP']), verified: true });
      expect(await derived(gw, auditor, written[2]!.receipt.txId)).toMatchObject({ blockNumber: written[2]!.receipt.blockNumber, creatorMspId: 'BamfMSP', verified: true });
      expect((await derivedAt(gw, auditor, FORGED_TX_ID)).status).toBe(404);
    }
    // BAMF's read model was not touched: its timeline is what was written.
    const atBamf = await timelineOf(gateways.bamf, bamf.auditor.token, caseId);
    expect(atBamf?.map((i) => i.receipt)).toEqual([...written, heldWhileDown!].map((w) => w.receipt));
  });

  it('on *Prüfung* the ZAB auditor verifies the blocks of this case’s writes from ZAB’s peer: the same report as the route, every block valid, the checkpoint; from that checkpoint valid again, with a wrong hash CHECKPOINT_MISMATCH', async () => {
    const page = auditorPage;
    const range = { fromBlock: Number(written[0]!.receipt.blockNumber), toBlock: Number(heldWhileDown!.receipt.blockNumber) };
    const viaRoute = await liveCall(gateways.zab.url, 'post', '/api/v1/audit/verify', { token: zab.auditor.token, body: range });
    expect(viaRoute.status).toBe(200);
    const report = AuditReportSchema.parse(viaRoute.body);
    expect(report).toMatchObject({ valid: true, errors: [], lastBlock: range.toBlock });
    expect(report.crossAgency?.map((c) => [c.mspId, c.status])).toEqual([['BamfMSP', 'IDENTICAL']]);

    await page.getByRole('button', { name: 'Prüfung' }).click();
    await page.getByRole('heading', { level: 1, name: 'Prüfung' }).waitFor();
    await page.getByLabel('Ab Block (optional)').fill(String(range.fromBlock));
    await page.getByLabel('Bis Block (optional)').fill(String(range.toBlock));
    await page.getByRole('button', { name: 'Ledger prüfen' }).click();
    await page.locator('#verify-blocks').waitFor({ timeout: 90_000 });
    const rows = await page.locator('#verify-blocks tbody tr').evaluateAll((trs: PageElement[]) => trs.map((tr) => [tr.getAttribute('data-block'), tr.getAttribute('data-valid'), tr.textContent ?? '']));
    expect(rows.map(([block, valid]) => [block, valid])).toEqual(report.blocks.map((b) => [String(b.blockNumber), 'true']));
    for (const [i, b] of report.blocks.entries()) expect(rows[i]?.[2]).toContain(b.blockHash);
    const n = report.blocks.length;
    const summary = `Ledger gültig: ${n} von ${n} Blöcken geprüft, keine Fehler (Blöcke ${report.firstBlock}–${report.lastBlock}, Kanal ${report.channelId}).`;
    await expect(page.locator('#verify-summary').textContent()).resolves.toContain(summary);
    await page.waitForFunction((text) => (globalThis as unknown as PageGlobals).document.getElementById('live')?.textContent === text, summary);
    const checkpoint = report.nextCheckpoint!;
    process.stdout.write(`verify on Prüfung: blocks ${report.firstBlock}–${report.lastBlock} (${n}; from ${range.fromBlock} the report starts at the configuration block in force), cross-agency IDENTICAL\n`);
    await expect(page.locator('#verify-checkpoint').textContent()).resolves.toContain(checkpoint.blockHash);
    axeFound['audit page with a live report (ZAB auditor)'] = await axeScan(page);
    await screenshot(page, 'live-audit-verify');

    // The next audit starts from the kept checkpoint (to the peer's head, where other suites may have written).
    await page.getByLabel('Ab Block (optional)').fill('');
    await page.getByLabel('Bis Block (optional)').fill('');
    await page.getByLabel('Checkpoint: Blocknummer').fill(checkpoint.blockNumber);
    await page.getByLabel('Checkpoint: Block-Hash').fill(checkpoint.blockHash);
    await page.getByRole('button', { name: 'Ledger prüfen' }).click();
    await page.locator('#verify-summary').waitFor({ timeout: 90_000 });
    await expect(page.locator('#verify-summary').textContent()).resolves.toMatch(/Ledger gültig: (\d+) von \1 Blöcken geprüft, keine Fehler/);
    await page.getByLabel('Checkpoint: Block-Hash').fill('0'.repeat(64));
    await page.getByRole('button', { name: 'Ledger prüfen' }).click();
    await page.locator('#verify-summary.result--blocked').waitFor({ timeout: 90_000 });
    const invalid = (await page.locator('#verify-result').textContent()) ?? '';
    expect(invalid).toContain('CHECKPOINT_MISMATCH');
    expect(invalid).toContain('Der Block an der Checkpoint-Nummer hat nicht mehr den Hash des Checkpoints.');
    expect(invalid).toContain('Kein Checkpoint');
  });

  it('axe-core found no WCAG 2.0/2.1 A/AA violation; no page put the AZR number into a URL; no script error or CSP violation', async () => {
    expect(Object.entries(axeFound).flatMap(([name, vs]) => vs.map((v) => `${name}: ${v}`))).toEqual([]);
    expect(pages.map((p) => p.name)).toEqual(['zab caseworker', 'zab auditor']);
    for (const { name, page, watch } of pages) {
      const seen = [...watch.urls, page.url()].join('\n');
      for (const value of [AZR, AZR_DIGITS, encodeURIComponent(AZR)]) expect([name, seen.includes(value) ? value : '']).toEqual([name, '']);
      expect([name, await page.evaluate(() => (globalThis as unknown as PageGlobals).__cspViolations)]).toEqual([name, []]);
      expect([name, watch.pageErrors]).toEqual([name, []]);
    }
    const consoleErrors = (name: string): string[] => (pages.find((p) => p.name === name)?.watch.console ?? []).filter((m) => m.startsWith('error') || /Content Security Policy|Trusted Type/i.test(m));
    // The caseworker's stream may be refused while its gateway is down (EventSource retries); nothing else.
    expect(consoleErrors('zab caseworker').filter((m) => m !== 'error: Failed to load resource: net::ERR_CONNECTION_REFUSED')).toEqual([]);
    // The auditor's one failed request is the forged transaction's 404, which the page reports as not found.
    expect(consoleErrors('zab auditor')).toEqual(['error: Failed to load resource: the server responded with a status of 404 (Not Found)']);
    expect(pages.find((p) => p.name === 'zab auditor')?.watch.urls.filter((u) => u.includes('/api/v1/audit/receipts/'))).toHaveLength(4);
    for (const gw of [gateways.bamf, gateways.zab]) for (const value of [AZR, AZR_DIGITS]) expect(gw.log()).not.toContain(value);
  });
});
