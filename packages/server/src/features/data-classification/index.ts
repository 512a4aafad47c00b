import {
  accessReportSchema,
  classificationChangeSchema,
  dataCatalogue,
  dataDomainNames,
  datasetClassificationSchema,
  datasetNameSchema,
  listOf,
  pointClassificationSchema,
  putClassificationSchema,
  putLevelGrantSchema,
} from '@yulian/contracts';
import { YulianError, scopeOf } from '@yulian/core';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { callerOf } from '../../plugins/auth.js';
import type { FeatureDeps } from '../deps.js';
import { authErrors, notFound } from '../errors-schema.js';
import { exportRoutes } from './export-routes.js';

const base = '/api/v1/data-classification';
const deviceParams = z.object({ id: z.string().min(1).max(128) });
const pointParams = z.object({ id: z.string().min(1).max(128), point: z.string().min(1).max(64) });
const datasetParams = z.object({ name: datasetNameSchema });

/**
 * Industrial data classification and grading (工业数据分类分级, issue 7 item 7): the MIIT catalogue, the
 * category and level of every point and dataset (overrides need a reason; every change kept and
 * audited), level-3 grants, export requests and approvals, and the access report per dataset.
 */
export const dataClassificationRoutes: FastifyPluginAsyncZod<FeatureDeps> = async (app, deps) => {
  const dc = deps.classification;
  if (!dc) return;
  const { identity } = deps;

  app.get(
    `${base}/catalogue`,
    {
      config: { permission: 'overview:read' },
      schema: {
        tags: ['data-classification'],
        summary: 'The MIIT data domains and categories with their default levels (1 一级 … 3 三级)',
        response: {
          200: z.object({
            domains: z.array(z.object({ code: z.string(), zh: z.string(), en: z.string(), kind: z.string() })),
            categories: z.array(z.object({ code: z.string(), domain: z.string(), zh: z.string(), en: z.string(), defaultLevel: z.number() })),
          }),
          ...authErrors,
        },
      },
    },
    async () => ({ domains: Object.entries(dataDomainNames).map(([code, n]) => ({ code, ...n })), categories: [...dataCatalogue] }),
  );

  app.get(
    `${base}/devices/:id/points`,
    {
      config: { permission: 'device:read' },
      schema: { tags: ['data-classification'], summary: 'A device’s points with their category, level and where they come from (default, configuration, override)', params: deviceParams, response: { 200: listOf(pointClassificationSchema), ...authErrors, ...notFound } },
    },
    async (request) => ({ items: await dc.points(scopeOf(callerOf(request)), request.params.id) }),
  );

  app.put(
    `${base}/devices/:id/points/:point`,
    {
      config: { permission: 'data:classify' },
      schema: {
        tags: ['data-classification'],
        summary: 'Classifies a point; a category or level off the default needs a reason. Level 3 seals its values (and its history) with SM4',
        params: pointParams,
        body: putClassificationSchema,
        response: { 200: pointClassificationSchema, ...authErrors, ...notFound },
      },
    },
    async (request) => {
      const caller = callerOf(request);
      return dc.setPoint({ ...caller, ip: request.ip }, scopeOf(caller), request.params.id, request.params.point, request.body);
    },
  );

  app.get(
    `${base}/datasets`,
    { config: { permission: 'device:read' }, schema: { tags: ['data-classification'], summary: 'Datasets with their category and level', response: { 200: listOf(datasetClassificationSchema), ...authErrors } } },
    async (request) => {
      const caller = callerOf(request);
      return { items: await dc.datasets(scopeOf(caller), caller) };
    },
  );

  app.get(
    `${base}/datasets/:name`,
    { config: { permission: 'device:read' }, schema: { tags: ['data-classification'], summary: 'One dataset’s class (`telemetry:<device>`: never below its most sensitive point)', params: datasetParams, response: { 200: datasetClassificationSchema, ...authErrors, ...notFound } } },
    async (request) => {
      const caller = callerOf(request);
      return dc.dataset(scopeOf(caller), caller, request.params.name);
    },
  );

  app.put(
    `${base}/datasets/:name`,
    {
      config: { permission: 'data:classify' },
      schema: { tags: ['data-classification'], summary: 'Classifies a dataset; off the default needs a reason', params: datasetParams, body: putClassificationSchema, response: { 200: datasetClassificationSchema, ...authErrors, ...notFound } },
    },
    async (request) => {
      const caller = callerOf(request);
      return dc.setDataset({ ...caller, ip: request.ip }, scopeOf(caller), request.params.name, request.body);
    },
  );

  app.get(
    `${base}/history`,
    {
      config: { permission: 'device:read' },
      schema: { tags: ['data-classification'], summary: 'Changes of one subject’s classification, newest first', querystring: z.object({ subject: z.string().min(3).max(300) }), response: { 200: listOf(classificationChangeSchema), ...authErrors } },
    },
    async (request) => ({ items: await dc.history(scopeOf(callerOf(request)), request.query.subject) }),
  );

  app.get(
    `${base}/access-report`,
    {
      config: { permission: 'audit:read' },
      schema: {
        tags: ['data-classification'],
        summary: 'Who read or exported a dataset, when and how much (reads of level-3 values, exports, refusals)',
        querystring: z.object({ dataset: datasetNameSchema, from: z.coerce.number().int().optional(), to: z.coerce.number().int().optional() }),
        response: { 200: accessReportSchema, ...authErrors, ...notFound },
      },
    },
    async (request) => {
      const caller = callerOf(request);
      const scope = scopeOf(caller);
      const to = request.query.to ?? Date.now() + 60_000;
      const from = request.query.from ?? to - 30 * 86_400_000;
      await dc.access.flush();
      const level = (await dc.dataset(scope, caller, request.query.dataset)).level;
      return dc.access.report(scope, request.query.dataset, { from, to, level });
    },
  );

  app.get(
    `${base}/grants`,
    {
      config: { permission: 'data:classify' },
      schema: { tags: ['data-classification'], summary: 'Users allowed to read level-3 data beyond their role', response: { 200: listOf(z.object({ userId: z.string(), username: z.string(), reason: z.string(), grantedBy: z.string().nullable(), grantedAt: z.string() })), ...authErrors } },
    },
    async (request) => ({ items: await dc.grants(scopeOf(callerOf(request))) }),
  );

  const userInScope = async (caller: ReturnType<typeof callerOf>, username: string): Promise<{ id: string; username: string; tenantId: string }> => {
    const user = await identity.users.findByUsername(username);
    if (!user || user.tenant_id === null || (caller.tenantId !== null && user.tenant_id !== caller.tenantId)) throw new YulianError('USER_NOT_FOUND', `No user ${username} in your enterprise.`);
    return { id: user.id, username: user.username, tenantId: user.tenant_id };
  };

  app.post(
    `${base}/grants`,
    {
      config: { permission: 'data:classify' },
      schema: { tags: ['data-classification'], summary: 'Lets one enterprise user read level-3 data beyond their role (audited)', body: putLevelGrantSchema, response: { 204: z.null(), ...authErrors, ...notFound } },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      await dc.grant({ ...caller, ip: request.ip }, await userInScope(caller, request.body.username), request.body.reason);
      return reply.status(204).send(null);
    },
  );

  app.delete(
    `${base}/grants/:username`,
    { config: { permission: 'data:classify' }, schema: { tags: ['data-classification'], summary: 'Withdraws a level-3 grant (audited)', params: z.object({ username: z.string().min(1).max(128) }), response: { 204: z.null(), ...authErrors, ...notFound } } },
    async (request, reply) => {
      const caller = callerOf(request);
      await dc.revoke({ ...caller, ip: request.ip }, await userInScope(caller, request.params.username));
      return reply.status(204).send(null);
    },
  );

  await app.register(exportRoutes, deps);
};
