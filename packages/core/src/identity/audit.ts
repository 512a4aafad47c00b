import type { AuditEntry } from '@yulian/contracts';
import type { Kysely } from 'kysely';
import type { Database } from '../store/index.js';
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

/**
 * The append-only audit log. There is no update or delete here, and database triggers refuse them.
 */
export function createAuditLog(db: Kysely<Database>) {
  return {
    async append(record: AuditRecord): Promise<void> {
      await db
        .insertInto('audit_log')
        .values({
          ts: Date.now(),
          tenant_id: record.tenantId ?? null,
          actor: record.actor ?? null,
          action: record.action,
          target: record.target ?? null,
          ip: record.ip ?? null,
          outcome: record.outcome ?? 'success',
          details: JSON.stringify(record.details ?? {}),
        })
        .execute();
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
