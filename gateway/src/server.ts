import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { MEMBER_DIRECTORY, parseKeyFile } from '@asl/chaincode/domain';
import pino from 'pino';
import { LevelAccessLog } from './access-log/access-log';
import { QsccBlockSource } from './audit';
import { BlockAuditService, findBlockThroughQscc } from './audit-service/block-audit-service';
import type { AuditService } from './ports/audit-service';
import { createApp } from './app';
import { GatewayConfigSchema, type GatewayConfig } from './config';
import { FabricLedgerEvents } from './fabric/fabric-events';
import { connectPartnerPeer } from './fabric/partner-peer';
import { FabricCaseLedger } from './fabric/fabric-ledger';
import { connectPeer } from './fabric/peer-connection';
import { FabricCaIdentityService, type RegistrarCredentials } from './identity/ca-identity';
import { ensureBootstrapAdmin } from './identity/bootstrap-admin';
import { DevIdentityService } from './identity/dev-identity';
import { KeyVault } from './identity/key-vault';
import { LevelTokenStore } from './identity/level-token-store';
import { TokenService } from './identity/tokens';
import { LevelUserStore, UserDirectory } from './identity/users';
import { MemoryChannel } from './ledger/memory-ledger';
import { seedMemoryChannel } from './ledger/seed-value-lists';
import { Metrics } from './ops/metrics';
import type { CaseLedger } from './ports/case-ledger';
import type { IdentityService } from './ports/identity-service';
import type { LedgerEvents } from './ports/ledger-events';
import { Pseudonyms } from './pseudonyms/pseudonyms';
import { LevelProjectionStore } from './readmodel/level-store';
import { ReadModel } from './readmodel/read-model';

/** A running gateway; `stop()` finishes in-flight requests (and their commits) before closing stores. */
export interface RunningGateway {
  readonly server: Server;
  readonly port: number;
  stop(): Promise<void>;
}

const read = (file: string): string => readFileSync(file, 'utf8');

type RegistrarConfig = Extract<GatewayConfig['identity'], { kind: 'fabric-ca' }>['registrar'];
function registrarCredentials(r: RegistrarConfig): RegistrarCredentials {
  return 'secretFile' in r
    ? { enrollmentId: r.enrollmentId, secret: read(r.secretFile).trim() }
    : { enrollmentId: r.enrollmentId, certificatePem: read(r.certificate), privateKeyPem: read(r.privateKey) };
}

