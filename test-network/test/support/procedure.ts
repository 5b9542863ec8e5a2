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
  /** How often the signed transaction was sent to the ordering service until it committed. */
  readonly submissions: number;
}

/**
 * How a write that was accepted for ordering but never committed is sent again. Fabric's Broadcast only
 * promises that an orderer accepted the transaction: an orderer (the Raft leader) that stops before it cut the
 * block loses it, and no commit status ever arrives. The same signed envelope is then submitted again; it keeps
 * its transaction ID, so the ledger commits it at most once.
 */
export interface ResubmitPolicy {
  /** How long to wait for the commit status before submitting again. */
  readonly afterMs: number;
  /** How long to wait before submitting again after the submit itself was refused (e.g. no Raft leader yet). */
  readonly pauseMs: number;
  readonly maxSubmissions: number;
}

/** What a submit may add to the proposal. */
interface SubmitOptions {
  readonly transient?: Record<string, Uint8Array>;
  /** Endorse only on these organisations' peers (a write the collection policy lets one agency endorse alone). */
  readonly endorsingOrganizations?: readonly string[];
  readonly resubmit?: ResubmitPolicy;
}

/** Options of {@link Procedure.recordEvent}. */
export interface RecordOptions {
  /** The writer's `caseDetails` record, sent as transient data. */
  readonly caseDetails?: CaseDetails;
  readonly resubmit?: ResubmitPolicy;
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
    const { caseDetails, resubmit } = options;
    return this.#submit(TRANSACTIONS.RecordEvent, input, RecordAnswerSchema, {
      ...(caseDetails === undefined ? {} : { transient: { [TRANSIENT_KEYS.caseDetails]: salted(caseDetails) } }),
      ...(resubmit === undefined ? {} : { resubmit }),
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
    const transaction = await proposal.endorse();
    const policy = options.resubmit;
    for (let submissions = 1; ; submissions++) {
      try {
        const commit = await transaction.submit();
        const status = await commit.getStatus(policy === undefined ? undefined : { deadline: Date.now() + policy.afterMs });
        if (!status.successful) throw new Error(`${name} ${status.transactionId} committed as ${validationCodeName(status.code)}`);
        return { answer: parseAnswer(schema, transaction.getResult()), txId: status.transactionId, blockNumber: status.blockNumber, submissions };
      } catch (error) {
        // Submit refused (no orderer reachable or no Raft leader) or no commit status in time: worth sending again.
        const unordered = error instanceof GatewayError && !(error instanceof EndorseError);
        if (policy === undefined || !unordered || submissions >= policy.maxSubmissions) throw error;
        if (!(error instanceof CommitStatusError)) await new Promise((resolve) => setTimeout(resolve, policy.pauseMs));
      }
    }
  }
}

/** What fabric-gateway's EndorseError / GatewayError expose: a message and, per peer, what it answered. */
const RefusalSchema = z.object({
  message: z.string(),
  details: z.array(z.object({ message: z.string() })).optional(),
});

/**
 * The `[CODE]`s a refused call carries, from its message and every per-peer detail (fabric-gateway puts each
 * endorsing peer's chaincode response there). Fails when the call succeeded.
 */
export async function refusalCodes(call: Promise<unknown>): Promise<{ codes: string[]; messages: string[] }> {
  let error: unknown;
  try {
    await call;
  } catch (e) {
    error = e;
  }
  if (error === undefined) throw new Error('expected the call to be refused, but it succeeded');
  const e = RefusalSchema.parse(error);
  const messages = [e.message, ...(e.details ?? []).map((d) => d.message)].filter((m) => m !== '');
  const codes = messages.flatMap((m) => {
    const parsed = parseError(m);
    return parsed === undefined ? [] : [parsed.code];
  });
  return { codes, messages };
}
