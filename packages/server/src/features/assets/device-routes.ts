import { deviceAssetSchema, deviceDocumentSchema, deviceHistoryEntrySchema, documentUploadQuerySchema, lifecycleChangeSchema, listOf, putDeviceAssetSchema } from '@yulian/contracts';
import { YulianError, scopeOf } from '@yulian/core';
import { alarmHistoryEntries, documentMaxBytes, mergeHistory } from '@yulian/devices';
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { callerOf } from '../../plugins/auth.js';
import type { FeatureDeps } from '../deps.js';
import { authErrors, notFound } from '../errors-schema.js';
import { auditOf, conflict, sendFile } from './http.js';
import { qrLabelSvg } from './qr.js';

const params = z.object({ id: z.string().min(1).max(128) });
const docParams = params.extend({ docId: z.string().min(1).max(64) });

/** A device's asset record, lifecycle, history and QR label. */
export const deviceAssetRoutes: FastifyPluginAsyncZod<FeatureDeps> = async (app, deps) => {
  const { assets } = deps;
  app.get(
    '/api/v1/devices/:id/asset',
    { config: { permission: 'device:read' }, schema: { tags: ['assets'], summary: 'A device’s asset record; a device configured or reporting without one gets it now (in service, unplaced)', params, response: { 200: deviceAssetSchema, ...authErrors, ...notFound } } },
    async (request) => assets.devices.ensure(scopeOf(callerOf(request)), request.params.id, callerOf(request).username),
  );
  app.put(
    '/api/v1/devices/:id/asset',
    {
      config: { permission: 'device:write' },
      schema: { tags: ['assets'], summary: 'Place a device (site, area, x/y on the site plan, GPS) and set its nameplate; creates the record (a planned device) when there is none', params, body: putDeviceAssetSchema, response: { 200: deviceAssetSchema, 201: deviceAssetSchema, ...authErrors, ...notFound, ...conflict } },
    },
    async (request, reply) => {
      const { asset, created } = await assets.devices.put(scopeOf(callerOf(request)), request.params.id, request.body, callerOf(request).username);
      await auditOf(deps, request, { action: created ? 'asset.device.create' : 'asset.device.update', target: asset.device, tenantId: asset.tenantId, details: { ...request.body, uid: asset.uid } });
      return reply.status(created ? 201 : 200).send(asset);
    },
  );
  app.post(
    '/api/v1/devices/:id/lifecycle',
    {
      config: { permission: 'device:write' },
      schema: { tags: ['assets'], summary: 'Move a device to another lifecycle state (planned → installed → commissioning → in_service ⇄ under_maintenance; any → retired, which is final)', params, body: lifecycleChangeSchema, response: { 200: z.object({ asset: deviceAssetSchema, entry: deviceHistoryEntrySchema }), ...authErrors, ...notFound, ...conflict } },
    },
    async (request) => {
      const result = await assets.lifecycle.transition(scopeOf(callerOf(request)), request.params.id, request.body, callerOf(request).username);
      await auditOf(deps, request, { action: 'asset.lifecycle', target: result.asset.device, tenantId: result.asset.tenantId, details: { from: result.entry.from, to: result.entry.to, reason: result.entry.reason } });
      return result;
    },
  );
  app.get(
    '/api/v1/devices/:id/history',
    {
      config: { permission: 'device:read' },
      schema: { tags: ['assets'], summary: 'A device’s history, newest first: lifecycle transitions, alarms (raised, acknowledged, cleared), maintenance work orders (created, started, notes, done)', params, querystring: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100), kind: z.string().max(64).optional() }), response: { 200: listOf(deviceHistoryEntrySchema), ...authErrors, ...notFound } },
    },
    async (request) => {
      const scope = scopeOf(callerOf(request));
      const asset = await assets.devices.find(scope, request.params.id);
      if (!asset && !(await assets.devices.known(scope, request.params.id))) throw new YulianError('DEVICE_NOT_FOUND', `No device ${request.params.id}.`);
      const { limit, kind } = request.query;
      const entries = asset && kind !== 'alarm' ? await assets.history.list(scope, request.params.id, { ...request.query, tenantId: asset.tenantId }) : [];
      // The device's alarms are part of its story (raised, acknowledged, cleared): read from the alarms, not copied.
      const alarms = !kind || kind === 'alarm' ? alarmHistoryEntries(await deps.alarms.alarms.list(scope, { device: request.params.id, limit })) : [];
      return { items: mergeHistory(entries, alarms, limit) };
    },
  );
  app.get(
    '/api/v1/devices/:id/qr.svg',
    {
      config: { permission: 'device:read' },
      schema: { tags: ['assets'], summary: 'A printable SVG QR label of the device’s stable identifier (`?content=url`: the console link instead), with the identifier and device id as text', params, querystring: z.object({ content: z.enum(['identifier', 'url']).default('identifier') }), response: { ...authErrors, ...notFound } },
    },
    async (request, reply) => {
      const asset = await assets.devices.ensure(scopeOf(callerOf(request)), request.params.id, callerOf(request).username);
      const content = request.query.content === 'url' ? `${request.protocol}://${request.host}/#/devices/${encodeURIComponent(asset.device)}` : asset.identifier;
      // Not JSON: the raw reply, past the schema's serializer.
      return (reply as FastifyReply).header('content-type', 'image/svg+xml; charset=utf-8').header('content-disposition', `inline; filename="${asset.device.replace(/[^A-Za-z0-9_.-]/g, '_')}-qr.svg"`).send(qrLabelSvg(content, [asset.identifier, asset.device]));
    },
  );

  await app.register(documentRoutes, deps);
};

