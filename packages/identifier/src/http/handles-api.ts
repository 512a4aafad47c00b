/**
 * Handle.Net's HTTP JSON API (`/api/handles`, Handle.Net 8+) over a node's backends, so Handle.Net
 * clients (its web admin, pyhandle, B2HANDLE, curl scripts) work against a Yulian node unchanged.
 * Answers carry Handle.Net's shapes — `{"responseCode", "handle", "message" | "values"}` — and its HTTP
 * statuses (`status.ts`), not the `{"error": …}` of `/api/v1`.
 */
import { randomUUID } from 'node:crypto';
import { ResponseCode } from '@yulian/protocols';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ResolutionBackend } from '../node/backend.js';
import { HandleError, type RecordStore } from '../records.js';
import { type Answer, type HandlesRefusal, Refusal, failureAnswer, sendAnswer } from './handles-answer.js';
import { handleInPath, queryFirst, queryOf } from './handles-request.js';
import { type HandlesOperation, type RouteDeps, deleteHandle, getHandle, putHandle } from './handles-routes.js';

export type { HandlesOperation } from './handles-routes.js';
export type { HandlesRefusal } from './handles-answer.js';

/**
 * Decides whether a request may change a handle (`target`: the normalised handle) or list a prefix
 * (`target`: the normalised prefix). `false` answers RC 401 "insufficient permissions" (HTTP 403); a
 * {@link HandlesRefusal} answers as it says (e.g. RC 402 "authentication needed", HTTP 401).
 */
export type HandlesAuthorize = (request: FastifyRequest, operation: HandlesOperation, target: string) => Promise<boolean | HandlesRefusal>;

/** Options of {@link handlesApi}. */
export interface HandlesApiOptions {
  /** Where resolutions are answered from: `localBackend(records)`, or a recursive resolver. */
  backend: ResolutionBackend;
  /** The node's records, for changes and listings; absent on a read-only node (changes answer RC 7, HTTP 503). */
  records?: RecordStore;
  /** Who may change and list; absent, changes and listings answer RC 5 "operation not supported" (HTTP 501). */
  authorize?: HandlesAuthorize;
  /** Milliseconds since the epoch (values written are stamped with it); a fake in tests. */
  now?: () => number;
  /** Draws the suffix `mintNewSuffix=true` appends (default: a random UUID; Handle.Net's scheme was not checked); a fake in tests. */
  mintSuffix?: () => string;
}

/** Largest request body accepted (1 MiB); a larger one is answered 413. */
export const handlesApiBodyLimit = 1_048_576;

/** The handle or prefix a request names, for an error answer; '' when there is none. */
function targetOf(request: FastifyRequest): string {
  try {
    return handleInPath(request) || (queryFirst(queryOf(request), 'prefix') ?? '');
  } catch {
    return queryFirst(queryOf(request), 'prefix') ?? '';
  }
}

const statusCodeOf = (e: unknown): number | undefined => (typeof e === 'object' && e !== null && 'statusCode' in e && typeof e.statusCode === 'number' ? e.statusCode : undefined);

/**
 * The Handle.Net-compatible HTTP JSON API as a Fastify plugin, for the all-in-one server and the
 * standalone identifier node alike. Routes: `GET /api/handles/{handle}` (`type=`, `index=`),
 * `PUT /api/handles/{handle}` (`index=`, `overwrite=`, `mintNewSuffix=`), `DELETE /api/handles/{handle}`
 * (`index=`), `GET /api/handles?prefix=&page=&pageSize=`. Register it without fastify-plugin: its error
 * handler (Handle.Net's shapes for unreadable bodies) stays inside.
 * @example await app.register(handlesApi, { backend: localBackend(records), records, authorize })
 */
export const handlesApi: FastifyPluginAsync<HandlesApiOptions> = async (app, options) => {
  if (typeof options.backend?.resolve !== 'function') throw new Error('handlesApi needs { backend }: a ResolutionBackend such as localBackend(records).');
  const { authorize } = options;
  const now = options.now ?? Date.now;
  const deps: RouteDeps = {
    backend: options.backend,
    records: options.records,
    seconds: () => Math.floor(now() / 1000),
    draw: options.mintSuffix ?? randomUUID,
    async allow(request, operation, target) {
      if (!authorize) throw new HandleError(ResponseCode.OPERATION_NOT_SUPPORTED, 'This node takes no changes or listings over HTTP (it was started without an authorize callback).');
      const verdict = await authorize(request, operation, target);
      if (verdict === true) return;
      throw new Refusal(verdict === false ? { responseCode: ResponseCode.INSUFFICIENT_PERMISSIONS, message: `Not permitted to ${operation} ${target}.` } : verdict);
    },
  };
  const run = (work: (deps: RouteDeps, request: FastifyRequest, handle: string) => Promise<Answer>) => async (request: FastifyRequest, reply: FastifyReply) => {
    try {
      return sendAnswer(request, reply, await work(deps, request, handleInPath(request)));
    } catch (e) {
      return sendAnswer(request, reply, failureAnswer(request, e, targetOf(request)));
    }
  };

  app.setErrorHandler((error, request, reply) => {
    // Failures before a handler ran: reading the body (bad JSON, too large, another media type). Handle.Net
    // answers a body it cannot read with RC 4 "protocol error"; the HTTP status stays Fastify's.
    const status = statusCodeOf(error);
    const target = targetOf(request);
    if (status === undefined || status < 400 || status >= 500) return sendAnswer(request, reply, failureAnswer(request, error, target));
    const message = status === 413 ? `The body is larger than ${handlesApiBodyLimit} bytes.` : error instanceof Error ? error.message : 'Bad request';
    return sendAnswer(request, reply, { rc: ResponseCode.PROTOCOL_ERROR, status, body: { ...(target ? { handle: target } : {}), message } });
  });

  const route = { bodyLimit: handlesApiBodyLimit };
  app.get('/api/handles', route, run(getHandle));
  app.get('/api/handles/*', route, run(getHandle));
  app.put('/api/handles', route, run(putHandle));
  app.put('/api/handles/*', route, run(putHandle));
  app.delete('/api/handles', route, run(deleteHandle));
  app.delete('/api/handles/*', route, run(deleteHandle));
};
