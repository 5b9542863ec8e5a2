import './support/quiet-logs';
import { TRANSACTIONS } from '../../src/contract/names';
import { CaseAnswerSchema, ListCasesAnswerSchema, TimelineAnswerSchema, WriteAnswerSchema } from '../../src/domain';
import { Harness } from './support/harness';
import { ID, fakeCaseId } from './support/fixtures';
import { decidedAndServed, register } from './support/scenarios';

const CASE = fakeCaseId(1);

describe('GetCase', () => {
  it('answers the cached view with the open event-rule warnings only', async () => {
    const h = new Harness();
    await decidedAndServed(h, CASE, 'REJECTED_MANIFESTLY_UNFOUNDED');
    const view = await h.ok(CaseAnswerSchema, ID.bamfAuditor, TRANSACTIONS.GetCase, { caseId: CASE });
    expect(view).toMatchObject({ caseId: CASE, phase: 'DECIDED', outcome: 'REJECTED_MANIFESTLY_UNFOUNDED', eventCount: 6 });
    expect(view.warnings.every((w) => !w.clock)).toBe(true);
  });

  it('is CASE_NOT_FOUND for an unknown case and INVALID_INPUT for a malformed caseId', async () => {
    const h = new Harness();
    expect((await h.refused(ID.bamfCaseworker, TRANSACTIONS.GetCase, { caseId: CASE })).code).toBe('CASE_NOT_FOUND');
    expect((await h.refused(ID.bamfCaseworker, TRANSACTIONS.GetCase, { caseId: 'AZR-123' })).code).toBe('INVALID_INPUT');
    expect((await h.refused(ID.bamfCaseworker, TRANSACTIONS.GetCase, { caseId: CASE, extra: 1 })).code).toBe('INVALID_INPUT');
  });
});

describe('GetTimeline', () => {
  it('lists events in ledger order with receipts, marks retracted ones, and pages by position', async () => {
    const h = new Harness();
    await register(h, CASE);
    const filed = await h.write(ID.bamfAdapter, CASE, 'APPLICATION_FILED', { filedOn: '2026-01-06' });
    await h.write(ID.bamfCaseworker, CASE, 'EVENT_RETRACTED', { retractedTxId: filed.event.txId, retractionReason: 'TEST-ERROR' });
    await h.write(ID.bamfAdapter, CASE, 'APPLICATION_FILED', { filedOn: '2026-01-07' });

    const first = await h.ok(TimelineAnswerSchema, ID.zabAuditor, TRANSACTIONS.GetTimeline, { caseId: CASE, pageSize: 2 });
    expect(first.items.map((i) => [i.position, i.event.type, i.retracted])).toEqual([
      [0, 'CASE_REGISTERED', false],
      [1, 'APPLICATION_FILED', true],
    ]);
    expect(first.items[1]?.receipt).toEqual({ txId: filed.event.txId, recordedAt: filed.event.recordedAt, writer: filed.event.actor, ruleVersion: filed.event.ruleVersion });
    expect(first.bookmark).toBe('2');
    const rest = await h.ok(TimelineAnswerSchema, ID.zabAuditor, TRANSACTIONS.GetTimeline, { caseId: CASE, pageSize: 2, bookmark: first.bookmark });
    expect(rest.items.map((i) => [i.position, i.event.type, i.retracted])).toEqual([
      [2, 'EVENT_RETRACTED', false],
      [3, 'APPLICATION_FILED', false],
    ]);
    expect(rest.bookmark).toBeUndefined();
  });

  it('refuses a bookmark that is not a position', async () => {
    const h = new Harness();
    await register(h, CASE);
    expect((await h.refused(ID.zabAuditor, TRANSACTIONS.GetTimeline, { caseId: CASE, bookmark: '\u0000event' })).code).toBe('INVALID_INPUT');
    expect((await h.refused(ID.zabAuditor, TRANSACTIONS.GetTimeline, { caseId: CASE, pageSize: 101 })).code).toBe('INVALID_INPUT');
  });
});

