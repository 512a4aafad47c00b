/**
 * The outbox dispatcher: reads the alarm events not yet dispatched (oldest first), decides who is told
 * — nobody when the alarm is quiet (suppressed, shelved) or its device or rule is over its rate limit —
 * and writes one delivery per channel and recipient, in one transaction with the event's "dispatched"
 * mark. A dispatcher that stops half-way leaves the event undispatched and the next one (after a restart,
 * or in another process) does it again; the unique (event, channel, recipient) index keeps each delivery
 * single.
 *
 * Flood control (ISA-18.2: more than 10 alarms in 10 minutes for one operator is a flood): per device and
 * per rule (type) an alarm over the limit notifies nobody; per operator user, once `perUser` alarm
 * notifications reached the user's channels within the window, the next ones are held (kept as `flooded`
 * deliveries, listable) and the user gets one flood summary — the count and the top devices and rules —
 * through the channels that were held, once per window; normal notifications resume once the count in the
 * window falls to the limit. A group channel (webhook, robot) several users subscribed to is sent while any
 * of them is below the limit.
 */
import { randomUUID } from 'node:crypto';
import type { AlarmEvent, NotificationSubscription } from '@yulian/contracts';
import type { AlarmEventsTable, Database, Logger, Store } from '@yulian/core';
import { toAlarmEvent, writeTransaction } from '@yulian/devices';
import type { Kysely, Selectable } from 'kysely';
import type { ChannelStore } from './channel-store.js';
import { type Target, arrivalSummary, arrivals, targetKey, targetOf, targetsByUser } from './flood.js';
import { alarmMessage, floodMessage } from './messages.js';
import type { OutgoingMessage } from './senders.js';

/** Limits of notifications within the window (10 minutes). */
export interface NotificationLimits {
  /** Alarms of one device that notify. */
  perDevice: number;
  /** Alarms of one rule (alarm type) that notify. */
  perRule: number;
  /** Alarm notifications one operator user's channels get before a flood summary replaces the rest. */
  perUser: number;
  windowMs: number;
}

/** The event kinds that notify anyone (every kind goes to the console live). */
const notifying = new Set(['raised', 'escalated']);

interface PlannedDelivery extends Target {
  user: string;
}

/** Who hears of an event: each target once, with the users whose subscriptions chose it. */
interface Plan {
  targets: Map<string, { target: Target; users: string[] }>;
  /** Every target of each of those users (what counts towards their flood limit). */
  usersTargets: Map<string, Target[]>;
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
  const plan = async (event: AlarmEvent & { details: Record<string, unknown> }, tenantId: string | null, siteId: string | null): Promise<Plan> => {
    const subs = await o.channels.active(tenantId);
    const escalatedTo = event.kind === 'escalated' ? new Set((event.details.recipients as string[] | undefined) ?? []) : undefined;
    const matches = (s: NotificationSubscription): boolean =>
      escalatedTo ? escalatedTo.has(s.user) : s.severities.includes(event.alarm.severity as never) && (s.sites.length === 0 || (siteId !== null && s.sites.includes(siteId)));
    const targets = new Map<string, { target: Target; users: string[] }>();
    for (const s of subs.filter(matches)) {
      // Group channels (webhook, robots) get one message per event, however many subscribed to them.
      const t = targetOf(s);
      const entry = targets.get(targetKey(t)) ?? targets.set(targetKey(t), { target: t, users: [] }).get(targetKey(t))!;
      if (!entry.users.includes(s.user)) entry.users.push(s.user);
    }
    const all = targetsByUser(subs);
    const users = new Set([...targets.values()].flatMap((e) => e.users));
    return { targets, usersTargets: new Map([...users].map((u) => [u, all.get(u) ?? []])) };
  };

  const insertDelivery = async (q: Kysely<Database>, d: { tenantId: string | null; event: string; p: PlannedDelivery; kind: string; status: string; message: OutgoingMessage; at: number }): Promise<void> => {
    await q
      .insertInto('notification_deliveries')
      .values({ id: randomUUID(), tenant_id: d.tenantId, event_id: d.event, channel_id: d.p.channel, recipient: d.p.recipient, username: d.p.user, address: d.p.address, kind: d.kind, status: d.status, attempts: 0, next_at: d.at, lease_until: null, last_error: null, message: JSON.stringify(d.message), created_at: d.at, sent_at: null })
      .onConflict((oc) => oc.columns(['event_id', 'channel_id', 'recipient']).doNothing())
      .execute();
  };

