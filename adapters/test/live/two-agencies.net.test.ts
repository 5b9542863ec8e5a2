/**
 * Both case-system simulators and both adapters as child processes (`startAdapterSide`, the demo's entry point)
 * against both agencies' real gateways on the live Fabric network (ASL_TEST_KIND=net; `npm run network:up`
 * first). What `test/demo/two-agencies.int.test.ts` proves over the fake ledger, here on real peers: every
 * simulator step is on the ledger exactly once (both gateways' timelines, fed by each agency's own peer), every
 * partner event reached the other case system with its txId as nachrichtUUID, the ZAB system got the lost fax's
 * RETURN_CONFLICT notices and refused the return after its return check, BAMF got next-action notices, no dead
 * letters, and the reconciliation report of each side is clean. The ZAB adapter is killed with SIGKILL twice
 * while it delivers outbound (once right after the case system took its 5th message, before removing it from
 * its queue; once at an arbitrary moment) and restarted on the same data.
 *
 * Shares the network with other suites: fresh gateways (a throw-away pseudonym key, so case ids are new), fresh
 * adapter users, a random seed (step ids `sim-<seed>-…` and AZR numbers are new per run), free ports (never the
 * demo's 3001/3002/3101/3102/3201/3202). The adapters read each gateway's whole event stream from the start, so
 * the simulators also receive what other suites and earlier runs wrote: every check is on this run's cases.
 */
import { randomInt } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@asl/network/processes';
import { CaseIdResponseSchema } from '../../../gateway/src/api/schemas';
import { liveCall } from '../../../gateway/test/support/live-client';
import { eventually, registerUser, timelineOf, type LiveUser } from '../../../gateway/test/support/live-fixtures';
import { startLiveGateways, type LiveGateway, type LiveGateways } from '../../../gateway/test/support/live-gateways';
import { AGENCY_PROFILES, PROFILE_NAMES, type ProfileName } from '../../src/agencies/profiles';
import { HttpGatewayClient } from '../../src/core/gateway-client';
import { startAdapterSide, type AdapterSide } from '../../src/demo';
import { HttpGatewayReader } from '../../src/outbound/gateway-reader';
import { reconcile, type SentMessage } from '../../src/reconcile/reconcile';
import { generateScenario } from '../../src/simulator/scenario';
import type { ReceivedSummary, ReturnCheckRecord } from '../../src/simulator/simulator';
import { captureOutput, sideJson, waitUntil } from './live-side';

jest.setTimeout(600_000);

/** ≥ 100: 16-digit AZR numbers carrying eight seed digits (scenario.ts `fixtureAzrNumber`). */
const SEED = randomInt(100, 2 ** 31 - 1);
const CASES = 8;

interface Received {
  count: number;
  redeliveries: number;
  messages: ReceivedSummary[];
}
interface Status {
  done: boolean;
  ownSteps: number;
  sent: number;
  rejected: number;
  returnChecks: { planned: number; executed: number; refused: number; failed: number };
}

