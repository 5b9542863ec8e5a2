import { randomBytes } from 'node:crypto';
import { CommitStatusError, EndorseError, GatewayError, type Contract } from '@hyperledger/fabric-gateway';
import {
  CaseAnswerSchema,
  CaseDetailsAnswerSchema,
  EnforcementAnswerSchema,
  parseError,
  PutEnforcementAnswerSchema,
  RecordAnswerSchema,
  TimelineAnswerSchema,
  TRANSACTIONS,
  TRANSIENT_KEYS,
  type CaseDetails,
  type CaseView,
  type CollectionName,
  type Enforcement,
  type EventInput,
  type RecordAnswer,
} from '@asl/chaincode/domain';
import { z } from 'zod';
import { validationCodeName } from './committed-transaction';

/** A transaction the network committed as VALID, with the contract's answer. */
export interface Committed<T> {
  readonly answer: T;
  readonly txId: string;
  readonly blockNumber: bigint;
  /** How often the proposal was sent for endorsement until both agencies' peers agreed. */
  readonly endorsements: number;
  /** How often the signed transaction was sent to the ordering service until it committed. */
  readonly submissions: number;
}

/**
 * How a write rides out a disturbed network instead of failing at the first transient refusal (what the
 * agencies' adapters do with the gateway's 503/504, in seconds instead of minutes):
 * - endorsement refused without a chaincode `[CODE]`: typically the two peers answered from different heights
 *   (one has not committed the previous block yet, e.g. while it reconnects to another orderer), so their
 *   read sets differ; the same proposal is endorsed again after a pause;
 * - submit refused (no orderer reachable, no Raft leader yet): submitted again after a pause;
 * - no commit status in time: Broadcast only promises that an orderer accepted the transaction, and a Raft
 *   leader that stops before cutting the block loses it. The same signed envelope is submitted again; it keeps
 *   its transaction ID, so the ledger commits it at most once.
 */
export interface RetryPolicy {
  /** How long to wait for the commit status before submitting again. */
  readonly commitWaitMs: number;
  /** Pause before endorsing or submitting again after a refusal. */
  readonly pauseMs: number;
  /** At most this many endorsements, and at most this many submissions. */
  readonly maxAttempts: number;
}

/** What a submit may add to the proposal. */
interface SubmitOptions {
  readonly transient?: Record<string, Uint8Array>;
  /** Endorse only on these organisations' peers (a write the collection policy lets one agency endorse alone). */
  readonly endorsingOrganizations?: readonly string[];
  readonly retry?: RetryPolicy;
}

/** Options of {@link Procedure.recordEvent}. */
export interface RecordOptions {
  /** The writer's `caseDetails` record, sent as transient data. */
  readonly caseDetails?: CaseDetails;
  readonly retry?: RetryPolicy;
}

const decoder = new TextDecoder();

function parseAnswer<S extends z.ZodType>(schema: S, bytes: Uint8Array): z.infer<S> {
  return schema.parse(JSON.parse(decoder.decode(bytes)));
}

/** A private record's transient document: the record plus the 32 random bytes of salt domain.md §2 asks for. */
function salted(record: object): Uint8Array {
  return Buffer.from(JSON.stringify({ ...record, salt: randomBytes(32).toString('base64') }));
}

/**
 * The `procedure` contract as one signer sees it through one peer: each transaction with its JSON argument,
 * each answer parsed with the domain core's schema. Reads are evaluated on a peer of `readerMspId` only (the
 * gateway would otherwise be free to pick another organisation's peer). A write resolves only once its
 * transaction committed VALID.
 */
export class Procedure {
  constructor(
    private readonly contract: Contract,
    private readonly readerMspId: string,
  ) {}

