import { randomBytes } from 'node:crypto';
import { parseKeyFile, type Role } from '@asl/chaincode/domain';
import { DevIdentityService } from '../../src/identity/dev-identity';
import { BlockStoreSource } from '../../src/audit/block-store-source';
import { BlockAuditService } from '../../src/audit-service/block-audit-service';
import type { AuditService } from '../../src/ports/audit-service';
import type { LedgerEvents } from '../../src/ports/ledger-events';
import pino from 'pino';
import { createApp, type AppLimits } from '../../src/app';
import { MemoryAccessLog } from '../../src/access-log/access-log';
import { KeyVault } from '../../src/identity/key-vault';
import { MemoryTokenStore, TokenService } from '../../src/identity/tokens';
import { MemoryUserStore, UserDirectory } from '../../src/identity/users';
import { MemoryChannel } from '../../src/ledger/memory-ledger';
import { seedMemoryChannel } from '../../src/ledger/seed-value-lists';
import { Metrics } from '../../src/ops/metrics';
import { Pseudonyms } from '../../src/pseudonyms/pseudonyms';
import { MemoryProjectionStore } from '../../src/readmodel/memory-store';
import { ReadModel } from '../../src/readmodel/read-model';
import { PROD } from '../audit/ledger-fixtures';

/** Key file of the shared normative vectors (obviously test keys). */
export const TEST_KEYS = parseKeyFile([
  { version: 'k1', key: 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=' },
  { version: 'k2', key: 'wB0SQIf6DD2OXR0jQ9tiNF+0hH+zPb1CtQ5EDFeKYnM=' },
]);

export const DEFAULT_LIMITS: AppLimits = {
  bodyBytes: 64 * 1024,
  valueListProposalBodyBytes: 2 * 1024 * 1024,
  rateBurst: 1000,
  ratePerSecond: 1000,
  projectionWaitMs: 1000,
  maxLagBlocks: 10,
  heartbeatMs: 15_000,
};

/** A settable clock starting on a Thursday morning in Dresden. */
export class TestClock {
  constructor(public current = new Date('2026-11-26T08:00:00.000Z')) {}
  now = (): Date => this.current;
  advanceDays(days: number): void {
    this.current = new Date(this.current.getTime() + days * 86_400_000);
  }
}

/** A real Fabric ledger copy (shared test data); the in-memory channel has no blocks, so the audit routes read this. */
export const SAMPLE_LEDGER = PROD;
/** A transaction of block 2 of {@link SAMPLE_LEDGER}. */
export const SAMPLE_TX_ID = 'fee5c14762ef534fd5163d7dbbc058ab0247c4eeec748ae71362a0362a617280';
let sampleAudit: Promise<AuditService> | undefined;
function defaultAudit(): Promise<AuditService> {
  sampleAudit ??= BlockStoreSource.open(SAMPLE_LEDGER).then((source) => new BlockAuditService({ source, requiredEndorsers: [] }));
  return sampleAudit;
}

/**
 * An in-memory channel with version 1 of every value list in force (`chaincode/seed/value-lists`, proposed
 * by BAMF's admin and approved by ZAB's, as the network seeds it), so fixtures use the seed codes.
 */
export async function seededChannel(clock: { now: () => Date }): Promise<MemoryChannel> {
  const channel = new MemoryChannel({ now: clock.now });
  await seedMemoryChannel(channel);
  return channel;
}

export interface GatewayOptions {
  readonly mspId?: 'BamfMSP' | 'ZabSachsenMSP';
  readonly channel?: MemoryChannel;
  readonly clock?: TestClock;
  readonly limits?: Partial<AppLimits>;
  readonly audit?: AuditService;
  /** What feeds the read model (default: the channel's own events). */
  readonly events?: LedgerEvents;
  /** Aborted when the server stops (ends open event streams). */
  readonly shutdown?: AbortSignal;
}

/** One agency gateway over an in-memory channel, with a token per role and every log line captured. */
export async function startGateway(options: GatewayOptions = {}) {
  const mspId = options.mspId ?? 'ZabSachsenMSP';
  const clock = options.clock ?? new TestClock();
  const channel = options.channel ?? (await seededChannel(clock));
  const logLines: string[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void logLines.push(line) });
  const tokenStore = new MemoryTokenStore();
  const tokens = new TokenService({ store: tokenStore, now: clock.now, randomBytes });
  const identities = new DevIdentityService();
  const userStore = new MemoryUserStore();
  const users = new UserDirectory({ store: userStore, identities, vault: new KeyVault(randomBytes(32)), tokens, now: clock.now });
  const store = new MemoryProjectionStore();
  const readModel = new ReadModel({ store, events: options.events ?? channel.events(), orgs: channel.orgs, agency: mspId, now: clock.now });
  await readModel.start();
  const accessLog = new MemoryAccessLog();
  const metrics = new Metrics();
  const prefix = mspId === 'BamfMSP' ? 'bamf' : 'zab';
  const token: Record<Role, string> = { adapter: '', caseworker: '', auditor: '', admin: '' };
  for (const role of ['adapter', 'caseworker', 'auditor', 'admin'] as const) {
    token[role] = (await users.create(`${prefix}-${role}-0001`, role)).token;
  }
  const app = createApp({
    mspId,
    orgs: channel.orgs,
    ledger: channel.ledgerFor(mspId),
    readModel,
    tokens,
    users,
    accessLog,
    audit: options.audit ?? (await defaultAudit()),
    pseudonyms: new Pseudonyms(TEST_KEYS),
    logger,
    metrics,
    now: clock.now,
    limits: { ...DEFAULT_LIMITS, ...options.limits },
    secureCookies: false,
    version: 'test',
    ...(options.shutdown ? { shutdown: options.shutdown } : {}),
  });
  return { app, channel, clock, token, logLines, identities, users, tokens, tokenStore, readModel, store, accessLog, mspId, stop: () => readModel.stop() };
}

/** A gateway from {@link startGateway}. */
export type TestGateway = Awaited<ReturnType<typeof startGateway>>;
