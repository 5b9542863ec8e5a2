import { valueListContentHash, type Role, type ValueListEntry, type ValueListProposal } from '@asl/chaincode/domain';
import { readSeedValueLists } from '@asl/chaincode/seed';
import { ROUTES } from '../../src/api/routes';
import type { MemoryChannel } from '../../src/ledger/memory-ledger';
import { SEED_ADMINS } from '../../src/ledger/seed-value-lists';
import { CASE_ID, msgId, registerBody } from './fixtures';
import type { CallOptions } from './client';
import { SAMPLE_TX_ID } from './harness';

let refs = 0;
/** A courtRef-shaped pseudonym not used before. */
function freshCourtRef(): string {
  refs += 1;
  return ('r' + refs.toString(32).replace(/[0189]/g, 'a') + 'q'.repeat(31)).slice(0, 32);
}

/** The seed entries of a list (version 1 in force in every test channel). */
export function seedEntries(list: 'facility' | 'court' | 'municipality' | 'authority' | 'reason'): ValueListEntry[] {
  const seed = readSeedValueLists().find((s) => s.list === list);
  if (seed === undefined) throw new Error(`no seed list ${list}`);
  return [...seed.proposal.entries];
}

/** Version 2 of `facility` with one facility added: the partner agency's pending proposal the approval sample approves. */
export const PENDING_FACILITY_V2: ValueListProposal = {
  list: 'facility',
  version: 2,
  entries: [...seedEntries('facility'), { code: 'AE-DD-TEST-2', label: 'Erstaufnahmeeinrichtung Dresden II (Testdaten)' }].sort((a, b) =>
    a.code < b.code ? -1 : a.code > b.code ? 1 : 0,
  ),
};

/** A valid request for every authenticated route (the case of {@link CASE_ID} is registered first). */
export function sampleRequest(operationId: (typeof ROUTES)[number]['operationId'], mspId: string, extra: { userId?: string; tokenId?: string; txId?: string } = {}): CallOptions {
  const zab = mspId === 'ZabSachsenMSP';
  const caseParams = { params: { caseId: CASE_ID } };
  switch (operationId) {
    case 'createCaseId':
      return { body: { azrNumber: '9999 0000 1111' } };
    case 'createCourtRef':
      return { body: { court: 'VG-DRESDEN', fileNumber: '99 K 4242/26.A' } };
    case 'recordEvent':
      return zab
        ? { ...caseParams, body: { type: 'RECEPTION_ASSIGNED', occurredAt: '2026-11-26T12:00:00+01:00', sourceMessageId: msgId(), data: { facility: 'AE-L-TEST' } } }
        : { ...caseParams, body: { type: 'DEPORTATION_STAY_NOTIFIED', occurredAt: '2026-11-26T12:00:00+01:00', sourceMessageId: msgId(), data: { courtRef: freshCourtRef() } } };
    case 'putEnforcement':
      return { ...caseParams, body: { kind: 'DEPORTATION', scheduledOn: '2027-01-15' } };
    case 'checkReturn':
      return { ...caseParams, body: { kind: 'DEPORTATION' } };
    case 'importCase':
      return { params: { caseId: 'c' + 'a'.repeat(31) }, body: { sourceMessageId: msgId('imp'), occurredAt: '2026-11-26T12:00:00+01:00', facts: zab ? [{ type: 'CASE_REGISTERED', data: { facility: 'AE-DD-TEST', registeredOn: '2026-01-05' } }] : [{ type: 'APPLICATION_FILED', data: { filedOn: '2026-01-06' } }] } };
    case 'purgeCase':
      return { ...caseParams, body: { collection: 'caseDetails', sourceMessageId: msgId('purge'), occurredAt: '2026-11-26T12:00:00+01:00' } };
    case 'createUser':
      return { body: { userId: `u-${msgId().toLowerCase()}`.slice(0, 60), role: 'caseworker' } };
    case 'issueToken':
    case 'revokeUser':
      return { params: { userId: extra.userId ?? `${zab ? 'zab' : 'bamf'}-caseworker-0001` } };
    case 'revokeToken':
      return { params: { userId: extra.userId ?? `${zab ? 'zab' : 'bamf'}-caseworker-0001`, tokenId: extra.tokenId ?? 'tok_AAAAAAAAAAAAAAAAAAAA' } };
    case 'getCase':
    case 'getTimeline':
    case 'getDetails':
    case 'exportCase':
      return caseParams;
    case 'verifyLedger':
      return { body: {} };
    case 'getReceipt':
      return { params: { txId: extra.txId ?? SAMPLE_TX_ID } };
    case 'getValueList':
      return { params: { list: 'reason' } };
    case 'diffValueLists':
      return { params: { list: 'court' }, query: { from: '1', to: '1' } };
    case 'proposeValueList':
      return { params: { list: 'court' }, body: { version: 2, entries: [...seedEntries('court'), { code: 'VG-TEST-NEU', label: 'Verwaltungsgericht (Testdaten)' }] } };
    case 'approveValueList':
      return {
        params: { list: 'facility', version: '2' },
        body: { contentHash: valueListContentHash('facility', 2, PENDING_FACILITY_V2.entries) },
      };
    case 'createSession':
      return { body: { token: 'asl_x' } };
    case 'deleteSession':
    case 'getAccessLog':
    case 'getStats':
    case 'healthz':
    case 'listActions':
    case 'listCases':
    case 'listValueLists':
    case 'listWarnings':
    case 'metrics':
    case 'openapi':
    case 'readyz':
    case 'streamEvents':
      return {};
  }
}

/** The registering request used before the matrix runs. */
export function registration(): CallOptions {
  return { params: { caseId: CASE_ID }, body: registerBody() };
}

/** The partner agency's admin proposes {@link PENDING_FACILITY_V2}, so an admin of `mspId` can approve it. */
export async function proposePendingFacility(channel: MemoryChannel, mspId: 'BamfMSP' | 'ZabSachsenMSP'): Promise<void> {
  const partner = mspId === 'BamfMSP' ? 'ZabSachsenMSP' : 'BamfMSP';
  await channel.ledgerFor(partner).proposeValueList(SEED_ADMINS[partner], PENDING_FACILITY_V2);
}

export const ALL_ROLES: readonly Role[] = ['adapter', 'caseworker', 'auditor', 'admin'];
