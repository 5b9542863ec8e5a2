/**
 * The auditor's ledger checks in real headless Chromium: "Ledger prüfen" (`POST /api/v1/audit/verify`) with its
 * per-block report, summary (announced) and checkpoint; re-deriving a timeline receipt from the blocks
 * (`GET /api/v1/audit/receipts/{txId}`); axe-core on the page with a report; keyboard only; not for caseworkers.
 *
 * The test gateway's audit routes read the shared sample Fabric ledger (`SAMPLE_LEDGER`), not the in-memory
 * channel the timeline comes from, so a timeline receipt re-derived for real is reported as not found; the
 * "matches" display is shown with the route answered by the page (stated where it is done).
 */
import type { Browser, Page } from 'playwright-core';
import request from 'supertest';
import { caseIdFor } from '@asl/chaincode/domain';
import type { AuditReport } from '../../ui/src/logic/audit';
import { CASE_ID, FAKE_PERSON } from '../support/fixtures';
import { TEST_KEYS } from '../support/harness';
import { axeScan, launchChromium, openPage, screenshot, signIn, type PageGlobals } from './browser-page';
import { LONG_CASE_AZR, seedScenario, startUiSystem, type UiSystem } from './ui-system';

jest.setTimeout(60_000);

let sys: UiSystem;
let browser: Browser;
/** The report the API gives for the whole sample ledger (what the page must show). */
let apiReport: AuditReport;

beforeAll(async () => {
  [sys, browser] = await Promise.all([startUiSystem(), launchChromium()]);
  await seedScenario(sys, CASE_ID, FAKE_PERSON, caseIdFor(TEST_KEYS[0]!.key, LONG_CASE_AZR), 2);
  const res = await request(sys.zab.app).post('/api/v1/audit/verify').set('authorization', `Bearer ${sys.zab.token.auditor}`).send({});
  expect(res.status).toBe(200);
  apiReport = res.body as AuditReport;
  expect(apiReport.valid).toBe(true);
  expect(apiReport.blocks.length).toBeGreaterThan(1);
});

afterAll(async () => {
  await browser?.close();
  await sys?.stop();
});

async function openAudit(page: Page): Promise<void> {
  await signIn(page, sys.zab.token.auditor);
  await page.getByRole('button', { name: 'Prüfung' }).click();
  await page.getByRole('heading', { level: 1, name: 'Prüfung' }).waitFor();
}

