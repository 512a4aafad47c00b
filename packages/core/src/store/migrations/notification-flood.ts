import type { Kysely } from 'kysely';

/**
 * 0032 (issue 6, flood control): the per-user flood count reads an operator's deliveries by channel and
 * recipient within the last 10 minutes, and the console's flood state an enterprise's alarm events by time.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function notificationFlood(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('notification_deliveries_target').on('notification_deliveries').columns(['channel_id', 'recipient', 'created_at']).execute();
  await db.schema.createIndex('alarm_events_tenant').on('alarm_events').columns(['tenant_id', 'at']).execute();
}
