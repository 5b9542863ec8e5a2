/**
 * The web UI on the live network (ASL_TEST_KIND=net; `npm run network:up` first): both agencies' gateways run as
 * server processes with `ledger.kind: fabric` (test/support/live-gateways.ts) and serve the UI; headless Chromium
 * (the browser suite's helpers, test/ui/browser-page.ts) drives a ZAB caseworker, a BAMF caseworker and a ZAB
 * auditor, each registered in the agency's real Fabric CA through the admin route. The case is written by both
 * agencies through their gateways' REST API; the BAMF gateway commits the court's urgent application while the
 * ZAB caseworker has the case open, and the page must announce the ReturnConflict within a second
 * (architecture.md: a ReturnConflict must reach the partner within a second). Nothing is mocked; the AZR number,
 * users and sourceMessageIds are new per run, so the suite can share the network with others.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { type ChaincodeEvent, type CloseableAsyncIterable, type Gateway } from '@hyperledger/fabric-gateway';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { z } from 'zod';
import { berlinDate, PHASES } from '@asl/chaincode/domain';
import { CaseIdResponseSchema, CourtRefResponseSchema, IssuedTokenSchema, StatsResponseSchema, TimelineResponseSchema, WriteResponseSchema, type StatsResponse } from '../../src/api/schemas';
import type { PeerConnection } from '../../src/fabric/peer-connection';
import { auditorGateway } from '../support/live-agency';
import { liveCall, liveWrite } from '../support/live-client';
import { eventually } from '../support/live-fixtures';
import { startLiveGateways, type LiveGateway, type LiveGateways } from '../support/live-gateways';
import { axeScan, dashboardMismatches, launchChromium, openPage, screenshot, shownFigures, signIn, type PageElement, type PageGlobals, type PageWatch } from '../ui/browser-page';

jest.setTimeout(120_000);

/** The contract's bound: a ReturnConflict reaches the partner within a second (architecture.md, Topology). */
const RETURN_CONFLICT_MS = 1000;

const run = randomBytes(3).toString('hex');
const digits = (n: number): string => Array.from(randomBytes(n), (b) => String(b % 10)).join('');
/** Obviously fake person data, new per run (the AZR number names the case at both agencies). */
const PERSON = {
  azrNumber: `9999 ${digits(4)} ${digits(4)}`,
  familyName: 'Mustermann-Testperson',
  givenNames: 'Erika Fixture',
  dateOfBirth: '1990-01-01',
  bamfFileNumber: `7777${digits(3)}-999`,
  courtFileNumber: `99 K ${digits(4)}/26.A`,
} as const;
const AZR_DIGITS = PERSON.azrNumber.replace(/\D/g, '');
/** What must never appear in a URL the browser requested or showed (domain.md §2). */
const IDENTIFYING = [PERSON.azrNumber, AZR_DIGITS, encodeURIComponent(PERSON.azrNumber), PERSON.familyName, encodeURIComponent(PERSON.familyName), PERSON.givenNames, encodeURIComponent(PERSON.givenNames), 'Mustermann', PERSON.bamfFileNumber, PERSON.courtFileNumber, encodeURIComponent(PERSON.courtFileNumber)];

/** A Berlin calendar date `n` days before now. */
const daysAgo = (n: number): string => berlinDate(new Date(Date.now() - n * 86_400_000).toISOString());
const msgId = (what: string): string => `live-ui-${what}-${randomUUID()}`;

type Agency = 'bamf' | 'zab';
type UserRole = 'adapter' | 'caseworker' | 'auditor';

/** The instrumentation the ZAB caseworker's page carries: when each banner text and each stream message came. */
interface ProbeGlobals {
  __banners: { at: number; text: string }[];
  __stream: { at: number; caseId: string; txId: string }[];
  EventSource: new (url: string, init?: unknown) => { addEventListener(type: string, listener: (e: { data: string }) => void): void };
  MutationObserver: new (callback: () => void) => { observe(target: unknown, options: object): void };
  document: PageGlobals['document'];
}

