import {
  errorBodySchema,
  listOf,
  maintenanceScheduleInputSchema,
  maintenanceScheduleSchema,
  workOrderInputSchema,
  workOrderNoteSchema,
  workOrderPriorities,
  workOrderSchema,
  workOrderSources,
  workOrderStatusChangeSchema,
  workOrderStatuses,
  workOrderAssigneeSchema,
} from '@yulian/contracts';
import { type Scope, can, scopeOf } from '@yulian/core';
import { createMaintenanceService } from '@yulian/devices';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { callerOf } from '../../plugins/auth.js';
import type { FeatureDeps } from '../deps.js';
import { authErrors } from '../errors-schema.js';

const tags = ['maintenance'];
const idParams = z.object({ id: z.string().min(1).max(64) });
const orderNotFound = { 404: errorBodySchema.describe('WORK_ORDER_NOT_FOUND') } as const;
const scheduleNotFound = { 404: errorBodySchema.describe('MAINTENANCE_SCHEDULE_NOT_FOUND') } as const;
const conflict = { 409: errorBodySchema.describe('WORK_ORDER_TRANSITION_INVALID or WORK_ORDER_CLOSED') } as const;
const invalid = { 400: errorBodySchema.describe('VALIDATION_FAILED: details.field') } as const;
/** How often preventive schedules are checked. */
const scheduleCheckMs = 60_000;

/**
 * Maintenance: work orders (`/api/v1/work-orders`: anyone who sees devices reads them; operators and up
 * create, start, finish and annotate them) and preventive schedules (`/api/v1/maintenance-schedules`:
 * engineers and admins). Each step is in the device's history; starting a work order puts the device
 * under maintenance, finishing it returns the device to service. Schedules are checked every minute.
 */
