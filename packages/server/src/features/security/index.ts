import type { Readable } from 'node:stream';
import { baselineEntrySchema, baselineModes, baselineStateSchema, districtRiskSchema, enterpriseRiskSchema, errorBodySchema, listOf, securityEventQuerySchema, securityEventSchema, securityEventStatuses } from '@yulian/contracts';
import { type Scope, YulianError, scopeOf } from '@yulian/core';
import { checkRules } from '@yulian/security';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { callerOf } from '../../plugins/auth.js';
import { captureTooLarge } from '../../security/monitor.js';
import type { FeatureDeps } from '../deps.js';
import { authErrors } from '../errors-schema.js';
import { assetRecorderFor, situationFor } from './assets.js';

const tags = ['security'];
const idParams = z.object({ id: z.string().min(1).max(64) });
const day = 86_400_000;
const rangeQuery = z.object({
  since: z.coerce.number().int().nonnegative().optional().describe('epoch ms; default 7 days ago'),
  until: z.coerce.number().int().nonnegative().optional().describe('epoch ms; default now'),
});
const blockSchema = z.object({ ip: z.string(), until: z.number(), reason: z.string(), by: z.string(), eventId: z.string().optional() });
const ruleErrorSchema = z.object({ line: z.number(), column: z.number(), ruleId: z.number().optional(), message: z.string() });
const captureTypes = ['application/vnd.tcpdump.pcap', 'application/x-pcapng', 'application/octet-stream'];

/**
 * OT security monitoring (`/api/v1/security/…`, issue 7): security events and their status, the
 * situation (trend, top techniques and sources, per-district view), the Modbus guards and the block list
 * (active response), the learned baseline's mode and entries, rule files (check a file's text before
 * installing it), and capture uploads (pcap/pcapng, analysed as a stream). An enterprise's analysts see
 * its own; the authority and platform admins see every enterprise's.
 */
