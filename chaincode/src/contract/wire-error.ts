import { DomainError, formatError } from '../domain/errors';

/** The part of a logger the contract uses (the contract-api's winston logger fits). */
export interface ErrorLogger {
  error(message: string): unknown;
}

/**
 * The error a transaction throws: only its message crosses the peer boundary.
 *
 * - A `DomainError` keeps its wire form `[CODE] {json}`.
 * - Anything else (a peer or shim failure, stored state that no longer parses, a bug) becomes
 *   `[LEDGER_UNAVAILABLE] {"reason":"CHAINCODE_INTERNAL"}`: the caller did nothing wrong, so it is not
 *   `INVALID_INPUT`; the gateway answers 503 and adapters retry with the same `sourceMessageId`
 *   (safe, domain.md §6) until their retry budget sends the message to dead letters. The raw message
 *   is logged here with the transaction name and never returned.
 */
export function toWireError(error: unknown, transaction: string, logger?: ErrorLogger): Error {
  if (error instanceof DomainError) return new Error(error.message);
  const name = error instanceof Error ? error.name : typeof error;
  const message = error instanceof Error ? error.message : '';
  logger?.error(`${transaction} failed internally: ${name}: ${message}`);
  return new Error(formatError('LEDGER_UNAVAILABLE', { reason: 'CHAINCODE_INTERNAL' }));
}
