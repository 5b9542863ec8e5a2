import type { Harness } from './harness';
import { ID } from './fixtures';

/** Obviously fake court pseudonyms. */
export const COURT_A = `r${'a'.repeat(31)}`;

/** ZAB registers the case. */
export async function register(h: Harness, caseId: string, options: { transient?: Record<string, string> } = {}): Promise<void> {
  h.at('2026-01-05');
  await h.write(ID.zabAdapter, caseId, 'CASE_REGISTERED', { facility: 'AE-DD-TEST', registeredOn: '2026-01-05' }, options);
}

/** Registered, applied, heard, decided `outcome` on 2 February, served on 4 February 2026. */
export async function decidedAndServed(h: Harness, caseId: string, outcome: string): Promise<void> {
  await register(h, caseId);
  await h.write(ID.bamfAdapter, caseId, 'APPLICATION_FILED', { filedOn: '2026-01-06' });
  h.at('2026-01-10');
  await h.write(ID.bamfAdapter, caseId, 'HEARING_SCHEDULED', { hearingOn: '2026-01-20' });
  h.at('2026-01-20');
  await h.write(ID.bamfAdapter, caseId, 'HEARING_HELD', {});
  h.at('2026-02-02');
  await h.write(ID.bamfAdapter, caseId, 'DECISION_ISSUED', { outcome, decidedOn: '2026-02-02' });
  h.at('2026-02-04');
  await h.write(ID.bamfAdapter, caseId, 'DECISION_SERVED', { servedOn: '2026-02-04' });
}
