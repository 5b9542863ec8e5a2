import { status as GrpcStatus } from '@grpc/grpc-js';
import { DomainError, parseError } from '@asl/chaincode/domain';
import { GatewayError, LEDGER_RETRY_AFTER_SECONDS } from '../http/problem';

interface FabricErrorLike {
  readonly code?: unknown;
  readonly details?: readonly { readonly message?: unknown }[];
  readonly message?: unknown;
}

/** Where in a ledger call an error arose: it decides whether the transaction may have reached the orderer. */
export type FabricPhase = 'evaluate' | 'endorse' | 'submit' | 'commit';

function messagesOf(error: unknown): string[] {
  const e: FabricErrorLike = typeof error === 'object' && error !== null ? error : {};
  return [typeof e.message === 'string' ? e.message : '', ...(e.details ?? []).map((d) => (typeof d.message === 'string' ? d.message : ''))];
}

/**
 * Turns anything fabric-gateway throws into the error the gateway answers with: a chaincode refusal
 * (`[CODE] {json}` in the error's message or in one of its per-peer details) becomes that `DomainError`.
 * Otherwise the phase decides (domain.md §7): an evaluation or endorsement sent nothing to the orderer, so its
 * failure is `LEDGER_UNAVAILABLE` (503, reason `DEADLINE` for a deadline); a failure once `submit()` was called
 * — the broadcast or the wait for the commit status — may hide a transaction the orderer accepted and will still
 * commit, so it is `LEDGER_TIMEOUT` (504: retrying with the same `sourceMessageId` is safe). Before, a refused
 * broadcast or a broken commit-status stream answered 503, which promises the caller that nothing was submitted.
 * Peer addresses and MSP details are dropped.
 */
export function translateFabricError(error: unknown, phase: FabricPhase): Error {
  if (error instanceof DomainError || error instanceof GatewayError) return error;
  for (const m of messagesOf(error)) {
    const parsed = parseError(m);
    if (parsed) return new DomainError(parsed.code, parsed.detail);
  }
  if (phase === 'submit' || phase === 'commit') return new GatewayError('LEDGER_TIMEOUT', {}, LEDGER_RETRY_AFTER_SECONDS);
  const code = typeof error === 'object' && error !== null ? (error as FabricErrorLike).code : undefined;
  if (code === GrpcStatus.DEADLINE_EXCEEDED) return new GatewayError('LEDGER_UNAVAILABLE', { reason: 'DEADLINE' }, LEDGER_RETRY_AFTER_SECONDS);
  return new GatewayError('LEDGER_UNAVAILABLE', {}, LEDGER_RETRY_AFTER_SECONDS);
}

/**
 * The per-endorser detail Fabric's gateway service attaches when two endorsers returned different proposal
 * response payloads (fabric v3.1.5 internal/pkg/gateway/endorsement.go). The gRPC status (ABORTED) is the same as
 * for a chaincode refusal, so this text is the only signal Fabric gives.
 */
const PAYLOAD_MISMATCH = 'ProposalResponsePayloads do not match';

/**
 * Whether an endorsement failed only because the endorsing peers answered from different states — typically one
 * peer a block behind the other (it has not committed the previous block yet, e.g. while a Raft leader is
 * re-elected or it reconnects to another orderer). The same proposal endorsed a moment later succeeds. A
 * chaincode refusal (`translated` is a `DomainError`) is never a mismatch.
 */
export function isEndorsementMismatch(error: unknown, translated: Error = translateFabricError(error, 'endorse')): boolean {
  if (translated instanceof DomainError) return false;
  const code = typeof error === 'object' && error !== null ? (error as FabricErrorLike).code : undefined;
  return code === GrpcStatus.ABORTED && messagesOf(error).some((m) => m.includes(PAYLOAD_MISMATCH));
}

/** Whether a call failed because the peer could not be reached or did not answer in time (not a refusal). */
export function isPeerUnreachable(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null ? (error as FabricErrorLike).code : undefined;
  return code === GrpcStatus.UNAVAILABLE || code === GrpcStatus.DEADLINE_EXCEEDED || code === GrpcStatus.CANCELLED;
}
