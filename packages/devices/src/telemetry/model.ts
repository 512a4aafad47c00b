import type { Quality } from '@yulian/contracts';
import type { SampleColumns } from './columns.js';
import type { RollupColumns } from './rollup-accumulator.js';

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
  /**
   * Stores rows sorted by (series, ts) — already stored ones are ignored — and marks their buckets
   * dirty, in one transaction; answers how many rows were new.
   */
  insert(rows: SampleColumns, dirty: readonly DirtyKey[], writer: string, now: number): Promise<number>;
  /**
   * Recomputes the rollups of `tier` for buckets in [from, to) of the given series (or all) from the
   * next finer level (raw for 1m, 1m for 1h): buckets whose source rows vanished are removed.
   */
  recompute(tier: Tier, seriesIds: readonly number[] | 'all', from: number, to: number): Promise<void>;
  /**
   * Adds rollup rows summed in memory to the minute tier (count and sum added, min/max/first/last
   * combined), in one transaction — only while `writer` is still registered: false, nothing merged,
   * when another process has declared it gone (and recomputed what it left pending).
   */
  merge(rows: RollupColumns, writer: string, now: number): Promise<boolean>;
  /** Registers a writer process as alive, or refreshes it; false when it was not registered (any more). */
  heartbeat(writer: string, now: number, register: boolean): Promise<boolean>;
  /** Removes a writer that stops cleanly. */
  unregister(writer: string): Promise<void>;
  /**
   * Declares gone the writers not seen since `staleBefore` and answers the journal entries of writers
   * not registered (any more): the rollups they left pending, to recompute.
   */
  sweep(staleBefore: number): Promise<Array<DirtyKey & { writer: string }>>;
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
