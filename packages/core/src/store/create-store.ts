import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, type LogEvent, Migrator, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { maskUrl } from '../config/index.js';
import { YulianError } from '../errors/index.js';
import type { Logger } from '../logging/index.js';
import { migrationsFor } from './migrations/index.js';
import type { Database } from './schema.js';

/** Which SQL engine a store runs on. */
export type StoreDialect = 'sqlite' | 'postgres';

/** Running figures of a store, exposed as metrics. */
export interface StoreStats {
  queries: number;
  queryErrors: number;
  querySeconds: number;
  rowsInserted: number;
}

/**
 * The engine under a store, for the few hot paths (telemetry ingest) that need prepared statements or
 * connections Kysely does not expose. Everything else goes through `db`.
 */
export type NativeStore =
  | {
      kind: 'sqlite';
      db: SqliteDatabase.Database;
      /**
       * Reads through a second, read-only connection inside one read transaction per event-loop turn
       * (begun at the turn's first read, committed at `setImmediate`): a lookup then skips the
       * per-statement transaction start (~1.6 µs of ~5.5 µs among 1,000,000 rows). It sees the database as
       * of its transaction's start: a writer whose writes must show at once calls `invalidate()` after each
       * (the next read starts a new transaction). Absent for an in-memory database.
       */
      snapshot: SnapshotReader | undefined;
    }
  | { kind: 'postgres'; pool: pg.Pool };

/** See {@link NativeStore}'s `snapshot`. */
export interface SnapshotReader {
  read<T>(read: (reader: SqliteDatabase.Database) => T): T;
  /** Ends the open read transaction (after a write), so the next read sees the write. */
  invalidate(): void;
}

/** A row for `insertRows`: column name → value. */
export type Row = Record<string, string | number | bigint | null | Buffer>;

/**
 * The storage layer: Kysely over SQLite (better-sqlite3, WAL) or PostgreSQL (pg).
 * Feature code queries `db`; bulk writers use `insertRows`.
 */
export interface Store {
  readonly dialect: StoreDialect;
  readonly db: Kysely<Database>;
  /** The engine's own handle (better-sqlite3 database or pg pool). */
  readonly native: NativeStore;
  /** Where the data lives: a file path, or the URL with its password masked. */
  readonly location: string;
  /** Applies pending migrations; safe to call on every start. Returns the names it applied. */
  migrate(): Promise<string[]>;
  /**
   * Inserts many rows into one table in one transaction, as fast as the engine allows: a cached
   * prepared statement on SQLite, multi-row INSERTs on PostgreSQL. All rows must have the same columns.
   */
  insertRows(table: string, rows: readonly Row[]): Promise<number>;
  /** True when a trivial query succeeds. */
  ping(): Promise<boolean>;
  stats(): StoreStats;
  close(): Promise<void>;
}

/** What `createStore` needs. */
export interface StoreOptions {
  /** `sqlite` or a `postgres://` URL; `?schema=name` puts every table in that schema (created if missing). */
  url: string;
  /** Directory of the SQLite file (`yulian.db`). */
  dataDir: string;
  /** SQLite file name inside dataDir; `:memory:` for a throwaway store. */
  sqliteFile?: string;
  logger?: Logger;
}

const identifier = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Opens a store. Does not migrate: call `migrate()` (the server does at start).
 * @example const store = await createStore({ url: 'sqlite', dataDir: './data' })
 */
export async function createStore(options: StoreOptions): Promise<Store> {
  const stats: StoreStats = { queries: 0, queryErrors: 0, querySeconds: 0, rowsInserted: 0 };
  const log = (event: LogEvent): void => {
    stats.queries++;
    stats.querySeconds += event.queryDurationMillis / 1000;
    if (event.level === 'error') {
      stats.queryErrors++;
      options.logger?.debug({ err: event.error, sql: event.query.sql }, 'query failed');
    }
  };
  return options.url === 'sqlite' ? openSqlite(options, stats, log) : openPostgres(options, stats, log);
}

