import type { Kysely } from 'kysely';

// Kysely<any> is how migrations are written: they must not depend on the current Database type.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

/**
 * Data keys of the SM4 keyring (issue 7, item 8): each an SM4-128 key sealed under the master key
 * (`crypto/keyring.ts`). Keys are never deleted: a rotated one is retired and still decrypts. `active` is 1
 * on the one key new data is encrypted with and NULL on the others; its unique index keeps two processes
 * from making two active keys at once.
 */
export async function dataKeys(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('data_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('wrapped', 'text', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.unique())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('retired_at', 'bigint')
    .execute();
}
