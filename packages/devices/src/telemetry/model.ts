import type { Quality } from '@yulian/contracts';

/** A sample's quality as stored: 0 good, 1 uncertain, 2 bad. */
export const qualityCode = { good: 0, uncertain: 1, bad: 2 } as const satisfies Record<Quality, number>;
/** Stored quality code → name. */
export const qualityName: readonly Quality[] = ['good', 'uncertain', 'bad'];

/** The rollup tiers, finest first, with their bucket size. */
export const tiers = { '1m': 60_000, '1h': 3_600_000 } as const;
/** A rollup tier. */
export type Tier = keyof typeof tiers;
/** Where a query read its data from. */
export type TierName = 'raw' | Tier;

/** A raw sample row as stored. */
export interface RawRow {
  seriesId: number;
  ts: number;
  /** Numbers and booleans (1/0); null for text or missing values. */
  value: number | null;
  text: string | null;
  quality: number;
  reason: string | null;
}

/** A rollup bucket of a series (good and uncertain numeric samples only). */
export interface RollupRow {
  seriesId: number;
  bucket: number;
  count: number;
  sum: number;
  min: number;
  max: number;
  firstTs: number;
  first: number;
  lastTs: number;
  last: number;
}

/** A bucket with samples stored but not yet rolled up. */
export interface DirtyKey {
  tier: Tier;
  bucket: number;
}

/** Start of the bucket of `size` ms holding `ts`. */
export const bucketOf = (ts: number, size: number): number => ts - (((ts % size) + size) % size);

/**
 * What the telemetry store needs from the SQL engine: the hot paths written for each engine (prepared
 * statements on SQLite, array parameters and partitions on PostgreSQL).
 */
export interface TelemetryEngine {
  /** Stores rows (already stored ones are ignored) and marks their buckets dirty, in one transaction. */
  insert(rows: readonly RawRow[], dirty: readonly DirtyKey[], writer: string, now: number): Promise<void>;
  /**
   * Recomputes the rollups of `tier` for buckets in [from, to) of the given series (or all) from the
   * next finer level (raw for 1m, 1m for 1h): buckets whose source rows vanished are removed.
   */
  recompute(tier: Tier, seriesIds: readonly number[] | 'all', from: number, to: number): Promise<void>;
  /** The journal of dirty buckets. */
  listDirty(): Promise<Array<DirtyKey & { writer: string; storedAt: number }>>;
  /** Forgets dirty entries of a writer (or every writer) stored at or before `storedAt`. */
  clearDirty(keys: readonly DirtyKey[], writer: string | null, storedAt: number): Promise<void>;
  /** Raw rows of a series in [from, to), oldest first, at most `limit`. */
  readRaw(seriesId: number, from: number, to: number, limit: number): Promise<RawRow[]>;
  /** Rollup rows of a series in [from, to), oldest first. */
  readRollup(tier: Tier, seriesId: number, from: number, to: number): Promise<RollupRow[]>;
  /** Buckets of `interval` (a multiple of the source's bucket size) of one series in [from, to), aggregated by the database. */
  readBuckets(source: TierName, seriesId: number, from: number, to: number, interval: number): Promise<RollupRow[]>;
  /** The newest raw row of each series. */
  latest(seriesIds: readonly number[]): Promise<RawRow[]>;
  /** Deletes what is older than `cutoff` in a tier; answers how many rows (or partitions) went. */
  expire(tier: TierName, cutoff: number, seriesIds: readonly number[]): Promise<number>;
}
