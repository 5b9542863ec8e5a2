/**
 * Steps shared by the live audit suites (`test/live/audit-*.net.test.ts`): users registered through the admin API,
 * fresh cases written through a gateway, a copy of a peer's block store taken from the peer's own files (the layout
 * `ledgerutil verify` and `asl-audit --blocks` read), and the two verifiers run as processes. The copy and tampering
 * helpers and the verifiers' runners are test-network's (`test-network/test/support/block-store.ts`,
 * `ledger-verdicts.ts`), shared with its own ledgerutil suite. Nothing is cached between runs.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { connectionOrg, readConnection } from '@asl/network/connection';
import type { Role } from '@asl/chaincode/domain';
import { z } from 'zod';
import { locateFabric } from '../../../network/src/binaries';
import { copyBlockStore, type BlockStoreCopy } from '../../../test-network/test/support/block-store';
import { runAslAudit } from '../../../test-network/test/support/ledger-verdicts';
import { CaseIdResponseSchema, IssuedTokenSchema, WriteResponseSchema } from '../../src/api/schemas';
import { BlockStoreSource } from '../../src/audit/block-store-source';
import { liveCall, liveWrite } from './live-client';
import type { LiveGateway } from './live-gateways';

export type { BlockStoreCopy };
export { runAslAudit };

/** A write's answer (`201 {receipt, event, warnings}`). */
export type Written = z.infer<typeof WriteResponseSchema>;

/** Registers a user with `role` through the agency's admin API (a real CA registration) and returns its first token. */
export async function registerUser(gw: LiveGateway, role: Role, label: string): Promise<string> {
  const userId = `${gw.orgKey}-audit-${label}-${randomBytes(3).toString('hex')}`;
  const created = await liveCall(gw.url, 'post', '/api/v1/admin/users', { token: gw.adminToken, body: { userId, role } });
  if (created.status !== 201) throw new Error(`registering ${userId} answered ${created.status}: ${JSON.stringify(created.body)}`);
  return IssuedTokenSchema.parse(created.body).token;
}

/**
 * Records an event through a gateway; 201 expected, or 200 with the original receipt only after a retried 503/504
 * (the shared network may be failing over; see liveWrite).
 */
export async function write(gw: LiveGateway, token: string, caseId: string, body: object): Promise<Written> {
  const { response, retried } = await liveWrite(gw.url, '/api/v1/cases/{caseId}/events', { token, params: { caseId }, body });
  const accepted = retried.length === 0 ? [201] : [200, 201];
  if (!accepted.includes(response.status)) throw new Error(`write answered ${response.status} (retried ${retried.join(', ') || 'never'}): ${JSON.stringify(response.body)}`);
  return WriteResponseSchema.parse(response.body);
}

/** A case id for a fresh, obviously fake AZR number (through the gateway: the agencies' shared pseudonym key). */
export async function newCaseId(gw: LiveGateway, token: string): Promise<string> {
  const azrNumber = `9998${String(randomBytes(4).readUInt32BE() % 100_000_000).padStart(8, '0')}`;
  const answer = await liveCall(gw.url, 'post', '/api/v1/case-ids', { token, body: { azrNumber } });
  if (answer.status !== 200) throw new Error(`case-ids answered ${answer.status}`);
  return CaseIdResponseSchema.parse(answer.body).caseId;
}

/** ZAB's adapter registers a fresh case: one write, one block. */
export async function registerCase(zab: LiveGateway, zabAdapter: string): Promise<{ caseId: string; written: Written }> {
  const caseId = await newCaseId(zab, zabAdapter);
  const written = await write(zab, zabAdapter, caseId, {
    type: 'CASE_REGISTERED',
    occurredAt: new Date().toISOString(),
    sourceMessageId: `live-audit-reg-${randomUUID()}`,
    data: { facility: 'AE-DD-TEST', registeredOn: new Date().toISOString().slice(0, 10) },
  });
  return { caseId, written };
}

/** A copy of a peer's block store and the number of its last complete block. */
export interface PeerStoreCopy extends BlockStoreCopy {
  readonly lastBlock: number;
  remove(): void;
}

/**
 * Copies the block files of the agency's first peer (`ledgerDir` of connection.json), cut after the last complete
 * block, once the peer has committed block `reaching` (a write's commit status comes from the writer's peer; the other
 * peer may commit a moment later).
 */
export async function copyPeerStore(orgKey: 'bamf' | 'zab', reaching = 0, timeoutMs = 20_000): Promise<PeerStoreCopy> {
  const connection = readConnection();
  const peer = connectionOrg(connection, orgKey).peers[0];
  if (peer === undefined) throw new Error(`${orgKey} has no peer in connection.json`);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const copy = copyBlockStore(peer.ledgerDir, connection.channel);
    const remove = (): void => rmSync(copy.root, { recursive: true, force: true });
    const lastBlock = (await BlockStoreSource.open(copy.channelDir)).blockCount - 1;
    if (lastBlock >= reaching) return { ...copy, lastBlock, remove };
    remove();
    if (Date.now() > deadline) throw new Error(`${orgKey}'s peer has not committed block ${reaching} after ${timeoutMs} ms`);
    await sleep(300);
  }
}

/** Fabric's `ledgerutil` of the network's binaries. */
export async function ledgerutilPath(): Promise<string> {
  const fabric = await locateFabric();
  if (fabric === undefined) throw new Error('Fabric binaries not found (npx tsx network/src/cli.ts ensure-binaries)');
  return fabric.tools.ledgerutil;
}

/** The channel of the live network, from connection.json. */
export function liveChannel(): string {
  return readConnection().channel;
}

/** `asl-audit <args> --json` as a process: exit status and the parsed report. */
export function aslAuditJson(args: readonly string[]): { status: 0 | 1; report: unknown } {
  const r = runAslAudit([...args, '--json']);
  return { status: r.status, report: JSON.parse(r.stdout) };
}
