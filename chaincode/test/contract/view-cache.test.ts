import './support/quiet-logs';
import { caseViewAt, StoredEventSchema } from '../../src/domain';
import { CaseRecordSchema } from '../../src/contract/case-ledger';
import { ORG_DIRECTORY } from '../../src/contract/org-directory';
import { Harness } from './support/harness';
import { ID, fakeCaseId } from './support/fixtures';
import { COURT_A, decidedAndServed } from './support/scenarios';

const decode = (bytes: Uint8Array): unknown => JSON.parse(new TextDecoder().decode(bytes));

/** domain.md §4: a stored view is a cache of the one fold; rebuilt from the stored events it is the same. */
describe('the stored view cache', () => {
  it('equals the fold of the stored events at the last write', async () => {
    const h = new Harness();
    const CASE = fakeCaseId(1);
    await decidedAndServed(h, CASE, 'REJECTED_MANIFESTLY_UNFOUNDED');
    h.at('2026-02-09');
    await h.write(ID.zabAdapter, CASE, 'RETURN_SCHEDULED', { kind: 'DEPORTATION' });
    await h.write(ID.bamfAdapter, CASE, 'URGENT_APPLICATION_FILED', { court: 'VG-DD-TEST', courtRef: COURT_A, filedOn: '2026-02-09' });
    const events = [...h.ledger.state.entries()]
      .filter(([k]) => k.startsWith('\u0000event\u0000'))
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([, v]) => StoredEventSchema.parse(decode(v)));
    const [, recordBytes] = [...h.ledger.state.entries()].find(([k]) => k.startsWith('\u0000case\u0000'))!;
    const record = CaseRecordSchema.parse(decode(recordBytes));
    const last = events[events.length - 1]!;
    expect(record.eventCount).toBe(events.length);
    expect(record.view).toEqual(caseViewAt(events, last.recordedAt, ORG_DIRECTORY, { clock: false }));
  });
});
