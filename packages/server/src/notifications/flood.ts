/**
 * Alarm floods (ISA-18.2: more than 10 alarms in 10 minutes for one operator). Who is flooded is decided
 * per operator user, over what reached that user's channels (the mail address of an email subscription,
 * the channel itself for webhooks and robots) within the window — a user with several subscriptions is
 * one operator, and a group robot several users read counts for each of them. The same sliding-window
 * count answers the console's question "are we in a flood, since when" for an enterprise.
 */
import type { AlarmFlood, NotificationSubscription } from '@yulian/contracts';
import type { Database, Scope, Store } from '@yulian/core';
import type { ExpressionBuilder, Kysely } from 'kysely';
import type { ChannelStore } from './channel-store.js';

/** Where a message goes: a channel and, for email, the address (group channels: the channel itself). */
export interface Target {
  channel: string;
  recipient: string;
  address: string | null;
}

/** The target a subscription sends to. */
export const targetOf = (s: NotificationSubscription): Target => ({ channel: s.channel, recipient: s.address ?? `channel:${s.channel}`, address: s.address });

/** A target's key (the unique delivery index's channel and recipient). */
export const targetKey = (t: Target): string => `${t.channel}|${t.recipient}`;

/** Every target of each user, from the enterprise's active subscriptions. */
export function targetsByUser(subs: readonly NotificationSubscription[]): Map<string, Target[]> {
  const out = new Map<string, Map<string, Target>>();
  for (const s of subs) {
    const t = targetOf(s);
    const mine = out.get(s.user) ?? out.set(s.user, new Map()).get(s.user)!;
    mine.set(targetKey(t), t);
  }
  return new Map([...out].map(([user, m]) => [user, [...m.values()]]));
}

/** Deliveries on any of the targets. */
const onTargets = (targets: readonly Target[]) => (eb: ExpressionBuilder<Database, 'notification_deliveries'>) =>
  eb.or(targets.map((t) => eb.and([eb('notification_deliveries.channel_id', '=', t.channel), eb('notification_deliveries.recipient', '=', t.recipient)])));

/** How many alarm notifications (sent or held) reached the targets after `since`: one per alarm event. */
export async function arrivals(q: Kysely<Database>, targets: readonly Target[], since: number): Promise<number> {
  if (!targets.length) return 0;
  const r = await q
    .selectFrom('notification_deliveries')
    .select((eb) => eb.fn.count<number>('notification_deliveries.event_id').distinct().as('n'))
    .where('kind', '=', 'alarm')
    .where('created_at', '>', since)
    .where(onTargets(targets))
    .executeTakeFirst();
  return Number(r?.n ?? 0);
}

/** A device or rule and how many alarms of it. */
export interface FloodTop {
  devices: Array<{ device: string; count: number }>;
  rules: Array<{ rule: string; ruleName: string; count: number }>;
}

/** The most frequent devices and rules of events (each counted once), five of each, most first. */
function topOf(events: ReadonlyArray<{ id: string; device: string; rule: string; ruleName: string }>, n = 5): FloodTop {
  const seen = new Set<string>();
  const devices = new Map<string, number>();
  const rules = new Map<string, { ruleName: string; count: number }>();
  for (const e of events) {
    if (seen.has(e.id)) continue;
    seen.add(e.id);
    devices.set(e.device, (devices.get(e.device) ?? 0) + 1);
    const r = rules.get(e.rule) ?? rules.set(e.rule, { ruleName: e.ruleName, count: 0 }).get(e.rule)!;
    r.count++;
  }
  const byCount = <T extends { count: number }>(a: T & { key: string }, b: T & { key: string }): number => b.count - a.count || a.key.localeCompare(b.key);
  return {
    devices: [...devices].map(([device, count]) => ({ key: device, device, count })).sort(byCount).slice(0, n).map(({ device, count }) => ({ device, count })),
    rules: [...rules].map(([rule, r]) => ({ key: rule, rule, ...r })).sort(byCount).slice(0, n).map(({ rule, ruleName, count }) => ({ rule, ruleName, count })),
  };
}

/** The alarm events that reached the targets after `since` (count and top devices and rules), for a flood summary. */
export async function arrivalSummary(q: Kysely<Database>, targets: readonly Target[], since: number): Promise<{ count: number } & FloodTop> {
  if (!targets.length) return { count: 0, devices: [], rules: [] };
  const rows = await q
    .selectFrom('notification_deliveries')
    .innerJoin('alarm_events as e', 'e.id', 'notification_deliveries.event_id')
    .innerJoin('alarms as a', 'a.id', 'e.alarm_id')
    .select(['e.id as id', 'e.device_id as device', 'e.rule_id as rule', 'a.rule_name as ruleName'])
    .where('notification_deliveries.kind', '=', 'alarm')
    .where('notification_deliveries.created_at', '>', since)
    .where(onTargets(targets))
    .execute();
  return { count: new Set(rows.map((r) => r.id)).size, ...topOf(rows) };
}

