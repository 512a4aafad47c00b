/** The HTTP server of a standalone identifier node (`yulian id-node --http-port`): Handle.Net's `/api/handles` alone. */
import { timingSafeEqual } from 'node:crypto';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyRequest } from 'fastify';
import type { ResolutionBackend } from '../node/backend.js';
import type { RecordStore } from '../records.js';
import { type HandlesAuthorize, handlesApi } from './handles-api.js';

/** Options of {@link createNodeHttpApp}. */
export interface NodeHttpOptions {
  backend: ResolutionBackend;
  /** The node's records, for changes and listings (absent on a resolver: read-only). */
  records?: RecordStore | undefined;
  /** Bearer token that may change and list (YULIAN_ID_ADMIN_TOKEN); absent: changes answer RC 5. */
  adminToken?: string | undefined;
  /** Fastify's logger (absent: none). */
  logger?: FastifyBaseLogger;
}

/** A bearer token check in constant time: the one administrator of a standalone node. */
function tokenAuthorize(token: string): HandlesAuthorize {
  const expected = Buffer.from(token);
  return async (request: FastifyRequest) => {
    const given = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
    if (!given) return { responseCode: 402, message: 'Send Authorization: Bearer <YULIAN_ID_ADMIN_TOKEN>.' };
    const a = Buffer.from(given);
    return a.length === expected.length && timingSafeEqual(a, expected);
  };
}

/**
 * The Fastify app of a standalone node's HTTP API (not listening yet): `handlesApi` over its backend and
 * records, changes allowed with the admin token. The all-in-one platform registers `handlesApi` in its own
 * app instead (its accounts and permissions decide).
 * @example const app = await createNodeHttpApp({ backend: node.backend, records: node.records }); await app.listen({ port: 8000 })
 */
export async function createNodeHttpApp(options: NodeHttpOptions): Promise<FastifyInstance> {
  const app = Fastify({ ...(options.logger ? { loggerInstance: options.logger } : {}), routerOptions: { ignoreTrailingSlash: true } });
  await app.register(handlesApi, {
    backend: options.backend,
    ...(options.records ? { records: options.records } : {}),
    ...(options.adminToken ? { authorize: tokenAuthorize(options.adminToken) } : {}),
  });
  return app;
}
