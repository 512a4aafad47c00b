/**
 * Notification channels and subscriptions of an enterprise (`notification_channels`,
 * `notification_subscriptions`), every read and write scoped. Channel settings are checked per kind when
 * written; secrets are kept but never shown again.
 */
import { randomUUID } from 'node:crypto';
import {
  type NotificationChannel,
  type NotificationChannelConfig,
  type NotificationChannelInput,
  type NotificationSubscription,
  type NotificationSubscriptionInput,
  type Severity,
  severities,
} from '@yulian/contracts';
import { type NotificationChannelsTable, type NotificationSubscriptionsTable, type Scope, type Store, YulianError } from '@yulian/core';
import type { Selectable } from 'kysely';

const iso = (ms: number): string => new Date(Number(ms)).toISOString();

/** The channel's settings as stored (with secrets). */
export const channelConfigOf = (r: Selectable<NotificationChannelsTable>): NotificationChannelConfig => ({ kind: r.kind, ...JSON.parse(r.config) }) as NotificationChannelConfig;

function toChannel(r: Selectable<NotificationChannelsTable>): NotificationChannel {
  const { secret, password, ...shown } = JSON.parse(r.config) as Record<string, unknown>;
  return {
    id: r.id,
    tenantId: r.tenant_id,
    name: r.name,
    kind: r.kind as NotificationChannel['kind'],
    config: shown,
    secretSet: Boolean(secret ?? password),
    enabled: Number(r.enabled) === 1,
    createdBy: r.created_by,
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  };
}

function toSubscription(r: Selectable<NotificationSubscriptionsTable>): NotificationSubscription {
  return {
    id: r.id,
    tenantId: r.tenant_id,
    user: r.username,
    channel: r.channel_id,
    severities: JSON.parse(r.severities) as Severity[],
    sites: JSON.parse(r.sites) as string[],
    address: r.address,
    enabled: Number(r.enabled) === 1,
    createdAt: iso(r.created_at),
  };
}

const invalid = (field: string, message: string): YulianError => new YulianError('NOTIFICATION_CHANNEL_INVALID', `${field}: ${message}`, { details: { field } });

function checkUrl(url: string, field: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalid(field, 'not a URL.');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw invalid(field, 'an http:// or https:// URL.');
}

/** Checks a channel's settings for its kind. @throws YulianError NOTIFICATION_CHANNEL_INVALID with details.field */
export function checkChannel(input: NotificationChannelInput): void {
  if (!input.name.trim() || input.name.length > 200) throw invalid('name', '1 to 200 characters.');
  const c = input.config;
  if (c.kind === 'email') {
    if (!c.host.trim()) throw invalid('config.host', 'the SMTP server’s host name.');
    if (!(Number.isInteger(c.port) && c.port > 0 && c.port < 65_536)) throw invalid('config.port', 'a port number 1–65535.');
    if (!/^[^@\s]+@[^@\s]+$/.test(c.from.replace(/^.*<|>$/g, ''))) throw invalid('config.from', 'a sender address such as alarms@plant.example.');
  } else {
    checkUrl(c.url, 'config.url');
  }
}

/** The channels and subscriptions of the enterprises. */
export interface ChannelStore {
  list(scope: Scope): Promise<NotificationChannel[]>;
  /** @throws NOTIFICATION_CHANNEL_NOT_FOUND */
  get(scope: Scope, id: string): Promise<NotificationChannel>;
  /** The settings with secrets (the sender's view). @throws NOTIFICATION_CHANNEL_NOT_FOUND */
  config(id: string): Promise<{ channel: NotificationChannel; config: NotificationChannelConfig }>;
  create(tenantId: string | null, input: NotificationChannelInput, actor: string): Promise<NotificationChannel>;
  /** Replaces; a secret left out keeps the stored one. */
  update(scope: Scope, id: string, input: NotificationChannelInput): Promise<NotificationChannel>;
  remove(scope: Scope, id: string): Promise<NotificationChannel>;
  subscriptions(scope: Scope, filter?: { user?: string }): Promise<NotificationSubscription[]>;
  /** @throws NOTIFICATION_CHANNEL_NOT_FOUND when the channel is not the enterprise's */
  subscribe(tenantId: string | null, user: string, input: NotificationSubscriptionInput): Promise<NotificationSubscription>;
  /** Removes a subscription (of `user` only, unless `user` is undefined). @throws NOTIFICATION_SUBSCRIPTION_NOT_FOUND */
  unsubscribe(scope: Scope, id: string, user?: string): Promise<NotificationSubscription>;
  /** Enabled subscriptions of an enterprise whose channel is enabled (the dispatcher's view). */
  active(tenantId: string | null): Promise<NotificationSubscription[]>;
}

/**
 * @example const channels = createChannelStore(store); await channels.create(tenantId, { name: '值班群', config: { kind: 'wecom', url } }, 'demo-admin')
 */
