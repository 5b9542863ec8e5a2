import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { common } from '@hyperledger/fabric-protos';
import { runOk } from './exec';

/** Where a peer's copy of the channel stands: what `network:status` prints and the live tests compare. */
export interface PeerLedgerInfo {
  /** Number of blocks (the newest block's number + 1). */
  readonly height: number;
  /** Header hash of the newest block, hex. */
  readonly currentBlockHash: string;
  /**
   * The newest block's COMMIT_HASH metadata, hex: the peer's hash over the validated write sets of the
   * whole chain so far. Equal on two peers at the same height only if both validated every transaction alike.
   */
  readonly commitHash?: string;
}

/** The COMMIT_HASH metadata of a serialized block, hex (undefined for blocks without one, e.g. genesis). */
export function commitHashOf(blockBytes: Uint8Array): string | undefined {
  const block = common.Block.deserializeBinary(blockBytes);
  const entry = block.getMetadata()?.getMetadataList_asU8()[common.BlockMetadataIndex.COMMIT_HASH];
  if (entry === undefined || entry.length === 0) return undefined;
  const value = common.Metadata.deserializeBinary(entry).getValue_asU8();
  return value.length === 0 ? undefined : Buffer.from(value).toString('hex');
}

/** Parses the JSON after `Blockchain info:` in `peer channel getinfo` output. */
export function parseGetinfo(output: string): { height: number; currentBlockHash: string } {
  const json = output.slice(output.indexOf('{'));
  const info = JSON.parse(json) as { height: number; currentBlockHash: string };
  return { height: info.height, currentBlockHash: Buffer.from(info.currentBlockHash, 'base64').toString('hex') };
}

/** The peer's height on the channel (`peer channel getinfo`). `env` is a peerAdminEnv. */
export async function peerHeight(peerBin: string, channel: string, env: Record<string, string>): Promise<number> {
  return parseGetinfo((await runOk(peerBin, ['channel', 'getinfo', '-c', channel], { env })).output).height;
}

/**
 * Height, newest block hash and commit hash of one peer, through the `peer` CLI (`channel getinfo`, then
 * `channel fetch <height-1>` so both answers describe the same block). `env` is a peerAdminEnv.
 */
export async function peerLedgerInfo(peerBin: string, channel: string, env: Record<string, string>): Promise<PeerLedgerInfo> {
  const info = parseGetinfo((await runOk(peerBin, ['channel', 'getinfo', '-c', channel], { env })).output);
  const dir = mkdtempSync(join(tmpdir(), 'asl-block-'));
  try {
    const file = join(dir, 'block.pb');
    await runOk(peerBin, ['channel', 'fetch', String(info.height - 1), file, '-c', channel], { env });
    const commitHash = commitHashOf(readFileSync(file));
    return commitHash === undefined ? info : { ...info, commitHash };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
