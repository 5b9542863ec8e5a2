/**
 * A projector process for the kill -9 test: projects N synthetic ledger entries into a classic-level
 * read model in `dir`, starting from the store's checkpoint, and reports progress on stdout.
 * Usage: tsx projector-child.ts <dir> <N>
 */
import type { LedgerEvents } from '../../src/ports/ledger-events';
import { LevelProjectionStore } from '../../src/readmodel/level-store';
import { ReadModel } from '../../src/readmodel/read-model';
import { DEFAULT_ORGS } from '../../src/ledger/memory-ledger';
import { entryAt } from '../readmodel/projection-store.compliance';

const [dir, total] = [process.argv[2] ?? '', Number(process.argv[3] ?? '0')];
const CASES = ['c' + 'a'.repeat(31), 'c' + 'b'.repeat(31), 'c' + 'c'.repeat(31)];

const events: LedgerEvents = {
  subscribe(after, handlers) {
    let closed = false;
    void (async () => {
      for (let b = after ? Number(after.blockNumber) + 1 : 1; b <= total && !closed; b++) {
        const caseId = CASES[b % CASES.length]!;
        await handlers.onEntry(entryAt(caseId, b, b <= CASES.length ? 'CASE_REGISTERED' : 'RECEPTION_ASSIGNED'));
        if (b % 20 === 0 || b === total) process.stdout.write(`applied ${b}\n`);
      }
    })();
    return { close: () => void (closed = true) };
  },
};

void (async () => {
  const store = await LevelProjectionStore.open(dir);
  const rm = new ReadModel({ store, events, orgs: DEFAULT_ORGS, agency: 'ZabSachsenMSP', now: () => new Date('2026-11-26T08:00:00Z') });
  await rm.start();
})();
