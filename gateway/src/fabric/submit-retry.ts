import { StatusCode } from '@hyperledger/fabric-gateway';
import { GatewayError, LEDGER_RETRY_AFTER_SECONDS } from '../http/problem';
import { isEndorsementMismatch, translateFabricError } from './fabric-errors';

/** The commit status a write waits for (fabric-gateway's `Status`, reduced to what the retry reads). */
export interface CommitStatusLike {
  readonly successful: boolean;
  readonly code: number;
  readonly blockNumber: bigint;
  readonly transactionId: string;
}

/** A submitted transaction (fabric-gateway's `SubmittedTransaction` / `Commit`). */
export interface CommitLike {
  getStatus(): Promise<CommitStatusLike>;
}

/** An endorsed transaction (fabric-gateway's `Transaction`). */
export interface TransactionLike {
  getResult(): Uint8Array;
  submit(): Promise<CommitLike>;
}

/** A signed proposal (fabric-gateway's `Proposal`): endorsing it again keeps its transaction ID. */
export interface ProposalLike {
  getTransactionId(): string;
  endorse(): Promise<TransactionLike>;
}

/** Why a write was endorsed or submitted again. */
export type RetryReason = 'mvcc_read_conflict' | 'phantom_read_conflict' | 'endorsement_mismatch';

/** One retry, reported to the gateway's metrics and log. */
export interface RetryEvent {
  readonly reason: RetryReason;
  /** 1 for the first retry. */
  readonly attempt: number;
  /** The transaction that lost (MVCC, phantom) or whose endorsements disagreed. */
  readonly txId: string;
}

/** How a write rides out transient refusals. */
export interface SubmitPolicy {
  /** How often a write whose transaction lost an MVCC or phantom-read race is submitted again as a new proposal. */
  readonly mvccRetries: number;
  /** How often a proposal whose endorsements disagreed (two peers at different heights) is endorsed again. */
  readonly endorseRetries: number;
  /** Waits before a retry; `attempt` starts at 1. Defaults to {@link backoffMs} with a real timer. */
  readonly pause?: (reason: RetryReason, attempt: number) => Promise<void>;
  readonly onRetry?: (event: RetryEvent) => void;
}

/** What a committed write gives back. */
export interface Submitted {
  readonly result: Uint8Array;
  readonly blockNumber: bigint;
  readonly txId: string;
}

/**
 * The pause before a retry: for an MVCC or phantom-read loss a random delay up to 250 ms × 2^(attempt−1), capped at
 * 2 s, so writes that collided on one case spread over the next blocks (about one batch timeout each) instead of
 * colliding again; for an endorsement mismatch 250 ms × attempt, about one block for the lagging peer to commit.
 */
export function backoffMs(reason: RetryReason, attempt: number, random: () => number = Math.random): number {
  if (reason === 'endorsement_mismatch') return 250 * attempt;
  return Math.floor(random() * Math.min(2000, 250 * 2 ** (attempt - 1)));
}

const defaultPause = (reason: RetryReason, attempt: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, backoffMs(reason, attempt)));

const RACE_LOST: ReadonlyMap<number, RetryReason> = new Map([
  [StatusCode.MVCC_READ_CONFLICT, 'mvcc_read_conflict'],
  [StatusCode.PHANTOM_READ_CONFLICT, 'phantom_read_conflict'],
]);

/**
 * Endorse, submit, wait for the commit — and what each failure means for the caller (domain.md §7, gateway README):
 *
 * - **Endorsement** refused: nothing reached the orderer. A chaincode `[CODE]` is that refusal; two peers that
 *   answered from different heights (`ProposalResponsePayloads do not match`, e.g. while one commits the previous
 *   block or a Raft leader is re-elected) are asked again, the same proposal, up to `endorseRetries` times; anything
 *   else is `LEDGER_UNAVAILABLE` (503: certainly not submitted).
 * - **Submit and commit status**: once `submit()` has been called the transaction may have reached the orderer and
 *   may still commit, so any failure from here on is `LEDGER_TIMEOUT` (504), whose contract is that a retry with
 *   the same `sourceMessageId` is safe (it answers `ALREADY_APPLIED` if the first attempt committed).
 * - **Committed invalid**: an MVCC or phantom-read conflict (another write on the same case won the race) is run
 *   again as a new proposal on the new state, up to `mvccRetries` times, after a random pause; other validation
 *   codes, or conflicts beyond the budget, are `LEDGER_UNAVAILABLE` (the transaction certainly changed nothing).
 */
export async function submitWithRetries(newProposal: () => ProposalLike, policy: SubmitPolicy): Promise<Submitted> {
  const pause = policy.pause ?? defaultPause;
  for (let raceAttempt = 0; ; raceAttempt++) {
    const proposal = newProposal();
    const transaction = await endorse(proposal, policy, pause);
    let status: CommitStatusLike;
    try {
      const commit = await transaction.submit();
      status = await commit.getStatus();
    } catch (error) {
      throw translateFabricError(error, 'submit');
    }
    if (status.successful) return { result: transaction.getResult(), blockNumber: status.blockNumber, txId: status.transactionId };
    const reason = RACE_LOST.get(status.code);
    if (reason === undefined || raceAttempt >= policy.mvccRetries) {
      throw new GatewayError('LEDGER_UNAVAILABLE', { reason: 'TX_INVALID' }, LEDGER_RETRY_AFTER_SECONDS);
    }
    policy.onRetry?.({ reason, attempt: raceAttempt + 1, txId: status.transactionId });
    await pause(reason, raceAttempt + 1);
  }
}

async function endorse(proposal: ProposalLike, policy: SubmitPolicy, pause: NonNullable<SubmitPolicy['pause']>): Promise<TransactionLike> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await proposal.endorse();
    } catch (error) {
      const translated = translateFabricError(error, 'endorse');
      if (!isEndorsementMismatch(error, translated) || attempt >= policy.endorseRetries) throw translated;
      policy.onRetry?.({ reason: 'endorsement_mismatch', attempt: attempt + 1, txId: proposal.getTransactionId() });
      await pause('endorsement_mismatch', attempt + 1);
    }
  }
}
