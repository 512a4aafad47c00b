import { chongqingDistricts, districtRiskSchema, enterpriseRiskSchema, errorBodySchema, listOf, protectionLevels, protectionObjectInputSchema, protectionObjectSchema, securityAssetSchema, assetKinds } from '@yulian/contracts';
import { type Logger, type Store, scopeOf } from '@yulian/core';
import { type AssetRecorder, createAssetRecorder, createProtectionStore, createSituationService } from '@yulian/security';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { callerOf } from '../../plugins/auth.js';
import type { SecurityMonitor } from '../../security/monitor.js';
import type { FeatureDeps } from '../deps.js';
import { authErrors } from '../errors-schema.js';

const tags = ['security'];
const day = 86_400_000;
const recorders = new WeakMap<SecurityMonitor, AssetRecorder>();

/**
 * The asset inventory recorder of a monitor: one per monitor, fed by its observations and written in
 * batches; made by the first caller (the asset routes), found by the others (the situation route).
 */
export function assetRecorderFor(monitor: SecurityMonitor, o?: { store: Store; logger: Logger }): AssetRecorder | undefined {
  let recorder = recorders.get(monitor);
  if (!recorder && o) {
    const made = createAssetRecorder({ store: o.store, logger: o.logger });
    const stop = monitor.onObservation((obs) => made.record(obs));
    recorder = { ...made, close: async () => (stop(), made.close()) };
    recorders.set(monitor, recorder);
  }
  return recorder;
}

/** The situation service over the platform's store, incidents and allowed commanders. */
export const situationFor = (deps: FeatureDeps, monitor: SecurityMonitor) => createSituationService({ store: deps.store, incidents: deps.incidents, commanders: () => monitor.commanders() });

/**
 * The asset inventory (资产清单: registered devices joined with what traffic shows, unregistered ones
 * flagged), risk per asset, enterprise and district with reasons, and the critical protection objects
 * (关键保护对象) the authority lists at city and district level (`/api/v1/security/assets`, `/risk`,
 * `/protection`). An enterprise sees its own; the authority and platform staff see every enterprise.
 */
export const securityAssetRoutes: FastifyPluginAsyncZod<FeatureDeps> = async (app, deps) => {
  const monitor = deps.security;
  if (!monitor) return;
  const recorder = assetRecorderFor(monitor, { store: deps.store, logger: deps.logger })!;
  app.addHook('onClose', async () => {
    recorders.delete(monitor);
    await recorder.close();
  });
  const situation = situationFor(deps, monitor);
  const protection = createProtectionStore(deps.store);
  const audit = async (request: FastifyRequest, action: string, target: string, details: Record<string, unknown> = {}): Promise<void> => {
    const caller = callerOf(request);
    await deps.identity.audit.append({ tenantId: caller.tenantId, actor: caller.username, ip: request.ip, action, target, outcome: 'success', details });
  };
  const rangeQuery = z.object({ since: z.coerce.number().int().nonnegative().optional().describe('epoch ms; default 7 days ago'), until: z.coerce.number().int().nonnegative().optional() });
  const range = (q: { since?: number | undefined; until?: number | undefined }) => {
    const until = q.until ?? Date.now() + 1;
    return { since: q.since ?? until - 7 * day, until };
  };
  const assess = async (request: FastifyRequest, q: { since?: number | undefined; until?: number | undefined }) => {
    await monitor.flush();
    await recorder.flush();
    return situation.assess(scopeOf(callerOf(request)), range(q));
  };

  app.get(
    '/api/v1/security/assets',
    {
      config: { permission: 'security:read' },
      schema: {
        tags,
        summary: 'The asset inventory: registered devices and assets seen in traffic, unregistered ones flagged, each with its risk and reasons',
        querystring: rangeQuery.extend({ kind: z.enum(assetKinds).optional(), tenant: z.string().max(128).optional().describe('an enterprise id (platform users)') }),
        response: { 200: listOf(securityAssetSchema), ...authErrors },
      },
    },
    async (request) => {
      const { assets } = await assess(request, request.query);
      const { kind, tenant } = request.query;
      return { items: assets.filter((a) => (!kind || a.kind === kind) && (!tenant || a.tenantId === tenant)) };
    },
  );

  app.get(
    '/api/v1/security/risk',
    {
      config: { permission: 'security:read' },
      schema: { tags, summary: 'Risk per enterprise and per district, with reasons', querystring: rangeQuery, response: { 200: z.object({ enterprises: z.array(enterpriseRiskSchema), districts: z.array(districtRiskSchema) }), ...authErrors } },
    },
    async (request) => {
      const { enterprises, districts } = await assess(request, request.query);
      return { enterprises, districts };
    },
  );

  const idParams = z.object({ id: z.string().min(1).max(64) });
  app.get(
    '/api/v1/security/protection',
    {
      config: { permission: 'security:read' },
      schema: {
        tags,
        summary: 'Critical protection objects on the city and district lists (an enterprise: whether it or its devices are listed)',
        querystring: z.object({ level: z.enum(protectionLevels).optional(), district: z.string().max(64).optional() }),
        response: { 200: listOf(protectionObjectSchema), ...authErrors },
      },
    },
    async (request) => ({ items: await protection.list(scopeOf(callerOf(request)), request.query) }),
  );
  app.post(
    '/api/v1/security/protection',
    {
      config: { permission: 'protection:manage' },
      schema: {
        tags,
        summary: 'Put an enterprise or one of its devices on the city or a district list (audited)',
        body: protectionObjectInputSchema,
        response: { 201: protectionObjectSchema, 409: errorBodySchema.describe('PROTECTION_OBJECT_EXISTS'), ...authErrors },
      },
    },
    async (request, reply) => {
      const o = await protection.add(request.body, callerOf(request).username);
      await audit(request, 'security.protection.add', o.id, { level: o.level, district: o.district, enterprise: o.enterpriseCode, deviceId: o.deviceId });
      return reply.code(201).send(o);
    },
  );
  app.patch(
    '/api/v1/security/protection/:id',
    {
      config: { permission: 'protection:manage' },
      schema: { tags, summary: 'Change why an object is listed', params: idParams, body: z.object({ reason: z.string().trim().min(1).max(1000) }), response: { 200: protectionObjectSchema, 404: errorBodySchema.describe('PROTECTION_OBJECT_NOT_FOUND'), ...authErrors } },
    },
    async (request) => {
      const o = await protection.update(request.params.id, request.body);
      await audit(request, 'security.protection.update', o.id, { reason: o.reason });
      return o;
    },
  );
  app.delete(
    '/api/v1/security/protection/:id',
    { config: { permission: 'protection:manage' }, schema: { tags, summary: 'Take an object off its list (audited)', params: idParams, response: { 204: z.null(), 404: errorBodySchema.describe('PROTECTION_OBJECT_NOT_FOUND'), ...authErrors } } },
    async (request, reply) => {
      const o = await protection.remove(request.params.id);
      await audit(request, 'security.protection.remove', o.id, { level: o.level, enterprise: o.enterpriseCode, deviceId: o.deviceId });
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/v1/security/districts',
    { config: { permission: 'security:read' }, schema: { tags, summary: 'Chongqing’s districts and counties (the district lists’ names)', response: { 200: listOf(z.object({ name: z.string(), en: z.string() })), ...authErrors } } },
    async () => ({ items: chongqingDistricts.map((d) => ({ ...d })) }),
  );
};