export const maintenanceRoutes: FastifyPluginAsyncZod<FeatureDeps> = async (app, deps) => {
  const latest = async (tenantId: string | null, device: string, point: string): Promise<number | undefined> => {
    const scope: Scope = tenantId ? { kind: 'tenant', tenantId } : { kind: 'all' };
    const v = (await deps.telemetry.latest(scope, device)).find((l) => l.point === point)?.value;
    return typeof v === 'number' ? v : undefined;
  };
  const maintenance = createMaintenanceService({ store: deps.store, assets: deps.assets, alarms: deps.alarms.alarms, latest });
  const audit = async (request: FastifyRequest, action: string, target: string, details: Record<string, unknown> = {}): Promise<void> => {
    const caller = callerOf(request);
    await deps.identity.audit.append({ tenantId: caller.tenantId, actor: caller.username, ip: request.ip, action, target, outcome: 'success', details });
  };

  const log = deps.logger.child({ component: 'maintenance' });
  const timer = setInterval(() => {
    maintenance.runSchedules().then(
      (issued) => issued.length && log.info({ workOrders: issued.map((o) => o.id) }, 'preventive work orders issued'),
      (err: unknown) => log.error({ err }, 'preventive schedules failed'),
    );
  }, scheduleCheckMs);
  timer.unref();
  app.addHook('onClose', async () => clearInterval(timer));

  app.get(
    '/api/v1/work-orders',
    {
      config: { permission: 'device:read' },
      schema: {
        tags,
        summary: 'Work orders, newest first',
        querystring: z.object({
          device: z.string().max(128).optional(),
          status: z.enum([...workOrderStatuses, 'openish']).optional().describe('openish: open or in progress'),
          source: z.enum(workOrderSources).optional(),
          sourceRef: z.string().max(200).optional().describe('e.g. the alarm id'),
          assignee: z.string().max(128).optional(),
          limit: z.coerce.number().int().min(1).max(1000).optional(),
        }),
        response: { 200: listOf(workOrderSchema), ...authErrors },
      },
    },
    async (request) => ({ items: await maintenance.list(scopeOf(callerOf(request)), request.query) }),
  );
  app.post(
    '/api/v1/work-orders',
    {
      config: { permission: 'maintenance:write' },
      schema: {
        tags,
        summary: 'Create a work order: for an alarm (one per alarm: the existing one is answered with 200), a prediction, an inspection, or by hand',
        body: workOrderInputSchema,
        response: { 201: workOrderSchema, 200: workOrderSchema, ...authErrors, ...invalid, 404: errorBodySchema.describe('ALARM_NOT_FOUND or DEVICE_NOT_FOUND') },
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      const { order, created } = await maintenance.create(scopeOf(caller), request.body, caller.username);
      if (created) await audit(request, 'maintenance.work_order.create', order.id, { device: order.device, source: order.source, sourceRef: order.sourceRef });
      return reply.status(created ? 201 : 200).send(order);
    },
  );
  app.get(
    '/api/v1/work-orders/assignees',
    {
      config: { permission: 'maintenance:write' },
      schema: {
        tags,
        summary: 'Who work orders can be assigned to: the enabled users of the caller’s enterprise (all, for platform admins) whose role works on work orders, by username',
        response: { 200: listOf(workOrderAssigneeSchema), ...authErrors },
      },
    },
    async (request) => {
      const users = await deps.identity.users.list(scopeOf(callerOf(request)));
      const items = users
        .filter((u) => !u.disabled && can(u.role, 'maintenance:write'))
        .map((u) => ({ username: u.username, displayName: u.displayName, role: u.role, tenantId: u.tenantId }))
        .sort((a, b) => a.username.localeCompare(b.username));
      return { items };
    },
  );
  app.get('/api/v1/work-orders/:id', { config: { permission: 'device:read' }, schema: { tags, summary: 'One work order', params: idParams, response: { 200: workOrderSchema, ...authErrors, ...orderNotFound } } }, async (request) =>
    maintenance.get(scopeOf(callerOf(request)), request.params.id),
  );
  app.patch(
    '/api/v1/work-orders/:id',
    {
      config: { permission: 'maintenance:write' },
      schema: {
        tags,
        summary: 'Change a work order’s title, description, priority, assignee or due date',
        params: idParams,
        body: z.object({ title: z.string().min(1).max(200).optional(), description: z.string().max(5000).optional(), priority: z.enum(workOrderPriorities).optional(), assignee: z.string().min(1).max(128).nullable().optional(), dueAt: z.string().nullable().optional() }).strict(),
        response: { 200: workOrderSchema, ...authErrors, ...invalid, ...orderNotFound, ...conflict },
      },
    },
    async (request) => {
      const caller = callerOf(request);
      const order = await maintenance.update(scopeOf(caller), request.params.id, request.body, caller.username);
      await audit(request, 'maintenance.work_order.update', order.id, request.body);
      return order;
    },
  );
  app.post(
    '/api/v1/work-orders/:id/status',
    {
      config: { permission: 'maintenance:write' },
      schema: {
        tags,
        summary: 'Start (in_progress: the device goes under maintenance unless `maintenance: false`), finish (done) or cancel a work order; finishing the last one returns the device to service',
        params: idParams,
        body: workOrderStatusChangeSchema,
        response: { 200: workOrderSchema, ...authErrors, ...orderNotFound, ...conflict },
      },
    },
    async (request) => {
      const caller = callerOf(request);
      const order = await maintenance.setStatus(scopeOf(caller), request.params.id, request.body, caller.username);
      await audit(request, 'maintenance.work_order.status', order.id, { device: order.device, status: order.status });
      return order;
    },
  );
  app.get('/api/v1/work-orders/:id/notes', { config: { permission: 'device:read' }, schema: { tags, summary: 'A work order’s notes, oldest first', params: idParams, response: { 200: listOf(workOrderNoteSchema), ...authErrors, ...orderNotFound } } }, async (request) => ({
    items: await maintenance.notes(scopeOf(callerOf(request)), request.params.id),
  }));
  app.post(
    '/api/v1/work-orders/:id/notes',
    { config: { permission: 'maintenance:write' }, schema: { tags, summary: 'Add a note to a work order', params: idParams, body: z.object({ text: z.string().min(1).max(5000) }).strict(), response: { 201: workOrderNoteSchema, ...authErrors, ...orderNotFound } } },
    async (request, reply) => {
      const caller = callerOf(request);
      return reply.status(201).send(await maintenance.addNote(scopeOf(caller), request.params.id, request.body.text, caller.username));
    },
  );

  app.get(
    '/api/v1/maintenance-schedules',
    { config: { permission: 'device:read' }, schema: { tags, summary: 'Preventive maintenance schedules', querystring: z.object({ device: z.string().max(128).optional() }), response: { 200: listOf(maintenanceScheduleSchema), ...authErrors } } },
    async (request) => ({ items: await maintenance.schedules.list(scopeOf(callerOf(request)), request.query) }),
  );
  app.post(
    '/api/v1/maintenance-schedules',
    {
      config: { permission: 'maintenance:schedules' },
      schema: { tags, summary: 'Create a preventive schedule: every N days, or every N run hours of a counter point', body: maintenanceScheduleInputSchema, response: { 201: maintenanceScheduleSchema, ...authErrors, ...invalid, 404: errorBodySchema.describe('DEVICE_NOT_FOUND') } },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      const s = await maintenance.schedules.create(scopeOf(caller), request.body, caller.username);
      await audit(request, 'maintenance.schedule.create', s.id, { device: s.device, kind: s.kind, every: s.every });
      return reply.status(201).send(s);
    },
  );
  app.get('/api/v1/maintenance-schedules/:id', { config: { permission: 'device:read' }, schema: { tags, summary: 'One preventive schedule', params: idParams, response: { 200: maintenanceScheduleSchema, ...authErrors, ...scheduleNotFound } } }, async (request) =>
    maintenance.schedules.get(scopeOf(callerOf(request)), request.params.id),
  );
  app.put(
    '/api/v1/maintenance-schedules/:id',
    { config: { permission: 'maintenance:schedules' }, schema: { tags, summary: 'Replace a preventive schedule', params: idParams, body: maintenanceScheduleInputSchema, response: { 200: maintenanceScheduleSchema, ...authErrors, ...invalid, ...scheduleNotFound } } },
    async (request) => {
      const s = await maintenance.schedules.update(scopeOf(callerOf(request)), request.params.id, request.body);
      await audit(request, 'maintenance.schedule.update', s.id, { device: s.device, kind: s.kind, every: s.every });
      return s;
    },
  );
  app.delete(
    '/api/v1/maintenance-schedules/:id',
    { config: { permission: 'maintenance:schedules' }, schema: { tags, summary: 'Delete a preventive schedule (its work orders stay)', params: idParams, response: { 200: maintenanceScheduleSchema, ...authErrors, ...scheduleNotFound } } },
    async (request) => {
      const s = await maintenance.schedules.remove(scopeOf(callerOf(request)), request.params.id);
      await audit(request, 'maintenance.schedule.delete', s.id, { device: s.device });
      return s;
    },
  );
  app.post(
    '/api/v1/maintenance-schedules/run',
    { config: { permission: 'maintenance:schedules' }, schema: { tags, summary: 'Check the schedules now (they are checked every minute anyway): the work orders issued', response: { 200: listOf(workOrderSchema), ...authErrors } } },
    async (request) => {
      const scope = scopeOf(callerOf(request));
      const issued = await maintenance.runSchedules();
      return { items: scope.kind === 'tenant' ? issued.filter((o) => o.tenantId === scope.tenantId) : issued };
    },
  );
};