/** Documents: uploaded as the raw body (any type, ≤ 20 MB) so this scope parses every body as bytes. */
const documentRoutes: FastifyPluginAsyncZod<FeatureDeps> = async (app, deps) => {
  const { assets } = deps;
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: documentMaxBytes }, (_request, body, done) => done(null, body));
  app.post(
    '/api/v1/devices/:id/documents',
    {
      config: { permission: 'device:write' },
      bodyLimit: documentMaxBytes,
      schema: { tags: ['assets'], summary: 'Attach a document (manual, certificate …): the file is the raw body with its content-type; ≤ 20 MB', params, querystring: documentUploadQuerySchema, response: { 201: deviceDocumentSchema, ...authErrors, ...notFound, 413: authErrors[400].describe('PAYLOAD_TOO_LARGE') } },
    },
    async (request, reply) => {
      const body: unknown = request.body;
      if (!Buffer.isBuffer(body) || body.length === 0) throw new YulianError('BAD_REQUEST', 'Send the file as the request body with its content-type, and its name in ?name=.');
      const contentType = (request.headers['content-type'] ?? 'application/octet-stream').split(';')[0]!.trim().toLowerCase() || 'application/octet-stream';
      const doc = await assets.addDocument(scopeOf(callerOf(request)), request.params.id, { name: request.query.name, category: request.query.category, contentType, data: body, actor: callerOf(request).username });
      const asset = await assets.devices.find(scopeOf(callerOf(request)), request.params.id);
      await auditOf(deps, request, { action: 'asset.document.add', target: request.params.id, tenantId: asset?.tenantId ?? null, details: { document: doc.id, name: doc.name, size: doc.size, sha256: doc.sha256 } });
      return reply.status(201).send(doc);
    },
  );
  app.get(
    '/api/v1/devices/:id/documents',
    { config: { permission: 'device:read' }, schema: { tags: ['assets'], summary: 'A device’s documents', params, response: { 200: listOf(deviceDocumentSchema), ...authErrors, ...notFound } } },
    async (request) => ({ items: await assets.listDocuments(scopeOf(callerOf(request)), request.params.id) }),
  );
  app.get(
    '/api/v1/devices/:id/documents/:docId',
    { config: { permission: 'device:read' }, schema: { tags: ['assets'], summary: 'Download a document', params: docParams, response: { ...authErrors, ...notFound } } },
    async (request, reply) => sendFile(reply, await assets.getDocument(scopeOf(callerOf(request)), request.params.id, request.params.docId), 'attachment'),
  );
  app.delete(
    '/api/v1/devices/:id/documents/:docId',
    { config: { permission: 'device:write' }, schema: { tags: ['assets'], summary: 'Delete a document', params: docParams, response: { 204: z.null(), ...authErrors, ...notFound } } },
    async (request, reply) => {
      const scope = scopeOf(callerOf(request));
      const doc = await assets.removeDocument(scope, request.params.id, request.params.docId);
      const asset = await assets.devices.find(scope, request.params.id);
      await auditOf(deps, request, { action: 'asset.document.delete', target: request.params.id, tenantId: asset?.tenantId ?? null, details: { document: doc.id, name: doc.name } });
      return reply.status(204).send(null);
    },
  );
};
