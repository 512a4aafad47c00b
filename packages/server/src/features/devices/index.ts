import { type DeviceSummaryDto, deviceRecordSchema, deviceSummarySchema, errorBodySchema, latestValueSchema, listOf, putDeviceSchema } from '@yulian/contracts';
import { type GatewayRecord, YulianError, scopeOf } from '@yulian/core';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { callerOf } from '../../plugins/auth.js';
import type { FeatureDeps } from '../deps.js';
import { authErrors, notFound } from '../errors-schema.js';
import { gatewayView, parseDeviceConfig } from '../gateways/index.js';
import { registerNewDevice } from '../identifier-links/index.js';
import { latestFor } from '../data-classification/guard.js';

const params = z.object({ id: z.string().min(1).max(128) });

/** What a stored password reads as through the API; sending it back unchanged keeps the stored one. */
export const maskedSecret = '********';
type Config = Record<string, unknown>;
const isRecord = (v: unknown): v is Config => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A device configuration with its passwords (broker `password`, OPC UA `auth.password`) masked. */
function maskSecrets(config: Config): Config {
  const out: Config = { ...config };
  if (typeof out['password'] === 'string') out['password'] = maskedSecret;
  if (isRecord(out['auth']) && typeof out['auth']['password'] === 'string') out['auth'] = { ...out['auth'], password: maskedSecret };
  return out;
}

/** Puts the stored passwords back where an update sent the mask. */
function keepSecrets(next: Config, stored: Config): Config {
  const out: Config = { ...next };
  if (out['password'] === maskedSecret) out['password'] = stored['password'];
  if (isRecord(out['auth']) && out['auth']['password'] === maskedSecret && isRecord(stored['auth'])) out['auth'] = { ...out['auth'], password: stored['auth']['password'] };
  return out;
}
type ReportedDevice = { device: string; state: string; lastError?: string | null };

/** Each device's state as its gateway last reported it; every device of an offline gateway is offline. */
function reportedStates(gateways: GatewayRecord[]): Map<string, { state: DeviceSummaryDto['state']; lastError: string | null }> {
  const out = new Map<string, { state: DeviceSummaryDto['state']; lastError: string | null }>();
  for (const g of gateways) {
    const online = gatewayView(g).online;
    const reported = (g.status as { devices?: ReportedDevice[] } | null)?.devices ?? [];
    for (const d of reported) {
      const state = !online ? 'offline' : d.state === 'online' || d.state === 'offline' || d.state === 'connecting' ? d.state : 'unknown';
      out.set(d.device, { state, lastError: online ? (d.lastError ?? null) : `gateway ${g.id} has not reported for ${Math.round((Date.now() - (g.lastSeen ?? 0)) / 1000)} s` });
    }
  }
  return out;
}

/**
 * Devices: the configurations the platform pushes to gateways (CRUD), devices gateways discovered, and
 * devices only known from their telemetry; plus the latest value of every point.
 */
