import { CHAINCODE_ENDORSERS, COLLECTION_ENDORSERS, MEMBER_MSP_IDS } from '@asl/chaincode/domain';
import { z } from 'zod';

const Port = z.number().int().min(1).max(65535);
const Ms = z.number().int().positive();

const FabricLedgerConfig = z.strictObject({
  kind: z.literal('fabric'),
  peerEndpoint: z.string().min(1),
  /** TLS root of the peer (PEM file). */
  tlsRootCert: z.string().min(1),
  /** The gateway's TLS client certificate and key (PEM files): peers require client authentication. */
  tlsClient: z.strictObject({ certificate: z.string().min(1), privateKey: z.string().min(1) }),
  /** TLS server name of the peer when the endpoint is an IP (ssl_target_name_override). */
  hostAlias: z.string().optional(),
  channel: z.string().default('ankerdresden'),
  chaincode: z.string().default('procedure'),
  /** The gateway's own identity for QSCC and the event stream (PEM files). */
  serviceIdentity: z.strictObject({ certificate: z.string(), privateKey: z.string() }),
  timeouts: z.strictObject({ evaluateMs: Ms, endorseMs: Ms, submitMs: Ms, commitStatusMs: Ms }).default({ evaluateMs: 5000, endorseMs: 15000, submitMs: 5000, commitStatusMs: 60000 }),
  /** A write that lost an MVCC or phantom-read race to another write on the same case is run again this often. */
  mvccRetries: z.number().int().min(0).max(10).default(6),
  /** A proposal whose two endorsements disagreed (one peer a block behind) is endorsed again this often. */
  endorseRetries: z.number().int().min(0).max(10).default(4),
  /**
   * The other agencies' peers, whose copies of the blocks the auditor's verification compares with this agency's
   * (the cross-agency check), read through their QSCC with the service identity and this gateway's TLS pair.
   */
  partnerPeers: z
    .array(z.strictObject({ name: z.string().min(1), mspId: z.string().min(1), peerEndpoint: z.string().min(1), hostAlias: z.string().optional(), tlsRootCert: z.string().min(1) }))
    .default([]),
  /**
   * The MSPs the chaincode's endorsement policy needs, and per private data collection with a collection-level
   * policy the MSPs that one needs (derived from the network's policies by the launcher, config-from-connection.ts).
   * Writes to `zabEnforcement` are endorsed by, and a receipt of one requires, its policy's MSPs; the audit receipt
   * route derives the required endorsers of a transaction from what it wrote. Default: the topology's policies.
   */
  endorsement: z
    .strictObject({ chaincode: z.array(z.string().min(1)).min(1), collections: z.record(z.string(), z.array(z.string().min(1)).min(1)).default({}) })
    .default({ chaincode: [...CHAINCODE_ENDORSERS], collections: Object.fromEntries(Object.entries(COLLECTION_ENDORSERS).map(([name, msps]) => [name, [...msps]])) }),
});

/** DEVELOPMENT ONLY: the in-memory channel (nothing persists in the ledger across restarts). */
const MemoryLedgerConfig = z.strictObject({ kind: z.literal('memory') });

const FabricCaConfig = z.strictObject({
  kind: z.literal('fabric-ca'),
  url: z.url(),
  caName: z.string(),
  tlsRootCert: z.string(),
  affiliation: z.string(),
  /**
   * The CA's registrar (registers and revokes identities): either its enrolment secret (a file holding only the
   * secret; the gateway enrols the registrar once per process) or its enrolled key pair (PEM files), as the
   * connection description of the test network names it.
   */
  registrar: z.union([
    z.strictObject({ enrollmentId: z.string(), secretFile: z.string() }),
    z.strictObject({ enrollmentId: z.string(), certificate: z.string(), privateKey: z.string() }),
  ]),
});

/** The gateway's configuration: one JSON file, parsed once at start (server.ts). */
export const GatewayConfigSchema = z
  .strictObject({
    mspId: z.enum(MEMBER_MSP_IDS),
    listen: z.strictObject({ host: z.string().default('127.0.0.1'), port: Port }),
    /** Read model, access log, tokens and users live here (classic-level). */
    dataDir: z.string().min(1),
    /** Pseudonym key file (domain.md §2): a JSON array of `{version, key}`. */
    pseudonymKeyFile: z.string().min(1),
    /** 32 random bytes, base64, mode 0600: seals users' private keys at rest (AES-256-GCM). */
    vaultKeyFile: z.string().min(1),
    ledger: z.discriminatedUnion('kind', [FabricLedgerConfig, MemoryLedgerConfig]),
    identity: z.discriminatedUnion('kind', [FabricCaConfig, z.strictObject({ kind: z.literal('dev') })]),
    limits: z
      .strictObject({
        bodyBytes: z.number().int().positive().default(256 * 1024),
        /** A value-list proposal carries a whole list (every municipality): the contract accepts up to 2 MiB. */
        valueListProposalBodyBytes: z.number().int().positive().default(2 * 1024 * 1024),
        rateBurst: z.number().int().positive().default(60),
        ratePerSecond: z.number().positive().default(20),
        projectionWaitMs: z.number().int().min(0).default(2000),
        maxLagBlocks: z.number().int().min(0).default(20),
        heartbeatMs: Ms.default(15000),
      })
      .default({
        bodyBytes: 256 * 1024,
        valueListProposalBodyBytes: 2 * 1024 * 1024,
        rateBurst: 60,
        ratePerSecond: 20,
        projectionWaitMs: 2000,
        maxLagBlocks: 20,
        heartbeatMs: 15000,
      }),
    /** Clock-rule timer (domain.md §5: at least every minute). */
    clockTickMs: Ms.max(60_000).default(60_000),
    secureCookies: z.boolean().default(true),
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug']).default('info'),
    /** On first start: create this admin and write its token to `tokenFile` (mode 0600). */
    bootstrapAdmin: z.strictObject({ userId: z.string(), tokenFile: z.string() }).optional(),
  })
  .refine((c) => c.ledger.kind === 'memory' || c.identity.kind === 'fabric-ca', { message: 'a Fabric ledger needs identity.kind "fabric-ca"' });

/** The parsed configuration. */
export type GatewayConfig = z.infer<typeof GatewayConfigSchema>;
