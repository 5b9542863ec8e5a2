import type { z } from 'zod';
import { canonicalJson } from '../domain/canonical-json';

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/** Canonical JSON text (domain core: sorted keys, no whitespace), for transaction results. */
export function canonicalText(value: unknown): string {
  return canonicalJson(value);
}

/**
 * The canonical JSON (domain core: sorted keys, no whitespace) of a value as UTF-8 bytes, for `putState`,
 * `putPrivateData` and `setEvent`: every peer writes the same bytes, so endorsements match.
 */
export function encodeState(value: unknown): Uint8Array {
  return encoder.encode(canonicalJson(value));
}

/** Stored state that does not parse: a bug or tampering. The message never carries the value. */
export class StoredStateError extends Error {
  override readonly name = 'StoredStateError';

  constructor() {
    super('stored state does not match its schema');
  }
}

/**
 * Parses stored bytes with a schema; undefined for an absent key (empty value). Stored state that no
 * longer parses is a bug or tampering, never the caller's fault, so it throws a plain error.
 */
export function decodeState<S extends z.ZodType>(bytes: Uint8Array, schema: S): z.infer<S> | undefined {
  if (bytes.length === 0) return undefined;
  const json = parseJsonText(decodeUtf8(bytes) ?? '');
  const parsed = json.ok ? schema.safeParse(json.value) : undefined;
  if (!parsed?.success) throw new StoredStateError();
  return parsed.data;
}

/** Parses JSON text from a client; undefined when it is not JSON (never echoing the text). */
export function parseJsonText(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    const value: unknown = JSON.parse(text);
    return { ok: true, value };
  } catch {
    return { ok: false };
  }
}

/** Decodes UTF-8 bytes from a client; undefined when they are not valid UTF-8. */
export function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return decoder.decode(bytes);
  } catch {
    return undefined;
  }
}
