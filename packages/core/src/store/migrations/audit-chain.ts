import { type Kysely, sql } from 'kysely';
import { AUDIT_GENESIS_HASH, AUDIT_HASH_VERSION, type ChainedFields, auditEntryHash } from '../../identity/audit-chain-hash.js';
import type { StoreDialect } from '../create-store.js';

// Kysely<any> is how migrations are written: they must not depend on the current Database type.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

const BACKFILL_PAGE = 1000;

/**
 * The SM3 hash chain of the audit log (issue 7, item 8): every entry gets a `seq` (1, 2, 3 … without gaps),
 * the previous entry's hash and its own hash over a versioned encoding of its fields
 * (`identity/audit-chain-hash.ts`); `audit_chain_head` holds the newest entry's seq and hash, so removing
 * the newest entries shows too. Existing entries are chained in id order. Triggers then refuse an insert
 * that does not follow the head, and a head that moves other than one entry forward.
 */
export async function auditChain(db: AnyDb, dialect: StoreDialect): Promise<void> {
  if (dialect === 'postgres') return auditChainPostgres(db);
  // SQLite migrations run outside a transaction (Kysely assumes no transactional DDL); SQLite has it, and
  // a backfill cut short must not leave the append-only trigger dropped.
  await sql`BEGIN IMMEDIATE`.execute(db);
  try {
    await auditChainSqlite(db);
    await sql`COMMIT`.execute(db);
  } catch (e) {
    await sql`ROLLBACK`.execute(db).catch(() => undefined);
    throw e;
  }
}

