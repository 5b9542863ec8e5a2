/**
 * The CaseLedger contract suite against the running two-agency network (ASL_TEST_KIND=net). It needs a
 * network started by `npm run network:up` and a description of it in ASL_GATEWAY_NET (JSON: peer
 * endpoints, TLS roots, TLS client identity and enrolled identities per agency). NOT RUN YET: no Fabric
 * network could be built on the machine where the gateway was written.
 */
import { readFileSync } from 'node:fs';
import * as grpc from '@grpc/grpc-js';
import { z } from 'zod';
import { FabricLedgerEvents } from '../../src/fabric/fabric-events';
import { FabricCaseLedger, type SigningMaterial } from '../../src/fabric/fabric-ledger';
import { caseLedgerContract } from './case-ledger.contract';

const Identity = z.strictObject({ certificate: z.string(), privateKey: z.string() });
const Agency = z.strictObject({
  mspId: z.string(),
  peerEndpoint: z.string(),
  tlsRootCert: z.string(),
  tlsClient: Identity,
  hostAlias: z.string(),
  identities: z.record(z.string(), Identity),
});
const NetSchema = z.strictObject({ channel: z.string(), chaincode: z.string(), bamf: Agency, zab: Agency });

const description = process.env.ASL_GATEWAY_NET;
function suite(file: string): void {
  const net = NetSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  const ledgers: FabricCaseLedger[] = [];
  const clients: grpc.Client[] = [];
  const read = (f: string) => readFileSync(f, 'utf8');
  function ledger(agency: z.infer<typeof Agency>, serviceUser: string): FabricCaseLedger {
    const tls = grpc.credentials.createSsl(
      Buffer.from(read(agency.tlsRootCert)),
      Buffer.from(read(agency.tlsClient.privateKey)),
      Buffer.from(read(agency.tlsClient.certificate)),
    );
    const client = new grpc.Client(agency.peerEndpoint, tls, { 'grpc.ssl_target_name_override': agency.hostAlias });
    clients.push(client);
    const identityOf = (userId: string): Promise<SigningMaterial> => {
      const id = agency.identities[userId];
      if (!id) return Promise.reject(new Error(`no identity ${userId}`));
      return Promise.resolve({ certificatePem: read(id.certificate), privateKeyPem: read(id.privateKey) });
    };
    const service = agency.identities[serviceUser]!;
    const l = new FabricCaseLedger({
      client,
      mspId: agency.mspId,
      channel: net.channel,
      chaincode: net.chaincode,
      identityOf,
      service: { certificatePem: read(service.certificate), privateKeyPem: read(service.privateKey) },
      timeouts: { evaluateMs: 5000, endorseMs: 15000, submitMs: 5000, commitStatusMs: 60000 },
      mvccRetries: 3,
      enforcementEndorsers: ['ZabSachsenMSP'],
    });
    ledgers.push(l);
    return l;
  }

  caseLedgerContract(
    'fabric-gateway 1.11 on Fabric v3.1',
    () => {
      const bamf = ledger(net.bamf, 'bamf-auditor-0001');
      const zab = ledger(net.zab, 'zab-auditor-0001');
      return Promise.resolve({
        bamf,
        zab,
        events: new FabricLedgerEvents({ network: () => zab.network(), chaincode: net.chaincode, backoffMs: 500, maxBackoffMs: 10_000 }),
        callers: {
          zabAdapter: { userId: 'zab-adapter-0001', role: 'adapter' },
          zabCaseworker: { userId: 'zab-cw-0001', role: 'caseworker' },
          zabAdmin: { userId: 'zab-admin-0001', role: 'admin' },
          bamfAdapter: { userId: 'bamf-adapter-0001', role: 'adapter' },
          bamfCaseworker: { userId: 'bamf-cw-0001', role: 'caseworker' },
          bamfAuditor: { userId: 'bamf-auditor-0001', role: 'auditor' },
        },
        close: () => {
          ledgers.forEach((l) => l.close());
          clients.forEach((c) => c.close());
          return Promise.resolve();
        },
      });
    },
    60_000,
  );
}

if (description === undefined) {
  // Net suites run only against a running network (scripts/run-tests.mjs); without its description they must fail, not pass quietly.
  throw new Error('ASL_GATEWAY_NET is not set: the network suites need the description of the running network');
}
describe('FabricCaseLedger against the running network', () => suite(description));