describe('GetWrite', () => {
  it('finds the write of the caller’s organisation, or of a given organisation', async () => {
    const h = new Harness();
    await h.write(ID.zabAdapter, CASE, 'CASE_REGISTERED', { facility: 'AE-DD-TEST', registeredOn: '2026-01-05' }, { sourceMessageId: 'zab-0001' });
    const own = await h.ok(WriteAnswerSchema, ID.zabCaseworker, TRANSACTIONS.GetWrite, { sourceMessageId: 'zab-0001' });
    expect(own).toMatchObject({ mspId: 'ZabSachsenMSP', caseId: CASE, event: { type: 'CASE_REGISTERED' } });
    expect(own.contentHash).toMatch(/^[0-9a-f]{64}$/);
    const given = await h.ok(WriteAnswerSchema, ID.bamfAuditor, TRANSACTIONS.GetWrite, { sourceMessageId: 'zab-0001', mspId: 'ZabSachsenMSP' });
    expect(given.receipt).toEqual(own.receipt);
    expect((await h.refused(ID.bamfAuditor, TRANSACTIONS.GetWrite, { sourceMessageId: 'zab-0001' })).code).toBe('CASE_NOT_FOUND');
  });
});

describe('ListCases', () => {
  it('pages through a phase with case-id bookmarks', async () => {
    const h = new Harness();
    const ids = [1, 2, 3, 4, 5].map(fakeCaseId);
    for (const id of ids) await register(h, id);
    const seen: string[] = [];
    let bookmark: string | undefined;
    let pages = 0;
    do {
      const page = await h.ok(ListCasesAnswerSchema, ID.zabCaseworker, TRANSACTIONS.ListCases, { phase: 'INTAKE', pageSize: 2, ...(bookmark && { bookmark }) });
      seen.push(...page.items.map((i) => i.caseId));
      for (const item of page.items) expect(item.view.phase).toBe('INTAKE');
      bookmark = page.bookmark;
      pages += 1;
    } while (bookmark !== undefined);
    expect(seen).toEqual([...ids].sort());
    expect(pages).toBe(3);
  });

  it('answers an empty page for a phase or warning no case is in (the peer then sends no page metadata)', async () => {
    const h = new Harness();
    await register(h, fakeCaseId(1));
    expect(await h.ok(ListCasesAnswerSchema, ID.zabCaseworker, TRANSACTIONS.ListCases, { phase: 'CLOSED' })).toEqual({ items: [] });
    expect(await h.ok(ListCasesAnswerSchema, ID.bamfAuditor, TRANSACTIONS.ListCases, { warning: 'RET_DEPORTATION_STAY' })).toEqual({ items: [] });
    expect((await h.ok(ListCasesAnswerSchema, ID.zabCaseworker, TRANSACTIONS.ListCases, { phase: 'INTAKE' })).items).toHaveLength(1);
  });

  it('needs exactly one of phase and warning, a known code, and a case-id bookmark', async () => {
    const h = new Harness();
    for (const arg of [{}, { phase: 'INTAKE', warning: 'RET_DEPORTATION_STAY' }, { phase: 'SOMEWHERE' }, { warning: 'NOT_A_RULE' }, { phase: 'INTAKE', bookmark: 'x' }, { phase: 'INTAKE', pageSize: 0 }]) {
      expect((await h.refused(ID.zabCaseworker, TRANSACTIONS.ListCases, arg)).code).toBe('INVALID_INPUT');
    }
  });
});

describe('read access', () => {
  it.each([
    ['no role', ID.zabNoRole],
    ['an unknown role', ID.zabBadRole],
    ['an MSP outside the directory', ID.foreign],
  ])('refuses %s with FORBIDDEN_ROLE on every public read', async (_label, identity) => {
    const h = new Harness();
    await register(h, CASE);
    for (const [tx, arg] of [
      [TRANSACTIONS.GetCase, { caseId: CASE }],
      [TRANSACTIONS.GetTimeline, { caseId: CASE }],
      [TRANSACTIONS.GetWrite, { sourceMessageId: 'x' }],
      [TRANSACTIONS.ListCases, { phase: 'INTAKE' }],
    ] as const) {
      expect((await h.refused(identity, tx, arg)).code).toBe('FORBIDDEN_ROLE');
    }
  });

  it('lets every role read public state', async () => {
    const h = new Harness();
    await register(h, CASE);
    for (const identity of [ID.bamfAdapter, ID.bamfCaseworker, ID.bamfAuditor, ID.bamfAdmin]) {
      await h.ok(CaseAnswerSchema, identity, TRANSACTIONS.GetCase, { caseId: CASE });
    }
  });
});
