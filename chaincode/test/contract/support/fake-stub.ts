import { createHash } from 'node:crypto';
import Long from 'long';
import { Context } from 'fabric-contract-api';

/** The stub and identity types the contract sees, taken from the Context so no extra package is needed. */
export type Stub = Context['stub'];
export type Identity = Context['clientIdentity'];
type StateIterator = Awaited<ReturnType<Stub['getStateByRange']>>;
type KV = Awaited<ReturnType<StateIterator['next']>>['value'];
type PagedResponse = Awaited<ReturnType<Stub['getStateByRangeWithPagination']>>;

const COMPOSITE_NS = '\u0000';
const MIN_RUNE = '\u0000';
const MAX_RUNE = '\u{10FFFF}';
const EMPTY = new Uint8Array(0);
const NAMESPACE = 'procedure';

/** A committed transaction as the fake ledger keeps it. */
export interface CommittedTx {
  readonly txId: string;
  readonly event?: { readonly name: string; readonly payload: string };
}

/** What one transaction would write, as the endorsement would report it. */
export interface WriteSet {
  readonly puts: ReadonlyMap<string, Uint8Array>;
  readonly deletes: ReadonlySet<string>;
  readonly privatePuts: ReadonlyMap<string, ReadonlyMap<string, Uint8Array>>;
  readonly privateDeletes: ReadonlyMap<string, ReadonlySet<string>>;
  readonly purges: ReadonlyMap<string, ReadonlySet<string>>;
  readonly event: { readonly name: string; readonly payload: Uint8Array } | undefined;
}

/** The invoking identity: MSP, the certificate's CN and the `role` attribute (absent when undefined). */
export interface FakeIdentitySpec {
  readonly mspId: string;
  readonly enrollmentId: string;
  readonly role?: string | undefined;
  readonly id?: string;
}

/** A fake `ClientIdentity` with the ID string in the shim's `x509::subject::issuer` form. */
export class FakeClientIdentity implements Identity {
  private readonly spec: FakeIdentitySpec;

  constructor(spec: FakeIdentitySpec) {
    this.spec = spec;
  }

  assertAttributeValue(attrName: string, attrValue: string): boolean {
    return this.getAttributeValue(attrName) === attrValue;
  }

  getAttributeValue(attrName: string): string | null {
    if (attrName === 'role' && this.spec.role !== undefined) return this.spec.role;
    if (attrName === 'hf.EnrollmentID') return this.spec.enrollmentId;
    return null;
  }

  getID(): string {
    if (this.spec.id !== undefined) return this.spec.id;
    const org = this.spec.mspId.replace(/MSP$/, '').toLowerCase();
    return `x509::/C=DE/ST=Sachsen/L=Dresden/O=${org}.example/OU=client/CN=${this.spec.enrollmentId}::/C=DE/ST=Sachsen/L=Dresden/O=${org}.example/CN=ca.${org}.example`;
  }

  getIDBytes(): Uint8Array {
    return new TextEncoder().encode(this.getID());
  }

  getMSPID(): string {
    return this.spec.mspId;
  }
}

function validateAttribute(attr: string): void {
  if (attr.length === 0) throw new Error('object type or attribute not a non-zero length string');
}

function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

function sha256(value: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(value).digest());
}

function inRange(key: string, start: string, end: string): boolean {
  return compareKeys(key, start) >= 0 && (end === '' || compareKeys(key, end) < 0);
}

class FakeIterator implements StateIterator {
  private readonly items: KV[];
  private index = 0;
  closed = false;

  constructor(items: KV[]) {
    this.items = items;
  }

  next(): Promise<{ value: KV; done: boolean }> {
    const item = this.items[this.index];
    this.index += 1;
    if (item === undefined) return Promise.resolve({ value: { namespace: NAMESPACE, key: '', value: EMPTY }, done: true });
    return Promise.resolve({ value: item, done: false });
  }

  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }
}

