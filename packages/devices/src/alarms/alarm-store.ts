/**
 * The alarm lifecycle in the store (issue 6): raise, clear, acknowledge, assign, comment. At most one
 * active alarm per device and rule, whatever raises it — several rule workers, several processes — is
 * kept by the store itself: a partial unique index on (device, rule) where active, and a raise is one
 * `INSERT … ON CONFLICT … DO UPDATE` that either creates the occurrence or counts itself into the active one.
 *
 * States (ThingsBoard's four): active_unack → active_ack (acknowledged) → cleared_ack, or active_unack →
 * cleared_unack (cleared first) → cleared_ack.
 *
 * Every transition also writes its `alarm_events` row in the same transaction (the notification outbox),
 * marked quiet when the device is under maintenance (suppressed) or the alarm shelved (ISA-18.2).
 */
import { randomUUID } from 'node:crypto';
import type { Alarm, AlarmComment, AlarmEvent } from '@yulian/contracts';
import { type AlarmsTable, type Database, type Scope, type Store, YulianError } from '@yulian/core';
import { type Kysely, type Selectable, sql } from 'kysely';
import { toAlarm, toAlarmEvent, writeAlarmEvent, writeTransaction } from './alarm-events.js';

export { alarmStates, type Alarm, type AlarmComment, type AlarmEvent, type AlarmState } from '@yulian/contracts';

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
   * older than the last clear of the device and rule is stale and changes nothing (`stale`). A new alarm of
   * a device under maintenance is `suppressed`; one of a device and rule still shelved stays shelved.
   */
  raise(r: AlarmRaise): Promise<{ alarm: Alarm; created: boolean; stale?: boolean }>;
  /** Clears the device's active alarm of the rule (raised at or before `at`); undefined when none is. */
  clear(c: { device: string; rule: string; at: number; reason?: string }): Promise<Alarm | undefined>;
  /** Acknowledges (idempotent: the first acknowledgement's time and user stay). @throws ALARM_NOT_FOUND */
  acknowledge(scope: Scope, id: string, user: string, at: number): Promise<Alarm>;
  /** Assigns to a user (null: nobody). @throws ALARM_NOT_FOUND */
  assign(scope: Scope, id: string, assignee: string | null): Promise<Alarm>;
  /** Shelves an active alarm until `until` (ISA-18.2). @throws ALARM_NOT_FOUND, ALARM_SHELVE_INVALID */
  shelve(scope: Scope, id: string, s: { user: string; until: number; reason: string; at: number }): Promise<Alarm>;
  /** Unshelves (by hand, or `user` null when the shelf time is up); a no-op when not shelved. @throws ALARM_NOT_FOUND */
  unshelve(scope: Scope, id: string, s: { user: string | null; at: number }): Promise<Alarm>;
  /** Marks an unacknowledged active alarm escalated, once; undefined when it is not (any more) to escalate. */
  escalate(id: string, at: number, details: Record<string, unknown>): Promise<Alarm | undefined>;
  comment(scope: Scope, id: string, author: string | null, text: string, at: number): Promise<AlarmComment>;
  comments(scope: Scope, id: string): Promise<AlarmComment[]>;
  /** The alarm's events (its outbox rows), oldest first. */
  events(scope: Scope, id: string): Promise<AlarmEvent[]>;
  get(scope: Scope, id: string): Promise<Alarm>;
  /**
   * Newest first. `shelved: false` leaves out the alarms shelved at `now`, `true` lists only those.
   */
  list(scope: Scope, filter?: { device?: string; rule?: string; active?: boolean; shelved?: boolean; now?: number; limit?: number }): Promise<Alarm[]>;
  /** Active alarms whose shelf time is up at `at` (all enterprises). */
  shelfExpired(at: number): Promise<Alarm[]>;
  /** Unacknowledged active alarms of these rules, not yet escalated (all enterprises). */
  unescalated(rules: readonly string[]): Promise<Alarm[]>;
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(Number(ms)).toISOString());

const notFound = (id: string): YulianError => new YulianError('ALARM_NOT_FOUND', `No alarm ${id}.`);

/**
 * The `alarms` table and its outbox.
 * @example const alarms = createAlarmStore(store); await alarms.raise({ tenantId, device: 'cnc-01', rule: 'hot', ruleName: '主轴过热', severity: 'major', at: Date.now(), value: 86, reason: 'temperature 86 > 80' })
 */
