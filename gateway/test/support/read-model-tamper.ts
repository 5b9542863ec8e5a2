/**
 * Alters a stopped gateway's read model on disk, as someone with access to its data folder could: the view a
 * gateway serves then disagrees with the blocks, which is what the auditor's re-derivation must reveal. Only for
 * tests; the gateway must not run (classic-level locks a store while it is open).
 */
import { join } from 'node:path';
import { ClassicLevel } from 'classic-level';
import type { LedgerEntry } from '../../src/ports/case-ledger';
import { LevelProjectionStore } from '../../src/readmodel/level-store';

/** The read-model store of a gateway's data folder (`src/server.ts`: `<dataDir>/read-model`). */
export const readModelDir = (dataDir: string): string => join(dataDir, 'read-model');

/**
 * Replaces the stored entry of `caseId` whose receipt names `txId` with `alter(entry)`, under the same key (so its
 * place in the case's ledger order and the store's checkpoint stay as they were), and returns the case's entries as
 * the store's own code (`LevelProjectionStore.caseEntries`) reads them afterwards. Throws when no such entry is
 * stored. The entry keys are `LevelProjectionStore`'s (`c:<caseId>:<block>:<txIndex>`); the stream items (`s:`)
 * keep the original, as a tamperer who rewrote only the case's history would leave them.
 */
export async function alterStoredEntry(dataDir: string, caseId: string, txId: string, alter: (entry: LedgerEntry) => LedgerEntry): Promise<readonly LedgerEntry[]> {
  const db = new ClassicLevel<string, string>(readModelDir(dataDir), { valueEncoding: 'utf8', createIfMissing: false });
  await db.open();
  try {
    let found: [string, LedgerEntry] | undefined;
    for await (const [key, value] of db.iterator({ gt: `c:${caseId}:`, lt: `c:${caseId};` })) {
      const entry = JSON.parse(value) as LedgerEntry;
      if (entry.receipt.txId === txId) found = [key, entry];
    }
    if (found === undefined) throw new Error(`the read model in ${dataDir} holds no entry of ${txId} for case ${caseId}`);
    await db.put(found[0], JSON.stringify(alter(found[1])));
  } finally {
    await db.close();
  }
  const store = await LevelProjectionStore.open(readModelDir(dataDir));
  try {
    return (await store.caseEntries(caseId)) ?? [];
  } finally {
    await store.close();
  }
}
