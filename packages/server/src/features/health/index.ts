import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { FeatureDeps } from '../deps.js';

/** `GET /healthz`: 200 with component states once ready; 503 while starting, draining or when the store fails. */
export const healthRoutes: FastifyPluginAsyncZod<FeatureDeps> = async (app, deps) => {
  const health = z.object({
    status: z.enum(['ok', 'starting', 'degraded']),
    version: z.string(),
    uptimeSeconds: z.number(),
    store: z.object({ dialect: z.string(), up: z.boolean() }),
    bus: z.object({ kind: z.string() }),
  });
  app.get(
    '/healthz',
    { schema: { tags: ['system'], summary: 'Liveness and readiness', security: [], response: { 200: health, 503: health } }, config: { public: true } },
    async (_request, reply) => {
      const up = await deps.store.ping();
      const status = !deps.isReady() ? 'starting' : up ? 'ok' : 'degraded';
      void reply.status(status === 'ok' ? 200 : 503);
      return {
        status,
        version: '0.1.0',
        uptimeSeconds: Math.round(process.uptime()),
        store: { dialect: deps.store.dialect, up },
        bus: { kind: deps.bus.kind },
      } as const;
    },
  );
};