export function createAlarmStore(store: Store): AlarmStore {
  const db = store.db;
  /** Runs a change of one device and rule alone, in one transaction with its outbox row. */
  const alone = <T>(device: string, rule: string, work: (q: Kysely<Database>) => Promise<T>): Promise<T> => writeTransaction(store, `alarm:${device}:${rule}`, work);
  const scoped = (scope: Scope, q: Kysely<Database> = db) => {
    const s = q.selectFrom('alarms').selectAll();
    return scope.kind === 'tenant' ? s.where('tenant_id', '=', scope.tenantId) : s;
  };
  const row = async (scope: Scope, id: string, q: Kysely<Database> = db): Promise<Selectable<AlarmsTable>> => {
    const r = await scoped(scope, q).where('id', '=', id).executeTakeFirst();
    if (!r) throw notFound(id);
    return r;
  };
  const get = async (scope: Scope, id: string): Promise<Alarm> => toAlarm(await row(scope, id));
  /** Changes one alarm by id in a transaction with its event; `change` answers undefined for "nothing changed". */
  const changeById = async (scope: Scope, id: string, change: (q: Kysely<Database>, before: Selectable<AlarmsTable>) => Promise<Selectable<AlarmsTable> | undefined>): Promise<Alarm> => {
    const before = await row(scope, id);
    return alone(before.device_id, before.rule_id, async (q) => toAlarm((await change(q, await row(scope, id, q))) ?? (await row(scope, id, q))));
  };
  return {
    async raise(r) {
      const id = randomUUID();
      const value = r.value === undefined ? null : JSON.stringify(r.value);
      return alone(r.device, r.rule, async (q) => {
        // Maintenance suppression: the device's lifecycle state now; shelving: a shelf of this device and
        // rule still running (an operator shelved the previous occurrence).
        const asset = await q.selectFrom('device_assets').select('lifecycle').where('device_id', '=', r.device).$if(r.tenantId !== null, (s) => s.where('tenant_id', '=', r.tenantId)).executeTakeFirst();
        const suppressed = asset?.lifecycle === 'under_maintenance' ? 1 : 0;
        const shelf = await q.selectFrom('alarms').select(['shelved_until', 'shelved_by', 'shelve_reason']).where('device_id', '=', r.device).where('rule_id', '=', r.rule).where('shelved_until', '>', r.at).orderBy('raised_at', 'desc').limit(1).executeTakeFirst();
        // One statement: create the occurrence, or count into the active one (the partial index's predicate
        // names the conflict) — unless an occurrence of this device and rule was cleared at or after this
        // raise's time: a raise arriving late (a slower worker, a redelivery) must not open a stale alarm.
        const result = await sql<Selectable<AlarmsTable>>`
          INSERT INTO alarms (id, tenant_id, device_id, rule_id, rule_name, severity, state, active, raised_at, last_at, cleared_at, acked_at, acked_by, assignee, occurrences, value, reason, shelved_until, shelved_by, shelve_reason, suppressed, escalated_at)
          SELECT ${id}, ${r.tenantId}, ${r.device}, ${r.rule}, ${r.ruleName}, ${r.severity}, 'active_unack', 1, ${r.at}, ${r.at}, NULL, NULL, NULL, NULL, 1, ${value}, ${r.reason}, ${shelf?.shelved_until ?? null}, ${shelf?.shelved_by ?? null}, ${shelf?.shelve_reason ?? null}, ${suppressed}, NULL
          WHERE NOT EXISTS (SELECT 1 FROM alarms WHERE device_id = ${r.device} AND rule_id = ${r.rule} AND active = 0 AND cleared_at >= ${r.at})
          ON CONFLICT (device_id, rule_id) WHERE active = 1
          DO UPDATE SET occurrences = alarms.occurrences + 1, last_at = excluded.last_at, value = excluded.value
          RETURNING *`.execute(q);
        const created = result.rows[0];
        if (created) {
          if (created.id === id) await writeAlarmEvent(q, { row: created, kind: 'raised', at: r.at, actor: null });
          return { alarm: toAlarm(created), created: created.id === id };
        }
        const latest = await q.selectFrom('alarms').selectAll().where('device_id', '=', r.device).where('rule_id', '=', r.rule).orderBy('raised_at', 'desc').limit(1).executeTakeFirstOrThrow();
        return { alarm: toAlarm(latest), created: false, stale: true };
      });
    },
    async clear(c) {
      return alone(c.device, c.rule, async (q) => {
        const cleared = await q
          .updateTable('alarms')
          .set({ active: 0, state: sql`CASE WHEN state = 'active_ack' THEN 'cleared_ack' ELSE 'cleared_unack' END`, cleared_at: c.at, ...(c.reason ? { reason: sql`reason || ${` · ${c.reason}`}` } : {}) })
          .where('device_id', '=', c.device)
          .where('rule_id', '=', c.rule)
          .where('active', '=', 1)
          // A clear older than the active alarm (late, out of order) belongs to an earlier occurrence.
          .where('raised_at', '<=', c.at)
          .returningAll()
          .executeTakeFirst();
        if (!cleared) return undefined;
        await writeAlarmEvent(q, { row: cleared, kind: 'cleared', at: c.at, actor: null, ...(c.reason ? { details: { reason: c.reason } } : {}) });
        return toAlarm(cleared);
      });
    },
    acknowledge: (scope, id, user, at) =>
      changeById(scope, id, async (q) => {
        // Only the first acknowledgement changes anything (and writes an event).
        const acked = await q
          .updateTable('alarms')
          .set({ state: sql`CASE state WHEN 'active_unack' THEN 'active_ack' WHEN 'cleared_unack' THEN 'cleared_ack' ELSE state END`, acked_at: at, acked_by: user })
          .where('id', '=', id)
          .where('acked_at', 'is', null)
          .returningAll()
          .executeTakeFirst();
        if (acked) await writeAlarmEvent(q, { row: acked, kind: 'acknowledged', at, actor: user });
        return acked;
      }),
    assign: (scope, id, assignee) =>
      changeById(scope, id, async (q, before) => {
        if (before.assignee === assignee) return before;
        const assigned = await q.updateTable('alarms').set({ assignee }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
        await writeAlarmEvent(q, { row: assigned, kind: 'assigned', at: Date.now(), actor: null, details: { assignee } });
        return assigned;
      }),
    shelve: (scope, id, s) =>
      changeById(scope, id, async (q, before) => {
        if (Number(before.active) !== 1) throw new YulianError('ALARM_SHELVE_INVALID', `Alarm ${id} is cleared; only an active alarm can be shelved.`);
        const shelved = await q.updateTable('alarms').set({ shelved_until: s.until, shelved_by: s.user, shelve_reason: s.reason }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
        await writeAlarmEvent(q, { row: shelved, kind: 'shelved', at: s.at, actor: s.user, details: { until: new Date(s.until).toISOString(), reason: s.reason } });
        return shelved;
      }),
    unshelve: (scope, id, s) =>
      changeById(scope, id, async (q) => {
        const unshelved = await q.updateTable('alarms').set({ shelved_until: null, shelved_by: null, shelve_reason: null }).where('id', '=', id).where('shelved_until', 'is not', null).returningAll().executeTakeFirst();
        if (unshelved) await writeAlarmEvent(q, { row: unshelved, kind: 'unshelved', at: s.at, actor: s.user, details: { expired: s.user === null } });
        return unshelved;
      }),
    async escalate(id, at, details) {
      const before = await db.selectFrom('alarms').selectAll().where('id', '=', id).executeTakeFirst();
      if (!before) return undefined;
      return alone(before.device_id, before.rule_id, async (q) => {
        // Once: a second process (or a second tick) finds escalated_at set and changes nothing.
        const escalated = await q.updateTable('alarms').set({ escalated_at: at }).where('id', '=', id).where('escalated_at', 'is', null).where('state', '=', 'active_unack').returningAll().executeTakeFirst();
        if (!escalated) return undefined;
        await writeAlarmEvent(q, { row: escalated, kind: 'escalated', at, actor: null, details });
        return toAlarm(escalated);
      });
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
    async events(scope, id) {
      await get(scope, id);
      const rows = await db.selectFrom('alarm_events').selectAll().where('alarm_id', '=', id).orderBy('at').orderBy('id').execute();
      return rows.map((r) => {
        const { details: _details, ...event } = toAlarmEvent(r);
        return event;
      });
    },
    get,
    async list(scope, filter = {}) {
      let q = scoped(scope);
      if (filter.device !== undefined) q = q.where('device_id', '=', filter.device);
      if (filter.rule !== undefined) q = q.where('rule_id', '=', filter.rule);
      if (filter.active !== undefined) q = q.where('active', '=', filter.active ? 1 : 0);
      const now = filter.now ?? Date.now();
      if (filter.shelved === true) q = q.where('shelved_until', '>', now);
      if (filter.shelved === false) q = q.where((eb) => eb.or([eb('shelved_until', 'is', null), eb('shelved_until', '<=', now)]));
      const rows = await q.orderBy('raised_at', 'desc').orderBy('id').limit(filter.limit ?? 500).execute();
      return rows.map(toAlarm);
    },
    async shelfExpired(at) {
      return (await db.selectFrom('alarms').selectAll().where('shelved_until', '<=', at).limit(500).execute()).map(toAlarm);
    },
    async unescalated(rules) {
      if (!rules.length) return [];
      return (await db.selectFrom('alarms').selectAll().where('rule_id', 'in', [...rules]).where('state', '=', 'active_unack').where('escalated_at', 'is', null).limit(1000).execute()).map(toAlarm);
    },
  };
}
