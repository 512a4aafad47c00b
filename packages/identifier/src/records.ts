import { type Store, pgTransaction } from '@yulian/core';
import { type HandleValue, ResponseCode, decodeValues, encodeValues } from '@yulian/protocols';
import type SqliteDatabase from 'better-sqlite3';
import type pg from 'pg';
import type { CompiledQuery } from 'kysely';

/** A Handle-level failure, carrying the response code a node answers with (RC 100 handle not found, …). */
export class HandleError extends Error {
  constructor(
    readonly rc: number,
    message: string,
  ) {
    super(message);
    this.name = 'HandleError';
  }
}

/**
 * The identifier records a node holds: one row per identifier (normalised `prefix/suffix`), its values
 * kept as the Handle wire encodes them (u32 count + values), so a resolution is one key lookup and its
 * answer needs no encoding.
 */
export interface RecordStore {
  /** The encoded value list of an identifier, or undefined. */
  get(handle: string): Promise<Buffer | undefined>;
  /** The same lookup done synchronously where the engine allows it (SQLite): the resolution hot path. */
  readonly getSync: ((handle: string) => Buffer | undefined) | undefined;
  /** Creates a record. @throws HandleError RC 101 when it exists */
  create(handle: string, values: readonly HandleValue[] | Buffer): Promise<void>;
  /** Creates or replaces a record; answers whether it existed. */
  put(handle: string, values: readonly HandleValue[] | Buffer): Promise<boolean>;
  /**
   * Changes a record's values in one transaction (read, change, write).
   * @throws HandleError RC 100 when it does not exist, or what `change` throws
   */
  update(handle: string, change: (values: HandleValue[]) => HandleValue[]): Promise<HandleValue[]>;
  /** Deletes a record; answers whether it existed. */
  delete(handle: string): Promise<boolean>;
  /** Identifiers under a prefix in key order, after `after`, at most `limit`. */
  list(prefix: string, options?: { after?: string; limit?: number }): Promise<string[]>;
  /** How many identifiers are under a prefix (or in all). */
  count(prefix?: string): Promise<number>;
  /**
   * Inserts many new records in one transaction; those that exist already are left as they are and
   * named. The bulk-registration path. With `commitWith`, the statements it builds from the outcome run
   * in the same transaction (on `store`): a bulk job's progress commits with its records or not at all.
   */
  insertMany(rows: ReadonlyArray<readonly [string, Buffer]>, options?: InsertManyOptions): Promise<InsertManyOutcome>;
  /** The store the records live in, for work that must commit with them; absent when they span several. */
  readonly store?: Store;
}

/** What {@link RecordStore.insertMany} did. */
export interface InsertManyOutcome {
  inserted: number;
  /** The identifiers that existed already (or came earlier in the same rows), in row order. */
  existing: string[];
}

/** A statement to commit with an insertMany; a `required` one that changes no row rolls everything back. */
export interface CommitStatement {
  query: CompiledQuery;
  required?: boolean;
}

/** Options of {@link RecordStore.insertMany}. */
export interface InsertManyOptions {
  /** Statements (compiled on the record store's `store.db`) to run in the inserts' transaction. */
  commitWith?: (outcome: InsertManyOutcome) => readonly CommitStatement[];
}

/** A required statement of `commitWith` changed no row: someone else moved on; nothing was committed. */
export class StaleCommitError extends Error {
  constructor(readonly sql: string) {
    super(`A required statement changed no row, so nothing was committed: ${sql}`);
    this.name = 'StaleCommitError';
  }
}

/** The key range of a prefix's identifiers: `P/` ≤ handle < `P0` ('0' follows '/'). */
const rangeOf = (prefix: string): [string, string] => [`${prefix}/`, `${prefix}0`];

/** Creates the record store on a migrated store (SQLite or PostgreSQL). */
export function createRecordStore(store: Store, now: () => number = Date.now): RecordStore {
  return store.native.kind === 'sqlite' ? sqliteRecords(store.native.db, store, now) : pgRecords(store, now);
}

const encoded = (values: readonly HandleValue[] | Buffer): Buffer => (Buffer.isBuffer(values) ? values : encodeValues(values));
const notFound = (handle: string): HandleError => new HandleError(ResponseCode.HANDLE_NOT_FOUND, `Handle ${handle} not found.`);

