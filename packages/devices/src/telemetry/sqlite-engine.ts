import type { Store } from '@yulian/core';
import type SqliteDatabase from 'better-sqlite3';
import { type DirtyKey, type RawRow, type RollupRow, type TelemetryEngine, type Tier, type TierName } from './model.js';
import { bucketsSql, chunks, mergeSql, recomputeSql } from './rollup-sql.js';
import type { RollupColumns } from './rollup-accumulator.js';
import type { SampleColumns } from './columns.js';

type Db = SqliteDatabase.Database;
type Statement = SqliteDatabase.Statement;

const rawColumns = 'series_id, ts, value, text, quality, reason';
const rollupColumns = 'series_id, bucket, count, sum, min, max, first_ts, first, last_ts, last';

const toRaw = (r: unknown[]): RawRow => ({ seriesId: r[0] as number, ts: r[1] as number, value: r[2] as number | null, text: r[3] as string | null, quality: r[4] as number, reason: r[5] as string | null });
const toRollup = (r: unknown[]): RollupRow => ({
  seriesId: r[0] as number, bucket: r[1] as number, count: r[2] as number, sum: r[3] as number, min: r[4] as number, max: r[5] as number,
  firstTs: r[6] as number, first: r[7] as number, lastTs: r[8] as number, last: r[9] as number,
});

/**
 * The telemetry engine on SQLite: prepared statements run synchronously on better-sqlite3, each batch
 * in one transaction, inside Kysely's connection lock so that no Kysely transaction of another feature
 * is open on the same connection meanwhile.
 */