describe('two agencies on the live network: simulators and adapters as child processes over both real gateways', () => {
  let gateways: LiveGateways;
  let side: AdapterSide | undefined;
  const users = new Map<ProfileName, LiveUser>();
  const output = captureOutput();
  const today = new Date().toISOString().slice(0, 10);
  const scenario = generateScenario({ seed: SEED, count: CASES, today });
  const allSteps = scenario.flatMap((c) => c.steps);
  const home = mkdtempSync(join(tmpdir(), 'asl-adapters-live-'));
  /** This run's case ids (under the live gateways' throw-away pseudonym key) by case number. */
  const caseIds = new Map<number, string>();

  const gatewayOf = (p: ProfileName): LiveGateway => gateways[AGENCY_PROFILES[p].credentialsKey];
  const tokenOf = (p: ProfileName): string => {
    const u = users.get(p);
    if (u === undefined) throw new Error(`no ${p} adapter user`);
    return u.token;
  };
  const ours = (m: ReceivedSummary): boolean => m.caseId !== undefined && [...caseIds.values()].includes(m.caseId);

  beforeAll(async () => {
    gateways = await startLiveGateways();
    for (const p of PROFILE_NAMES) users.set(p, await registerUser(gatewayOf(p), 'adapter', 'adapters-live'));
    for (const c of scenario) {
      const r = await liveCall(gateways.zab.url, 'post', '/api/v1/case-ids', { token: tokenOf('zab'), body: { azrNumber: c.azrNumber } });
      expect(r.status).toBe(200);
      const answer = CaseIdResponseSchema.parse(r.body);
      // New per run: a random seed and a fresh pseudonym key.
      expect(answer.exists).toBe(false);
      caseIds.set(c.caseNo, answer.caseId);
    }
    process.stdout.write(`adapters live: seed ${SEED}, ${CASES} cases (${scenario.map((c) => c.flow).join(', ')}), ${allSteps.length} steps\n`);
  }, 240_000);

  afterAll(async () => {
    await side?.stop();
    await gateways?.stop();
    rmSync(home, { recursive: true, force: true });
  });

  it('every step on the ledger once, every partner event delivered with its txId, the lost fax refused, reconciliation clean — across two SIGKILLs of the ZAB adapter', async () => {
    const ports = async () => ({ inbound: await freePort(), simulator: await freePort() });
    side = await startAdapterSide({
      home,
      bamf: { gatewayUrl: gateways.bamf.url, token: tokenOf('maris') },
      zab: { gatewayUrl: gateways.zab.url, token: tokenOf('zab') },
      seed: SEED,
      cases: CASES,
      caseIntervalMs: 300,
      stepDelayMs: 20,
      today,
      actionsIntervalMs: 1_000,
      logLevel: 'warn',
      stdio: 'pipe',
      ports: { maris: await ports(), zab: await ports() },
      // The first ZAB adapter kills itself after the case system took its 5th outbound message, before
      // removing it from the queue: the redelivery window.
      adapterEnv: { zab: { ASL_FAULT_KILL_AFTER_OUTBOUND: '5' } },
    });
    const s = side;
    output.attach(s);
    const sim = (p: ProfileName): string => s.simulators[p].url;
    const received = (p: ProfileName) => sideJson<Received>(`${sim(p)}/received`);
    const status = (p: ProfileName) => sideJson<Status>(`${sim(p)}/status`);
    try {
      const firstZab = s.adapters.zab.child;
      await new Promise<void>((resolve) => (firstZab.exitCode !== null || firstZab.signalCode !== null ? resolve() : firstZab.once('exit', () => resolve())));
      expect(firstZab.signalCode).toBe('SIGKILL');
      const beforeRestart = await received('zab');
      await s.restartAdapter('zab');
      output.attach(s);

      // A second, arbitrary kill once more outbound messages have arrived.
      await waitUntil(async () => (await received('zab')).count >= beforeRestart.count + 5, 120_000, 'more ZAB outbound after the restart');
      s.adapters.zab.child.kill('SIGKILL');
      await new Promise<void>((resolve) => s.adapters.zab.child.once('exit', () => resolve()));
      await s.restartAdapter('zab');
      output.attach(s);

      const started = Date.now();
      await waitUntil(async () => (await status('zab')).done && (await status('maris')).done, 360_000, 'both simulators to send every step and decide every planned return');
      process.stdout.write(`adapters live: both simulators done ${Math.round((Date.now() - started) / 1000)} s after the second restart\n`);
      for (const p of PROFILE_NAMES) expect((await status(p)).rejected).toBe(0);

      // Every step exactly once on the ledger, written by its own agency — in both agencies' read models.
      const byStep = new Map(allSteps.map((st) => [st.id, st]));
      const txIds = new Map<string, string>();
      for (const p of PROFILE_NAMES) {
        for (const c of scenario) {
          const caseId = caseIds.get(c.caseNo) ?? '';
          const items = await eventually(
            () => timelineOf(gatewayOf(p), tokenOf(p), caseId),
            (t) => (t?.length ?? 0) >= c.steps.length,
            60_000,
          );
          expect(items?.map((i) => i.event.sourceMessageId).sort()).toEqual(c.steps.map((st) => st.id).sort());
          for (const item of items ?? []) {
            expect(item.actor.mspId).toBe(AGENCY_PROFILES[byStep.get(item.event.sourceMessageId)?.agency ?? 'maris'].mspId);
            const known = txIds.get(item.event.sourceMessageId);
            if (known !== undefined) expect(item.receipt.txId).toBe(known);
            txIds.set(item.event.sourceMessageId, item.receipt.txId);
          }
        }
      }

      // Every partner event reached the other case system, with the ledger txId as nachrichtUUID.
      for (const p of PROFILE_NAMES) {
        const partner = AGENCY_PROFILES[p].partnerMspId;
        const expected = allSteps.filter((st) => AGENCY_PROFILES[st.agency].mspId === partner).map((st) => st.id).sort();
        const events = async () => (await received(p)).messages.filter((m) => m.kind === 'event' && ours(m));
        await waitUntil(async () => (await events()).length >= expected.length, 60_000, `partner events at the ${p} simulator`);
        const got = await events();
        expect(got.map((m) => m.sourceMessageId).sort()).toEqual(expected);
        for (const m of got) {
          expect(m.nachrichtUUID).toBe(txIds.get(m.sourceMessageId ?? ''));
          expect(m.writer).toBe(partner);
        }
      }

      // The lost fax (case 1): ZAB's case system got RETURN_CONFLICT notices, the urgent application's among them,
      // and its return check refused the deportation for the urgent application.
      const lostFax = caseIds.get(1);
      const zabGot = await received('zab');
      const conflicts = zabGot.messages.filter((m) => m.kind === 'notice' && m.occasion === 'RETURN_CONFLICT' && m.caseId === lostFax);
      expect(conflicts.length).toBeGreaterThanOrEqual(2);
      expect(conflicts.some((m) => m.warnings?.includes('RET_URGENT_APPLICATION'))).toBe(true);
      const checks = (await sideJson<{ planned: number; checks: ReturnCheckRecord[] }>(`${sim('zab')}/return-checks`)).checks;
      const lostFaxCases = scenario.filter((c) => c.flow === 'lost-fax');
      expect(checks).toHaveLength(lostFaxCases.length);
      for (const c of lostFaxCases) {
        const check = checks.find((r) => r.caseNo === c.caseNo);
        expect(check).toMatchObject({ caseId: caseIds.get(c.caseNo), kind: 'DEPORTATION', outcome: 'refused' });
        expect(check?.blocking).toContain('RET_URGENT_APPLICATION');
      }
      // The adapters' POST /return-check answers as the real gateway does: the ZAB gateway's judgement (the same as
      // asking the gateway directly, apart from the evaluation instant), the BAMF gateway's FORBIDDEN_ROLE, and the
      // gateway's CASE_NOT_FOUND for a number no case has.
      const lostFaxAzr = scenario[0]?.azrNumber ?? '';
      const askAdapter = async (p: ProfileName, body: object) => {
        const res = await fetch(`${s.adapters[p].url}/return-check`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
        return { status: res.status, type: res.headers.get('content-type') ?? '', body: (await res.json()) as Record<string, unknown> };
      };
      const withoutTimes = (b: unknown): unknown => JSON.parse(JSON.stringify(b).replace(/"(evaluatedAt|openedAt)":"[^"]*"/g, '"$1":"-"'));
      const viaAdapter = await askAdapter('zab', { azrNumber: lostFaxAzr, kind: 'DEPORTATION' });
      const direct = await liveCall(gateways.zab.url, 'post', '/api/v1/cases/{caseId}/return-check', { token: tokenOf('zab'), params: { caseId: lostFax ?? '' }, body: { kind: 'DEPORTATION' } });
      expect(viaAdapter.status).toBe(200);
      expect(direct.status).toBe(200);
      expect(viaAdapter.body).toMatchObject({ caseId: lostFax, kind: 'DEPORTATION', blocked: true });
      expect(withoutTimes(viaAdapter.body)).toEqual(withoutTimes(direct.body));
      const bamfDirect = await liveCall(gateways.bamf.url, 'post', '/api/v1/cases/{caseId}/return-check', { token: tokenOf('maris'), params: { caseId: lostFax ?? '' }, body: { kind: 'DEPORTATION' } });
      const viaMaris = await askAdapter('maris', { azrNumber: lostFaxAzr, kind: 'DEPORTATION' });
      expect(bamfDirect).toMatchObject({ status: 403, body: { code: 'FORBIDDEN_ROLE' } });
      expect(viaMaris).toMatchObject({ status: 403, body: { status: 403, code: 'FORBIDDEN_ROLE' } });
      expect(viaMaris.type).toContain('application/problem+json');
      expect(await askAdapter('zab', { azrNumber: '999 0000 0000 0000', kind: 'DEPORTATION' })).toMatchObject({ status: 404, body: { code: 'CASE_NOT_FOUND' } });
      expect(await askAdapter('zab', { azrNumber: '12-AB', kind: 'DEPORTATION' })).toMatchObject({ status: 400, body: { code: 'INVALID_INPUT' } });

      // Next actions reached BAMF's case system for this run's cases.
      expect((await received('maris')).messages.some((m) => m.kind === 'notice' && m.occasion === 'ACTIONS_CHANGED' && ours(m))).toBe(true);

      // No dead letters at either adapter.
      for (const p of PROFILE_NAMES) {
        const letters = await sideJson<{ deadLetters: unknown[] }>(`${s.adapters[p].url}/admin/dead-letters`, { authorization: `Bearer ${s.adapters[p].operatorToken}` });
        expect(letters.deadLetters).toEqual([]);
      }

      // The reconciliation report of each side over what its simulator says it sent: everything matches.
      for (const p of PROFILE_NAMES) {
        const gw = gatewayOf(p);
        const sent = (await sideJson<{ messages: SentMessage[] }>(`${sim(p)}/sent`)).messages;
        expect(sent).toHaveLength(allSteps.filter((st) => st.agency === p).length);
        const report = await reconcile({
          agency: gw.mspId,
          sent,
          gateway: new HttpGatewayClient({ baseUrl: gw.url, token: tokenOf(p), timeoutMs: 10_000 }),
          reader: new HttpGatewayReader({ baseUrl: gw.url, token: tokenOf(p), timeoutMs: 10_000 }),
        });
        expect(report).toMatchObject({ missing: [], extra: [], mismatched: [], unreadable: 0, matched: sent.length });
      }

      // The deterministic kill came after a delivery and before its removal: that message came again, same id.
      expect(zabGot.redeliveries).toBeGreaterThanOrEqual(1);
      const marisGot = await received('maris');
      process.stdout.write(
        `adapters live: ZAB system received ${zabGot.count} messages (${zabGot.messages.filter(ours).length} about this run's cases, ${zabGot.redeliveries} redelivered), ` +
          `BAMF system ${marisGot.count} (${marisGot.messages.filter(ours).length} about this run's cases); return checks: ${checks.map((r) => `${r.outcome} (${r.blocking.join(', ')})`).join('; ')}\n`,
      );
    } catch (error) {
      process.stderr.write(`adapters live: end of the children's output:\n${output.tail(60)}\n`);
      throw error;
    }
  });
});
