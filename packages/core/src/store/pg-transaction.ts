import type pg from 'pg';

/**
 * Runs `work` in one transaction on a client of the pool: committed when it resolves, rolled back when
 * it throws (the error goes on), the client released either way.
 * @example await pgTransaction(pool, async (c) => { await c.query('…'); })
 */
export async function pgTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const out = await work(client);
    await client.query('COMMIT');
    return out;
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    client.release();
  }
}
