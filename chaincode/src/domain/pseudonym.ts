/**
 * Keyed pseudonyms (domain.md §2): the shared state never holds an AZR number or a court file number,
 * only HMAC-SHA256 pseudonyms of them under a secret both agencies hold. Normative vectors:
 * `testdata/pseudonym.json` of the shared contract.
 */
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import { z } from 'zod';
import { DomainError } from './errors';

/** A case's pseudonym: `c` and 31 base32 characters. */
export const CASE_ID_PATTERN = /^c[a-z2-7]{31}$/;

/** A court proceeding's pseudonym: `r` and 31 base32 characters. */
export const COURT_REF_PATTERN = /^r[a-z2-7]{31}$/;

const KEY_BYTES = 32;
const PSEUDONYM_CHARS = 31;
const BASE32_ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';
const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
/** Exactly the canonical padded base64 of 32 bytes: 43 characters, the last carrying 2 zero bits, and `=`. */
const BASE64_KEY = /^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$/;
/** `k1`, `k2`, …: the number orders the epochs, so the file's order does not matter. */
const KEY_VERSION = /^k[1-9][0-9]{0,8}$/;
const AZR_DIGITS = /^[0-9]{8,16}$/;

/** One live version of the pseudonym secret `K`. */
export interface KeyEpoch {
  /** `k` followed by a positive integer; a higher number is a newer key. */
  readonly version: string;
  /** The 32 secret bytes. */
  readonly key: Uint8Array;
}

/** A case pseudonym together with the key version it was derived under. */
export interface CandidateCaseId {
  readonly version: string;
  readonly caseId: string;
}

/** RFC 4648 base32 with the lower-case alphabet `a-z2-7` and no padding. */
export function base32Lower(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = ((buffer << 8) | byte) & 0xfff;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += BASE32_ALPHABET.charAt((buffer >> bits) & 31);
    }
  }
  if (bits > 0) out += BASE32_ALPHABET.charAt((buffer << (5 - bits)) & 31);
  return out;
}

/**
 * `P(prefix, input)` = `prefix` + the first 31 characters of `base32Lower(HMAC-SHA256(key, UTF-8(input)))`.
 * Throws an `Error` if `key` is not 32 bytes.
 */
export function pseudonym(prefix: string, key: Uint8Array, input: string): string {
  if (key.length !== KEY_BYTES) throw new Error(`pseudonym: the key must be ${KEY_BYTES} bytes`);
  return prefix + base32Lower(hmac(sha256, key, utf8ToBytes(input))).slice(0, PSEUDONYM_CHARS);
}

/**
 * The AZR number with spaces (U+0020), dots and hyphens removed; it must then be 8 to 16 ASCII digits
 * (leading zeros are kept). Otherwise throws `DomainError('INVALID_INPUT', {field: 'azrNumber'})`,
 * which deliberately carries nothing of the number itself.
 */
export function normaliseAzrNumber(raw: string): string {
  const normalised = raw.replace(/[ .-]/g, '');
  if (!AZR_DIGITS.test(normalised)) throw new DomainError('INVALID_INPUT', { field: 'azrNumber' });
  return normalised;
}

/** The case pseudonym `P("c", "azr:" + normalised AZR number)`; see {@link normaliseAzrNumber} for refusals. */
export function caseIdFor(key: Uint8Array, azrNumber: string): string {
  return pseudonym('c', key, `azr:${normaliseAzrNumber(azrNumber)}`);
}

/**
 * A court's file number with spaces (U+0020) removed and upper-cased (`String.prototype.toUpperCase`,
 * which is locale-independent). Throws `DomainError('INVALID_INPUT', {field: 'fileNumber'})` if nothing
 * is left, so an empty number can never yield a shared `courtRef`.
 */
export function normaliseCourtFileNumber(ref: string): string {
  const normalised = ref.replace(/ /g, '').toUpperCase();
  if (normalised === '') throw new DomainError('INVALID_INPUT', { field: 'fileNumber' });
  return normalised;
}

/**
 * The court-proceedings pseudonym `P("r", "court:" + court + "|" + normalised file number)`. `court` is the
 * court's code from the value list and is used as given; it must be non-empty and free of `|` (which
 * would make two different inputs collide), else `DomainError('INVALID_INPUT', {field: 'court'})`.
 */
export function courtRefFor(key: Uint8Array, court: string, fileNumber: string): string {
  if (court === '' || court.includes('|')) throw new DomainError('INVALID_INPUT', { field: 'court' });
  return pseudonym('r', key, `court:${court}|${normaliseCourtFileNumber(fileNumber)}`);
}

function decodeBase64(text: string): Uint8Array {
  const body = text.replace(/=+$/, '');
  const bytes = new Uint8Array(Math.floor((body.length * 6) / 8));
  let buffer = 0;
  let bits = 0;
  let i = 0;
  for (const char of body) {
    buffer = ((buffer << 6) | BASE64_ALPHABET.indexOf(char)) & 0xffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes[i] = (buffer >> bits) & 0xff;
      i += 1;
    }
  }
  return bytes;
}

function versionNumber(version: string): number {
  if (!KEY_VERSION.test(version)) throw new Error('pseudonym: a key version must be k1, k2, …');
  return Number(version.slice(1));
}

/** Newest first: by the number after `k`, never by position in the file. */
function newestFirst(keys: readonly KeyEpoch[]): KeyEpoch[] {
  if (keys.length === 0) throw new Error('pseudonym: at least one key version must be live');
  const numbered = keys.map((epoch) => ({ epoch, n: versionNumber(epoch.version) }));
  if (new Set(numbered.map(({ n }) => n)).size !== numbered.length) {
    throw new Error('pseudonym: key versions must be unique');
  }
  return numbered.sort((a, b) => b.n - a.n).map(({ epoch }) => epoch);
}

const keyFileSchema = z
  .array(
    z.strictObject({
      version: z.string().regex(KEY_VERSION),
      key: z.string().regex(BASE64_KEY),
    }),
  )
  .min(1);

/**
 * Parses the key file: a JSON **array** of `{"version": "k<n>", "key": "<base64 of 32 bytes>"}` (the
 * shape of `keys` in the normative vectors), at least one entry, versions unique, no other fields.
 * Returns the epochs newest first (highest `n`). Throws an `Error` naming only the offending paths,
 * never key material.
 */
export function parseKeyFile(json: unknown): readonly KeyEpoch[] {
  const parsed = keyFileSchema.safeParse(json);
  if (!parsed.success) {
    const where = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.code}`);
    throw new Error(`pseudonym: invalid key file (${where.join('; ')})`);
  }
  return newestFirst(parsed.data.map(({ version, key }) => ({ version, key: decodeBase64(key) })));
}

/**
 * The case pseudonyms of one AZR number under every live key, newest version first (highest number
 * after `k`, whatever the order of `keys`). Resolution (domain.md §2): the first candidate that names
 * an existing case wins; if none does, a new case takes the first (newest) one. Throws like
 * {@link normaliseAzrNumber}, and an `Error` for no keys or malformed or duplicate key versions.
 */
export function candidateCaseIds(keys: readonly KeyEpoch[], azrNumber: string): readonly CandidateCaseId[] {
  const input = `azr:${normaliseAzrNumber(azrNumber)}`;
  return newestFirst(keys).map(({ version, key }) => ({ version, caseId: pseudonym('c', key, input) }));
}
