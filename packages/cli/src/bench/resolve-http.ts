// The two HTTP servers of `yulian bench resolve`'s HTTP half, both in the bench process: the node's
// Handle.Net-compatible `/api/handles` and, as the baseline, a bare Fastify route with a fixed answer.
import { type RecordStore, createNodeHttpApp, localBackend } from '@yulian/identifier';
import Fastify, { type FastifyInstance } from 'fastify';
import { benchHandle } from './register-records.js';

/** How the bench loads an HTTP server: keep-alive connections (one request outstanding on each), warm-up and timed period. */
export const resolveHttpLoad = { connections: 64, warmupMs: 2_000, durationMs: 10_000, unknownShare: 0.03, requests: 200_000, checkEvery: 100, timeoutMs: 5_000 };

/** An HTTP server of the bench, listening on 127.0.0.1. */
export interface BenchHttpServer {
  app: FastifyInstance;
  port: number;
  close(): Promise<void>;
}

/**
 * Fastify's options as `createNodeHttpApp` (what `yulian id-node --http-port` serves) sets them, less its
 * request log: the baseline is built with these, so it differs only in its route.
 */
const fastifyOptions = { routerOptions: { ignoreTrailingSlash: true } } as const;

async function listen(app: FastifyInstance): Promise<BenchHttpServer> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (!address || typeof address !== 'object') throw new Error('the bench HTTP server has no port');
  return { app, port: address.port, close: () => app.close() };
}

/**
 * The measured side: `handlesApi` over `localBackend(records)` with the records for changes and listings,
 * what `yulian id-node --http-port` serves; without an authorize callback, as id-node without
 * YULIAN_ID_ADMIN_TOKEN (a resolution never asks it).
 */
export async function startNodeHttp(records: RecordStore): Promise<BenchHttpServer> {
  return listen(await createNodeHttpApp({ backend: localBackend(records), records }));
}

/** The baseline: one route under the same path answering every GET with `body`, pre-serialised, as application/json. */
export async function startBareHttp(body: string): Promise<BenchHttpServer> {
  const app = Fastify(fastifyOptions);
  app.get('/api/handles/*', (_request, reply) => reply.type('application/json').send(body));
  return listen(app);
}

/**
 * A typical answer of the node, for the bare route's body: the bench's products carry 4–6 template fields
 * (by n mod 3, register-records.ts), so of one product of each shape, the answer of middle size. Answered
 * in memory; throws unless it is a 200.
 */
export async function typicalAnswer(node: BenchHttpServer): Promise<string> {
  const bodies: string[] = [];
  for (const n of [1, 2, 3]) {
    const r = await node.app.inject({ method: 'GET', url: `/api/handles/${benchHandle(n)}` });
    if (r.statusCode !== 200) throw new Error(`GET /api/handles/${benchHandle(n)} answered ${r.statusCode}: ${r.body}`);
    bodies.push(r.body);
  }
  return bodies.sort((a, b) => Buffer.byteLength(a) - Buffer.byteLength(b))[1]!;
}
