import { importModes, importReportSchema, importRequestSchema, listOf, profileSchema, putProfileSchema } from '@yulian/contracts';
import { YulianError, scopeOf } from '@yulian/core';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { callerOf } from '../../plugins/auth.js';
import type { FeatureDeps } from '../deps.js';
import { authErrors, notFound } from '../errors-schema.js';
import { auditOf, conflict } from '../assets/http.js';

const params = z.object({ id: z.string().min(1).max(128) });
/** A CSV of 10,000 rows is about 1 MB; leave room for long names. */
const importBodyLimit = 16 * 1024 * 1024;

/** Device profiles (templates of points and defaults) and creating devices from them by CSV import. */
export const profileRoutes: FastifyPluginAsyncZod<FeatureDeps> = async (app, deps) => {
  const { assets } = deps;
  app.addContentTypeParser(['text/csv', 'text/plain'], { parseAs: 'string', bodyLimit: importBodyLimit }, (_request, body, done) => done(null, body));

  app.get(
    '/api/v1/profiles',
    { config: { permission: 'device:read' }, schema: { tags: ['profiles'], summary: 'Device profiles of the caller’s enterprise', response: { 200: listOf(profileSchema), ...authErrors } } },
    async (request) => ({ items: await assets.profiles.list(scopeOf(callerOf(request))) }),
  );
  app.post(
    '/api/v1/profiles',
    { config: { permission: 'device:write' }, schema: { tags: ['profiles'], summary: 'Add a device profile: protocol, point templates, connection defaults, data class', body: putProfileSchema, response: { 201: profileSchema, ...authErrors, ...notFound, ...conflict } } },
    async (request, reply) => {
      const profile = await assets.profiles.create(scopeOf(callerOf(request)), request.body);
      await auditOf(deps, request, { action: 'profile.create', target: profile.id, tenantId: profile.tenantId, details: { name: profile.name, protocol: profile.protocol, points: profile.points.length } });
      return reply.status(201).send(profile);
    },
  );
  app.get(
    '/api/v1/profiles/:id',
    { config: { permission: 'device:read' }, schema: { tags: ['profiles'], summary: 'A device profile', params, response: { 200: profileSchema, ...authErrors, ...notFound } } },
    async (request) => assets.profiles.get(scopeOf(callerOf(request)), request.params.id),
  );
  app.put(
    '/api/v1/profiles/:id',
    { config: { permission: 'device:write' }, schema: { tags: ['profiles'], summary: 'Replace a device profile (devices made from it keep their configuration)', params, body: putProfileSchema, response: { 200: profileSchema, ...authErrors, ...notFound, ...conflict } } },
    async (request) => {
      const profile = await assets.profiles.update(scopeOf(callerOf(request)), request.params.id, request.body);
      await auditOf(deps, request, { action: 'profile.update', target: profile.id, tenantId: profile.tenantId, details: { name: profile.name, points: profile.points.length } });
      return profile;
    },
  );
  app.delete(
    '/api/v1/profiles/:id',
    { config: { permission: 'device:write' }, schema: { tags: ['profiles'], summary: 'Delete a device profile (devices made from it stay)', params, response: { 204: z.null(), ...authErrors, ...notFound } } },
    async (request, reply) => {
      const profile = await assets.profiles.remove(scopeOf(callerOf(request)), request.params.id);
      await auditOf(deps, request, { action: 'profile.delete', target: profile.id, tenantId: profile.tenantId, details: { name: profile.name } });
      return reply.status(204).send(null);
    },
  );
  app.post(
    '/api/v1/profiles/:id/import',
    {
      config: { permission: 'device:write' },
      bodyLimit: importBodyLimit,
      schema: {
        tags: ['profiles'],
        summary: 'Create devices from the profile and a CSV (text/csv body with ?mode=, or JSON {csv, mode}); all-or-nothing answers 422 IMPORT_ROWS_INVALID with the per-row report',
        description: 'Columns: id (required), name, gateway, host, port, unitId, endpoint, site, area (codes or ids), x, y (0..1 on the site plan), lat, lon, serial, model, manufacturer, state (initial lifecycle state, default planned). At most 10,000 rows.',
        params,
        querystring: z.object({ mode: z.enum(importModes).optional() }),
        response: { 200: importReportSchema, ...authErrors, ...notFound, 422: authErrors[400].describe('IMPORT_ROWS_INVALID: details hold {imported: 0, skipped, errors: [{row, column, code, message}]}') },
      },
    },
    async (request) => {
      const body: unknown = request.body;
      let csv: string;
      let mode = request.query.mode;
      if (typeof body === 'string') csv = body;
      else {
        const parsed = importRequestSchema.safeParse(body);
        if (!parsed.success) throw new YulianError('VALIDATION_FAILED', 'Send the CSV as a text/csv body, or JSON {"csv": "…", "mode": "all-or-nothing" | "valid-rows"}.', { details: { issues: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) } });
        csv = parsed.data.csv;
        mode = mode ?? parsed.data.mode;
      }
      const scope = scopeOf(callerOf(request));
      const profile = await assets.profiles.get(scope, request.params.id);
      const report = await assets.importCsv({ scope, profileId: profile.id, csv, mode: mode ?? 'all-or-nothing', actor: callerOf(request).username });
      await auditOf(deps, request, { action: 'asset.import', target: profile.id, tenantId: profile.tenantId, details: { profile: profile.name, mode: mode ?? 'all-or-nothing', imported: report.imported, skipped: report.skipped, durationMs: report.durationMs } });
      return report;
    },
  );
};