test('an auditor verifies the ledger: every block valid, the summary announced, the checkpoint to keep; the checkpoint verifies next time, a wrong one is reported', async () => {
  const { context, page, watch } = await openPage(browser, sys.baseUrl);
  await openAudit(page);
  await page.getByRole('button', { name: 'Ledger prüfen' }).click();
  await page.locator('#verify-blocks').waitFor();

  const rows = page.locator('#verify-blocks tbody tr');
  await expect(rows.count()).resolves.toBe(apiReport.blocks.length);
  for (const [i, block] of apiReport.blocks.entries()) {
    const row = rows.nth(i);
    await expect(row.getAttribute('data-block')).resolves.toBe(String(block.blockNumber));
    await expect(row.getAttribute('data-valid')).resolves.toBe('true');
    await expect(row.textContent()).resolves.toContain('gültig');
    await expect(row.textContent()).resolves.toContain(block.blockHash);
  }
  const n = apiReport.blocks.length;
  const summary = `Ledger gültig: ${n} von ${n} Blöcken geprüft, keine Fehler (Blöcke ${apiReport.firstBlock}–${apiReport.lastBlock}, Kanal ${apiReport.channelId}).`;
  await expect(page.locator('#verify-summary').textContent()).resolves.toContain(summary);
  await page.waitForFunction((s) => (globalThis as unknown as PageGlobals).document.getElementById('live')?.textContent === s, summary);
  const checkpoint = apiReport.nextCheckpoint!;
  await expect(page.locator('#verify-checkpoint').textContent()).resolves.toContain(checkpoint.blockHash);
  await expect(page.locator('#verify-checkpoint').textContent()).resolves.toContain(checkpoint.blockNumber);
  await screenshot(page, 'audit-verify-valid');

  // Next audit, from the kept checkpoint: still valid.
  await page.getByLabel('Checkpoint: Blocknummer').fill(checkpoint.blockNumber);
  await page.getByLabel('Checkpoint: Block-Hash').fill(checkpoint.blockHash);
  await page.getByRole('button', { name: 'Ledger prüfen' }).click();
  // The click replaced the previous report at once ("wird geprüft …"); this is the new one.
  await page.locator('#verify-summary').waitFor();
  await expect(page.locator('#verify-summary').textContent()).resolves.toContain(summary);
  await expect(page.locator('#verify-blocks tbody tr[data-valid="true"]').count()).resolves.toBe(n);

  // A checkpoint whose hash the ledger no longer has: invalid, with the code and its German text.
  await page.getByLabel('Checkpoint: Block-Hash').fill('0'.repeat(64));
  await page.getByRole('button', { name: 'Ledger prüfen' }).click();
  await page.locator('#verify-summary.result--blocked').waitFor();
  await expect(page.locator('#verify-summary').textContent()).resolves.toContain('Ledger ungültig');
  const report = (await page.locator('#verify-result').textContent()) ?? '';
  expect(report).toContain('CHECKPOINT_MISMATCH');
  expect(report).toContain('Der Block an der Checkpoint-Nummer hat nicht mehr den Hash des Checkpoints.');
  expect(report).toContain('Kein Checkpoint');
  await page.waitForFunction(() => ((globalThis as unknown as PageGlobals).document.getElementById('live')?.textContent ?? '').startsWith('Ledger ungültig'));
  await screenshot(page, 'audit-verify-invalid');

  await page.getByRole('button', { name: 'Switch to English' }).click();
  await page.getByRole('heading', { level: 1, name: 'Audit' }).waitFor();
  await page.getByLabel('Checkpoint: block number').fill(checkpoint.blockNumber);
  await page.getByLabel('Checkpoint: block hash').fill('0'.repeat(64));
  await page.getByRole('button', { name: 'Verify ledger' }).click();
  await page.locator('#verify-summary.result--blocked').waitFor();
  await expect(page.locator('#verify-result').textContent()).resolves.toContain('The block at the checkpoint number no longer has the checkpoint hash.');

  expect(watch.pageErrors).toEqual([]);
  expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).__cspViolations)).toEqual([]);
  await context.close();
});

test('re-deriving a timeline receipt from the ledger: not on this gateway’s blocks (real route); matches and differs (route answered by the page)', async () => {
  const { context, page } = await openPage(browser, sys.baseUrl);
  await signIn(page, sys.zab.token.auditor);
  await page.locator(`tr[data-case-id="${CASE_ID}"]`).getByRole('button').click();
  const first = page.locator('ol.timeline > li').first();
  await first.waitFor();
  const txId = (await first.getAttribute('data-tx-id'))!;
  await first.locator('summary').click();
  await first.getByRole('button', { name: 'Aus dem Ledger nachrechnen' }).click();
  const result = first.locator('.rederive-result [data-match]');
  await result.waitFor();
  await expect(result.getAttribute('data-match')).resolves.toBe('false');
  await expect(result.textContent()).resolves.toContain(`Nicht gefunden: Die Transaktion ${txId}`);

  // The timeline's own receipt as the blocks would give it, then one with another block and a finding.
  const timeline = await request(sys.zab.app).get(`/api/v1/cases/${CASE_ID}/timeline`).set('authorization', `Bearer ${sys.zab.token.auditor}`);
  const receipt = (timeline.body as { items: { receipt: { txId: string; blockNumber: string; txIndex: number; validationCode: string; endorsers: string[]; writer: { mspId: string } } }[] }).items.find((i) => i.receipt.txId === txId)!.receipt;
  let answer: object = { txId, blockNumber: receipt.blockNumber, txIndex: receipt.txIndex, validationCode: receipt.validationCode, endorsers: [...receipt.endorsers].reverse(), creatorMspId: receipt.writer.mspId, verified: true, findings: [] };
  await page.route(`**/api/v1/audit/receipts/${txId}`, (route) => route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(answer) }));
  await first.getByRole('button', { name: 'Aus dem Ledger nachrechnen' }).click();
  await first.locator('.rederive-result [data-match="true"]').waitFor();
  await expect(first.locator('.rederive-result').textContent()).resolves.toContain('Stimmt überein');
  await screenshot(page, 'audit-rederive-match');

  answer = { ...answer, blockNumber: String(BigInt(receipt.blockNumber) + 1n), verified: false, findings: [{ code: 'TX_NOT_VALID', detail: 'x' }] };
  await first.getByRole('button', { name: 'Aus dem Ledger nachrechnen' }).click();
  await first.locator('.rederive-result [data-match="false"]').waitFor();
  const text = (await first.locator('.rederive-result').textContent()) ?? '';
  expect(text).toContain(`Block: Verlauf ${receipt.blockNumber}, Ledger ${BigInt(receipt.blockNumber) + 1n}`);
  expect(text).toContain('TX_NOT_VALID');
  expect(text).toContain('Beleg: Die Transaktion wurde vom Peer nicht als gültig (VALID) übernommen.');
  expect(await axeScan(page)).toEqual([]);
  await context.close();
});

