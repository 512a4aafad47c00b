import { errorBodySchema, listOf } from '@yulian/contracts';
import { YulianError, allTenants, scopeOf, tenantScope } from '@yulian/core';
import { checkRulMapping, serializeRulModel } from '@yulian/analytics';
import type { HealthSnapshot } from '@yulian/devices';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { trainSimBearingModel } from '../../demo/bearing-rul.js';
import type { HealthService } from '../../health/health-service.js';
import { callerOf } from '../../plugins/auth.js';
import type { FeatureDeps } from '../deps.js';
import { authErrors, notFound } from '../errors-schema.js';

const tags = ['health'];
const component = z.object({ kind: z.enum(['anomaly', 'alarms', 'run-hours']), penalty: z.number(), reason: z.string(), details: z.record(z.string(), z.union([z.string(), z.number()])) });
const rulFields = {
  rul: z.number().nullable().describe('remaining useful life in cycles of rulUnitSeconds; null without a bound model or enough history'),
  rulUnitSeconds: z.number().nullable(),
  rulCap: z.number().nullable().describe('the model’s cap: a RUL at the cap means “at least this”'),
  modelId: z.string().nullable(),
};
const snapshotSchema = z.object({ device: z.string(), ts: z.string(), health: z.number().int().min(0).max(100), components: z.array(component), ...rulFields });
const trendPoint = z.object({ ts: z.string(), health: z.number(), rul: z.number().nullable() });
const fleetItem = snapshotSchema.extend({ name: z.string(), siteId: z.string().nullable(), profileId: z.string().nullable(), trend: z.array(trendPoint).describe('the last 30 snapshots, oldest first') });
const modelSchema = z.object({
  id: z.string(),
  tenantId: z.string().nullable(),
  name: z.string(),
  description: z.string(),
  sensors: z.array(z.number()),
  window: z.number(),
  minHistory: z.number(),
  cap: z.number(),
  training: z.object({ dataset: z.string(), seed: z.number(), members: z.number(), trainUnits: z.number(), validationUnits: z.number(), validationRmse: z.number(), trainedAt: z.string() }),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
});
const inputSchema = z.object({ sensor: z.number().int().min(1).max(21), point: z.string().min(1).max(64), agg: z.enum(['avg', 'max', 'min']).default('avg') }).strict();
const bindingSchema = z.object({ id: z.string(), tenantId: z.string().nullable(), profileId: z.string(), modelId: z.string(), inputs: z.array(inputSchema), cycleSeconds: z.number(), createdBy: z.string().nullable(), createdAt: z.string() });
const unavailable = { 503: errorBodySchema.describe('SERVICE_UNAVAILABLE: the health service is not running in this process') } as const;

const iso = (ms: number): string => new Date(ms).toISOString();
const toDto = (s: HealthSnapshot) => ({ device: s.device, ts: iso(s.ts), health: s.health, components: s.components, rul: s.rul, rulUnitSeconds: s.rulUnitSeconds, rulCap: s.rulCap, modelId: s.modelId });
/** RUL in seconds for sorting: unknown sorts after every known one. */
const rulSeconds = (s: HealthSnapshot): number => (s.rul === null || s.rulUnitSeconds === null ? Infinity : s.rul * s.rulUnitSeconds);

/**
 * Device health and remaining useful life: the fleet sorted by risk (`/api/v1/health/devices`), one
 * device's health with its trend, an assessment on demand, RUL models (upload a model file, or train the
 * virtual factory's bearing model in process) and their bindings to device profiles.
 */
