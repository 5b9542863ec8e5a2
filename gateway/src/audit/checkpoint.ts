import { AuditError } from './audit-codes';

/** An auditor's checkpoint: a verified block number and that block's header hash (hex SHA-256). */
export interface Checkpoint {
  readonly blockNumber: number;
  readonly blockHash: string;
}

const HASH = /^[0-9a-f]{64}$/;
const DECIMAL = /^(0|[1-9][0-9]*)$/;

/**
 * Parses a checkpoint file: JSON `{"blockNumber":"<decimal>","blockHash":"<64 hex>"}` (a number is accepted too).
 * Throws {@link AuditError} with reason `BAD_CHECKPOINT` for anything else.
 */
export function parseCheckpoint(text: string): Checkpoint {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new AuditError('BAD_CHECKPOINT', 'checkpoint is not JSON');
  }
  if (typeof parsed !== 'object' || parsed === null) throw new AuditError('BAD_CHECKPOINT', 'checkpoint is not an object');
  const number: unknown = Reflect.get(parsed, 'blockNumber');
  const hash: unknown = Reflect.get(parsed, 'blockHash');
  const blockNumber =
    typeof number === 'string' && DECIMAL.test(number) ? Number(number) : typeof number === 'number' ? number : Number.NaN;
  if (!Number.isSafeInteger(blockNumber) || blockNumber < 0) {
    throw new AuditError('BAD_CHECKPOINT', 'checkpoint blockNumber must be a non-negative integer');
  }
  if (typeof hash !== 'string' || !HASH.test(hash)) throw new AuditError('BAD_CHECKPOINT', 'checkpoint blockHash must be 64 lower-case hex digits');
  return { blockNumber, blockHash: hash };
}

/** Serialises a checkpoint in the file format {@link parseCheckpoint} reads (block number as a decimal string). */
export function formatCheckpoint(checkpoint: Checkpoint): string {
  return `${JSON.stringify({ blockNumber: String(checkpoint.blockNumber), blockHash: checkpoint.blockHash })}\n`;
}
