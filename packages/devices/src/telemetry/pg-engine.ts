import { type Store, ensureTelemetryPartitions, pgTransaction, telemetryPartitionOf } from '@yulian/core';
import type pg from 'pg';
import { type DirtyKey, type RawRow, type RollupRow, type TelemetryEngine, type Tier, type TierName } from './model.js';
import { bucketsSql, chunks, mergeSql, recomputeSql } from './rollup-sql.js';

const rawColumns = 'series_id, ts, value, text, quality, reason';
const rollupColumns = 'series_id, bucket, count, sum, min, max, first_ts, first, last_ts, last';

type RawRecord = { series_id: number; ts: number; value: number | null; text: string | null; quality: number; reason: string | null };
type RollupRecord = { series_id: number; bucket: number; count: number; sum: number; min: number; max: number; first_ts: number; first: number; last_ts: number; last: number };
const toRaw = (r: RawRecord): RawRow => ({ seriesId: r.series_id, ts: Number(r.ts), value: r.value, text: r.text, quality: r.quality, reason: r.reason });
const toRollup = (r: RollupRecord): RollupRow => ({
  seriesId: r.series_id, bucket: Number(r.bucket), count: Number(r.count), sum: r.sum, min: r.min, max: r.max,
  firstTs: Number(r.first_ts), first: r.first, lastTs: Number(r.last_ts), last: r.last,
});

/**
 * The telemetry engine on PostgreSQL: a batch is one INSERT over array parameters (no parameter limit,
 * one round trip), raw samples in daily and 1-minute rollups in monthly range partitions that are
 * created as data for them arrives and dropped whole by retention.
 */
