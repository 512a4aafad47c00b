import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { type Row, createStore } from '@yulian/core';
import { sql } from 'kysely';
import type { BenchResult } from './types.js';

const table = `CREATE TABLE bench_samples (series INTEGER NOT NULL, ts INTEGER NOT NULL, value REAL NOT NULL, PRIMARY KEY (series, ts)) WITHOUT ROWID`;

/** Telemetry-shaped rows: `series` points each sampled at consecutive timestamps, in arrival order. */
function* batches(total: number, batchSize: number, series: number): Generator<Row[]> {
  let i = 0;
  while (i < total) {
    const batch: Row[] = [];
    for (let j = 0; j < batchSize && i < total; j++, i++) {
      batch.push({ series: i % series, ts: 1_700_000_000_000 + Math.floor(i / series) * 1000, value: Math.sin(i) * 100 });
    }
    yield batch;
  }
}

/**
 * Writes `rows` rows in batches through the storage layer (`Store.insertRows` on SQLite) and, in the
 * same run, with a bare better-sqlite3 prepared-statement loop on the same pragmas, table and rows.
 */
export async function benchStore(options: { rows?: number; batch?: number; series?: number; rounds?: number } = {}): Promise<BenchResult> {
  const total = options.rows ?? 1_000_000;
  const batchSize = options.batch ?? 10_000;
  const series = options.series ?? 1_000;
  const rounds = options.rounds ?? 3;
  const dir = mkdtempSync(join(tmpdir(), 'yulian-bench-store-'));
  const rowsFor = [...batches(total, batchSize, series)];
  const bareTimes: number[] = [];
  const storeTimes: number[] = [];
  try {
    // Alternate the two sides and which goes first, each on a fresh file, so that disk and cache
    // drift hit both alike.
    for (let round = 0; round < rounds; round++) {
      if (round % 2 === 0) bareTimes.push(bareRun(join(dir, `bare-${round}.db`), rowsFor));
      storeTimes.push(await storeRun(dir, `store-${round}.db`, rowsFor, total));
      if (round % 2 === 1) bareTimes.push(bareRun(join(dir, `bare-${round}.db`), rowsFor));
    }
    const bareSeconds = median(bareTimes);
    const storeSeconds = median(storeTimes);
    const storeRate = total / storeSeconds;
    const bareRate = total / bareSeconds;
    return {
      name: 'store',
      description: `${total.toLocaleString('en')} rows (${series} series), batches of ${batchSize.toLocaleString('en')}, SQLite WAL; median of ${rounds} rounds, order alternating`,
      measured: { label: 'Store.insertRows (storage layer)', rate: storeRate, unit: 'rows/s', seconds: storeSeconds },
      baseline: { label: 'bare better-sqlite3 prepared statement loop', rate: bareRate, unit: 'rows/s', seconds: bareSeconds },
      ratio: storeRate / bareRate,
      target: 0.8,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

/** The baseline: better-sqlite3 alone, same pragmas, one transaction per batch. Returns seconds. */
function bareRun(file: string, batchList: Row[][]): number {
  const raw = new SqliteDatabase(file);
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = NORMAL');
  raw.exec(table);
  const insert = raw.prepare('INSERT INTO bench_samples (series, ts, value) VALUES (?, ?, ?)');
  const write = raw.transaction((rows: Row[]) => {
    for (const r of rows) insert.run(r['series'], r['ts'], r['value']);
  });
  const t0 = performance.now();
  for (const b of batchList) write(b);
  const seconds = (performance.now() - t0) / 1000;
  raw.close();
  return seconds;
}

/** Yulian's storage layer: a migrated store, `insertRows` per batch. Returns seconds. */
async function storeRun(dir: string, file: string, batchList: Row[][], total: number): Promise<number> {
  const store = await createStore({ url: 'sqlite', dataDir: dir, sqliteFile: file });
  await store.migrate();
  await sql.raw(table).execute(store.db);
  const t0 = performance.now();
  for (const b of batchList) await store.insertRows('bench_samples', b);
  const seconds = (performance.now() - t0) / 1000;
  const { rows } = await sql<{ n: number }>`SELECT count(*) AS n FROM bench_samples`.execute(store.db);
  await store.close();
  if (Number(rows[0]?.n) !== total) throw new Error(`expected ${total} rows, found ${rows[0]?.n}`);
  return seconds;
}
