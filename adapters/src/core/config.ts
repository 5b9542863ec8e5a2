/**
 * The adapter's configuration: one JSON file per adapter, parsed once (zod) at start and passed down.
 * Tokens live in this file: keep it mode 0600 and outside the repository.
 */
import { readFileSync } from 'node:fs';
import { CodeSchema, MspIdSchema } from '@asl/chaincode/domain';
import { z } from 'zod';
import { DEFAULT_XML_LIMITS } from '../message';

const DeliverySchema = z.strictObject({
  concurrency: z.number().int().min(1).max(256).default(16),
  baseDelayMs: z.number().int().min(1).default(500),
  maxDelayMs: z.number().int().min(1).default(60_000),
  holdDelayMs: z.number().int().min(1).default(5_000),
  holdWindowMs: z.number().int().min(1).default(24 * 3600 * 1000),
  transientWindowMs: z.number().int().min(1).default(7 * 24 * 3600 * 1000),
});

/** The configuration file's schema. */
export const AdapterConfigSchema = z.strictObject({
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
  limits: z
    .strictObject({ maxBytes: z.number().int().min(1024), maxDepth: z.number().int().min(8), maxElements: z.number().int().min(64) })
    .default(DEFAULT_XML_LIMITS),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

/** A parsed configuration. */
export type AdapterConfig = z.infer<typeof AdapterConfigSchema>;

/** Reads and validates a configuration file; the error names fields, never values. */
export function loadConfig(path: string): AdapterConfig {
  const parsed = AdapterConfigSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) {
    throw new Error(`invalid adapter configuration: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.code}`).join('; ')}`);
  }
  return parsed.data;
}
