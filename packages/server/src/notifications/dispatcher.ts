/**
 * The outbox dispatcher: reads the alarm events not yet dispatched (oldest first), decides who is told
 * — nobody when the alarm is quiet (suppressed, shelved) or its device or rule is over its rate limit —
 * and writes one delivery per channel and recipient, in one transaction with the event's "dispatched"
 * mark. A dispatcher that stops half-way leaves the event undispatched and the next one (after a restart,
 * or in another process) does it again; the unique (event, channel, recipient) index keeps each delivery
 * single.
 *
 * Flood control (ISA-18.2): a recipient who got `perRecipient` alarm notifications within the window gets
 * one flood summary instead of the next ones (kept as `flooded` deliveries, listable), and normal
 * notifications again once the rate falls.
 */
import { randomUUID } from 'node:crypto';
import type { AlarmEvent, NotificationSubscription } from '@yulian/contracts';
import type { AlarmEventsTable, Database, Logger, Store } from '@yulian/core';
import { toAlarmEvent, writeTransaction } from '@yulian/devices';
import type { Kysely, Selectable } from 'kysely';
import type { ChannelStore } from './channel-store.js';
import { alarmMessage, floodMessage } from './messages.js';
import type { OutgoingMessage } from './senders.js';

/** Limits of notifications within the window (10 minutes). */
export interface NotificationLimits {
  perDevice: number;
  perRule: number;
  perRecipient: number;
  windowMs: number;
}

/** The event kinds that notify anyone (every kind goes to the console live). */
const notifying = new Set(['raised', 'escalated']);

interface PlannedDelivery {
  channel: string;
  recipient: string;
  user: string;
  address: string | null;
}

