/**
 * Deliveries (`notification_deliveries`): the sender that works through the due ones — each on its own,
 * so one slow or failing endpoint never holds back the others — retrying with exponential back-off and
 * jitter until sent or dead-lettered; and the listing and re-driving of them.
 *
 * A delivery is claimed with a lease before it is sent, so two processes never send it at once; it is
 * marked sent right after the channel accepted it. (A crash between the two sends it once more after the
 * lease runs out: at-least-once, as every outbox that talks to a foreign endpoint is.)
 */
import type { DeliveryStatus, NotificationDelivery } from '@yulian/contracts';
import { type Logger, type NotificationDeliveriesTable, type Scope, type Store, YulianError } from '@yulian/core';
import type { Selectable } from 'kysely';
import type { ChannelStore } from './channel-store.js';
import { type OutgoingMessage, sendThrough, sendTimeoutMs } from './senders.js';

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(Number(ms)).toISOString());

function toDelivery(r: Selectable<NotificationDeliveriesTable>): NotificationDelivery {
  const m = JSON.parse(r.message) as OutgoingMessage;
  return {
    id: r.id,
    tenantId: r.tenant_id,
    event: r.event_id,
    channel: r.channel_id,
    recipient: r.recipient,
    user: r.username,
    kind: r.kind,
    status: r.status as DeliveryStatus,
    attempts: Number(r.attempts),
    nextAt: iso(r.next_at)!,
    lastError: r.last_error,
    title: m.title,
    text: m.text,
    createdAt: iso(r.created_at)!,
    sentAt: iso(r.sent_at),
  };
}

/** Retry policy of the sender. */
export interface RetryPolicy {
  baseMs: number;
  maxAttempts: number;
  /** Longest wait between two attempts. Default 1 h. */
  capMs?: number;
}

/**
 * The wait before attempt `attempts + 1`: base·2^(attempts−1), capped, of which a random half is kept
 * ("equal jitter"), so endpoints that failed together do not all retry in the same instant.
 */
