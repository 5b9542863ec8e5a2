import { status as GrpcStatus } from '@grpc/grpc-js';
import { DomainError, parseError } from '@asl/chaincode/domain';
import { GatewayError } from '../http/problem';

/** Retry-After for a ledger that is unreachable or overloaded. */
const RETRY_AFTER_SECONDS = 5;

interface FabricErrorLike {
  readonly code?: unknown;
  readonly details?: readonly { readonly message?: unknown }[];
  readonly message?: unknown;
}

/**
 * Turns anything fabric-gateway throws into the error the gateway answers with: a chaincode refusal
 * (`[CODE] {json}` in the error's message or in one of its per-peer details) becomes that
 * `DomainError`; a deadline becomes `LEDGER_TIMEOUT`; everything else (peer down, gateway concurrency
 * limit, orderer unavailable) becomes `LEDGER_UNAVAILABLE`. Peer addresses and MSP details are dropped.
 */
export function translateFabricError(error: unknown, phase: 'evaluate' | 'endorse' | 'submit' | 'commit'): Error {
  if (error instanceof DomainError || error instanceof GatewayError) return error;
  const e: FabricErrorLike = typeof error === 'object' && error !== null ? error : {};
  const messages = [typeof e.message === 'string' ? e.message : '', ...(e.details ?? []).map((d) => (typeof d.message === 'string' ? d.message : ''))];
  for (const m of messages) {
    const parsed = parseError(m);
    if (parsed) return new DomainError(parsed.code, parsed.detail);
  }
  if (e.code === GrpcStatus.DEADLINE_EXCEEDED) {
    return phase === 'commit' || phase === 'submit'
      ? new GatewayError('LEDGER_TIMEOUT', {}, RETRY_AFTER_SECONDS)
      : new GatewayError('LEDGER_UNAVAILABLE', { reason: 'DEADLINE' }, RETRY_AFTER_SECONDS);
  }
  return new GatewayError('LEDGER_UNAVAILABLE', {}, RETRY_AFTER_SECONDS);
}
