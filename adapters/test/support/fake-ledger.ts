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
import { CaseIdRequestSchema, CourtRefRequestSchema, EventRequestSchema, ImportRequestSchema, ReturnCheckRequestSchema, TimelineQuerySchema } from '../../../gateway/src/api/schemas';
import { checkReturn } from '../../../gateway/src/readmodel/evaluate';
import { issuesOf, notFoundLike, sendJson, sendProblem } from './fake-problem';
import {
  DomainError,
  caseIdFor,
  caseViewAt,
  courtRefFor,
  decide,
  receiptOf,
  valueListContentHash,
  type CaseDetailsReadRecord,
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
  /** Each agency's `caseDetails` record per case; a write with details replaces the agency's record, as the chaincode does. */
  private readonly details = new Map<string, Map<string, CaseDetailsReadRecord>>();
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
  write(mspId: string, input: Record<string, unknown>, caseDetails?: Record<string, unknown>, role: 'adapter' | 'admin' = 'adapter'): { entry: Entry; alreadyApplied: boolean } {
    const key = `${mspId}|${String(input['sourceMessageId'])}`;
    const prior = this.idempotency.get(key);
    const caseId = String(input['caseId']);
    let decided: ReturnType<typeof decide>;
    try {
      decided = decide({
        input,
        actor: { mspId, enrollmentId: `${mspId.toLowerCase()}-${role}`, role },
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
      const perCase = this.details.get(caseId) ?? new Map<string, CaseDetailsReadRecord>();
      const { event } = decided;
      perCase.set(mspId, { caseId, txId: event.txId, recordedAt: event.recordedAt, writer: event.actor, agency: mspId, details: caseDetails });
      this.details.set(caseId, perCase);
    }
    for (const listener of this.listeners) listener();
    return { entry, alreadyApplied: false };
  }

  caseEvents(caseId: string): readonly StoredEvent[] | undefined {
    return this.byCase.get(caseId);
  }

  /** The records of a case as the gateway's details route lists them: the member agencies' in collection order. */
  caseDetails(caseId: string): { agency: string; state: 'present'; record: CaseDetailsReadRecord }[] {
    const perCase = this.details.get(caseId);
    return Object.keys(ORGS).flatMap((agency) => {
      const record = perCase?.get(agency);
      return record === undefined ? [] : [{ agency, state: 'present' as const, record }];
    });
  }

  /** The gateway's pre-execution check, by the gateway's own function: every return rule now. */
  returnCheck(events: readonly StoredEvent[], kind: 'DEPORTATION' | 'DUBLIN_TRANSFER'): { blocked: boolean; warnings: Warning[]; evaluatedAt: string } {
    const now = this.now().toISOString();
    const warnings = checkReturn(events, kind, now);
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
    /** The agency admin's token: only the import route takes it, as only `admin` may import. */
    readonly adminToken = `asl_fake-${mspId.toLowerCase()}-admin-token`,
  ) {}

  get url(): string {
    const address = this.server?.address() as AddressInfo | undefined;
    if (address === undefined) throw new Error('not started');
    return `http://127.0.0.1:${address.port}`;
  }

  async start(port = 0): Promise<void> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch(() => {
        if (!res.headersSent) sendProblem(res, 'LEDGER_UNAVAILABLE');
        else res.end();
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
    sendJson(res, status, body);
  }

  /** problem+json as the gateway answers it (`fake-problem.ts`); `details` passes the gateway's whitelist. */
  private problem(res: ServerResponse, status: number, code: string, details?: Readonly<Record<string, unknown>>): void {
    sendProblem(res, code, { status, ...(details === undefined ? {} : { details: { ...details } }) });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (this.down) return sendProblem(res, 'LEDGER_UNAVAILABLE');
    // The gateway's order (gateway/src/app.ts): body parser, token (401), route schema (400), role (403), handler.
    let body: Record<string, unknown> = {};
    if (req.method === 'POST') {
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
      } catch {
        return this.problem(res, 400, 'INVALID_INPUT', { reason: 'BODY_NOT_JSON' });
      }
    }
    const auth = req.headers.authorization;
    const role = auth === `Bearer ${this.token}` ? 'adapter' : auth === `Bearer ${this.adminToken}` ? 'admin' : undefined;
    if (role === undefined) return this.problem(res, 401, 'UNAUTHENTICATED');
    const url = new URL(req.url ?? '/', 'http://fake');
    const path = url.pathname;
    if (req.method === 'GET' && path === '/api/v1/events/stream') return role === 'adapter' ? this.stream(req, res) : this.problem(res, 403, 'FORBIDDEN_ROLE');
    const imported = /^\/api\/v1\/admin\/cases\/(c[a-z2-7]{31})\/import$/.exec(path);
    if (req.method === 'POST' && imported !== null) return this.importCase(res, imported[1] ?? '', body, role);
    if (role !== 'adapter') return this.problem(res, 403, 'FORBIDDEN_ROLE');
    if (req.method === 'POST' && path === '/api/v1/case-ids') {
      const parsed = CaseIdRequestSchema.safeParse(body);
      if (!parsed.success) return this.problem(res, 400, 'INVALID_INPUT', issuesOf(parsed.error));
      try {
        const caseId = caseIdFor(LEDGER_KEY, parsed.data.azrNumber);
        return this.send(res, 200, { caseId, keyVersion: 'k1', exists: this.ledger.caseEvents(caseId) !== undefined });
      } catch (error) {
        if (error instanceof DomainError) return this.problem(res, 400, error.code, error.detail);
        throw error;
      }
    }
    if (req.method === 'POST' && path === '/api/v1/court-refs') {
      const parsed = CourtRefRequestSchema.safeParse(body);
      if (!parsed.success) return this.problem(res, 400, 'INVALID_INPUT', issuesOf(parsed.error));
      return this.send(res, 200, { courtRef: courtRefFor(LEDGER_KEY, parsed.data.court, parsed.data.fileNumber), keyVersion: 'k1' });
    }
    const m = /^\/api\/v1\/cases\/(c[a-z2-7]{31})(\/events|\/timeline|\/details|\/return-check)?$/.exec(path);
    if (m !== null) {
      const caseId = m[1] ?? '';
      if (req.method === 'POST' && m[2] === '/events') {
        const parsed = EventRequestSchema.safeParse(body);
        if (!parsed.success) return this.problem(res, 400, 'INVALID_INPUT', issuesOf(parsed.error));
        const { caseDetails, ...rest } = parsed.data;
        return this.write(res, { caseId, ...rest }, caseDetails, 'adapter');
      }
      const events = this.ledger.caseEvents(caseId);
      if (req.method === 'POST' && m[2] === '/return-check') {
        // The gateway's order: schema (400), then the ZAB-only route's role check (403), then the case (404).
        const parsed = ReturnCheckRequestSchema.safeParse(body);
        if (!parsed.success) return this.problem(res, 400, 'INVALID_INPUT', issuesOf(parsed.error));
        if (this.mspId !== 'ZabSachsenMSP') return this.problem(res, 403, 'FORBIDDEN_ROLE');
        if (events === undefined) return this.problem(res, 404, 'CASE_NOT_FOUND');
        return this.send(res, 200, { caseId, kind: parsed.data.kind, ...this.ledger.returnCheck(events, parsed.data.kind) });
      }
      if (req.method === 'GET' && m[2] === '/timeline') {
        const query = TimelineQuerySchema.safeParse(Object.fromEntries(url.searchParams));
        if (!query.success) return this.problem(res, 400, 'INVALID_INPUT', issuesOf(query.error));
        if (events === undefined) return this.problem(res, 404, 'CASE_NOT_FOUND');
        // Pages as the gateway's: `limit` (default 50), the cursor names the last item's block and index.
        const entries = this.ledger.entries.filter((e) => e.event.caseId === caseId);
        const position = (e: Entry): string => `${e.receipt.blockNumber}_${e.receipt.txIndex}`;
        const { cursor, limit = 50 } = query.data;
        const start = cursor === undefined ? 0 : entries.findIndex((e) => position(e) === cursor) + 1;
        if (start === 0 && cursor !== undefined) return this.problem(res, 400, 'INVALID_INPUT', { field: 'cursor' });
        const page = entries.slice(start, start + limit);
        const last = page[page.length - 1];
        const items = page.map((e) => ({ event: { type: e.event.type, occurredAt: e.event.occurredAt, data: e.event.data, sourceMessageId: e.event.sourceMessageId }, actor: e.event.actor, receipt: e.receipt, retracted: false }));
        return this.send(res, 200, { caseId, items, ...(start + limit < entries.length && last ? { cursor: position(last) } : {}) });
      }
      if (req.method === 'GET' && m[2] === '/details') {
        if (events === undefined) return this.problem(res, 404, 'CASE_NOT_FOUND');
        return this.send(res, 200, { caseId, records: this.ledger.caseDetails(caseId) });
      }
    }
    if (req.method === 'GET' && path === '/api/v1/warnings') {
      // Newest first, as the gateway's read model lists them.
      const items = this.ledger
        .views()
        .flatMap((v) => v.warnings)
        .sort((a, b) => Date.parse(b.openedAt) - Date.parse(a.openedAt) || a.id.localeCompare(b.id));
      return this.send(res, 200, { items, evaluatedAt: this.ledger.now().toISOString() });
    }
    if (req.method === 'GET' && path === '/api/v1/actions') {
      // By due date (undated last), as the gateway's read model lists them.
      const items = this.ledger
        .views()
        .flatMap((v) => v.actions.filter((a) => a.agency === this.mspId))
        .sort((a, b) => (a.due ?? '9999-12-31').localeCompare(b.due ?? '9999-12-31') || a.caseId.localeCompare(b.caseId) || a.code.localeCompare(b.code));
      return this.send(res, 200, { items, evaluatedAt: this.ledger.now().toISOString() });
    }
    return notFoundLike(res, 404);
  }

  /** A write through the ledger: 201, the original answer as 200 for ALREADY_APPLIED, or the domain's refusal. */
  private write(res: ServerResponse, input: Record<string, unknown>, caseDetails: Record<string, unknown> | undefined, role: 'adapter' | 'admin'): void {
    try {
      const { entry, alreadyApplied } = this.ledger.write(this.mspId, input, caseDetails, role);
      return this.send(res, alreadyApplied ? 200 : 201, { receipt: entry.receipt, event: entry.event, warnings: entry.warnings });
    } catch (error) {
      if (error instanceof DomainError) return sendProblem(res, error.code, { details: { ...error.detail } });
      throw error;
    }
  }

  /** `POST /api/v1/admin/cases/{caseId}/import` (admin only): `CASE_IMPORTED` with the facts. */
  private importCase(res: ServerResponse, caseId: string, body: Record<string, unknown>, role: 'adapter' | 'admin'): void {
    const parsed = ImportRequestSchema.safeParse(body);
    if (!parsed.success) return this.problem(res, 400, 'INVALID_INPUT', issuesOf(parsed.error));
    if (role !== 'admin') return this.problem(res, 403, 'FORBIDDEN_ROLE');
    const { caseDetails, facts, ...envelope } = parsed.data;
    return this.write(res, { caseId, type: 'CASE_IMPORTED', ...envelope, data: { facts } }, caseDetails, 'admin');
  }

  private stream(req: IncomingMessage, res: ServerResponse): void {
    const header = req.headers['last-event-id'];
    if (header !== undefined && (typeof header !== 'string' || !/^\d{1,15}$/.test(header))) return this.problem(res, 400, 'INVALID_INPUT', { field: 'Last-Event-ID' });
    let sent = header === undefined ? 0 : Number(header);
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
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
