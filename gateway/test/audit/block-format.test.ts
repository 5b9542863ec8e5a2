import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { blockHeaderBytes, blockHeaderHash } from '../../src/audit/block-hash';
import { BlockStoreSource } from '../../src/audit/block-store-source';
import { BlockSourceError } from '../../src/audit/block-source';
import { BAD, PROD, encodeBlockFile, loadBlocks, writeBlockStore } from './ledger-fixtures';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';

describe('block header DER (fabric-native.md §5.5)', () => {
  it('encodes a genesis header as 30 27 02 01 00 04 00 04 20 …', () => {
    const bytes = blockHeaderBytes({ number: 0, previousHash: new Uint8Array(), dataHash: Buffer.alloc(32, 0xab) });
    expect(bytes.subarray(0, 9).toString('hex')).toBe('302702010004000420');
    expect(bytes.length).toBe(0x29);
  });

  it('pads an INTEGER whose top bit is set (200 → 02 02 00 c8) and uses 32-byte hashes', () => {
    const bytes = blockHeaderBytes({ number: 200, previousHash: Buffer.alloc(32, 1), dataHash: Buffer.alloc(32, 2) });
    expect(bytes.subarray(0, 6).toString('hex')).toBe('3048020200c8');
  });

  it('links the real sample_prod blocks: previous_hash(N) = hash(header(N-1))', () => {
    const blocks = loadBlocks(PROD);
    for (let n = 1; n < blocks.length; n++) {
      const prev = blocks[n - 1]!.getHeader()!;
      const expected = blockHeaderHash({ number: prev.getNumber(), previousHash: prev.getPreviousHash_asU8(), dataHash: prev.getDataHash_asU8() });
      expect(Buffer.from(blocks[n]!.getHeader()!.getPreviousHash_asU8()).equals(expected)).toBe(true);
    }
  });
});

describe('BlockStoreSource (Fabric block-file format)', () => {
  it('decodes every record so that re-encoding gives the original file byte for byte', () => {
    for (const dir of [PROD, BAD]) {
      expect(encodeBlockFile(loadBlocks(dir)).equals(readFileSync(join(dir, 'blockfile_000000')))).toBe(true);
    }
  });

  it('reads blocks by number and iterates a range in stored order', async () => {
    const source = await BlockStoreSource.open(PROD);
    expect(source.blockCount).toBe(8);
    expect((await source.getBlock(5))?.getHeader()?.getNumber()).toBe(5);
    expect(await source.getBlock(8)).toBeUndefined();
    const seen: number[] = [];
    for await (const b of source.blocks(2, 4)) seen.push(b.getHeader()!.getNumber());
    expect(seen).toEqual([2, 3, 4]);
  });

  it('reads block files in numeric order across several files', async () => {
    const blocks = loadBlocks(PROD);
    const dir = writeBlockStore(blocks.slice(0, 3));
    writeFileSync(join(dir, 'blockfile_000001'), encodeBlockFile(blocks.slice(3)));
    const source = await BlockStoreSource.open(dir);
    const seen: number[] = [];
    for await (const b of source.blocks(0)) seen.push(b.getHeader()!.getNumber());
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('fails to open a directory without block files', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'asl-audit-empty-'));
    await expect(BlockStoreSource.open(empty)).rejects.toBeInstanceOf(BlockSourceError);
  });

  it('yields the blocks before a truncated record, then throws', async () => {
    const file = encodeBlockFile(loadBlocks(PROD));
    const dir = writeBlockStore([]);
    writeFileSync(join(dir, 'blockfile_000000'), file.subarray(0, file.length - 10));
    const source = await BlockStoreSource.open(dir);
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const b of source.blocks(0)) seen.push(b.getHeader()!.getNumber());
      })(),
    ).rejects.toBeInstanceOf(BlockSourceError);
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });
});
