import { latestValueSchema, listOf, seenDeviceSchema } from '@yulian/contracts';
import { latestValues, scopeOf, seenDevices } from '@yulian/core';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { callerOf } from '../../plugins/auth.js';
import type { FeatureDeps } from '../deps.js';
import { authErrors, notFound } from '../errors-schema.js';

/**
 * Devices and their latest values, read from the telemetry the gateways deliver. Until the device
 * registry arrives, the list is of devices that have sent telemetry in the caller's tenant.
 */
export const deviceRoutes: FastifyPluginAsyncZod<FeatureDeps> = async (app, { store }) => {
  app.get(
    '/api/v1/devices',
    { config: { permission: 'device:read' }, schema: { tags: ['devices'], summary: 'Devices that have sent telemetry, with their newest timestamp', response: { 200: listOf(seenDeviceSchema), ...authErrors } } },
    async (request) => ({ items: await seenDevices(store, scopeOf(callerOf(request))) }),
  );
  app.get(
    '/api/v1/devices/:id/latest',
    {
      config: { permission: 'device:read' },
      schema: {
        tags: ['devices'],
        summary: 'The newest value, quality and timestamps of every point of a device',
        params: z.object({ id: z.string().min(1).max(128) }),
        response: { 200: z.object({ device: z.string(), items: z.array(latestValueSchema) }), ...authErrors, ...notFound },
      },
    },
    async (request) => ({ device: request.params.id, items: await latestValues(store, scopeOf(callerOf(request)), request.params.id) }),
  );
};
