/**
 * Token-bucket rate limiter per client key (user or address): `perMinute` requests a minute on average, bursts up
 * to `burst`. Buckets that have refilled are forgotten, so memory follows the number of active clients.
 */
export interface RateLimit { perMinute: number; burst: number }

export class RateLimiter {
  private buckets = new Map<string, { tokens: number; at: number }>();
  constructor(private readonly limit: RateLimit, private readonly now: () => number = Date.now) {}

  /** 0 when allowed (a token is taken), else seconds until the next token. */
  take(key: string): number {
    const t = this.now(), rate = this.limit.perMinute / 60_000;
    const b = this.buckets.get(key) ?? { tokens: this.limit.burst, at: t };
    b.tokens = Math.min(this.limit.burst, b.tokens + (t - b.at) * rate);
    b.at = t;
    if (b.tokens < 1) { this.buckets.set(key, b); return Math.ceil((1 - b.tokens) / rate / 1000); }
    b.tokens -= 1;
    this.buckets.set(key, b);
    if (this.buckets.size > 10_000) this.prune(t, rate);
    return 0;
  }

  /** Seconds until `key` has a token, without taking one (0 = it has one now). */
  wait(key: string): number {
    const b = this.buckets.get(key);
    if (!b) return 0;
    const rate = this.limit.perMinute / 60_000;
    const tokens = Math.min(this.limit.burst, b.tokens + (this.now() - b.at) * rate);
    return tokens >= 1 ? 0 : Math.ceil((1 - tokens) / rate / 1000);
  }

  private prune(t: number, rate: number): void {
    for (const [k, b] of this.buckets) if (b.tokens + (t - b.at) * rate >= this.limit.burst) this.buckets.delete(k);
  }
}
