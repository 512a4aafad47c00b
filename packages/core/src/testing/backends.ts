import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { type Store, createStore } from '../store/index.js';

/** The PostgreSQL server that tests use; `YULIAN_TEST_POSTGRES_URL` overrides it. */
export const testPostgresUrl = (): string => process.env['YULIAN_TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
/** The NATS server that tests use; `YULIAN_TEST_NATS_URL` overrides it. */
export const testNatsUrl = (): string => process.env['YULIAN_TEST_NATS_URL'] ?? 'nats://127.0.0.1:4222';
/** True when tests must fail, not skip, when a service is missing (CI sets YULIAN_REQUIRE_SERVICES=1). */
export const servicesRequired = (): boolean => process.env['YULIAN_REQUIRE_SERVICES'] === '1';

/** A store backend for contract tests: opens a fresh, migrated store and cleans it up. */
export interface TestBackend {
  name: 'sqlite' | 'postgres';
  /** Null when the backend is not reachable here (and not required): the suite is skipped. */
  available: boolean;
  open(): Promise<{ store: Store; url: string; dataDir: string; cleanup(): Promise<void> }>;
}

async function postgresReachable(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch (e) {
    if (servicesRequired()) throw new Error(`PostgreSQL at ${url} is required (YULIAN_REQUIRE_SERVICES=1) but not reachable: ${(e as Error).message}`);
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * The store backends for contract suites: SQLite in a temporary directory and PostgreSQL in a fresh
 * schema of the test server (unique per store, dropped on cleanup, so parallel runs never collide).
 * @example for (const backend of await storeBackends()) describe.skipIf(!backend.available)(backend.name, …)
 */
export async function storeBackends(): Promise<TestBackend[]> {
  const pgUrl = testPostgresUrl();
  const pgOk = await postgresReachable(pgUrl);
  return [
    {
      name: 'sqlite',
      available: true,
      async open() {
        const dataDir = await mkdtemp(join(tmpdir(), 'yulian-test-'));
        const store = await createStore({ url: 'sqlite', dataDir });
        await store.migrate();
        return { store, url: 'sqlite', dataDir, cleanup: async () => { await store.close(); await rm(dataDir, { recursive: true, force: true }); } };
      },
    },
    {
      name: 'postgres',
      available: pgOk,
      async open() {
        const dataDir = await mkdtemp(join(tmpdir(), 'yulian-test-'));
        const schema = `yt_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
        const url = `${pgUrl}${pgUrl.includes('?') ? '&' : '?'}schema=${schema}`;
        const store = await createStore({ url, dataDir });
        await store.migrate();
        return {
          store,
          url,
          dataDir,
          async cleanup() {
            await store.close();
            const client = new pg.Client({ connectionString: pgUrl });
            await client.connect();
            await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
            await client.end();
            await rm(dataDir, { recursive: true, force: true });
          },
        };
      },
    },
  ];
}
