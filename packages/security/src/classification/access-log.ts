/**
 * Who read or exported classified data, when and how much: the access log behind the per-dataset access
 * report. Exports and refusals are written at once; reads (a dashboard polls every second) are summed
 * per actor, dataset and minute and written when the minute is over, so a crash loses at most the last
 * minute's read counts.
 */
import { randomUUID } from 'node:crypto';
import type { AccessReport } from '@yulian/contracts';
import type { Logger, Scope, Store } from '@yulian/core';

/** One access to record. */
export interface AccessEntry {
  tenantId: string | null;
  dataset: string;
  actor: string;
  role: string;
  action: 'read' | 'export' | 'denied';
  outcome?: 'success' | 'failure';
  rows: number;
  level: number;
  requestId?: string | null;
  details?: Record<string, unknown>;
}

/** The access log. */
export interface AccessLog {
  /** Records an access (reads are summed per minute, the rest written now). */
  record(entry: AccessEntry): Promise<void>;
  /** Writes the reads summed so far. */
  flush(): Promise<void>;
  /** Who read or exported a dataset in [from, to): totals, per actor, and the newest entries. */
  report(scope: Scope, dataset: string, range: { from: number; to: number; level: number; limit?: number }): Promise<AccessReport>;
  /** Stops the timer and writes what is pending. */
  close(): Promise<void>;
}

/**
 * The access log of a store.
 * @example const access = createAccessLog({ store }); await access.record({ … action: 'export' })
 */
export function createAccessLog(options: { store: Store; logger?: Logger; now?: () => number; flushMs?: number }): AccessLog {
  const db = options.store.db;
  const now = options.now ?? Date.now;
  const log = options.logger?.child({ component: 'data-access-log' });
  const reads = new Map<string, AccessEntry & { at: number; count: number }>();

  const write = async (e: AccessEntry, at: number, details: Record<string, unknown>): Promise<void> => {
    await db
      .insertInto('data_access_log')
      .values({ id: randomUUID(), tenant_id: e.tenantId, dataset: e.dataset, actor: e.actor, role: e.role, action: e.action, outcome: e.outcome ?? 'success', rows: e.rows, level: e.level, request_id: e.requestId ?? null, at, details: JSON.stringify(details) })
      .execute();
  };

  async function flush(): Promise<void> {
    const due = [...reads.values()];
    reads.clear();
    for (const e of due) await write(e, e.at, { ...e.details, requests: e.count });
  }
  const timer = setInterval(() => void flush().catch((err: unknown) => log?.error({ err }, 'access log not written')), options.flushMs ?? 60_000);
  timer.unref();

  return {
    async record(e) {
      if (e.action !== 'read') return write(e, now(), e.details ?? {});
      const minute = Math.floor(now() / 60_000) * 60_000;
      const key = `${e.tenantId ?? ''}\u0000${e.dataset}\u0000${e.actor}\u0000${minute}`;
      const hit = reads.get(key);
      if (hit) {
        hit.rows += e.rows;
        hit.count++;
        hit.level = Math.max(hit.level, e.level);
      } else reads.set(key, { ...e, at: minute, count: 1 });
    },
    flush,
    async report(scope, dataset, range) {
      let q = db.selectFrom('data_access_log').selectAll().where('dataset', '=', dataset).where('at', '>=', range.from).where('at', '<', range.to);
      if (scope.kind === 'tenant') q = q.where('tenant_id', '=', scope.tenantId);
      const rows = await q.orderBy('at', 'desc').execute();
      const totals = { reads: 0, exports: 0, denied: 0, rows: 0 };
      const byActor = new Map<string, { actor: string; role: string; reads: number; exports: number; denied: number; rows: number; lastAt: number }>();
      for (const r of rows) {
        const requests = r.action === 'read' ? Number((JSON.parse(r.details) as { requests?: number }).requests ?? 1) : 1;
        const a = byActor.get(r.actor) ?? { actor: r.actor, role: r.role, reads: 0, exports: 0, denied: 0, rows: 0, lastAt: 0 };
        const field = r.action === 'read' ? 'reads' : r.action === 'export' ? 'exports' : 'denied';
        a[field] += requests;
        totals[field] += requests;
        if (r.action !== 'denied') {
          a.rows += Number(r.rows);
          totals.rows += Number(r.rows);
        }
        a.lastAt = Math.max(a.lastAt, Number(r.at));
        byActor.set(r.actor, a);
      }
      return {
        dataset,
        level: range.level,
        from: range.from,
        to: range.to,
        totals,
        byActor: [...byActor.values()].sort((x, y) => y.lastAt - x.lastAt).map((a) => ({ ...a, lastAt: new Date(a.lastAt).toISOString() })),
        entries: rows.slice(0, range.limit ?? 200).map((r) => ({ at: new Date(Number(r.at)).toISOString(), actor: r.actor, role: r.role, action: r.action, outcome: r.outcome, rows: Number(r.rows), level: Number(r.level), requestId: r.request_id })),
      };
    },
    async close() {
      clearInterval(timer);
      await flush();
    },
  };
}
