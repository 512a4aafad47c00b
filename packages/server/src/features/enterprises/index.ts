import { createEnterpriseSchema, enterpriseSchema, errorBodySchema, listOf, updateEnterpriseSchema } from '@yulian/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { callerOf } from '../../plugins/auth.js';
import type { FeatureDeps } from '../deps.js';
import { authErrors, notFound } from '../errors-schema.js';

const params = z.object({ id: z.string() });

/** Enterprises (tenants). Platform admins manage them; everyone else sees only their own. */
export const enterpriseRoutes: FastifyPluginAsyncZod<FeatureDeps> = async (app, { identity }) => {
  app.get(
    '/api/v1/enterprises',
    { config: { permission: 'enterprise:read' }, schema: { tags: ['enterprises'], summary: 'Enterprises visible to the caller', response: { 200: listOf(enterpriseSchema), ...authErrors } } },
    async (request) => ({ items: await identity.listEnterprises(callerOf(request)) }),
  );
  app.post(
    '/api/v1/enterprises',
    {
      config: { permission: 'enterprise:write' },
      schema: { tags: ['enterprises'], summary: 'Create an enterprise (tenant)', body: createEnterpriseSchema, response: { 201: enterpriseSchema, ...authErrors, 409: errorBodySchema } },
    },
    async (request, reply) => reply.status(201).send(await identity.createEnterprise(callerOf(request), request.body)),
  );
  app.get(
    '/api/v1/enterprises/:id',
    { config: { permission: 'enterprise:read' }, schema: { tags: ['enterprises'], summary: 'One enterprise', params, response: { 200: enterpriseSchema, ...authErrors, ...notFound } } },
    async (request) => identity.getEnterprise(callerOf(request), request.params.id),
  );
  app.patch(
    '/api/v1/enterprises/:id',
    {
      config: { permission: 'enterprise:write' },
      schema: { tags: ['enterprises'], summary: 'Change an enterprise', params, body: updateEnterpriseSchema, response: { 200: enterpriseSchema, ...authErrors, ...notFound, 409: errorBodySchema } },
    },
    async (request) => identity.updateEnterprise(callerOf(request), request.params.id, request.body),
  );
};