test('axe-core finds no WCAG 2.0/2.1 A/AA violation on the audit page with a report (valid, invalid, English) or with refused fields', async () => {
  const { context, page } = await openPage(browser, sys.baseUrl);
  const results: Record<string, string[]> = {};
  await openAudit(page);
  await page.getByRole('button', { name: 'Ledger prüfen' }).click();
  await page.locator('#verify-blocks').waitFor();
  results['report valid'] = await axeScan(page);
  await page.getByLabel('Checkpoint: Blocknummer').fill('1');
  await page.getByLabel('Checkpoint: Block-Hash').fill('f'.repeat(64));
  await page.getByRole('button', { name: 'Ledger prüfen' }).click();
  await page.locator('#verify-summary.result--blocked').waitFor();
  results['report invalid'] = await axeScan(page);
  await page.getByRole('button', { name: 'Switch to English' }).click();
  await page.getByRole('heading', { level: 1, name: 'Audit' }).waitFor();
  await page.getByRole('button', { name: 'Verify ledger' }).click();
  await page.locator('#verify-blocks').waitFor();
  results['report (en)'] = await axeScan(page);
  await page.getByLabel('From block (optional)').fill('4');
  await page.getByLabel('To block (optional)').fill('2');
  await page.getByLabel('Checkpoint: block hash').fill('xyz');
  await page.getByRole('button', { name: 'Verify ledger' }).click();
  await expect(page.locator('#verify-to').getAttribute('aria-invalid')).resolves.toBe('true');
  await expect(page.locator('#verify-to-error').textContent()).resolves.toBe('The last block must not come before the first.');
  await expect(page.locator('#checkpoint-hash-error').textContent()).resolves.toBe('The hash is exactly 64 hexadecimal characters (0–9, a–f).');
  results['refused fields (en)'] = await axeScan(page);
  await screenshot(page, 'audit-verify-refused');
  const found = Object.entries(results).flatMap(([name, vs]) => vs.map((v) => `${name}: ${v}`));
  expect(found).toEqual([]);
  await context.close();
});

