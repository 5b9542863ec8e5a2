/**
 * The adapter's configuration: one JSON file per adapter, parsed once (zod) at start and passed down.
 * Tokens live in this file: keep it mode 0600 and outside the repository.
 */
import { readFileSync } from 'node:fs';
import { CodeSchema, MspIdSchema } from '@asl/chaincode/domain';
import { z } from 'zod';
import { DEFAULT_XML_LIMITS } from '../message';
import { AGENCY_PROFILES, PROFILE_NAMES, type ProfileName } from '../agencies/profiles';

const DeliverySchema = z.strictObject({
  concurrency: z.number().int().min(1).max(256).default(16),
  baseDelayMs: z.number().int().min(1).default(500),
  maxDelayMs: z.number().int().min(1).default(60_000),
  holdDelayMs: z.number().int().min(1).default(5_000),
  holdWindowMs: z.number().int().min(1).default(24 * 3600 * 1000),
  transientWindowMs: z.number().int().min(1).default(7 * 24 * 3600 * 1000),
});

const OutboundSchema = z
  .strictObject({
    /** The case system's HTTP endpoint that takes one XML message per `POST` (2xx = taken). */
    caseSystemUrl: z.url().optional(),
    /** Or a directory the case system reads (each message written to a temporary name, fsync'd, renamed). */
    dir: z.string().min(1).optional(),
    /** How often the agency's warnings and next actions are compared with what was last sent. */
    actionsIntervalMs: z.number().int().min(50).default(30_000),
    baseDelayMs: z.number().int().min(1).default(500),
    maxDelayMs: z.number().int().min(1).default(30_000),
    /** Refusals (`4xx` other than 408/429) of one message before it is parked as an outbound dead letter. */
    maxRefusals: z.number().int().min(1).default(5),
    requestTimeoutMs: z.number().int().min(1).default(10_000),
    /** Reconnect the event stream when nothing (not even a heartbeat) arrived for this long. */
    streamIdleMs: z.number().int().min(100).default(60_000),
    /** Look up the AZR/BAMF numbers of partner events' cases (`GET /cases/{id}/details`, access-logged) when not known locally. */
    resolveIdentity: z.boolean().default(true),
  })
  .refine((o) => (o.caseSystemUrl === undefined) !== (o.dir === undefined), { message: 'exactly one of caseSystemUrl and dir' });

/** The configuration file's schema. */
export const AdapterConfigSchema = z.strictObject({
  /** Which agency's adapter (`maris`, `zab`): its defaults and the event types its case system may send. */
  profile: z.enum(PROFILE_NAMES).optional(),
  agency: z.strictObject({
    /** The agency's MSP ID (`BamfMSP`, `ZabSachsenMSP`): the reader of inbound messages. */
    mspId: MspIdSchema,
    /** The case system's `kennung` (e.g. `MARIS`, `ZAB-VERFAHREN`). */
    caseSystem: CodeSchema,
  }),
  gateway: z.strictObject({
    url: z.url(),
    token: z.string().min(1),
    adminToken: z.string().min(1).optional(),
    timeoutMs: z.number().int().min(1).default(15_000),
  }),
  inbound: z.strictObject({
    host: z.string().default('127.0.0.1'),
    port: z.number().int().min(0).max(65535),
    dropDir: z.string().optional(),
    pollMs: z.number().int().min(10).default(1_000),
  }),
  /** Where the outbox (LevelDB) lives. */
  dataDir: z.string().min(1),
  /** Bearer token of the operators' routes (`asl-deadletters`, purge). */
  operatorToken: z.string().min(16),
  delivery: DeliverySchema.default(DeliverySchema.parse({})),
  /** Outbound to the case system (partner events, warnings, next actions, ReturnToSender of dead letters). */
  outbound: OutboundSchema.optional(),
  limits: z
    .strictObject({ maxBytes: z.number().int().min(1024), maxDepth: z.number().int().min(8), maxElements: z.number().int().min(64) })
    .default(DEFAULT_XML_LIMITS),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

/** A parsed configuration. */
export type AdapterConfig = z.infer<typeof AdapterConfigSchema>;

/** The outbound part of a configuration. */
export type OutboundConfig = z.infer<typeof OutboundSchema>;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Fills a profile's defaults (agency, gateway URL, inbound port) into raw configuration JSON. With
 * `forced`, the file's `profile` must be absent or equal (the `asl-maris-adapter` / `asl-zab-adapter` bins).
 */
export function withProfileDefaults(raw: unknown, forced?: ProfileName): unknown {
  if (!isRecord(raw)) return raw;
  const named = raw['profile'];
  if (forced !== undefined && named !== undefined && named !== forced) throw new Error(`invalid adapter configuration: profile: expected ${forced}`);
  const name = forced ?? named;
  if (name !== 'maris' && name !== 'zab') return raw;
  const p = AGENCY_PROFILES[name];
  const gateway = isRecord(raw['gateway']) ? raw['gateway'] : {};
  const inbound = isRecord(raw['inbound']) ? raw['inbound'] : {};
  return {
    ...raw,
    profile: name,
    agency: raw['agency'] ?? { mspId: p.mspId, caseSystem: p.caseSystem },
    gateway: { url: p.defaultGatewayUrl, ...gateway },
    inbound: { port: p.defaultInboundPort, ...inbound },
  };
}

/** Validates configuration JSON (after profile defaults); the error names fields, never values. */
export function parseConfig(raw: unknown, forced?: ProfileName): AdapterConfig {
  const parsed = AdapterConfigSchema.safeParse(withProfileDefaults(raw, forced));
  if (!parsed.success) {
    throw new Error(`invalid adapter configuration: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.code}`).join('; ')}`);
  }
  const config = parsed.data;
  if (config.profile !== undefined && AGENCY_PROFILES[config.profile].mspId !== config.agency.mspId) {
    throw new Error('invalid adapter configuration: agency.mspId: does not match profile');
  }
  return config;
}

/** Reads and validates a configuration file; the error names fields, never values. */
export function loadConfig(path: string, forced?: ProfileName): AdapterConfig {
  return parseConfig(JSON.parse(readFileSync(path, 'utf8')), forced);
}
