import type { ChaincodeEvent, Checkpointer, CloseableAsyncIterable, Network } from '@hyperledger/fabric-gateway';

/**
 * One listening session on fabric-gateway's checkpointed chaincode-event API: every event is recorded, then
 * checkpointed (process, then checkpoint, as the API asks), so a later session started from the same checkpointer
 * continues after the last event this one recorded.
 */
export class ChaincodeEventSession {
  /** Every event delivered to this session, in order. */
  readonly received: ChaincodeEvent[] = [];
  readonly #events: CloseableAsyncIterable<ChaincodeEvent>;
  readonly #loop: Promise<void>;
  #waiters: (() => void)[] = [];
  #failure: unknown;

  private constructor(events: CloseableAsyncIterable<ChaincodeEvent>, checkpointer: Checkpointer) {
    this.#events = events;
    this.#loop = this.#read(checkpointer);
  }

  /** Starts listening to `chaincode` from the checkpoint, or from `startBlock` when the checkpointer has none. */
  static async open(network: Network, chaincode: string, checkpointer: Checkpointer, startBlock: bigint): Promise<ChaincodeEventSession> {
    const events = await network.getChaincodeEvents(chaincode, { checkpoint: checkpointer, startBlock });
    return new ChaincodeEventSession(events, checkpointer);
  }

  async #read(checkpointer: Checkpointer): Promise<void> {
    try {
      for await (const event of this.#events) {
        this.received.push(event);
        await checkpointer.checkpointChaincodeEvent(event);
        this.#wake();
      }
    } catch (error) {
      this.#failure = error;
      this.#wake();
    }
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    waiters.forEach((w) => w());
  }

  /** Resolves with the first received event that satisfies `match`, waiting up to `timeoutMs` for it. */
  async first(match: (event: ChaincodeEvent) => boolean, timeoutMs: number): Promise<ChaincodeEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.received.find(match);
      if (found !== undefined) return found;
      if (this.#failure !== undefined) throw new Error('event stream ended', { cause: this.#failure });
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching chaincode event within ${timeoutMs} ms (${this.received.length} received)`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Ends the session: cancels the stream and waits until the last delivered event is checkpointed. */
  async close(): Promise<void> {
    this.#events.close();
    await this.#loop;
  }
}
