import { createGatewaySchema, errorBodySchema, gatewaySchema, listOf, registeredGatewaySchema } from '@yulian/contracts';
import { type GatewayRecord, type GatewayRegistry, YulianError, scopeOf } from '@yulian/core';
import { join } from 'node:path';
import { type BrowseNode, browseOpcua, connectionSchema, opcuaAuthSchema } from '@yulian/gateway';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { callerOf } from '../../plugins/auth.js';
import type { FeatureDeps } from '../deps.js';
import { authErrors, notFound } from '../errors-schema.js';

const params = z.object({ id: z.string().min(1).max(64) });
/** A gateway is online while its status reports keep coming: three missed 10 s reports make it offline. */
export const gatewayOfflineAfterMs = 30_000;

/** The API view of a gateway: the record plus whether it is online now. */
export const gatewayView = (g: GatewayRecord, now = Date.now()) => ({ ...g, online: g.lastSeen !== null && now - g.lastSeen < gatewayOfflineAfterMs });

/** The gateway a request's `Authorization: Bearer ylg_…` belongs to. */
async function gatewayOf(request: FastifyRequest, gateways: GatewayRegistry): Promise<GatewayRecord> {
  const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
  if (!match?.[1]) throw new YulianError('UNAUTHENTICATED', 'Send Authorization: Bearer <gateway token>.');
  return gateways.authenticate(match[1]);
}

const browseNodeSchema: z.ZodType<BrowseNode> = z.lazy(() =>
  z.object({
    nodeId: z.string(),
    browseName: z.string(),
    displayName: z.string(),
    nodeClass: z.string(),
    dataType: z.string().optional(),
    writable: z.boolean().optional(),
    children: z.array(browseNodeSchema).optional(),
  }),
) as z.ZodType<BrowseNode>;

const browseRequestSchema = z
  .object({
    endpointUrl: z.string().regex(/^opc\.tcp:\/\/\S+$/, 'an opc.tcp:// URL'),
    securityMode: z.enum(['None', 'SignAndEncrypt']).default('None'),
    securityPolicy: z.enum(['None', 'Basic256Sha256']).default('None'),
    auth: opcuaAuthSchema.default({ type: 'anonymous' }),
    /** Where to start; default the Objects folder. */
    nodeId: z.string().min(1).max(512).optional(),
    depth: z.number().int().min(1).max(10).default(3),
  })
  .strict();

const discoveredSchema = z
  .object({
    devices: z
      .array(z.object({ device: z.string().regex(/^[A-Za-z0-9_.:/-]{1,128}$/), protocol: z.string().max(32), name: z.string().max(200).optional(), points: z.array(z.record(z.string(), z.unknown())).max(100_000) }))
      .max(10_000),
  })
  .strict();

/**
 * Gateways: users register them (a token each) and see their status; the gateways themselves, with
 * their token, fetch their configuration, report status and announce devices they discovered.
 */