export const deviceHealthRoutes: FastifyPluginAsyncZod<FeatureDeps> = async (app, deps) => {
  const service = (): HealthService => {
    if (!deps.health) throw new YulianError('SERVICE_UNAVAILABLE', 'The health service is not running in this process.');
    return deps.health;
  };
  const audit = async (request: Parameters<typeof callerOf>[0], action: string, target: string, details: Record<string, unknown> = {}): Promise<void> => {
    const caller = callerOf(request);
    await deps.identity.audit.append({ tenantId: caller.tenantId, actor: caller.username, ip: request.ip, action, target, outcome: 'success', details });
  };

  app.get(
    '/api/v1/health/devices',
    {
      config: { permission: 'device:read' },
      schema: {
        tags,
        summary: 'The fleet’s health, riskiest first: lowest health index, then shortest remaining useful life',
        querystring: z.object({ site: z.string().min(1).max(64).optional(), profile: z.string().min(1).max(64).optional() }).strict(),
        response: { 200: listOf(fleetItem), ...authErrors, ...unavailable },
      },
    },
    async (request) => {
      const scope = scopeOf(callerOf(request));
      const { site, profile } = request.query;
      const assets = (await deps.assets.devices.list(scope, site ? { siteId: site } : {})).filter((a) => !profile || a.profileId === profile);
      const latest = new Map((await service().store.latest(scope)).map((s) => [s.device, s]));
      const rows = assets.flatMap((a) => {
        const s = latest.get(a.device);
        return s ? [{ asset: a, s }] : [];
      });
      rows.sort((x, y) => x.s.health - y.s.health || rulSeconds(x.s) - rulSeconds(y.s) || x.asset.device.localeCompare(y.asset.device));
      const items = [];
      for (const { asset, s } of rows) {
        const trend = await service().store.trend(scope, asset.device, 0, 30);
        items.push({ ...toDto(s), name: asset.name, siteId: asset.siteId, profileId: asset.profileId, trend: trend.map((t) => ({ ts: iso(t.ts), health: t.health, rul: t.rul })) });
      }
      return { items };
    },
  );

  app.get(
    '/api/v1/devices/:id/health',
    {
      config: { permission: 'device:read' },
      schema: {
        tags,
        summary: 'A device’s latest health assessment and its trend',
        params: z.object({ id: z.string().min(1).max(128) }),
        querystring: z.object({ hours: z.coerce.number().positive().max(24 * 30).default(24).describe('trend span, hours (default 24)') }).strict(),
        response: { 200: z.object({ device: z.string(), latest: snapshotSchema.nullable(), trend: z.array(trendPoint) }), ...authErrors, ...notFound, ...unavailable },
      },
    },
    async (request) => {
      const scope = scopeOf(callerOf(request));
      const device = request.params.id;
      if (!(await deps.assets.devices.find(scope, device)) && !(await deps.gateways.listDevices(scope)).some((d) => d.id === device)) throw new YulianError('DEVICE_NOT_FOUND', `No device ${device}.`);
      const trend = await service().store.trend(scope, device, Date.now() - request.query.hours * 3_600_000, 2_000);
      const last = trend[trend.length - 1];
      return { device, latest: last ? toDto(last) : null, trend: trend.map((t) => ({ ts: iso(t.ts), health: t.health, rul: t.rul })) };
    },
  );

  app.post(
    '/api/v1/health/assess',
    { config: { permission: 'device:write' }, schema: { tags, summary: 'Assess every device of the caller’s enterprise now (the service also does each minute)', response: { 200: z.object({ assessed: z.number().int() }), ...authErrors, ...unavailable } } },
    async (request) => ({ assessed: (await service().assess(scopeOf(callerOf(request)))).length }),
  );

  app.get('/api/v1/rul/models', { config: { permission: 'device:read' }, schema: { tags, summary: 'Remaining-useful-life models', response: { 200: listOf(modelSchema), ...authErrors, ...unavailable } } }, async (request) => ({
    items: await service().store.listModels(scopeOf(callerOf(request))),
  }));

  app.post(
    '/api/v1/rul/models',
    {
      config: { permission: 'rul:models' },
      bodyLimit: 50 * 1024 * 1024,
      schema: {
        tags,
        summary: 'Add a model: upload a model file written by `yulian analytics train-rul`, or train the virtual factory’s bearing-wear model in process',
        body: z.union([
          z.object({ name: z.string().min(1).max(200), description: z.string().max(2000).optional(), file: z.string().min(1).describe('the model file’s text') }).strict(),
          z.object({ name: z.string().min(1).max(200), description: z.string().max(2000).optional(), train: z.object({ dataset: z.literal('virtual-factory-bearing'), seed: z.number().int().optional(), units: z.number().int().min(4).max(200).optional() }).strict() }).strict(),
        ]),
        response: { 201: modelSchema, ...authErrors, 400: errorBodySchema.describe('MODEL_INVALID: the file is corrupted, truncated, altered or of another format version') },
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      const body = request.body;
      const file = 'file' in body ? body.file : serializeRulModel(trainSimBearingModel({ seed: body.train.seed ?? 1, ...(body.train.units ? { units: body.train.units } : {}) }));
      const model = await service().store.addModel({ tenantId: caller.tenantId, name: body.name, ...(body.description ? { description: body.description } : {}), file, actor: caller.username });
      await audit(request, 'rul.model.add', model.id, { name: model.name, dataset: model.training.dataset });
      return reply.status(201).send(model);
    },
  );

  app.get('/api/v1/rul/bindings', { config: { permission: 'device:read' }, schema: { tags, summary: 'Which model applies to which device profile', response: { 200: listOf(bindingSchema), ...authErrors, ...unavailable } } }, async (request) => ({
    items: await service().store.listBindings(scopeOf(callerOf(request))),
  }));

  app.put(
    '/api/v1/profiles/:id/rul-binding',
    {
      config: { permission: 'rul:models' },
      schema: {
        tags,
        summary: 'Apply a model to a profile’s devices: each model input ← a point of the profile and how it is aggregated per cycle',
        params: z.object({ id: z.string().min(1).max(64) }),
        body: z.object({ modelId: z.string().min(1).max(64), inputs: z.array(inputSchema).min(1).max(21), cycleSeconds: z.number().int().min(1).max(86_400).default(60) }).strict(),
        response: { 200: bindingSchema, ...authErrors, ...notFound, 400: errorBodySchema.describe('RUL_BINDING_INVALID: details.field') },
      },
    },
    async (request) => {
      const caller = callerOf(request);
      const scope = scopeOf(caller);
      const profile = await deps.assets.profiles.get(scope, request.params.id);
      const info = await service().store.getModelInfo(scope.kind === 'all' ? allTenants : tenantScope(scope.tenantId), request.body.modelId);
      const model = await service().store.loadModel(allTenants, info.id);
      checkRulMapping(model, request.body.inputs, profile.points.filter((p) => p.dataType !== 'string').map((p) => p.key));
      const binding = await service().store.bind({ tenantId: profile.tenantId, profileId: profile.id, modelId: info.id, inputs: request.body.inputs, cycleSeconds: request.body.cycleSeconds, actor: caller.username });
      await audit(request, 'rul.binding.set', profile.id, { model: info.id });
      return binding;
    },
  );

  app.delete(
    '/api/v1/profiles/:id/rul-binding',
    { config: { permission: 'rul:models' }, schema: { tags, summary: 'Stop predicting RUL for a profile’s devices', params: z.object({ id: z.string().min(1).max(64) }), response: { 204: z.null(), ...authErrors, ...notFound } } },
    async (request, reply) => {
      const scope = scopeOf(callerOf(request));
      await deps.assets.profiles.get(scope, request.params.id);
      await service().store.unbind(scope, request.params.id);
      await audit(request, 'rul.binding.remove', request.params.id);
      return reply.status(204).send(null);
    },
  );
};
