/** Options of {@link RateLimiter}: a token bucket per key. */
export interface RateLimitOptions {
  /** Requests a key may make in a burst. */
  readonly burst: number;
  /** Sustained requests per second. */
  readonly perSecond: number;
  readonly now: () => number;
}

/** A token-bucket limiter keyed by token id (per identity, OWASP API4/API6). */
export class RateLimiter {
  readonly #buckets = new Map<string, { tokens: number; at: number }>();
  constructor(private readonly o: RateLimitOptions) {}

  /** Takes one request; answers the seconds to wait when the bucket is empty, else 0. */
  take(key: string): number {
    const now = this.o.now();
    const b = this.#buckets.get(key) ?? { tokens: this.o.burst, at: now };
    b.tokens = Math.min(this.o.burst, b.tokens + ((now - b.at) / 1000) * this.o.perSecond);
    b.at = now;
    this.#buckets.set(key, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - b.tokens) / this.o.perSecond));
  }
}
