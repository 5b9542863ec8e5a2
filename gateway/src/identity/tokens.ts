import { createHash, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { ActorRoleSchema } from './roles';

/** Prefix of every gateway token (architecture.md: `asl_` + 32 random bytes, base64url). */
export const TOKEN_PREFIX = 'asl_';

const TOKEN_PATTERN = /^asl_[A-Za-z0-9_-]{43}$/;

/** How long a token lives: people sign in for a working day, systems rotate quarterly. */
export const TOKEN_LIFETIME_MS = {
  person: 12 * 60 * 60 * 1000,
  system: 90 * 24 * 60 * 60 * 1000,
} as const;

export const TokenRecordSchema = z.strictObject({
  tokenId: z.string().regex(/^tok_[A-Za-z0-9_-]{16,64}$/),
  userId: z.string().min(1).max(128),
  tokenHash: z.string().regex(/^[0-9a-f]{64}$/),
  role: ActorRoleSchema,
  kind: z.enum(['person', 'system']),
  issuedAt: z.iso.datetime(),
  expiresAt: z.iso.datetime(),
  revokedAt: z.iso.datetime().optional(),
});
/** A stored token: only its SHA-256 hash, never the token itself. */
export type TokenRecord = z.infer<typeof TokenRecordSchema>;

/** Where token records live (classic-level on disk in the gateway, a map in unit tests). */
export interface TokenStore {
  put(record: TokenRecord): Promise<void>;
  getByHash(tokenHash: string): Promise<TokenRecord | undefined>;
  getById(tokenId: string): Promise<TokenRecord | undefined>;
  listByUser(userId: string): Promise<TokenRecord[]>;
}

/** The subject a valid token stands for. */
export interface TokenSubject {
  readonly tokenId: string;
  readonly userId: string;
  readonly role: TokenRecord['role'];
  readonly kind: TokenRecord['kind'];
  readonly expiresAt: string;
}

/** Why a token was refused; the gateway answers every one of them with the same 401 `UNAUTHENTICATED`. */
export type TokenRefusal = 'MALFORMED' | 'UNKNOWN' | 'EXPIRED' | 'REVOKED';

export class TokenRefused extends Error {
  override readonly name = 'TokenRefused';
  constructor(readonly reason: TokenRefusal) {
    super(`token refused: ${reason}`);
  }
}

export interface TokenServiceOptions {
  readonly store: TokenStore;
  /** The current instant; injected so tests can move time. */
  readonly now: () => Date;
  /** Cryptographically secure random bytes (node:crypto randomBytes in the gateway). */
  readonly randomBytes: (size: number) => Buffer;
}

/** SHA-256 of a token, hex; the only form in which a token is stored. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Issues, authenticates and revokes opaque bearer tokens. */
export class TokenService {
  readonly #store: TokenStore;
  readonly #now: () => Date;
  readonly #randomBytes: (size: number) => Buffer;

  constructor(options: TokenServiceOptions) {
    this.#store = options.store;
    this.#now = options.now;
    this.#randomBytes = options.randomBytes;
  }

  /** Issues a new token for a user; the token is returned once and only its hash is stored. */
  async issue(user: { userId: string; role: TokenRecord['role'] }): Promise<{ token: string; record: TokenRecord }> {
    const token = TOKEN_PREFIX + this.#randomBytes(32).toString('base64url');
    const kind = user.role === 'adapter' ? 'system' : 'person';
    const issuedAt = this.#now();
    const record: TokenRecord = {
      tokenId: 'tok_' + this.#randomBytes(12).toString('base64url'),
      userId: user.userId,
      tokenHash: hashToken(token),
      role: user.role,
      kind,
      issuedAt: issuedAt.toISOString(),
      expiresAt: new Date(issuedAt.getTime() + TOKEN_LIFETIME_MS[kind]).toISOString(),
    };
    await this.#store.put(record);
    return { token, record };
  }

  /** The subject of a valid token; throws `TokenRefused` otherwise. */
  async authenticate(token: string): Promise<TokenSubject> {
    if (!TOKEN_PATTERN.test(token)) throw new TokenRefused('MALFORMED');
    const presented = hashToken(token);
    const record = await this.#store.getByHash(presented);
    if (!record || !timingSafeEqual(Buffer.from(record.tokenHash, 'hex'), Buffer.from(presented, 'hex'))) {
      throw new TokenRefused('UNKNOWN');
    }
    if (record.revokedAt !== undefined) throw new TokenRefused('REVOKED');
    if (Date.parse(record.expiresAt) <= this.#now().getTime()) throw new TokenRefused('EXPIRED');
    return { tokenId: record.tokenId, userId: record.userId, role: record.role, kind: record.kind, expiresAt: record.expiresAt };
  }

  /** Revokes one token of a user. Returns false when the user has no such token. */
  async revoke(userId: string, tokenId: string): Promise<boolean> {
    const record = await this.#store.getById(tokenId);
    if (!record || record.userId !== userId) return false;
    if (record.revokedAt === undefined) await this.#store.put({ ...record, revokedAt: this.#now().toISOString() });
    return true;
  }

  /** Revokes every token of a user (used when the user's certificate is revoked). */
  async revokeAll(userId: string): Promise<number> {
    const records = await this.#store.listByUser(userId);
    const at = this.#now().toISOString();
    const open = records.filter((r) => r.revokedAt === undefined);
    for (const record of open) await this.#store.put({ ...record, revokedAt: at });
    return open.length;
  }
}

/** A TokenStore in memory, for unit tests of code above it. */
export class MemoryTokenStore implements TokenStore {
  readonly #byId = new Map<string, TokenRecord>();

  put(record: TokenRecord): Promise<void> {
    this.#byId.set(record.tokenId, TokenRecordSchema.parse(record));
    return Promise.resolve();
  }
  getByHash(tokenHash: string): Promise<TokenRecord | undefined> {
    return Promise.resolve([...this.#byId.values()].find((r) => r.tokenHash === tokenHash));
  }
  getById(tokenId: string): Promise<TokenRecord | undefined> {
    return Promise.resolve(this.#byId.get(tokenId));
  }
  listByUser(userId: string): Promise<TokenRecord[]> {
    return Promise.resolve([...this.#byId.values()].filter((r) => r.userId === userId));
  }
}