async function addChainColumns(db: AnyDb, dialect: StoreDialect): Promise<void> {
  const big = dialect === 'postgres' ? 'bigint' : 'integer';
  await db.schema.alterTable('audit_log').addColumn('seq', big).execute();
  await db.schema.alterTable('audit_log').addColumn('prev_hash', 'text').execute();
  await db.schema.alterTable('audit_log').addColumn('hash', 'text').execute();
  await db.schema.alterTable('audit_log').addColumn('hash_version', 'integer').execute();
  await db.schema
    .createTable('audit_chain_head')
    .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
    .addColumn('seq', big, (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
}

interface Link {
  id: number;
  seq: number;
  prev_hash: string;
  hash: string;
}

/** Chains the existing entries in id order, a page at a time; `write` stores one page's links. Returns the head. */
async function backfill(db: AnyDb, write: (links: Link[]) => Promise<void>): Promise<{ seq: number; hash: string }> {
  let seq = 0;
  let prev = AUDIT_GENESIS_HASH;
  let lastId = -1;
  for (;;) {
    const rows = (await db
      .selectFrom('audit_log')
      .select(['id', 'ts', 'tenant_id', 'actor', 'action', 'target', 'ip', 'outcome', 'details'])
      .where('id', '>', lastId)
      .orderBy('id')
      .limit(BACKFILL_PAGE)
      .execute()) as Array<Omit<ChainedFields, 'seq' | 'prev_hash'> & { id: number | string }>;
    if (rows.length === 0) break;
    const links: Link[] = [];
    for (const row of rows) {
      const { id, ...fields } = row;
      seq++;
      const hash = auditEntryHash(AUDIT_HASH_VERSION, { ...fields, ts: Number(fields.ts), seq, prev_hash: prev })!;
      links.push({ id: Number(id), seq, prev_hash: prev, hash });
      prev = hash;
      lastId = Number(id);
    }
    await write(links);
  }
  return { seq, hash: prev };
}

async function auditChainSqlite(db: AnyDb): Promise<void> {
  await addChainColumns(db, 'sqlite');
  await sql`DROP TRIGGER audit_log_no_update`.execute(db);
  const head = await backfill(db, async (links) => {
    for (const l of links) {
      await sql`UPDATE audit_log SET seq = ${l.seq}, prev_hash = ${l.prev_hash}, hash = ${l.hash}, hash_version = ${AUDIT_HASH_VERSION} WHERE id = ${l.id}`.execute(db);
    }
  });
  await sql`CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`.execute(db);
  await sql`CREATE UNIQUE INDEX audit_log_seq ON audit_log (seq)`.execute(db);
  await sql`INSERT INTO audit_chain_head (id, seq, hash, updated_at) VALUES (1, ${head.seq}, ${head.hash}, ${Date.now()})`.execute(db);
  // SQLite cannot add NOT NULL to a column: the insert trigger refuses unchained entries instead.
  await sql`CREATE TRIGGER audit_log_chained BEFORE INSERT ON audit_log
    WHEN NEW.hash IS NULL OR NEW.hash_version IS NULL
      OR NEW.seq IS NOT (SELECT seq + 1 FROM audit_chain_head WHERE id = 1)
      OR NEW.prev_hash IS NOT (SELECT hash FROM audit_chain_head WHERE id = 1)
    BEGIN SELECT RAISE(ABORT, 'audit_log entries are appended through the audit chain: seq and prev_hash must follow audit_chain_head'); END`.execute(db);
  await sql`CREATE TRIGGER audit_chain_head_no_delete BEFORE DELETE ON audit_chain_head
    BEGIN SELECT RAISE(ABORT, 'audit_chain_head cannot be deleted'); END`.execute(db);
  await sql`CREATE TRIGGER audit_chain_head_forward BEFORE UPDATE ON audit_chain_head
    WHEN NEW.id IS NOT OLD.id OR NEW.seq IS NOT OLD.seq + 1
      OR NOT EXISTS (SELECT 1 FROM audit_log WHERE seq = NEW.seq AND hash = NEW.hash)
    BEGIN SELECT RAISE(ABORT, 'audit_chain_head only moves one entry forward, to an entry of audit_log'); END`.execute(db);
}

async function auditChainPostgres(db: AnyDb): Promise<void> {
  await addChainColumns(db, 'postgres');
  // The migration runs in one transaction: the trigger is off for the backfill only.
  await sql`ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change`.execute(db);
  const head = await backfill(db, async (links) => {
    const values = links.map((l) => sql`(${l.id}::bigint, ${l.seq}::bigint, ${l.prev_hash}, ${l.hash})`);
    await sql`UPDATE audit_log AS a SET seq = v.seq, prev_hash = v.prev_hash, hash = v.hash, hash_version = ${AUDIT_HASH_VERSION}
      FROM (VALUES ${sql.join(values)}) AS v (id, seq, prev_hash, hash) WHERE a.id = v.id`.execute(db);
  });
  await sql`ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_change`.execute(db);
  for (const column of ['seq', 'prev_hash', 'hash', 'hash_version']) {
    await sql`ALTER TABLE audit_log ALTER COLUMN ${sql.ref(column)} SET NOT NULL`.execute(db);
  }
  await sql`CREATE UNIQUE INDEX audit_log_seq ON audit_log (seq)`.execute(db);
  await sql`INSERT INTO audit_chain_head (id, seq, hash, updated_at) VALUES (1, ${head.seq}, ${head.hash}, ${Date.now()})`.execute(db);
  await sql`CREATE FUNCTION audit_log_chained() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE h record;
    BEGIN
      SELECT seq, hash INTO h FROM audit_chain_head WHERE id = 1;
      IF NEW.seq IS DISTINCT FROM h.seq + 1 OR NEW.prev_hash IS DISTINCT FROM h.hash THEN
        RAISE EXCEPTION 'audit_log entries are appended through the audit chain: seq and prev_hash must follow audit_chain_head';
      END IF;
      RETURN NEW;
    END $$`.execute(db);
  await sql`CREATE TRIGGER audit_log_chained BEFORE INSERT ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_chained()`.execute(db);
  await sql`CREATE FUNCTION audit_chain_head_forward() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP <> 'UPDATE' THEN RAISE EXCEPTION 'audit_chain_head cannot be deleted'; END IF;
      IF NEW.id <> OLD.id OR NEW.seq <> OLD.seq + 1
        OR NOT EXISTS (SELECT 1 FROM audit_log WHERE seq = NEW.seq AND hash = NEW.hash) THEN
        RAISE EXCEPTION 'audit_chain_head only moves one entry forward, to an entry of audit_log';
      END IF;
      RETURN NEW;
    END $$`.execute(db);
  await sql`CREATE TRIGGER audit_chain_head_forward BEFORE UPDATE OR DELETE ON audit_chain_head
    FOR EACH ROW EXECUTE FUNCTION audit_chain_head_forward()`.execute(db);
  await sql`CREATE TRIGGER audit_chain_head_no_truncate BEFORE TRUNCATE ON audit_chain_head
    FOR EACH STATEMENT EXECUTE FUNCTION audit_chain_head_forward()`.execute(db);
}
