import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/launch/cli';

describe('asl-gateways command line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'asl-gw-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const run = async (...argv: string[]) => {
    const lines: string[] = [];
    const code = await main(argv, (line) => lines.push(line));
    return { code, output: lines.join('\n') };
  };

  it('answers a wrong command line with the usage and exit code 2', async () => {
    for (const argv of [[], ['start'], ['up', '--port', 'bamf'], ['up', '--port', 'bamf:3001'], ['up', '--bogus', 'x'], ['up', '--timeout-ms', '0']]) {
      const r = await run(...argv);
      expect(r.code).toBe(2);
      expect(r.output).toMatch(/usage: asl-gateways up\|down\|status/);
    }
  });

  it('up names the command to run when the network has no connection description; status and down with nothing started', async () => {
    await expect(run('up', '--home', dir, '--connection', join(dir, 'connection.json'))).rejects.toThrow(/npm run network:up/);
    expect(await run('status', '--home', dir)).toEqual({ code: 1, output: `no gateway started from ${dir}` });
    expect(await run('down', '--home', dir)).toEqual({ code: 0, output: 'no gateway running' });
  });
});
