import {
  VALUE_LIST_NAMES,
  ValueListHeadSchema,
  ValueListVersionSchema,
  versionInForceAt,
  type ValueListChange,
  type ValueListHead,
  type ValueListName,
  type ValueListSet,
  type ValueListVersion,
} from '../domain';
import { Keys, type KeyBuilder } from './keys';
import { decodeState, encodeState } from './state-codec';

/** The stub calls value-list state needs. */
export interface ValueListStateStub extends KeyBuilder {
  getState(key: string): Promise<Uint8Array>;
  putState(key: string, value: Uint8Array): Promise<void>;
}

/**
 * The value lists in public state: one record per version (`valueList~<list>~<version>`) and a small
 * head per list (`valueListHead~<list>`) that every write reads to find the version in force.
 */
export class ValueListLedger {
  private readonly stub: ValueListStateStub;
  private readonly keys: Keys;

  constructor(stub: ValueListStateStub) {
    this.stub = stub;
    this.keys = new Keys(stub);
  }

  /** The head of a list; undefined before its first proposal. */
  async loadHead(list: ValueListName): Promise<ValueListHead | undefined> {
    const head = decodeState(await this.stub.getState(this.keys.valueListHead(list)), ValueListHeadSchema);
    if (head !== undefined && head.list !== list) throw new Error('value-list head stored under another list');
    return head;
  }

  /** One version of a list, if it exists. */
  async loadVersion(list: ValueListName, version: number): Promise<ValueListVersion | undefined> {
    const v = decodeState(await this.stub.getState(this.keys.valueList(list, version)), ValueListVersionSchema);
    if (v !== undefined && (v.list !== list || v.version !== version)) throw new Error('value-list version stored under another key');
    return v;
  }

  /**
   * For each list, the version in force at `at` (none: an empty candidate list, so the domain refuses
   * every code of that list). Reads only the lists asked for: a write loads the lists its codes use.
   */
  async loadInForce(lists: readonly ValueListName[], at: string): Promise<ValueListSet> {
    const set: Partial<Record<ValueListName, readonly ValueListVersion[]>> = {};
    for (const list of lists) {
      const version = versionInForceAt(await this.loadHead(list), at);
      const loaded = version === null ? undefined : await this.loadVersion(list, version);
      if (version !== null && loaded === undefined) throw new Error('value-list head points at no version');
      set[list] = loaded === undefined ? [] : [loaded];
    }
    return set;
  }

  /** Every list's head, in {@link VALUE_LIST_NAMES} order. */
  async loadHeads(): Promise<{ list: ValueListName; head: ValueListHead | undefined }[]> {
    const heads = [];
    for (const list of VALUE_LIST_NAMES) heads.push({ list, head: await this.loadHead(list) });
    return heads;
  }

  /** Stores a proposal's or approval's version record and the list's head. */
  async store(change: ValueListChange): Promise<void> {
    await this.stub.putState(this.keys.valueList(change.version.list, change.version.version), encodeState(change.version));
    await this.stub.putState(this.keys.valueListHead(change.head.list), encodeState(change.head));
  }
}
