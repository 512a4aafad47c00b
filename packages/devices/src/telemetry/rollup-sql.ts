import { type Tier, tiers } from './model.js';

/**
 * The SQL that rebuilds rollup buckets from the level below, for both engines. `$IDS` is where each
 * engine puts its series filter (`IN (SELECT value FROM json_each(?))` on SQLite, `= ANY($1)` on
 * PostgreSQL); the bounds follow as the next two parameters. First and last values are joined back on
 * the exact (series, ts) of the bucket's first and last sample, which the primary keys make lookups.
 */
export function recomputeSql(tier: Tier, ids: string, from: string, to: string): { remove: string; insert: string } {
  const table = `telemetry_${tier}`;
  const remove = `DELETE FROM ${table} WHERE series_id ${ids} AND bucket >= ${from} AND bucket < ${to}`;
  const size = tiers[tier];
  const insert =
    tier === '1m'
      ? `INSERT INTO telemetry_1m (series_id, bucket, count, sum, min, max, first_ts, first, last_ts, last)
         SELECT g.series_id, g.b, g.n, g.s, g.mn, g.mx, g.fts, f.value, g.lts, l.value
         FROM (SELECT series_id, ts - (ts % ${size}) AS b, count(*) AS n, sum(value) AS s, min(value) AS mn, max(value) AS mx, min(ts) AS fts, max(ts) AS lts
               FROM telemetry_samples
               WHERE series_id ${ids} AND ts >= ${from} AND ts < ${to} AND value IS NOT NULL AND quality < 2
               GROUP BY series_id, ts - (ts % ${size})) g
         JOIN telemetry_samples f ON f.series_id = g.series_id AND f.ts = g.fts
         JOIN telemetry_samples l ON l.series_id = g.series_id AND l.ts = g.lts`
      : `INSERT INTO telemetry_1h (series_id, bucket, count, sum, min, max, first_ts, first, last_ts, last)
         SELECT g.series_id, g.b, g.n, g.s, g.mn, g.mx, g.fts, f.first, g.lts, l.last
         FROM (SELECT series_id, bucket - (bucket % ${size}) AS b, sum(count) AS n, sum(sum) AS s, min(min) AS mn, max(max) AS mx, min(first_ts) AS fts, max(last_ts) AS lts
               FROM telemetry_1m
               WHERE series_id ${ids} AND bucket >= ${from} AND bucket < ${to}
               GROUP BY series_id, bucket - (bucket % ${size})) g
         JOIN telemetry_1m f ON f.series_id = g.series_id AND f.bucket = g.fts - (g.fts % ${tiers['1m']})
         JOIN telemetry_1m l ON l.series_id = g.series_id AND l.bucket = g.lts - (g.lts % ${tiers['1m']})`;
  return { remove, insert };
}

/**
 * The upsert that adds rows summed in memory to a rollup tier: counts and sums add up, min/max and
 * first/last combine (by their timestamps). `rows` renders the source (VALUES or unnest); `least` and
 * `greatest` are the engine's two-argument min/max (`min`/`max` on SQLite, `LEAST`/`GREATEST` on PostgreSQL).
 */
export function mergeSql(tier: Tier, p: (i: number) => string, least: string, greatest: string, source?: string): string {
  const t = `telemetry_${tier}`;
  const values = source ?? `VALUES (${Array.from({ length: 10 }, (_, i) => p(i + 1)).join(', ')})`;
  return `INSERT INTO ${t} AS t (series_id, bucket, count, sum, min, max, first_ts, first, last_ts, last) ${values}
    ON CONFLICT (series_id, bucket) DO UPDATE SET
      count = t.count + excluded.count, sum = t.sum + excluded.sum,
      min = ${least}(t.min, excluded.min), max = ${greatest}(t.max, excluded.max),
      first = CASE WHEN excluded.first_ts < t.first_ts THEN excluded.first ELSE t.first END, first_ts = ${least}(t.first_ts, excluded.first_ts),
      last = CASE WHEN excluded.last_ts > t.last_ts THEN excluded.last ELSE t.last END, last_ts = ${greatest}(t.last_ts, excluded.last_ts)`;
}

/** Series ids per statement when recomputing: bounded statements, and still few round trips. */
export const idsPerStatement = 2000;

/** Splits ids into statement-sized chunks. */
export function chunks<T>(items: readonly T[], size = idsPerStatement): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Buckets of `interval` ms (a multiple of the source's bucket) aggregated in SQL from raw samples or a
 * rollup tier, for one series and [from, to): at most a chart's worth of rows leave the database.
 * `p(i)` renders the i-th parameter (1-based): series id, from, to, interval.
 */
export function bucketsSql(source: 'raw' | Tier, p: (i: number) => string): string {
  if (source === 'raw') {
    return `SELECT g.b, g.n, g.s, g.mn, g.mx, g.fts, f.value AS first, g.lts, l.value AS last FROM (
        SELECT ts - (ts % ${p(4)}) AS b, count(*) AS n, sum(value) AS s, min(value) AS mn, max(value) AS mx, min(ts) AS fts, max(ts) AS lts
        FROM telemetry_samples WHERE series_id = ${p(1)} AND ts >= ${p(2)} AND ts < ${p(3)} AND value IS NOT NULL AND quality < 2 GROUP BY 1) g
      JOIN telemetry_samples f ON f.series_id = ${p(1)} AND f.ts = g.fts
      JOIN telemetry_samples l ON l.series_id = ${p(1)} AND l.ts = g.lts
      ORDER BY g.b`;
  }
  const table = `telemetry_${source}`;
  const size = tiers[source];
  return `SELECT g.b, g.n, g.s, g.mn, g.mx, g.fts, f.first, g.lts, l.last FROM (
      SELECT bucket - (bucket % ${p(4)}) AS b, sum(count) AS n, sum(sum) AS s, min(min) AS mn, max(max) AS mx, min(first_ts) AS fts, max(last_ts) AS lts
      FROM ${table} WHERE series_id = ${p(1)} AND bucket >= ${p(2)} AND bucket < ${p(3)} GROUP BY 1) g
    JOIN ${table} f ON f.series_id = ${p(1)} AND f.bucket = g.fts - (g.fts % ${size})
    JOIN ${table} l ON l.series_id = ${p(1)} AND l.bucket = g.lts - (g.lts % ${size})
    ORDER BY g.b`;
}
