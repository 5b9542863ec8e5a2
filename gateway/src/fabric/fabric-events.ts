import type { Network } from '@hyperledger/fabric-gateway';
import { CHAINCODE_EVENTS, ChaincodeEventPayloadSchema } from '@asl/chaincode/domain';
import type { LedgerEntry } from '../ports/case-ledger';
import { compareCheckpoints, type LedgerCheckpoint, type LedgerEventHandlers, type LedgerEvents, type Subscription } from '../ports/ledger-events';
import type { FabricCaseLedger } from './fabric-ledger';

/** The chaincode events that carry a case event (`CaseEventRecorded`, `ReturnConflict`). */
const CASE_EVENT_NAMES: ReadonlySet<string> = new Set(Object.values(CHAINCODE_EVENTS));

/** Options of {@link FabricLedgerEvents}. */
export interface FabricLedgerEventsOptions {
  readonly ledger: FabricCaseLedger;
  readonly network: () => Network;
  readonly chaincode: string;
  /** Delay before reconnecting after the stream failed (e.g. the peer restarted), doubled up to `maxBackoffMs`. */
  readonly backoffMs: number;
  readonly maxBackoffMs: number;
}

/**
 * The channel's `CaseEventRecorded` / `ReturnConflict` chaincode events through fabric-gateway's
 * checkpointed `getChaincodeEvents`, each completed to a receipt from its block, delivered strictly in
 * ledger order from the caller's checkpoint. When the stream fails it reconnects by itself from the
 * last delivered position (a known gap in fabric-gateway users' code).
 *
 * NOT YET EXERCISED AGAINST A LIVE NETWORK (see FabricCaseLedger).
 */
export class FabricLedgerEvents implements LedgerEvents {
  constructor(private readonly o: FabricLedgerEventsOptions) {}

  subscribe(after: LedgerCheckpoint | undefined, handlers: LedgerEventHandlers): Subscription {
    let closed = false;
    let position = after;
    let close: (() => void) | undefined;
    const run = async (): Promise<void> => {
      let backoff = this.o.backoffMs;
      while (!closed) {
        try {
          const from = position;
          const checkpoint = from && { getBlockNumber: () => BigInt(from.blockNumber), getTransactionId: () => from.txId };
          const events = await this.o.network().getChaincodeEvents(this.o.chaincode, checkpoint ? { checkpoint } : { startBlock: 0n });
          close = () => events.close();
          for await (const ce of events) {
            if (closed) break;
            // The contract's other event (`ValueListChanged`) carries no case event.
            if (!CASE_EVENT_NAMES.has(ce.eventName)) continue;
            const payload = ChaincodeEventPayloadSchema.parse(JSON.parse(new TextDecoder().decode(ce.payload)));
            const receipt = await this.o.ledger.completeReceipt(
              { txId: payload.txId, writer: payload.event.actor, recordedAt: payload.recordedAt, ruleVersion: payload.ruleVersion },
              ce.blockNumber,
            );
            const at = { blockNumber: receipt.blockNumber, txIndex: receipt.txIndex, txId: receipt.txId };
            if (position && compareCheckpoints(at, position) <= 0) continue;
            const entry: LedgerEntry = { event: payload.event, receipt, warnings: payload.warnings };
            await handlers.onEntry(entry);
            position = at;
            backoff = this.o.backoffMs;
          }
        } catch (error) {
          if (closed) return;
          handlers.onError?.(error);
          await new Promise((r) => setTimeout(r, backoff));
          backoff = Math.min(backoff * 2, this.o.maxBackoffMs);
        }
      }
    };
    void run();
    return {
      close: () => {
        closed = true;
        close?.();
      },
    };
  }
}
