import { errorBodySchema, listOf } from '@yulian/contracts';
import { YulianError, scopeOf } from '@yulian/core';
import { type NewBurst, burstLimits, createVibrationBurstStore, createVibrationSettingsStore, decodeSamples } from '@yulian/devices';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { callerOf } from '../../plugins/auth.js';
import type { FeatureDeps } from '../deps.js';
import { authErrors, notFound } from '../errors-schema.js';
import { diagnoseBurst } from './diagnosis.js';
import { burstErrors, burstInfoSchema, burstJsonSchema, burstQuerySchema, deviceParams, diagnosisSchema, settingsInputSchema, settingsSchema } from './schemas.js';

export { startVibrationRecorder, type VibrationRecorder } from './recorder.js';

const tags = ['vibration'];
/** A JSON burst of 2^18 samples is about 5 MB; 8 MiB leaves room for long decimals. */
const bodyLimit = 8 * 1024 * 1024;

const invalid = (field: string, message: string): YulianError => new YulianError('VIBRATION_BURST_INVALID', message, { details: { field } });

/** The burst a POST carries: a JSON body, or Float32LE bytes with the rest in the query. */
function burstOf(request: FastifyRequest): Omit<NewBurst, 'tenantId' | 'source' | 'device'> {
  const body: unknown = request.body;
  if (Buffer.isBuffer(body)) {
    const q = burstQuerySchema.safeParse(request.query);
    if (!q.success) throw invalid(String(q.error.issues[0]?.path[0] ?? 'query'), `Query: ${q.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}.`);
    if (q.data.sampleRate === undefined) throw invalid('sampleRate', 'An octet-stream burst needs ?sampleRate= (Hz) and ?shaftRpm= in the query.');
    if (q.data.shaftRpm === undefined) throw invalid('shaftRpm', 'An octet-stream burst needs ?shaftRpm= (the shaft speed during the burst) in the query.');
    if (body.length > burstLimits.maxSamples * 4) throw invalid('samples', `A burst holds at most ${burstLimits.maxSamples} samples; this body has ${Math.floor(body.length / 4)}.`);
    return { samples: decodeSamples(body), sampleRate: q.data.sampleRate, shaftRpm: q.data.shaftRpm, unit: q.data.unit ?? 'g', point: q.data.point ?? 'accel', ts: q.data.ts ?? Date.now() };
  }
  const parsed = burstJsonSchema.safeParse(body);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw invalid(String(first?.path[0] ?? 'body'), parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ') + '.');
  }
  return { ...parsed.data, ts: parsed.data.ts ?? Date.now() };
}

/**
 * Vibration bursts and their diagnosis, per device: gateways (or anyone with `device:write`) POST
 * accelerometer bursts; anyone who sees the device lists them and reads the diagnosis (spectrum, envelope
 * spectrum, waveform figures, ISO 10816 zone, bearing defect frequencies and findings) of the newest or a
 * chosen burst; engineers set the device's bearing geometry. With the demo, the virtual factory's
 * machines give a burst every simulated minute, and `…/vibration/measure` takes one at once.
 */
