/** One trend bucket as the server answers it (buckets without events are left out). */
export interface TrendBucket {
  start: number;
  count: number;
  maxLevel: number;
}

const hour = 3_600_000;
const day = 86_400_000;

/**
 * Every bucket of the range, the empty ones as zeros, so the trend's axis is time and not "the periods
 * that had events". Buckets are an hour for ranges up to two days, else a day (as the server picks);
 * they line up with the server's (its day buckets start at China's midnight).
 * @example fillBuckets([{ start: t, count: 3, maxLevel: 12 }], t - 3 * day, t + day)
 */
export function fillBuckets(buckets: readonly TrendBucket[], since: number, until: number): TrendBucket[] {
  const size = until - since > 2 * day ? day : hour;
  // The server's alignment, from any bucket it answered; else UTC+8 midnight for days.
  const align = buckets[0] ? ((buckets[0].start % size) + size) % size : size === day ? day - 8 * hour : 0;
  const byStart = new Map(buckets.map((b) => [b.start, b]));
  const out: TrendBucket[] = [];
  const first = Math.floor((since - align) / size) * size + align;
  for (let start = first; start < until && out.length < 2000; start += size) out.push(byStart.get(start) ?? { start, count: 0, maxLevel: 0 });
  return out;
}
