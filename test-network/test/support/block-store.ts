import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A peer's block store copied aside: the layout `ledgerutil verify` expects (`<root>/ledgersData/chains/chains/
 * <channel>/blockfile_*`), so Fabric's tool and the project's verifier read the very same bytes.
 */
export interface BlockStoreCopy {
  /** The peer file-system path of the copy (what `ledgerutil verify` takes). */
  readonly root: string;
  /** The channel's folder of block files (what `asl-audit verify --blocks` takes). */
  readonly channelDir: string;
}

/** Where a peer keeps a channel's block files below its file-system path (Fabric's kvledger layout). */
export function channelBlockDir(peerFsPath: string, channel: string): string {
  return join(peerFsPath, 'ledgersData', 'chains', 'chains', channel);
}

const BLOCK_FILE = /^blockfile_\d{6,}$/;

function blockFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => BLOCK_FILE.test(f))
    .sort()
    .map((f) => join(dir, f));
}

/** Reads an unsigned LEB128 varint (Go's `binary.Uvarint`, which Fabric's block files use). */
function uvarint(bytes: Uint8Array, offset: number): { value: number; next: number } {
  let value = 0;
  let scale = 1;
  for (let i = offset; i < bytes.length; i++) {
    const byte = bytes[i] ?? 0;
    value += (byte & 0x7f) * scale;
    if ((byte & 0x80) === 0) return { value, next: i + 1 };
    scale *= 128;
  }
  throw new RangeError('varint runs past the end');
}

/** One block record in a block file: `uvarint(length) ‖ record`, where the record starts with the block number. */
interface BlockRecord {
  readonly number: number;
  /** Offset of the record (after its length prefix) and its length. */
  readonly start: number;
  readonly end: number;
}

/** The complete block records of a block file, in order; a partly written last record is left out. */
function blockRecords(bytes: Uint8Array): BlockRecord[] {
  const out: BlockRecord[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    const length = uvarint(bytes, offset);
    const end = length.next + length.value;
    if (end > bytes.length) break;
    out.push({ number: uvarint(bytes, length.next).value, start: length.next, end });
    offset = end;
  }
  return out;
}

/**
 * Copies a peer's block files of `channel` to a fresh temporary folder. The peer keeps appending while the copy
 * is made, so the copy is cut after its last complete block, as Fabric itself recovers a block file on restart.
 */
export function copyBlockStore(peerFsPath: string, channel: string): BlockStoreCopy {
  const root = mkdtempSync(join(tmpdir(), 'asl-blockstore-'));
  const channelDir = channelBlockDir(root, channel);
  mkdirSync(channelDir, { recursive: true });
  const copies = blockFiles(channelBlockDir(peerFsPath, channel)).map((file) => {
    const target = join(channelDir, file.slice(file.lastIndexOf('/') + 1));
    cpSync(file, target);
    return target;
  });
  const last = copies.at(-1);
  if (last === undefined) throw new Error(`no block files of ${channel} under ${peerFsPath}`);
  truncateSync(last, blockRecords(readFileSync(last)).at(-1)?.end ?? 0);
  return { root, channelDir };
}

/** Skips `uvarint(length) ‖ bytes` and returns the offsets of the bytes. */
function lengthPrefixed(bytes: Uint8Array, offset: number): { start: number; end: number } {
  const length = uvarint(bytes, offset);
  return { start: length.next, end: length.next + length.value };
}

/**
 * Flips one bit of the last byte of the first transaction envelope of block `blockNumber` in the copy: a byte of
 * the envelope's signature, so every parser still reads the block, but its data no longer matches the header's
 * data hash.
 */
export function tamperWithBlockData(copy: BlockStoreCopy, blockNumber: number): void {
  for (const file of blockFiles(copy.channelDir)) {
    const bytes = readFileSync(file);
    const record = blockRecords(bytes).find((r) => r.number === blockNumber);
    if (record === undefined) continue;
    // record = uvarint(number) ‖ bytes(data_hash) ‖ bytes(previous_hash) ‖ uvarint(tx count) ‖ bytes(envelope)…
    const dataHash = lengthPrefixed(bytes, uvarint(bytes, record.start).next);
    const previousHash = lengthPrefixed(bytes, dataHash.end);
    const txCount = uvarint(bytes, previousHash.end);
    if (txCount.value === 0) throw new Error(`block ${blockNumber} has no transactions`);
    const envelope = lengthPrefixed(bytes, txCount.next);
    const index = envelope.end - 1;
    bytes[index] = (bytes[index] ?? 0) ^ 0x01;
    writeFileSync(file, bytes);
    return;
  }
  throw new Error(`block ${blockNumber} is not in the copy`);
}
