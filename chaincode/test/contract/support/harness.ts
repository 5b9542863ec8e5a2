import './quiet-logs';
import type { Context } from 'fabric-contract-api';
import type { z } from 'zod';
import {
  approveValueList,
  parseError,
  proposeValueList,
  REASON_USES,
  type ErrorCode,
  type ErrorDetail,
  type ValueListEntry,
  type ValueListName,
} from '../../../src/domain';
import { Keys } from '../../../src/contract/keys';
import { ORG_DIRECTORY } from '../../../src/contract/org-directory';
import { encodeState } from '../../../src/contract/state-codec';
import { ProcedureContract } from '../../../src/contract/procedure-contract';
import { TRANSACTIONS, type TransactionName } from '../../../src/contract/names';
import { RecordAnswerSchema } from '../../../src/domain';
import { FakeLedger, fakeContext, type FakeIdentitySpec, type FakeStub } from './fake-stub';

/** The answer of an event-recording transaction. */
export type RecordAnswer = z.infer<typeof RecordAnswerSchema>;

type TransactionFn = (ctx: Context, arg: string) => Promise<string>;

/** Transactions that record an event: exactly one chaincode event each. */
const EVENT_TRANSACTIONS: readonly TransactionName[] = [TRANSACTIONS.RecordEvent, TRANSACTIONS.ImportCase, TRANSACTIONS.PurgePrivateData];
/** Value-list writes: one `ValueListChanged` when they write, none when a retry changed nothing. */
const VALUE_LIST_WRITES: readonly TransactionName[] = [TRANSACTIONS.ProposeValueList, TRANSACTIONS.ApproveValueList];
/** Read-only transactions (`@Transaction(false)`): write nothing. */
const QUERY_TRANSACTIONS: readonly TransactionName[] = [
  TRANSACTIONS.GetCase,
  TRANSACTIONS.GetTimeline,
  TRANSACTIONS.GetWrite,
  TRANSACTIONS.ListCases,
  TRANSACTIONS.GetCaseDetails,
  TRANSACTIONS.GetEnforcement,
  TRANSACTIONS.GetValueList,
  TRANSACTIONS.ListValueLists,
  TRANSACTIONS.DiffValueLists,
];

/** The codes the contract tests write, per list: obviously fake test codes (and Dresden's real AGS). */
export const HARNESS_LIST_ENTRIES: Readonly<Record<ValueListName, readonly ValueListEntry[]>> = {
  facility: [{ code: 'AE-DD-TEST' }],
  court: [{ code: 'VG-DD-TEST' }],
  municipality: [{ code: '14612000', label: 'Dresden, Stadt' }],
  authority: [{ code: 'ABH-DD-TEST' }, { code: 'ZabSachsenMSP' }],
  reason: [
    { code: 'TEST-ERROR', usedFor: [...REASON_USES] },
    { code: 'TEST-REASON', usedFor: [...REASON_USES] },
  ],
};

/** When the harness's value lists came into force: before any test's transaction time. */
export const HARNESS_LISTS_IN_FORCE_FROM = '2025-01-01T00:00:00.000Z';

/** Options of a {@link Harness}. */
export interface HarnessOptions {
  /** Seed version 1 of every list (the test network seeds them at deploy); default true. */
  readonly seedValueLists?: boolean;
}

/** The outcome of one invocation. */
export type Invocation =
  | { readonly ok: true; readonly stub: FakeStub; readonly text: string; readonly value: unknown }
  | { readonly ok: false; readonly stub: FakeStub; readonly message: string; readonly code: ErrorCode | undefined; readonly detail: ErrorDetail | undefined };

/** Options of one invocation. */
export interface CallOptions {
  readonly transient?: Readonly<Record<string, Uint8Array | string>>;
}

/**
 * Puts version 1 of every list ({@link HARNESS_LIST_ENTRIES}), proposed by BAMF's admin and approved by
 * ZAB's, into a fake ledger's committed state exactly as `ProposeValueList` and `ApproveValueList` store
 * it, without spending transactions (the tests' transaction ids and times stay as they were).
 * value-lists.test.ts drives the transactions themselves.
 */
export function seedValueLists(ledger: FakeLedger): void {
  const keys = new Keys(new FakeLedger().begin());
  for (const [list, entries] of Object.entries(HARNESS_LIST_ENTRIES) as [ValueListName, readonly ValueListEntry[]][]) {
    const at = HARNESS_LISTS_IN_FORCE_FROM;
    const proposed = proposeValueList({
      input: { list, version: 1, entries },
      actor: { mspId: 'BamfMSP', enrollmentId: 'B-ADM-1', role: 'admin' },
      txId: `seed-${list}-propose`,
      txTime: at,
      orgs: ORG_DIRECTORY,
      head: undefined,
      existing: undefined,
    });
    const approved = approveValueList({
      input: { list, version: 1, contentHash: proposed.version.contentHash },
      actor: { mspId: 'ZabSachsenMSP', enrollmentId: 'Z-ADM-1', role: 'admin' },
      txId: `seed-${list}-approve`,
      txTime: at,
      orgs: ORG_DIRECTORY,
      head: proposed.head,
      existing: proposed.version,
    });
    ledger.state.set(keys.valueList(list, 1), encodeState(approved.version));
    ledger.state.set(keys.valueListHead(list), encodeState(approved.head));
  }
}

