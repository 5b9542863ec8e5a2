import type { Network } from '@hyperledger/fabric-gateway';
import { common, peer } from '@hyperledger/fabric-protos';
import { CHAINCODE_EVENTS, ChaincodeEventPayloadSchema } from '@asl/chaincode/domain';
import { transactionFilterOf } from '../audit/ledger-verifier';
import { chaincodeEventOf, decodeTransaction } from '../audit/transaction';
import type { LedgerEntry } from '../ports/case-ledger';
import { compareCheckpoints, type LedgerCheckpoint, type LedgerEventHandlers, type LedgerEvents, type Subscription } from '../ports/ledger-events';
import { blockFactsAt, completedReceipt } from './block-receipts';

/** The chaincode events that carry a case event (`CaseEventRecorded`, `ReturnConflict`). */
const CASE_EVENT_NAMES: ReadonlySet<string> = new Set(Object.values(CHAINCODE_EVENTS));

const decoder = new TextDecoder();

/**
 * The case-event entries of one committed block, in transaction order: the valid transactions of
 * `chaincode` whose chaincode event is `CaseEventRecorded` or `ReturnConflict` (the contract's other event,
 * `ValueListChanged`, carries no case event), each receipt completed from the block itself. Invalid
 * transactions are skipped, as Fabric's chaincode-event service skips them; a block without any (value
 * lists, enforcement records, configuration, lifecycle) yields none.
 */
export function blockEntriesOf(block: common.Block, chaincode: string): LedgerEntry[] {
  const envelopes = block.getData()?.getDataList_asU8() ?? [];
  const filter = transactionFilterOf(block);
  const entries: LedgerEntry[] = [];
  envelopes.forEach((envelope, txIndex) => {
    if (filter?.[txIndex] !== peer.TxValidationCode.VALID) return;
    let decoded;
    let event;
    try {
      decoded = decodeTransaction(envelope);
      if (decoded.type !== common.HeaderType.ENDORSER_TRANSACTION) return;
      event = chaincodeEventOf(decoded.payloadData);
    } catch {
      return;
    }
    if (event === undefined || event.chaincodeId !== chaincode || !CASE_EVENT_NAMES.has(event.eventName)) return;
    const payload = ChaincodeEventPayloadSchema.parse(JSON.parse(decoder.decode(event.payload)));
    const facts = blockFactsAt(block, txIndex);
    if (facts === undefined) return;
    const receipt = completedReceipt({ txId: payload.txId, writer: payload.event.actor, recordedAt: payload.recordedAt, ruleVersion: payload.ruleVersion }, facts);
    entries.push({ event: payload.event, receipt, warnings: payload.warnings });
  });
  return entries;
}

/** Options of {@link FabricLedgerEvents}. */
export interface FabricLedgerEventsOptions {
  readonly network: () => Network;
  readonly chaincode: string;
  /** Delay before reconnecting after the stream failed (e.g. the peer restarted), doubled up to `maxBackoffMs`. */
  readonly backoffMs: number;
  readonly maxBackoffMs: number;
}

/**
 * The channel's committed blocks through fabric-gateway's `getBlockEvents`, each read for its
 * `CaseEventRecorded` / `ReturnConflict` chaincode events ({@link blockEntriesOf}), delivered strictly in
 * ledger order from the caller's checkpoint, then the block reported processed (`onBlockProcessed`). Whole
 * blocks rather than `getChaincodeEvents`, because the chaincode-event stream is silent about blocks without
 * an event of the chaincode (value lists' `ValueListChanged` aside: enforcement records, configuration,
 * lifecycle), and the read model's lag must count blocks it has not processed, not blocks since the last
 * case event. When the stream fails it reconnects by itself from the first block not yet processed; a
 * failed stream is closed before the next opens, and `close()` ends the stream or the wait to reconnect at
 * once, so a closed subscription holds no gRPC call and no timer.
 *
 * The peer's deliver service accepts the request only if the Network comes from a Gateway connected with
 * the TLS client certificate's hash (`PeerConnection` in `peer-connection.ts`). Runs against the live
 * network in the CaseLedger contract suite (`test/ledger/fabric-ledger.net.test.ts`).
 */
export class FabricLedgerEvents implements LedgerEvents {
  constructor(private readonly o: FabricLedgerEventsOptions) {}

  subscribe(after: LedgerCheckpoint | undefined, handlers: LedgerEventHandlers): Subscription {
    let closed = false;
    let position = after;
    let nextBlock = after === undefined ? 0n : BigInt(after.blockNumber);
    let stop: (() => void) | undefined;

    /** One stream from `nextBlock` on, closed on every way out (end, failure, `close()`), so none outlives its use. */
    const stream = async (): Promise<void> => {
      const blocks = await this.o.network().getBlockEvents({ startBlock: nextBlock });
      stop = () => blocks.close();
      try {
        // close() may have come while the stream was being opened, before `stop` could reach it.
        if (closed) return;
        for await (const block of blocks) {
          if (closed) return;
          const blockNumber = BigInt(block.getHeader()?.getNumber() ?? 0);
          for (const entry of blockEntriesOf(block, this.o.chaincode)) {
            const at = { blockNumber: entry.receipt.blockNumber, txIndex: entry.receipt.txIndex, txId: entry.receipt.txId };
            if (position && compareCheckpoints(at, position) <= 0) continue;
            await handlers.onEntry(entry);
            position = at;
          }
          await handlers.onBlockProcessed?.(blockNumber.toString());
          nextBlock = blockNumber + 1n;
        }
      } finally {
        stop = undefined;
        blocks.close();
      }
    };

    const run = async (): Promise<void> => {
      let backoff = this.o.backoffMs;
      while (!closed) {
        const from = nextBlock;
        try {
          await stream();
        } catch (error) {
          if (closed) return;
          if (nextBlock > from) backoff = this.o.backoffMs;
          handlers.onError?.(error);
          if (closed) return;
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, backoff);
            stop = () => {
              clearTimeout(timer);
              resolve();
            };
          });
          stop = undefined;
          backoff = Math.min(backoff * 2, this.o.maxBackoffMs);
        }
      }
    };
    void run();
    return {
      close: () => {
        closed = true;
        stop?.();
      },
    };
  }
}
