import { commandRecordSchema, commandRequestSchema, errorBodySchema, listOf } from '@yulian/contracts';
import { scopeOf } from '@yulian/core';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { callerOf } from '../../plugins/auth.js';
import type { FeatureDeps } from '../deps.js';
import { authErrors, notFound } from '../errors-schema.js';

const params = z.object({ id: z.string().min(1).max(128) });

/**
 * Remote control (远程控制): `POST /api/v1/devices/:id/commands` writes a point (or runs a named action)
 * through the device's gateway and answers once the value is verified or the command timed out;
 * `GET` lists a device's recent commands. Interlocks, records and audit live in the command service.
 */
export const commandRoutes: FastifyPluginAsyncZod<FeatureDeps> = async (app, { commands }) => {
  app.post(
    '/api/v1/devices/:id/commands',
    {
      config: { permission: 'device:command' },
      schema: {
        tags: ['devices'],
        summary: 'Send a command (point + value, or a named action); answers with the verified outcome: succeeded, failed or timeout',
        description:
          'Synchronous: the answer comes once the gateway has written the value and read it back (or the device reported it), or when `timeoutMs` (default 5000) has passed. Refusals write nothing: POINT_NOT_WRITABLE, VALUE_OUT_OF_RANGE (details carry min/max), CONFIRMATION_REQUIRED (critical point: send again with "confirm": true), COMMAND_RATE_LIMITED, GATEWAY_OFFLINE.',
        params,
        body: commandRequestSchema,
        response: {
          200: commandRecordSchema,
          ...authErrors,
          404: errorBodySchema.describe('DEVICE_NOT_FOUND, POINT_NOT_FOUND or ACTION_NOT_FOUND'),
          409: errorBodySchema.describe('POINT_NOT_WRITABLE'),
          428: errorBodySchema.describe('CONFIRMATION_REQUIRED'),
          429: errorBodySchema.describe('COMMAND_RATE_LIMITED'),
          503: errorBodySchema.describe('GATEWAY_OFFLINE'),
        },
      },
    },
    async (request) => {
      const caller = callerOf(request);
      return commands.execute({ username: caller.username, tenantId: caller.tenantId, ip: request.ip }, request.params.id, request.body);
    },
  );
  app.get(
    '/api/v1/devices/:id/commands',
    {
      config: { permission: 'device:read' },
      schema: {
        tags: ['devices'],
        summary: 'A device’s recent commands, newest first',
        params,
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) }),
        response: { 200: listOf(commandRecordSchema), ...authErrors, ...notFound },
      },
    },
    async (request) => ({ items: await commands.list(scopeOf(callerOf(request)), request.params.id, { limit: request.query.limit }) }),
  );
};
