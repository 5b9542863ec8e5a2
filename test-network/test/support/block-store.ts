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

/** Where the parts of one block record lie in its block file (offsets of each field's bytes, without their lengths). */
interface RecordFields {
  readonly dataHash: { start: number; end: number };
  readonly previousHash: { start: number; end: number };
  readonly envelopes: readonly { start: number; end: number }[];
  /** Metadata entries by index: 0 SIGNATURES, 1 LAST_CONFIG, 2 TRANSACTIONS_FILTER, 3 ORDERER, 4 COMMIT_HASH. */
  readonly metadata: readonly { start: number; end: number }[];
}

/** record = uvarint(number) ‖ bytes(data_hash) ‖ bytes(previous_hash) ‖ uvarint(n) ‖ bytes(envelope)×n ‖ uvarint(m) ‖ bytes(metadata)×m */
function recordFields(bytes: Uint8Array, record: BlockRecord): RecordFields {
  const dataHash = lengthPrefixed(bytes, uvarint(bytes, record.start).next);
  const previousHash = lengthPrefixed(bytes, dataHash.end);
  const txCount = uvarint(bytes, previousHash.end);
  const envelopes: { start: number; end: number }[] = [];
  let at = txCount.next;
  for (let i = 0; i < txCount.value; i++) {
    const e = lengthPrefixed(bytes, at);
    envelopes.push(e);
    at = e.end;
  }
  const metadataCount = uvarint(bytes, at);
  const metadata: { start: number; end: number }[] = [];
  at = metadataCount.next;
  for (let i = 0; i < metadataCount.value; i++) {
    const m = lengthPrefixed(bytes, at);
    metadata.push(m);
    at = m.end;
  }
  return { dataHash, previousHash, envelopes, metadata };
}

/**
 * Changes block `blockNumber` of the copy in place: `change` gets the block file's bytes and the block's field
 * offsets and edits bytes without changing any length, so every reader still parses the file.
 */
export function editBlock(copy: BlockStoreCopy, blockNumber: number, change: (bytes: Buffer, fields: RecordFields) => void): void {
  for (const file of blockFiles(copy.channelDir)) {
    const bytes = readFileSync(file);
    const record = blockRecords(bytes).find((r) => r.number === blockNumber);
    if (record === undefined) continue;
    change(bytes, recordFields(bytes, record));
    writeFileSync(file, bytes);
    return;
  }
  throw new Error(`block ${blockNumber} is not in the copy`);
}

function flip(bytes: Buffer, index: number): void {
  bytes[index] = (bytes[index] ?? 0) ^ 0x01;
}

/**
 * Flips one bit of the last byte of the first transaction envelope of block `blockNumber` in the copy: a byte of
 * the envelope's signature, so every parser still reads the block, but its data no longer matches the header's
 * data hash.
 */
export function tamperWithBlockData(copy: BlockStoreCopy, blockNumber: number): void {
  editBlock(copy, blockNumber, (bytes, fields) => {
    const envelope = fields.envelopes[0];
    if (envelope === undefined) throw new Error(`block ${blockNumber} has no transactions`);
    flip(bytes, envelope.end - 1);
  });
}

/** Flips one bit of the last byte of block `blockNumber`'s header field data_hash (the header, not the data). */
export function tamperWithDataHash(copy: BlockStoreCopy, blockNumber: number): void {
  editBlock(copy, blockNumber, (bytes, fields) => flip(bytes, fields.dataHash.end - 1));
}

/**
 * Flips one bit of the last byte of the metadata entry `index` of block `blockNumber`: for SIGNATURES (0) that is
 * the last byte of the orderer's signature (a `Metadata` message ends with its last signature's fields, and an
 * orderer's `MetadataSignature` ends with the signature bytes), for COMMIT_HASH (4) a byte of the hash. Metadata
 * lies outside the header hash.
 */
export function tamperWithMetadata(copy: BlockStoreCopy, blockNumber: number, index: number): void {
  editBlock(copy, blockNumber, (bytes, fields) => {
    const entry = fields.metadata[index];
    if (entry === undefined || entry.end === entry.start) throw new Error(`block ${blockNumber} has no metadata entry ${index}`);
    flip(bytes, entry.end - 1);
  });
}

/** Sets the validation code (TRANSACTIONS_FILTER, metadata entry 2) of transaction `txIndex` of block `blockNumber`. */
export function setValidationCode(copy: BlockStoreCopy, blockNumber: number, txIndex: number, code: number): void {
  editBlock(copy, blockNumber, (bytes, fields) => {
    const filter = fields.metadata[2];
    if (filter === undefined || filter.start + txIndex >= filter.end) throw new Error(`block ${blockNumber} has no validation code for transaction ${txIndex}`);
    bytes[filter.start + txIndex] = code;
  });
}
