/**
 * Security events (`security_events` + `security_event_techniques`, migration 0024): appended by the
 * detection engine, listed with filters in the caller's enterprise scope, counted into trends, top
 * techniques and top sources, and trimmed by retention.
 */
import type { SecurityEvent, SecurityEventQuery, SecurityEventStatus } from '@yulian/contracts';
import { type Scope, type SecurityEventsTable, type Store, YulianError } from '@yulian/core';
import { type Selectable, sql } from 'kysely';

/** A time range, epoch ms (until exclusive). */
export interface TimeRange {
  since: number;
  until: number;
}

/** One bucket of a trend. */
export interface TrendBucket {
  /** The bucket's start, epoch ms. */
  start: number;
  count: number;
  maxLevel: number;
}

/** The security event store. */
export interface SecurityEventStore {
  /** Appends events (one transaction); answers how many. */
  append(events: readonly SecurityEvent[]): Promise<number>;
  /** Events the caller may see, newest first (default 100, at most 1,000). */
  list(scope: Scope, query?: SecurityEventQuery): Promise<SecurityEvent[]>;
  /** @throws YulianError SECURITY_EVENT_NOT_FOUND */
  get(scope: Scope, id: string): Promise<SecurityEvent>;
  /** @throws YulianError SECURITY_EVENT_NOT_FOUND */
  setStatus(scope: Scope, id: string, status: SecurityEventStatus): Promise<SecurityEvent>;
  /** Events per hour or day (buckets start at `offsetMs` past UTC midnight: 8 h gives China's days). */
  trend(scope: Scope, range: TimeRange & { bucket: 'hour' | 'day'; minLevel?: number; offsetMs?: number }): Promise<TrendBucket[]>;
  /** The most frequent techniques in the range. */
  topTechniques(scope: Scope, range: TimeRange & { limit?: number }): Promise<{ technique: string; count: number }[]>;
  /** The sources with most events in the range. */
  topSources(scope: Scope, range: TimeRange & { limit?: number }): Promise<{ ip: string; count: number; maxLevel: number }[]>;
  /** Deletes events older than `before` (retention); answers how many. */
  purge(before: number): Promise<number>;
}

const toEvent = (r: Selectable<SecurityEventsTable>): SecurityEvent => ({
  id: r.id,
  tenantId: r.tenant_id,
  ts: Number(r.ts),
  ruleId: Number(r.rule_id),
  level: Number(r.level),
  title: r.title,
  titleEn: r.title_en,
  techniques: JSON.parse(r.techniques) as string[],
  tactic: r.tactic,
  source: { ip: r.source_ip, port: r.source_port === null ? null : Number(r.source_port) },
  target: { ip: r.target_ip, port: r.target_port === null ? null : Number(r.target_port), deviceId: r.device_id },
  details: JSON.parse(r.details) as Record<string, unknown>,
  count: Number(r.count),
  groupKey: r.group_key,
  status: r.status as SecurityEventStatus,
  response: r.response === null ? null : (JSON.parse(r.response) as SecurityEvent['response']),
});

const bucketMs = { hour: 3_600_000, day: 86_400_000 } as const;

/**
 * The security event tables, every read scoped to the caller's enterprise.
 * @example await createSecurityEventStore(store).append(events); await events.list(scope, { minLevel: 10 })
 */
