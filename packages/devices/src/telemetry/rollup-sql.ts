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

/** Series ids per statement when recomputing: bounded statements, and still few round trips. */
export const idsPerStatement = 2000;

/** Splits ids into statement-sized chunks. */
export function chunks<T>(items: readonly T[], size = idsPerStatement): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
