import { createDashboardSchema, dashboardSchema, dashboardSummarySchema, errorBodySchema, listOf, updateDashboardSchema } from '@yulian/contracts';
import { scopeOf } from '@yulian/core';
import { createDashboardStore } from '@yulian/devices';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { callerOf } from '../../plugins/auth.js';
import type { FeatureDeps } from '../deps.js';
import { authErrors } from '../errors-schema.js';

const params = z.object({ id: z.string().min(1).max(64) });
const dashboardNotFound = { 404: errorBodySchema.describe('DASHBOARD_NOT_FOUND (also another tenant’s)') } as const;

/**
 * Console dashboards (看板), per tenant: anyone who may read devices lists and opens them; those who may
 * change devices create, replace and delete them. The layout is checked against the contracts' schema
 * (widget kinds and their fields); every change is audited as `dashboard.create|update|delete`.
 */
export const dashboardRoutes: FastifyPluginAsyncZod<FeatureDeps> = async (app, { store, identity }) => {
  const dashboards = createDashboardStore(store);
  const audit = (request: { ip: string }, entry: { tenantId: string | null; actor: string; action: string; target: string; details?: Record<string, unknown> }) =>
    identity.audit.append({ ...entry, ip: request.ip, outcome: 'success' });

  app.get(
    '/api/v1/dashboards',
    { config: { permission: 'device:read' }, schema: { tags: ['dashboards'], summary: 'The caller’s tenant’s dashboards, by name (without layouts)', response: { 200: listOf(dashboardSummarySchema), ...authErrors } } },
    async (request) => ({ items: await dashboards.list(scopeOf(callerOf(request))) }),
  );
  app.post(
    '/api/v1/dashboards',
    {
      config: { permission: 'device:write' },
      schema: { tags: ['dashboards'], summary: 'Create a dashboard `{name, layout}` for the caller’s enterprise', body: createDashboardSchema, response: { 201: dashboardSchema, ...authErrors } },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      const created = await dashboards.create(caller.tenantId, request.body, caller.username);
      await audit(request, { tenantId: caller.tenantId, actor: caller.username, action: 'dashboard.create', target: created.id, details: { name: created.name, widgets: created.layout.widgets.length } });
      return reply.status(201).send(created);
    },
  );
  app.get(
    '/api/v1/dashboards/:id',
    { config: { permission: 'device:read' }, schema: { tags: ['dashboards'], summary: 'One dashboard with its layout', params, response: { 200: dashboardSchema, ...authErrors, ...dashboardNotFound } } },
    async (request) => dashboards.get(scopeOf(callerOf(request)), request.params.id),
  );
  app.put(
    '/api/v1/dashboards/:id',
    {
      config: { permission: 'device:write' },
      schema: { tags: ['dashboards'], summary: 'Replace a dashboard’s name and layout', params, body: updateDashboardSchema, response: { 200: dashboardSchema, ...authErrors, ...dashboardNotFound } },
    },
    async (request) => {
      const caller = callerOf(request);
      const updated = await dashboards.update(scopeOf(caller), request.params.id, request.body, caller.username);
      await audit(request, { tenantId: updated.tenantId, actor: caller.username, action: 'dashboard.update', target: updated.id, details: { name: updated.name, widgets: updated.layout.widgets.length } });
      return updated;
    },
  );
  app.delete(
    '/api/v1/dashboards/:id',
    { config: { permission: 'device:write' }, schema: { tags: ['dashboards'], summary: 'Delete a dashboard', params, response: { 204: z.null(), ...authErrors, ...dashboardNotFound } } },
    async (request, reply) => {
      const caller = callerOf(request);
      const removed = await dashboards.remove(scopeOf(caller), request.params.id);
      await audit(request, { tenantId: removed.tenantId, actor: caller.username, action: 'dashboard.delete', target: removed.id, details: { name: removed.name } });
      return reply.status(204).send(null);
    },
  );
};