export const deviceRoutes: FastifyPluginAsyncZod<FeatureDeps> = async (app, deps) => {
  const { telemetry, gateways, identity, classification } = deps;
  app.get(
    '/api/v1/devices',
    { config: { permission: 'device:read' }, schema: { tags: ['devices'], summary: 'Devices: configured, discovered or sending telemetry, with state and newest timestamp', response: { 200: listOf(deviceSummarySchema), ...authErrors } } },
    async (request) => {
      const scope = scopeOf(callerOf(request));
      const [records, seen, gws] = await Promise.all([gateways.listDevices(scope), telemetry.devices(scope), gateways.list(scope)]);
      const states = reportedStates(gws);
      const seenBy = new Map(seen.map((s) => [s.device, s]));
      const items: DeviceSummaryDto[] = records.map((r) => {
        const s = seenBy.get(r.id);
        const st = states.get(r.id);
        const points = Array.isArray(r.config['points']) ? r.config['points'].length : 0;
        return { device: r.id, name: r.name, gatewayId: r.gatewayId, protocol: r.protocol, source: r.source, state: st?.state ?? 'unknown', lastError: st?.lastError ?? null, points: Math.max(points, s?.points ?? 0), lastTs: s?.lastTs ?? null };
      });
      const known = new Set(records.map((r) => r.id));
      for (const s of seen) {
        if (known.has(s.device)) continue;
        const st = states.get(s.device);
        items.push({ device: s.device, name: s.device, gatewayId: null, protocol: null, source: 'telemetry', state: st?.state ?? 'unknown', lastError: st?.lastError ?? null, points: s.points, lastTs: s.lastTs });
      }
      return { items: items.sort((a, b) => a.device.localeCompare(b.device)) };
    },
  );
  app.post(
    '/api/v1/devices',
    {
      config: { permission: 'device:write' },
      schema: { tags: ['devices'], summary: 'Add a device to a gateway; the gateway picks it up with its next status report', body: putDeviceSchema, response: { 201: deviceRecordSchema, ...authErrors, ...notFound, 409: errorBodySchema } },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      const config = parseDeviceConfig(request.body.config);
      const record = await gateways.putDevice(scopeOf(caller), { id: config.id, gatewayId: request.body.gatewayId, name: config.name || config.id, protocol: config.protocol, source: 'configured', config }, { create: true });
      await identity.audit.append({ tenantId: record.tenantId, actor: caller.username, ip: request.ip, action: 'device.create', target: record.id, outcome: 'success', details: { gateway: record.gatewayId, protocol: record.protocol } });
      // Every device gets its identifier (<enterprise prefix>/dev.<id>) at once; docs/api.md, Traceability.
      await registerNewDevice(deps, request, { id: record.id, tenantId: record.tenantId, name: record.name });
      return reply.status(201).send({ ...record, config: maskSecrets(record.config) });
    },
  );
  app.get(
    '/api/v1/devices/:id',
    { config: { permission: 'device:read' }, schema: { tags: ['devices'], summary: 'A device’s configuration (passwords masked)', params, response: { 200: deviceRecordSchema, ...authErrors, ...notFound } } },
    async (request) => {
      const record = await gateways.getDevice(scopeOf(callerOf(request)), request.params.id);
      return { ...record, config: maskSecrets(record.config) };
    },
  );
  app.put(
    '/api/v1/devices/:id',
    {
      config: { permission: 'device:write' },
      schema: { tags: ['devices'], summary: 'Replace a device’s configuration (or move it to another gateway)', params, body: putDeviceSchema, response: { 200: deviceRecordSchema, ...authErrors, ...notFound } },
    },
    async (request) => {
      const caller = callerOf(request);
      const scope = scopeOf(caller);
      const stored = await gateways.getDevice(scope, request.params.id);
      const config = parseDeviceConfig(keepSecrets(request.body.config, stored.config));
      if (config.id !== request.params.id) throw new YulianError('DEVICE_CONFIG_INVALID', `config.id is ${config.id}, the URL names ${request.params.id}; a device cannot be renamed.`);
      const record = await gateways.putDevice(scope, { id: config.id, gatewayId: request.body.gatewayId, name: config.name || config.id, protocol: config.protocol, source: 'configured', config });
      await identity.audit.append({ tenantId: record.tenantId, actor: caller.username, ip: request.ip, action: 'device.update', target: record.id, outcome: 'success' });
      return { ...record, config: maskSecrets(record.config) };
    },
  );
  app.delete(
    '/api/v1/devices/:id',
    { config: { permission: 'device:write' }, schema: { tags: ['devices'], summary: 'Remove a device from its gateway (its telemetry stays)', params, response: { 204: z.null(), ...authErrors, ...notFound } } },
    async (request, reply) => {
      const caller = callerOf(request);
      const d = await gateways.getDevice(scopeOf(caller), request.params.id);
      await gateways.removeDevice(scopeOf(caller), d.id);
      await identity.audit.append({ tenantId: d.tenantId, actor: caller.username, ip: request.ip, action: 'device.delete', target: d.id, outcome: 'success' });
      return reply.status(204).send(null);
    },
  );
  app.get(
    '/api/v1/devices/:id/latest',
    {
      config: { permission: 'device:read' },
      schema: {
        tags: ['devices'],
        summary: 'The newest value, quality and timestamps of every point of a device',
        params,
        response: { 200: z.object({ device: z.string(), items: z.array(latestValueSchema) }), ...authErrors, ...notFound },
      },
    },
    async (request) => {
      const caller = callerOf(request);
      // Level-3 points (数据分类分级): opened for callers with data:level3, left out for the others.
      return { device: request.params.id, items: await latestFor(classification, caller, request.params.id, await telemetry.latest(scopeOf(caller), request.params.id)) };
    },
  );
};