function openSqlite(options: StoreOptions, stats: StoreStats, log: (e: LogEvent) => void): Store {
  const file = options.sqliteFile ?? 'yulian.db';
  const path = file === ':memory:' ? file : resolve(options.dataDir, file);
  if (file !== ':memory:') mkdirSync(resolve(options.dataDir), { recursive: true });
  let raw: SqliteDatabase.Database;
  try {
    raw = new SqliteDatabase(path);
  } catch (e) {
    throw new YulianError('STORE_UNAVAILABLE', `cannot open SQLite file ${path}: ${(e as Error).message}`, { cause: e });
  }
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = NORMAL');
  raw.pragma('foreign_keys = ON');
  raw.pragma('busy_timeout = 5000');
  // Reads of the file through a memory map (up to 1 GiB; SQLite maps no more than the file): a page
  // missing from SQLite's 2 MB cache is read from memory instead of a pread — about 4 µs of CPU less per
  // identifier lookup among 1,000,000 (`yulian bench resolve`).
  raw.pragma('mmap_size = 1073741824');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: raw }), log });
  const statements = new Map<string, (row: Row) => void>();
  const snapshot = path === ':memory:' ? undefined : snapshotReader(path);

  return {
    dialect: 'sqlite',
    db,
    native: { kind: 'sqlite', db: raw, snapshot },
    location: path,
    migrate: () => migrate(db, 'sqlite'),
    async insertRows(table, rows) {
      const first = rows[0];
      if (!first) return 0;
      const columns = Object.keys(first);
      const key = `${table}(${columns.join(',')})`;
      let run = statements.get(key);
      if (!run) {
        assertIdentifiers(table, columns);
        const stmt = raw.prepare(`INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(',')}) VALUES (${columns.map(() => '?').join(',')})`);
        run = binder(stmt, columns);
        statements.set(key, run);
      }
      const insert = run;
      const t0 = performance.now();
      raw.transaction(() => {
        for (const row of rows) insert(row);
      })();
      stats.queries++;
      stats.querySeconds += (performance.now() - t0) / 1000;
      stats.rowsInserted += rows.length;
      return rows.length;
    },
    async ping() {
      try {
        raw.prepare('SELECT 1').get();
        return true;
      } catch {
        return false;
      }
    },
    stats: () => ({ ...stats }),
    async close() {
      if (!raw.open) return;
      snapshot?.close();
      await db.destroy();
      if (raw.open) raw.close();
    },
  };
}

/** The read-only connection of {@link NativeStore}'s `snapshot`, opened at its first read. */
function snapshotReader(path: string): SnapshotReader & { close(): void } {
  let reader: SqliteDatabase.Database | undefined;
  let begin: SqliteDatabase.Statement | undefined;
  let commit: SqliteDatabase.Statement | undefined;
  let open = false;
  let closed = false;
  const end = (): void => {
    open = false;
    if (reader?.open && reader.inTransaction) commit!.run();
  };
  return {
    invalidate: end,
    read(read) {
      if (closed) throw new YulianError('STORE_UNAVAILABLE', 'the store is closed');
      if (!reader) {
        reader = new SqliteDatabase(path, { readonly: true, fileMustExist: true });
        reader.pragma('mmap_size = 1073741824');
        begin = reader.prepare('BEGIN');
        commit = reader.prepare('COMMIT');
      }
      if (!open) {
        begin!.run();
        open = true;
        setImmediate(end);
      }
      return read(reader);
    },
    close() {
      closed = true;
      if (reader?.open) {
        if (reader.inTransaction) commit!.run();
        reader.close();
      }
    },
  };
}

/**
 * Binds a row's values to a statement positionally without building an array per row: that array was
 * a third of the time of a bulk insert (see `yulian bench store`).
 */
function binder(stmt: SqliteDatabase.Statement, columns: readonly string[]): (row: Row) => void {
  const [a = '', b = '', c = '', d = '', e = '', f = ''] = columns;
  const v = (x: Row[string] | undefined): Row[string] => (x === undefined ? null : x);
  switch (columns.length) {
    case 1: return (r) => void stmt.run(v(r[a]));
    case 2: return (r) => void stmt.run(v(r[a]), v(r[b]));
    case 3: return (r) => void stmt.run(v(r[a]), v(r[b]), v(r[c]));
    case 4: return (r) => void stmt.run(v(r[a]), v(r[b]), v(r[c]), v(r[d]));
    case 5: return (r) => void stmt.run(v(r[a]), v(r[b]), v(r[c]), v(r[d]), v(r[e]));
    case 6: return (r) => void stmt.run(v(r[a]), v(r[b]), v(r[c]), v(r[d]), v(r[e]), v(r[f]));
    default: return (r) => void stmt.run(columns.map((col) => v(r[col])));
  }
}

