import {
  errorBodySchema,
  incidentCountsSchema,
  incidentEventSchema,
  incidentEvidenceInputSchema,
  incidentEvidenceSchema,
  incidentInputSchema,
  incidentKinds,
  incidentPatchSchema,
  incidentSchema,
  incidentStatusChangeSchema,
  incidentStatuses,
  incidentTaskInputSchema,
  incidentTaskPatchSchema,
  incidentTaskSchema,
  incidentTimelineEntrySchema,
  listOf,
} from '@yulian/contracts';
import { scopeOf } from '@yulian/core';
import { createIncidentService } from '@yulian/security';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { callerOf } from '../../plugins/auth.js';
import { contentDisposition } from '../assets/http.js';
import type { FeatureDeps } from '../deps.js';
import { authErrors } from '../errors-schema.js';
import { planRoutes } from './plan-routes.js';

const tags = ['security-incidents'];
const base = '/api/v1/security/incidents';
const idParams = z.object({ id: z.string().min(1).max(64) });
const notFound = { 404: errorBodySchema.describe('INCIDENT_NOT_FOUND') } as const;
const closed = { 409: errorBodySchema.describe('INCIDENT_CLOSED') } as const;

/**
 * Emergency management (应急管理, `/api/v1/security/incidents` and `/api/v1/security/plans`): incidents
 * opened from security events (by the platform's event pipeline, through the service's `openFromEvent`)
 * or by hand, drills run from a plan, their tasks, append-only timeline, evidence and closure report.
 * Security analysts and admins of an enterprise work them (`incident:write`); the authority reads all.
 */
