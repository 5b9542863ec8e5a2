/**
 * A fake **shared** ledger with one fake gateway per agency (test double for the adapters' integration
 * tests and the demo test): the writes of both agencies go into one in-memory ledger that runs the real
 * domain decision (`decide`: preconditions, idempotency, warnings, ReturnConflict), and each agency's
 * gateway serves the REST routes an adapter uses — case-ids, court-refs, events, timeline, details,
 * warnings, actions, the ZAB return check — and `GET /api/v1/events/stream` (SSE, `Last-Event-ID`, the same item shapes as the
 * gateway: `case-event` `{seq, caseId, event, receipt, warnings}`). So BAMF's events come out of ZAB's
 * stream, as on the real channel. No endorsement, no blocks, no private-data dissemination.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readSeedValueLists } from '@asl/chaincode/seed';
import {
  DomainError,
  ReturnKindSchema,
  WARNING_RULES,
  berlinDate,
  caseIdFor,
  caseViewAt,
  courtRefFor,
  decide,
  foldCase,
  judgeReturn,
  receiptOf,
  warningId,
  valueListContentHash,
  type OrgDirectory,
  type Receipt,
  type StoredEvent,
  type ValueListSet,
  type ValueListVersion,
  type Warning,
} from '@asl/chaincode/domain';

export const LEDGER_KEY = new Uint8Array(32).fill(9);
const ORGS: OrgDirectory = { BamfMSP: { kind: 'FEDERAL_OFFICE' }, ZabSachsenMSP: { kind: 'STATE_AUTHORITY' } };

interface Entry {
  readonly event: StoredEvent;
  readonly receipt: Receipt;
  readonly warnings: readonly Warning[];
  readonly chaincodeEvent: string;
}

interface StreamItem {
  readonly seq: number;
  readonly caseId: string;
  readonly entry: Entry;
}

/** The shared in-memory ledger. */
/**
 * Version 1 of every value list (`chaincode/seed/value-lists`), in force since long before any test: the
 * fake judges codes as strictly as the chaincode on the seeded test network.
 */
const SEED_TIME = '2020-01-01T00:00:00.000Z';
const SEEDED_LISTS: ValueListSet = Object.fromEntries(
  readSeedValueLists().map(({ list, proposal }): [string, ValueListVersion[]] => {
    const entries = [...proposal.entries].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
    return [
      list,
      [
        {
          list,
          version: 1,
          entries,
          contentHash: valueListContentHash(list, 1, entries),
          proposedBy: { mspId: 'BamfMSP', enrollmentId: 'bamf-seed-admin' },
          proposedAt: SEED_TIME,
          approvals: ['BamfMSP', 'ZabSachsenMSP'],
          inForceFrom: SEED_TIME,
        },
      ],
    ];
  }),
);

export class FakeLedger {
  readonly entries: Entry[] = [];
  private readonly byCase = new Map<string, StoredEvent[]>();
  private readonly idempotency = new Map<string, { hash: string; entry: Entry }>();
  private readonly details = new Map<string, Map<string, Record<string, unknown>>>();
  private readonly listeners = new Set<() => void>();
  alreadyApplied = 0;

  constructor(readonly now: () => Date = () => new Date()) {}

  stream(after: number): StreamItem[] {
    return this.entries.slice(after).map((entry, i) => ({ seq: after + i + 1, caseId: entry.event.caseId, entry }));
  }

