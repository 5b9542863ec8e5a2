import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { common } from '@hyperledger/fabric-protos';
import { type BlockSource, BlockSourceError } from './block-source';

const BLOCK_FILE = /^blockfile_(\d{6,})$/;

class Reader {
  position = 0;
  constructor(private readonly bytes: Uint8Array) {}

  get done(): boolean {
    return this.position >= this.bytes.length;
  }

  uvarint(): number {
    let value = 0n;
    let shift = 0n;
    for (;;) {
      const byte = this.bytes[this.position];
      if (byte === undefined) throw new Error('varint runs past the end');
      this.position += 1;
      value |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) break;
      shift += 7n;
      if (shift > 63n) throw new Error('varint too long');
    }
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error('varint exceeds the safe integer range');
    return Number(value);
  }

  rawBytes(): Uint8Array {
    const length = this.uvarint();
    const end = this.position + length;
    if (end > this.bytes.length) throw new Error(`field of ${length} bytes runs past the end`);
    const out = this.bytes.subarray(this.position, end);
    this.position = end;
    return out;
  }
}

/**
 * Decodes one record of Fabric's block-store serialisation (common/ledger/blkstorage/block_serialization.go):
 * `uvarint(number) ‖ bytes(data_hash) ‖ bytes(previous_hash) ‖ uvarint(n) ‖ bytes(envelope)×n ‖ uvarint(m) ‖ bytes(metadata)×m`.
 */
export function decodeBlockRecord(record: Uint8Array): common.Block {
  const r = new Reader(record);
  const header = new common.BlockHeader();
  header.setNumber(r.uvarint());
  header.setDataHash(r.rawBytes());
  header.setPreviousHash(r.rawBytes());
  const data = new common.BlockData();
  const txCount = r.uvarint();
  const envelopes: Uint8Array[] = [];
  for (let i = 0; i < txCount; i++) envelopes.push(r.rawBytes());
  data.setDataList(envelopes);
  const metadata = new common.BlockMetadata();
  const metadataCount = r.uvarint();
  const entries: Uint8Array[] = [];
  for (let i = 0; i < metadataCount; i++) entries.push(r.rawBytes());
  metadata.setMetadataList(entries);
  if (!r.done) throw new Error(`${record.length - r.position} unexpected bytes after the metadata`);
  const block = new common.Block();
  block.setHeader(header);
  block.setData(data);
  block.setMetadata(metadata);
  return block;
}

/** Splits one block file into its records (`uvarint(length) ‖ record`, repeated). */
export function splitBlockFile(bytes: Uint8Array): Uint8Array[] {
  const r = new Reader(bytes);
  const records: Uint8Array[] = [];
  while (!r.done) records.push(r.rawBytes());
  return records;
}

/**
 * Reads a copied peer block store: a directory such as `<peer fileSystemPath>/ledgersData/chains/chains/<channel>`
 * holding `blockfile_000000`, `blockfile_000001`, … The whole store is read and indexed when opened.
 */
export class BlockStoreSource implements BlockSource {
  readonly description: string;
  private readonly stored: readonly common.Block[];
  private readonly byNumber: ReadonlyMap<number, common.Block>;
  private readonly failure: BlockSourceError | undefined;

  private constructor(directory: string, stored: common.Block[], failure: BlockSourceError | undefined) {
    this.description = `block store ${directory}`;
    this.stored = stored;
    const index = new Map<number, common.Block>();
    for (const block of stored) {
      const n = block.getHeader()?.getNumber();
      if (n !== undefined && !index.has(n)) index.set(n, block);
    }
    this.byNumber = index;
    this.failure = failure;
  }

  /**
   * Opens a block-store directory. Fails only if the directory has no block files; an undecodable record is kept
   * as a failure that iteration throws when it reaches it (so the blocks before it are still verified).
   */
  static async open(directory: string): Promise<BlockStoreSource> {
    let names: string[];
    try {
      names = await readdir(directory);
    } catch (err) {
      throw new BlockSourceError(`cannot read block-store directory: ${err instanceof Error ? err.message : String(err)}`);
    }
    const files = names
      .map((name) => ({ name, match: BLOCK_FILE.exec(name) }))
      .filter((f): f is { name: string; match: RegExpExecArray } => f.match !== null)
      .sort((a, b) => Number(a.match[1]) - Number(b.match[1]));
    if (files.length === 0) throw new BlockSourceError(`no blockfile_NNNNNN files in ${directory}`);
    const blocks: common.Block[] = [];
    let failure: BlockSourceError | undefined;
    for (const file of files) {
      const bytes = await readFile(join(directory, file.name));
      try {
        const r = new Reader(bytes);
        // Record by record, so the blocks before a damaged record are still verified.
        while (!r.done) blocks.push(decodeBlockRecord(r.rawBytes()));
      } catch (err) {
        const last = blocks.at(-1)?.getHeader()?.getNumber();
        failure = new BlockSourceError(
          `${file.name}: undecodable block record: ${err instanceof Error ? err.message : String(err)}`,
          last,
        );
        break;
      }
    }
    return new BlockStoreSource(directory, blocks, failure);
  }

  /** Number of decodable blocks held. */
  get blockCount(): number {
    return this.stored.length;
  }

  getBlock(blockNumber: number): Promise<common.Block | undefined> {
    return Promise.resolve(this.byNumber.get(blockNumber));
  }

  async *blocks(from: number, to?: number): AsyncIterable<common.Block> {
    const start = this.stored.findIndex((b) => b.getHeader()?.getNumber() === from);
    if (start < 0) {
      if (this.failure) throw this.failure;
      return;
    }
    for (let i = start; i < this.stored.length; i++) {
      const block = this.stored[i];
      if (block === undefined) break;
      yield await Promise.resolve(block);
      if (to !== undefined && block.getHeader()?.getNumber() === to) return;
    }
    if (this.failure) throw this.failure;
  }
}
