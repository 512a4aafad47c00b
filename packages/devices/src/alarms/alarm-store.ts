/**
 * The alarm lifecycle in the store (issue 6): raise, clear, acknowledge, assign, comment. At most one
 * active alarm per device and rule, whatever raises it — several rule workers, several processes — is
 * kept by the store itself: a partial unique index on (device, rule) where active, and a raise is one
 * `INSERT … ON CONFLICT … DO UPDATE` that either creates the occurrence or counts itself into the active one.
 *
 * States (ThingsBoard's four): active_unack → active_ack (acknowledged) → cleared_ack, or active_unack →
 * cleared_unack (cleared first) → cleared_ack.
 */
import { randomUUID } from 'node:crypto';
import type { Alarm, AlarmComment, AlarmState } from '@yulian/contracts';
import { type AlarmsTable, type Database, type Scope, type Store, YulianError } from '@yulian/core';
import { type Kysely, type Selectable, sql } from 'kysely';

export { alarmStates, type Alarm, type AlarmComment, type AlarmState } from '@yulian/contracts';

/** A raise, from a rule transition. */
export interface AlarmRaise {
  tenantId: string | null;
  device: string;
  rule: string;
  ruleName: string;
  severity: string;
  /** Epoch ms. */
  at: number;
  value?: number | boolean | string;
  reason: string;
}

export interface AlarmStore {
  /**
   * Creates the device's active alarm of the rule, or counts this raise into the one there is; a raise
   * older than the last clear of the device and rule is stale and changes nothing (`stale`).
   */
  raise(r: AlarmRaise): Promise<{ alarm: Alarm; created: boolean; stale?: boolean }>;
  /** Clears the device's active alarm of the rule (raised at or before `at`); undefined when none is. */
  clear(c: { device: string; rule: string; at: number; reason?: string }): Promise<Alarm | undefined>;
  /** Acknowledges (idempotent: the first acknowledgement's time and user stay). @throws ALARM_NOT_FOUND */
  acknowledge(scope: Scope, id: string, user: string, at: number): Promise<Alarm>;
  /** Assigns to a user (null: nobody). @throws ALARM_NOT_FOUND */
  assign(scope: Scope, id: string, assignee: string | null): Promise<Alarm>;
  comment(scope: Scope, id: string, author: string | null, text: string, at: number): Promise<AlarmComment>;
  comments(scope: Scope, id: string): Promise<AlarmComment[]>;
  get(scope: Scope, id: string): Promise<Alarm>;
  /** Newest first. */
  list(scope: Scope, filter?: { device?: string; rule?: string; active?: boolean; limit?: number }): Promise<Alarm[]>;
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(Number(ms)).toISOString());

function toAlarm(r: Selectable<AlarmsTable>): Alarm {
  return {
    id: r.id,
    tenantId: r.tenant_id,
    device: r.device_id,
    rule: r.rule_id,
    ruleName: r.rule_name,
    severity: r.severity,
    state: r.state as AlarmState,
    active: Number(r.active) === 1,
    raisedAt: iso(r.raised_at)!,
    lastAt: iso(r.last_at)!,
    clearedAt: iso(r.cleared_at),
    ackedAt: iso(r.acked_at),
    ackedBy: r.acked_by,
    assignee: r.assignee,
    occurrences: Number(r.occurrences),
    value: r.value === null ? null : (JSON.parse(r.value) as number | boolean | string),
    reason: r.reason,
  };
}

const notFound = (id: string): YulianError => new YulianError('ALARM_NOT_FOUND', `No alarm ${id}.`);

/**
 * The `alarms` table.
 * @example const alarms = createAlarmStore(store); await alarms.raise({ tenantId, device: 'cnc-01', rule: 'hot', ruleName: '主轴过热', severity: 'major', at: Date.now(), value: 86, reason: 'temperature 86 > 80' })
 */
