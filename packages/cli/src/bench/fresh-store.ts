import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { type Store, createStore, testPostgresUrl } from '@yulian/core';

/** The stores the telemetry benchmarks run on. */
export type BenchEngine = 'sqlite' | 'postgres';

/**
 * A fresh, migrated store of the engine for one benchmark side: SQLite in a temporary directory, or
 * PostgreSQL (YULIAN_TEST_POSTGRES_URL, default the local `test` database) in a schema of its own,
 * dropped afterwards.
 */
export async function freshStore(engine: BenchEngine, prefix: string): Promise<{ store: Store; cleanup(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), `yulian-bench-${prefix}-`));
  if (engine === 'sqlite') {
    const store = await createStore({ url: 'sqlite', dataDir: dir });
    await store.migrate();
    return { store, cleanup: async () => { await store.close(); rmSync(dir, { recursive: true, force: true }); } };
  }
  const base = testPostgresUrl();
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  const store = await createStore({ url: `${base}${base.includes('?') ? '&' : '?'}schema=${schema}`, dataDir: dir });
  await store.migrate();
  return {
    store,
    async cleanup() {
      await store.close();
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await c.end();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
