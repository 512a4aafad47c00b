import {
  assessmentAnswersInputSchema,
  assessmentCreateSchema,
  assessmentReviewSchema,
  assessmentSchema,
  assessmentStatuses,
  enterpriseGradeSchema,
  errorBodySchema,
  gradingSummaryRowSchema,
  listOf,
  questionnaireSchema,
} from '@yulian/contracts';
import { scopeOf } from '@yulian/core';
import type { GradingService } from '@yulian/security';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { callerOf } from '../../plugins/auth.js';
import type { FeatureDeps } from '../deps.js';
import { authErrors } from '../errors-schema.js';
import { gradingAudit, tenantOf } from './audit.js';

const tags = ['security-grading'];
const base = '/api/v1/security/grading';
const idParams = z.object({ id: z.string().min(1).max(64) });
const notFound = { 404: errorBodySchema.describe('ASSESSMENT_NOT_FOUND') } as const;
const conflict = { 409: errorBodySchema.describe('ASSESSMENT_STATE_INVALID: details.status') } as const;
const invalid = { 400: errorBodySchema.describe('VALIDATION_FAILED or ASSESSMENT_ANSWERS_INVALID: details.item, details.option or details.missing') } as const;
const flag = z.enum(['true', 'false']).transform((v) => v === 'true');

/** Routes of self-assessments, the authority's review and the enterprises' current levels. */
export const gradingRoutes: FastifyPluginAsyncZod<FeatureDeps & { grading: GradingService }> = async (app, deps) => {
  const { grading } = deps;
  const audit = gradingAudit(deps);

  app.get(`${base}/questionnaires`, { config: { permission: 'grading:read' }, schema: { tags, summary: 'The current self-assessment questionnaire of each enterprise kind (Yulian’s rubric)', response: { 200: listOf(questionnaireSchema), ...authErrors } } }, async () => ({
    items: grading.questionnaires(),
  }));
  app.get(
    `${base}/enterprises`,
    {
      config: { permission: 'grading:read' },
      schema: {
        tags,
        summary: 'Enterprises with their current security level (an enterprise sees its own); filter by district, level (0: not graded) or reassessment due',
        querystring: z.object({ district: z.string().max(64).optional(), level: z.coerce.number().int().min(0).max(3).optional(), due: flag.optional() }),
        response: { 200: listOf(enterpriseGradeSchema), ...authErrors },
      },
    },
    async (request) => {
      const { district, level, due } = request.query;
      return { items: await grading.grades(scopeOf(callerOf(request)), { ...(district ? { district } : {}), ...(level !== undefined ? { level: level as 0 | 1 | 2 | 3 } : {}), ...(due !== undefined ? { due } : {}) }) };
    },
  );
  app.get(
    `${base}/enterprises/:tenantId`,
    { config: { permission: 'grading:read' }, schema: { tags, summary: 'One enterprise’s current security level', params: z.object({ tenantId: z.string().min(1).max(64) }), response: { 200: enterpriseGradeSchema, ...authErrors, 404: errorBodySchema.describe('ENTERPRISE_NOT_FOUND') } } },
    async (request) => grading.grade(scopeOf(callerOf(request)), request.params.tenantId),
  );
  app.get(`${base}/summary`, { config: { permission: 'grading:confirm' }, schema: { tags, summary: 'Enterprises per district and level (the authority’s overview)', response: { 200: listOf(gradingSummaryRowSchema), ...authErrors } } }, async () => ({
    items: await grading.summary(),
  }));

  app.get(
    `${base}/assessments`,
    {
      config: { permission: 'grading:read' },
      schema: { tags, summary: 'Self-assessments, newest first (an enterprise sees its own history); status=submitted is the review queue', querystring: z.object({ status: z.enum(assessmentStatuses).optional(), tenantId: z.string().max(64).optional() }), response: { 200: listOf(assessmentSchema), ...authErrors } },
    },
    async (request) => ({ items: await grading.list(scopeOf(callerOf(request)), request.query) }),
  );
  app.post(
    `${base}/assessments`,
    { config: { permission: 'grading:self' }, schema: { tags, summary: 'Start a self-assessment of the caller’s enterprise on the questionnaire of its kind (one open at a time)', body: assessmentCreateSchema, response: { 201: assessmentSchema, ...authErrors, ...conflict } } },
    async (request, reply) => {
      const tenantId = tenantOf(request, 'assess their enterprise');
      const a = await grading.create(tenantId, request.body.kind, callerOf(request).username);
      await audit(request, { action: 'security.grading.create', target: a.id, tenantId, details: { kind: a.kind, version: a.questionnaireVersion } });
      return reply.status(201).send(a);
    },
  );
  app.get(`${base}/assessments/:id`, { config: { permission: 'grading:read' }, schema: { tags, summary: 'One self-assessment', params: idParams, response: { 200: assessmentSchema, ...authErrors, ...notFound } } }, async (request) =>
    grading.get(scopeOf(callerOf(request)), request.params.id),
  );
  app.put(
    `${base}/assessments/:id/answers`,
    { config: { permission: 'grading:self' }, schema: { tags, summary: 'Save answers (choice and evidence per item, merged into the draft); answers with the new score and proposed level', params: idParams, body: assessmentAnswersInputSchema, response: { 200: assessmentSchema, ...authErrors, ...invalid, ...notFound, ...conflict } } },
    async (request) => {
      const tenantId = tenantOf(request, 'assess their enterprise');
      const a = await grading.saveAnswers(tenantId, request.params.id, request.body.answers);
      await audit(request, { action: 'security.grading.answers', target: a.id, tenantId, details: { items: Object.keys(request.body.answers), score: a.score, proposedLevel: a.proposedLevel } });
      return a;
    },
  );
  app.post(
    `${base}/assessments/:id/submit`,
    { config: { permission: 'grading:self' }, schema: { tags, summary: 'Submit a complete self-assessment to the authority', params: idParams, response: { 200: assessmentSchema, ...authErrors, ...invalid, ...notFound, ...conflict } } },
    async (request) => {
      const tenantId = tenantOf(request, 'assess their enterprise');
      const a = await grading.submit(tenantId, request.params.id, callerOf(request).username);
      await audit(request, { action: 'security.grading.submit', target: a.id, tenantId, details: { score: a.score, proposedLevel: a.proposedLevel } });
      return a;
    },
  );
  app.post(
    `${base}/assessments/:id/review`,
    {
      config: { permission: 'grading:confirm' },
      schema: {
        tags,
        summary: 'The authority’s decision: confirm the proposed level, set another with a reason, or return for changes',
        params: idParams,
        body: assessmentReviewSchema,
        response: { 200: z.object({ assessment: assessmentSchema, grade: enterpriseGradeSchema }), ...authErrors, ...notFound, ...conflict },
      },
    },
    async (request) => {
      const answer = await grading.review(request.params.id, request.body, callerOf(request).username);
      const { assessment: a } = answer;
      await audit(request, { action: `security.grading.${request.body.decision}`, target: a.id, tenantId: a.tenantId, details: { proposedLevel: a.proposedLevel, confirmedLevel: a.confirmedLevel, ...(request.body.decision === 'set' ? { reason: request.body.reason } : {}) } });
      return answer;
    },
  );
};