export function createAlarmStore(store: Store): AlarmStore {
  const db = store.db;
  /**
   * Runs a raise or clear of one device and rule alone: on PostgreSQL in a transaction holding an advisory
   * lock on the pair, so a concurrent clear cannot commit between another worker's check and insert; on
   * SQLite each statement already runs alone under the writer's lock.
   */
  const alone = <T>(device: string, rule: string, work: (q: Kysely<Database>) => Promise<T>): Promise<T> =>
    store.dialect === 'postgres'
      ? db.transaction().execute(async (trx) => {
          await sql`SELECT pg_advisory_xact_lock(hashtext(${`alarm:${device}:${rule}`}))`.execute(trx);
          return work(trx);
        })
      : work(db);
  const scoped = (scope: Scope) => {
    const q = db.selectFrom('alarms').selectAll();
    return scope.kind === 'tenant' ? q.where('tenant_id', '=', scope.tenantId) : q;
  };
  const get = async (scope: Scope, id: string): Promise<Alarm> => {
    const row = await scoped(scope).where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound(id);
    return toAlarm(row);
  };
  return {
    async raise(r) {
      const id = randomUUID();
      const value = r.value === undefined ? null : JSON.stringify(r.value);
      // One statement: create the occurrence, or count into the active one (the partial index's predicate
      // names the conflict) — unless an occurrence of this device and rule was cleared at or after this
      // raise's time: a raise arriving late (a slower worker, a redelivery) must not open a stale alarm.
      const result = await alone(r.device, r.rule, (q) => sql<Selectable<AlarmsTable>>`
        INSERT INTO alarms (id, tenant_id, device_id, rule_id, rule_name, severity, state, active, raised_at, last_at, cleared_at, acked_at, acked_by, assignee, occurrences, value, reason)
        SELECT ${id}, ${r.tenantId}, ${r.device}, ${r.rule}, ${r.ruleName}, ${r.severity}, 'active_unack', 1, ${r.at}, ${r.at}, NULL, NULL, NULL, NULL, 1, ${value}, ${r.reason}
        WHERE NOT EXISTS (SELECT 1 FROM alarms WHERE device_id = ${r.device} AND rule_id = ${r.rule} AND active = 0 AND cleared_at >= ${r.at})
        ON CONFLICT (device_id, rule_id) WHERE active = 1
        DO UPDATE SET occurrences = alarms.occurrences + 1, last_at = excluded.last_at, value = excluded.value
        RETURNING *`.execute(q));
      const row = result.rows[0];
      if (row) return { alarm: toAlarm(row), created: row.id === id };
      const latest = await db.selectFrom('alarms').selectAll().where('device_id', '=', r.device).where('rule_id', '=', r.rule).orderBy('raised_at', 'desc').limit(1).executeTakeFirstOrThrow();
      return { alarm: toAlarm(latest), created: false, stale: true };
    },
    async clear(c) {
      const row = await alone(c.device, c.rule, (q) => q
        .updateTable('alarms')
        .set({ active: 0, state: sql`CASE WHEN state = 'active_ack' THEN 'cleared_ack' ELSE 'cleared_unack' END`, cleared_at: c.at, ...(c.reason ? { reason: sql`reason || ${` · ${c.reason}`}` } : {}) })
        .where('device_id', '=', c.device)
        .where('rule_id', '=', c.rule)
        .where('active', '=', 1)
        // A clear older than the active alarm (late, out of order) belongs to an earlier occurrence.
        .where('raised_at', '<=', c.at)
        .returningAll()
        .executeTakeFirst());
      return row && toAlarm(row);
    },
    async acknowledge(scope, id, user, at) {
      let q = db
        .updateTable('alarms')
        .set({
          state: sql`CASE state WHEN 'active_unack' THEN 'active_ack' WHEN 'cleared_unack' THEN 'cleared_ack' ELSE state END`,
          acked_at: sql`coalesce(acked_at, ${at})`,
          acked_by: sql`coalesce(acked_by, ${user})`,
        })
        .where('id', '=', id);
      if (scope.kind === 'tenant') q = q.where('tenant_id', '=', scope.tenantId);
      const row = await q.returningAll().executeTakeFirst();
      if (!row) throw notFound(id);
      return toAlarm(row);
    },
    async assign(scope, id, assignee) {
      let q = db.updateTable('alarms').set({ assignee }).where('id', '=', id);
      if (scope.kind === 'tenant') q = q.where('tenant_id', '=', scope.tenantId);
      const row = await q.returningAll().executeTakeFirst();
      if (!row) throw notFound(id);
      return toAlarm(row);
    },
    async comment(scope, id, author, text, at) {
      await get(scope, id);
      const c = { id: randomUUID(), alarm_id: id, ts: at, author, text };
      await db.insertInto('alarm_comments').values(c).execute();
      return { id: c.id, alarmId: id, ts: iso(at)!, author, text };
    },
    async comments(scope, id) {
      await get(scope, id);
      const rows = await db.selectFrom('alarm_comments').selectAll().where('alarm_id', '=', id).orderBy('ts').orderBy('id').execute();
      return rows.map((r) => ({ id: r.id, alarmId: r.alarm_id, ts: iso(r.ts)!, author: r.author, text: r.text }));
    },
    get,
    async list(scope, filter = {}) {
      let q = scoped(scope);
      if (filter.device !== undefined) q = q.where('device_id', '=', filter.device);
      if (filter.rule !== undefined) q = q.where('rule_id', '=', filter.rule);
      if (filter.active !== undefined) q = q.where('active', '=', filter.active ? 1 : 0);
      const rows = await q.orderBy('raised_at', 'desc').orderBy('id').limit(filter.limit ?? 500).execute();
      return rows.map(toAlarm);
    },
  };
}
