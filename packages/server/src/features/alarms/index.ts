import { anomalyDetectorKinds, compileRule, tryRule } from '@yulian/analytics';
import { errorBodySchema, listOf } from '@yulian/contracts';
import { YulianError, scopeOf, type Scope, isYulianError } from '@yulian/core';
import { checkAlarmRule, createAlarmRuleStore, ruleSpecOf } from '@yulian/devices';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { callerOf } from '../../plugins/auth.js';
import type { FeatureDeps } from '../deps.js';
import { authErrors } from '../errors-schema.js';

const tags = ['alarms'];
const severity = z.enum(['critical', 'major', 'minor', 'warning']);
const comparison = z.enum(['>', '>=', '<', '<=']);
const point = z.string().min(1).max(64);
const condition = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('threshold'), point, op: comparison, value: z.number(), deadband: z.number().min(0).optional() }).strict(),
  z.object({ kind: z.literal('range'), point, min: z.number(), max: z.number(), inside: z.boolean().optional(), deadband: z.number().min(0).optional() }).strict(),
  z.object({ kind: z.literal('rate'), point, op: comparison, value: z.number(), perSeconds: z.number().positive().optional() }).strict(),
  z.object({ kind: z.literal('noData'), point: point.optional(), seconds: z.number().positive() }).strict(),
  z.object({ kind: z.literal('expression'), expression: z.string().min(1).max(2000).describe('e.g. spindle_temp > 80 and spindle_load > 90') }).strict(),
  z
    .object({
      kind: z.literal('anomaly'),
      point,
      sensitivity: z.number().min(0).max(1).optional().describe('0 only gross anomalies … 1 the smallest deviations; default 0.5'),
      detector: z.enum(anomalyDetectorKinds).optional().describe('default ewma-cusum (chosen by NAB score)'),
      clearAfterSeconds: z.number().positive().optional().describe('clears after this long without an anomalous value; default 300'),
    })
    .strict(),
]);
const escalation = z
  .object({
    afterMinutes: z.number().positive().max(10_080).describe('minutes unacknowledged before it escalates (once)'),
    roles: z.array(z.string().min(1).max(64)).max(20).optional().describe('every user of the enterprise with one of these roles'),
    users: z.array(z.string().min(1).max(64)).max(100).optional().describe('these users'),
  })
  .strict();
const ruleInput = z
  .object({
    name: z.string().min(1).max(200),
    severity,
    condition,
    forSeconds: z.number().int().min(0).max(604_800).optional().describe('seconds the condition must hold before the alarm is raised'),
    device: z.string().min(1).max(128).nullable().optional().describe('the device it watches; absent or null (and no profile): every device of the enterprise'),
    profile: z.string().min(1).max(64).nullable().optional().describe('a device profile id: the rule watches every device of that profile (not together with device)'),
    enabled: z.boolean().optional(),
    escalation: escalation.nullable().optional().describe('escalate once when unacknowledged this long: an event and a notification to these recipients'),
  })
  .strict();