export const securityRoutes: FastifyPluginAsyncZod<FeatureDeps> = async (app, deps) => {
  const monitor = deps.security;
  if (!monitor) return;
  const maxBytes = deps.config.security.captureMaxBytes;
  const situation = situationFor(deps, monitor);
  const audit = async (request: FastifyRequest, action: string, target: string, details: Record<string, unknown> = {}): Promise<void> => {
    const caller = callerOf(request);
    await deps.identity.audit.append({ tenantId: caller.tenantId, actor: caller.username, ip: request.ip, action, target, outcome: 'success', details });
  };
  const range = (q: { since?: number | undefined; until?: number | undefined }) => {
    const until = q.until ?? Date.now() + 1;
    return { since: q.since ?? until - 7 * day, until };
  };
  /** The enterprise a platform user acts for (`?tenant=<code>`), or the caller's own. */
  const tenantFor = async (request: FastifyRequest, code: string | undefined): Promise<string | null> => {
    const caller = callerOf(request);
    if (caller.tenantId) return caller.tenantId;
    if (!code) return null;
    const t = await deps.identity.tenants.findByCode(code);
    if (!t) throw new YulianError('ENTERPRISE_NOT_FOUND', `No enterprise with code ${code}.`);
    return t.id;
  };

  app.get(
    '/api/v1/security/events',
    { config: { permission: 'security:read' }, schema: { tags, summary: 'Security events, newest first', querystring: securityEventQuerySchema, response: { 200: listOf(securityEventSchema), ...authErrors } } },
    async (request) => {
      await monitor.flush();
      return { items: await monitor.events.list(scopeOf(callerOf(request)), request.query) };
    },
  );
  app.get(
    '/api/v1/security/events/:id',
    { config: { permission: 'security:read' }, schema: { tags, summary: 'One security event', params: idParams, response: { 200: securityEventSchema, 404: errorBodySchema.describe('SECURITY_EVENT_NOT_FOUND'), ...authErrors } } },
    async (request) => monitor.events.get(scopeOf(callerOf(request)), request.params.id),
  );
  app.put(
    '/api/v1/security/events/:id/status',
    {
      config: { permission: 'security:manage' },
      schema: { tags, summary: 'Set what an analyst made of an event', params: idParams, body: z.object({ status: z.enum(securityEventStatuses) }), response: { 200: securityEventSchema, 404: errorBodySchema.describe('SECURITY_EVENT_NOT_FOUND'), ...authErrors } },
    },
    async (request) => {
      const e = await monitor.events.setStatus(scopeOf(callerOf(request)), request.params.id, request.body.status);
      await audit(request, 'security.event.status', e.id, { status: e.status });
      return e;
    },
  );

  app.get(
    '/api/v1/security/situation',
    {
      config: { permission: 'security:read' },
      schema: {
        tags,
        summary: 'The security situation: event trend, top techniques and sources, enterprises and districts by risk',
        querystring: rangeQuery.extend({ bucket: z.enum(['hour', 'day']).optional() }),
        response: {
          200: z.object({
            since: z.number(),
            until: z.number(),
            totals: z.object({ events: z.number(), high: z.number(), maxLevel: z.number() }),
            trend: z.array(z.object({ start: z.number(), count: z.number(), maxLevel: z.number() })),
            topTechniques: z.array(z.object({ technique: z.string(), count: z.number() })),
            topSources: z.array(z.object({ ip: z.string(), count: z.number(), maxLevel: z.number() })),
            enterprises: z.array(enterpriseRiskSchema),
            districts: z.array(districtRiskSchema),
            guards: z.number(),
            blocks: z.array(blockSchema),
          }),
          ...authErrors,
        },
      },
    },
    async (request) => {
      await monitor.flush();
      await assetRecorderFor(monitor)?.flush();
      const scope = scopeOf(callerOf(request));
      const r = range(request.query);
      const bucket = request.query.bucket ?? (r.until - r.since > 2 * day ? 'day' : 'hour');
      const [trend, high, topTechniques, topSources, { enterprises, districts }] = await Promise.all([
        monitor.events.trend(scope, { ...r, bucket }),
        monitor.events.trend(scope, { ...r, bucket, minLevel: 12 }),
        monitor.events.topTechniques(scope, { ...r, limit: 10 }),
        monitor.events.topSources(scope, { ...r, limit: 10 }),
        situation.assess(scope, r),
      ]);
      const totals = { events: trend.reduce((n, b) => n + b.count, 0), high: high.reduce((n, b) => n + b.count, 0), maxLevel: trend.reduce((m, b) => Math.max(m, b.maxLevel), 0) };
      const mine = (tenantId: string | null) => scope.kind === 'all' || tenantId === scope.tenantId;
      return {
        ...r,
        totals,
        trend,
        topTechniques,
        topSources,
        enterprises,
        districts,
        guards: monitor.guards().filter((g) => mine(g.tenantId)).length,
        blocks: scope.kind === 'all' ? monitor.blocks() : [],
      };
    },
  );

  app.get(
    '/api/v1/security/guards',
    {
      config: { permission: 'security:read' },
      schema: { tags, summary: 'Modbus guards in front of devices, with their counters', response: { 200: listOf(z.object({ deviceId: z.string(), tenantId: z.string().nullable(), listen: z.object({ host: z.string(), port: z.number() }), upstream: z.object({ host: z.string(), port: z.number() }), stats: z.record(z.string(), z.number()) })), ...authErrors } },
    },
    async (request) => {
      const scope = scopeOf(callerOf(request));
      return { items: monitor.guards().filter((g) => scope.kind === 'all' || g.tenantId === scope.tenantId) as never };
    },
  );

  app.get('/api/v1/security/blocks', { config: { permission: 'security:read' }, schema: { tags, summary: 'Sources blocked at the guards now', response: { 200: listOf(blockSchema), ...authErrors } } }, async () => ({ items: monitor.blocks() }));
  app.post(
    '/api/v1/security/blocks',
    {
      config: { permission: 'security:manage' },
      schema: { tags, summary: 'Block a source address at every guard for a time (audited)', body: z.object({ ip: z.string().min(2).max(64), seconds: z.number().int().min(1).max(30 * 86_400), reason: z.string().min(1).max(500) }), response: { 201: blockSchema, ...authErrors } },
    },
    async (request, reply) => {
      const b = await monitor.block(request.body.ip, request.body.seconds, request.body.reason, callerOf(request).username, { tenantId: callerOf(request).tenantId });
      return reply.code(201).send(b);
    },
  );
  app.delete(
    '/api/v1/security/blocks/:ip',
    { config: { permission: 'security:manage' }, schema: { tags, summary: 'Lift a block', params: z.object({ ip: z.string().min(2).max(64) }), response: { 204: z.null(), 404: errorBodySchema.describe('NOT_FOUND'), ...authErrors } } },
    async (request, reply) => {
      if (!(await monitor.unblock(request.params.ip, callerOf(request).username))) throw new YulianError('NOT_FOUND', `${request.params.ip} is not blocked.`);
      return reply.code(204).send(null);
    },
  );

  const activeResponseSchema = z.object({ enabled: z.boolean(), blockLevel: z.number().int().min(0).max(15), blockSeconds: z.number().int().min(1).max(30 * 86_400) });
  app.get('/api/v1/security/active-response', { config: { permission: 'security:read' }, schema: { tags, summary: 'Whether the monitor blocks attacking sources by itself, from which level, for how long', response: { 200: activeResponseSchema, ...authErrors } } }, async () => monitor.activeResponse());
  app.put(
    '/api/v1/security/active-response',
    {
      config: { permission: 'security:manage' },
      schema: { tags, summary: 'Switch the active response on or off, or change its level and duration (platform-wide; audited)', body: activeResponseSchema.partial(), response: { 200: activeResponseSchema, ...authErrors } },
    },
    async (request) => {
      if (callerOf(request).tenantId !== null) throw new YulianError('FORBIDDEN', 'The active response acts at every guard of the platform: only platform staff switch it.');
      const next = monitor.setActiveResponse(request.body);
      await audit(request, 'security.active-response', 'platform', { ...next });
      return next;
    },
  );

  app.get(
    '/api/v1/security/baseline',
    {
      config: { permission: 'security:read' },
      schema: { tags, summary: 'The learned communication baseline: mode and entries', querystring: z.object({ tenant: z.string().max(64).optional(), limit: z.coerce.number().int().min(1).max(5000).optional() }), response: { 200: z.object({ state: baselineStateSchema, items: z.array(baselineEntrySchema) }), ...authErrors } },
    },
    async (request) => {
      const tenantId = await tenantFor(request, request.query.tenant);
      const scope: Scope = tenantId ? { kind: 'tenant', tenantId } : scopeOf(callerOf(request));
      return { state: monitor.baseline.state(tenantId), items: await monitor.baselineStore.list(scope, { limit: request.query.limit ?? 500 }) };
    },
  );
  app.put(
    '/api/v1/security/baseline',
    {
      config: { permission: 'security:manage' },
      schema: { tags, summary: 'Start learning, enforce what was learned, or switch the baseline off', body: z.object({ mode: z.enum(baselineModes), tenant: z.string().max(64).optional() }), response: { 200: baselineStateSchema, ...authErrors } },
    },
    async (request) => {
      const tenantId = await tenantFor(request, request.body.tenant);
      const state = monitor.baseline.setMode(tenantId, request.body.mode, Date.now());
      await monitor.baselineStore.saveState(state, callerOf(request).username);
      await audit(request, 'security.baseline.mode', tenantId ?? 'platform', { mode: state.mode });
      return state;
    },
  );

  app.get(
    '/api/v1/security/rules',
    {
      config: { permission: 'security:read' },
      schema: { tags, summary: 'Detection rules in force, and rule files that were refused', response: { 200: z.object({ items: z.array(z.object({ id: z.number(), level: z.number(), title: z.string(), titleEn: z.string(), techniques: z.array(z.string()), fired: z.number() })), problems: z.array(z.object({ file: z.string(), errors: z.array(ruleErrorSchema) })) }), ...authErrors } },
    },
    async () => {
      const fired = monitor.engine.stats().fired;
      return {
        items: monitor.engine.rules().map((r) => ({ id: r.id, level: r.level, title: r.title, titleEn: r.titleEn, techniques: [...r.techniques], fired: fired[r.id] ?? 0 })),
        problems: [...monitor.ruleProblems()],
      };
    },
  );
  app.addContentTypeParser(['application/yaml', 'text/yaml', 'application/x-yaml'], { parseAs: 'string', bodyLimit: 1024 * 1024 }, (_request, body, done) => done(null, body));
  app.post(
    '/api/v1/security/rules/check',
    {
      config: { permission: 'security:read' },
      schema: { tags, summary: 'Check a rule file (YAML) against the rules in force: every error with its line', body: z.string().max(1024 * 1024), response: { 200: z.object({ ok: z.boolean(), rules: z.number(), errors: z.array(ruleErrorSchema) }), ...authErrors } },
    },
    async (request) => {
      const { rules, errors } = checkRules(request.body, { known: monitor.engine.rules() });
      return { ok: errors.length === 0, rules: rules.length, errors };
    },
  );

  // Captures come as a stream: never buffered whole, cut off past the limit.
  app.addContentTypeParser(captureTypes, (_request, payload, done) => done(null, payload));
  app.post(
    '/api/v1/security/captures',
    {
      config: { permission: 'security:manage' },
      schema: {
        tags,
        summary: 'Analyse a packet capture (pcap or pcapng body): Modbus/TCP per transaction, flows, anomalies → security events',
        querystring: z.object({ tenant: z.string().max(64).optional().describe('the enterprise (code) a platform user analyses for'), name: z.string().max(200).optional() }),
        response: { 200: z.object({ summary: z.record(z.string(), z.unknown()), events: z.number() }), 413: errorBodySchema.describe('CAPTURE_TOO_LARGE'), 415: errorBodySchema.describe('CAPTURE_UNSUPPORTED_LINKTYPE'), ...authErrors },
      },
    },
    async (request) => {
      const declared = Number(request.headers['content-length'] ?? NaN);
      if (declared > maxBytes) throw captureTooLarge(declared, maxBytes);
      const tenantId = await tenantFor(request, request.query.tenant);
      const before = monitor.stats().events;
      const summary = await monitor.analyzeCapture(limited(request.body as Readable, maxBytes), { tenantId });
      await monitor.flush();
      const events = monitor.stats().events - before;
      await audit(request, 'security.capture.analyse', request.query.name ?? 'upload', { bytes: summary.bytes, packets: summary.packets, transactions: summary.modbus.transactions, events });
      return { summary: summary as unknown as Record<string, unknown>, events };
    },
  );

  app.get(
    '/api/v1/security/stats',
    { config: { permission: 'security:read' }, schema: { tags, summary: 'Monitor and engine counters', response: { 200: z.record(z.string(), z.unknown()), ...authErrors } } },
    async () => ({ monitor: monitor.stats(), engine: monitor.engine.stats(), baseline: monitor.baseline.stats() }),
  );
};

/** The stream's chunks, failing with CAPTURE_TOO_LARGE once more than `max` bytes came. */
async function* limited(stream: Readable, max: number): AsyncGenerator<Uint8Array> {
  let total = 0;
  for await (const chunk of stream as AsyncIterable<Uint8Array>) {
    total += chunk.length;
    if (total > max) {
      stream.destroy();
      throw captureTooLarge(total, max);
    }
    yield chunk;
  }
}
