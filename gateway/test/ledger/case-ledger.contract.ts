import { randomBytes } from 'node:crypto';
import { DomainError, VALUE_LIST_NAMES, type ErrorCode } from '@asl/chaincode/domain';
import type { Caller, CaseLedger, LedgerEntry } from '../../src/ports/case-ledger';
import type { LedgerCheckpoint, LedgerEvents, Subscription } from '../../src/ports/ledger-events';

/** What the contract suite needs from an implementation: both agencies' ports and enrolled callers. */
export interface LedgerFixture {
  readonly bamf: CaseLedger;
  readonly zab: CaseLedger;
  readonly events: LedgerEvents;
  readonly callers: {
    readonly zabAdapter: Caller;
    readonly zabCaseworker: Caller;
    readonly zabAdmin: Caller;
    readonly bamfAdapter: Caller;
    readonly bamfCaseworker: Caller;
    readonly bamfAuditor: Caller;
  };
  close(): Promise<void>;
}

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';
/** A random, well-formed caseId (a fresh case on a shared network). */
export function randomCaseId(): string {
  return 'c' + [...randomBytes(31)].map((b) => BASE32[b % 32]).join('');
}
const msg = () => `contract-${randomBytes(8).toString('hex')}`;
const at = '2026-11-26T09:00:00+01:00';

async function codeOf(p: Promise<unknown>): Promise<ErrorCode | 'OK'> {
  try {
    await p;
    return 'OK';
  } catch (e) {
    if (e instanceof DomainError) return e.code;
    throw e;
  }
}

/**
 * The behaviour of every {@link CaseLedger}: the in-memory channel runs it in unit tests, the
 * fabric-gateway implementation against the running network (`*.net.test.ts`).
 */
