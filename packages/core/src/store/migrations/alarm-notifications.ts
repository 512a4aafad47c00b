import type { Kysely } from 'kysely';

// Kysely<any> is how migrations are written: they must not depend on the current Database type.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

/**
 * 0017 (issue 6): the rest of the alarm lifecycle (shelving, maintenance suppression, escalation) and
 * notifications — the `alarm_events` outbox written in the same transaction as each alarm change, the
 * enterprises' channels, users' subscriptions and the per-recipient deliveries fanned out of the outbox.
 */
export async function alarmEventsNotifications(db: AnyDb): Promise<void> {
  await db.schema.alterTable('alarms').addColumn('shelved_until', 'bigint').execute();
  await db.schema.alterTable('alarms').addColumn('shelved_by', 'text').execute();
  await db.schema.alterTable('alarms').addColumn('shelve_reason', 'text').execute();
  await db.schema.alterTable('alarms').addColumn('suppressed', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('alarms').addColumn('escalated_at', 'bigint').execute();
  await db.schema.alterTable('alarm_rules').addColumn('escalation', 'text').execute();

  await db.schema
    .createTable('alarm_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text')
    .addColumn('alarm_id', 'text', (c) => c.notNull())
    .addColumn('device_id', 'text', (c) => c.notNull())
    .addColumn('rule_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('actor', 'text')
    .addColumn('quiet', 'text')
    .addColumn('details', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('dispatched_at', 'bigint')
    .addColumn('outcome', 'text')
    .execute();
  await db.schema.createIndex('alarm_events_pending').on('alarm_events').columns(['dispatched_at', 'at']).execute();
  await db.schema.createIndex('alarm_events_alarm').on('alarm_events').columns(['alarm_id', 'at']).execute();
  await db.schema.createIndex('alarm_events_device').on('alarm_events').columns(['device_id', 'at']).execute();

  await db.schema
    .createTable('notification_channels')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('config', 'text', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('notification_channels_tenant').on('notification_channels').column('tenant_id').execute();

  await db.schema
    .createTable('notification_subscriptions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text')
    .addColumn('username', 'text', (c) => c.notNull())
    .addColumn('channel_id', 'text', (c) => c.notNull())
    .addColumn('severities', 'text', (c) => c.notNull())
    .addColumn('sites', 'text', (c) => c.notNull())
    .addColumn('address', 'text')
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('notification_subscriptions_tenant').on('notification_subscriptions').columns(['tenant_id', 'username']).execute();

  await db.schema
    .createTable('notification_deliveries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text')
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('channel_id', 'text', (c) => c.notNull())
    .addColumn('recipient', 'text', (c) => c.notNull())
    .addColumn('username', 'text')
    .addColumn('address', 'text')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_at', 'bigint', (c) => c.notNull())
    .addColumn('lease_until', 'bigint')
    .addColumn('last_error', 'text')
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('sent_at', 'bigint')
    .execute();
  // Fan-out is idempotent: a dispatcher that crashed after writing some deliveries writes each only once.
  await db.schema.createIndex('notification_deliveries_once').on('notification_deliveries').columns(['event_id', 'channel_id', 'recipient']).unique().execute();
  await db.schema.createIndex('notification_deliveries_due').on('notification_deliveries').columns(['status', 'next_at']).execute();
  await db.schema.createIndex('notification_deliveries_user').on('notification_deliveries').columns(['username', 'created_at']).execute();
}