  /**
   * Writes the event's deliveries: sent to users below their flood limit, held (and summarised once) for
   * the others. Answers whether anything is sent.
   */
  const notify = async (q: Kysely<Database>, d: { row: Selectable<AlarmEventsTable>; event: AlarmEvent; site: string | null; planned: Plan; at: number; since: number }): Promise<boolean> => {
    const { row, at, since } = d;
    const flooded = new Set<string>();
    for (const [user, targets] of d.planned.usersTargets) if ((await arrivals(q, targets, since)) >= o.limits.perUser) flooded.add(user);
    const message = alarmMessage(d.event, d.site);
    const held = new Map<string, PlannedDelivery[]>();
    let sent = false;
    for (const { target, users } of d.planned.targets.values()) {
      const open = users.find((u) => !flooded.has(u));
      const p: PlannedDelivery = { ...target, user: open ?? users[0]! };
      await insertDelivery(q, { tenantId: row.tenant_id, event: row.id, p, kind: 'alarm', status: open ? 'pending' : 'flooded', message, at });
      sent ||= open !== undefined;
      if (!open) for (const u of users) held.set(u, [...(held.get(u) ?? []), { ...target, user: u }]);
    }
    // One summary per user and window, through the channels held for them (a group channel once).
    for (const [user, targets] of held) {
      const had = await q.selectFrom('notification_deliveries').select('id').where('username', '=', user).where('tenant_id', row.tenant_id === null ? 'is' : '=', row.tenant_id).where('kind', '=', 'flood').where('created_at', '>', since).executeTakeFirst();
      if (had) continue;
      const fresh: PlannedDelivery[] = [];
      for (const p of targets) {
        const summary = await q.selectFrom('notification_deliveries').select('id').where('channel_id', '=', p.channel).where('recipient', '=', p.recipient).where('kind', '=', 'flood').where('created_at', '>', since).executeTakeFirst();
        if (!summary) fresh.push(p);
      }
      if (!fresh.length) continue;
      const summary = await arrivalSummary(q, d.planned.usersTargets.get(user) ?? [], since);
      const flood = floodMessage({ user, count: summary.count, limit: o.limits.perUser, windowMinutes: Math.round(o.limits.windowMs / 60_000), at, devices: summary.devices, rules: summary.rules });
      for (const p of fresh) await insertDelivery(q, { tenantId: row.tenant_id, event: `flood:${row.id}:${user}`, p, kind: 'flood', status: 'pending', message: flood, at });
      log.warn({ user, count: summary.count, tenant: row.tenant_id }, 'alarm flood: notifications held, summary sent');
    }
    return sent;
  };

  const dispatchOne = async (row: Selectable<AlarmEventsTable>): Promise<void> => {
    const event = toAlarmEvent(row);
    const at = o.now();
    const since = at - o.limits.windowMs;
    const asset = await db.selectFrom('device_assets').select('site_id').where('device_id', '=', row.device_id).$if(row.tenant_id !== null, (s) => s.where('tenant_id', '=', row.tenant_id)).executeTakeFirst();
    const siteId = asset?.site_id ?? null;
    const site = siteId ? ((await db.selectFrom('asset_nodes').select('name').where('id', '=', siteId).executeTakeFirst())?.name ?? null) : null;
    const planned: Plan = row.quiet || !notifying.has(row.kind) ? { targets: new Map(), usersTargets: new Map() } : await plan(event, row.tenant_id, siteId);
    const done = await writeTransaction(o.store, `alarm-event:${row.id}`, async (q) => {
      const still = await q.selectFrom('alarm_events').select('dispatched_at').where('id', '=', row.id).executeTakeFirst();
      if (!still || still.dispatched_at !== null) return false;
      let outcome: string;
      if (row.quiet) outcome = `quiet:${row.quiet}`;
      else if (!notifying.has(row.kind)) outcome = 'live-only';
      else if ((await count(q, 'device_id', row.device_id, since)) >= o.limits.perDevice) outcome = 'rate-limited:device';
      else if ((await count(q, 'rule_id', row.rule_id, since)) >= o.limits.perRule) outcome = 'rate-limited:rule';
      else if (!planned.targets.size) outcome = 'no-recipients';
      else outcome = 'notified';
      // Held for every recipient (an alarm flood): `flooded`, and it counts towards no device's or rule's limit.
      if (outcome === 'notified' && !(await notify(q, { row, event, site, planned, at, since }))) outcome = 'flooded';
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
