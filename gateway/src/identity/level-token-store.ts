import { ClassicLevel } from 'classic-level';
import { TokenRecordSchema, type TokenRecord, type TokenStore } from './tokens';

/**
 * Token records on disk (classic-level): `t:<tokenId>` → record, `h:<sha256>` → tokenId,
 * `u:<userId>:<tokenId>` → '' (per-user index). Only hashes are stored, never tokens.
 */
export class LevelTokenStore implements TokenStore {
  private constructor(private readonly db: ClassicLevel<string, string>) {}

  static async open(location: string): Promise<LevelTokenStore> {
    const db = new ClassicLevel<string, string>(location, { valueEncoding: 'utf8' });
    await db.open();
    return new LevelTokenStore(db);
  }

  async put(record: TokenRecord): Promise<void> {
    const r = TokenRecordSchema.parse(record);
    await this.db.batch([
      { type: 'put', key: `t:${r.tokenId}`, value: JSON.stringify(r) },
      { type: 'put', key: `h:${r.tokenHash}`, value: r.tokenId },
      { type: 'put', key: `u:${r.userId}:${r.tokenId}`, value: '' },
    ]);
  }

  async getByHash(tokenHash: string): Promise<TokenRecord | undefined> {
    const id = await this.db.get(`h:${tokenHash}`);
    return id === undefined ? undefined : this.getById(id);
  }

  async getById(tokenId: string): Promise<TokenRecord | undefined> {
    const v = await this.db.get(`t:${tokenId}`);
    return v === undefined ? undefined : TokenRecordSchema.parse(JSON.parse(v));
  }

  async listByUser(userId: string): Promise<TokenRecord[]> {
    const out: TokenRecord[] = [];
    for await (const key of this.db.keys({ gt: `u:${userId}:`, lt: `u:${userId};` })) {
      const r = await this.getById(key.slice(`u:${userId}:`.length));
      if (r) out.push(r);
    }
    return out;
  }

  close(): Promise<void> {
    return this.db.close();
  }
}