/** Creates the dispatcher; `dispatch()` fans out every pending event and answers how many it handled. */
export function createDispatcher(o: { store: Store; channels: ChannelStore; limits: NotificationLimits; now: () => number; logger: Logger; onEvent: (tenantId: string | null, event: AlarmEvent) => void }) {
  const db = o.store.db;
  const log = o.logger;

  const count = async (q: Kysely<Database>, column: 'device_id' | 'rule_id', value: string, since: number): Promise<number> => {
    const r = await q.selectFrom('alarm_events').select((eb) => eb.fn.countAll<number>().as('n')).where(column, '=', value).where('outcome', '=', 'notified').where('dispatched_at', '>', since).executeTakeFirst();
    return Number(r?.n ?? 0);
  };

  /** Who should hear of this event: matching subscriptions, or for an escalation its named recipients. */
  const plan = async (event: AlarmEvent & { details: Record<string, unknown> }, tenantId: string | null, siteId: string | null): Promise<PlannedDelivery[]> => {
    const subs = await o.channels.active(tenantId);
    const escalatedTo = event.kind === 'escalated' ? new Set((event.details.recipients as string[] | undefined) ?? []) : undefined;
    const matches = (s: NotificationSubscription): boolean =>
      escalatedTo ? escalatedTo.has(s.user) : s.severities.includes(event.alarm.severity as never) && (s.sites.length === 0 || (siteId !== null && s.sites.includes(siteId)));
    const planned = new Map<string, PlannedDelivery>();
    for (const s of subs.filter(matches)) {
      // Group channels (webhook, robots) get one message per event, however many subscribed to them.
      const recipient = s.address ?? `channel:${s.channel}`;
      const key = `${s.channel}|${recipient}`;
      if (!planned.has(key)) planned.set(key, { channel: s.channel, recipient, user: s.user, address: s.address });
    }
    return [...planned.values()];
  };

  const insertDelivery = async (q: Kysely<Database>, d: { tenantId: string | null; event: string; p: PlannedDelivery; kind: string; status: string; message: OutgoingMessage; at: number }): Promise<void> => {
    await q
      .insertInto('notification_deliveries')
      .values({ id: randomUUID(), tenant_id: d.tenantId, event_id: d.event, channel_id: d.p.channel, recipient: d.p.recipient, username: d.p.user, address: d.p.address, kind: d.kind, status: d.status, attempts: 0, next_at: d.at, lease_until: null, last_error: null, message: JSON.stringify(d.message), created_at: d.at, sent_at: null })
      .onConflict((oc) => oc.columns(['event_id', 'channel_id', 'recipient']).doNothing())
      .execute();
  };

  const dispatchOne = async (row: Selectable<AlarmEventsTable>): Promise<void> => {
    const event = toAlarmEvent(row);
    const at = o.now();
    const since = at - o.limits.windowMs;
    const asset = await db.selectFrom('device_assets').select('site_id').where('device_id', '=', row.device_id).$if(row.tenant_id !== null, (s) => s.where('tenant_id', '=', row.tenant_id)).executeTakeFirst();
    const siteId = asset?.site_id ?? null;
    const site = siteId ? ((await db.selectFrom('asset_nodes').select('name').where('id', '=', siteId).executeTakeFirst())?.name ?? null) : null;
    const planned = row.quiet || !notifying.has(row.kind) ? [] : await plan(event, row.tenant_id, siteId);
    const done = await writeTransaction(o.store, `alarm-event:${row.id}`, async (q) => {
      const still = await q.selectFrom('alarm_events').select('dispatched_at').where('id', '=', row.id).executeTakeFirst();
      if (!still || still.dispatched_at !== null) return false;
      let outcome: string;
      if (row.quiet) outcome = `quiet:${row.quiet}`;
      else if (!notifying.has(row.kind)) outcome = 'live-only';
      else if ((await count(q, 'device_id', row.device_id, since)) >= o.limits.perDevice) outcome = 'rate-limited:device';
      else if ((await count(q, 'rule_id', row.rule_id, since)) >= o.limits.perRule) outcome = 'rate-limited:rule';
      else if (!planned.length) outcome = 'no-recipients';
      else outcome = 'notified';
      if (outcome === 'notified') {
        const message = alarmMessage(event, site);
        for (const p of planned) {
          const recent = await q.selectFrom('notification_deliveries').select((eb) => eb.fn.countAll<number>().as('n')).where('recipient', '=', p.recipient).where('kind', '=', 'alarm').where('status', '<>', 'flooded').where('created_at', '>', since).executeTakeFirst();
          if (Number(recent?.n ?? 0) < o.limits.perRecipient) {
            await insertDelivery(q, { tenantId: row.tenant_id, event: row.id, p, kind: 'alarm', status: 'pending', message, at });
            continue;
          }
          // Flooded: one summary per window, the rest kept (not sent) for the record.
          const summary = await q.selectFrom('notification_deliveries').select('id').where('recipient', '=', p.recipient).where('kind', '=', 'flood').where('created_at', '>', since).executeTakeFirst();
          if (!summary) await insertDelivery(q, { tenantId: row.tenant_id, event: `flood:${row.id}`, p, kind: 'flood', status: 'pending', message: floodMessage({ recipient: p.recipient, limit: o.limits.perRecipient, windowMinutes: Math.round(o.limits.windowMs / 60_000), at }), at });
          await insertDelivery(q, { tenantId: row.tenant_id, event: row.id, p, kind: 'alarm', status: 'flooded', message, at });
        }
      }
      await q.updateTable('alarm_events').set({ dispatched_at: at, outcome }).where('id', '=', row.id).execute();
      if (outcome.startsWith('rate-limited')) log.info({ event: row.id, device: row.device_id, rule: row.rule_id, outcome }, 'alarm notification rate-limited');
      return true;
    });
    if (done) o.onEvent(row.tenant_id, event);
  };

  return {
    /** Fans out the pending events, oldest first; answers how many it looked at. */
    async dispatch(): Promise<number> {
      const rows = await db.selectFrom('alarm_events').selectAll().where('dispatched_at', 'is', null).orderBy('at').orderBy('id').limit(200).execute();
      for (const row of rows) {
        try {
          await dispatchOne(row);
        } catch (err) {
          log.error({ err, event: row.id }, 'alarm event dispatch failed; retried on the next round');
        }
      }
      return rows.length;
    },
  };
}
