import { errorBodySchema, incidentKinds, listOf, responsePlanInputSchema, responsePlanSchema } from '@yulian/contracts';
import { scopeOf } from '@yulian/core';
import type { IncidentService } from '@yulian/security';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { callerOf } from '../../plugins/auth.js';
import { authErrors } from '../errors-schema.js';

const tags = ['security-incidents'];
const base = '/api/v1/security/plans';
const idParams = z.object({ id: z.string().min(1).max(128) });
const notFound = { 404: errorBodySchema.describe('RESPONSE_PLAN_NOT_FOUND') } as const;
const builtin = { 409: errorBodySchema.describe('RESPONSE_PLAN_BUILTIN') } as const;

type Audit = (request: FastifyRequest, action: string, target: string, details?: Record<string, unknown>) => Promise<void>;

/**
 * Response plans (应急预案, `/api/v1/security/plans`): the built-in ones (read-only, `builtin:…` ids) and
 * each enterprise's own (a platform admin's are the platform's, offered to every enterprise).
 */
export function planRoutes(app: FastifyInstance, incidents: IncidentService, audit: Audit): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    base,
    {
      config: { permission: 'incident:read' },
      schema: {
        tags,
        summary: 'Response plans: built-in first, then the enterprise’s own',
        querystring: z.object({ technique: z.string().max(32).optional(), kind: z.enum(incidentKinds).optional() }),
        response: { 200: listOf(responsePlanSchema), ...authErrors },
      },
    },
    async (request) => ({ items: await incidents.plans.list(scopeOf(callerOf(request)), request.query) }),
  );
  r.get(`${base}/:id`, { config: { permission: 'incident:read' }, schema: { tags, summary: 'One response plan', params: idParams, response: { 200: responsePlanSchema, ...authErrors, ...notFound } } }, async (request) =>
    incidents.plans.get(scopeOf(callerOf(request)), request.params.id),
  );
  r.post(
    base,
    { config: { permission: 'incident:write' }, schema: { tags, summary: 'Write a response plan of the enterprise: steps with a role and a due time each', body: responsePlanInputSchema, response: { 201: responsePlanSchema, ...authErrors } } },
    async (request, reply) => {
      const caller = callerOf(request);
      const plan = await incidents.plans.create(scopeOf(caller), caller.tenantId, request.body, caller.username);
      await audit(request, 'security.plan.create', plan.id, { name: plan.name, steps: plan.steps.length });
      return reply.status(201).send(plan);
    },
  );
  r.put(
    `${base}/:id`,
    { config: { permission: 'incident:write' }, schema: { tags, summary: 'Replace a response plan of the enterprise (incidents that used it keep their tasks)', params: idParams, body: responsePlanInputSchema, response: { 200: responsePlanSchema, ...authErrors, ...notFound, ...builtin } } },
    async (request) => {
      const plan = await incidents.plans.update(scopeOf(callerOf(request)), request.params.id, request.body);
      await audit(request, 'security.plan.update', plan.id, { name: plan.name, steps: plan.steps.length });
      return plan;
    },
  );
  r.delete(
    `${base}/:id`,
    { config: { permission: 'incident:write' }, schema: { tags, summary: 'Delete a response plan of the enterprise', params: idParams, response: { 200: responsePlanSchema, ...authErrors, ...notFound, ...builtin } } },
    async (request) => {
      const plan = await incidents.plans.remove(scopeOf(callerOf(request)), request.params.id);
      await audit(request, 'security.plan.delete', plan.id, { name: plan.name });
      return plan;
    },
  );
}
