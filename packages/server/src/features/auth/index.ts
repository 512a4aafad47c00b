import { apiTokenSchema, changePasswordSchema, createApiTokenSchema, createdApiTokenSchema, errorBodySchema, listOf, loginRequestSchema, loginResponseSchema, meSchema } from '@yulian/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { callerOf } from '../../plugins/auth.js';
import type { FeatureDeps } from '../deps.js';
import { authErrors, notFound } from '../errors-schema.js';

/** Login, logout, the caller, and the caller's API tokens. */
export const authRoutes: FastifyPluginAsyncZod<FeatureDeps> = async (app, { identity }) => {
  app.post(
    '/api/v1/auth/login',
    {
      config: { public: true },
      schema: {
        tags: ['auth'],
        summary: 'Log in with username and password; answers a bearer token',
        security: [],
        body: loginRequestSchema,
        response: {
          200: loginResponseSchema,
          400: errorBodySchema,
          401: errorBodySchema.describe('INVALID_CREDENTIALS'),
          403: errorBodySchema.describe('ACCOUNT_DISABLED'),
          423: errorBodySchema.describe('ACCOUNT_LOCKED'),
          429: errorBodySchema.describe('RATE_LIMITED'),
        },
      },
    },
    async (request) => identity.login({ ...request.body, ip: request.ip }),
  );

  app.post(
    '/api/v1/auth/logout',
    { schema: { tags: ['auth'], summary: 'Revoke the current session token', response: { 204: z.null(), ...authErrors } } },
    async (request, reply) => {
      await identity.logout(callerOf(request));
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/v1/auth/password',
    {
      schema: {
        tags: ['auth'],
        summary: 'Change your own password; earlier sessions end and the answer carries a new one',
        body: changePasswordSchema,
        response: { 200: loginResponseSchema, ...authErrors },
      },
    },
    async (request) => identity.changeOwnPassword(callerOf(request), request.body),
  );

  app.get('/api/v1/auth/me', { schema: { tags: ['auth'], summary: 'The caller', response: { 200: meSchema, ...authErrors } } }, async (request) =>
    identity.me(callerOf(request)),
  );

  app.get(
    '/api/v1/api-tokens',
    { schema: { tags: ['auth'], summary: 'Your API tokens (for gateways and scripts)', response: { 200: listOf(apiTokenSchema), ...authErrors } } },
    async (request) => ({ items: await identity.listApiTokens(callerOf(request)) }),
  );
  app.post(
    '/api/v1/api-tokens',
    {
      schema: {
        tags: ['auth'],
        summary: 'Create an API token; the secret is shown only in this answer',
        body: createApiTokenSchema,
        response: { 201: createdApiTokenSchema, ...authErrors },
      },
    },
    async (request, reply) => reply.status(201).send(await identity.createApiToken(callerOf(request), request.body)),
  );
  app.delete(
    '/api/v1/api-tokens/:id',
    { schema: { tags: ['auth'], summary: 'Revoke an API token', params: z.object({ id: z.string() }), response: { 204: z.null(), ...authErrors, ...notFound } } },
    async (request, reply) => {
      await identity.revokeApiToken(callerOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
};