function iterable<T extends { iterator: FakeIterator } | FakeIterator>(value: T): Promise<T> & AsyncIterable<KV> {
  const iterator: FakeIterator = value instanceof FakeIterator ? value : value.iterator;
  const asyncIterable: AsyncIterable<KV> = {
    [Symbol.asyncIterator]: () => ({
      next: async () => {
        const result = await iterator.next();
        if (result.done) await iterator.close();
        return result.done ? { done: true, value: undefined } : { done: false, value: result.value };
      },
      return: async () => {
        await iterator.close();
        return { done: true, value: undefined };
      },
    }),
  };
  return Object.assign(Promise.resolve(value), asyncIterable);
}

/** Options of {@link FakeLedger.begin}. */
export interface BeginOptions {
  readonly transient?: Readonly<Record<string, Uint8Array | string>>;
  readonly txId?: string;
  readonly peerMspId?: string;
  /** For driving the shim's own dispatcher: the raw arguments and the creator's certificate. */
  readonly wire?: WireInput;
}

/** The proposal parts the shim's dispatcher reads: function name and arguments, and the signer. */
export interface WireInput {
  readonly args: readonly string[];
  readonly mspId: string;
  readonly certificatePem: Uint8Array;
}

/**
 * An in-memory ledger: committed world state, private data per collection (with the hashes every
 * peer keeps), committed transactions and their chaincode events. Like Fabric, a transaction reads
 * only committed state (never its own writes) and its writes apply only when it commits.
 */
export class FakeLedger {
  readonly state = new Map<string, Uint8Array>();
  readonly privateData = new Map<string, Map<string, Uint8Array>>();
  readonly privateHashes = new Map<string, Map<string, Uint8Array>>();
  readonly committed: CommittedTx[] = [];
  private txCounter = 0;
  private clockMs: number;

  constructor(startIso = '2025-03-03T09:00:00.000Z') {
    this.clockMs = Date.parse(startIso);
  }

  /** Moves the transaction clock (the submitting client's timestamp) forward. */
  advance(ms: number): void {
    this.clockMs += ms;
  }

  /** Sets the transaction clock to an instant. */
  setTime(iso: string): void {
    this.clockMs = Date.parse(iso);
  }

  /** Starts a transaction; the next one gets a later timestamp (one second apart). */
  begin(options: BeginOptions = {}): FakeStub {
    this.txCounter += 1;
    const txId = options.txId ?? createHash('sha256').update(`tx-${this.txCounter}`).digest('hex');
    const transient = new Map<string, Uint8Array>();
    for (const [k, v] of Object.entries(options.transient ?? {})) {
      transient.set(k, typeof v === 'string' ? new TextEncoder().encode(v) : v);
    }
    const stub = new FakeStub(this, txId, this.clockMs, transient, options.peerMspId ?? 'BamfMSP', options.wire);
    this.clockMs += 1000;
    return stub;
  }

  /** Applies a transaction's write set, as a VALID transaction would at commit. */
  commit(stub: FakeStub): void {
    const ws = stub.writeSet();
    for (const [k, v] of ws.puts) this.state.set(k, v);
    for (const k of ws.deletes) this.state.delete(k);
    for (const [collection, puts] of ws.privatePuts) {
      const data = this.collection(this.privateData, collection);
      const hashes = this.collection(this.privateHashes, collection);
      for (const [k, v] of puts) {
        data.set(k, v);
        hashes.set(k, sha256(v));
      }
    }
    for (const removed of [ws.privateDeletes, ws.purges]) {
      for (const [collection, keys] of removed) {
        for (const k of keys) {
          this.collection(this.privateData, collection).delete(k);
          this.collection(this.privateHashes, collection).delete(k);
        }
      }
    }
    this.committed.push({
      txId: stub.getTxID(),
      ...(ws.event ? { event: { name: ws.event.name, payload: new TextDecoder().decode(ws.event.payload) } } : {}),
    });
  }

  /** Every public key and value and every event payload, decoded as text (for leak checks). */
  publicText(): string[] {
    const out: string[] = [];
    for (const [k, v] of this.state) out.push(k, new TextDecoder().decode(v));
    for (const tx of this.committed) if (tx.event) out.push(tx.event.name, tx.event.payload);
    return out;
  }