/**
 * Drives the contract over a {@link FakeLedger} as the peer would: one stub per transaction, commit on
 * success of a submit transaction, nothing on failure. Checks on every call what must hold for every
 * transaction: only `[CODE] {json}` errors, exactly one chaincode event for event-recording
 * transactions and none otherwise, and no writes at all from queries.
 */
export class Harness {
  readonly ledger = new FakeLedger('2026-01-05T10:00:00.000Z');
  readonly contract = new ProcedureContract();
  /** Every error message any call produced (for leak checks). */
  readonly errors: string[] = [];
  /** Every successful answer of a public-state transaction (for leak checks). */
  readonly publicAnswers: string[] = [];
  private msg = 0;

  constructor(options: HarnessOptions = {}) {
    if (options.seedValueLists ?? true) seedValueLists(this.ledger);
  }

  /** Sets the transaction clock to noon (UTC 10:00) of a date. */
  at(date: string): this {
    this.ledger.setTime(`${date}T10:00:00.000Z`);
    return this;
  }

  async call(identity: FakeIdentitySpec, tx: TransactionName, arg: unknown, options: CallOptions = {}): Promise<Invocation> {
    const stub = this.ledger.begin(options.transient ? { transient: options.transient } : {});
    const ctx = fakeContext(stub, identity);
    const transactions: Record<TransactionName, TransactionFn> = this.contract;
    const text = typeof arg === 'string' ? arg : JSON.stringify(arg);
    try {
      const answer = await transactions[tx].call(this.contract, ctx, text);
      const events = EVENT_TRANSACTIONS.includes(tx) ? 1 : VALUE_LIST_WRITES.includes(tx) && !stub.isWriteSetEmpty() ? 1 : 0;
      expect(stub.setEventCalls).toBe(events);
      if (QUERY_TRANSACTIONS.includes(tx)) {
        expect(stub.isWriteSetEmpty()).toBe(true);
      } else {
        this.ledger.commit(stub);
      }
      if (tx !== TRANSACTIONS.GetCaseDetails && tx !== TRANSACTIONS.GetEnforcement) this.publicAnswers.push(answer);
      return { ok: true, stub, text: answer, value: JSON.parse(answer) };
    } catch (error) {
      if (!(error instanceof Error)) throw error;
      this.errors.push(error.message);
      const parsed = parseError(error.message);
      expect(error.message).toMatch(/^\[[A-Z_]+\] \{.*\}$/s);
      return { ok: false, stub, message: error.message, code: parsed?.code, detail: parsed?.detail };
    }
  }

  /** Calls and requires success; returns the answer, parsed with its published schema. */
  async ok<S extends z.ZodType>(schema: S, identity: FakeIdentitySpec, tx: TransactionName, arg: unknown, options: CallOptions = {}): Promise<z.infer<S>> {
    const result = await this.call(identity, tx, arg, options);
    if (!result.ok) throw new Error(`expected ${tx} to succeed, got ${result.message}`);
    return schema.parse(result.value);
  }

  /** Calls and requires a refusal; returns it. Also requires that the transaction would write nothing. */
  async refused(identity: FakeIdentitySpec, tx: TransactionName, arg: unknown, options: CallOptions = {}): Promise<{ code: ErrorCode | undefined; detail: ErrorDetail | undefined; message: string }> {
    const result = await this.call(identity, tx, arg, options);
    if (result.ok) throw new Error(`expected ${tx} to be refused, got ${result.text}`);
    return { code: result.code, detail: result.detail, message: result.message };
  }

  /** A fresh event envelope. */
  envelope(caseId: string, type: string, data: unknown, extra: { sourceMessageId?: string; occurredAt?: string } = {}): Record<string, unknown> {
    this.msg += 1;
    return {
      caseId,
      type,
      occurredAt: extra.occurredAt ?? '2026-01-05T09:30:00+01:00',
      sourceMessageId: extra.sourceMessageId ?? `test-msg-${String(this.msg).padStart(4, '0')}`,
      data,
    };
  }

  /** Records an event and requires success. */
  async write(identity: FakeIdentitySpec, caseId: string, type: string, data: unknown, options: CallOptions & { sourceMessageId?: string } = {}): Promise<RecordAnswer> {
    const env = this.envelope(caseId, type, data, options.sourceMessageId ? { sourceMessageId: options.sourceMessageId } : {});
    return this.ok(RecordAnswerSchema, identity, TRANSACTIONS.RecordEvent, env, options);
  }
}
