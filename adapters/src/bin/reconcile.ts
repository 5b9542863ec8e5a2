/**
 * `asl-reconcile --config adapter.json --sent <file.json|URL> [--reveal true]`: the reconciliation
 * report as JSON on stdout. `--sent` is what the case system sent: a JSON file (`[…]` or
 * `{"messages": […]}` of `{nachrichtUUID, eventType, azrNummer, occurredAt?, data?}`) or a URL
 * answering that (e.g. a simulator's `/sent`). Exit code 0 when everything matches, 1 otherwise.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { loadConfig } from '../core/config';
import { HttpGatewayClient } from '../core/gateway-client';
import { HttpGatewayReader } from '../outbound/gateway-reader';
import { reconcile } from '../reconcile/reconcile';
import { parseArgs } from './simulator';

const Sent = z.array(
  z.looseObject({
    nachrichtUUID: z.string(),
    eventType: z.string(),
    azrNummer: z.string(),
    occurredAt: z.string().optional(),
    data: z.record(z.string(), z.unknown()).optional(),
  }),
);
const SentFile = z.union([Sent, z.looseObject({ messages: Sent })]);

/** Entry point; resolves to the exit code. */
export async function main(argv: readonly string[] = process.argv.slice(2), out: (text: string) => void = (t) => process.stdout.write(t)): Promise<number> {
  const args = parseArgs(argv);
  const configPath = args['config'];
  const source = args['sent'];
  if (configPath === undefined || source === undefined) throw new Error('usage: asl-reconcile --config <adapter.json> --sent <file|url> [--reveal true]');
  const config = loadConfig(configPath);
  const raw: unknown = /^https?:\/\//.test(source) ? await (await fetch(source)).json() : JSON.parse(readFileSync(source, 'utf8'));
  const parsed = SentFile.safeParse(raw);
  if (!parsed.success) throw new Error('--sent: unexpected shape');
  const sent = Array.isArray(parsed.data) ? parsed.data : parsed.data.messages;
  const timeoutMs = config.gateway.timeoutMs;
  const report = await reconcile({
    agency: config.agency.mspId,
    sent,
    gateway: new HttpGatewayClient({ baseUrl: config.gateway.url, token: config.gateway.token, timeoutMs }),
    reader: new HttpGatewayReader({ baseUrl: config.gateway.url, token: config.gateway.token, timeoutMs }),
    reveal: args['reveal'] === 'true',
  });
  out(`${JSON.stringify(report, null, 2)}\n`);
  return report.missing.length + report.extra.length + report.mismatched.length + report.unreadable === 0 ? 0 : 1;
}
