import { createGradingService, createInspectionService } from '@yulian/security';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FeatureDeps } from '../deps.js';
import { gradingRoutes } from './grading-routes.js';
import { inspectionRoutes } from './inspection-routes.js';

/**
 * Classified and graded security management (分类分级, `/api/v1/security/grading`) and security inspections
 * (安全检查, `/api/v1/security/inspections`), issue 7 item 6. Enterprise admins and security analysts fill in
 * their enterprise's self-assessment and report rectifications; the authority (and platform admins) confirm
 * levels, schedule inspections, record results and verify rectifications. Enterprises see only their own
 * records; the authority sees all, with the enterprises by district and level.
 */
export const securityGradingRoutes: FastifyPluginAsyncZod<FeatureDeps> = async (app, deps) => {
  const grading = createGradingService({ store: deps.store });
  const inspections = createInspectionService({ store: deps.store });
  await app.register(gradingRoutes, { ...deps, grading });
  await app.register(inspectionRoutes, { ...deps, inspections });
};