/** Builds every port from the configuration, starts the read model and the clock, and listens. */
export async function startServer(config: GatewayConfig): Promise<RunningGateway> {
  const logger = pino({ level: config.logLevel, base: { service: 'asl-gateway', mspId: config.mspId } });
  const now = (): Date => new Date();
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const vaultKey = Buffer.from(read(config.vaultKeyFile).trim(), 'base64');
  const tokenStore = await LevelTokenStore.open(join(config.dataDir, 'tokens'));
  const userStore = await LevelUserStore.open(join(config.dataDir, 'users'));
  const accessLog = await LevelAccessLog.open(join(config.dataDir, 'access-log'));
  const projection = await LevelProjectionStore.open(join(config.dataDir, 'read-model'));
  const tokens = new TokenService({ store: tokenStore, now, randomBytes });
  const vault = new KeyVault(vaultKey);

  const identities: IdentityService =
    config.identity.kind === 'fabric-ca'
      ? new FabricCaIdentityService({
          url: config.identity.url,
          caName: config.identity.caName,
          tlsRootPem: read(config.identity.tlsRootCert),
          mspId: config.mspId,
          affiliation: config.identity.affiliation,
          registrar: registrarCredentials(config.identity.registrar),
        })
      : new DevIdentityService();
  if (config.identity.kind === 'dev') logger.warn({ identity: 'dev' }, 'DEVELOPMENT ONLY: identity.kind "dev" hands out placeholder certificates that no peer accepts');
  const users = new UserDirectory({ store: userStore, identities, vault, tokens, now });

  const metrics = new Metrics();
  let ledger: CaseLedger;
  let events: LedgerEvents;
  let audit: AuditService | undefined;
  let closeLedger = (): void => undefined;
  if (config.ledger.kind === 'fabric') {
    const l = config.ledger;
    const connection = connectPeer({
      endpoint: l.peerEndpoint,
      ...(l.hostAlias ? { hostAlias: l.hostAlias } : {}),
      tlsRootCertPem: read(l.tlsRootCert),
      tlsClient: { certificatePem: read(l.tlsClient.certificate), privateKeyPem: read(l.tlsClient.privateKey) },
      keepaliveMs: 120_000,
    });
    const fabric = new FabricCaseLedger({
      connection,
      mspId: config.mspId,
      channel: l.channel,
      chaincode: l.chaincode,
      identityOf: (userId) => users.signingIdentity(userId),
      service: { certificatePem: read(l.serviceIdentity.certificate), privateKeyPem: read(l.serviceIdentity.privateKey) },
      timeouts: l.timeouts,
      mvccRetries: l.mvccRetries,
      endorseRetries: l.endorseRetries,
      onRetry: ({ reason, attempt, txId }) => {
        metrics.inc('asl_ledger_retries_total', 'Ledger writes endorsed or submitted again, by reason', { reason });
        logger.info({ txId, reason, attempt }, 'ledger write retried');
      },
      enforcementEndorsers: l.endorsement.collections['zabEnforcement'] ?? l.endorsement.chaincode,
    });
    ledger = fabric;
    const qscc = (): ReturnType<ReturnType<typeof fabric.network>['getContract']> => fabric.network().getContract('qscc');
    const partners = l.partnerPeers.map((p) =>
      connectPartnerPeer({
        peer: { name: p.name, mspId: p.mspId, peerEndpoint: p.peerEndpoint, ...(p.hostAlias ? { hostAlias: p.hostAlias } : {}), tlsRootCertPem: read(p.tlsRootCert) },
        tlsClient: { certificatePem: read(l.tlsClient.certificate), privateKeyPem: read(l.tlsClient.privateKey) },
        identity: { mspId: config.mspId, certificatePem: read(l.serviceIdentity.certificate), privateKeyPem: read(l.serviceIdentity.privateKey) },
        channel: l.channel,
        evaluateMs: l.timeouts.evaluateMs,
      }),
    );
    audit = new BlockAuditService({
      source: new QsccBlockSource({ qscc: { evaluateTransaction: (name, ...args) => qscc().evaluateTransaction(name, ...args) }, channel: l.channel, peerLabel: l.hostAlias ?? l.peerEndpoint }),
      findBlock: findBlockThroughQscc({ evaluateTransaction: (name, ...args) => qscc().evaluateTransaction(name, ...args) }, l.channel),
      requiredEndorsers: { chaincode: { namespace: l.chaincode, msps: l.endorsement.chaincode }, collections: l.endorsement.collections },
      partners: partners.map((p) => ({ peer: p.name, mspId: p.mspId, source: p.source, height: () => p.source.height() })),
    });
    events = new FabricLedgerEvents({ network: () => fabric.network(), chaincode: l.chaincode, backoffMs: 500, maxBackoffMs: 30_000 });
    closeLedger = () => {
      for (const p of partners) p.close();
      fabric.close();
      connection.client.close();
    };
  } else {
    logger.warn({ ledger: 'memory' }, 'DEVELOPMENT ONLY: ledger.kind "memory" is an in-memory channel; nothing is written to Fabric and the ledger is lost on restart');
    const channel = new MemoryChannel({ now });
    await seedMemoryChannel(channel);
    ledger = channel.ledgerFor(config.mspId);
    events = channel.events();
  }

  const readModel = new ReadModel({
    store: projection,
    events,
    orgs: MEMBER_DIRECTORY,
    agency: config.mspId,
    now,
    onError: (error) => logger.warn({ errName: error instanceof Error ? error.name : typeof error }, 'ledger event stream failed; reconnecting'),
  });
  await readModel.start();
  metrics.gauge('asl_read_model_lag_blocks', 'Ledger height minus read-model height', async () => Number((await ledger.blockHeight()) - (await readModel.projectionHeight())));

  if (config.bootstrapAdmin) {
    const { userId, tokenFile } = config.bootstrapAdmin;
    const outcome = await ensureBootstrapAdmin({ users, store: userStore, tokens, userId, tokenFile });
    logger.info({ userId, outcome }, outcome === 'revoked' ? 'bootstrap admin is revoked; no token written' : 'bootstrap admin ready; its token is in its file');
  }

  const shutdown = new AbortController();
  const app = createApp({
    mspId: config.mspId,
    orgs: MEMBER_DIRECTORY,
    ledger,
    readModel,
    tokens,
    users,
    accessLog,
    ...(audit ? { audit } : {}),
    pseudonyms: new Pseudonyms(parseKeyFile(JSON.parse(read(config.pseudonymKeyFile)))),
    logger,
    metrics,
    now,
    limits: config.limits,
    secureCookies: config.secureCookies,
    version: '0.1.0',
    shutdown: shutdown.signal,
  });

  const tick = setInterval(() => {
    readModel.tickClock().catch((error: unknown) => logger.warn({ errName: error instanceof Error ? error.name : typeof error }, 'clock tick failed'));
  }, config.clockTickMs);

  const server = app.listen(config.listen.port, config.listen.host);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.listen.port;
  logger.info({ port, ledger: config.ledger.kind, identity: config.identity.kind }, config.ledger.kind === 'memory' ? 'gateway listening (DEVELOPMENT ONLY: in-memory ledger)' : 'gateway listening');

  return {
    server,
    port,
    stop: async () => {
      clearInterval(tick);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        shutdown.abort();
        server.closeIdleConnections();
      });
      readModel.stop();
      closeLedger();
      await Promise.all([projection.close(), accessLog.close(), tokenStore.close(), userStore.close()]);
      logger.info('gateway stopped');
    },
  };
}

/** Reads `ASL_GATEWAY_CONFIG` (a JSON file), parses it once, starts, and stops gracefully on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  const file = process.env.ASL_GATEWAY_CONFIG;
  if (file === undefined || !existsSync(file)) throw new Error('ASL_GATEWAY_CONFIG must name the gateway configuration file');
  const running = await startServer(GatewayConfigSchema.parse(JSON.parse(read(file))));
  const shutdown = (): void => {
    running.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`asl-gateway: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
