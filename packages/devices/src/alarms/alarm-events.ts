/**
 * The alarm outbox (`alarm_events`): every alarm transition writes one row in the transaction of the change,
 * so a notification can never be lost between "the alarm changed" and "someone was told" — the dispatcher
 * (server/notifications) reads what is not yet dispatched, after a restart too.
 */
import { randomUUID } from 'node:crypto';
import type { Alarm, AlarmEvent, AlarmEventKind, AlarmState } from '@yulian/contracts';
import { type AlarmEventsTable, type AlarmsTable, type Database, type Store } from '@yulian/core';
import { type Kysely, type Selectable, sql } from 'kysely';

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(Number(ms)).toISOString());

/** A stored alarm row as the API shows it. */
export function toAlarm(r: Selectable<AlarmsTable>): Alarm {
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
    shelvedUntil: iso(r.shelved_until),
    shelvedBy: r.shelved_by,
    shelveReason: r.shelve_reason,
    suppressed: Number(r.suppressed) === 1,
    escalatedAt: iso(r.escalated_at),
  };
}

/** Why an alarm notifies nobody at `at`: its device was under maintenance when raised, or it is shelved. */
export function quietOf(r: Selectable<AlarmsTable>, at: number): 'suppressed' | 'shelved' | null {
  if (Number(r.suppressed) === 1) return 'suppressed';
  if (r.shelved_until !== null && Number(r.shelved_until) > at) return 'shelved';
  return null;
}

/** Writes one outbox row for a transition of `row` (inside the caller's transaction). */
export async function writeAlarmEvent(
  q: Kysely<Database>,
  e: { row: Selectable<AlarmsTable>; kind: AlarmEventKind; at: number; actor: string | null; details?: Record<string, unknown> },
): Promise<void> {
  await q
    .insertInto('alarm_events')
    .values({
      id: randomUUID(),
      tenant_id: e.row.tenant_id,
      alarm_id: e.row.id,
      device_id: e.row.device_id,
      rule_id: e.row.rule_id,
      kind: e.kind,
      severity: e.row.severity,
      at: e.at,
      actor: e.actor,
      quiet: quietOf(e.row, e.at),
      details: JSON.stringify({ alarm: toAlarm(e.row), ...e.details }),
      dispatched_at: null,
      outcome: null,
    })
    .execute();
}

/** An outbox row as the live stream and the dispatcher see it. */
export function toAlarmEvent(r: Selectable<AlarmEventsTable>): AlarmEvent & { details: Record<string, unknown> } {
  const details = JSON.parse(r.details) as { alarm: Alarm } & Record<string, unknown>;
  return { id: r.id, kind: r.kind as AlarmEventKind, at: iso(r.at)!, actor: r.actor, quiet: r.quiet as AlarmEvent['quiet'], alarm: details.alarm, details };
}

/**
 * SQLite write transactions of this process, one at a time per database file. better-sqlite3 waits for a
 * lock synchronously: a second connection in the same process (tests run several "workers") waiting for
 * a transaction left open across an `await` would block the very event loop that has to commit it.
 * Other processes wait on SQLite's busy timeout as usual.
 */
const sqliteWriters = new Map<string, Promise<unknown>>();

/**
 * Runs `work` in one write transaction. PostgreSQL: a transaction holding an advisory lock on `lockKey`, so
 * a concurrent raise and clear of the same device and rule take turns. SQLite: `BEGIN IMMEDIATE`, taking
 * the writer's lock up front, so several connections (processes) never fail upgrading a read lock.
 */
export function writeTransaction<T>(store: Store, lockKey: string, work: (q: Kysely<Database>) => Promise<T>): Promise<T> {
  if (store.dialect === 'postgres') {
    return store.db.transaction().execute(async (trx) => {
      await sql`SELECT pg_advisory_xact_lock(hashtext(${lockKey}))`.execute(trx);
      return work(trx);
    });
  }
  const previous = sqliteWriters.get(store.location) ?? Promise.resolve();
  const run = previous.then(
    () => sqliteTransaction(store, work),
    () => sqliteTransaction(store, work),
  );
  const tail = run.catch(() => undefined);
  sqliteWriters.set(store.location, tail);
  void tail.then(() => {
    if (sqliteWriters.get(store.location) === tail) sqliteWriters.delete(store.location);
  });
  return run;
}

function sqliteTransaction<T>(store: Store, work: (q: Kysely<Database>) => Promise<T>): Promise<T> {
  return store.db.connection().execute(async (conn) => {
    await sql`BEGIN IMMEDIATE`.execute(conn);
    try {
      const result = await work(conn);
      await sql`COMMIT`.execute(conn);
      return result;
    } catch (e) {
      await sql`ROLLBACK`.execute(conn);
      throw e;
    }
  });
}