/** Records, in the page, the time of every banner text and every `case-event` the page's stream delivers. */
async function installProbe(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = globalThis as unknown as ProbeGlobals;
    w.__banners = [];
    w.__stream = [];
    const Original = w.EventSource;
    // Registered before the app's own listener, so it sees each message first.
    w.EventSource = class extends Original {
      constructor(url: string, init?: unknown) {
        super(url, init);
        this.addEventListener('case-event', (e) => {
          const m = JSON.parse(e.data) as { caseId: string; event: { txId: string } };
          w.__stream.push({ at: Date.now(), caseId: m.caseId, txId: m.event.txId });
        });
      }
    };
    new w.MutationObserver(() => {
      const text = w.document.getElementById('banner')?.textContent ?? '';
      const last = w.__banners[w.__banners.length - 1];
      if (text !== '' && last?.text !== text) w.__banners.push({ at: Date.now(), text });
    }).observe(w.document, { subtree: true, childList: true, characterData: true });
  });
}

/**
 * The ZAB peer read directly, without either gateway: the chaincode events as the peer delivers them and the
 * chaincode's own stored case views (`GetCase`). Signed by ZAB's enrolled auditor (read-only), from connection.json.
 */
function zabPeer(): { gateway: Gateway; peer: PeerConnection; chaincode: string; channel: string } {
  const { connection, gateway, peer } = auditorGateway('zab');
  return { gateway, peer, chaincode: connection.chaincode, channel: connection.channel };
}

/** The case a `CaseEventRecorded` or `ReturnConflict` event is about (domain.md §5: the payload carries the stored event). */
const CaseEventPayload = z.object({ event: z.object({ caseId: z.string() }) });
const StoredView = z.object({ caseId: z.string(), phase: z.enum(PHASES) });

/**
 * Cases per phase as the chaincode holds them: every case any valid transaction on the channel recorded an event
 * for (from the chaincode events since block 0), each phase read from the case record the chaincode stored
 * (`GetCase`). Neither gateway's read model is involved.
 */
async function ledgerPhaseCounts(p: ReturnType<typeof zabPeer>, caseIds: ReadonlySet<string>): Promise<Record<string, number>> {
  const contract = p.gateway.getNetwork(p.channel).getContract(p.chaincode);
  const counts: Record<string, number> = Object.fromEntries(PHASES.map((phase) => [phase, 0]));
  const ids = [...caseIds];
  for (let i = 0; i < ids.length; i += 25) {
    const views = await Promise.all(ids.slice(i, i + 25).map(async (caseId) => StoredView.parse(JSON.parse(Buffer.from(await contract.evaluateTransaction('GetCase', JSON.stringify({ caseId }))).toString('utf8')))));
    for (const v of views) counts[v.phase] = (counts[v.phase] ?? 0) + 1;
  }
  return counts;
}

/** The figures two read models of the same ledger must agree on (overdue actions are each agency's own). */
const shared = (s: StatsResponse) => ({ cases: s.cases, perPhase: s.perPhase, openWarningsByRule: s.openWarningsByRule, throughputDays: s.throughputDays });

