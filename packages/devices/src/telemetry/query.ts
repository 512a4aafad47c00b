import { YulianError } from '@yulian/core';
import { type RollupRow, type TelemetryEngine, type Tier, type TierName, bucketOf, qualityName, tiers } from './model.js';
import type { SeriesInfo } from './series-registry.js';

/** Aggregates a bucketed series can report as its `value`. */
export const aggregates = ['avg', 'min', 'max', 'first', 'last', 'count', 'sum'] as const;
/** An aggregate. */
export type Aggregate = (typeof aggregates)[number];

/** A time-series query over points of one device. */
export interface TelemetryQuery {
  device: string;
  /** Point names; all of the device's points when empty. */
  points?: string[];
  from: number;
  to: number;
  /** Most points per series (default 1,000, at most 10,000). */
  maxPoints?: number;
  /** Bucket width, ms; by default the smallest that keeps each series within `maxPoints`. */
  intervalMs?: number;
  /** What `value` of a bucket is (default `avg`). Raw samples are returned when they fit and neither is given. */
  agg?: Aggregate;
}

/** One point of a series: a raw sample, or a bucket (then with min, max and count). */
export interface SeriesPoint {
  ts: number;
  value: number | string | null;
  quality?: string;
  min?: number;
  max?: number;
  count?: number;
}

/** One series of a query answer. */
export interface SeriesResult {
  point: string;
  /** Where the data came from: `raw`, or the rollup tier (`1m`, `1h`) of the buckets before the recent tail. */
  tier: TierName;
  /** Bucket width, ms; null for raw samples. */
  intervalMs: number | null;
  points: SeriesPoint[];
}

/** Limits of the query API, also in its error messages. */
export const queryLimits = { maxPoints: 10_000, defaultMaxPoints: 1_000, maxRangeMs: 3660 * 86_400_000, maxRawRows: 5_000_000 } as const;

type Acc = { count: number; sum: number; min: number; max: number; firstTs: number; first: number; lastTs: number; last: number };

/** Checks a time range: `from` < `to`, at most ten years. @throws TIME_RANGE_INVALID */
export function checkRange(from: number, to: number, maxRangeMs: number = queryLimits.maxRangeMs): void {
  if (!Number.isFinite(from) || !Number.isFinite(to)) throw new YulianError('TIME_RANGE_INVALID', 'from and to must be epoch milliseconds or ISO 8601 times.');
  if (from >= to) throw new YulianError('TIME_RANGE_INVALID', `from (${new Date(from).toISOString()}) must be before to (${new Date(to).toISOString()}).`);
  if (to - from > maxRangeMs) throw new YulianError('TIME_RANGE_INVALID', `The time range is ${Math.ceil((to - from) / 86_400_000)} days; at most ${maxRangeMs / 86_400_000} days per request.`);
}

/**
 * Answers a query: picks the coarsest tier whose bucket fits the interval (1 h, 1 min, or raw), reads
 * settled buckets from it, the still-settling recent tail from the finer levels, and merges them into
 * buckets of the interval (aligned to multiples of it since the epoch).
 */