  collection(store: Map<string, Map<string, Uint8Array>>, name: string): Map<string, Uint8Array> {
    let c = store.get(name);
    if (!c) {
      c = new Map();
      store.set(name, c);
    }
    return c;
  }
}

/** The `ChaincodeStub` subset the contract uses, over a {@link FakeLedger}; the rest throws. */
export class FakeStub implements Stub {
  private readonly ledger: FakeLedger;
  private readonly txId: string;
  private readonly timeMs: number;
  private readonly transient: Map<string, Uint8Array>;
  private readonly peerMspId: string;
  private readonly puts = new Map<string, Uint8Array>();
  private readonly deletes = new Set<string>();
  private readonly privatePuts = new Map<string, Map<string, Uint8Array>>();
  private readonly privateDeletes = new Map<string, Set<string>>();
  private readonly purges = new Map<string, Set<string>>();
  private event: { name: string; payload: Uint8Array } | undefined;
  /** How often `setEvent` was called in this transaction (Fabric keeps only the last). */
  setEventCalls = 0;
  /** Paginated queries issued (Fabric allows them only in read-only transactions). */
  paginatedQueries = 0;

  private readonly wire: WireInput | undefined;

  constructor(ledger: FakeLedger, txId: string, timeMs: number, transient: Map<string, Uint8Array>, peerMspId: string, wire?: WireInput) {
    this.wire = wire;
    this.ledger = ledger;
    this.txId = txId;
    this.timeMs = timeMs;
    this.transient = transient;
    this.peerMspId = peerMspId;
  }

  /** What this transaction would write. */
  writeSet(): WriteSet {
    return {
      puts: this.puts,
      deletes: this.deletes,
      privatePuts: this.privatePuts,
      privateDeletes: this.privateDeletes,
      purges: this.purges,
      event: this.event,
    };
  }

  /** True when the transaction writes nothing anywhere and sets no event. */
  isWriteSetEmpty(): boolean {
    return (
      this.puts.size === 0 &&
      this.deletes.size === 0 &&
      this.privatePuts.size === 0 &&
      this.privateDeletes.size === 0 &&
      this.purges.size === 0 &&
      this.event === undefined
    );
  }

  getArgs(): string[] {
    return [...(this.wire?.args ?? [])];
  }

  getStringArgs(): string[] {
    return this.getArgs();
  }

  /** The raw arguments, as the shim's contract dispatcher reads them. */
  getBufferArgs(): Buffer[] {
    return this.getArgs().map((a) => Buffer.from(a, 'utf8'));
  }

  getFunctionAndParameters(): { params: string[]; fcn: string } {
    return { params: [], fcn: '' };
  }

  getTxID(): string {
    return this.txId;
  }

  getChannelID(): string {
    return 'ankerdresden';
  }

  getCreator(): { mspid: string; idBytes: Uint8Array } {
    return this.wire ? { mspid: this.wire.mspId, idBytes: this.wire.certificatePem } : { mspid: this.peerMspId, idBytes: EMPTY };
  }

  getMspID(): string {
    return this.peerMspId;
  }

  getTransient(): Map<string, Uint8Array> {
    return new Map(this.transient);
  }

  getSignedProposal(): ReturnType<Stub['getSignedProposal']> {
    throw new Error('getSignedProposal is not supported by the fake stub');
  }

  getTxTimestamp(): { seconds: Long; nanos: number } {
    const seconds = Math.floor(this.timeMs / 1000);
    return { seconds: Long.fromNumber(seconds, true), nanos: (this.timeMs - seconds * 1000) * 1_000_000 };
  }

  getDateTimestamp(): Date {
    return new Date(this.timeMs);
  }

  getBinding(): string {
    return '';
  }

  getState(key: string): Promise<Uint8Array> {
    return Promise.resolve(this.ledger.state.get(key) ?? EMPTY);
  }

