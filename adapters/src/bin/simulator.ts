/**
 * `asl-simulator --profile maris|zab [--port 3101] [--adapter-url http://127.0.0.1:3201] [--seed 7]
 * [--cases 24] [--case-interval-ms 1500] [--step-delay-ms 300] [--today YYYY-MM-DD]`: one case-system
 * simulator until SIGTERM / SIGINT. Both simulators must get the same seed, case count and date.
 */
import pino from 'pino';
import { z } from 'zod';
import { AGENCY_PROFILES, PROFILE_NAMES } from '../agencies/profiles';
import { generateScenario } from '../simulator/scenario';
import { startSimulator } from '../simulator/simulator';

const ArgsSchema = z.strictObject({
  profile: z.enum(PROFILE_NAMES),
  port: z.coerce.number().int().min(0).max(65535).optional(),
  'adapter-url': z.url().optional(),
  seed: z.coerce.number().int().min(0).default(7),
  cases: z.coerce.number().int().min(1).max(10_000).default(24),
  'case-interval-ms': z.coerce.number().int().min(0).default(1_500),
  'step-delay-ms': z.coerce.number().int().min(0).default(300),
  today: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
  'log-level': z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'silent']).default('info'),
});

/** `--name value` pairs into an object. */
export function parseArgs(argv: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i += 2) {
    const name = argv[i];
    const value = argv[i + 1];
    if (name === undefined || !name.startsWith('--') || value === undefined) throw new Error(`unexpected argument ${name ?? ''}`);
    out[name.slice(2)] = value;
  }
  return out;
}

/** Entry point. */
export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  const parsed = ArgsSchema.safeParse(parseArgs(argv));
  if (!parsed.success) throw new Error(`invalid arguments: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.code}`).join('; ')}`);
  const a = parsed.data;
  const profile = AGENCY_PROFILES[a.profile];
  const logger = pino({ level: a['log-level'], base: { service: `asl-simulator-${a.profile}` } });
  const today = a.today ?? new Date().toISOString().slice(0, 10);
  const running = await startSimulator({
    profile: a.profile,
    port: a.port ?? profile.defaultSimulatorPort,
    adapterUrl: a['adapter-url'] ?? `http://127.0.0.1:${profile.defaultInboundPort}`,
    cases: generateScenario({ seed: a.seed, count: a.cases, today }),
    caseIntervalMs: a['case-interval-ms'],
    stepDelayMs: a['step-delay-ms'],
    logger,
  });
  const stop = (): void => {
    running.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