export const gatewayRoutes: FastifyPluginAsyncZod<FeatureDeps> = async (app, { gateways, identity, config }) => {
  app.get(
    '/api/v1/gateways',
    { config: { permission: 'gateway:read' }, schema: { tags: ['gateways'], summary: 'Gateways visible to the caller, with their last status', response: { 200: listOf(gatewaySchema), ...authErrors } } },
    async (request) => ({ items: (await gateways.list(scopeOf(callerOf(request)))).map((g) => gatewayView(g)) }),
  );
  app.post(
    '/api/v1/gateways',
    {
      config: { permission: 'gateway:write' },
      schema: { tags: ['gateways'], summary: 'Register a gateway; the answer carries its token, shown only this once', body: createGatewaySchema, response: { 201: registeredGatewaySchema, ...authErrors, 409: errorBodySchema } },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      // Enterprise users register gateways for their own enterprise only.
      const tenantId = caller.tenantId ?? request.body.tenantId ?? null;
      if (caller.tenantId !== null && request.body.tenantId != null && request.body.tenantId !== caller.tenantId) throw new YulianError('FORBIDDEN', 'You can register gateways only for your own enterprise.');
      if (tenantId !== null) await identity.getEnterprise(caller, tenantId);
      const { gateway, token } = await gateways.create({ id: request.body.id, name: request.body.name, tenantId });
      await identity.audit.append({ tenantId, actor: caller.username, ip: request.ip, action: 'gateway.create', target: gateway.id, outcome: 'success' });
      return reply.status(201).send({ gateway: gatewayView(gateway), token });
    },
  );
  app.get(
    '/api/v1/gateways/:id',
    { config: { permission: 'gateway:read' }, schema: { tags: ['gateways'], summary: 'One gateway with its last status', params, response: { 200: gatewaySchema, ...authErrors, ...notFound } } },
    async (request) => gatewayView(await gateways.get(scopeOf(callerOf(request)), request.params.id)),
  );
  app.post(
    '/api/v1/gateways/:id/token',
    { config: { permission: 'gateway:write' }, schema: { tags: ['gateways'], summary: 'Replace the gateway’s token (the old one stops working)', params, response: { 200: registeredGatewaySchema, ...authErrors, ...notFound } } },
    async (request) => {
      const caller = callerOf(request);
      const { gateway, token } = await gateways.rotateToken(scopeOf(caller), request.params.id);
      await identity.audit.append({ tenantId: gateway.tenantId, actor: caller.username, ip: request.ip, action: 'gateway.token', target: gateway.id, outcome: 'success' });
      return { gateway: gatewayView(gateway), token };
    },
  );
  app.delete(
    '/api/v1/gateways/:id',
    { config: { permission: 'gateway:write' }, schema: { tags: ['gateways'], summary: 'Remove a gateway and its device configurations', params, response: { 204: z.null(), ...authErrors, ...notFound } } },
    async (request, reply) => {
      const caller = callerOf(request);
      const g = await gateways.get(scopeOf(caller), request.params.id);
      await gateways.remove(scopeOf(caller), g.id);
      await identity.audit.append({ tenantId: g.tenantId, actor: caller.username, ip: request.ip, action: 'gateway.delete', target: g.id, outcome: 'success' });
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/v1/gateways/:id/browse',
    {
      config: { permission: 'device:write' },
      schema: {
        tags: ['gateways'],
        summary: 'Browse an OPC UA server’s address space from the gateway, to pick points for a new device',
        params,
        body: browseRequestSchema,
        response: { 200: z.object({ nodes: z.array(browseNodeSchema) }), ...authErrors, ...notFound, 502: errorBodySchema },
      },
    },
    async (request) => {
      const g = await gateways.get(scopeOf(callerOf(request)), request.params.id);
      // The embedded gateway browses from the platform's own network, with its own certificate; a remote
      // gateway would need a request channel down to it, which arrives with remote control.
      if (g.id !== 'embedded') throw new YulianError('NOT_SUPPORTED', `Browsing from remote gateway ${g.id} is not supported yet; add the device by its node ids, or browse from the embedded gateway.`);
      const body = request.body;
      const nodes = await browseOpcua({
        endpointUrl: body.endpointUrl,
        securityMode: body.securityMode,
        securityPolicy: body.securityPolicy,
        auth: body.auth,
        pkiDir: join(config.dataDir, 'gateway', 'pki'),
        depth: body.depth,
        ...(body.nodeId ? { rootNodeId: body.nodeId } : {}),
      });
      return { nodes };
    },
  );

  // The gateway's own side, authenticated by its token rather than a user's.
  app.get(
    '/api/v1/gateway/config',
    {
      config: { public: true },
      schema: {
        tags: ['gateway agent'],
        summary: 'For gateways: who the token belongs to and the devices to run',
        security: [{ bearer: [] }],
        response: { 200: z.object({ gateway: z.object({ id: z.string(), name: z.string(), tenantId: z.string().nullable() }), version: z.number(), devices: z.array(z.record(z.string(), z.unknown())) }), 401: errorBodySchema },
      },
    },
    async (request) => {
      const g = await gatewayOf(request, gateways);
      const config = await gateways.configOf(g.id);
      return { gateway: { id: g.id, name: g.name, tenantId: g.tenantId }, version: config.version, devices: config.devices.map((d) => d.config) };
    },
  );
  app.post(
    '/api/v1/gateway/status',
    {
      config: { public: true },
      schema: {
        tags: ['gateway agent'],
        summary: 'For gateways: report status (uplink, buffer, devices); answers the configuration version to run',
        security: [{ bearer: [] }],
        body: z.object({ id: z.string(), devices: z.array(z.object({ device: z.string(), state: z.string() }).passthrough()).max(100_000) }).passthrough(),
        response: { 200: z.object({ configVersion: z.number() }), 401: errorBodySchema },
      },
    },
    async (request) => {
      const g = await gatewayOf(request, gateways);
      const updated = await gateways.reportStatus(g.id, request.body);
      return { configVersion: updated.configVersion };
    },
  );
  app.post(
    '/api/v1/gateway/devices',
    {
      config: { public: true },
      schema: { tags: ['gateway agent'], summary: 'For gateways: announce devices found by a connection (Sparkplug births)', security: [{ bearer: [] }], body: discoveredSchema, response: { 204: z.null(), 401: errorBodySchema } },
    },
    async (request, reply) => {
      const g = await gatewayOf(request, gateways);
      const scope = g.tenantId === null ? ({ kind: 'all' } as const) : ({ kind: 'tenant', tenantId: g.tenantId } as const);
      for (const d of request.body.devices) {
        await gateways.putDevice(scope, { id: d.device, gatewayId: g.id, name: d.name ?? d.device, protocol: d.protocol, source: 'discovered', config: { id: d.device, protocol: d.protocol, points: d.points } });
      }
      return reply.status(204).send(null);
    },
  );
};

/** Validates a device configuration against its protocol's schema, naming the failing fields. */
export function parseDeviceConfig(config: Record<string, unknown>) {
  const parsed = connectionSchema.safeParse(config);
  if (!parsed.success) {
    throw new YulianError('DEVICE_CONFIG_INVALID', parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '), {
      details: { issues: parsed.error.issues.slice(0, 50).map((i) => ({ path: i.path.join('.'), message: i.message })) },
    });
  }
  return parsed.data;
}