export function createSecurityEventStore(store: Store, options: { now?: () => number } = {}): SecurityEventStore {
  const db = store.db;
  const now = options.now ?? Date.now;
  const events = (scope: Scope) => {
    const q = db.selectFrom('security_events');
    return scope.kind === 'tenant' ? q.where('tenant_id', '=', scope.tenantId) : q;
  };
  const inRange = (scope: Scope, range: TimeRange) => events(scope).where('ts', '>=', range.since).where('ts', '<', range.until);
  const get = async (scope: Scope, id: string): Promise<SecurityEvent> => {
    const row = await events(scope).selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw new YulianError('SECURITY_EVENT_NOT_FOUND', `No security event ${id}.`);
    return toEvent(row);
  };

  return {
    async append(list) {
      if (list.length === 0) return 0;
      const created = now();
      await db.transaction().execute(async (tx) => {
        for (let i = 0; i < list.length; i += 100) {
          const chunk = list.slice(i, i + 100);
          await tx
            .insertInto('security_events')
            .values(
              chunk.map((e) => ({
                id: e.id,
                tenant_id: e.tenantId,
                ts: e.ts,
                rule_id: e.ruleId,
                level: e.level,
                title: e.title,
                title_en: e.titleEn,
                techniques: JSON.stringify(e.techniques),
                tactic: e.tactic,
                source_ip: e.source.ip,
                source_port: e.source.port ?? null,
                target_ip: e.target.ip ?? null,
                target_port: e.target.port ?? null,
                device_id: e.target.deviceId ?? null,
                details: JSON.stringify(e.details),
                count: e.count,
                group_key: e.groupKey,
                status: e.status,
                response: e.response ? JSON.stringify(e.response) : null,
                created_at: created,
              })),
            )
            .execute();
          const techniques = chunk.flatMap((e) => [...new Set(e.techniques)].map((technique) => ({ event_id: e.id, technique, tenant_id: e.tenantId, ts: e.ts })));
          if (techniques.length > 0) await tx.insertInto('security_event_techniques').values(techniques).execute();
        }
      });
      return list.length;
    },

    async list(scope, query = {}) {
      let q = events(scope).selectAll();
      if (query.since !== undefined) q = q.where('ts', '>=', query.since);
      if (query.until !== undefined) q = q.where('ts', '<', query.until);
      if (query.minLevel !== undefined) q = q.where('level', '>=', query.minLevel);
      if (query.sourceIp !== undefined) q = q.where('source_ip', '=', query.sourceIp);
      if (query.deviceId !== undefined) q = q.where('device_id', '=', query.deviceId);
      if (query.ruleId !== undefined) q = q.where('rule_id', '=', query.ruleId);
      if (query.status !== undefined) q = q.where('status', '=', query.status);
      if (query.technique !== undefined) {
        const technique = query.technique;
        q = q.where(({ exists, selectFrom }) =>
          exists(selectFrom('security_event_techniques as t').select('t.event_id').whereRef('t.event_id', '=', 'security_events.id').where('t.technique', '=', technique)),
        );
      }
      const limit = Math.min(1_000, Math.max(1, query.limit ?? 100));
      const rows = await q
        .orderBy('ts', 'desc')
        .orderBy('id', 'desc')
        .limit(limit)
        .offset(query.offset ?? 0)
        .execute();
      return rows.map(toEvent);
    },

    get,

    async setStatus(scope, id, status) {
      await get(scope, id);
      await db.updateTable('security_events').set({ status }).where('id', '=', id).execute();
      return get(scope, id);
    },

    async trend(scope, range) {
      const size = bucketMs[range.bucket];
      const offset = Math.trunc(range.offsetMs ?? 0);
      // Integer division on both engines (ts is an integer column): the bucket's index since the epoch.
      // Literals, not parameters: PostgreSQL matches GROUP BY to SELECT by text, and $1 is not $3.
      const bucket = sql<number>`(ts + ${sql.lit(offset)}) / ${sql.lit(size)}`;
      let q = inRange(scope, range)
        .select([bucket.as('b'), (eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.max('level').as('max_level')])
        .groupBy(bucket)
        .orderBy(bucket);
      if (range.minLevel !== undefined) q = q.where('level', '>=', range.minLevel);
      const rows = await q.execute();
      return rows.map((r) => ({ start: Math.floor(Number(r.b)) * size - offset, count: Number(r.n), maxLevel: Number(r.max_level) }));
    },

    async topTechniques(scope, range) {
      let q = db
        .selectFrom('security_event_techniques')
        .select(['technique', (eb) => eb.fn.countAll<number>().as('n')])
        .where('ts', '>=', range.since)
        .where('ts', '<', range.until);
      if (scope.kind === 'tenant') q = q.where('tenant_id', '=', scope.tenantId);
      const rows = await q
        .groupBy('technique')
        .orderBy('n', 'desc')
        .orderBy('technique')
        .limit(Math.min(100, Math.max(1, range.limit ?? 10)))
        .execute();
      return rows.map((r) => ({ technique: r.technique, count: Number(r.n) }));
    },

    async topSources(scope, range) {
      const rows = await inRange(scope, range)
        .select(['source_ip', (eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.max('level').as('max_level')])
        .where('source_ip', 'is not', null)
        .groupBy('source_ip')
        .orderBy('n', 'desc')
        .orderBy('source_ip')
        .limit(Math.min(100, Math.max(1, range.limit ?? 10)))
        .execute();
      return rows.map((r) => ({ ip: r.source_ip!, count: Number(r.n), maxLevel: Number(r.max_level) }));
    },

    async purge(before) {
      return db.transaction().execute(async (tx) => {
        await tx.deleteFrom('security_event_techniques').where('ts', '<', before).execute();
        const r = await tx.deleteFrom('security_events').where('ts', '<', before).executeTakeFirst();
        return Number(r.numDeletedRows);
      });
    },
  };
}
