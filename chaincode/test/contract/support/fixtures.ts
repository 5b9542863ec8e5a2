import { createHash } from 'node:crypto';
import type { FakeIdentitySpec } from './fake-stub';

/** Obviously fake identities, one per MSP and role. */
export const ID = {
  bamfAdapter: { mspId: 'BamfMSP', enrollmentId: 'maris-adapter-01', role: 'adapter' },
  bamfCaseworker: { mspId: 'BamfMSP', enrollmentId: 'B-4711', role: 'caseworker' },
  bamfAuditor: { mspId: 'BamfMSP', enrollmentId: 'B-AUD-1', role: 'auditor' },
  bamfAdmin: { mspId: 'BamfMSP', enrollmentId: 'B-ADM-1', role: 'admin' },
  zabAdapter: { mspId: 'ZabSachsenMSP', enrollmentId: 'zab-adapter-01', role: 'adapter' },
  zabCaseworker: { mspId: 'ZabSachsenMSP', enrollmentId: 'Z-0815', role: 'caseworker' },
  zabAuditor: { mspId: 'ZabSachsenMSP', enrollmentId: 'Z-AUD-1', role: 'auditor' },
  zabAdmin: { mspId: 'ZabSachsenMSP', enrollmentId: 'Z-ADM-1', role: 'admin' },
  zabNoRole: { mspId: 'ZabSachsenMSP', enrollmentId: 'Z-0000' },
  zabBadRole: { mspId: 'ZabSachsenMSP', enrollmentId: 'Z-0001', role: 'superuser' },
  foreign: { mspId: 'OrdererMSP', enrollmentId: 'orderer-admin', role: 'admin' },
} as const satisfies Record<string, FakeIdentitySpec>;

/** A syntactically valid, obviously fake case pseudonym. */
export function fakeCaseId(n: number): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  const digest = createHash('sha256').update(`fake-case-${n}`).digest();
  let out = 'c';
  for (let i = 0; i < 31; i += 1) out += alphabet[(digest[i] ?? 0) % 32];
  return out;
}

/** A fixed, obviously fake 32-byte salt. */
export const SALT_A = Buffer.alloc(32, 0xa5).toString('base64');
export const SALT_B = Buffer.alloc(32, 0x5a).toString('base64');

/** Personal-data fixture values: none of them may ever appear in public state, events or errors. */
export const PERSONAL = {
  familyName: 'Mustermann-Fiktiv',
  givenNames: 'Erika Testperson',
  dateOfBirth: '1991-07-14',
  azrNumber: '019.283.746.55',
  azrDigits: '01928374655',
  bamfFileNumber: '7712345-438',
  courtFileNumber: '13 K 4711/25.A',
  courtFileNumberUpper: '13K4711/25.A',
  zabScheduledOn: '2025-11-27',
} as const;

/** BAMF's caseDetails transient document with the personal fixtures. */
export function bamfDetails(): string {
  return JSON.stringify({
    salt: SALT_A,
    familyName: PERSONAL.familyName,
    givenNames: PERSONAL.givenNames,
    dateOfBirth: PERSONAL.dateOfBirth,
    nationality: 'XXA',
    azrNumber: PERSONAL.azrNumber,
    bamfFileNumber: PERSONAL.bamfFileNumber,
    courtFiles: [{ court: 'VG_DRESDEN', fileNumber: PERSONAL.courtFileNumber }],
  });
}

/** ZAB's caseDetails transient document with the personal fixtures. */
export function zabDetails(): string {
  return JSON.stringify({
    salt: SALT_B,
    familyName: PERSONAL.familyName,
    dateOfBirth: PERSONAL.dateOfBirth,
    azrNumber: PERSONAL.azrNumber,
  });
}

/** ZAB's enforcement transient document. */
export function zabEnforcement(): string {
  return JSON.stringify({ salt: SALT_B, kind: 'DEPORTATION', scheduledOn: PERSONAL.zabScheduledOn });
}
