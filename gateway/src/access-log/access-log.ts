import { createHash } from 'node:crypto';
import { canonicalJson } from '@asl/chaincode/domain';
import { ClassicLevel } from 'classic-level';
import type { AccessLog, AccessLogEntry, AccessQuery, AccessRecord } from '../ports/access-log';

const GENESIS = '0'.repeat(64);

function hashOf(entry: Omit<AccessLogEntry, 'hash'>): string {
  return createHash('sha256').update(canonicalJson(entry), 'utf8').digest('hex');
}

function matches(e: AccessLogEntry, q: AccessQuery): boolean {
  if (q.afterSeq !== undefined && e.seq <= q.afterSeq) return false;
  if (q.caseId !== undefined && e.caseId !== q.caseId) return false;
  if (q.from !== undefined && Date.parse(e.at) < Date.parse(q.from)) return false;
  if (q.to !== undefined && Date.parse(e.at) >= Date.parse(q.to)) return false;
  return true;
}

/** Storage of the chained entries: memory for unit tests, classic-level in the server. */
interface Backend {
  last(): Promise<AccessLogEntry | undefined>;
  put(entry: AccessLogEntry): Promise<void>;
  scan(afterSeq: number): AsyncIterable<AccessLogEntry>;
}

/** The hash-chained, append-only access log over a backend. */
class ChainedAccessLog implements AccessLog {
  #queue: Promise<unknown> = Promise.resolve();
  constructor(private readonly backend: Backend) {}

  append(record: AccessRecord): Promise<AccessLogEntry> {
    const run = this.#queue.then(async () => {
      const last = await this.backend.last();
      const body = { ...record, fields: [...record.fields], seq: (last?.seq ?? 0) + 1, prevHash: last?.hash ?? GENESIS };
      const entry: AccessLogEntry = { ...body, hash: hashOf(body) };
      await this.backend.put(entry);
      return entry;
    });
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async query(q: AccessQuery): Promise<readonly AccessLogEntry[]> {
    const out: AccessLogEntry[] = [];
    for await (const e of this.backend.scan(q.afterSeq ?? 0)) {
      if (!matches(e, q)) continue;
      out.push(e);
      if (out.length >= q.limit) break;
    }
    return out;
  }

  async verify(): Promise<number | undefined> {
    let prev = GENESIS;
    let expected = 1;
    for await (const e of this.backend.scan(0)) {
      const { hash, ...body } = e;
      if (e.seq !== expected || e.prevHash !== prev || hashOf(body) !== hash) return e.seq;
      prev = hash;
      expected += 1;
    }
    return undefined;
  }
}

/** An access log in memory (unit tests). `entries` is exposed so tests can tamper with it. */
export class MemoryAccessLog extends ChainedAccessLog {
  constructor(readonly entries: AccessLogEntry[] = []) {
    super({
      last: () => Promise.resolve(entries[entries.length - 1]),
      put: (e) => {
        entries.push(e);
        return Promise.resolve();
      },
      scan: async function* (afterSeq) {
        for (const e of entries) if (e.seq > afterSeq) yield await Promise.resolve(e);
      },
    });
  }
}

/** An access log on disk (classic-level), keys `<seq 15>`. */
export class LevelAccessLog extends ChainedAccessLog {
  private constructor(private readonly db: ClassicLevel<string, string>) {
    super({
      last: async () => {
        for await (const v of db.values({ reverse: true, limit: 1 })) return JSON.parse(v) as AccessLogEntry;
        return undefined;
      },
      put: (e) => db.put(String(e.seq).padStart(15, '0'), JSON.stringify(e)),
      scan: async function* (afterSeq) {
        for await (const v of db.values({ gt: String(afterSeq).padStart(15, '0') })) yield JSON.parse(v) as AccessLogEntry;
      },
    });
  }

  /** Opens (or creates) the log in `location`. */
  static async open(location: string): Promise<LevelAccessLog> {
    const db = new ClassicLevel<string, string>(location, { valueEncoding: 'utf8' });
    await db.open();
    return new LevelAccessLog(db);
  }

  close(): Promise<void> {
    return this.db.close();
  }
}
