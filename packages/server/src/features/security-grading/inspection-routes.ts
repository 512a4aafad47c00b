import {
  errorBodySchema,
  listOf,
  rectificationReportSchema,
  rectificationSchema,
  rectificationStatuses,
  rectificationVerifySchema,
  securityChecklistItemSchema,
  securityInspectionInputSchema,
  securityInspectionResultsSchema,
  securityInspectionSchema,
  securityInspectionStatuses,
} from '@yulian/contracts';
import { scopeOf } from '@yulian/core';
import { type InspectionService, checklistFor } from '@yulian/security';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { callerOf } from '../../plugins/auth.js';
import type { FeatureDeps } from '../deps.js';
import { authErrors } from '../errors-schema.js';
import { gradingAudit, tenantOf } from './audit.js';

const tags = ['security-inspections'];
const base = '/api/v1/security/inspections';
const idParams = z.object({ id: z.string().min(1).max(64) });
const notFound = { 404: errorBodySchema.describe('SECURITY_INSPECTION_NOT_FOUND') } as const;
const rectNotFound = { 404: errorBodySchema.describe('RECTIFICATION_NOT_FOUND') } as const;
const flag = z.enum(['true', 'false']).transform((v) => v === 'true');

/** Routes of security inspections, their results and the rectifications of their findings. */
export const inspectionRoutes: FastifyPluginAsyncZod<FeatureDeps & { inspections: InspectionService }> = async (app, deps) => {
  const { inspections } = deps;
  const audit = gradingAudit(deps);

  app.get(
    `${base}/checklists/:level`,
    { config: { permission: 'grading:read' }, schema: { tags, summary: 'The inspection checklist of a level', params: z.object({ level: z.coerce.number().int().min(1).max(3) }), response: { 200: listOf(securityChecklistItemSchema), ...authErrors } } },
    async (request) => ({ items: checklistFor(request.params.level as 1 | 2 | 3) }),
  );
  app.get(
    `${base}/rectifications`,
    {
      config: { permission: 'grading:read' },
      schema: { tags, summary: 'Rectification items by deadline (an enterprise sees its own); overdue=true: open past the deadline', querystring: z.object({ status: z.enum(rectificationStatuses).optional(), overdue: flag.optional(), inspection: z.string().max(64).optional() }), response: { 200: listOf(rectificationSchema), ...authErrors } },
    },
    async (request) => {
      const { status, overdue, inspection } = request.query;
      return { items: await inspections.rectifications(scopeOf(callerOf(request)), { ...(status ? { status } : {}), ...(overdue !== undefined ? { overdue } : {}), ...(inspection ? { inspectionId: inspection } : {}) }) };
    },
  );
  app.post(
    `${base}/rectifications/:id/report`,
    { config: { permission: 'security-inspection:respond' }, schema: { tags, summary: 'Report a finding rectified: what was done and a link to the evidence', params: idParams, body: rectificationReportSchema, response: { 200: rectificationSchema, ...authErrors, ...rectNotFound, 409: errorBodySchema.describe('RECTIFICATION_STATE_INVALID') } } },
    async (request) => {
      const tenantId = tenantOf(request, 'report rectifications');
      const r = await inspections.report(tenantId, request.params.id, request.body, callerOf(request).username);
      await audit(request, { action: 'security.rectification.report', target: r.id, tenantId, details: { inspection: r.inspectionId, item: r.item, evidence: r.evidence } });
      return r;
    },
  );
  app.post(
    `${base}/rectifications/:id/verify`,
    {
      config: { permission: 'security-inspection:manage' },
      schema: { tags, summary: 'Accept a reported rectification (closed; the inspection closes with its last) or return it', params: idParams, body: rectificationVerifySchema, response: { 200: z.object({ rectification: rectificationSchema, inspection: securityInspectionSchema }), ...authErrors, ...rectNotFound, 409: errorBodySchema.describe('RECTIFICATION_STATE_INVALID') } },
    },
    async (request) => {
      const answer = await inspections.verify(request.params.id, request.body, callerOf(request).username);
      const r = answer.rectification;
      await audit(request, { action: `security.rectification.${request.body.outcome === 'accepted' ? 'accept' : 'return'}`, target: r.id, tenantId: r.tenantId, details: { inspection: r.inspectionId, item: r.item, inspectionStatus: answer.inspection.status } });
      return answer;
    },
  );

  app.get(
    base,
    { config: { permission: 'grading:read' }, schema: { tags, summary: 'Security inspections, latest date first (an enterprise sees its own)', querystring: z.object({ status: z.enum(securityInspectionStatuses).optional(), tenantId: z.string().max(64).optional() }), response: { 200: listOf(securityInspectionSchema), ...authErrors } } },
    async (request) => ({ items: await inspections.list(scopeOf(callerOf(request)), request.query) }),
  );
  app.post(
    base,
    {
      config: { permission: 'security-inspection:manage' },
      schema: { tags, summary: 'Schedule an inspection of an enterprise: date, inspectors, the checklist of its confirmed level (or the level given)', body: securityInspectionInputSchema, response: { 201: securityInspectionSchema, ...authErrors, 404: errorBodySchema.describe('ENTERPRISE_NOT_FOUND'), 409: errorBodySchema.describe('ENTERPRISE_LEVEL_UNKNOWN') } },
    },
    async (request, reply) => {
      const s = await inspections.schedule(request.body, callerOf(request).username);
      await audit(request, { action: 'security.inspection.schedule', target: s.id, tenantId: s.tenantId, details: { level: s.level, scheduledFor: s.scheduledFor, inspectors: s.inspectors } });
      return reply.status(201).send(s);
    },
  );
  app.get(`${base}/:id`, { config: { permission: 'grading:read' }, schema: { tags, summary: 'One inspection with its checklist results and rectifications', params: idParams, response: { 200: securityInspectionSchema, ...authErrors, ...notFound } } }, async (request) =>
    inspections.get(scopeOf(callerOf(request)), request.params.id),
  );
  app.post(
    `${base}/:id/results`,
    {
      config: { permission: 'security-inspection:manage' },
      schema: { tags, summary: 'Record results per checklist item; complete=true ends the inspection (every item needs a result) and turns findings into rectifications', params: idParams, body: securityInspectionResultsSchema, response: { 200: securityInspectionSchema, ...authErrors, ...notFound, 409: errorBodySchema.describe('SECURITY_INSPECTION_STATE_INVALID: details.missing') } },
    },
    async (request) => {
      const s = await inspections.recordResults(request.params.id, request.body, callerOf(request).username);
      await audit(request, { action: request.body.complete ? 'security.inspection.complete' : 'security.inspection.results', target: s.id, tenantId: s.tenantId, details: { items: request.body.results.map((r) => `${r.item}:${r.result}`), status: s.status } });
      return s;
    },
  );
};
