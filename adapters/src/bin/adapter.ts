/** `asl-adapter --config <file>`: runs one adapter until SIGTERM / SIGINT. */
import pino from 'pino';
import { loadConfig } from '../core/config';
import { startAdapter, type FaultPoints } from '../core/server';
import type { ProfileName } from '../agencies/profiles';

/**
 * Fault injection for crash tests, inert unless set: `ASL_FAULT_KILL_AFTER_<STEP>=n` makes the process kill
 * itself with SIGKILL at the n-th pass through the step (see {@link FaultPoints} for where each step is).
 */
const FAULT_VARIABLES = {
  killAfterStore: 'ASL_FAULT_KILL_AFTER_STORE',
  killAfterAccept: 'ASL_FAULT_KILL_AFTER_ACCEPT',
  killAfterSubmit: 'ASL_FAULT_KILL_AFTER_SUBMIT',
  killAfterCommit: 'ASL_FAULT_KILL_AFTER_COMMIT',
  killAfterOutbound: 'ASL_FAULT_KILL_AFTER_OUTBOUND',
} as const satisfies Record<keyof FaultPoints, string>;

/** The fault points set in `env`; a value that is not a positive integer is refused, so a typo cannot pass as inert. */
export function faultPointsFrom(env: NodeJS.ProcessEnv): FaultPoints {
  const points: Partial<Record<keyof FaultPoints, number>> = {};
  for (const [point, variable] of Object.entries(FAULT_VARIABLES) as [keyof FaultPoints, string][]) {
    const raw = env[variable];
    if (raw === undefined) continue;
    if (!/^[1-9][0-9]{0,8}$/.test(raw)) throw new Error(`${variable} must be a positive integer`);
    points[point] = Number(raw);
  }
  return points;
}

/**
 * Entry point. `profile` forces the agency (`asl-maris-adapter`, `asl-zab-adapter`); without it the
 * configuration file's `profile` (or none) applies.
 */
export async function main(argv: readonly string[] = process.argv.slice(2), profile?: ProfileName): Promise<void> {
  const i = argv.indexOf('--config');
  const path = i >= 0 ? argv[i + 1] : process.env['ASL_ADAPTER_CONFIG'];
  if (path === undefined) throw new Error(`usage: ${profile === undefined ? 'asl-adapter' : `asl-${profile}-adapter`} --config <file>`);
  const config = loadConfig(path, profile);
  const service = config.profile === undefined ? 'asl-adapter' : `asl-${config.profile}-adapter`;
  const logger = pino({ level: config.logLevel, base: { service, agency: config.agency.mspId } });
  const adapter = await startAdapter(config, logger, faultPointsFrom(process.env));
  const stop = (): void => {
    adapter.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
