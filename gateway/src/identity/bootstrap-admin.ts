import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { TokenRefused, type TokenService } from './tokens';
import type { UserDirectory, UserStore } from './users';

/** What the bootstrap admin's token file holds (mode 0600). */
export const BootstrapTokenFileSchema = z.strictObject({ userId: z.string(), token: z.string(), expiresAt: z.iso.datetime() });
/** The parsed token file. */
export type BootstrapTokenFile = z.infer<typeof BootstrapTokenFileSchema>;

/** Options of {@link ensureBootstrapAdmin}. */
export interface BootstrapAdminOptions {
  readonly users: UserDirectory;
  readonly store: UserStore;
  readonly tokens: TokenService;
  readonly userId: string;
  /** Where the admin's token is written (mode 0600). */
  readonly tokenFile: string;
}

/** What {@link ensureBootstrapAdmin} did. */
export type BootstrapOutcome = 'created' | 'token-renewed' | 'unchanged' | 'revoked';

function readTokenFile(file: string): BootstrapTokenFile | undefined {
  if (!existsSync(file)) return undefined;
  try {
    return BootstrapTokenFileSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  } catch {
    return undefined;
  }
}

/** Writes the token file atomically with mode 0600 (also when a file with a wider mode was there before). */
function writeTokenFile(file: string, content: BootstrapTokenFile): void {
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, JSON.stringify(content) + '\n', { mode: 0o600 });
  renameSync(tmp, file);
}

/**
 * The gateway's first admin, so an operator can register everyone else through the API. On the first start it is
 * registered and enrolled in the agency's CA and its token written to `tokenFile`. On every later start the token in
 * that file is checked: a missing, unreadable, expired (an admin is a person: 12 hours) or revoked token is replaced
 * by a new one for the same user, so the operator who can start the gateway can always reach its admin routes. A
 * revoked admin user stays revoked (`revoked`; nothing is written).
 */
export async function ensureBootstrapAdmin(o: BootstrapAdminOptions): Promise<BootstrapOutcome> {
  const user = await o.store.get(o.userId);
  if (user === undefined) {
    const issued = await o.users.create(o.userId, 'admin');
    writeTokenFile(o.tokenFile, { userId: issued.userId, token: issued.token, expiresAt: issued.expiresAt });
    return 'created';
  }
  if (user.revokedAt !== undefined) return 'revoked';
  const current = readTokenFile(o.tokenFile);
  if (current !== undefined && current.userId === o.userId) {
    try {
      await o.tokens.authenticate(current.token);
      return 'unchanged';
    } catch (error) {
      if (!(error instanceof TokenRefused)) throw error;
    }
  }
  const issued = await o.users.issueToken(o.userId);
  writeTokenFile(o.tokenFile, { userId: issued.userId, token: issued.token, expiresAt: issued.expiresAt });
  return 'token-renewed';
}
