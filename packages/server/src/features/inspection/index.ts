import {
  errorBodySchema,
  inspectionCheckInInputSchema,
  inspectionCheckInSchema,
  inspectionPlanInputSchema,
  inspectionPlanSchema,
  inspectionRecordSchema,
  inspectionRouteInputSchema,
  inspectionRouteSchema,
  inspectionStandardInputSchema,
  inspectionStandardSchema,
  inspectionSubmitInputSchema,
  inspectionTaskSchema,
  inspectionTaskStatuses,
  listOf,
} from '@yulian/contracts';
import { type Scope, can, scopeOf } from '@yulian/core';
import { type InspectionActor, createInspectionService, createMaintenanceService } from '@yulian/devices';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { callerOf } from '../../plugins/auth.js';
import type { FeatureDeps } from '../deps.js';
import { authErrors } from '../errors-schema.js';
import { deviceIdentifierOf } from '../identifier-links/device-identifiers.js';

const tags = ['inspection'];
const idParams = z.object({ id: z.string().min(1).max(64) });
const invalid = (codes: string) => ({ 400: errorBodySchema.describe(codes) }) as const;
const notFound = (codes: string) => ({ 404: errorBodySchema.describe(codes) }) as const;
/** How often plans are checked for rounds to issue. */
const planCheckMs = 30_000;

/**
 * Spot inspection (定位点检, issue 6 item 9) under `/api/v1/inspection`: standards per device profile,
 * routes and plans (engineers and admins), rounds issued from plans every 30 s (`…/tasks?mine=true` for the
 * caller's), check-in at a device (identifier and position checked here, never trusted from the page) and
 * results (an abnormal one opens a work order); a device's records at `/api/v1/devices/{id}/inspections`.
 */