export function backoffMs(policy: RetryPolicy, attempts: number, random: () => number): number {
  const full = Math.min(policy.capMs ?? 3_600_000, policy.baseMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(full / 2 + (random() * full) / 2);
}

/** Creates the sender and the listing of deliveries. */
export function createDeliveries(o: {
  store: Store;
  channels: ChannelStore;
  policy: RetryPolicy;
  now: () => number;
  random: () => number;
  logger: Logger;
  /** Sends open at once in all (default 50). */
  maxInFlight?: number;
  /** Sends open at once to one channel (default 8): an endpoint that hangs holds these, never the others' share. */
  maxPerChannel?: number;
}) {
  const db = o.store.db;
  const log = o.logger;
  const inFlight = new Map<string, { channel: string; work: Promise<void> }>();
  const maxInFlight = o.maxInFlight ?? 50;
  const maxPerChannel = o.maxPerChannel ?? 8;
  const leaseMs = sendTimeoutMs * 3;

  const attempt = async (r: Selectable<NotificationDeliveriesTable>): Promise<void> => {
    const attempts = Number(r.attempts) + 1;
    let error: string | null = null;
    let permanent = false;
    try {
      const { channel, config } = await o.channels.config(r.channel_id).catch(() => {
        permanent = true;
        throw new Error('the channel was removed');
      });
      if (!channel.enabled) {
        permanent = true;
        throw new Error('the channel is disabled');
      }
      await sendThrough(config, JSON.parse(r.message) as OutgoingMessage, r.address, o.now());
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
    }
    const at = o.now();
    if (error === null) {
      await db.updateTable('notification_deliveries').set({ status: 'sent', attempts, sent_at: at, lease_until: null, last_error: null }).where('id', '=', r.id).execute();
      log.info({ delivery: r.id, channel: r.channel_id, kind: r.kind, attempts }, 'notification sent');
      return;
    }
    const dead = permanent || attempts >= o.policy.maxAttempts;
    await db
      .updateTable('notification_deliveries')
      .set({ status: dead ? 'dead' : 'pending', attempts, next_at: dead ? at : at + backoffMs(o.policy, attempts, o.random), lease_until: null, last_error: error.slice(0, 1000) })
      .where('id', '=', r.id)
      .execute();
    log.warn({ delivery: r.id, channel: r.channel_id, attempts, error, dead }, dead ? 'notification dead-lettered' : 'notification failed; retrying');
  };

  return {
    /** Starts sending the due deliveries (not waiting for them); answers how many it started. */
    async pump(): Promise<number> {
      const at = o.now();
      const open = new Map<string, number>();
      for (const f of inFlight.values()) open.set(f.channel, (open.get(f.channel) ?? 0) + 1);
      // Channels at their share are left out of the query, so their backlog cannot fill the batch either.
      const full = [...open].filter(([, n]) => n >= maxPerChannel).map(([channel]) => channel);
      let query = db
        .selectFrom('notification_deliveries')
        .selectAll()
        .where('status', '=', 'pending')
        .where('next_at', '<=', at)
        .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', at)]));
      if (full.length > 0) query = query.where('channel_id', 'not in', full);
      const due = await query.orderBy('next_at').limit(maxInFlight).execute();
      let started = 0;
      for (const r of due) {
        if (inFlight.size >= maxInFlight) break;
        if (inFlight.has(r.id) || (open.get(r.channel_id) ?? 0) >= maxPerChannel) continue;
        // The lease: whoever sets it first sends; a process that lost the race leaves it.
        const claimed = await db
          .updateTable('notification_deliveries')
          .set({ lease_until: at + leaseMs })
          .where('id', '=', r.id)
          .where('status', '=', 'pending')
          .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', at)]))
          .executeTakeFirst();
        if (Number(claimed.numUpdatedRows) !== 1) continue;
        started++;
        open.set(r.channel_id, (open.get(r.channel_id) ?? 0) + 1);
        const work = attempt(r)
          .catch((err: unknown) => log.error({ err, delivery: r.id }, 'notification delivery bookkeeping failed'))
          .finally(() => inFlight.delete(r.id));
        inFlight.set(r.id, { channel: r.channel_id, work });
      }
      return started;
    },
    /** Waits for the sends started so far. */
    async settle(): Promise<void> {
      while (inFlight.size) await Promise.all([...inFlight.values()].map((f) => f.work));
    },
    inFlight: () => inFlight.size,
    /** Newest first. */
    async list(scope: Scope, filter: { status?: DeliveryStatus; event?: string; limit?: number } = {}): Promise<NotificationDelivery[]> {
      let q = db.selectFrom('notification_deliveries').selectAll();
      if (scope.kind === 'tenant') q = q.where('tenant_id', '=', scope.tenantId);
      if (filter.status) q = q.where('status', '=', filter.status);
      if (filter.event) q = q.where('event_id', '=', filter.event);
      return (await q.orderBy('created_at', 'desc').orderBy('id').limit(filter.limit ?? 200).execute()).map(toDelivery);
    },
    /** Sends a dead letter again (attempts from zero). @throws NOTIFICATION_DELIVERY_NOT_FOUND (or not dead) */
    async redrive(scope: Scope, id: string): Promise<NotificationDelivery> {
      let q = db.updateTable('notification_deliveries').set({ status: 'pending', attempts: 0, next_at: o.now(), lease_until: null }).where('id', '=', id).where('status', '=', 'dead');
      if (scope.kind === 'tenant') q = q.where('tenant_id', '=', scope.tenantId);
      const r = await q.returningAll().executeTakeFirst();
      if (!r) throw new YulianError('NOTIFICATION_DELIVERY_NOT_FOUND', `No dead letter ${id}.`);
      return toDelivery(r);
    },
  };
}

/** The sender and listing of deliveries. */
export type Deliveries = ReturnType<typeof createDeliveries>;
