import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sharedDir } from '@asl/network/layout';
import { common } from '@hyperledger/fabric-protos';
import { blockDataHash, blockHeaderHash } from '../../src/audit/block-hash';
import type { BlockSource } from '../../src/audit/block-source';
import { decodeBlockRecord, splitBlockFile } from '../../src/audit/block-store-source';
import { readFileSync } from 'node:fs';

/** The real Fabric block files of the shared test data (../shared beside the checkout, or $ASL_SHARED_DIR). */
export const LEDGERS = join(sharedDir(), 'testdata', 'fabric-ledgers');
export const PROD = join(LEDGERS, 'sample_prod');
export const BAD = join(LEDGERS, 'sample_bad_ledger');
/**
 * Blocks 0–15 of this project's own channel `ankerdresden`, copied from peer0.bamf of the live network
 * (fixtures/ankerdresden/README.md): lifecycle, value-list seeding and two case events written through the gateways.
 */
export const ANKERDRESDEN = join(__dirname, 'fixtures', 'ankerdresden');

/**
 * The receipt the ZAB gateway returned for block 14 of {@link ANKERDRESDEN} (a `CASE_REGISTERED` by ZAB's adapter;
 * fields as the live suite's write answered them, re-read from the block's event payload).
 */
export const ANKERDRESDEN_RECEIPT_14 = {
  txId: 'ed86639fe99b8e47d6022526fdbe2ab043cc5014c26fbdedbb553b0219891254',
  blockNumber: '14',
  txIndex: 0,
  validationCode: 'VALID',
  endorsers: ['BamfMSP', 'ZabSachsenMSP'],
  writer: { mspId: 'ZabSachsenMSP', enrollmentId: 'zab-live-adapter-276b01', role: 'adapter' },
  recordedAt: '2026-12-02T14:14:26.802Z',
  ruleVersion: '1.0.0',
} as const;

/** The receipt of block 15 of {@link ANKERDRESDEN} (an `APPLICATION_FILED` by BAMF's adapter). */
export const ANKERDRESDEN_RECEIPT_15 = {
  txId: '7e612b343809eba3d318c406e12a1e9e10aa1b06a01d3aa511ed1f101e4ea9ac',
  blockNumber: '15',
  txIndex: 0,
  validationCode: 'VALID',
  endorsers: ['BamfMSP', 'ZabSachsenMSP'],
  writer: { mspId: 'BamfMSP', enrollmentId: 'bamf-live-adapter-276b01', role: 'adapter' },
  recordedAt: '2026-12-02T14:14:27.501Z',
  ruleVersion: '1.0.0',
} as const;

/** Decoded blocks of a test ledger, in file order. */
export function loadBlocks(directory: string): common.Block[] {
  return splitBlockFile(readFileSync(join(directory, 'blockfile_000000'))).map(decodeBlockRecord);
}

/** A deep copy of a block (via its protobuf encoding). */
export function cloneBlock(block: common.Block): common.Block {
  return common.Block.deserializeBinary(block.serializeBinary());
}

/**
 * In-memory block source, yielding blocks in the given order (so reorderings stay visible). `reads` counts the
 * blocks it handed out (by number), so tests can see what a verification cost; `list` may be changed between reads.
 */
export class MemoryBlockSource implements BlockSource {
  readonly description = 'memory';
  readonly reads: number[] = [];
  constructor(public list: readonly common.Block[]) {}

  getBlock(n: number): Promise<common.Block | undefined> {
    const block = this.list.find((b) => b.getHeader()?.getNumber() === n);
    if (block) this.reads.push(n);
    return Promise.resolve(block);
  }

  async *blocks(from: number, to?: number): AsyncIterable<common.Block> {
    const start = this.list.findIndex((b) => b.getHeader()?.getNumber() === from);
    if (start < 0) return;
    for (const block of this.list.slice(start)) {
      this.reads.push(block.getHeader()?.getNumber() ?? -1);
      yield await Promise.resolve(block);
      if (block.getHeader()?.getNumber() === to) return;
    }
  }
}

function uvarint(n: number): Buffer {
  const out: number[] = [];
  let x = BigInt(n);
  do {
    let byte = Number(x & 0x7fn);
    x >>= 7n;
    if (x > 0n) byte |= 0x80;
    out.push(byte);
  } while (x > 0n);
  return Buffer.from(out);
}

function bytesField(b: Uint8Array): Buffer {
  return Buffer.concat([uvarint(b.length), Buffer.from(b)]);
}

/** Encodes blocks in Fabric's block-file format (the inverse of the reader under test, written independently). */
export function encodeBlockFile(blocks: readonly common.Block[]): Buffer {
  return Buffer.concat(
    blocks.map((block) => {
      const header = block.getHeader()!;
      const data = block.getData()?.getDataList_asU8() ?? [];
      const metadata = block.getMetadata()?.getMetadataList_asU8() ?? [];
      const record = Buffer.concat([
        uvarint(header.getNumber()),
        bytesField(header.getDataHash_asU8()),
        bytesField(header.getPreviousHash_asU8()),
        uvarint(data.length),
        ...data.map(bytesField),
        uvarint(metadata.length),
        ...metadata.map(bytesField),
      ]);
      return Buffer.concat([uvarint(record.length), record]);
    }),
  );
}

/** Writes blocks as a fresh block-store directory and returns its path. */
export function writeBlockStore(blocks: readonly common.Block[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'asl-audit-'));
  writeFileSync(join(dir, 'blockfile_000000'), encodeBlockFile(blocks));
  return dir;
}

/** Recomputes a block's data_hash from its data, as a forger covering a data change would. */
export function refreshDataHash(block: common.Block): void {
  block.getHeader()!.setDataHash(blockDataHash(block.getData()!.getDataList_asU8()));
}

/** Hash of a block's header. */
export function headerHash(block: common.Block): Buffer {
  const h = block.getHeader()!;
  return blockHeaderHash({ number: h.getNumber(), previousHash: h.getPreviousHash_asU8(), dataHash: h.getDataHash_asU8() });
}

/** Flips one bit of byte `index` of a copy of `bytes`. */
export function flipByte(bytes: Uint8Array, index: number): Uint8Array {
  const copy = Uint8Array.from(bytes);
  copy[index] = (copy[index] ?? 0) ^ 0x01;
  return copy;
}

/** Finds `needle` in `haystack`; throws if absent (a test fixture assumption that must hold). */
export function indexOf(haystack: Uint8Array, needle: Uint8Array): number {
  const i = Buffer.from(haystack).indexOf(Buffer.from(needle));
  if (i < 0) throw new Error('fixture: byte sequence not found');
  return i;
}

/** Codes of a block report's errors, sorted (set semantics). */
export function codes(findings: readonly { code: string }[]): string[] {
  return [...new Set(findings.map((f) => f.code))].sort();
}