/** Whether a count is a flood now, and since when. */
export interface FloodWindow {
  inFlood: boolean;
  /** Alarms within the window ending now. */
  count: number;
  /** When the count last rose above the limit (null: not in flood). */
  since: number | null;
}

/**
 * Sweeps alarm times (any order) with a sliding window: a flood is while more than `limit` fall within
 * the `windowMs` before; answers whether `now` is in one and since when. Times before the ones given are
 * unknown, so a flood older than them shows as starting at the oldest.
 * @example floodWindow([…11 times in 3 minutes], { windowMs: 600_000, limit: 10, now }) // { inFlood: true, count: 11, since: <the 11th> }
 */
export function floodWindow(times: readonly number[], o: { windowMs: number; limit: number; now: number }): FloodWindow {
  // +1 when an alarm enters the window, −1 when it leaves: an alarm at t counts from t until just before
  // t + window (the dispatcher's `created_at > now − window`).
  const changes: Array<[number, number]> = [];
  for (const t of times) {
    if (t > o.now) continue;
    changes.push([t, 1]);
    if (t + o.windowMs <= o.now) changes.push([t + o.windowMs, -1]);
  }
  changes.sort((a, b) => a[0] - b[0]);
  let count = 0;
  let since: number | null = null;
  for (let i = 0; i < changes.length; ) {
    const at = changes[i]![0];
    for (; i < changes.length && changes[i]![0] === at; i++) count += changes[i]![1];
    if (count > o.limit) since ??= at;
    else since = null;
  }
  return { inFlood: count > o.limit, count, since: count > o.limit ? since : null };
}

/** The flood state the console shows: its scope's, and the caller's own notifications' (the contract's shape). */
export type FloodState = AlarmFlood;

/** How far back a flood's start is looked for. */
const lookbackMs = 24 * 3_600_000;
/** At most this many alarm times are swept (the newest). */
const maxTimes = 20_000;

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/**
 * The flood state of a scope and a user.
 * @example const flood = createFloodView({ store, channels, limit: 10, windowMs: 600_000, now: Date.now }); await flood.state(scope, 'demo-operator', tenantId)
 */
export function createFloodView(o: { store: Store; channels: ChannelStore; limit: number; windowMs: number; now: () => number }) {
  const db = o.store.db;
  return {
    async state(scope: Scope, username: string, tenantId: string | null): Promise<FloodState> {
      const now = o.now();
      const since = now - o.windowMs;
      let q = db
        .selectFrom('alarm_events as e')
        .innerJoin('alarms as a', 'a.id', 'e.alarm_id')
        .select(['e.id as id', 'e.at as at', 'e.device_id as device', 'e.rule_id as rule', 'a.rule_name as ruleName'])
        .where('e.kind', 'in', ['raised', 'escalated'])
        .where('e.quiet', 'is', null)
        .where('e.at', '>', now - lookbackMs)
        .where('e.at', '<=', now);
      if (scope.kind === 'tenant') q = q.where('e.tenant_id', '=', scope.tenantId);
      const events = await q.orderBy('e.at', 'desc').limit(maxTimes).execute();
      const scopeWindow = floodWindow(
        events.map((e) => Number(e.at)),
        { windowMs: o.windowMs, limit: o.limit, now },
      );
      const top = topOf(events.filter((e) => Number(e.at) > since));

      const targets = targetsByUser(await o.channels.active(tenantId)).get(username) ?? [];
      let times: number[] = [];
      let held = 0;
      let summaryAt: number | null = null;
      if (targets.length) {
        const rows = await db
          .selectFrom('notification_deliveries')
          .select(['event_id', 'kind', 'status', 'created_at'])
          .where('kind', 'in', ['alarm', 'flood'])
          .where('created_at', '>', now - lookbackMs)
          .where(onTargets(targets))
          .orderBy('created_at', 'desc')
          .limit(maxTimes)
          .execute();
        const first = new Map<string, number>();
        for (const r of rows) {
          const at = Number(r.created_at);
          if (r.kind === 'flood') {
            if (at > since) summaryAt = Math.max(summaryAt ?? 0, at);
            continue;
          }
          if (r.status === 'flooded' && at > since) held++;
          first.set(r.event_id, Math.min(first.get(r.event_id) ?? at, at));
        }
        times = [...first.values()];
      }
      const userWindow = floodWindow(times, { windowMs: o.windowMs, limit: o.limit, now });
      return {
        limit: o.limit,
        windowMinutes: Math.round(o.windowMs / 60_000),
        inFlood: scopeWindow.inFlood,
        count: scopeWindow.count,
        since: iso(scopeWindow.since),
        top,
        user: { username, inFlood: userWindow.inFlood, count: userWindow.count, since: iso(userWindow.since), held, summaryAt: iso(summaryAt) },
      };
    },
  };
}