const ruleSchema = ruleInput.extend({ id: z.string(), tenantId: z.string().nullable(), forSeconds: z.number(), device: z.string().nullable(), profile: z.string().nullable(), enabled: z.boolean(), escalation: escalation.nullable(), createdBy: z.string().nullable(), createdAt: z.string(), updatedAt: z.string() });
const alarmSchema = z.object({
  id: z.string(),
  tenantId: z.string().nullable(),
  device: z.string(),
  rule: z.string(),
  ruleName: z.string(),
  severity: z.string(),
  state: z.enum(['active_unack', 'active_ack', 'cleared_unack', 'cleared_ack']),
  active: z.boolean(),
  raisedAt: z.string(),
  lastAt: z.string(),
  clearedAt: z.string().nullable(),
  ackedAt: z.string().nullable(),
  ackedBy: z.string().nullable(),
  assignee: z.string().nullable(),
  occurrences: z.number(),
  value: z.union([z.number(), z.boolean(), z.string(), z.null()]),
  reason: z.string(),
  shelvedUntil: z.string().nullable(),
  shelvedBy: z.string().nullable(),
  shelveReason: z.string().nullable(),
  suppressed: z.boolean().describe('raised while the device was under maintenance: recorded, notifies nobody'),
  escalatedAt: z.string().nullable(),
});
const eventSchema = z.object({ id: z.string(), kind: z.string(), at: z.string(), actor: z.string().nullable(), quiet: z.enum(['suppressed', 'shelved']).nullable(), alarm: alarmSchema });
const floodSchema = z.object({
  limit: z.number().int().describe('alarms in the window above which it is a flood (config notifications.perRecipient)'),
  windowMinutes: z.number().int(),
  inFlood: z.boolean().describe('more than `limit` alarms (raised or escalated, not suppressed or shelved) of the scope within the window ending now'),
  count: z.number().int().describe('those alarms within the window'),
  since: z.string().nullable().describe('when the count last rose above the limit (looked for 24 h back); null when not in flood'),
  top: z.object({
    devices: z.array(z.object({ device: z.string(), count: z.number().int() })).describe('the five devices with most alarms in the window'),
    rules: z.array(z.object({ rule: z.string(), ruleName: z.string(), count: z.number().int() })).describe('the five rules with most alarms in the window'),
  }),
  user: z
    .object({
      username: z.string(),
      inFlood: z.boolean().describe('the caller’s channels got more than `limit` alarm notifications within the window: the rest are held'),
      count: z.number().int(),
      since: z.string().nullable(),
      held: z.number().int().describe('alarm notifications held (not sent) for the caller within the window'),
      summaryAt: z.string().nullable().describe('when the caller’s flood summary went out within the window'),
    })
    .describe('the caller’s own notifications (their subscriptions together)'),
});
/** The longest an alarm may be shelved (ISA-18.2: shelving is always bounded). */
const maxShelveMinutes = 7 * 24 * 60;
const commentSchema = z.object({ id: z.string(), alarmId: z.string(), ts: z.string(), author: z.string().nullable(), text: z.string() });
const idParams = z.object({ id: z.string().min(1).max(64) });
const invalid = { 400: errorBodySchema.describe('ALARM_RULE_INVALID: details.field, and details.position in an expression') } as const;

/**
 * Alarm rules (`/api/v1/alarm-rules`, engineers and admins) and alarms (`/api/v1/alarms`: anyone who sees
 * devices lists them; operators and up acknowledge, comment and assign). A rule change takes effect at
 * once in this process and within 5 s in others.
 */