export function sqliteTelemetryEngine(store: Store): TelemetryEngine {
  if (store.native.kind !== 'sqlite') throw new Error('sqliteTelemetryEngine needs a SQLite store');
  const db: Db = store.native.db;
  const cache = new Map<string, Statement>();
  const prepare = (text: string): Statement => {
    let s = cache.get(text);
    if (!s) cache.set(text, (s = db.prepare(text)));
    return s;
  };
  /** Runs synchronous work while holding Kysely's single connection. */
  const locked = <T>(work: () => T): Promise<T> => store.db.connection().execute(async () => work());

  const insertSample = prepare(`INSERT OR IGNORE INTO telemetry_samples (${rawColumns}) VALUES (?, ?, ?, ?, ?, ?)`);
  const markDirty = prepare('INSERT INTO telemetry_dirty (tier, bucket, writer, stored_at) VALUES (?, ?, ?, ?) ON CONFLICT (tier, bucket, writer) DO UPDATE SET stored_at = excluded.stored_at');
  const insertBatch = db.transaction((c: SampleColumns, dirty: readonly DirtyKey[], writer: string, now: number): number => {
    const { seriesId, ts, value, quality, text, reason } = c;
    let inserted = 0;
    for (let i = 0; i < c.n; i++) {
      const v = value[i]!;
      inserted += insertSample.run(seriesId[i], ts[i], v === v ? v : null, text ? text[i] : null, quality[i], reason ? reason[i] : null).changes;
    }
    for (const d of dirty) markDirty.run(d.tier, d.bucket, writer, now);
    return inserted;
  });
  const ids = 'IN (SELECT value FROM json_each(?))';
  const touchWriter = prepare('UPDATE telemetry_writers SET seen_at = ? WHERE writer = ?');
  const mergeRow = prepare(mergeSql('1m', () => '?', 'min', 'max'));
  const merge = db.transaction((c: RollupColumns, writer: string, now: number): boolean => {
    if (touchWriter.run(now, writer).changes === 0) return false;
    for (let i = 0; i < c.n; i++) mergeRow.run(c.seriesId[i], c.bucket[i], c.count[i], c.sum[i], c.min[i], c.max[i], c.firstTs[i], c.first[i], c.lastTs[i], c.last[i]);
    return true;
  });
  const sweep = db.transaction((staleBefore: number) => {
    prepare('DELETE FROM telemetry_writers WHERE seen_at < ?').run(staleBefore);
    return (prepare('SELECT tier, bucket, writer FROM telemetry_dirty WHERE writer NOT IN (SELECT writer FROM telemetry_writers)').raw().all() as unknown[][])
      .map((r) => ({ tier: r[0] as Tier, bucket: r[1] as number, writer: r[2] as string }));
  });

  return {
    insert: (rows, dirty, writer, now) => locked(() => insertBatch(rows, dirty, writer, now)),
    recompute: (tier, seriesIds, from, to) =>
      locked(() => {
        const { remove, insert } = recomputeSql(tier, ids, '?', '?');
        const del = prepare(remove);
        const ins = prepare(insert);
        db.transaction(() => {
          for (const chunk of chunks(seriesIds as readonly number[])) {
            const json = JSON.stringify(chunk);
            del.run(json, from, to);
            ins.run(json, from, to);
          }
        })();
      }),
    merge: (rows, writer, now) => locked(() => merge(rows, writer, now)),
    heartbeat: (writer, now, register) =>
      locked(() =>
        register
          ? (prepare('INSERT INTO telemetry_writers (writer, seen_at) VALUES (?, ?) ON CONFLICT (writer) DO UPDATE SET seen_at = excluded.seen_at').run(writer, now), true)
          : touchWriter.run(now, writer).changes > 0,
      ),
    unregister: (writer) => locked(() => void prepare('DELETE FROM telemetry_writers WHERE writer = ?').run(writer)),
    sweep: (staleBefore) => locked(() => sweep(staleBefore)),
    listDirty: () =>
      locked(() =>
        (prepare('SELECT tier, bucket, writer, stored_at FROM telemetry_dirty').raw().all() as unknown[][]).map((r) => ({ tier: r[0] as Tier, bucket: r[1] as number, writer: r[2] as string, storedAt: r[3] as number })),
      ),
    clearDirty: (keys, writer, storedAt) =>
      locked(() => {
        const del = writer === null
          ? prepare('DELETE FROM telemetry_dirty WHERE tier = ? AND bucket = ? AND stored_at <= ?')
          : prepare('DELETE FROM telemetry_dirty WHERE tier = ? AND bucket = ? AND stored_at <= ? AND writer = ?');
        db.transaction(() => {
          for (const k of keys) {
            if (writer === null) del.run(k.tier, k.bucket, storedAt);
            else del.run(k.tier, k.bucket, storedAt, writer);
          }
        })();
      }),
    readRaw: (seriesId, from, to, limit) =>
      locked(() => (prepare(`SELECT ${rawColumns} FROM telemetry_samples WHERE series_id = ? AND ts >= ? AND ts < ? ORDER BY ts LIMIT ?`).raw().all(seriesId, from, to, limit) as unknown[][]).map(toRaw)),
    readRollup: (tier, seriesId, from, to) =>
      locked(() => (prepare(`SELECT ${rollupColumns} FROM telemetry_${tier} WHERE series_id = ? AND bucket >= ? AND bucket < ? ORDER BY bucket`).raw().all(seriesId, from, to) as unknown[][]).map(toRollup)),
    readBuckets: (source, seriesId, from, to, interval) =>
      locked(() =>
        (prepare(bucketsSql(source, () => '?')).raw().all(interval, seriesId, from, to, seriesId, seriesId) as unknown[][]).map((r) => ({
          seriesId, bucket: r[0] as number, count: r[1] as number, sum: r[2] as number, min: r[3] as number, max: r[4] as number,
          firstTs: r[5] as number, first: r[6] as number, lastTs: r[7] as number, last: r[8] as number,
        })),
      ),
    latest: (seriesIds) =>
      locked(() => {
        const s = prepare(`SELECT ${rawColumns} FROM telemetry_samples WHERE series_id = ? ORDER BY ts DESC LIMIT 1`).raw();
        return seriesIds.flatMap((id) => {
          const r = s.get(id) as unknown[] | undefined;
          return r ? [toRaw(r)] : [];
        });
      }),
    expire: (tier: TierName, cutoff, seriesIds) =>
      locked(() => {
        const del = tier === 'raw' ? prepare('DELETE FROM telemetry_samples WHERE series_id = ? AND ts < ?') : prepare(`DELETE FROM telemetry_${tier} WHERE series_id = ? AND bucket < ?`);
        let n = 0;
        // Per series: the primary key makes each a range delete, with no index on time alone.
        db.transaction(() => {
          for (const id of seriesIds) n += del.run(id, cutoff).changes;
        })();
        return n;
      }),
  };
}
