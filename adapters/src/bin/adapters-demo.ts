/**
 * `tsx adapters/src/bin/adapters-demo.ts --credentials <demo-credentials.json> --home <ASL_HOME>`:
 * the adapters' part of `npm run demo` — both adapters and both simulators against the gateways named
 * in `demo-credentials.json` (architecture.md shape), until SIGINT / SIGTERM.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { startAdapterSide } from '../demo';
import { parseArgs } from './simulator';

const Agency = z.looseObject({ gatewayUrl: z.url(), tokens: z.looseObject({ adapter: z.string().min(1) }) });
const CredentialsSchema = z.looseObject({ bamf: Agency, zab: Agency });

/** Entry point. */
export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  const args = parseArgs(argv);
  const path = args['credentials'];
  const home = args['home'] ?? process.env['ASL_HOME'];
  if (path === undefined || home === undefined) throw new Error('usage: adapters-demo --credentials <demo-credentials.json> --home <dir>');
  const parsed = CredentialsSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) throw new Error('demo-credentials.json: unexpected shape');
  const c = parsed.data;
  const side = await startAdapterSide({
    home,
    bamf: { gatewayUrl: c.bamf.gatewayUrl, token: c.bamf.tokens.adapter },
    zab: { gatewayUrl: c.zab.gatewayUrl, token: c.zab.tokens.adapter },
    ...(args['cases'] === undefined ? {} : { cases: Number(args['cases']) }),
    ...(args['seed'] === undefined ? {} : { seed: Number(args['seed']) }),
  });
  process.stderr.write(
    `adapters: MARiS ${side.adapters.maris.url}, ZAB ${side.adapters.zab.url}; simulators: MARiS ${side.simulators.maris.url}/received, ZAB ${side.simulators.zab.url}/received\n`,
  );
  const stop = (): void => {
    side.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`adapters-demo: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 2;
  });
}
