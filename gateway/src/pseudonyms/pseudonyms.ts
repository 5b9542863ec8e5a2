import { candidateCaseIds, courtRefFor, type KeyEpoch } from '@asl/chaincode/domain';

/**
 * Pseudonyms with the agency's key file (domain.md §2). Key epochs: every live version is tried newest
 * first and an existing case under an older version wins; a new case takes the newest.
 */
export class Pseudonyms {
  constructor(private readonly keys: readonly KeyEpoch[]) {}

  async caseIdFor(azrNumber: string, exists: (caseId: string) => Promise<boolean>): Promise<{ caseId: string; keyVersion: string; exists: boolean }> {
    const candidates = candidateCaseIds(this.keys, azrNumber);
    for (const c of candidates) if (await exists(c.caseId)) return { caseId: c.caseId, keyVersion: c.version, exists: true };
    const newest = candidates[0];
    if (newest === undefined) throw new Error('no key versions');
    return { caseId: newest.caseId, keyVersion: newest.version, exists: false };
  }

  /** The courtRef under the newest key (court proceedings are keyed when first reported). */
  courtRefFor(court: string, fileNumber: string): { courtRef: string; keyVersion: string } {
    const newest = this.keys[0];
    if (newest === undefined) throw new Error('no key versions');
    return { courtRef: courtRefFor(newest.key, court, fileNumber), keyVersion: newest.version };
  }
}