export async function runQuery(options: { engine: TelemetryEngine; series: readonly SeriesInfo[]; query: TelemetryQuery; now: number; settleMs: number }): Promise<SeriesResult[]> {
  const { engine, query: q } = options;
  checkRange(q.from, q.to);
  const maxPoints = q.maxPoints ?? queryLimits.defaultMaxPoints;
  if (!Number.isInteger(maxPoints) || maxPoints < 1 || maxPoints > queryLimits.maxPoints) throw new YulianError('BAD_REQUEST', `maxPoints must be an integer from 1 to ${queryLimits.maxPoints}.`);
  const span = q.to - q.from;
  // One bucket fewer than allowed: buckets align to multiples of the interval, so the first may start before `from`.
  let interval = Math.max(1, Math.ceil(span / Math.max(1, maxPoints - 1)));
  if (q.intervalMs !== undefined) {
    if (!Number.isInteger(q.intervalMs) || q.intervalMs < 1) throw new YulianError('BAD_REQUEST', 'interval must be a positive number of milliseconds.');
    if (Math.ceil(span / q.intervalMs) + 1 > maxPoints) throw new YulianError('BAD_REQUEST', `An interval of ${q.intervalMs} ms makes up to ${Math.ceil(span / q.intervalMs) + 1} buckets; at most maxPoints (${maxPoints}) — widen the interval or raise maxPoints.`);
    interval = q.intervalMs;
  }
  const tier: TierName = interval >= tiers['1h'] ? '1h' : interval >= tiers['1m'] ? '1m' : 'raw';
  if (tier !== 'raw') interval = Math.ceil(interval / tiers[tier]) * tiers[tier];
  const chosen = pickSeries(options.series, q.points, q.device);
  // Buckets that ended more than settleMs ago are rolled up; younger ones come from the level below.
  const settled1m = bucketOf(options.now - options.settleMs, tiers['1m']);
  const settled1h = bucketOf(options.now - options.settleMs, tiers['1h']);
  return Promise.all(
    chosen.map(async (s): Promise<SeriesResult> => {
      if (tier === 'raw') {
        const wantRaw = q.intervalMs === undefined && q.agg === undefined;
        const rows = await engine.readRaw(s.id, q.from, q.to, wantRaw ? maxPoints + 1 : queryLimits.maxRawRows);
        if (wantRaw && rows.length <= maxPoints) {
          return { point: s.point, tier, intervalMs: null, points: rows.map((r) => ({ ts: r.ts, value: r.text ?? r.value, quality: qualityName[r.quality] ?? 'bad' })) };
        }
        const buckets = new Map<number, Acc>();
        addRollups(buckets, await engine.readBuckets('raw', s.id, q.from, q.to, interval), interval);
        return { point: s.point, tier, intervalMs: interval, points: output(buckets, q.agg) };
      }
      // Each level aggregates its segment in the database; segments meet at tier boundaries, and a
      // bucket of the answer that spans two of them is merged here.
      const buckets = new Map<number, Acc>();
      const start = bucketOf(q.from, interval);
      let cursor = start;
      if (tier === '1h') {
        const end = Math.min(q.to, Math.max(start, settled1h));
        if (cursor < end) addRollups(buckets, await engine.readBuckets('1h', s.id, cursor, end, interval), interval);
        cursor = Math.max(cursor, end);
      }
      const end1m = Math.min(q.to, Math.max(cursor, settled1m));
      if (cursor < end1m) addRollups(buckets, await engine.readBuckets('1m', s.id, cursor, end1m, interval), interval);
      cursor = Math.max(cursor, end1m);
      if (cursor < q.to) addRollups(buckets, await engine.readBuckets('raw', s.id, cursor, q.to, interval), interval);
      return { point: s.point, tier, intervalMs: interval, points: output(buckets, q.agg) };
    }),
  );
}

function pickSeries(series: readonly SeriesInfo[], points: readonly string[] | undefined, device: string): SeriesInfo[] {
  if (!points || points.length === 0) return [...series].sort((a, b) => a.point.localeCompare(b.point));
  return points.map((p) => {
    const s = series.find((x) => x.point === p);
    if (!s) throw new YulianError('POINT_NOT_FOUND', `Device ${device} has no telemetry for point ${p}.`);
    return s;
  });
}

function merge(buckets: Map<number, Acc>, key: number, r: Acc): void {
  const a = buckets.get(key);
  if (!a) {
    buckets.set(key, { ...r });
    return;
  }
  a.count += r.count;
  a.sum += r.sum;
  if (r.min < a.min) a.min = r.min;
  if (r.max > a.max) a.max = r.max;
  if (r.firstTs < a.firstTs) {
    a.firstTs = r.firstTs;
    a.first = r.first;
  }
  if (r.lastTs >= a.lastTs) {
    a.lastTs = r.lastTs;
    a.last = r.last;
  }
}

function addRollups(buckets: Map<number, Acc>, rows: readonly RollupRow[], interval: number): void {
  for (const r of rows) merge(buckets, bucketOf(r.bucket, interval), r);
}

function output(buckets: Map<number, Acc>, agg: Aggregate | undefined): SeriesPoint[] {
  const value = (a: Acc): number => {
    switch (agg ?? 'avg') {
      case 'avg': return a.sum / a.count;
      case 'min': return a.min;
      case 'max': return a.max;
      case 'first': return a.first;
      case 'last': return a.last;
      case 'count': return a.count;
      case 'sum': return a.sum;
    }
  };
  return [...buckets.entries()].sort((x, y) => x[0] - y[0]).map(([ts, a]) => ({ ts, value: value(a), min: a.min, max: a.max, count: a.count }));
}

/** The tiers a query can name explicitly (CSV export). */
export const exportTiers: readonly TierName[] = ['raw', '1m', '1h'];
export type { Tier };
