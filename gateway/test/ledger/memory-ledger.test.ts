import { seededChannel } from '../support/harness';
import { caseLedgerContract } from './case-ledger.contract';

caseLedgerContract('in-memory channel (real domain decide and fold, seeded value lists)', async () => {
  const channel = await seededChannel({ now: () => new Date('2026-11-26T08:00:00.000Z') });
  return {
    bamf: channel.ledgerFor('BamfMSP'),
    zab: channel.ledgerFor('ZabSachsenMSP'),
    events: channel.events(),
    callers: {
      zabAdapter: { userId: 'zab-adapter-0001', role: 'adapter' },
      zabCaseworker: { userId: 'zab-cw-0001', role: 'caseworker' },
      zabAdmin: { userId: 'zab-admin-0001', role: 'admin' },
      bamfAdapter: { userId: 'bamf-adapter-0001', role: 'adapter' },
      bamfCaseworker: { userId: 'bamf-cw-0001', role: 'caseworker' },
      bamfAuditor: { userId: 'bamf-auditor-0001', role: 'auditor' },
    },
    close: () => Promise.resolve(),
  };
});
