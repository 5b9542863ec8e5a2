import { Keys, sequenceAttribute } from '../../src/contract/keys';
import { scanPage } from '../../src/contract/pagination';
import { encodeState } from '../../src/contract/state-codec';
import { FakeLedger } from './support/fake-stub';
import { fakeCaseId } from './support/fixtures';

describe('keys', () => {
  it('are composite keys in distinct families', () => {
    const stub = new FakeLedger().begin();
    const keys = new Keys(stub);
    const id = fakeCaseId(1);
    const all = [keys.case(id), keys.event(id, 0), keys.write('BamfMSP', 'm-1'), keys.phaseIndex('INTAKE', id), keys.warningIndex('RET_DEPORTATION_STAY', id)];
    for (const k of all) expect(k.startsWith('\u0000')).toBe(true);
    expect(new Set(all.map((k) => stub.splitCompositeKey(k).objectType)).size).toBe(all.length);
  });

  it('order events by position', () => {
    expect(sequenceAttribute(9) < sequenceAttribute(10)).toBe(true);
    expect(() => sequenceAttribute(-1)).toThrow(RangeError);
    expect(() => sequenceAttribute(1.5)).toThrow(RangeError);
  });
});

describe('scanPage', () => {
  async function seed(n: number): Promise<{ ledger: FakeLedger; ids: string[] }> {
    const ledger = new FakeLedger();
    const stub = ledger.begin();
    const keys = new Keys(stub);
    const ids = Array.from({ length: n }, (_, i) => fakeCaseId(i)).sort();
    for (const id of ids) await stub.putState(keys.phaseIndex('INTAKE', id), encodeState({ caseId: id }));
    await stub.putState(keys.phaseIndex('PROCEDURE', fakeCaseId(999)), encodeState({ caseId: fakeCaseId(999) }));
    ledger.commit(stub);
    return { ledger, ids };
  }

  it('pages through one family member in key order with case-id bookmarks', async () => {
    const { ledger, ids } = await seed(5);
    const stub = ledger.begin();
    const first = await scanPage(stub, 'phase', ['INTAKE'], 2, undefined);
    expect(first.items.map((i) => i.attribute)).toEqual(ids.slice(0, 2));
    expect(first.bookmark).toBe(ids[2]);
    const second = await scanPage(stub, 'phase', ['INTAKE'], 2, first.bookmark);
    expect(second.items.map((i) => i.attribute)).toEqual(ids.slice(2, 4));
    const last = await scanPage(stub, 'phase', ['INTAKE'], 2, second.bookmark);
    expect(last.items.map((i) => i.attribute)).toEqual(ids.slice(4));
    expect(last.bookmark).toBeUndefined();
  });

  it('reads an empty family member as an empty page without a bookmark', async () => {
    const { ledger } = await seed(2);
    expect(await scanPage(ledger.begin(), 'phase', ['CLOSED'], 10, undefined)).toEqual({ items: [] });
  });

  it('never leaves the scanned family, whatever the bookmark', async () => {
    const { ledger } = await seed(2);
    const page = await scanPage(ledger.begin(), 'phase', ['INTAKE'], 10, 'zzzz');
    expect(page.items).toEqual([]);
  });
});
