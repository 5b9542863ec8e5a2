/**
 * Runs tasks one after the other per key, tasks of different keys side by side. The Fabric ledger writes each case
 * through it: every write reads and rewrites the case's record, so two writes on one case endorsed at the same time
 * are doomed to an MVCC conflict for all but one of them. Queued here, writes on a case through this gateway never
 * race each other; only a write through the partner's gateway can still collide, and that is retried
 * (submit-retry.ts). Live (test/live/rest-mvcc.net.test.ts), ten parallel writes on one case, five through each
 * gateway, lost about 30 races without the queue, one write six times in a row (the whole default budget); with it
 * about 3, at most 3 for one write. A write that waits for its commit status holds its case's later writes back.
 */
export class KeyedQueue {
  readonly #tails = new Map<string, Promise<unknown>>();

  /** Runs `task` once every task queued earlier under `key` has settled; its outcome is the task's. */
  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.#tails.set(key, tail);
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    return result;
  }

  /** Keys with a task running or waiting (for tests). */
  get size(): number {
    return this.#tails.size;
  }
}
