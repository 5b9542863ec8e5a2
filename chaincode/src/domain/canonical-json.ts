/**
 * Canonical JSON and content hashes (domain.md §6): the same value gives the same bytes on every peer
 * and in every gateway, whatever order its keys were built in.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

/**
 * Serialises `value` as JSON with object keys sorted by UTF-16 code units at every level, no whitespace
 * and arrays in order. For the values it accepts the output equals RFC 8785 (JCS): strings and numbers
 * are written as `JSON.stringify` writes them.
 *
 * Only JSON data is accepted: `null`, booleans, finite numbers, strings, arrays and plain objects.
 * `undefined` (also as a property value or array element), functions, symbols, bigints, non-finite
 * numbers, class instances such as `Date` or `Map`, and cycles throw an `Error` naming the path,
 * because silently dropping or nulling them (as `JSON.stringify` does) would hash something other than
 * what the caller meant. The error never contains the values themselves.
 */
export function canonicalJson(value: unknown): string {
  return write(value, '$', new Set<object>());
}

function write(value: unknown, path: string, ancestors: Set<object>): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new Error(`canonicalJson: non-finite number at ${path}`);
      return JSON.stringify(value);
    case 'object':
      if (value === null) return 'null';
      return writeContainer(value, path, ancestors);
    case 'undefined':
    case 'function':
    case 'symbol':
    case 'bigint':
      throw new Error(`canonicalJson: ${typeof value} is not JSON at ${path}`);
  }
}

function writeContainer(value: object, path: string, ancestors: Set<object>): string {
  if (ancestors.has(value)) throw new Error(`canonicalJson: cycle at ${path}`);
  ancestors.add(value);
  let out: string;
  if (Array.isArray(value)) {
    const items: readonly unknown[] = value;
    const parts: string[] = [];
    for (let i = 0; i < items.length; i += 1) {
      if (!Object.prototype.hasOwnProperty.call(items, i)) throw new Error(`canonicalJson: hole at ${path}[${i}]`);
      parts.push(write(items[i], `${path}[${i}]`, ancestors));
    }
    out = `[${parts.join(',')}]`;
  } else {
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) throw new Error(`canonicalJson: not a plain object at ${path}`);
    const record = value as Record<string, unknown>;
    const parts = Object.keys(record)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${write(record[key], `${path}.${key}`, ancestors)}`);
    out = `{${parts.join(',')}}`;
  }
  ancestors.delete(value);
  return out;
}

/** SHA-256 of the UTF-8 encoding of `text`, as 64 lower-case hex digits. */
export function sha256Hex(text: string): string {
  return bytesToHex(sha256(utf8ToBytes(text)));
}

/** The fields of an event that its content hash covers (domain.md §6). */
export interface HashedContent {
  readonly caseId: string;
  readonly type: string;
  readonly occurredAt: string;
  readonly data: unknown;
}

/**
 * `sha256Hex(canonicalJson({caseId, type, occurredAt, data}))`: identifies an event's content, so a
 * retried `sourceMessageId` with the same content is recognised and one with different content is not.
 * Other properties of `input` are ignored.
 */
export function contentHash(input: HashedContent): string {
  const { caseId, type, occurredAt, data } = input;
  return sha256Hex(canonicalJson({ caseId, type, occurredAt, data }));
}