export function pgTelemetryEngine(store: Store): TelemetryEngine {
  if (store.native.kind !== 'postgres') throw new Error('pgTelemetryEngine needs a PostgreSQL store');
  const pool: pg.Pool = store.native.pool;
  const known = new Set<string>();

  async function ensure(table: 'telemetry_samples' | 'telemetry_1m', stamps: Iterable<number>): Promise<void> {
    const missing = new Set<number>();
    for (const ts of stamps) {
      const p = telemetryPartitionOf(table, ts);
      if (!known.has(p.name)) missing.add(p.from);
    }
    if (missing.size === 0) return;
    for (const name of await ensureTelemetryPartitions(store.db, table, missing)) known.add(name);
  }

  const tx = <T>(work: (c: pg.PoolClient) => Promise<T>): Promise<T> => pgTransaction(pool, work);

  return {
    async insert(c, dirty, writer, now) {
      const n = c.n;
      const days = new Set<number>();
      let lastDay = NaN;
      for (let i = 0; i < n; i++) {
        const day = c.ts[i]! - (c.ts[i]! % 86_400_000);
        if (day !== lastDay) days.add((lastDay = day));
      }
      await ensure('telemetry_samples', days);
      // Array literals joined natively from the typed arrays (NaN → NULL in SQL); unnest pads an empty
      // text or reason array with NULLs.
      const literal = (a: Int32Array | Float64Array | Uint8Array): string => `{${a.subarray(0, n).join(',')}}`;
      return tx(async (client) => {
        const result = await client.query(
          `INSERT INTO telemetry_samples (${rawColumns}) SELECT s, t, NULLIF(v, 'NaN'::float8), x, q, r
           FROM unnest($1::int[], $2::bigint[], $3::float8[], $4::text[], $5::int2[], $6::text[]) AS u(s, t, v, x, q, r) ON CONFLICT DO NOTHING`,
          [literal(c.seriesId), literal(c.ts), literal(c.value), c.text ? c.text.slice(0, n) : '{}', literal(c.quality), c.reason ? c.reason.slice(0, n) : '{}'],
        );
        if (dirty.length) {
          await client.query(
            `INSERT INTO telemetry_dirty (tier, bucket, writer, stored_at) SELECT t, b, $3, $4 FROM unnest($1::text[], $2::bigint[]) AS d(t, b)
             ON CONFLICT (tier, bucket, writer) DO UPDATE SET stored_at = excluded.stored_at`,
            [dirty.map((d) => d.tier), dirty.map((d) => d.bucket), writer, now],
          );
        }
        return result.rowCount ?? 0;
      });
    },
    async recompute(tier, seriesIds, from, to) {
      if (tier === '1m') {
        const months: number[] = [];
        for (let t = from; t < to; t += 28 * 86_400_000) months.push(t);
        months.push(to - 1);
        await ensure('telemetry_1m', months);
      }
      const { remove, insert } = recomputeSql(tier, '= ANY($1::int[])', '$2', '$3');
      await tx(async (c) => {
        for (const chunk of chunks(seriesIds as readonly number[])) {
          await c.query(remove, [chunk, from, to]);
          await c.query(insert, [chunk, from, to]);
        }
      });
    },
    async merge(c, writer, now) {
      const months = new Set<number>();
      for (let i = 0; i < c.n; i++) months.add(c.bucket[i]!);
      await ensure('telemetry_1m', months);
      const literal = (a: Int32Array | Float64Array): string => `{${a.subarray(0, c.n).join(',')}}`;
      return tx(async (client) => {
        const alive = await client.query('UPDATE telemetry_writers SET seen_at = $1 WHERE writer = $2', [now, writer]);
        if (!alive.rowCount) return false;
        const source = 'SELECT * FROM unnest($1::int[], $2::bigint[], $3::bigint[], $4::float8[], $5::float8[], $6::float8[], $7::bigint[], $8::float8[], $9::bigint[], $10::float8[])';
        await client.query(mergeSql('1m', (i) => `$${i}`, 'LEAST', 'GREATEST', source), [
          literal(c.seriesId), literal(c.bucket), literal(c.count), literal(c.sum), literal(c.min), literal(c.max), literal(c.firstTs), literal(c.first), literal(c.lastTs), literal(c.last),
        ]);
        return true;
      });
    },
    async heartbeat(writer, now, register) {
      if (register) {
        await pool.query('INSERT INTO telemetry_writers (writer, seen_at) VALUES ($1, $2) ON CONFLICT (writer) DO UPDATE SET seen_at = excluded.seen_at', [writer, now]);
        return true;
      }
      return ((await pool.query('UPDATE telemetry_writers SET seen_at = $1 WHERE writer = $2', [now, writer])).rowCount ?? 0) > 0;
    },
    async unregister(writer) {
      await pool.query('DELETE FROM telemetry_writers WHERE writer = $1', [writer]);
    },
    async sweep(staleBefore) {
      return tx(async (client) => {
        await client.query('DELETE FROM telemetry_writers WHERE seen_at < $1', [staleBefore]);
        const { rows } = await client.query<{ tier: Tier; bucket: string; writer: string }>('SELECT tier, bucket, writer FROM telemetry_dirty WHERE writer NOT IN (SELECT writer FROM telemetry_writers)');
        return rows.map((r) => ({ tier: r.tier, bucket: Number(r.bucket), writer: r.writer }));
      });
    },
    async listDirty() {
      const { rows } = await pool.query<{ tier: Tier; bucket: number; writer: string; stored_at: number }>('SELECT tier, bucket, writer, stored_at FROM telemetry_dirty');
      return rows.map((r) => ({ tier: r.tier, bucket: Number(r.bucket), writer: r.writer, storedAt: Number(r.stored_at) }));
    },
    async clearDirty(keys: readonly DirtyKey[], writer, storedAt) {
      if (!keys.length) return;
      await pool.query(
        `DELETE FROM telemetry_dirty d USING unnest($1::text[], $2::bigint[]) AS k(t, b)
         WHERE d.tier = k.t AND d.bucket = k.b AND d.stored_at <= $3 AND ($4::text IS NULL OR d.writer = $4)`,
        [keys.map((k) => k.tier), keys.map((k) => k.bucket), storedAt, writer],
      );
    },
    async readRaw(seriesId, from, to, limit) {
      const { rows } = await pool.query<RawRecord>(`SELECT ${rawColumns} FROM telemetry_samples WHERE series_id = $1 AND ts >= $2 AND ts < $3 ORDER BY ts LIMIT $4`, [seriesId, from, to, limit]);
      return rows.map(toRaw);
    },
    async readRollup(tier, seriesId, from, to) {
      const { rows } = await pool.query<RollupRecord>(`SELECT ${rollupColumns} FROM telemetry_${tier} WHERE series_id = $1 AND bucket >= $2 AND bucket < $3 ORDER BY bucket`, [seriesId, from, to]);
      return rows.map(toRollup);
    },
    async readBuckets(source, seriesId, from, to, interval) {
      const { rows } = await pool.query<{ b: number; n: number; s: number; mn: number; mx: number; fts: number; first: number; lts: number; last: number }>(
        bucketsSql(source, (i) => `$${i}::bigint`),
        [seriesId, from, to, interval],
      );
      return rows.map((r) => ({ seriesId, bucket: Number(r.b), count: Number(r.n), sum: r.s, min: r.mn, max: r.mx, firstTs: Number(r.fts), first: r.first, lastTs: Number(r.lts), last: r.last }));
    },
    async latest(seriesIds) {
      if (!seriesIds.length) return [];
      const { rows } = await pool.query<RawRecord>(
        `SELECT l.* FROM unnest($1::int[]) AS s(id) CROSS JOIN LATERAL (SELECT ${rawColumns} FROM telemetry_samples WHERE series_id = s.id ORDER BY ts DESC LIMIT 1) l`,
        [seriesIds],
      );
      return rows.map(toRaw);
    },
    async expire(tier: TierName, cutoff, seriesIds) {
      if (tier === '1h') {
        const r = await pool.query('DELETE FROM telemetry_1h WHERE series_id = ANY($1::int[]) AND bucket < $2', [seriesIds, cutoff]);
        return r.rowCount ?? 0;
      }
      // Partitioned tiers: drop every partition that ends at or before the cutoff.
      const table = tier === 'raw' ? 'telemetry_samples' : 'telemetry_1m';
      const { rows } = await pool.query<{ name: string }>(
        `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
         WHERE p.relname = $1 AND p.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema())`,
        [table],
      );
      let dropped = 0;
      for (const { name } of rows) {
        const m = /_p(\d{4})(\d{2})(\d{2})?$/.exec(name);
        if (!m) continue;
        const start = Date.UTC(Number(m[1]), Number(m[2]) - 1, m[3] ? Number(m[3]) : 1);
        if (telemetryPartitionOf(table, start).to > cutoff) continue;
        await pool.query(`DROP TABLE IF EXISTS "${name}"`);
        known.delete(name);
        dropped++;
      }
      return dropped;
    },
  };
}