export const inspectionRoutes: FastifyPluginAsyncZod<FeatureDeps> = async (app, deps) => {
  const maintenance = createMaintenanceService({ store: deps.store, assets: deps.assets });
  const identifiersOf = async (tenantId: string | null, device: string): Promise<string[]> => {
    const handle = await deviceIdentifierOf(deps, device, tenantId);
    return handle ? [handle] : [];
  };
  const inspection = createInspectionService({ store: deps.store, assets: deps.assets, maintenance, identifiersOf });
  const actorOf = (request: FastifyRequest): InspectionActor => {
    const caller = callerOf(request);
    return { username: caller.username, manage: can(caller.role, 'inspection:manage') };
  };
  const scope = (request: FastifyRequest): Scope => scopeOf(callerOf(request));
  const audit = async (request: FastifyRequest, action: string, target: string, details: Record<string, unknown> = {}): Promise<void> => {
    const caller = callerOf(request);
    await deps.identity.audit.append({ tenantId: caller.tenantId, actor: caller.username, ip: request.ip, action, target, outcome: 'success', details });
  };

  const log = deps.logger.child({ component: 'inspection' });
  const run = (): Promise<void> =>
    inspection.runPlans().then(
      (issued) => void (issued.length && log.info({ tasks: issued.map((t) => t.id) }, 'inspection rounds issued')),
      (err: unknown) => log.error({ err }, 'inspection plans failed'),
    );
  const timer = setInterval(() => void run(), planCheckMs);
  timer.unref();
  app.addHook('onClose', async () => clearInterval(timer));

  // Standards
  app.get('/api/v1/inspection/standards', { config: { permission: 'device:read' }, schema: { tags, summary: 'Inspection standards (one per device profile)', response: { 200: listOf(inspectionStandardSchema), ...authErrors } } }, async (request) => ({
    items: await inspection.definitions.standards.list(scope(request)),
  }));
  app.post(
    '/api/v1/inspection/standards',
    { config: { permission: 'inspection:manage' }, schema: { tags, summary: 'Create a device profile’s inspection standard: visual, measured (unit and normal range) and OK/NOK items', body: inspectionStandardInputSchema, response: { 201: inspectionStandardSchema, ...authErrors, ...invalid('INSPECTION_STANDARD_INVALID: details.field, details.item') } } },
    async (request, reply) => {
      const s = await inspection.definitions.standards.create(scope(request), request.body, callerOf(request).username);
      await audit(request, 'inspection.standard.create', s.id, { profile: s.profileId });
      return reply.status(201).send(s);
    },
  );
  app.get('/api/v1/inspection/standards/:id', { config: { permission: 'device:read' }, schema: { tags, summary: 'One inspection standard', params: idParams, response: { 200: inspectionStandardSchema, ...authErrors, ...notFound('INSPECTION_STANDARD_NOT_FOUND') } } }, async (request) =>
    inspection.definitions.standards.get(scope(request), request.params.id),
  );
  app.put(
    '/api/v1/inspection/standards/:id',
    { config: { permission: 'inspection:manage' }, schema: { tags, summary: 'Replace a standard’s name and items', params: idParams, body: inspectionStandardInputSchema, response: { 200: inspectionStandardSchema, ...authErrors, ...invalid('INSPECTION_STANDARD_INVALID'), ...notFound('INSPECTION_STANDARD_NOT_FOUND') } } },
    async (request) => {
      const s = await inspection.definitions.standards.update(scope(request), request.params.id, request.body);
      await audit(request, 'inspection.standard.update', s.id);
      return s;
    },
  );
  app.delete('/api/v1/inspection/standards/:id', { config: { permission: 'inspection:manage' }, schema: { tags, summary: 'Delete a standard', params: idParams, response: { 200: inspectionStandardSchema, ...authErrors, ...notFound('INSPECTION_STANDARD_NOT_FOUND') } } }, async (request) => {
    const s = await inspection.definitions.standards.remove(scope(request), request.params.id);
    await audit(request, 'inspection.standard.delete', s.id);
    return s;
  });

  // Routes
  app.get('/api/v1/inspection/routes', { config: { permission: 'device:read' }, schema: { tags, summary: 'Inspection routes', response: { 200: listOf(inspectionRouteSchema), ...authErrors } } }, async (request) => ({ items: await inspection.definitions.routes.list(scope(request)) }));
  app.post(
    '/api/v1/inspection/routes',
    { config: { permission: 'inspection:manage' }, schema: { tags, summary: 'Create a route: devices in walking order, each with a standard (by its profile)', body: inspectionRouteInputSchema, response: { 201: inspectionRouteSchema, ...authErrors, ...invalid('INSPECTION_ROUTE_INVALID: details.device') } } },
    async (request, reply) => {
      const r = await inspection.definitions.routes.create(scope(request), request.body, callerOf(request).username);
      await audit(request, 'inspection.route.create', r.id, { devices: r.devices });
      return reply.status(201).send(r);
    },
  );
  app.get('/api/v1/inspection/routes/:id', { config: { permission: 'device:read' }, schema: { tags, summary: 'One route', params: idParams, response: { 200: inspectionRouteSchema, ...authErrors, ...notFound('INSPECTION_ROUTE_NOT_FOUND') } } }, async (request) =>
    inspection.definitions.routes.get(scope(request), request.params.id),
  );
  app.delete('/api/v1/inspection/routes/:id', { config: { permission: 'inspection:manage' }, schema: { tags, summary: 'Delete a route', params: idParams, response: { 200: inspectionRouteSchema, ...authErrors, ...notFound('INSPECTION_ROUTE_NOT_FOUND') } } }, async (request) => {
    const r = await inspection.definitions.routes.remove(scope(request), request.params.id);
    await audit(request, 'inspection.route.delete', r.id);
    return r;
  });

  // Plans
  app.get('/api/v1/inspection/plans', { config: { permission: 'device:read' }, schema: { tags, summary: 'Inspection plans', response: { 200: listOf(inspectionPlanSchema), ...authErrors } } }, async (request) => ({ items: await inspection.definitions.plans.list(scope(request)) }));
  app.post(
    '/api/v1/inspection/plans',
    {
      config: { permission: 'inspection:manage' },
      schema: { tags, summary: 'Create a plan: a route on a schedule (every N hours/days, or daily at times in Asia/Shanghai), assignees, window and grace; the round running now is issued at once', body: inspectionPlanInputSchema, response: { 201: inspectionPlanSchema, ...authErrors, ...invalid('INSPECTION_PLAN_INVALID: details.field'), ...notFound('INSPECTION_ROUTE_NOT_FOUND') } },
    },
    async (request, reply) => {
      const p = await inspection.definitions.plans.create(scope(request), request.body, callerOf(request).username);
      await audit(request, 'inspection.plan.create', p.id, { route: p.routeId, assignees: p.assignees });
      await inspection.runPlans();
      return reply.status(201).send(await inspection.definitions.plans.get(scope(request), p.id));
    },
  );
  app.get('/api/v1/inspection/plans/:id', { config: { permission: 'device:read' }, schema: { tags, summary: 'One plan', params: idParams, response: { 200: inspectionPlanSchema, ...authErrors, ...notFound('INSPECTION_PLAN_NOT_FOUND') } } }, async (request) =>
    inspection.definitions.plans.get(scope(request), request.params.id),
  );
  app.delete('/api/v1/inspection/plans/:id', { config: { permission: 'inspection:manage' }, schema: { tags, summary: 'Delete a plan (its rounds and records stay)', params: idParams, response: { 200: inspectionPlanSchema, ...authErrors, ...notFound('INSPECTION_PLAN_NOT_FOUND') } } }, async (request) => {
    const p = await inspection.definitions.plans.remove(scope(request), request.params.id);
    await audit(request, 'inspection.plan.delete', p.id);
    return p;
  });
  app.post(
    '/api/v1/inspection/plans/run',
    { config: { permission: 'inspection:manage' }, schema: { tags, summary: 'Issue due rounds now (plans are checked every 30 s anyway): the rounds issued', response: { 200: listOf(inspectionTaskSchema), ...authErrors } } },
    async (request) => {
      const s = scope(request);
      const issued = await inspection.runPlans();
      return { items: s.kind === 'tenant' ? issued.filter((t) => t.tenantId === s.tenantId) : issued };
    },
  );

  // Rounds
  app.get(
    '/api/v1/inspection/tasks',
    {
      config: { permission: 'device:read' },
      schema: {
        tags,
        summary: 'Inspection rounds, newest start first: open, overdue (past the window), missed (grace over) or done',
        querystring: z.object({
          mine: z.enum(['true', 'false']).optional().describe('only rounds assigned to the caller'),
          status: z.enum(inspectionTaskStatuses).optional(),
          plan: z.string().max(64).optional(),
          limit: z.coerce.number().int().min(1).max(1000).optional(),
        }),
        response: { 200: listOf(inspectionTaskSchema), ...authErrors },
      },
    },
    async (request) => {
      const { mine, ...q } = request.query;
      return { items: await inspection.listTasks(scope(request), { ...q, ...(mine === 'true' ? { assignee: callerOf(request).username } : {}) }) };
    },
  );
  app.get('/api/v1/inspection/tasks/:id', { config: { permission: 'device:read' }, schema: { tags, summary: 'One round with its devices and their records', params: idParams, response: { 200: inspectionTaskSchema, ...authErrors, ...notFound('INSPECTION_TASK_NOT_FOUND') } } }, async (request) =>
    inspection.getTask(scope(request), request.params.id),
  );
  app.post(
    '/api/v1/inspection/tasks/:id/check-in',
    {
      config: { permission: 'inspection:write' },
      schema: {
        tags,
        summary: 'Check in at a device of a round: the scanned QR code must be the device’s identifier and the position within the plan’s radius (default 100 m) of the device or its site',
        params: idParams,
        body: inspectionCheckInInputSchema,
        response: {
          201: inspectionCheckInSchema,
          ...authErrors,
          403: errorBodySchema.describe('FORBIDDEN or INSPECTION_NOT_ASSIGNED'),
          ...notFound('INSPECTION_TASK_NOT_FOUND, DEVICE_NOT_FOUND or INSPECTION_STANDARD_NOT_FOUND'),
          409: errorBodySchema.describe('INSPECTION_TASK_CLOSED, INSPECTION_WRONG_DEVICE, INSPECTION_TOO_FAR (details.distanceMeters, radiusMeters) or INSPECTION_POSITION_UNAVAILABLE'),
        },
      },
    },
    async (request, reply) => {
      try {
        const checkIn = await inspection.checkIn(scope(request), request.params.id, request.body, actorOf(request));
        return await reply.status(201).send(checkIn);
      } catch (err) {
        // Refused check-ins are kept in the audit log: where the phone was and why it was turned away.
        const caller = callerOf(request);
        await deps.identity.audit.append({ tenantId: caller.tenantId, actor: caller.username, ip: request.ip, action: 'inspection.check_in', target: request.params.id, outcome: 'failure', details: { device: request.body.device, position: request.body.position, error: (err as { code?: string }).code ?? 'INTERNAL' } });
        throw err;
      }
    },
  );
  app.post(
    '/api/v1/inspection/records/:id/submit',
    {
      config: { permission: 'inspection:write' },
      schema: {
        tags,
        summary: 'Submit a checked-in record’s results; an abnormal one (NOK, or a value out of its normal range) opens a work order (source inspection)',
        params: idParams,
        body: inspectionSubmitInputSchema,
        response: { 200: inspectionRecordSchema, ...authErrors, 403: errorBodySchema.describe('FORBIDDEN or INSPECTION_NOT_ASSIGNED'), ...invalid('INSPECTION_RESULTS_INVALID: details.item'), ...notFound('INSPECTION_RECORD_NOT_FOUND'), 409: errorBodySchema.describe('INSPECTION_TASK_CLOSED') },
      },
    },
    async (request) => {
      const record = await inspection.submit(scope(request), request.params.id, request.body, actorOf(request));
      await audit(request, 'inspection.submit', record.id, { device: record.device, abnormal: record.abnormal, workOrder: record.workOrder });
      return record;
    },
  );
  app.get('/api/v1/inspection/records/:id', { config: { permission: 'device:read' }, schema: { tags, summary: 'One inspection record', params: idParams, response: { 200: inspectionRecordSchema, ...authErrors, ...notFound('INSPECTION_RECORD_NOT_FOUND') } } }, async (request) =>
    inspection.getRecord(scope(request), request.params.id),
  );
  app.get(
    '/api/v1/devices/:id/inspections',
    { config: { permission: 'device:read' }, schema: { tags, summary: 'A device’s inspection records, newest first', params: z.object({ id: z.string().min(1).max(128) }), querystring: z.object({ limit: z.coerce.number().int().min(1).max(500).optional() }), response: { 200: listOf(inspectionRecordSchema), ...authErrors } } },
    async (request) => ({ items: await inspection.deviceRecords(scope(request), request.params.id, request.query.limit) }),
  );
};
