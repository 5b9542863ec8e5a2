/**
 * Small helpers the adapters' live suites share: the children's output of a `startAdapterSide` run (started with
 * `stdio: 'pipe'`), JSON reads from the simulators and adapters, and polling until a condition holds.
 */
import type { ChildProcess } from 'node:child_process';
import type { AdapterSide } from '../../src/demo';

/** Collects the output of every process of an adapter side; `attach` again after a restart. */
export function captureOutput(): { attach(side: AdapterSide): void; tail(lines: number): string } {
  const chunks: string[] = [];
  const seen = new WeakSet<ChildProcess>();
  return {
    attach(side) {
      for (const p of [...Object.values(side.adapters), ...Object.values(side.simulators)]) {
        const child = p.child;
        if (seen.has(child)) continue;
        seen.add(child);
        // Read even when nobody looks: a full pipe would stall the child.
        child.stdout?.on('data', (d: Buffer) => chunks.push(`[${p.name}] ${d.toString()}`));
        child.stderr?.on('data', (d: Buffer) => chunks.push(`[${p.name}] ${d.toString()}`));
      }
    },
    tail(lines) {
      return chunks.join('').split('\n').slice(-lines).join('\n');
    },
  };
}

/** GET a JSON endpoint of a simulator or adapter; throws unless 200. */
export async function sideJson<T>(url: string, headers: Record<string, string> = {}): Promise<T> {
  const res = await fetch(url, { headers });
  if (res.status !== 200) throw new Error(`${new URL(url).pathname} answered ${res.status}`);
  return (await res.json()) as T;
}

/** Polls `check` (a throw counts as false) every 200 ms until it holds; throws after `timeoutMs` naming `what`. */
export async function waitUntil(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
