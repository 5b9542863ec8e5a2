import { RoleSchema, type Role } from '@asl/chaincode/domain';
import { ClassicLevel } from 'classic-level';
import { z } from 'zod';
import { GatewayError, LEDGER_RETRY_AFTER_SECONDS } from '../http/problem';
import type { IdentityService } from '../ports/identity-service';
import { SealedSchema, type KeyVault } from './key-vault';
import type { TokenService } from './tokens';

export const UserRecordSchema = z.strictObject({
  userId: z.string(),
  role: RoleSchema,
  certificatePem: z.string(),
  sealedKey: SealedSchema,
  createdAt: z.iso.datetime(),
  revokedAt: z.iso.datetime().optional(),
});
/** A user of this gateway: the CA identity with its key sealed at rest. */
export type UserRecord = z.infer<typeof UserRecordSchema>;

/** Where user records live. */
export interface UserStore {
  get(userId: string): Promise<UserRecord | undefined>;
  put(record: UserRecord): Promise<void>;
}

/** Users in memory (unit tests). */
export class MemoryUserStore implements UserStore {
  readonly #users = new Map<string, UserRecord>();
  get(userId: string): Promise<UserRecord | undefined> {
    return Promise.resolve(this.#users.get(userId));
  }
  put(record: UserRecord): Promise<void> {
    this.#users.set(record.userId, UserRecordSchema.parse(record));
    return Promise.resolve();
  }
}

/** Users on disk (classic-level), one JSON record per user id. */
export class LevelUserStore implements UserStore {
  private constructor(private readonly db: ClassicLevel<string, string>) {}
  static async open(location: string): Promise<LevelUserStore> {
    const db = new ClassicLevel<string, string>(location, { valueEncoding: 'utf8' });
    await db.open();
    return new LevelUserStore(db);
  }
  async get(userId: string): Promise<UserRecord | undefined> {
    const v = await this.db.get(userId);
    return v === undefined ? undefined : UserRecordSchema.parse(JSON.parse(v));
  }
  put(record: UserRecord): Promise<void> {
    return this.db.put(record.userId, JSON.stringify(UserRecordSchema.parse(record)));
  }
  close(): Promise<void> {
    return this.db.close();
  }
}

/** What issuing a token answers (the token itself is shown once). */
export interface IssuedToken {
  readonly userId: string;
  readonly role: Role;
  readonly tokenId: string;
  readonly token: string;
  readonly expiresAt: string;
}

/** Options of {@link UserDirectory}. */
export interface UserDirectoryOptions {
  readonly store: UserStore;
  readonly identities: IdentityService;
  readonly vault: KeyVault;
  readonly tokens: TokenService;
  readonly now: () => Date;
  /**
   * How long a certificate the CA last confirmed as not revoked may still sign while the CA cannot be asked (default
   * 5 minutes); after that a write is refused with 503 until the CA answers again.
   */
  readonly caOutageGraceMs?: number;
}

const DEFAULT_CA_OUTAGE_GRACE_MS = 5 * 60_000;

/**
 * User administration: registration and enrolment in the agency's CA, the sealed key, tokens, and
 * revocation (all tokens plus the certificate). The table of error codes has no code for an unknown or
 * duplicate user; both answer `INVALID_INPUT` with `reason`.
 */
export class UserDirectory {
  /** When the CA last confirmed each user's certificate as not revoked (ms since the epoch). */
  readonly #confirmed = new Map<string, number>();

  constructor(private readonly o: UserDirectoryOptions) {}

  async create(userId: string, role: Role): Promise<IssuedToken> {
    if (await this.o.store.get(userId)) throw new GatewayError('INVALID_INPUT', { field: 'userId', reason: 'USER_EXISTS' });
    const enrolment = await this.o.identities.registerAndEnrol({ enrollmentId: userId, role });
    await this.o.store.put({
      userId,
      role,
      certificatePem: enrolment.certificatePem,
      sealedKey: this.o.vault.seal(enrolment.privateKeyPem, userId),
      createdAt: this.o.now().toISOString(),
    });
    return this.#issue(userId, role);
  }

  async issueToken(userId: string): Promise<IssuedToken> {
    const user = await this.#active(userId);
    return this.#issue(user.userId, user.role);
  }

  async revokeToken(userId: string, tokenId: string): Promise<void> {
    if (!(await this.o.tokens.revoke(userId, tokenId))) throw new GatewayError('INVALID_INPUT', { field: 'tokenId', reason: 'UNKNOWN_TOKEN' });
  }

  async revokeUser(userId: string): Promise<{ revokedTokens: number; certificateRevoked: boolean }> {
    const user = await this.o.store.get(userId);
    if (!user) throw new GatewayError('INVALID_INPUT', { field: 'userId', reason: 'UNKNOWN_USER' });
    const revokedTokens = await this.o.tokens.revokeAll(userId);
    if (user.revokedAt === undefined) {
      await this.o.identities.revoke(userId);
      await this.o.store.put({ ...user, revokedAt: this.o.now().toISOString() });
    }
    return { revokedTokens, certificateRevoked: true };
  }

  /**
   * Refuses a write signed by a certificate the CA has revoked, asked before every write: the channel's MSPs carry no
   * revocation list, so the peers would endorse and commit it (gateway README, revocation). A certificate revoked in
   * the CA behind the gateway's back (another gateway instance, the CA's own client) also ends the user here: all
   * its tokens are revoked and the user is marked revoked, and the caller gets 401 UNAUTHENTICATED. While the CA
   * cannot be asked, a certificate it confirmed within the grace period still signs; otherwise 503.
   */
  async ensureCertificateValid(userId: string): Promise<void> {
    const user = await this.o.store.get(userId);
    if (!user || user.revokedAt !== undefined) throw new GatewayError('UNAUTHENTICATED');
    let revoked: boolean;
    try {
      revoked = await this.o.identities.isRevoked(userId, user.certificatePem);
    } catch {
      const confirmed = this.#confirmed.get(userId);
      const grace = this.o.caOutageGraceMs ?? DEFAULT_CA_OUTAGE_GRACE_MS;
      if (confirmed !== undefined && this.o.now().getTime() - confirmed <= grace) return;
      throw new GatewayError('LEDGER_UNAVAILABLE', { reason: 'CA_UNAVAILABLE' }, LEDGER_RETRY_AFTER_SECONDS);
    }
    if (!revoked) {
      this.#confirmed.set(userId, this.o.now().getTime());
      return;
    }
    this.#confirmed.delete(userId);
    await this.o.tokens.revokeAll(userId);
    await this.o.store.put({ ...user, revokedAt: this.o.now().toISOString() });
    throw new GatewayError('UNAUTHENTICATED', { reason: 'CERTIFICATE_REVOKED' });
  }

  /** The signing identity of a user (for the Fabric ledger), key unsealed. */
  async signingIdentity(userId: string): Promise<{ certificatePem: string; privateKeyPem: string }> {
    const user = await this.#active(userId);
    return { certificatePem: user.certificatePem, privateKeyPem: this.o.vault.open(user.sealedKey, userId) };
  }

  async #active(userId: string): Promise<UserRecord> {
    const user = await this.o.store.get(userId);
    if (!user || user.revokedAt !== undefined) throw new GatewayError('INVALID_INPUT', { field: 'userId', reason: 'UNKNOWN_USER' });
    return user;
  }

  async #issue(userId: string, role: Role): Promise<IssuedToken> {
    const { token, record } = await this.o.tokens.issue({ userId, role });
    return { userId, role, tokenId: record.tokenId, token, expiresAt: record.expiresAt };
  }
}
