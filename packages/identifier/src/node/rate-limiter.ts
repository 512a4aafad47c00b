/**
 * Token buckets per source address: `rate` requests a second with bursts of `burst`. Buckets of quiet
 * sources are forgotten, and at most `maxSources` are kept (a flood of spoofed sources cannot grow the
 * map without bound: beyond it, unknown sources share one bucket).
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly shared = { tokens: 0, at: 0 };
  private lastSweep = 0;

  constructor(private readonly options: { rate: number; burst: number; maxSources: number } = { rate: 2_000, burst: 4_000, maxSources: 100_000 }) {
    this.shared.tokens = options.burst;
  }

  /** Takes a token for `source`; false when its bucket is empty. */
  take(source: string, now: number): boolean {
    let b = this.buckets.get(source);
    if (!b) {
      if (now - this.lastSweep > 10_000) this.sweep(now);
      if (this.buckets.size >= this.options.maxSources) b = this.shared;
      else this.buckets.set(source, (b = { tokens: this.options.burst, at: now }));
    }
    const refill = ((now - b.at) / 1000) * this.options.rate;
    if (refill > 0) {
      b.tokens = Math.min(this.options.burst, b.tokens + refill);
      b.at = now;
    }
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }

  get size(): number {
    return this.buckets.size;
  }

  /** Forgets sources whose bucket is full again (quiet for burst / rate seconds). */
  private sweep(now: number): void {
    this.lastSweep = now;
    const fullAfter = (this.options.burst / this.options.rate) * 1000;
    for (const [k, b] of this.buckets) if (now - b.at > fullAfter) this.buckets.delete(k);
  }
}
