import { statSync } from 'node:fs';
import type { Store } from '@yulian/core';
import { createRecordStore } from '@yulian/identifier';
import { encodeValues } from '@yulian/protocols';
import { type BenchEngine, freshStore } from './fresh-store.js';
import { benchHandle, benchValues } from './register-records.js';
import type { BenchResult } from './types.js';

/** Rows per `insertMany` call (the bulk-registration job's batch) and per bare transaction or statement. */
export const registerBatch = 10_000;

type Side = 'yulian' | 'bare';
interface SideRun {
  seconds: number;
  /** Of which encoding the values (the measured side only). */
  encodeSeconds: number;
  /** Bytes of storage per identifier, and the average encoded value list. */
  bytesPerId: number;
  valueBytes: number;
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en');

/** Products `from … from + count - 1`, their values built (not encoded): the job's input after validation. */
function batchValues(from: number, count: number, timestamp: number): Array<[string, ReturnType<typeof benchValues>]> {
  const out: Array<[string, ReturnType<typeof benchValues>]> = [];
  for (let n = from; n < from + count; n++) out.push([benchHandle(n), benchValues(n, timestamp)]);
  return out;
}

/** Storage of `id_handles` per identifier: SQLite pages in use after a checkpoint; PostgreSQL every partition with its index and TOAST. */
async function bytesPerIdentifier(store: Store, rows: number): Promise<number> {
  const native = store.native;
  if (native.kind === 'sqlite') {
    native.db.pragma('wal_checkpoint(TRUNCATE)');
    const pages = native.db.pragma('page_count', { simple: true }) as number;
    const size = native.db.pragma('page_size', { simple: true }) as number;
    const file = statSync(store.location).size;
    // The file holds the other (empty) tables of the schema too: pages in use and file size agree.
    if (Math.abs(file - pages * size) > size) throw new Error(`SQLite file is ${file} B but ${pages} pages of ${size} B are in use`);
    return (pages * size) / rows;
  }
  const r = await native.pool.query<{ bytes: string }>(
    `SELECT sum(pg_total_relation_size(i.inhrelid))::text AS bytes FROM pg_inherits i WHERE i.inhparent = to_regclass('id_handles')`,
  );
  return Number(r.rows[0]!.bytes) / rows;
}

/** Yulian: values encoded per row, then `RecordStore.insertMany` per batch (the bulk-registration path). */
async function yulianSide(engine: BenchEngine, rows: number, timestamp: number): Promise<SideRun> {
  const { store, cleanup } = await freshStore(engine, 'register');
  try {
    const records = createRecordStore(store);
    let seconds = 0;
    let encodeSeconds = 0;
    let valueBytes = 0;
    for (let from = 1; from <= rows; from += registerBatch) {
      const input = batchValues(from, Math.min(registerBatch, rows - from + 1), timestamp);
      const t0 = performance.now();
      const batch = input.map(([h, values]) => [h, encodeValues(values)] as const);
      const t1 = performance.now();
      const { inserted } = await records.insertMany(batch);
      seconds += (performance.now() - t0) / 1000;
      encodeSeconds += (t1 - t0) / 1000;
      if (inserted !== batch.length) throw new Error(`registered ${inserted} of ${batch.length}`);
      for (const [, v] of batch) valueBytes += v.length;
    }
    if ((await records.count()) !== rows) throw new Error(`expected ${rows} identifiers stored`);
    return { seconds, encodeSeconds, bytesPerId: await bytesPerIdentifier(store, rows), valueBytes: valueBytes / rows };
  } finally {
    await cleanup();
  }
}

/**
 * The baseline: the same encoded rows (encoded outside the timing) into the same migrated table, with a
 * bare better-sqlite3 prepared INSERT in a transaction per batch, or one `unnest` INSERT per batch on
 * PostgreSQL over text-array literals built by `join` — no conflict handling, nothing returned.
 */
async function bareSide(engine: BenchEngine, rows: number, timestamp: number): Promise<SideRun> {
  const { store, cleanup } = await freshStore(engine, 'register-bare');
  try {
    const native = store.native;
    let write: (batch: ReadonlyArray<readonly [string, Buffer]>, at: number) => Promise<void>;
    if (native.kind === 'sqlite') {
      const insert = native.db.prepare('INSERT INTO id_handles (handle, vals, updated_at) VALUES (?, ?, ?)');
      const tx = native.db.transaction((batch: ReadonlyArray<readonly [string, Buffer]>, at: number) => {
        for (const [h, v] of batch) insert.run(h, v, at);
      });
      write = async (batch, at) => tx(batch, at);
    } else {
      const pool = native.pool;
      // The bench's identifiers hold no character an unquoted array element would need escaped.
      write = async (batch, at) => {
        await pool.query('INSERT INTO id_handles (handle, vals, updated_at) SELECT h, decode(v, \'hex\'), $3 FROM unnest($1::text[], $2::text[]) AS x(h, v)', [
          `{${batch.map((r) => r[0]).join(',')}}`,
          `{${batch.map((r) => r[1].toString('hex')).join(',')}}`,
          at,
        ]);
      };
    }
    let seconds = 0;
    let valueBytes = 0;
    for (let from = 1; from <= rows; from += registerBatch) {
      const batch = batchValues(from, Math.min(registerBatch, rows - from + 1), timestamp).map(([h, values]) => [h, encodeValues(values)] as const);
      const t0 = performance.now();
      await write(batch, Date.now());
      seconds += (performance.now() - t0) / 1000;
      for (const [, v] of batch) valueBytes += v.length;
    }
    return { seconds, encodeSeconds: 0, bytesPerId: await bytesPerIdentifier(store, rows), valueBytes: valueBytes / rows };
  } finally {
    await cleanup();
  }
}

/**
 * `yulian bench register`: bulk registration of `rows` identifiers (default 1,000,000; 4–6 template
 * fields, a URL and HS_ADMIN each) through `RecordStore.insertMany` in batches of 10,000, values encoded
 * per row, on SQLite then PostgreSQL; baseline in the same run: the same rows through a bare prepared
 * INSERT (SQLite) or `unnest` INSERT (PostgreSQL) into the same table. Also storage bytes per identifier.
 */
export async function benchRegister(options: { rows?: number; engines?: BenchEngine[] } = {}): Promise<BenchResult[]> {
  const rows = options.rows ?? 1_000_000;
  const timestamp = Math.floor(Date.now() / 1000);
  const results: BenchResult[] = [];
  for (const engine of options.engines ?? (['sqlite', 'postgres'] as const)) {
    // Alternate which side goes first between engines, so that warm caches favour neither.
    const order: Side[] = engine === 'sqlite' ? ['bare', 'yulian'] : ['yulian', 'bare'];
    const out: Partial<Record<Side, SideRun>> = {};
    for (const side of order) out[side] = side === 'yulian' ? await yulianSide(engine, rows, timestamp) : await bareSide(engine, rows, timestamp);
    const y = out.yulian!;
    const b = out.bare!;
    results.push({
      name: `register (${engine})`,
      description:
        `${rows.toLocaleString('en')} identifiers (88.100.1/P0000001…, in key order), ${Math.round(y.valueBytes)} B of encoded values each on average, batches of ${fmt(registerBatch)}; ` +
        `storage ${fmt(y.bytesPerId)} B per identifier (${engine === 'sqlite' ? 'SQLite pages in use after a checkpoint' : 'pg_total_relation_size of the 16 partitions'}; bare side ${fmt(b.bytesPerId)} B); ` +
        `encoding ${Math.round((y.encodeSeconds / y.seconds) * 100)} % of the measured time${engine === 'sqlite' ? '; absolute target ≥ 100,000/s: ' + (rows / y.seconds >= 100_000 ? 'met' : 'NOT met') : ''}`,
      measured: { label: 'values encoded per row + RecordStore.insertMany', rate: rows / y.seconds, unit: 'identifiers/s', seconds: y.seconds },
      baseline: { label: engine === 'sqlite' ? 'bare better-sqlite3 prepared INSERT of the encoded rows' : 'bare unnest INSERT of the encoded rows', rate: rows / b.seconds, unit: 'identifiers/s', seconds: b.seconds },
      ratio: y.seconds > 0 ? b.seconds / y.seconds : 0,
    });
  }
  return results;
}
