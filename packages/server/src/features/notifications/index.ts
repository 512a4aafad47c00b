import { deliveryStatuses, errorBodySchema, listOf, notificationChannelKinds, severities } from '@yulian/contracts';
import { YulianError, scopeOf } from '@yulian/core';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { callerOf } from '../../plugins/auth.js';
import type { FeatureDeps } from '../deps.js';
import { authErrors } from '../errors-schema.js';

const tags = ['notifications'];
const url = z.string().min(1).max(2000);
const secret = z.string().min(1).max(500);
const channelConfig = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('webhook'), url, secret: secret.optional().describe('signs each body: X-Yulian-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>') }).strict(),
  z
    .object({
      kind: z.literal('email'),
      host: z.string().min(1).max(255),
      port: z.number().int().min(1).max(65_535),
      secure: z.boolean().optional().describe('TLS from the start (port 465); otherwise STARTTLS when offered'),
      user: z.string().max(255).optional(),
      password: secret.optional(),
      from: z.string().min(3).max(255),
    })
    .strict(),
  z.object({ kind: z.literal('wecom'), url: url.describe('the group robot’s webhook URL (…/cgi-bin/webhook/send?key=…)') }).strict(),
  z.object({ kind: z.literal('dingtalk'), url: url.describe('the robot’s URL (…/robot/send?access_token=…)'), secret: secret.optional().describe('the robot’s signing secret (SEC…), when it signs') }).strict(),
]);
const channelInput = z.object({ name: z.string().min(1).max(200), config: channelConfig, enabled: z.boolean().optional() }).strict();
const channelSchema = z.object({ id: z.string(), tenantId: z.string().nullable(), name: z.string(), kind: z.enum(notificationChannelKinds), config: z.record(z.string(), z.unknown()), secretSet: z.boolean(), enabled: z.boolean(), createdBy: z.string().nullable(), createdAt: z.string(), updatedAt: z.string() });
const subscriptionInput = z
  .object({
    channel: z.string().min(1).max(64),
    severities: z.array(z.enum(severities)).max(4).optional().describe('default: every severity'),
    sites: z.array(z.string().min(1).max(64)).max(100).optional().describe('site ids; empty or absent: every site'),
    address: z.string().max(255).nullable().optional().describe('email channels: where to mail'),
    user: z.string().min(1).max(64).optional().describe('whose (channel managers may subscribe others); default the caller'),
    enabled: z.boolean().optional(),
  })
  .strict();
