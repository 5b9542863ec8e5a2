/** `asl-adapter --config <file>`: runs one adapter until SIGTERM / SIGINT. */
import pino from 'pino';
import { loadConfig } from '../core/config';
import { startAdapter } from '../core/server';

/** Entry point. */
export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  const i = argv.indexOf('--config');
  const path = i >= 0 ? argv[i + 1] : process.env['ASL_ADAPTER_CONFIG'];
  if (path === undefined) throw new Error('usage: asl-adapter --config <file>');
  const config = loadConfig(path);
  const logger = pino({ level: config.logLevel, base: { service: 'asl-adapter', agency: config.agency.mspId } });
  const fault = process.env['ASL_FAULT_KILL_AFTER_COMMIT'];
  const adapter = await startAdapter(config, logger, fault === undefined ? {} : { killAfterCommit: Number(fault) });
  const stop = (): void => {
    adapter.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