export function createChannelStore(store: Store, now: () => number = Date.now): ChannelStore {
  const db = store.db;
  const scoped = (scope: Scope) => {
    const q = db.selectFrom('notification_channels').selectAll();
    return scope.kind === 'tenant' ? q.where('tenant_id', '=', scope.tenantId) : q;
  };
  const row = async (scope: Scope, id: string): Promise<Selectable<NotificationChannelsTable>> => {
    const r = await scoped(scope).where('id', '=', id).executeTakeFirst();
    if (!r) throw new YulianError('NOTIFICATION_CHANNEL_NOT_FOUND', `No notification channel ${id}.`);
    return r;
  };
  const stored = (config: NotificationChannelConfig): string => {
    const { kind: _kind, ...rest } = config;
    return JSON.stringify(rest);
  };
  return {
    async list(scope) {
      return (await scoped(scope).orderBy('name').orderBy('id').execute()).map(toChannel);
    },
    get: async (scope, id) => toChannel(await row(scope, id)),
    async config(id) {
      const r = await row({ kind: 'all' }, id);
      return { channel: toChannel(r), config: channelConfigOf(r) };
    },
    async create(tenantId, input, actor) {
      checkChannel(input);
      const at = now();
      const id = randomUUID();
      await db
        .insertInto('notification_channels')
        .values({ id, tenant_id: tenantId, name: input.name.trim(), kind: input.config.kind, config: stored(input.config), enabled: input.enabled === false ? 0 : 1, created_by: actor, created_at: at, updated_at: at })
        .execute();
      return toChannel(await row({ kind: 'all' }, id));
    },
    async update(scope, id, input) {
      const before = await row(scope, id);
      checkChannel(input);
      const old = channelConfigOf(before) as Record<string, unknown>;
      const next = { ...input.config } as Record<string, unknown>;
      // Secrets are write-only: a form that never saw them sends none, and they stay.
      if (before.kind === input.config.kind) for (const k of ['secret', 'password']) if (next[k] === undefined && old[k] !== undefined) next[k] = old[k];
      await db
        .updateTable('notification_channels')
        .set({ name: input.name.trim(), kind: input.config.kind, config: stored(next as NotificationChannelConfig), enabled: input.enabled === false ? 0 : 1, updated_at: now() })
        .where('id', '=', id)
        .execute();
      return toChannel(await row(scope, id));
    },
    async remove(scope, id) {
      const r = await row(scope, id);
      await db.deleteFrom('notification_subscriptions').where('channel_id', '=', id).execute();
      await db.deleteFrom('notification_channels').where('id', '=', id).execute();
      return toChannel(r);
    },
    async subscriptions(scope, filter = {}) {
      let q = db.selectFrom('notification_subscriptions').selectAll();
      if (scope.kind === 'tenant') q = q.where('tenant_id', '=', scope.tenantId);
      if (filter.user !== undefined) q = q.where('username', '=', filter.user);
      return (await q.orderBy('created_at').orderBy('id').execute()).map(toSubscription);
    },
    async subscribe(tenantId, user, input) {
      const channel = await row(tenantId === null ? { kind: 'all' } : { kind: 'tenant', tenantId }, input.channel);
      const address = input.address?.trim() || null;
      if (channel.kind === 'email' && !(address && /^[^@\s]+@[^@\s]+$/.test(address))) throw invalid('address', 'an email channel needs the address to mail to.');
      const id = randomUUID();
      const chosen = input.severities?.length ? severities.filter((s) => input.severities!.includes(s)) : [...severities];
      await db
        .insertInto('notification_subscriptions')
        .values({ id, tenant_id: channel.tenant_id, username: user, channel_id: channel.id, severities: JSON.stringify(chosen), sites: JSON.stringify(input.sites ?? []), address, enabled: input.enabled === false ? 0 : 1, created_at: now() })
        .execute();
      return toSubscription(await db.selectFrom('notification_subscriptions').selectAll().where('id', '=', id).executeTakeFirstOrThrow());
    },
    async unsubscribe(scope, id, user) {
      let q = db.selectFrom('notification_subscriptions').selectAll().where('id', '=', id);
      if (scope.kind === 'tenant') q = q.where('tenant_id', '=', scope.tenantId);
      if (user !== undefined) q = q.where('username', '=', user);
      const r = await q.executeTakeFirst();
      if (!r) throw new YulianError('NOTIFICATION_SUBSCRIPTION_NOT_FOUND', `No subscription ${id}.`);
      await db.deleteFrom('notification_subscriptions').where('id', '=', id).execute();
      return toSubscription(r);
    },
    async active(tenantId) {
      const rows = await db
        .selectFrom('notification_subscriptions as s')
        .innerJoin('notification_channels as c', 'c.id', 's.channel_id')
        .selectAll('s')
        .where('s.enabled', '=', 1)
        .where('c.enabled', '=', 1)
        .where((eb) => (tenantId === null ? eb('s.tenant_id', 'is', null) : eb('s.tenant_id', '=', tenantId)))
        .execute();
      return rows.map(toSubscription);
    },
  };
}