export const vibrationRoutes: FastifyPluginAsyncZod<FeatureDeps> = async (app, deps) => {
  const bursts = createVibrationBurstStore(deps.store);
  const settings = createVibrationSettingsStore(deps.store);
  app.addContentTypeParser('application/octet-stream', { parseAs: 'buffer', bodyLimit }, (_request, body, done) => done(null, body));

  app.post(
    '/api/v1/devices/:id/vibration/bursts',
    {
      config: { permission: 'device:write' },
      bodyLimit,
      schema: {
        tags,
        summary: 'Store an accelerometer burst of a device',
        description: `Either \`application/json\` {samples: number[], sampleRate (Hz), shaftRpm, unit ('g' | 'm/s2', default g), point (default accel), ts (epoch ms, default now)}, or \`application/octet-stream\`: Float32 little-endian samples with sampleRate, shaftRpm, unit, point and ts in the query. ${burstLimits.minSamples}–${burstLimits.maxSamples} finite samples; the device keeps its newest ${burstLimits.keepPerDevice} bursts.`,
        params: deviceParams,
        response: { 201: burstInfoSchema, ...authErrors, ...burstErrors, ...notFound },
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      const device = await deps.gateways.getDevice(scopeOf(caller), request.params.id);
      const info = await bursts.add({ ...burstOf(request), tenantId: device.tenantId, device: device.id, source: 'api' });
      return reply.status(201).send(info);
    },
  );
  app.get(
    '/api/v1/devices/:id/vibration/bursts',
    {
      config: { permission: 'device:read' },
      schema: { tags, summary: 'A device’s accelerometer bursts, newest first (without samples)', params: deviceParams, querystring: z.object({ limit: z.coerce.number().int().min(1).max(1000).optional() }), response: { 200: listOf(burstInfoSchema), ...authErrors, ...notFound } },
    },
    async (request) => {
      const scope = scopeOf(callerOf(request));
      await deps.gateways.getDevice(scope, request.params.id);
      return { items: await bursts.list(scope, request.params.id, request.query.limit === undefined ? {} : { limit: request.query.limit }) };
    },
  );
  app.get(
    '/api/v1/devices/:id/vibration/diagnosis',
    {
      config: { permission: 'device:read' },
      schema: {
        tags,
        summary: 'Diagnose a burst (the newest by default): spectra, figures, ISO zone, bearing frequencies, findings',
        params: deviceParams,
        querystring: z.object({ burst: z.string().min(1).max(64).optional() }),
        response: { 200: diagnosisSchema, ...authErrors, 400: errorBodySchema.describe('DIAGNOSIS_INPUT_INVALID: the burst cannot resolve this machine'), 404: errorBodySchema.describe('DEVICE_NOT_FOUND, VIBRATION_BURST_NOT_FOUND') },
      },
    },
    async (request) => {
      const scope = scopeOf(callerOf(request));
      await deps.gateways.getDevice(scope, request.params.id);
      const burst = await bursts.get(scope, request.params.id, request.query.burst);
      const { samples: _samples, ...info } = burst;
      return { burst: info, report: diagnoseBurst(burst, await settings.get(scope, request.params.id)) };
    },
  );
  app.get(
    '/api/v1/devices/:id/vibration/settings',
    { config: { permission: 'device:read' }, schema: { tags, summary: 'A device’s bearing geometry and ISO zone limits (null: not set)', params: deviceParams, response: { 200: settingsSchema, ...authErrors, ...notFound } } },
    async (request) => {
      const scope = scopeOf(callerOf(request));
      await deps.gateways.getDevice(scope, request.params.id);
      const s = await settings.get(scope, request.params.id);
      return s ? { device: s.device, bearing: s.bearing, isoZonesMmPerS: s.isoZonesMmPerS, updatedBy: s.updatedBy, updatedAt: s.updatedAt } : { device: request.params.id, bearing: null, isoZonesMmPerS: null, updatedBy: null, updatedAt: null };
    },
  );
  app.put(
    '/api/v1/devices/:id/vibration/settings',
    {
      config: { permission: 'device:write' },
      schema: { tags, summary: 'Set a device’s bearing geometry and ISO zone limits', params: deviceParams, body: settingsInputSchema, response: { 200: settingsSchema, ...authErrors, 400: errorBodySchema.describe('VIBRATION_SETTINGS_INVALID (details.field)'), ...notFound } },
    },
    async (request) => {
      const caller = callerOf(request);
      const device = await deps.gateways.getDevice(scopeOf(caller), request.params.id);
      const s = await settings.put(device.tenantId, device.id, request.body, caller.username);
      await deps.identity.audit.append({ tenantId: caller.tenantId, actor: caller.username, ip: request.ip, action: 'vibration.settings.update', target: device.id, outcome: 'success', details: { bearing: s.bearing?.name ?? (s.bearing ? 'custom' : null) } });
      return { device: s.device, bearing: s.bearing, isoZonesMmPerS: s.isoZonesMmPerS, updatedBy: s.updatedBy, updatedAt: s.updatedAt };
    },
  );
  app.post(
    '/api/v1/devices/:id/vibration/measure',
    {
      config: { permission: 'device:read' },
      schema: {
        tags,
        summary: 'Take a burst of a virtual-factory machine now and store it (demo only)',
        params: deviceParams,
        response: { 201: burstInfoSchema, ...authErrors, ...notFound, 409: errorBodySchema.describe('CONFLICT: the shaft stands (below 1,200 rpm)'), 503: errorBodySchema.describe('SERVICE_UNAVAILABLE: the virtual factory is not running') },
      },
    },
    async (request, reply) => {
      const device = await deps.gateways.getDevice(scopeOf(callerOf(request)), request.params.id);
      const factory = deps.simulator();
      if (!factory) throw new YulianError('SERVICE_UNAVAILABLE', 'The virtual factory is not running; bursts of real machines arrive from their gateways (POST …/vibration/bursts).');
      const burst = factory.measureVibration(device.id);
      if (!burst) throw new YulianError('CONFLICT', `${device.id} stands (its shaft turns below 1,200 rpm); measure while it runs.`);
      return reply.status(201).send(await bursts.add({ ...burst, tenantId: device.tenantId, source: 'sim' }));
    },
  );
};
