/** `asl-adapter --config <file>`: runs one adapter until SIGTERM / SIGINT. */
import pino from 'pino';
import { loadConfig } from '../core/config';
import { startAdapter } from '../core/server';
import type { ProfileName } from '../agencies/profiles';

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
  const commitFault = process.env['ASL_FAULT_KILL_AFTER_COMMIT'];
  const outboundFault = process.env['ASL_FAULT_KILL_AFTER_OUTBOUND'];
  const adapter = await startAdapter(config, logger, {
    ...(commitFault === undefined ? {} : { killAfterCommit: Number(commitFault) }),
    ...(outboundFault === undefined ? {} : { killAfterOutbound: Number(outboundFault) }),
  });
  const stop = (): void => {
    adapter.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
