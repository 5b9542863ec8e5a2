import './quiet-logs';
import type { Context } from 'fabric-contract-api';
import type { z } from 'zod';
import { parseError, type ErrorCode, type ErrorDetail } from '../../../src/domain';
import { ProcedureContract } from '../../../src/contract/procedure-contract';
import { TRANSACTIONS, type TransactionName } from '../../../src/contract/names';
import { RecordAnswerSchema } from '../../../src/contract/schemas';
import { FakeLedger, fakeContext, type FakeIdentitySpec, type FakeStub } from './fake-stub';

/** The answer of an event-recording transaction. */
export type RecordAnswer = z.infer<typeof RecordAnswerSchema>;

type TransactionFn = (ctx: Context, arg: string) => Promise<string>;

/** Transactions that record an event: exactly one chaincode event each. */
const EVENT_TRANSACTIONS: readonly TransactionName[] = [TRANSACTIONS.RecordEvent, TRANSACTIONS.ImportCase, TRANSACTIONS.PurgePrivateData];
/** Read-only transactions (`@Transaction(false)`): write nothing. */
const QUERY_TRANSACTIONS: readonly TransactionName[] = [
  TRANSACTIONS.GetCase,
  TRANSACTIONS.GetTimeline,
  TRANSACTIONS.GetWrite,
  TRANSACTIONS.ListCases,
  TRANSACTIONS.GetCaseDetails,
  TRANSACTIONS.GetEnforcement,
];

/** The outcome of one invocation. */
export type Invocation =
  | { readonly ok: true; readonly stub: FakeStub; readonly text: string; readonly value: unknown }
  | { readonly ok: false; readonly stub: FakeStub; readonly message: string; readonly code: ErrorCode | undefined; readonly detail: ErrorDetail | undefined };

/** Options of one invocation. */
export interface CallOptions {
  readonly transient?: Readonly<Record<string, Uint8Array | string>>;
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
      expect(stub.setEventCalls).toBe(EVENT_TRANSACTIONS.includes(tx) ? 1 : 0);
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
