import { auditEntrySchema, listOf, overviewSchema } from '@yulian/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { callerOf } from '../../plugins/auth.js';
import type { FeatureDeps } from '../deps.js';
import { authErrors } from '../errors-schema.js';

/** The audit log (read-only) and the home page overview. */
export const auditRoutes: FastifyPluginAsyncZod<FeatureDeps> = async (app, { identity }) => {
  app.get(
    '/api/v1/audit',
    {
      config: { permission: 'audit:read' },
      schema: {
        tags: ['audit'],
        summary: 'Audit log entries, newest first, scoped to the caller’s tenant',
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100), action: z.string().max(64).optional() }),
        response: { 200: listOf(auditEntrySchema), ...authErrors },
      },
    },
    async (request) => ({ items: await identity.listAudit(callerOf(request), request.query) }),
  );
  app.get(
    '/api/v1/overview',
    { config: { permission: 'overview:read' }, schema: { tags: ['overview'], summary: 'Home page figures; aggregates across tenants for authorities and platform admins', response: { 200: overviewSchema, ...authErrors } } },
    async (request) => identity.overview(callerOf(request)),
  );
};