  onItem(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Records a write as `mspId`; throws DomainError as the chaincode would. */
  write(mspId: string, input: Record<string, unknown>, caseDetails?: Record<string, unknown>): { entry: Entry; alreadyApplied: boolean } {
    const key = `${mspId}|${String(input['sourceMessageId'])}`;
    const prior = this.idempotency.get(key);
    const caseId = String(input['caseId']);
    let decided: ReturnType<typeof decide>;
    try {
      decided = decide({
        input,
        actor: { mspId, enrollmentId: `${mspId.toLowerCase()}-adapter`, role: 'adapter' },
        txId: randomBytes(32).toString('hex'),
        txTime: this.now().toISOString(),
        orgs: ORGS,
        history: this.byCase.get(caseId) ?? [],
        idempotency: prior ? { contentHash: prior.hash, event: prior.entry.event } : undefined,
        valueLists: SEEDED_LISTS,
      });
    } catch (error) {
      if (error instanceof DomainError && error.code === 'ALREADY_APPLIED' && prior) {
        this.alreadyApplied += 1;
        return { entry: prior.entry, alreadyApplied: true };
      }
      throw error;
    }
    const receipt: Receipt = { ...receiptOf(decided.event), blockNumber: String(this.entries.length + 1), txIndex: 0, validationCode: 'VALID', endorsers: Object.keys(ORGS) };
    const entry: Entry = { event: decided.event, receipt, warnings: decided.warnings, chaincodeEvent: decided.chaincodeEvent.name };
    this.entries.push(entry);
    const history = this.byCase.get(caseId) ?? [];
    history.push(decided.event);
    this.byCase.set(caseId, history);
    this.idempotency.set(key, { hash: decided.contentHash, entry });
    if (caseDetails !== undefined) {
      const perCase = this.details.get(caseId) ?? new Map<string, Record<string, unknown>>();
      perCase.set(mspId, { ...(perCase.get(mspId) ?? {}), ...caseDetails });
      this.details.set(caseId, perCase);
    }
    for (const listener of this.listeners) listener();
    return { entry, alreadyApplied: false };
  }

  caseEvents(caseId: string): readonly StoredEvent[] | undefined {
    return this.byCase.get(caseId);
  }

  caseDetails(caseId: string): { agency: string; state: 'present'; record: Record<string, unknown> }[] {
    return [...(this.details.get(caseId) ?? new Map<string, Record<string, unknown>>()).entries()].map(([agency, record]) => ({ agency, state: 'present', record }));
  }

  /** The gateway's pre-execution check (gateway/src/readmodel/evaluate.ts `checkReturn`): every return rule now. */
  returnCheck(events: readonly StoredEvent[], kind: 'DEPORTATION' | 'DUBLIN_TRANSFER'): { blocked: boolean; warnings: Warning[]; evaluatedAt: string } {
    const now = this.now().toISOString();
    const state = foldCase(events);
    const warnings = judgeReturn(state, kind, berlinDate(now)).map((f): Warning => {
      const anchors = [...f.anchors];
      return {
        id: warningId(f.code, anchors[0] ?? 'planned'),
        code: f.code,
        severity: f.severity,
        caseId: state.caseId,
        anchors: anchors.length > 0 ? anchors : ['planned'],
        openedAt: now,
        evaluatedAt: now,
        clock: WARNING_RULES[f.code].clock,
        acknowledgedBy: [],
      };
    });
    return { blocked: warnings.some((w) => w.severity === 'BLOCKING'), warnings, evaluatedAt: now };
  }

  views(): ReturnType<typeof caseViewAt>[] {
    const now = this.now().toISOString();
    return [...this.byCase.values()].map((events) => caseViewAt(events, now, ORGS, { clock: true }));
  }
}

/** One agency's fake gateway over the shared ledger. */
export class FakeAgencyGateway {
  private server: Server | undefined;
  private readonly sockets = new Set<ServerResponse>();
  /** Answer every request with 503 while set (gateway outage). */
  down = false;

  constructor(
    readonly ledger: FakeLedger,
    readonly mspId: string,
    readonly token: string,
  ) {}

  get url(): string {
    const address = this.server?.address() as AddressInfo | undefined;
    if (address === undefined) throw new Error('not started');
    return `http://127.0.0.1:${address.port}`;
  }

  async start(port = 0): Promise<void> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch(() => {
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(port, '127.0.0.1', resolve));
  }

  /** Cuts every open event stream (the adapter must resume with Last-Event-ID). */
  dropStreams(): void {
    for (const res of this.sockets) res.destroy();
    this.sockets.clear();
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (server === undefined) return;
    this.dropStreams();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private send(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'content-type': status >= 400 ? 'application/problem+json' : 'application/json' });
    res.end(JSON.stringify(body));
  }