  putState(key: string, value: Uint8Array): Promise<void> {
    this.checkSimpleKey(key);
    if (value.length === 0) throw new Error('putState with an empty value deletes in Fabric; the contract must not rely on it');
    this.deletes.delete(key);
    this.puts.set(key, value);
    return Promise.resolve();
  }

  deleteState(key: string): Promise<void> {
    this.puts.delete(key);
    this.deletes.add(key);
    return Promise.resolve();
  }

  setStateValidationParameter(): Promise<void> {
    throw new Error('setStateValidationParameter is not supported by the fake stub');
  }

  getStateValidationParameter(): Promise<Uint8Array> {
    throw new Error('getStateValidationParameter is not supported by the fake stub');
  }

  getStateByRange(startKey: string, endKey: string): Promise<StateIterator> & AsyncIterable<KV> {
    return iterable(new FakeIterator(this.scan(this.ledger.state, startKey === '' ? '\u0001' : startKey, endKey)));
  }

  getStateByRangeWithPagination(startKey: string, endKey: string, pageSize: number, bookmark?: string): Promise<PagedResponse> & AsyncIterable<KV> {
    return iterable(this.page(startKey === '' ? '\u0001' : startKey, endKey, pageSize, bookmark));
  }

  getStateByPartialCompositeKey(objectType: string, attributes: string[]): Promise<StateIterator> & AsyncIterable<KV> {
    const prefix = this.createCompositeKey(objectType, attributes);
    return iterable(new FakeIterator(this.scan(this.ledger.state, prefix, prefix + MAX_RUNE)));
  }

  getStateByPartialCompositeKeyWithPagination(objectType: string, attributes: string[], pageSize: number, bookmark?: string): Promise<PagedResponse> & AsyncIterable<KV> {
    const prefix = this.createCompositeKey(objectType, attributes);
    return iterable(this.page(prefix, prefix + MAX_RUNE, pageSize, bookmark));
  }

  getQueryResult(): Promise<StateIterator> & AsyncIterable<KV> {
    throw new Error('rich queries need CouchDB; the network uses LevelDB');
  }

  getQueryResultWithPagination(): Promise<PagedResponse> & AsyncIterable<KV> {
    throw new Error('rich queries need CouchDB; the network uses LevelDB');
  }

  getHistoryForKey(): ReturnType<Stub['getHistoryForKey']> {
    throw new Error('getHistoryForKey is not supported by the fake stub');
  }

  invokeChaincode(): ReturnType<Stub['invokeChaincode']> {
    throw new Error('invokeChaincode is not supported by the fake stub');
  }

  setEvent(name: string, payload: Uint8Array): void {
    if (name.length === 0) throw new Error('event name must be a non-empty string');
    this.setEventCalls += 1;
    this.event = { name, payload };
  }

  createCompositeKey(objectType: string, attributes: string[]): string {
    validateAttribute(objectType);
    let key = COMPOSITE_NS + objectType + MIN_RUNE;
    for (const attribute of attributes) {
      validateAttribute(attribute);
      key += attribute + MIN_RUNE;
    }
    return key;
  }

  splitCompositeKey(compositeKey: string): { objectType: string; attributes: string[] } {
    if (compositeKey.length > 1 && compositeKey.startsWith(COMPOSITE_NS)) {
      const [objectType = '', ...rest] = compositeKey.substring(1).split(MIN_RUNE);
      return { objectType, attributes: rest.slice(0, -1) };
    }
    return { objectType: '', attributes: [] };
  }

  getPrivateData(collection: string, key: string): Promise<Uint8Array> {
    this.checkCollection(collection, key);
    return Promise.resolve(this.ledger.collection(this.ledger.privateData, collection).get(key) ?? EMPTY);
  }

  getPrivateDataHash(collection: string, key: string): Promise<Uint8Array> {
    this.checkCollection(collection, key);
    return Promise.resolve(this.ledger.collection(this.ledger.privateHashes, collection).get(key) ?? EMPTY);
  }