async function openPostgres(options: StoreOptions, stats: StoreStats, log: (e: LogEvent) => void): Promise<Store> {
  const url = new URL(options.url);
  const schema = url.searchParams.get('schema');
  url.searchParams.delete('schema');
  if (schema !== null && !identifier.test(schema)) {
    throw new YulianError('CONFIG_INVALID', `store schema ${JSON.stringify(schema)} must match ${identifier.source}`);
  }
  const location = maskUrl(url.toString()) + (schema ? ` (schema ${schema})` : '');
  const pool = new pg.Pool({
    connectionString: url.toString(),
    max: 10,
    connectionTimeoutMillis: 5000,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
    // BIGINT columns hold epoch milliseconds: within 2^53, so numbers, not strings.
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === 20 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  pool.on('error', (err) => options.logger?.warn({ err }, 'idle PostgreSQL connection failed'));
  try {
    const client = await pool.connect();
    try {
      if (schema) await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    } finally {
      client.release();
    }
  } catch (e) {
    await pool.end().catch(() => undefined);
    throw new YulianError('STORE_UNAVAILABLE', `cannot connect to PostgreSQL at ${location}: ${(e as Error).message}`, { cause: e });
  }
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), log });
  let closed = false;

  return {
    dialect: 'postgres',
    db,
    native: { kind: 'postgres', pool },
    location,
    migrate: () => migrate(db, 'postgres', schema ?? undefined),
    async insertRows(table, rows) {
      const first = rows[0];
      if (!first) return 0;
      const columns = Object.keys(first);
      assertIdentifiers(table, columns);
      // PostgreSQL allows 65,535 parameters per statement.
      const perStatement = Math.max(1, Math.floor(65_000 / columns.length));
      const head = `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(',')}) VALUES `;
      const client = await pool.connect();
      const t0 = performance.now();
      try {
        await client.query('BEGIN');
        for (let i = 0; i < rows.length; i += perStatement) {
          const chunk = rows.slice(i, i + perStatement);
          const params: unknown[] = [];
          const tuples = chunk.map((row) => {
            const marks = columns.map((c) => {
              params.push(row[c] ?? null);
              return `$${params.length}`;
            });
            return `(${marks.join(',')})`;
          });
          await client.query(head + tuples.join(','), params);
          stats.queries++;
        }
        await client.query('COMMIT');
      } catch (e) {
        stats.queryErrors++;
        await client.query('ROLLBACK').catch(() => undefined);
        throw e;
      } finally {
        client.release();
      }
      stats.querySeconds += (performance.now() - t0) / 1000;
      stats.rowsInserted += rows.length;
      return rows.length;
    },
    async ping() {
      try {
        await sql`SELECT 1`.execute(db);
        return true;
      } catch {
        return false;
      }
    },
    stats: () => ({ ...stats }),
    async close() {
      if (closed) return;
      closed = true;
      await db.destroy();
    },
  };
}

function assertIdentifiers(table: string, columns: readonly string[]): void {
  for (const name of [table, ...columns]) {
    if (!identifier.test(name)) throw new YulianError('BAD_REQUEST', `not a valid SQL identifier: ${JSON.stringify(name)}`);
  }
}

async function migrate(db: Kysely<Database>, dialect: StoreDialect, schema?: string): Promise<string[]> {
  const migrations = migrationsFor(dialect);
  const migrator = new Migrator({
    db,
    // Kysely looks for its bookkeeping tables in every schema unless told which: a store in its own
    // schema must name it, or another schema's tables make it skip creating its own.
    ...(schema ? { migrationTableSchema: schema } : {}),
    provider: { getMigrations: async () => migrations },
    // Forward-only: a database newer than this code is an error, not something to roll back.
    allowUnorderedMigrations: false,
  });
  let { error, results } = await migrator.migrateToLatest();
  // Kysely's check for its bookkeeping table lists the tables of every schema; another schema dropped at
  // that moment (another store on the same server going away) fails the listing with 3F000 "schema …
  // does not exist", or 42P01 "relation "<its schema>.<table>" does not exist", though nothing is wrong
  // with ours. Nothing was migrated then: try again.
  for (let attempt = 1; error && attempt <= 5 && isOtherSchemaGone(error, schema) && !results?.length; attempt++) {
    await new Promise((r) => setTimeout(r, 50 * attempt));
    ({ error, results } = await migrator.migrateToLatest());
  }
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? '(unknown)';
    throw new YulianError('STORE_UNAVAILABLE', `migration ${failed} failed: ${(error as Error).message}`, { cause: error });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Whether a PostgreSQL error is "schema does not exist" (3F000) about a schema other than ours. */
function isOtherSchemaGone(error: unknown, ours: string | undefined): boolean {
  const e = error as { code?: unknown; message?: unknown };
  if (typeof e.message !== 'string') return false;
  // 3F000: the schema went first; 42P01: one of its tables, named `"<schema>.<table>"`, went while listed.
  if (e.code === '3F000') return ours === undefined || !e.message.includes(`"${ours}"`);
  if (e.code === '42P01') return ours !== undefined && /relation "[^".]+\.[^"]+" does not exist/.test(e.message) && !e.message.includes(`"${ours}.`);
  return false;
}

/** The default SQLite file of a data directory. */
export const sqlitePath = (dataDir: string): string => join(resolve(dataDir), 'yulian.db');
