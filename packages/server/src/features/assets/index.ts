import { assetNodeKinds, assetNodeSchema, assetSummarySchema, assetTreeNodeSchema, createAssetNodeSchema, deviceAssetSchema, gridPlanSchema, lifecycleStates, listOf, updateAssetNodeSchema } from '@yulian/contracts';
import { YulianError, scopeOf } from '@yulian/core';
import { planMaxBytes } from '@yulian/devices';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { callerOf } from '../../plugins/auth.js';
import type { FeatureDeps } from '../deps.js';
import { authErrors, notFound } from '../errors-schema.js';
import { deviceAssetRoutes } from './device-routes.js';
import { auditOf, conflict, sendFile } from './http.js';

const params = z.object({ id: z.string().min(1).max(128) });
const imageTypes = ['image/png', 'image/jpeg', 'image/svg+xml', 'application/octet-stream'];

/**
 * The asset tree: sites, workshops and lines with floor plans (an image or a grid), device asset
 * records and the cross-enterprise summary; the per-device routes (placement, lifecycle, history,
 * documents, QR label) are in `device-routes.ts`.
 */
export const assetRoutes: FastifyPluginAsyncZod<FeatureDeps> = async (app, deps) => {
  const { assets } = deps;
  // Floor plan images arrive as their raw bytes; their type is decided by the bytes, not this header.
  app.addContentTypeParser(imageTypes, { parseAs: 'buffer', bodyLimit: planMaxBytes }, (_request, body, done) => done(null, body));

  app.get(
    '/api/v1/assets/nodes',
    { config: { permission: 'device:read' }, schema: { tags: ['assets'], summary: 'Sites, workshops and lines of the caller’s enterprise', querystring: z.object({ kind: z.enum(assetNodeKinds).optional(), parentId: z.string().optional() }), response: { 200: listOf(assetNodeSchema), ...authErrors } } },
    async (request) => ({ items: await assets.nodes.list(scopeOf(callerOf(request)), request.query) }),
  );
  app.post(
    '/api/v1/assets/nodes',
    { config: { permission: 'device:write' }, schema: { tags: ['assets'], summary: 'Add a site (no parent), a workshop (under a site) or a line (under a workshop)', body: createAssetNodeSchema, response: { 201: assetNodeSchema, ...authErrors, ...notFound, ...conflict } } },
    async (request, reply) => {
      const node = await assets.nodes.create(scopeOf(callerOf(request)), request.body);
      await auditOf(deps, request, { action: 'asset.node.create', target: node.id, tenantId: node.tenantId, details: { kind: node.kind, code: node.code, parentId: node.parentId } });
      return reply.status(201).send(node);
    },
  );
  app.get(
    '/api/v1/assets/nodes/:id',
    { config: { permission: 'device:read' }, schema: { tags: ['assets'], summary: 'A site, workshop or line', params, response: { 200: assetNodeSchema, ...authErrors, ...notFound } } },
    async (request) => assets.nodes.get(scopeOf(callerOf(request)), request.params.id),
  );
  app.patch(
    '/api/v1/assets/nodes/:id',
    { config: { permission: 'device:write' }, schema: { tags: ['assets'], summary: 'Rename or describe a node, or set its GPS position', params, body: updateAssetNodeSchema, response: { 200: assetNodeSchema, ...authErrors, ...notFound } } },
    async (request) => {
      const node = await assets.nodes.update(scopeOf(callerOf(request)), request.params.id, request.body);
      await auditOf(deps, request, { action: 'asset.node.update', target: node.id, tenantId: node.tenantId, details: { ...request.body } });
      return node;
    },
  );
  app.delete(
    '/api/v1/assets/nodes/:id',
    { config: { permission: 'device:write' }, schema: { tags: ['assets'], summary: 'Remove an empty node (no child nodes, no devices)', params, response: { 204: z.null(), ...authErrors, ...notFound, ...conflict } } },
    async (request, reply) => {
      const node = await assets.nodes.remove(scopeOf(callerOf(request)), request.params.id);
      await auditOf(deps, request, { action: 'asset.node.delete', target: node.id, tenantId: node.tenantId, details: { kind: node.kind, code: node.code } });
      return reply.status(204).send(null);
    },
  );
  app.put(
    '/api/v1/assets/nodes/:id/plan',
    {
      config: { permission: 'device:write' },
      bodyLimit: planMaxBytes,
      schema: {
        tags: ['assets'],
        summary: 'Set a site’s floor plan: a PNG, JPEG or SVG image as the raw body (≤ 5 MB, recognised by its bytes), or JSON {"grid":{"rows","cols"}}',
        params,
        response: { 200: assetNodeSchema, ...authErrors, ...notFound, 413: authErrors[400].describe('PAYLOAD_TOO_LARGE'), 415: authErrors[400].describe('FILE_TYPE_INVALID') },
      },
    },
    async (request) => {
      const scope = scopeOf(callerOf(request));
      const body: unknown = request.body;
      let node;
      if (Buffer.isBuffer(body)) {
        node = await assets.nodes.setImagePlan(scope, request.params.id, { data: body, name: 'floor-plan', actor: callerOf(request).username });
      } else {
        const grid = gridPlanSchema.safeParse(body);
        if (!grid.success) throw new YulianError('VALIDATION_FAILED', 'Send an image (image/png, image/jpeg, image/svg+xml) or {"grid":{"rows":1..1000,"cols":1..1000}}.');
        node = await assets.nodes.setGridPlan(scope, request.params.id, grid.data.grid);
      }
      await auditOf(deps, request, { action: 'asset.plan.set', target: node.id, tenantId: node.tenantId, details: { plan: node.plan } });
      return node;
    },
  );
  app.get(
    '/api/v1/assets/nodes/:id/plan',
    { config: { permission: 'device:read' }, schema: { tags: ['assets'], summary: 'A site’s floor plan image (404 FILE_NOT_FOUND for a grid plan or none)', params, response: { ...authErrors, ...notFound } } },
    async (request, reply) => sendFile(reply, await assets.nodes.planImage(scopeOf(callerOf(request)), request.params.id), 'inline'),
  );
  app.get(
    '/api/v1/assets/tree',
    { config: { permission: 'device:read' }, schema: { tags: ['assets'], summary: 'Sites with their workshops and lines and the devices placed in each', response: { 200: listOf(assetTreeNodeSchema), ...authErrors } } },
    async (request) => ({ items: await assets.devices.tree(scopeOf(callerOf(request))) }),
  );
  app.get(
    '/api/v1/assets/devices',
    {
      config: { permission: 'device:read' },
      schema: { tags: ['assets'], summary: 'Asset records of devices (placement, lifecycle, identifier); devices without one are unplaced', querystring: z.object({ siteId: z.string().optional(), areaId: z.string().optional(), lifecycle: z.enum(lifecycleStates).optional() }), response: { 200: listOf(deviceAssetSchema), ...authErrors } },
    },
    async (request) => ({ items: await assets.devices.list(scopeOf(callerOf(request)), request.query) }),
  );
  app.get(
    '/api/v1/assets/resolve/:identifier',
    { config: { permission: 'device:read' }, schema: { tags: ['assets'], summary: 'The device a label’s identifier (`urn:uuid:…` or the bare uid) belongs to', params: z.object({ identifier: z.string().min(1).max(200) }), response: { 200: deviceAssetSchema, ...authErrors, ...notFound } } },
    async (request) => assets.devices.byUid(scopeOf(callerOf(request)), request.params.identifier),
  );
  app.get(
    '/api/v1/assets/summary',
    {
      config: { permission: 'asset:summary' },
      schema: { tags: ['assets'], summary: 'Device counts per enterprise and site by lifecycle state and online/offline — counts only, for authorities across enterprises', response: { 200: assetSummarySchema, ...authErrors } },
    },
    async (request) => assets.summary(scopeOf(callerOf(request)), deps.live.presence.list()),
  );

  await app.register(deviceAssetRoutes, deps);
};
