import { createUserSchema, errorBodySchema, listOf, updateUserSchema, userSchema } from '@yulian/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { callerOf } from '../../plugins/auth.js';
import type { FeatureDeps } from '../deps.js';
import { authErrors, notFound } from '../errors-schema.js';

const params = z.object({ id: z.string() });

/** User accounts, scoped to the caller's tenant. */
export const userRoutes: FastifyPluginAsyncZod<FeatureDeps> = async (app, { identity }) => {
  app.get(
    '/api/v1/users',
    { config: { permission: 'user:read' }, schema: { tags: ['users'], summary: 'Users of the caller’s tenant (all, for a platform admin)', response: { 200: listOf(userSchema), ...authErrors } } },
    async (request) => ({ items: await identity.listUsers(callerOf(request)) }),
  );
  app.post(
    '/api/v1/users',
    {
      config: { permission: 'user:write' },
      schema: { tags: ['users'], summary: 'Create a user', body: createUserSchema, response: { 201: userSchema, ...authErrors, ...notFound, 409: errorBodySchema } },
    },
    async (request, reply) => reply.status(201).send(await identity.createUser(callerOf(request), request.body)),
  );
  app.get(
    '/api/v1/users/:id',
    { config: { permission: 'user:read' }, schema: { tags: ['users'], summary: 'One user', params, response: { 200: userSchema, ...authErrors, ...notFound } } },
    async (request) => identity.getUser(callerOf(request), request.params.id),
  );
  app.patch(
    '/api/v1/users/:id',
    {
      config: { permission: 'user:write' },
      schema: { tags: ['users'], summary: 'Change a user: name, role, disabled, password', params, body: updateUserSchema, response: { 200: userSchema, ...authErrors, ...notFound } },
    },
    async (request) => identity.updateUser(callerOf(request), request.params.id, request.body),
  );
  app.delete(
    '/api/v1/users/:id',
    { config: { permission: 'user:write' }, schema: { tags: ['users'], summary: 'Delete a user', params, response: { 204: z.null(), ...authErrors, ...notFound } } },
    async (request, reply) => {
      await identity.deleteUser(callerOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
};
