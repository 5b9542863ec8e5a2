import type { z } from 'zod';
import { DomainError } from '../domain/errors';

const MAX_ISSUES = 10;

/**
 * `INVALID_INPUT` from a schema failure. The detail names where (`argument` or a transient key) and,
 * per issue, the field path and zod's issue code: never a value, never an unknown key's name (a
 * client could put anything into a key).
 */
export function invalidInput(where: string, error?: z.ZodError): DomainError {
  const issues = (error?.issues ?? []).slice(0, MAX_ISSUES).map((issue) => ({
    path: issue.path.map((p) => (typeof p === 'number' ? String(p) : typeof p === 'string' ? p : '?')).join('.'),
    code: issue.code,
  }));
  return new DomainError('INVALID_INPUT', issues.length > 0 ? { where, issues } : { where });
}

/** Parses a value with a schema, or throws `INVALID_INPUT` naming `where`. */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown, where: string): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw invalidInput(where, parsed.error);
  return parsed.data;
}
