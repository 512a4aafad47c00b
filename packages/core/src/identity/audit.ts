import type { AuditEntry } from '@yulian/contracts';
import { type Kysely, SqliteAdapter, sql } from 'kysely';
import { YulianError } from '../errors/index.js';
import type { Database } from '../store/index.js';
import { AUDIT_HASH_VERSION, type ChainedFields, auditEntryHash } from './audit-chain-hash.js';
import type { Scope } from './scope.js';

/** One thing to record: who did what to what, from where, and how it ended. */
export interface AuditRecord {
  tenantId?: string | null;
  actor?: string | null;
  action: string;
  target?: string | null;
  ip?: string | null;
  outcome?: 'success' | 'failure';
  details?: Record<string, unknown>;
}

/** An entry's fields before it is linked into the chain. */
type Unchained = Omit<ChainedFields, 'seq' | 'prev_hash'>;

/**
 * Links one entry after the chain head and moves the head to it. The caller serialises appenders: on
 * PostgreSQL `lock` takes the head row FOR UPDATE (appends from every process then queue on it), on
 * SQLite the caller holds a write transaction (BEGIN IMMEDIATE).
 */
async function appendChained(q: Kysely<Database>, row: Unchained, lock: boolean): Promise<void> {
  const select = q.selectFrom('audit_chain_head').select(['seq', 'hash']).where('id', '=', 1);
  const head = await (lock ? select.forUpdate() : select).executeTakeFirst();
  if (!head) throw new YulianError('AUDIT_CHAIN_BROKEN', 'The audit chain head (table audit_chain_head) is missing; nothing can be appended until it is restored.');
  const fields: ChainedFields = { ...row, seq: Number(head.seq) + 1, prev_hash: head.hash };
  const hash = auditEntryHash(AUDIT_HASH_VERSION, fields)!;
  await q.insertInto('audit_log').values({ ...fields, hash, hash_version: AUDIT_HASH_VERSION }).execute();
  await q.updateTable('audit_chain_head').set({ seq: fields.seq, hash, updated_at: row.ts }).where('id', '=', 1).execute();
}

/**
 * The append-only audit log, an SM3 hash chain (`verifyAuditChain` checks it). There is no update or
 * delete here, and database triggers refuse them.
 */
export function createAuditLog(db: Kysely<Database>) {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  const listeners = new Set<(entry: AuditRecord & { ts: number }) => void>();
  const write = async (row: Unchained): Promise<void> => {
    // Already inside the caller's transaction: link there (its commit or rollback takes the entry along).
    if (db.isTransaction) return appendChained(db, row, !sqlite);
    if (!sqlite) return db.transaction().execute((trx) => appendChained(trx, row, true));
    // Kysely's SQLite transaction is a deferred BEGIN: it would read the head, then fail with SQLITE_BUSY
    // rather than wait if another process wrote in between. BEGIN IMMEDIATE takes the write lock first.
    await db.connection().execute(async (conn) => {
      await sql`BEGIN IMMEDIATE`.execute(conn);
      try {
        await appendChained(conn, row, false);
        await sql`COMMIT`.execute(conn);
      } catch (e) {
        await sql`ROLLBACK`.execute(conn).catch(() => undefined);
        throw e;
      }
    });
  };
  return {
    /** Appends one entry, linked to the one before it (several processes on one PostgreSQL make one chain). */
    async append(record: AuditRecord): Promise<void> {
      const row: Unchained = {
        ts: Date.now(),
        tenant_id: record.tenantId ?? null,
        actor: record.actor ?? null,
        action: record.action,
        target: record.target ?? null,
        ip: record.ip ?? null,
        outcome: record.outcome ?? 'success',
        details: JSON.stringify(record.details ?? {}),
      };
      await write(row);
      for (const listener of listeners) {
        try {
          listener({ ...record, ts: row.ts });
        } catch {
          // A listener's failure is its own (the security monitor counts its rejects); the entry is written.
        }
      }
    },
    /**
     * Calls `listener` after each entry this log writes (in this process), e.g. so the security monitor
     * sees failed logins and permission denials as they happen. Returns the way to stop listening.
     */
    onAppend(listener: (entry: AuditRecord & { ts: number }) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    /** Newest first. */
    async list(scope: Scope, options: { limit?: number; action?: string; since?: number } = {}): Promise<AuditEntry[]> {
      let q = db.selectFrom('audit_log').selectAll();
      if (scope.kind === 'tenant') q = q.where('tenant_id', '=', scope.tenantId);
      if (options.action) q = q.where('action', '=', options.action);
      if (options.since !== undefined) q = q.where('ts', '>=', options.since);
      const rows = await q.orderBy('id', 'desc').limit(options.limit ?? 100).execute();
      return rows.map((r) => ({
        id: Number(r.id),
        ts: new Date(r.ts).toISOString(),
        tenantId: r.tenant_id,
        actor: r.actor,
        action: r.action,
        target: r.target,
        ip: r.ip,
        outcome: r.outcome === 'failure' ? 'failure' : 'success',
        details: JSON.parse(r.details) as Record<string, unknown>,
      }));
    },
    async count(scope: Scope, action: string, since: number): Promise<number> {
      let q = db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).where('action', '=', action).where('ts', '>=', since);
      if (scope.kind === 'tenant') q = q.where('tenant_id', '=', scope.tenantId);
      return Number((await q.executeTakeFirstOrThrow()).n);
    },
  };
}

/** The audit log's interface. */
export type AuditLog = ReturnType<typeof createAuditLog>;
