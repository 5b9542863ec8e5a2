import { createHash } from 'node:crypto';

/** The three header fields that Fabric hashes (protoutil.BlockHeaderBytes). */
export interface HeaderFields {
  readonly number: number;
  readonly previousHash: Uint8Array;
  readonly dataHash: Uint8Array;
}

function derLength(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let x = n; x > 0; x = Math.floor(x / 256)) bytes.unshift(x & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function tlv(tag: number, value: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), derLength(value.length), value]);
}

function derUnsignedInteger(x: number): Buffer {
  let hex = BigInt(x).toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  let bytes = Buffer.from(hex, 'hex');
  // DER INTEGER is two's complement: a set top bit would make it negative.
  if ((bytes[0] ?? 0) & 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  return tlv(0x02, bytes);
}

/** DER(SEQUENCE{INTEGER number, OCTET STRING previous_hash, OCTET STRING data_hash}) — what the orderer signs and hashes. */
export function blockHeaderBytes(header: HeaderFields): Buffer {
  return tlv(
    0x30,
    Buffer.concat([
      derUnsignedInteger(header.number),
      tlv(0x04, Buffer.from(header.previousHash)),
      tlv(0x04, Buffer.from(header.dataHash)),
    ]),
  );
}

/** SHA-256 of {@link blockHeaderBytes}: the block hash, and the next block's previous_hash. */
export function blockHeaderHash(header: HeaderFields): Buffer {
  return createHash('sha256').update(blockHeaderBytes(header)).digest();
}

/** SHA-256 of the plain concatenation of the raw envelope bytes (protoutil.BlockDataHash). */
export function blockDataHash(envelopes: readonly Uint8Array[]): Buffer {
  const hash = createHash('sha256');
  for (const envelope of envelopes) hash.update(envelope);
  return hash.digest();
}