test('keyboard only: sign in, to the audit page, fill the range, verify, read the report; re-derive a receipt; focus stays visible', async () => {
  const { context, page } = await openPage(browser, sys.baseUrl);
  await page.goto('/');
  await page.getByRole('heading', { level: 1, name: 'Anmelden' }).waitFor();
  const focused = () => page.evaluate(() => {
    const w = globalThis as unknown as PageGlobals;
    const el = w.document.activeElement;
    const style = el ? w.getComputedStyle(el) : undefined;
    return { id: el?.id ?? '', tag: el?.tagName ?? '', text: el?.textContent?.trim() ?? '', outline: style ? `${style.outlineStyle} ${style.outlineWidth}` : '' };
  });
  /** Presses Tab (or Shift+Tab) until the predicate holds; every element passed on the way shows its focus. */
  const tabTo = async (predicate: (f: Awaited<ReturnType<typeof focused>>) => boolean, max = 60, key = 'Tab'): Promise<void> => {
    for (let i = 1; i <= max; i += 1) {
      await page.keyboard.press(key);
      const f = await focused();
      expect([f.tag, f.id, f.text, f.outline]).not.toEqual([f.tag, f.id, f.text, expect.stringMatching(/^none/)]);
      if (predicate(f)) return;
    }
    throw new Error('focus never reached the target');
  };

  await tabTo((f) => f.id === 'token');
  await page.keyboard.type(sys.zab.token.auditor);
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { level: 1, name: 'Fälle' }).waitFor();
  expect((await focused()).id).toBe('view-heading');
  await tabTo((f) => f.tag === 'BUTTON' && f.text === 'Prüfung', 20, 'Shift+Tab');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { level: 1, name: 'Prüfung' }).waitFor();
  expect((await focused()).id).toBe('view-heading');
  await tabTo((f) => f.id === 'verify-from');
  await page.keyboard.type('0');
  await page.keyboard.press('Tab');
  expect((await focused()).id).toBe('verify-to');
  await page.keyboard.type(String(apiReport.lastBlock));
  await page.keyboard.press('Enter');
  await page.locator('#verify-blocks').waitFor();
  await expect(page.locator('#verify-blocks tbody tr[data-valid="true"]').count()).resolves.toBe(apiReport.blocks.length);
  expect((await focused()).id).toBe('verify-to');
  await tabTo((f) => f.id === 'verify-submit');
  expect((await focused()).outline).toMatch(/^solid 3px/);
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => ((globalThis as unknown as PageGlobals).document.getElementById('live')?.textContent ?? '').startsWith('Ledger gültig'));
  expect((await focused()).id).toBe('verify-submit');

  await tabTo((f) => f.tag === 'BUTTON' && f.text === 'Fälle', 80, 'Shift+Tab');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { level: 1, name: 'Fälle' }).waitFor();
  await tabTo((f) => f.tag === 'BUTTON' && f.text.includes(CASE_ID.slice(0, 8)), 40).catch(async () => {
    throw new Error(`case button not reached: ${JSON.stringify(await focused())}`);
  });
  await page.keyboard.press('Enter');
  await page.locator('ol.timeline > li').first().waitFor();
  await tabTo((f) => f.tag === 'SUMMARY', 80);
  await page.keyboard.press('Enter');
  await tabTo((f) => f.tag === 'BUTTON' && f.text === 'Aus dem Ledger nachrechnen');
  await page.keyboard.press('Enter');
  await page.locator('details.receipt[open] .rederive-result [data-match]').waitFor();
  expect((await focused()).text).toBe('Aus dem Ledger nachrechnen');
  await context.close();
});

test('a caseworker sees neither the verify form nor the re-derive button', async () => {
  const { context, page } = await openPage(browser, sys.baseUrl);
  await signIn(page, sys.zab.token.caseworker);
  await expect(page.getByRole('button', { name: 'Prüfung' }).count()).resolves.toBe(0);
  await expect(page.locator('#verify-form').count()).resolves.toBe(0);
  await expect(page.getByRole('button', { name: 'Ledger prüfen' }).count()).resolves.toBe(0);
  await page.locator(`tr[data-case-id="${CASE_ID}"]`).getByRole('button').click();
  await page.locator('ol.timeline > li').first().waitFor();
  await page.locator('ol.timeline > li').first().locator('summary').click();
  await page.locator('details.receipt[open]').waitFor();
  await expect(page.getByRole('button', { name: 'Aus dem Ledger nachrechnen' }).count()).resolves.toBe(0);
  const refused = await request(sys.zab.app).post('/api/v1/audit/verify').set('authorization', `Bearer ${sys.zab.token.caseworker}`).send({});
  expect(refused.status).toBe(403);
  await context.close();
});