export const alarmRoutes: FastifyPluginAsyncZod<FeatureDeps> = async (app, deps) => {
  const rules = createAlarmRuleStore(deps.store);
  const alarms = deps.alarms.alarms;
  const audit = async (request: FastifyRequest, action: string, target: string, details: Record<string, unknown> = {}): Promise<void> => {
    const caller = callerOf(request);
    await deps.identity.audit.append({ tenantId: caller.tenantId, actor: caller.username, ip: request.ip, action, target, outcome: 'success', details });
  };

  /** A rule's profile must be one the caller's enterprise has. */
  const checkProfile = async (scope: Scope, profile: string | null | undefined): Promise<void> => {
    if (!profile) return;
    try {
      await deps.assets.profiles.get(scope, profile);
    } catch (e) {
      if (isYulianError(e) && e.code === 'PROFILE_NOT_FOUND') throw new YulianError('ALARM_RULE_INVALID', `profile: no device profile ${profile}.`, { details: { field: 'profile' } });
      throw e;
    }
  };

  app.get('/api/v1/alarm-rules', { config: { permission: 'device:read' }, schema: { tags, summary: 'Alarm rules of the caller’s enterprise (all for platform admins)', response: { 200: listOf(ruleSchema), ...authErrors } } }, async (request) => ({
    items: await rules.list(scopeOf(callerOf(request))),
  }));
  app.post(
    '/api/v1/alarm-rules',
    { config: { permission: 'alarm:rules' }, schema: { tags, summary: 'Create an alarm rule (checked as the engine will run it)', body: ruleInput, response: { 201: ruleSchema, ...authErrors, ...invalid } } },
    async (request, reply) => {
      const caller = callerOf(request);
      if (!caller.tenantId && caller.role !== 'platform-admin') throw new YulianError('FORBIDDEN', 'Alarm rules belong to an enterprise.');
      await checkProfile(scopeOf(caller), request.body.profile);
      const rule = await rules.create(caller.tenantId, request.body, caller.username);
      await deps.alarms.reload();
      await audit(request, 'alarm.rule.create', rule.id, { name: rule.name });
      return reply.status(201).send(rule);
    },
  );
  app.put(
    '/api/v1/alarm-rules/:id',
    { config: { permission: 'alarm:rules' }, schema: { tags, summary: 'Replace an alarm rule', params: idParams, body: ruleInput, response: { 200: ruleSchema, ...authErrors, ...invalid, 404: errorBodySchema.describe('ALARM_RULE_NOT_FOUND') } } },
    async (request) => {
      await checkProfile(scopeOf(callerOf(request)), request.body.profile);
      const rule = await rules.update(scopeOf(callerOf(request)), request.params.id, request.body);
      await deps.alarms.reload();
      await audit(request, 'alarm.rule.update', rule.id, { name: rule.name });
      return rule;
    },
  );
  app.delete(
    '/api/v1/alarm-rules/:id',
    { config: { permission: 'alarm:rules' }, schema: { tags, summary: 'Delete an alarm rule (its alarms stay, as history)', params: idParams, response: { 200: ruleSchema, ...authErrors, 404: errorBodySchema.describe('ALARM_RULE_NOT_FOUND') } } },
    async (request) => {
      const rule = await rules.remove(scopeOf(callerOf(request)), request.params.id);
      await deps.alarms.reload();
      await audit(request, 'alarm.rule.delete', rule.id, { name: rule.name });
      return rule;
    },
  );

  app.post(
    '/api/v1/alarm-rules/try',
    {
      config: { permission: 'alarm:rules' },
      schema: {
        tags,
        summary: 'Try a rule against a device’s stored history before saving it: how often it would have fired',
        description:
          'Replays the device’s history of the rule’s points (default: the last 7 days) through the rule engine, with clock ticks between samples. Up to 10,000 points per series: raw samples when they fit, else averaged buckets (then `intervalMs` says their width, and conditions shorter than a bucket are approximated).',
        body: z.object({ rule: ruleInput, device: z.string().min(1).max(128), from: z.number().int().optional(), to: z.number().int().optional() }).strict(),
        response: {
          200: z.object({
            raises: z.number().int(),
            activeAtEnd: z.boolean(),
            from: z.string(),
            to: z.string(),
            samples: z.number().int(),
            intervalMs: z.number().nullable(),
            transitions: z.array(z.object({ type: z.enum(['raise', 'clear']), at: z.string(), reason: z.string() })).describe('the first 100'),
          }),
          ...authErrors,
          ...invalid,
        },
      },
    },
    async (request) => {
      const scope = scopeOf(callerOf(request));
      const { rule, device } = request.body;
      checkAlarmRule(rule);
      const spec = ruleSpecOf({ id: 'try', name: rule.name, severity: rule.severity, condition: rule.condition, forSeconds: rule.forSeconds ?? 0 });
      const to = request.body.to ?? Date.now();
      const from = request.body.from ?? to - 7 * 86_400_000;
      const needed = compileRule(spec).points;
      const points = needed.length ? [...needed] : await deps.telemetry.points(scope, device);
      const series = points.length ? await deps.telemetry.query(scope, { device, points, from, to, maxPoints: 10_000 }) : [];
      // One history sample per timestamp, with every point that has a value then.
      const byTs = new Map<number, Record<string, number | boolean>>();
      for (const s of series) for (const p of s.points) if (typeof p.value === 'number') (byTs.get(p.ts) ?? byTs.set(p.ts, {}).get(p.ts)!)[s.point] = p.value;
      const history = [...byTs.entries()].sort((a, b) => a[0] - b[0]).map(([at, values]) => ({ at, values }));
      const intervalMs = series.find((s) => s.intervalMs !== null)?.intervalMs ?? null;
      const result = tryRule(spec, history, { tickMs: Math.max(1_000, intervalMs ?? 1_000) });
      return {
        raises: result.raises,
        activeAtEnd: result.activeAtEnd,
        from: new Date(from).toISOString(),
        to: new Date(to).toISOString(),
        samples: history.length,
        intervalMs,
        transitions: result.transitions.slice(0, 100).map((t) => ({ type: t.type, at: new Date(t.at).toISOString(), reason: t.reason })),
      };
    },
  );

  app.get(
    '/api/v1/alarms',
    {
      config: { permission: 'device:read' },
      schema: {
        tags,
        summary: 'Alarms, newest first (shelved ones only with shelved=true or shelved=all)',
        querystring: z.object({ device: z.string().max(128).optional(), active: z.enum(['true', 'false']).optional(), shelved: z.enum(['false', 'true', 'all']).optional().describe('default false: shelved alarms are hidden'), limit: z.coerce.number().int().min(1).max(1000).optional() }),
        response: { 200: listOf(alarmSchema), ...authErrors },
      },
    },
    async (request) => {
      const q = request.query;
      const shelved = q.shelved === 'all' ? {} : { shelved: q.shelved === 'true' };
      return { items: await alarms.list(scopeOf(callerOf(request)), { ...(q.device ? { device: q.device } : {}), ...(q.active ? { active: q.active === 'true' } : {}), ...shelved, ...(q.limit ? { limit: q.limit } : {}) }) };
    },
  );
  app.get(
    '/api/v1/alarms/flood',
    {
      config: { permission: 'device:read' },
      schema: {
        tags,
        summary: 'Whether the caller’s enterprise (all, for platform admins) is in an alarm flood (ISA-18.2: more than the limit of alarms in 10 minutes), and the caller’s own notifications',
        response: { 200: floodSchema, ...authErrors },
      },
    },
    async (request) => {
      const caller = callerOf(request);
      return deps.alarms.notifications.flood({ scope: scopeOf(caller), username: caller.username, tenantId: caller.tenantId });
    },
  );
  app.get('/api/v1/alarms/:id', { config: { permission: 'device:read' }, schema: { tags, summary: 'One alarm', params: idParams, response: { 200: alarmSchema, ...authErrors, 404: errorBodySchema.describe('ALARM_NOT_FOUND') } } }, async (request) =>
    alarms.get(scopeOf(callerOf(request)), request.params.id),
  );
  app.post(
    '/api/v1/alarms/:id/ack',
    { config: { permission: 'alarm:ack' }, schema: { tags, summary: 'Acknowledge an alarm (idempotent)', params: idParams, response: { 200: alarmSchema, ...authErrors, 404: errorBodySchema.describe('ALARM_NOT_FOUND') } } },
    async (request) => {
      const caller = callerOf(request);
      const alarm = await alarms.acknowledge(scopeOf(caller), request.params.id, caller.username, Date.now());
      await audit(request, 'alarm.ack', alarm.id, { device: alarm.device, rule: alarm.ruleName });
      deps.alarms.notifications.kick();
      return alarm;
    },
  );
  app.put(
    '/api/v1/alarms/:id/assignee',
    { config: { permission: 'alarm:ack' }, schema: { tags, summary: 'Assign an alarm to a user (null: nobody)', params: idParams, body: z.object({ assignee: z.string().min(1).max(64).nullable() }).strict(), response: { 200: alarmSchema, ...authErrors, 404: errorBodySchema.describe('ALARM_NOT_FOUND') } } },
    async (request) => {
      const alarm = await alarms.assign(scopeOf(callerOf(request)), request.params.id, request.body.assignee);
      await audit(request, 'alarm.assign', alarm.id, { assignee: request.body.assignee });
      deps.alarms.notifications.kick();
      return alarm;
    },
  );
  app.post(
    '/api/v1/alarms/:id/shelve',
    {
      config: { permission: 'alarm:ack' },
      schema: {
        tags,
        summary: 'Shelve an active alarm for a bounded time (ISA-18.2): it notifies nobody and leaves the default list until unshelved or the time is up',
        params: idParams,
        body: z.object({ minutes: z.number().int().min(1).describe(`at most ${maxShelveMinutes}`), reason: z.string().trim().min(1).max(500) }).strict(),
        response: { 200: alarmSchema, ...authErrors, 404: errorBodySchema.describe('ALARM_NOT_FOUND'), 409: errorBodySchema.describe('ALARM_SHELVE_INVALID') },
      },
    },
    async (request) => {
      const caller = callerOf(request);
      const { minutes, reason } = request.body;
      if (minutes > maxShelveMinutes) throw new YulianError('ALARM_SHELVE_INVALID', `An alarm can be shelved for at most ${maxShelveMinutes} minutes (7 days); got ${minutes}.`, { details: { maxMinutes: maxShelveMinutes } });
      const at = Date.now();
      const alarm = await alarms.shelve(scopeOf(caller), request.params.id, { user: caller.username, until: at + minutes * 60_000, reason, at });
      await audit(request, 'alarm.shelve', alarm.id, { device: alarm.device, rule: alarm.ruleName, minutes, reason });
      deps.alarms.notifications.kick();
      return alarm;
    },
  );
  app.post(
    '/api/v1/alarms/:id/unshelve',
    { config: { permission: 'alarm:ack' }, schema: { tags, summary: 'Unshelve an alarm now (a no-op when it is not shelved)', params: idParams, response: { 200: alarmSchema, ...authErrors, 404: errorBodySchema.describe('ALARM_NOT_FOUND') } } },
    async (request) => {
      const caller = callerOf(request);
      const alarm = await alarms.unshelve(scopeOf(caller), request.params.id, { user: caller.username, at: Date.now() });
      await audit(request, 'alarm.unshelve', alarm.id, { device: alarm.device, rule: alarm.ruleName });
      deps.alarms.notifications.kick();
      return alarm;
    },
  );
  app.get('/api/v1/alarms/:id/events', { config: { permission: 'device:read' }, schema: { tags, summary: 'What happened to an alarm (raised, acknowledged, escalated, shelved …), oldest first', params: idParams, response: { 200: listOf(eventSchema), ...authErrors, 404: errorBodySchema.describe('ALARM_NOT_FOUND') } } }, async (request) => ({
    items: await alarms.events(scopeOf(callerOf(request)), request.params.id),
  }));
  app.get('/api/v1/alarms/:id/comments', { config: { permission: 'device:read' }, schema: { tags, summary: 'Comments on an alarm, oldest first', params: idParams, response: { 200: listOf(commentSchema), ...authErrors } } }, async (request) => ({
    items: await alarms.comments(scopeOf(callerOf(request)), request.params.id),
  }));
  app.post(
    '/api/v1/alarms/:id/comments',
    { config: { permission: 'alarm:ack' }, schema: { tags, summary: 'Comment on an alarm', params: idParams, body: z.object({ text: z.string().trim().min(1).max(2000) }).strict(), response: { 201: commentSchema, ...authErrors, 404: errorBodySchema.describe('ALARM_NOT_FOUND') } } },
    async (request, reply) => {
      const caller = callerOf(request);
      return reply.status(201).send(await alarms.comment(scopeOf(caller), request.params.id, caller.username, request.body.text, Date.now()));
    },
  );
};