  putPrivateData(collection: string, key: string, value: Uint8Array): Promise<void> {
    this.checkCollection(collection, key);
    this.checkSimpleKey(key);
    if (value.length === 0) throw new Error('putPrivateData with an empty value');
    this.ledger.collection(this.privatePuts, collection).set(key, value);
    return Promise.resolve();
  }

  deletePrivateData(collection: string, key: string): Promise<void> {
    this.checkCollection(collection, key);
    this.privatePuts.get(collection)?.delete(key);
    let set = this.privateDeletes.get(collection);
    if (!set) this.privateDeletes.set(collection, (set = new Set()));
    set.add(key);
    return Promise.resolve();
  }

  purgePrivateData(collection: string, key: string): Promise<void> {
    this.checkCollection(collection, key);
    this.privatePuts.get(collection)?.delete(key);
    let set = this.purges.get(collection);
    if (!set) this.purges.set(collection, (set = new Set()));
    set.add(key);
    return Promise.resolve();
  }

  setPrivateDataValidationParameter(): Promise<void> {
    throw new Error('setPrivateDataValidationParameter is not supported by the fake stub');
  }

  getPrivateDataValidationParameter(): Promise<Uint8Array> {
    throw new Error('getPrivateDataValidationParameter is not supported by the fake stub');
  }

  getPrivateDataByRange(collection: string, startKey: string, endKey: string): Promise<StateIterator> & AsyncIterable<KV> {
    this.checkCollection(collection, 'range');
    return iterable(new FakeIterator(this.scan(this.ledger.collection(this.ledger.privateData, collection), startKey, endKey)));
  }

  getPrivateDataByPartialCompositeKey(collection: string, objectType: string, attributes: string[]): Promise<StateIterator> & AsyncIterable<KV> {
    const prefix = this.createCompositeKey(objectType, attributes);
    return this.getPrivateDataByRange(collection, prefix, prefix + MAX_RUNE);
  }

  getPrivateDataQueryResult(): Promise<StateIterator> & AsyncIterable<KV> {
    throw new Error('rich queries need CouchDB; the network uses LevelDB');
  }

  private checkCollection(collection: string, key: string): void {
    if (collection.length === 0) throw new Error('collection must be a valid string');
    if (key.length === 0) throw new Error('key must be a valid string');
  }

  private checkSimpleKey(key: string): void {
    if (key.length === 0) throw new Error('key must not be empty');
  }

  private scan(store: ReadonlyMap<string, Uint8Array>, start: string, end: string): KV[] {
    return [...store.entries()]
      .filter(([k]) => inRange(k, start, end))
      .sort(([a], [b]) => compareKeys(a, b))
      .map(([key, value]) => ({ namespace: NAMESPACE, key, value }));
  }

  /** LevelDB pagination: the bookmark is the key of the first record not returned, '' when none is left. */
  private page(start: string, end: string, pageSize: number, bookmark: string | undefined): { iterator: FakeIterator; metadata: { fetchedRecordsCount: number; bookmark: string } } {
    this.paginatedQueries += 1;
    const from = bookmark !== undefined && bookmark !== '' ? bookmark : start;
    const all = this.scan(this.ledger.state, from, end);
    const items = all.slice(0, pageSize);
    const next = all[pageSize];
    const response = { iterator: new FakeIterator(items), metadata: { fetchedRecordsCount: items.length, bookmark: next ? next.key : '' } };
    // As fabric-shim 2.5 hands over a real peer's answer: the metadata of an empty page without a next page
    // ({0 records, bookmark ''}) encodes to no bytes on the wire, and the shim then leaves `metadata` out,
    // although its typings declare it always present.
    if (items.length === 0 && next === undefined) Reflect.deleteProperty(response, 'metadata');
    return response;
  }
}

/** A transaction context as the contract-api builds it, over a fake stub and identity. */
export function fakeContext(stub: FakeStub, identity: FakeIdentitySpec): Context {
  const ctx = new Context();
  ctx.stub = stub;
  ctx.clientIdentity = new FakeClientIdentity(identity);
  return ctx;
}