  private problem(res: ServerResponse, status: number, code: string, detail?: unknown): void {
    this.send(res, status, { status, code, title: code, ...(detail === undefined ? {} : { detail }) });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (this.down) return this.problem(res, 503, 'LEDGER_UNAVAILABLE');
    if (req.headers.authorization !== `Bearer ${this.token}`) return this.problem(res, 401, 'UNAUTHENTICATED');
    const url = new URL(req.url ?? '/', 'http://fake');
    const path = url.pathname;
    if (req.method === 'GET' && path === '/api/v1/events/stream') return this.stream(req, res);
    let body: Record<string, unknown> = {};
    if (req.method === 'POST') {
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
      } catch {
        return this.problem(res, 400, 'INVALID_INPUT');
      }
    }
    if (req.method === 'POST' && path === '/api/v1/case-ids') {
      try {
        return this.send(res, 200, { caseId: caseIdFor(LEDGER_KEY, String(body['azrNumber'])) });
      } catch {
        return this.problem(res, 400, 'INVALID_INPUT');
      }
    }
    if (req.method === 'POST' && path === '/api/v1/court-refs') {
      return this.send(res, 200, { courtRef: courtRefFor(LEDGER_KEY, String(body['court']), String(body['fileNumber'])) });
    }
    const m = /^\/api\/v1\/cases\/(c[a-z2-7]{31})(\/events|\/timeline|\/details|\/return-check)?$/.exec(path);
    if (m !== null) {
      const caseId = m[1] ?? '';
      if (req.method === 'POST' && m[2] === '/events') {
        const { caseDetails, ...rest } = body;
        try {
          const { entry, alreadyApplied } = this.ledger.write(this.mspId, { caseId, ...rest }, caseDetails as Record<string, unknown> | undefined);
          return this.send(res, alreadyApplied ? 200 : 201, { ...(alreadyApplied ? { code: 'ALREADY_APPLIED' } : {}), receipt: entry.receipt, event: entry.event, warnings: entry.warnings });
        } catch (error) {
          if (error instanceof DomainError) {
            const status = { CASE_NOT_FOUND: 404, INVALID_INPUT: 400, NOT_OWNER: 403, FORBIDDEN_ROLE: 403, UNKNOWN_CODE_VALUE: 422 }[error.code as string] ?? 409;
            return this.problem(res, status, error.code, error.detail);
          }
          throw error;
        }
      }
      const events = this.ledger.caseEvents(caseId);
      if (req.method === 'POST' && m[2] === '/return-check') {
        // The gateway's order: schema (400), then the ZAB-only route's role check (403), then the case (404).
        const kind = ReturnKindSchema.safeParse(body['kind']);
        if (!kind.success || Object.keys(body).length !== 1) return this.problem(res, 400, 'INVALID_INPUT');
        if (this.mspId !== 'ZabSachsenMSP') return this.problem(res, 403, 'FORBIDDEN_ROLE');
        if (events === undefined) return this.problem(res, 404, 'CASE_NOT_FOUND');
        return this.send(res, 200, { caseId, kind: kind.data, ...this.ledger.returnCheck(events, kind.data) });
      }
      if (req.method === 'GET' && m[2] === '/timeline') {
        if (events === undefined) return this.problem(res, 404, 'CASE_NOT_FOUND');
        const items = this.ledger.entries
          .filter((e) => e.event.caseId === caseId)
          .map((e) => ({ event: { type: e.event.type, occurredAt: e.event.occurredAt, data: e.event.data, sourceMessageId: e.event.sourceMessageId }, actor: e.event.actor, receipt: e.receipt, retracted: false }));
        return this.send(res, 200, { caseId, items });
      }
      if (req.method === 'GET' && m[2] === '/details') {
        if (events === undefined) return this.problem(res, 404, 'CASE_NOT_FOUND');
        return this.send(res, 200, { caseId, records: this.ledger.caseDetails(caseId) });
      }
    }
    if (req.method === 'GET' && path === '/api/v1/warnings') {
      const items = this.ledger.views().flatMap((v) => v.warnings);
      return this.send(res, 200, { items, evaluatedAt: this.ledger.now().toISOString() });
    }
    if (req.method === 'GET' && path === '/api/v1/actions') {
      const items = this.ledger.views().flatMap((v) => v.actions.filter((a) => a.agency === this.mspId));
      return this.send(res, 200, { items, evaluatedAt: this.ledger.now().toISOString() });
    }
    return this.problem(res, 404, 'NOT_FOUND');
  }

  private stream(req: IncomingMessage, res: ServerResponse): void {
    const header = req.headers['last-event-id'];
    let sent = typeof header === 'string' && /^\d{1,15}$/.test(header) ? Number(header) : 0;
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
    res.flushHeaders();
    this.sockets.add(res);
    const pump = (): void => {
      for (const item of this.ledger.stream(sent)) {
        const data = { seq: item.seq, caseId: item.caseId, event: item.entry.event, receipt: item.entry.receipt, warnings: item.entry.warnings };
        res.write(`id: ${item.seq}\nevent: case-event\ndata: ${JSON.stringify(data)}\n\n`);
        sent = item.seq;
      }
    };
    const unsubscribe = this.ledger.onItem(pump);
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), 1_000);
    res.on('close', () => {
      clearInterval(heartbeat);
      unsubscribe();
      this.sockets.delete(res);
    });
    pump();
  }
}

/** Both agencies' fake gateways over one ledger. */
export async function startFakeNetwork(options: { now?: () => Date } = {}): Promise<{ ledger: FakeLedger; bamf: FakeAgencyGateway; zab: FakeAgencyGateway; stop(): Promise<void> }> {
  const ledger = new FakeLedger(options.now);
  const bamf = new FakeAgencyGateway(ledger, 'BamfMSP', 'asl_fake-bamf-adapter-token');
  const zab = new FakeAgencyGateway(ledger, 'ZabSachsenMSP', 'asl_fake-zab-adapter-token');
  await bamf.start();
  await zab.start();
  return { ledger, bamf, zab, stop: async () => void (await Promise.all([bamf.stop(), zab.stop()])) };
}