export function caseLedgerContract(name: string, setup: () => Promise<LedgerFixture>, timeoutMs = 5000): void {
  describe(`CaseLedger contract: ${name}`, () => {
    let f: LedgerFixture;
    /** Subscriptions still open, closed after the suite even when a test gave up waiting on one. */
    const subscriptions = new Set<Subscription>();
    beforeAll(async () => {
      f = await setup();
    }, 120_000);
    afterAll(() => {
      subscriptions.forEach((s) => s.close());
      return f.close();
    });

    /** The first `count` entries of `caseId` after `from`; the subscription is closed once they arrived or the stream failed. */
    async function entriesOf(caseId: string, from: LedgerCheckpoint, count: number): Promise<LedgerEntry[]> {
      const seen: LedgerEntry[] = [];
      let sub: Subscription | undefined;
      try {
        await new Promise<void>((resolve, reject) => {
          sub = f.events.subscribe(from, {
            onEntry: (e) => {
              if (e.event.caseId === caseId) seen.push(e);
              if (seen.length === count) resolve();
              return Promise.resolve();
            },
            onError: reject,
          });
          subscriptions.add(sub);
        });
      } finally {
        if (sub) {
          sub.close();
          subscriptions.delete(sub);
        }
      }
      return seen;
    }

    const register = (caseId: string, sourceMessageId = msg()) =>
      f.zab.submitEvent(f.callers.zabAdapter, { caseId, type: 'CASE_REGISTERED', occurredAt: at, sourceMessageId, data: { facility: 'AE-DD-TEST', registeredOn: '2026-11-25' } }, { familyName: 'Testperson' });

    it('commits an event with a complete receipt; both agencies read the same case and timeline', async () => {
      const caseId = randomCaseId();
      const before = await f.zab.blockHeight();
      const w = await register(caseId);
      expect(w.alreadyApplied).toBe(false);
      expect(w.receipt).toMatchObject({ validationCode: 'VALID', endorsers: ['BamfMSP', 'ZabSachsenMSP'], writer: { mspId: 'ZabSachsenMSP', role: 'adapter' } });
      expect(BigInt(w.receipt.blockNumber)).toBeGreaterThanOrEqual(before);
      expect(w.event).toMatchObject({ caseId, type: 'CASE_REGISTERED', txId: w.receipt.txId });
      expect(await f.bamf.caseExists(f.callers.bamfAuditor, caseId)).toBe(true);
      expect((await f.bamf.getCase(f.callers.bamfAuditor, caseId))?.phase).toBe('INTAKE');
      const a = await f.zab.getTimeline(f.callers.zabCaseworker, caseId);
      const b = await f.bamf.getTimeline(f.callers.bamfCaseworker, caseId);
      expect(a).toEqual(b);
      expect(a?.map((e) => e.receipt.txId)).toEqual([w.receipt.txId]);
    }, timeoutMs);

    it('answers a repeated sourceMessageId with the original receipt and a changed one with IDEMPOTENCY_CONFLICT', async () => {
      const caseId = randomCaseId();
      const id = msg();
      const first = await register(caseId, id);
      const again = await register(caseId, id);
      expect(again.alreadyApplied).toBe(true);
      expect(again.receipt).toEqual(first.receipt);
      expect((await f.zab.getWrite(f.callers.zabAdapter, id))?.receipt).toEqual(first.receipt);
      const changed = f.zab.submitEvent(f.callers.zabAdapter, { caseId, type: 'CASE_REGISTERED', occurredAt: at, sourceMessageId: id, data: { facility: 'AE-C-TEST', registeredOn: '2026-11-25' } });
      expect(await codeOf(changed)).toBe('IDEMPOTENCY_CONFLICT');
    }, timeoutMs);

    it('refuses what the rules refuse: role, ownership, missing case, precondition', async () => {
      const caseId = randomCaseId();
      expect(await codeOf(f.bamf.submitEvent(f.callers.bamfAdapter, { caseId, type: 'CASE_REGISTERED', occurredAt: at, sourceMessageId: msg(), data: { facility: 'AE-DD-TEST', registeredOn: '2026-11-25' } }))).toBe('NOT_OWNER');
      expect(await codeOf(f.bamf.submitEvent(f.callers.bamfAdapter, { caseId, type: 'APPLICATION_FILED', occurredAt: at, sourceMessageId: msg(), data: { filedOn: '2026-11-26' } }))).toBe('CASE_NOT_FOUND');
      await register(caseId);
      expect(await codeOf(f.bamf.submitEvent(f.callers.bamfAuditor, { caseId, type: 'APPLICATION_FILED', occurredAt: at, sourceMessageId: msg(), data: { filedOn: '2026-11-26' } }))).toBe('FORBIDDEN_ROLE');
      expect(await codeOf(f.bamf.submitEvent(f.callers.bamfAdapter, { caseId, type: 'HEARING_HELD', occurredAt: at, sourceMessageId: msg(), data: {} }))).toBe('PRECONDITION_FAILED');
    }, timeoutMs);

    it('reads the seeded value lists and judges codes against the version in force (strict)', async () => {
      const { items } = await f.bamf.listValueLists(f.callers.bamfAuditor);
      expect(items.map((i) => i.list)).toEqual([...VALUE_LIST_NAMES]);
      for (const item of items) expect(item.inForce?.version).toBeGreaterThanOrEqual(1);
      const facility = await f.zab.getValueList(f.callers.zabCaseworker, 'facility');
      expect(facility.status).toBe('IN_FORCE');
      expect(facility.entries.map((e) => e.code)).toContain('AE-DD-TEST');
      expect(await codeOf(f.zab.getValueList(f.callers.zabCaseworker, 'facility', 999_999_999))).toBe('CASE_NOT_FOUND');
      const diff = await f.zab.diffValueLists(f.callers.zabCaseworker, 'facility', 1, 1);
      expect([diff.added, diff.removed, diff.changed, diff.replaced]).toEqual([[], [], [], []]);
      const caseId = randomCaseId();
      await register(caseId);
      const unknown = f.zab.submitEvent(f.callers.zabAdapter, { caseId, type: 'RECEPTION_ASSIGNED', occurredAt: at, sourceMessageId: msg(), data: { facility: 'AE-NOWHERE-TEST' } });
      expect(await codeOf(unknown)).toBe('UNKNOWN_CODE_VALUE');
      expect(await codeOf(f.zab.proposeValueList(f.callers.zabCaseworker, { list: 'facility', version: facility.version + 1, entries: facility.entries }))).toBe('FORBIDDEN_ROLE');
    }, timeoutMs);

    it('keeps caseDetails per agency, erases them on purge, and records the purge', async () => {
      const caseId = randomCaseId();
      await register(caseId);
      await f.bamf.submitEvent(f.callers.bamfCaseworker, { caseId, type: 'APPLICATION_FILED', occurredAt: at, sourceMessageId: msg(), data: { filedOn: '2026-11-26' } }, { bamfFileNumber: '1234567-999' });
      const details = await f.zab.getCaseDetails(f.callers.zabCaseworker, caseId);
      expect(details.map((d) => [d.agency, d.state])).toEqual([['BamfMSP', 'present'], ['ZabSachsenMSP', 'present']]);
      const purge = await f.zab.purge(f.callers.zabAdmin, { caseId, collection: 'caseDetails', sourceMessageId: msg(), occurredAt: at });
      expect(purge.event.type).toBe('PERSONAL_DATA_PURGED');
      expect((await f.bamf.getCaseDetails(f.callers.bamfCaseworker, caseId)).map((d) => d.state)).toEqual(['erased', 'erased']);
    }, timeoutMs);

    it('writes zabEnforcement at ZAB only, without a timeline entry', async () => {
      const caseId = randomCaseId();
      await register(caseId);
      const r = await f.zab.putEnforcement(f.callers.zabCaseworker, caseId, { kind: 'DEPORTATION', scheduledOn: '2027-01-15' });
      expect(r.blockNumber).toMatch(/^\d+$/);
      expect((await f.zab.getTimeline(f.callers.zabCaseworker, caseId))?.length).toBe(1);
      expect(await codeOf(f.bamf.putEnforcement(f.callers.bamfCaseworker, caseId, { kind: 'DEPORTATION', scheduledOn: '2027-01-15' }))).not.toBe('OK');
    }, timeoutMs);

    it('delivers committed events in ledger order and resumes after a checkpoint', async () => {
      const caseId = randomCaseId();
      const w1 = await register(caseId);
      const w2 = await f.bamf.submitEvent(f.callers.bamfAdapter, { caseId, type: 'APPLICATION_FILED', occurredAt: at, sourceMessageId: msg(), data: { filedOn: '2026-11-26' } });
      const seen = await entriesOf(caseId, { blockNumber: (BigInt(w1.receipt.blockNumber) - 1n).toString(), txIndex: Number.MAX_SAFE_INTEGER }, 2);
      expect(seen.map((e) => e.receipt.txId)).toEqual([w1.receipt.txId, w2.receipt.txId]);
      const after = await entriesOf(caseId, { blockNumber: w1.receipt.blockNumber, txIndex: w1.receipt.txIndex }, 1);
      expect(after.map((e) => e.receipt.txId)).toEqual([w2.receipt.txId]);
    }, timeoutMs);
  });
}