  /** `RecordEvent`, with the writer's `caseDetails` record as transient data when given. */
  recordEvent(input: EventInput, options: RecordOptions = {}): Promise<Committed<RecordAnswer>> {
    const { caseDetails, retry } = options;
    return this.#submit(TRANSACTIONS.RecordEvent, input, RecordAnswerSchema, {
      ...(caseDetails === undefined ? {} : { transient: { [TRANSIENT_KEYS.caseDetails]: salted(caseDetails) } }),
      ...(retry === undefined ? {} : { retry }),
    });
  }

  /** `PurgePrivateData` (admin): purges a collection's records of a case and records `PERSONAL_DATA_PURGED`. */
  purge(request: { caseId: string; collection: CollectionName; sourceMessageId: string; occurredAt: string }): Promise<Committed<RecordAnswer>> {
    return this.#submit(TRANSACTIONS.PurgePrivateData, request, RecordAnswerSchema, {});
  }

  /** `PutEnforcement`: ZAB's `zabEnforcement` record, endorsed only by `endorsers`. */
  putEnforcement(caseId: string, enforcement: Enforcement, endorsers: readonly string[]): Promise<Committed<z.infer<typeof PutEnforcementAnswerSchema>>> {
    return this.#submit(TRANSACTIONS.PutEnforcement, { caseId }, PutEnforcementAnswerSchema, {
      transient: { [TRANSIENT_KEYS.enforcement]: salted(enforcement) },
      endorsingOrganizations: endorsers,
    });
  }

  getCase(caseId: string): Promise<CaseView> {
    return this.#evaluate(TRANSACTIONS.GetCase, { caseId }, CaseAnswerSchema);
  }

  getTimeline(caseId: string): Promise<z.infer<typeof TimelineAnswerSchema>> {
    return this.#evaluate(TRANSACTIONS.GetTimeline, { caseId }, TimelineAnswerSchema);
  }

  getCaseDetails(caseId: string): Promise<z.infer<typeof CaseDetailsAnswerSchema>> {
    return this.#evaluate(TRANSACTIONS.GetCaseDetails, { caseId }, CaseDetailsAnswerSchema);
  }

  getEnforcement(caseId: string): Promise<z.infer<typeof EnforcementAnswerSchema>> {
    return this.#evaluate(TRANSACTIONS.GetEnforcement, { caseId }, EnforcementAnswerSchema);
  }

  async #evaluate<S extends z.ZodType>(name: string, arg: unknown, schema: S): Promise<z.infer<S>> {
    const proposal = this.contract.newProposal(name, { arguments: [JSON.stringify(arg)], endorsingOrganizations: [this.readerMspId] });
    return parseAnswer(schema, await proposal.evaluate());
  }

  async #submit<S extends z.ZodType>(name: string, arg: unknown, schema: S, options: SubmitOptions): Promise<Committed<z.infer<S>>> {
    const proposal = this.contract.newProposal(name, {
      arguments: [JSON.stringify(arg)],
      ...(options.transient ? { transientData: options.transient } : {}),
      ...(options.endorsingOrganizations ? { endorsingOrganizations: [...options.endorsingOrganizations] } : {}),
    });
    const policy = options.retry;
    const endorsed = await attempts(policy, () => proposal.endorse(), (error) => error instanceof EndorseError && chaincodeCodesOf(error).length === 0);
    const transaction = endorsed.result;
    const committed = await attempts(
      policy,
      async () => {
        const commit = await transaction.submit();
        return commit.getStatus(policy === undefined ? undefined : { deadline: Date.now() + policy.commitWaitMs });
      },
      (error) => error instanceof GatewayError && !(error instanceof EndorseError),
    );
    const status = committed.result;
    if (!status.successful) throw new Error(`${name} ${status.transactionId} committed as ${validationCodeName(status.code)}`);
    return {
      answer: parseAnswer(schema, transaction.getResult()),
      txId: status.transactionId,
      blockNumber: status.blockNumber,
      endorsements: endorsed.attempts,
      submissions: committed.attempts,
    };
  }
}

/**
 * Runs `step` until it succeeds; without a policy once. A failure `transient` says is worth another attempt is
 * retried (after the policy's pause, except for a commit-status timeout, which has waited already).
 */
async function attempts<T>(policy: RetryPolicy | undefined, step: () => Promise<T>, transient: (error: unknown) => boolean): Promise<{ result: T; attempts: number }> {
  for (let attempt = 1; ; attempt++) {
    try {
      return { result: await step(), attempts: attempt };
    } catch (error) {
      if (policy === undefined || attempt >= policy.maxAttempts || !transient(error)) throw error;
      if (!(error instanceof CommitStatusError)) await new Promise((resolve) => setTimeout(resolve, policy.pauseMs));
    }
  }
}

/** What fabric-gateway's EndorseError / GatewayError expose: a message and, per peer, what it answered. */
const RefusalSchema = z.object({
  message: z.string(),
  details: z.array(z.object({ message: z.string() })).optional(),
});

/** Every non-empty message of a fabric-gateway error: its own and each peer's (undefined if not such an error). */
function messagesOf(error: unknown): string[] | undefined {
  const e = RefusalSchema.safeParse(error);
  if (!e.success) return undefined;
  return [e.data.message, ...(e.data.details ?? []).map((d) => d.message)].filter((m) => m !== '');
}

/** The chaincode's `[CODE]`s in a fabric-gateway error (each endorsing peer's chaincode response is a detail). */
function chaincodeCodesOf(error: unknown): string[] {
  return (messagesOf(error) ?? []).flatMap((m) => {
    const parsed = parseError(m);
    return parsed === undefined ? [] : [parsed.code];
  });
}

/**
 * The `[CODE]`s a refused call carries, from its message and every per-peer detail, with those messages. Fails
 * when the call succeeded or failed with something other than a fabric-gateway error.
 */
export async function refusalCodes(call: Promise<unknown>): Promise<{ codes: string[]; messages: string[] }> {
  let error: unknown;
  try {
    await call;
  } catch (e) {
    error = e;
  }
  if (error === undefined) throw new Error('expected the call to be refused, but it succeeded');
  const messages = messagesOf(error);
  if (messages === undefined) throw new Error('the call failed, but not with a fabric-gateway error', { cause: error });
  return { codes: chaincodeCodesOf(error), messages };
}