export const securityIncidentRoutes: FastifyPluginAsyncZod<FeatureDeps> = async (app, deps) => {
  const incidents = deps.incidents ?? createIncidentService({ store: deps.store, logger: deps.logger });
  const audit = async (request: FastifyRequest, action: string, target: string, details: Record<string, unknown> = {}): Promise<void> => {
    const caller = callerOf(request);
    await deps.identity.audit.append({ tenantId: caller.tenantId, actor: caller.username, ip: request.ip, action, target, outcome: 'success', details });
  };
  const who = (request: FastifyRequest) => {
    const caller = callerOf(request);
    return { scope: scopeOf(caller), actor: caller.username, tenantId: caller.tenantId };
  };

  app.get(
    base,
    {
      config: { permission: 'incident:read' },
      schema: {
        tags,
        summary: 'Incidents, newest first: real ones unless `kind=drill` (the two are never mixed)',
        querystring: z.object({ kind: z.enum(incidentKinds).optional(), status: z.enum([...incidentStatuses, 'active']).optional().describe('active: not closed'), limit: z.coerce.number().int().min(1).max(1000).optional() }),
        response: { 200: listOf(incidentSchema), ...authErrors },
      },
    },
    async (request) => ({ items: await incidents.list(who(request).scope, request.query) }),
  );
  app.get(`${base}/counts`, { config: { permission: 'incident:read' }, schema: { tags, summary: 'Counts by status, real incidents and drills apart', response: { 200: incidentCountsSchema, ...authErrors } } }, async (request) =>
    incidents.counts(who(request).scope),
  );
  app.post(
    base,
    {
      config: { permission: 'incident:write' },
      schema: {
        tags,
        summary: 'Open an incident by hand (optionally linking security events and applying a plan), or start a drill (`kind: drill`, `planId` required)',
        body: incidentInputSchema,
        response: { 201: incidentSchema, ...authErrors, 404: errorBodySchema.describe('RESPONSE_PLAN_NOT_FOUND') },
      },
    },
    async (request, reply) => {
      const { scope, actor, tenantId } = who(request);
      const incident = await incidents.create(scope, tenantId, request.body, actor);
      await audit(request, incident.kind === 'drill' ? 'security.drill.start' : 'security.incident.open', incident.id, { number: incident.number, plan: incident.planId });
      return reply.status(201).send(incident);
    },
  );
  app.get(`${base}/:id`, { config: { permission: 'incident:read' }, schema: { tags, summary: 'One incident (a drill with its timing)', params: idParams, response: { 200: incidentSchema, ...authErrors, ...notFound } } }, async (request) =>
    incidents.get(who(request).scope, request.params.id),
  );
  app.patch(
    `${base}/:id`,
    { config: { permission: 'incident:write' }, schema: { tags, summary: 'Change an incident’s title, description, severity or owner', params: idParams, body: incidentPatchSchema, response: { 200: incidentSchema, ...authErrors, ...notFound, ...closed } } },
    async (request) => {
      const { scope, actor } = who(request);
      const incident = await incidents.update(scope, request.params.id, request.body, actor);
      await audit(request, 'security.incident.update', incident.id, { number: incident.number, ...request.body });
      return incident;
    },
  );
  app.post(
    `${base}/:id/status`,
    {
      config: { permission: 'incident:write' },
      schema: {
        tags,
        summary: 'Move an incident on: open → investigating → contained → resolved → closed (closing needs the closure report)',
        params: idParams,
        body: incidentStatusChangeSchema,
        response: { 200: incidentSchema, ...authErrors, 400: errorBodySchema.describe('INCIDENT_CLOSURE_REQUIRED: details.missing, or VALIDATION_FAILED'), ...notFound, 409: errorBodySchema.describe('INCIDENT_TRANSITION_INVALID: details.allowed') },
      },
    },
    async (request) => {
      const { scope, actor } = who(request);
      const incident = await incidents.setStatus(scope, request.params.id, request.body, actor);
      await audit(request, 'security.incident.status', incident.id, { number: incident.number, status: incident.status });
      return incident;
    },
  );
  app.post(
    `${base}/:id/plan`,
    {
      config: { permission: 'incident:write' },
      schema: { tags, summary: 'Apply a response plan: its steps become tasks (a previous plan’s tasks not started are skipped)', params: idParams, body: z.object({ planId: z.string().min(1).max(128) }).strict(), response: { 200: incidentSchema, ...authErrors, 404: errorBodySchema.describe('INCIDENT_NOT_FOUND or RESPONSE_PLAN_NOT_FOUND'), ...closed } },
    },
    async (request) => {
      const { scope, actor } = who(request);
      const incident = await incidents.applyPlan(scope, request.params.id, request.body.planId, actor);
      await audit(request, 'security.incident.plan', incident.id, { number: incident.number, plan: incident.planId });
      return incident;
    },
  );
  app.get(`${base}/:id/timeline`, { config: { permission: 'incident:read' }, schema: { tags, summary: 'The incident’s timeline, oldest first (append-only)', params: idParams, response: { 200: listOf(incidentTimelineEntrySchema), ...authErrors, ...notFound } } }, async (request) => ({
    items: await incidents.timeline(who(request).scope, request.params.id),
  }));
  app.post(
    `${base}/:id/comments`,
    { config: { permission: 'incident:write' }, schema: { tags, summary: 'Add a comment to the timeline', params: idParams, body: z.object({ text: z.string().trim().min(1).max(5000) }).strict(), response: { 201: incidentTimelineEntrySchema, ...authErrors, ...notFound, ...closed } } },
    async (request, reply) => {
      const { scope, actor } = who(request);
      return reply.status(201).send(await incidents.comment(scope, request.params.id, request.body.text, actor));
    },
  );
  app.get(`${base}/:id/events`, { config: { permission: 'incident:read' }, schema: { tags, summary: 'The security events linked to the incident, oldest first', params: idParams, response: { 200: listOf(incidentEventSchema), ...authErrors, ...notFound } } }, async (request) => ({
    items: await incidents.events(who(request).scope, request.params.id),
  }));

  const taskParams = idParams.extend({ task: z.string().min(1).max(64) });
  app.get(`${base}/:id/tasks`, { config: { permission: 'incident:read' }, schema: { tags, summary: 'The incident’s response tasks in order, with durations', params: idParams, response: { 200: listOf(incidentTaskSchema), ...authErrors, ...notFound } } }, async (request) => ({
    items: await incidents.tasks.list(who(request).scope, request.params.id),
  }));
  app.post(
    `${base}/:id/tasks`,
    { config: { permission: 'incident:write' }, schema: { tags, summary: 'Add a task by hand', params: idParams, body: incidentTaskInputSchema, response: { 201: incidentTaskSchema, ...authErrors, ...notFound, ...closed } } },
    async (request, reply) => {
      const { scope, actor } = who(request);
      return reply.status(201).send(await incidents.tasks.add(scope, request.params.id, request.body, actor));
    },
  );
  app.patch(
    `${base}/:id/tasks/:task`,
    {
      config: { permission: 'incident:write' },
      schema: { tags, summary: 'Work a task: status (todo, doing, done, skipped) with a note, assignee, due date', params: taskParams, body: incidentTaskPatchSchema, response: { 200: incidentTaskSchema, ...authErrors, 404: errorBodySchema.describe('INCIDENT_NOT_FOUND or INCIDENT_TASK_NOT_FOUND'), ...closed } },
    },
    async (request) => {
      const { scope, actor } = who(request);
      return incidents.tasks.update(scope, request.params.id, request.params.task, request.body, actor);
    },
  );

  app.get(`${base}/:id/evidence`, { config: { permission: 'incident:read' }, schema: { tags, summary: 'The incident’s evidence, oldest first (never the file bytes)', params: idParams, response: { 200: listOf(incidentEvidenceSchema), ...authErrors, ...notFound } } }, async (request) => ({
    items: await incidents.evidence.list(who(request).scope, request.params.id),
  }));
  app.post(
    `${base}/:id/evidence`,
    {
      config: { permission: 'incident:write' },
      schema: { tags, summary: 'Add evidence: a text, a link, or a file (bytes base64 ≤ 256 KiB, kept with its SM3; or only its SM3 and size)', params: idParams, body: incidentEvidenceInputSchema, response: { 201: incidentEvidenceSchema, ...authErrors, ...notFound, ...closed } },
    },
    async (request, reply) => {
      const { scope, actor } = who(request);
      const evidence = await incidents.evidence.add(scope, request.params.id, request.body, actor);
      await audit(request, 'security.incident.evidence', request.params.id, { evidence: evidence.id, kind: evidence.kind, sm3: evidence.sm3 });
      return reply.status(201).send(evidence);
    },
  );
  app.get(
    `${base}/:id/evidence/:evidence/content`,
    {
      config: { permission: 'incident:read' },
      schema: { tags, summary: 'A kept evidence file’s bytes (its SM3 in the x-content-sm3 header)', params: idParams.extend({ evidence: z.string().min(1).max(64) }), response: { ...authErrors, 404: errorBodySchema.describe('INCIDENT_NOT_FOUND or INCIDENT_EVIDENCE_NOT_FOUND') } },
    },
    async (request, reply) => {
      const file = await incidents.evidence.content(who(request).scope, request.params.id, request.params.evidence);
      // No 200 schema: the answer is bytes, not JSON.
      return (reply as FastifyReply)
        .header('content-type', 'application/octet-stream')
        .header('content-disposition', contentDisposition('attachment', file.fileName))
        .header('content-security-policy', "default-src 'none'; sandbox")
        .header('x-content-sm3', file.sm3)
        .send(file.bytes);
    },
  );

  planRoutes(app, incidents, audit);
};