function sqliteRecords(db: SqliteDatabase.Database, store: Store, now: () => number): RecordStore {
  const select = db.prepare<[string], Buffer>('SELECT vals FROM id_handles WHERE handle = ?').pluck();
  const insert = db.prepare('INSERT INTO id_handles (handle, vals, updated_at) VALUES (?, ?, ?) ON CONFLICT (handle) DO NOTHING');
  const upsert = db.prepare('INSERT INTO id_handles (handle, vals, updated_at) VALUES (?, ?, ?) ON CONFLICT (handle) DO UPDATE SET vals = excluded.vals, updated_at = excluded.updated_at');
  const setVals = db.prepare('UPDATE id_handles SET vals = ?, updated_at = ? WHERE handle = ?');
  const remove = db.prepare('DELETE FROM id_handles WHERE handle = ?');
  const list = db.prepare<[string, string, string, number], string>('SELECT handle FROM id_handles WHERE handle >= ? AND handle > ? AND handle < ? ORDER BY handle LIMIT ?').pluck();
  const countRange = db.prepare<[string, string], number>('SELECT count(*) FROM id_handles WHERE handle >= ? AND handle < ?').pluck();
  const countAll = db.prepare<[], number>('SELECT count(*) FROM id_handles').pluck();
  // Resolutions read through the store's snapshot reader (one read transaction per event-loop turn);
  // every write here ends that transaction, so the next read sees it.
  const snapshot = store.native.kind === 'sqlite' ? store.native.snapshot : undefined;
  let snapshotSelect: SqliteDatabase.Statement<[string], Buffer> | undefined;
  const written = <T>(value: T): T => {
    snapshot?.invalidate();
    return value;
  };
  /** Synchronous work inside Kysely's connection lock, so no Kysely transaction is open meanwhile. */
  const locked = <T>(work: () => T): Promise<T> => store.db.connection().execute(async () => written(work()));
  const insertRows = (rows: ReadonlyArray<readonly [string, Buffer]>, at: number): InsertManyOutcome => {
    let inserted = 0;
    const existing: string[] = [];
    for (const [handle, vals] of rows) {
      if (insert.run(handle, vals, at).changes) inserted++;
      else existing.push(handle);
    }
    return { inserted, existing };
  };
  const insertMany = db.transaction(insertRows);
  // The same connection as Kysely's, inside its lock: the statements join the inserts' transaction.
  const insertManyWith = db.transaction((rows: ReadonlyArray<readonly [string, Buffer]>, at: number, commitWith: NonNullable<InsertManyOptions['commitWith']>) => {
    const outcome = insertRows(rows, at);
    for (const s of commitWith(outcome)) {
      const changes = db.prepare(s.query.sql).run(...(s.query.parameters as unknown[])).changes;
      if (s.required && changes === 0) throw new StaleCommitError(s.query.sql);
    }
    return outcome;
  });
  const update = db.transaction((handle: string, change: (values: HandleValue[]) => HandleValue[], at: number) => {
    const current = select.get(handle);
    if (current === undefined) throw notFound(handle);
    const next = change(decodeValues(current));
    setVals.run(encodeValues(next), at, handle);
    return next;
  });
  return {
    get: (handle) => Promise.resolve(select.get(handle)),
    getSync: snapshot ? (handle) => snapshot.read((reader) => (snapshotSelect ??= reader.prepare<[string], Buffer>('SELECT vals FROM id_handles WHERE handle = ?').pluck()).get(handle)) : (handle) => select.get(handle),
    create: (handle, values) =>
      locked(() => {
        if (!insert.run(handle, encoded(values), now()).changes) throw new HandleError(ResponseCode.HANDLE_ALREADY_EXISTS, `Handle ${handle} already exists.`);
      }),
    put: (handle, values) =>
      locked(() => {
        const existed = select.get(handle) !== undefined;
        upsert.run(handle, encoded(values), now());
        return existed;
      }),
    update: (handle, change) => locked(() => update(handle, change, now())),
    delete: (handle) => locked(() => remove.run(handle).changes > 0),
    list: (prefix, options = {}) => {
      const [from, to] = rangeOf(prefix);
      return Promise.resolve(list.all(from, options.after ?? '', to, options.limit ?? 1000));
    },
    count: (prefix) => Promise.resolve(prefix === undefined ? countAll.get()! : countRange.get(...rangeOf(prefix))!),
    insertMany: (rows, options) => locked(() => (options?.commitWith ? insertManyWith(rows, now(), options.commitWith) : insertMany(rows, now()))),
    store,
  };
}

