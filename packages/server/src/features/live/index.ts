import fastifyWebsocket from '@fastify/websocket';
import { errorBodySchema } from '@yulian/contracts';
import { YulianError } from '@yulian/core';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { FeatureDeps } from '../deps.js';
import { serveLiveSession } from './session.js';

export { createLiveServices, type LiveServices } from './services.js';
export { liveScopeOf } from './session.js';

/** The live endpoint. */
export const livePath = '/api/v1/live';

/**
 * `GET /api/v1/live`, upgraded to a WebSocket: subscribed devices' values and presence pushed as they
 * are stored (protocol in docs/api.md, "Live values (WebSocket)").
 *
 * Why @fastify/websocket rather than `ws` on the server's upgrade event: the upgrade goes through
 * Fastify's router and hooks, so the route sits beside the others (listed in the OpenAPI document, a
 * plain GET answers 426 through the error handler) and open sockets are closed with the app. It is
 * registered here, inside this plugin, so only this feature's routes change; the gateway link's own
 * upgrade listener hands it every other path.
 */
export const liveRoutes: FastifyPluginAsyncZod<FeatureDeps> = async (app, deps) => {
  await app.register(fastifyWebsocket, { options: { maxPayload: 64 * 1024 } });
  app.route({
    method: 'GET',
    url: livePath,
    // Browsers cannot set Authorization on a WebSocket: the session authenticates itself (query or first message).
    config: { public: true },
    schema: {
      tags: ['live'],
      summary: 'Live values and device presence over WebSocket (connect with ?token= or send {"type":"auth"} first)',
      security: [],
      querystring: z.object({ token: z.string().min(1).max(4096).optional().describe('A session or API token; prefer the auth message, since URLs end up in logs') }),
      response: { 426: errorBodySchema.describe('UPGRADE_REQUIRED: a plain HTTP request') },
    },
    handler: async () => {
      throw new YulianError('UPGRADE_REQUIRED', `${livePath} speaks WebSocket only; connect with a WebSocket client (see docs/api.md, Live values).`);
    },
    wsHandler: (socket, request) => {
      serveLiveSession(socket, request.query.token, request.ip, { hub: deps.live.hub, presence: deps.live.presence, identity: deps.identity, gateways: deps.gateways, logger: deps.logger });
    },
  });
};