describe('the web UI on the live network: caseworkers of both agencies and an auditor in headless Chromium', () => {
  let gateways: LiveGateways;
  let browser: Browser;
  let peer: ReturnType<typeof zabPeer>;
  let chaincodeEvents: CloseableAsyncIterable<ChaincodeEvent> | undefined;
  /** Chaincode events as ZAB's peer delivered them to this process, with the time they arrived. */
  const delivered: { at: number; txId: string; name: string }[] = [];
  /** Every case a valid transaction recorded an event for, from those chaincode events. */
  const ledgerCases = new Set<string>();
  const issued = new Map<string, { userId: string; token: string }>();
  const user = (agency: Agency, role: UserRole): { userId: string; token: string } => {
    const u = issued.get(`${agency}/${role}`);
    if (u === undefined) throw new Error(`no ${agency} ${role} was registered (see the first test)`);
    return u;
  };
  /** Every page opened, so the last test can check every URL any of them requested or showed. */
  const pages: { name: string; page: Page; watch: PageWatch; context: BrowserContext }[] = [];
  const open = async (name: string, gw: LiveGateway, probe = false) => {
    const opened = await openPage(browser, gw.url);
    if (probe) await installProbe(opened.page);
    pages.push({ name, ...opened });
    return opened;
  };
  let caseId = '';
  /** The ZAB caseworker's page: it stays open on the case from sign-in to the acknowledgement. */
  let zabPage: Page;
  let urgentTxId = '';
  let timelineLength = 0;
  const axeFound: Record<string, string[]> = {};

  beforeAll(async () => {
    // One after the other: a failed start must leave nothing running that afterAll does not know of.
    browser = await launchChromium();
    gateways = await startLiveGateways();
    peer = zabPeer();
    // Every chaincode event of the channel from the genesis block on: the cases on the ledger, and the time each
    // new event reached this process.
    const events = await peer.gateway.getNetwork(peer.channel).getChaincodeEvents(peer.chaincode, { startBlock: 0n });
    chaincodeEvents = events;
    void (async () => {
      try {
        for await (const e of events) {
          delivered.push({ at: Date.now(), txId: e.transactionId, name: e.eventName });
          if (e.eventName === 'CaseEventRecorded' || e.eventName === 'ReturnConflict') ledgerCases.add(CaseEventPayload.parse(JSON.parse(Buffer.from(e.payload).toString('utf8'))).event.caseId);
        }
      } catch {
        // closed in afterAll
      }
    })();
  }, 180_000);

  afterAll(async () => {
    chaincodeEvents?.close();
    peer?.gateway.close();
    peer?.peer.client.close();
    await browser?.close();
    await gateways?.stop();
  });

  it('each admin registers its users in the agency’s CA; ZAB and BAMF write a case through their own gateways up to a scheduled deportation', async () => {
    const { bamf, zab } = gateways;
    for (const [agency, role] of [
      ['zab', 'adapter'],
      ['zab', 'caseworker'],
      ['zab', 'auditor'],
      ['bamf', 'adapter'],
      ['bamf', 'caseworker'],
    ] as const) {
      const gw = gateways[agency];
      const userId = `${agency}-ui-${role}-${run}`;
      const created = await liveCall(gw.url, 'post', '/api/v1/admin/users', { token: gw.adminToken, body: { userId, role } });
      expect(created.status).toBe(201);
      const u = IssuedTokenSchema.parse(created.body);
      expect(u).toMatchObject({ userId, role });
      issued.set(`${agency}/${role}`, { userId, token: u.token });
    }

    const id = await liveCall(zab.url, 'post', '/api/v1/case-ids', { token: user('zab', 'adapter').token, body: { azrNumber: PERSON.azrNumber } });
    expect(id.status).toBe(200);
    const answer = CaseIdResponseSchema.parse(id.body);
    expect(answer.exists).toBe(false);
    caseId = answer.caseId;

    const write = async (gw: LiveGateway, agency: Agency, type: string, data: object, occurredOn: string, caseDetails?: object) => {
      const { response, retried } = await liveWrite(gw.url, '/api/v1/cases/{caseId}/events', {
        token: user(agency, 'adapter').token,
        params: { caseId },
        body: { type, occurredAt: `${occurredOn}T10:00:00+01:00`, sourceMessageId: msgId(type.toLowerCase()), data, ...(caseDetails ? { caseDetails } : {}) },
      });
      expect(retried.length === 0 ? [201] : [200, 201]).toContain(response.status);
      return WriteResponseSchema.parse(response.body);
    };
    await write(zab, 'zab', 'CASE_REGISTERED', { facility: 'AE-DD-TEST', registeredOn: daysAgo(90) }, daysAgo(90), {
      familyName: PERSON.familyName,
      givenNames: PERSON.givenNames,
      dateOfBirth: PERSON.dateOfBirth,
      azrNumber: PERSON.azrNumber,
    });
    await write(bamf, 'bamf', 'APPLICATION_FILED', { filedOn: daysAgo(89) }, daysAgo(89), { bamfFileNumber: PERSON.bamfFileNumber });
    await write(bamf, 'bamf', 'HEARING_SCHEDULED', { hearingOn: daysAgo(80) }, daysAgo(88));
    await write(bamf, 'bamf', 'HEARING_HELD', {}, daysAgo(80));
    await write(bamf, 'bamf', 'DECISION_ISSUED', { outcome: 'REJECTED_MANIFESTLY_UNFOUNDED', decidedOn: daysAgo(60) }, daysAgo(60));
    await write(bamf, 'bamf', 'DECISION_SERVED', { servedOn: daysAgo(58) }, daysAgo(58));
    // Remedy and departure periods ended weeks ago: the deportation is scheduled with nothing blocking it.
    const scheduled = await write(zab, 'zab', 'RETURN_SCHEDULED', { kind: 'DEPORTATION' }, daysAgo(1));
    expect(scheduled.warnings.filter((w) => w.severity === 'BLOCKING')).toEqual([]);
    timelineLength = 7;
  });

  it('a ZAB caseworker signs in with the token, opens the case by AZR number and sees the timeline both agencies wrote, in ledger order, with both agencies’ details', async () => {
    const { context, page, watch } = await open('zab caseworker', gateways.zab, true);
    zabPage = page;
    await page.goto('/');
    await page.getByRole('heading', { level: 1, name: 'Anmelden' }).waitFor();
    axeFound['sign-in (ZAB)'] = await axeScan(page);
    await signIn(page, user('zab', 'caseworker').token);
    expect((await context.cookies()).find((c) => c.name === 'asl_session')).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    await expect(page.locator('.site-user').textContent()).resolves.toContain(user('zab', 'caseworker').userId);
    axeFound['cases (ZAB caseworker)'] = await axeScan(page);

    await page.getByLabel('AZR-Nummer').fill(PERSON.azrNumber);
    await page.getByRole('button', { name: 'Fall öffnen' }).click();
    await page.getByRole('heading', { level: 1, name: `Fall ${caseId}` }).waitFor();
    await page.locator(`.case[data-entries="${timelineLength}"]`).waitFor();
    expect(await page.getByLabel('AZR-Nummer').count()).toBe(0);

    const rest = await liveCall(gateways.zab.url, 'get', '/api/v1/cases/{caseId}/timeline', { token: user('zab', 'caseworker').token, params: { caseId } });
    const items = TimelineResponseSchema.parse(rest.body).items;
    const shown = await page.locator('ol.timeline > li').evaluateAll((els: PageElement[]) => els.map((e) => `${e.getAttribute('data-tx-id')} ${e.getAttribute('data-agency')} ${e.getAttribute('data-type')}`));
    expect(shown).toEqual(items.map((i) => `${i.receipt.txId} ${i.actor.mspId} ${i.event.type}`));
    expect(new Set(items.map((i) => i.actor.mspId))).toEqual(new Set(['BamfMSP', 'ZabSachsenMSP']));
    await expect(page.locator('ol.timeline > li .agency-badge').allTextContents()).resolves.toEqual(['ZAB Sachsen', 'BAMF', 'BAMF', 'BAMF', 'BAMF', 'BAMF', 'ZAB Sachsen']);
    // A receipt from the committed block: both agencies' peers endorsed it.
    const served = page.locator('ol.timeline > li[data-type="DECISION_SERVED"]');
    await served.locator('summary').click();
    await expect(served.locator('details.receipt').textContent()).resolves.toMatch(/Validierung.*VALID.*Bestätigt von.*BAMF.*ZAB Sachsen/s);
    await expect(page.locator('[data-phase]').textContent()).resolves.toBe('Aufenthaltsbeendigung');
    // Both agencies' caseDetails, read from the private data collection through ZAB's peer.
    await expect(page.locator('#case-details').textContent()).resolves.toContain(PERSON.familyName);
    await expect(page.locator('#case-details').textContent()).resolves.toContain(PERSON.bamfFileNumber);
    await page.locator('#live-state').getByText('Live-Aktualisierung aktiv').waitFor();
    axeFound['case (ZAB caseworker)'] = await axeScan(page);
    await screenshot(page, 'live-case-zab-caseworker');
    expect(watch.pageErrors).toEqual([]);
  });

  it(`a ReturnConflict committed through the BAMF gateway is announced on the ZAB caseworker’s open page within ${RETURN_CONFLICT_MS} ms of the BAMF gateway’s 201`, async () => {
    const { bamf } = gateways;
    const court = await liveCall(bamf.url, 'post', '/api/v1/court-refs', { token: user('bamf', 'adapter').token, body: { court: 'VG-DRESDEN', fileNumber: PERSON.courtFileNumber } });
    expect(court.status).toBe(200);
    const { courtRef } = CourtRefResponseSchema.parse(court.body);
    // The fax about the urgent application reached BAMF: MARiS records it while ZAB has a deportation scheduled.
    const sent = Date.now();
    const { response, retried } = await liveWrite(bamf.url, '/api/v1/cases/{caseId}/events', {
      token: user('bamf', 'adapter').token,
      params: { caseId },
      body: { type: 'URGENT_APPLICATION_FILED', occurredAt: `${daysAgo(1)}T15:00:00+01:00`, sourceMessageId: msgId('urgent'), data: { court: 'VG-DRESDEN', courtRef, filedOn: daysAgo(1) } },
    });
    const answered = Date.now();
    // A retried write has no single 201 to measure from.
    expect(retried).toEqual([]);
    expect(response.status).toBe(201);
    const urgent = WriteResponseSchema.parse(response.body);
    urgentTxId = urgent.receipt.txId;
    timelineLength += 1;
    expect(urgent.warnings).toContainEqual(expect.objectContaining({ code: 'RET_URGENT_APPLICATION', severity: 'BLOCKING', anchors: expect.arrayContaining([urgentTxId]) }));

    const banner = zabPage.locator('#banner .banner', { hasText: caseId });
    await banner.waitFor({ timeout: 10_000 });
    const probe = await zabPage.evaluate(() => {
      const w = globalThis as unknown as ProbeGlobals;
      return { banners: w.__banners, stream: w.__stream };
    });
    const bannerAt = probe.banners.find((b) => b.text.includes(caseId))?.at;
    const streamAt = probe.stream.find((m) => m.txId === urgentTxId)?.at;
    const peerEvent = delivered.find((e) => e.txId === urgentTxId);
    const rel = (t: number | undefined): string => (t === undefined ? 'not seen' : `${t - sent >= 0 ? '+' : ''}${t - sent} ms`);
    process.stdout.write(
      [
        `live UI: ReturnConflict (URGENT_APPLICATION_FILED through the BAMF gateway, tx ${urgentTxId.slice(0, 12)}, block ${urgent.receipt.blockNumber}), times from the request:`,
        `  chaincode event ${peerEvent?.name ?? '?'} delivered by peer0.zab to the test: ${rel(peerEvent?.at)}`,
        `  BAMF gateway answered 201:                           ${rel(answered)}`,
        `  case-event on the ZAB page's event stream:          ${rel(streamAt)}`,
        `  banner in the ZAB page's alert region:              ${rel(bannerAt)}`,
        `  => banner ${bannerAt === undefined ? '?' : bannerAt - answered} ms after the BAMF gateway's 201 (contract: ≤ ${RETURN_CONFLICT_MS} ms)`,
        '',
      ].join('\n'),
    );
    expect(peerEvent?.name).toBe('ReturnConflict');
    expect(bannerAt).toBeDefined();
    expect(bannerAt! - answered).toBeLessThanOrEqual(RETURN_CONFLICT_MS);
    await expect(banner.textContent()).resolves.toContain('Achtung: Rückführungskonflikt');
    await expect(banner.textContent()).resolves.toContain('Eilantrag anhängig oder aufschiebende Wirkung angeordnet');
    // The open case follows by itself: the new BAMF entry and the BLOCKING warning, announced, focus kept.
    await zabPage.locator(`ol.timeline > li[data-tx-id="${urgentTxId}"][data-agency="BamfMSP"]`).waitFor();
    const warning = zabPage.locator('.panel--warnings li[data-warning-code="RET_URGENT_APPLICATION"]');
    await warning.waitFor();
    await expect(warning.getAttribute('class')).resolves.toContain('warning--blocking');
    await zabPage.waitForFunction(() => (globalThis as unknown as PageGlobals).document.getElementById('live')?.textContent === 'Neuer Eintrag von BAMF: Eilantrag gestellt');
    axeFound['case with the ReturnConflict banner (ZAB caseworker)'] = await axeScan(zabPage);
    await screenshot(zabPage, 'live-return-conflict');
  });

  it('acknowledging the warning in the ZAB UI is a ledger transaction that BAMF’s REST timeline and BAMF’s open case page show', async () => {
    const { bamf } = gateways;
    // BAMF's caseworker has the case open on BAMF's gateway before ZAB acknowledges.
    const b = await open('bamf caseworker', bamf);
    await signIn(b.page, user('bamf', 'caseworker').token);
    await b.page.getByLabel('AZR-Nummer').fill(PERSON.azrNumber);
    await b.page.getByRole('button', { name: 'Fall öffnen' }).click();
    await b.page.locator(`.case[data-entries="${timelineLength}"]`).waitFor();
    await b.page.locator('#live-state').getByText('Live-Aktualisierung aktiv').waitFor();
    const bamfWarning = b.page.locator('.panel--warnings li[data-warning-code="RET_URGENT_APPLICATION"]');
    await expect(bamfWarning.locator('.warning__acked').count()).resolves.toBe(0);

    const warning = zabPage.locator('.panel--warnings li[data-warning-code="RET_URGENT_APPLICATION"]');
    await warning.getByRole('button', { name: 'Zur Kenntnis nehmen: Eilantrag anhängig oder aufschiebende Wirkung angeordnet' }).click();
    const ackEntry = zabPage.locator('ol.timeline > li[data-type="WARNING_ACKNOWLEDGED"]');
    await ackEntry.waitFor({ timeout: 30_000 });
    timelineLength += 1;
    await expect(ackEntry.getAttribute('data-agency')).resolves.toBe('ZabSachsenMSP');
    await expect(warning.locator('.warning__acked').textContent()).resolves.toBe('Zur Kenntnis genommen von ZAB Sachsen');
    const ackTxId = await ackEntry.getAttribute('data-tx-id');
    expect(ackTxId).toMatch(/^[0-9a-f]{64}$/);

    // BAMF's gateway, fed by BAMF's peer, has the acknowledgement with a receipt both agencies endorsed.
    const timeline = () => liveCall(bamf.url, 'get', '/api/v1/cases/{caseId}/timeline', { token: user('bamf', 'caseworker').token, params: { caseId } });
    const atBamf = await eventually(timeline, (r) => r.status === 200 && TimelineResponseSchema.parse(r.body).items.some((i) => i.event.type === 'WARNING_ACKNOWLEDGED'));
    const ack = TimelineResponseSchema.parse(atBamf.body).items.find((i) => i.event.type === 'WARNING_ACKNOWLEDGED');
    expect(ack).toMatchObject({
      event: { type: 'WARNING_ACKNOWLEDGED', data: { code: 'RET_URGENT_APPLICATION', anchorTxId: urgentTxId } },
      actor: { mspId: 'ZabSachsenMSP', role: 'caseworker', enrollmentId: user('zab', 'caseworker').userId },
      receipt: { txId: ackTxId, validationCode: 'VALID', endorsers: ['BamfMSP', 'ZabSachsenMSP'], writer: { mspId: 'ZabSachsenMSP', role: 'caseworker', enrollmentId: user('zab', 'caseworker').userId } },
    });

    // BAMF's open page shows it live, without a reload: the entry, and the warning acknowledged by ZAB (BAMF may still).
    await b.page.locator(`ol.timeline > li[data-tx-id="${ackTxId}"][data-agency="ZabSachsenMSP"][data-type="WARNING_ACKNOWLEDGED"]`).waitFor({ timeout: 10_000 });
    await expect(bamfWarning.locator('.warning__acked').textContent()).resolves.toBe('Zur Kenntnis genommen von ZAB Sachsen');
    await expect(bamfWarning.getByRole('button', { name: /^Zur Kenntnis nehmen/ }).count()).resolves.toBe(1);
    await b.page.waitForFunction(() => (globalThis as unknown as PageGlobals).document.getElementById('live')?.textContent === 'Neuer Eintrag von ZAB Sachsen: Warnung zur Kenntnis genommen');
    axeFound['case (BAMF caseworker, after ZAB’s acknowledgement)'] = await axeScan(b.page);
    await screenshot(b.page, 'live-case-bamf-acknowledged-by-zab');
    expect(b.watch.pageErrors).toEqual([]);
  });

  it('the dashboard counts what the ledger holds: equal to GET /api/v1/stats, to the phases of the case records the chaincode stored (read from ZAB’s peer, cases from the channel’s chaincode events), and to the BAMF gateway’s figures', async () => {
    const { bamf, zab } = gateways;
    const stats = async (gw: LiveGateway, token: string): Promise<StatsResponse> => {
      const r = await liveCall(gw.url, 'get', '/api/v1/stats', { token });
      expect(r.status).toBe(200);
      return StatsResponseSchema.parse(r.body);
    };
    const showDashboard = async (): Promise<void> => {
      await zabPage.getByRole('button', { name: 'Fälle' }).click();
      await zabPage.getByRole('heading', { level: 1, name: 'Fälle' }).waitFor();
      await zabPage.getByRole('button', { name: 'Übersicht' }).click();
      await zabPage.getByRole('heading', { level: 1, name: 'Übersicht' }).waitFor();
    };
    // Other suites write to the same network meanwhile: compare at a moment when nothing moved between the reads.
    const deadline = Date.now() + 60_000;
    let last: string[] = [];
    let attempts = 0;
    for (;;) {
      attempts += 1;
      const eventsBefore = delivered.length;
      const ledgerBefore = await ledgerPhaseCounts(peer, ledgerCases);
      const zabBefore = await stats(zab, user('zab', 'caseworker').token);
      await showDashboard();
      const shown = await shownFigures(zabPage);
      const zabAfter = await stats(zab, user('zab', 'caseworker').token);
      const bamfStats = await stats(bamf, user('bamf', 'caseworker').token);
      const ledgerAfter = await ledgerPhaseCounts(peer, ledgerCases);
      const ledgerCount = Object.values(ledgerAfter).reduce((a, b) => a + b, 0);
      last = [
        ...(JSON.stringify(ledgerBefore) === JSON.stringify(ledgerAfter) && delivered.length === eventsBefore ? [] : ['the ledger moved during the reads']),
        ...(JSON.stringify(shared(zabBefore)) === JSON.stringify(shared(zabAfter)) && zabBefore.overdueActions === zabAfter.overdueActions ? [] : ['ZAB’s stats moved during the reads']),
        ...dashboardMismatches(shown, zabAfter).map((m) => `dashboard vs ZAB stats: ${m}`),
        ...PHASES.flatMap((phase) => ((zabAfter.perPhase[phase] ?? 0) === ledgerAfter[phase] ? [] : [`phase ${phase}: ZAB stats ${zabAfter.perPhase[phase] ?? 0}, ledger ${ledgerAfter[phase]}`])),
        ...(zabAfter.cases === ledgerCount ? [] : [`cases: ZAB stats ${zabAfter.cases}, ledger ${ledgerCount}`]),
        ...(JSON.stringify(shared(bamfStats)) === JSON.stringify(shared(zabAfter)) ? [] : [`BAMF stats ${JSON.stringify(shared(bamfStats))} ≠ ZAB stats ${JSON.stringify(shared(zabAfter))}`]),
      ];
      if (last.length === 0) {
        process.stdout.write(`live UI: dashboard = ZAB /stats = chaincode case records = BAMF /stats at ${ledgerCount} cases (attempt ${attempts})\n`);
        expect(zabAfter.perPhase.ENFORCEMENT ?? 0).toBeGreaterThanOrEqual(1);
        break;
      }
      if (Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    expect(last).toEqual([]);
    await expect(zabPage.locator('svg.chart[role="img"]').count()).resolves.toBeGreaterThanOrEqual(2);
    axeFound['dashboard (ZAB caseworker)'] = await axeScan(zabPage);
    await screenshot(zabPage, 'live-dashboard');
  });

  it('English on request: the case page in English, the choice kept, and back', async () => {
    await zabPage.getByRole('button', { name: 'Fälle' }).click();
    await zabPage.getByRole('heading', { level: 1, name: 'Fälle' }).waitFor();
    await zabPage.getByLabel('AZR-Nummer').fill(PERSON.azrNumber);
    await zabPage.getByRole('button', { name: 'Fall öffnen' }).click();
    await zabPage.locator(`.case[data-entries="${timelineLength}"]`).waitFor();
    await zabPage.getByRole('button', { name: 'Switch to English' }).click();
    await zabPage.getByRole('heading', { level: 1, name: `Case ${caseId}` }).waitFor();
    expect(await zabPage.getAttribute('html', 'lang')).toBe('en');
    expect(await zabPage.title()).toBe('Timeline – Asylum-procedure status ledger');
    await expect(zabPage.getByRole('heading', { level: 2, name: 'Timeline' }).count()).resolves.toBe(1);
    await expect(zabPage.locator(`ol.timeline > li[data-tx-id="${urgentTxId}"] h3`).textContent()).resolves.toContain('Urgent application filed');
    await expect(zabPage.locator('.panel--warnings li[data-warning-code="RET_URGENT_APPLICATION"]').textContent()).resolves.toContain('BLOCKING');
    await expect(zabPage.locator('.panel--warnings li[data-warning-code="RET_URGENT_APPLICATION"] .warning__acked').textContent()).resolves.toBe('Acknowledged by ZAB Saxony');
    axeFound['case (English)'] = await axeScan(zabPage);
    await screenshot(zabPage, 'live-case-english');
    await zabPage.reload();
    await zabPage.getByRole('heading', { level: 1, name: 'Cases' }).waitFor();
    expect(await zabPage.getAttribute('html', 'lang')).toBe('en');
    await zabPage.getByRole('button', { name: 'Auf Deutsch umschalten' }).click();
    await zabPage.getByRole('heading', { level: 1, name: 'Fälle' }).waitFor();
    expect(await zabPage.getAttribute('html', 'lang')).toBe('de');
  });

  it('a ZAB auditor signs in, reads the case’s timeline without identifying details, re-derives a receipt from ZAB’s blocks, and queries the access log on the audit view', async () => {
    const { zab } = gateways;
    const { page, watch } = await open('zab auditor', zab);
    await signIn(page, user('zab', 'auditor').token);
    await expect(page.getByLabel('AZR-Nummer').count()).resolves.toBe(0);
    await expect(page.getByRole('button', { name: 'Warnungen' }).count()).resolves.toBe(0);
    axeFound['cases (ZAB auditor)'] = await axeScan(page);
    // Auditors have no AZR search: the case is found in the list (paged by 50) by its identifier.
    const row = page.locator(`tr[data-case-id="${caseId}"]`);
    for (let i = 0; (await row.count()) === 0; i += 1) {
      const more = page.getByRole('button', { name: 'Weitere laden' });
      if (i > 200 || (await more.count()) === 0) throw new Error(`case ${caseId} is not in the auditor's case list`);
      const rows = await page.locator('tr[data-case-id]').count();
      await more.click();
      await page.waitForFunction((n) => (globalThis as unknown as { document: { querySelectorAll(s: string): { length: number } } }).document.querySelectorAll('tr[data-case-id]').length > n, rows);
    }
    await row.getByRole('button').click();
    await page.locator(`.case[data-entries="${timelineLength}"]`).waitFor();
    await expect(page.locator('#case-details').count()).resolves.toBe(0);
    const text = (await page.textContent('body')) ?? '';
    for (const value of [PERSON.familyName, PERSON.givenNames, PERSON.azrNumber, AZR_DIGITS, PERSON.bamfFileNumber]) expect(text).not.toContain(value);
    expect(watch.urls.some((u) => u.endsWith('/details'))).toBe(false);

    // Re-derived from the blocks of the same channel the timeline came from: it matches.
    const entry = page.locator(`ol.timeline > li[data-tx-id="${urgentTxId}"]`);
    await entry.locator('summary').click();
    await entry.getByRole('button', { name: 'Aus dem Ledger nachrechnen' }).click();
    const verdict = entry.locator('.rederive-result [data-match]');
    await verdict.waitFor({ timeout: 60_000 });
    await expect(verdict.textContent()).resolves.toContain('Stimmt überein');
    await expect(verdict.getAttribute('data-match')).resolves.toBe('true');
    axeFound['case with a re-derived receipt (ZAB auditor)'] = await axeScan(page);
    await screenshot(page, 'live-auditor-rederived');

    await page.getByRole('button', { name: 'Prüfung' }).click();
    await page.getByRole('heading', { level: 1, name: 'Prüfung' }).waitFor();
    await page.getByLabel('Fallkennzeichen (optional)').fill(caseId);
    await page.getByRole('button', { name: 'Abfragen' }).click();
    await page.locator('#access-log-result table').waitFor();
    const log = (await page.locator('#access-log-result').textContent()) ?? '';
    expect(log).toContain('Hash-Kette des Protokolls intakt.');
    // The ZAB caseworker's reads of this case (including the identifying details) are there, under their id.
    expect(log).toContain(user('zab', 'caseworker').userId);
    expect(log).toContain(user('zab', 'auditor').userId);
    axeFound['audit (ZAB auditor)'] = await axeScan(page);
    await screenshot(page, 'live-audit-access-log');
    expect(watch.pageErrors).toEqual([]);
  });

  it('axe-core found no WCAG 2.0/2.1 A/AA violation on any page; no page put the AZR number or a name into a URL; no script error or CSP violation', async () => {
    expect(Object.keys(axeFound).length).toBeGreaterThanOrEqual(9);
    expect(Object.entries(axeFound).flatMap(([name, vs]) => vs.map((v) => `${name}: ${v}`))).toEqual([]);
    expect(pages.map((p) => p.name)).toEqual(['zab caseworker', 'bamf caseworker', 'zab auditor']);
    for (const { name, page, watch } of pages) {
      const state = await page.evaluate(() => {
        const w = globalThis as unknown as PageGlobals;
        return JSON.stringify({ href: w.location.href, history: w.history.state, local: { ...w.localStorage }, session: { ...w.sessionStorage } });
      });
      const seen = [...watch.urls, page.url(), state].join('\n');
      for (const value of IDENTIFYING) expect([name, seen.includes(value) ? value : '']).toEqual([name, '']);
      expect([name, await page.evaluate(() => (globalThis as unknown as PageGlobals).__cspViolations)]).toEqual([name, []]);
      expect([name, watch.console.filter((m) => m.startsWith('error') || /Content Security Policy|Trusted Type/i.test(m))]).toEqual([name, []]);
      expect([name, watch.pageErrors]).toEqual([name, []]);
    }
    // Nor did either gateway log them.
    for (const gw of [gateways.bamf, gateways.zab]) for (const value of [PERSON.azrNumber, AZR_DIGITS, PERSON.familyName, PERSON.bamfFileNumber]) expect(gw.log()).not.toContain(value);
  });
});