function pgRecords(store: Store, now: () => number): RecordStore {
  if (store.native.kind !== 'postgres') throw new Error('pgRecords needs a PostgreSQL store');
  const pool = store.native.pool;
  const get = async (handle: string): Promise<Buffer | undefined> => (await pool.query<{ vals: Buffer }>('SELECT vals FROM id_handles WHERE handle = $1', [handle])).rows[0]?.vals;
  return {
    get,
    getSync: undefined,
    async create(handle, values) {
      const r = await pool.query('INSERT INTO id_handles (handle, vals, updated_at) VALUES ($1, $2, $3) ON CONFLICT (handle) DO NOTHING', [handle, encoded(values), now()]);
      if (!r.rowCount) throw new HandleError(ResponseCode.HANDLE_ALREADY_EXISTS, `Handle ${handle} already exists.`);
    },
    async put(handle, values) {
      // The sub-query sees the table as the statement started: whether the record existed before.
      const r = await pool.query<{ existed: boolean }>(
        `INSERT INTO id_handles (handle, vals, updated_at) VALUES ($1, $2, $3) ON CONFLICT (handle) DO UPDATE SET vals = excluded.vals, updated_at = excluded.updated_at
         RETURNING (SELECT EXISTS (SELECT 1 FROM id_handles WHERE handle = $1)) AS existed`,
        [handle, encoded(values), now()],
      );
      return r.rows[0]!.existed;
    },
    update: (handle, change) =>
      pgTransaction(pool, async (client) => {
        const current = (await client.query<{ vals: Buffer }>('SELECT vals FROM id_handles WHERE handle = $1 FOR UPDATE', [handle])).rows[0]?.vals;
        if (current === undefined) throw notFound(handle);
        const next = change(decodeValues(current));
        await client.query('UPDATE id_handles SET vals = $1, updated_at = $2 WHERE handle = $3', [encodeValues(next), now(), handle]);
        return next;
      }),
    async delete(handle) {
      return ((await pool.query('DELETE FROM id_handles WHERE handle = $1', [handle])).rowCount ?? 0) > 0;
    },
    async list(prefix, options = {}) {
      const [from, to] = rangeOf(prefix);
      // The column's collation is "C" (byte order, as on SQLite): a prefix is a range of the key.
      const r = await pool.query<{ handle: string }>(
        'SELECT handle FROM id_handles WHERE handle >= $1 AND handle > $2 AND handle < $3 ORDER BY handle LIMIT $4',
        [from, options.after ?? '', to, options.limit ?? 1000],
      );
      return r.rows.map((x) => x.handle);
    },
    async count(prefix) {
      if (prefix === undefined) return Number((await pool.query<{ n: string }>('SELECT count(*) AS n FROM id_handles')).rows[0]!.n);
      const [from, to] = rangeOf(prefix);
      return Number((await pool.query<{ n: string }>('SELECT count(*) AS n FROM id_handles WHERE handle >= $1 AND handle < $2', [from, to])).rows[0]!.n);
    },
    async insertMany(rows, options) {
      const commitWith = options?.commitWith;
      if (!commitWith) return pgInsertRows(pool, rows, now());
      return pgTransaction(pool, async (client) => {
        const outcome = await pgInsertRows(client, rows, now());
        for (const s of commitWith(outcome)) {
          const r = await client.query(s.query.sql, s.query.parameters as unknown[]);
          if (s.required && !r.rowCount) throw new StaleCommitError(s.query.sql);
        }
        return outcome;
      });
    },
    store,
  };
}

/** Inserts new records in one statement (a transaction of its own, or part of the client's). */
async function pgInsertRows(db: Pick<pg.Pool | pg.PoolClient, 'query'>, rows: ReadonlyArray<readonly [string, Buffer]>, at: number): Promise<InsertManyOutcome> {
  if (!rows.length) return { inserted: 0, existing: [] };
  const r = await db.query<{ handle: string }>(
    'INSERT INTO id_handles (handle, vals, updated_at) SELECT h, v, $3 FROM unnest($1::text[], $2::bytea[]) AS x(h, v) ON CONFLICT (handle) DO NOTHING RETURNING handle',
    [rows.map((x) => x[0]), rows.map((x) => x[1]), at],
  );
  // Each returned handle stands for its first row; later rows of the same handle existed already.
  const fresh = new Set(r.rows.map((x) => x.handle));
  const existing: string[] = [];
  for (const [h] of rows) {
    if (!fresh.delete(h)) existing.push(h);
  }
  return { inserted: r.rows.length, existing };
}