const subscriptionSchema = z.object({ id: z.string(), tenantId: z.string().nullable(), user: z.string(), channel: z.string(), severities: z.array(z.enum(severities)), sites: z.array(z.string()), address: z.string().nullable(), enabled: z.boolean(), createdAt: z.string() });
const deliverySchema = z.object({
  id: z.string(),
  tenantId: z.string().nullable(),
  event: z.string(),
  channel: z.string(),
  recipient: z.string(),
  user: z.string().nullable(),
  kind: z.string(),
  status: z.enum(deliveryStatuses),
  attempts: z.number(),
  nextAt: z.string(),
  lastError: z.string().nullable(),
  title: z.string(),
  text: z.string(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
});
const idParams = z.object({ id: z.string().min(1).max(64) });
const channelNotFound = { 404: errorBodySchema.describe('NOTIFICATION_CHANNEL_NOT_FOUND') } as const;
const channelInvalid = { 400: errorBodySchema.describe('NOTIFICATION_CHANNEL_INVALID: details.field') } as const;

/**
 * Notifications (`/api/v1/notifications/…`): an enterprise's channels (engineers and admins), each user's
 * own subscriptions, deliveries with their dead letters and re-drive, and a channel's test message.
 */
export const notificationRoutes: FastifyPluginAsyncZod<FeatureDeps> = async (app, deps) => {
  const service = deps.alarms.notifications;
  const channels = service.channels;
  const audit = async (request: FastifyRequest, action: string, target: string, details: Record<string, unknown> = {}): Promise<void> => {
    const caller = callerOf(request);
    await deps.identity.audit.append({ tenantId: caller.tenantId, actor: caller.username, ip: request.ip, action, target, outcome: 'success', details });
  };
  const managesChannels = (request: FastifyRequest): boolean => ['platform-admin', 'enterprise-admin', 'engineer'].includes(callerOf(request).role);

  app.get('/api/v1/notifications/channels', { config: { permission: 'device:read' }, schema: { tags, summary: 'The enterprise’s channels (secrets never shown)', response: { 200: listOf(channelSchema), ...authErrors } } }, async (request) => ({
    items: await channels.list(scopeOf(callerOf(request))),
  }));
  app.post(
    '/api/v1/notifications/channels',
    { config: { permission: 'notification:channels' }, schema: { tags, summary: 'Add a channel: webhook, email (SMTP), WeCom or DingTalk robot', body: channelInput, response: { 201: channelSchema, ...authErrors, ...channelInvalid } } },
    async (request, reply) => {
      const caller = callerOf(request);
      if (!caller.tenantId && caller.role !== 'platform-admin') throw new YulianError('FORBIDDEN', 'Notification channels belong to an enterprise.');
      const channel = await channels.create(caller.tenantId, request.body, caller.username);
      await audit(request, 'notification.channel.create', channel.id, { name: channel.name, kind: channel.kind });
      return reply.status(201).send(channel);
    },
  );
  app.put(
    '/api/v1/notifications/channels/:id',
    { config: { permission: 'notification:channels' }, schema: { tags, summary: 'Replace a channel (a secret left out stays as it was)', params: idParams, body: channelInput, response: { 200: channelSchema, ...authErrors, ...channelInvalid, ...channelNotFound } } },
    async (request) => {
      const channel = await channels.update(scopeOf(callerOf(request)), request.params.id, request.body);
      await audit(request, 'notification.channel.update', channel.id, { name: channel.name });
      return channel;
    },
  );
  app.delete(
    '/api/v1/notifications/channels/:id',
    { config: { permission: 'notification:channels' }, schema: { tags, summary: 'Remove a channel and its subscriptions', params: idParams, response: { 200: channelSchema, ...authErrors, ...channelNotFound } } },
    async (request) => {
      const channel = await channels.remove(scopeOf(callerOf(request)), request.params.id);
      await audit(request, 'notification.channel.delete', channel.id, { name: channel.name });
      return channel;
    },
  );
  app.post(
    '/api/v1/notifications/channels/:id/test',
    {
      config: { permission: 'notification:channels' },
      schema: {
        tags,
        summary: 'Send the channel’s test message now',
        params: idParams,
        body: z.object({ address: z.string().min(3).max(255).optional().describe('email channels: where to') }).strict(),
        response: { 200: z.object({ sent: z.literal(true) }), ...authErrors, ...channelNotFound, 502: errorBodySchema.describe('NOTIFICATION_SEND_FAILED: details.error') },
      },
    },
    async (request) => {
      const channel = await channels.get(scopeOf(callerOf(request)), request.params.id);
      await service.testSend(channel, request.body.address ?? null);
      return { sent: true as const };
    },
  );

  app.get(
    '/api/v1/notifications/subscriptions',
    { config: { permission: 'device:read' }, schema: { tags, summary: 'The caller’s subscriptions (everyone’s of the enterprise with all=true, for channel managers)', querystring: z.object({ all: z.enum(['true', 'false']).optional() }), response: { 200: listOf(subscriptionSchema), ...authErrors } } },
    async (request) => {
      const caller = callerOf(request);
      const everyone = request.query.all === 'true' && managesChannels(request);
      return { items: await channels.subscriptions(scopeOf(caller), everyone ? {} : { user: caller.username }) };
    },
  );
  app.post(
    '/api/v1/notifications/subscriptions',
    {
      config: { permission: 'device:read' },
      schema: { tags, summary: 'Subscribe to alarms of these severities and sites through a channel', body: subscriptionInput, response: { 201: subscriptionSchema, ...authErrors, ...channelInvalid, 404: errorBodySchema.describe('NOTIFICATION_CHANNEL_NOT_FOUND, or USER_NOT_FOUND for another user') } },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      const user = request.body.user ?? caller.username;
      if (user !== caller.username) {
        if (!managesChannels(request)) throw new YulianError('FORBIDDEN', 'Only channel managers subscribe someone else.');
        let q = deps.store.db.selectFrom('users').select('username').where('username', '=', user);
        if (caller.tenantId) q = q.where('tenant_id', '=', caller.tenantId);
        if (!(await q.executeTakeFirst())) throw new YulianError('USER_NOT_FOUND', `No user ${user} in this enterprise.`);
      }
      const sub = await channels.subscribe(caller.tenantId, user, request.body);
      await audit(request, 'notification.subscribe', sub.id, { user, channel: sub.channel });
      return reply.status(201).send(sub);
    },
  );
  app.delete(
    '/api/v1/notifications/subscriptions/:id',
    { config: { permission: 'device:read' }, schema: { tags, summary: 'Unsubscribe', params: idParams, response: { 200: subscriptionSchema, ...authErrors, 404: errorBodySchema.describe('NOTIFICATION_SUBSCRIPTION_NOT_FOUND') } } },
    async (request) => {
      const caller = callerOf(request);
      const sub = await channels.unsubscribe(scopeOf(caller), request.params.id, managesChannels(request) ? undefined : caller.username);
      await audit(request, 'notification.unsubscribe', sub.id, { user: sub.user });
      return sub;
    },
  );

  app.get(
    '/api/v1/notifications/deliveries',
    {
      config: { permission: 'notification:channels' },
      schema: { tags, summary: 'Deliveries, newest first; status=dead lists the dead letters', querystring: z.object({ status: z.enum(deliveryStatuses).optional(), event: z.string().max(128).optional(), limit: z.coerce.number().int().min(1).max(1000).optional() }), response: { 200: listOf(deliverySchema), ...authErrors } },
    },
    async (request) => {
      const q = request.query;
      return { items: await service.deliveries.list(scopeOf(callerOf(request)), { ...(q.status ? { status: q.status } : {}), ...(q.event ? { event: q.event } : {}), ...(q.limit ? { limit: q.limit } : {}) }) };
    },
  );
  app.post(
    '/api/v1/notifications/deliveries/:id/redrive',
    { config: { permission: 'notification:channels' }, schema: { tags, summary: 'Send a dead letter again (attempts start from zero)', params: idParams, response: { 200: deliverySchema, ...authErrors, 404: errorBodySchema.describe('NOTIFICATION_DELIVERY_NOT_FOUND') } } },
    async (request) => {
      const delivery = await service.deliveries.redrive(scopeOf(callerOf(request)), request.params.id);
      await audit(request, 'notification.redrive', delivery.id, { channel: delivery.channel });
      service.kick();
      return delivery;
    },
  );
};
