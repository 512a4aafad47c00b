import { YulianError, isYulianError } from '@yulian/core';
import { type TraceService, isResolved, parseTraceIdentifier, tryParseIdentifier } from '@yulian/identifier';
import { Permission, ResponseCode } from '@yulian/protocols';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FeatureDeps } from '../deps.js';
import { renderProblemPage, renderTracePage } from './page-html.js';
import { pickLanguage } from './page-text.js';
import { platformResolve } from './platform-trace.js';
import { publicPageUrl, requestOrigin } from './public-url.js';
import { qrPng, qrSvg } from './qr-codes.js';

type WildcardRequest = FastifyRequest<{ Params: { '*': string }; Querystring: { lang?: string } }>;
const hidden = { schema: { hide: true }, config: { public: true } } as const;

/**
 * The public side of traceability, no login: the page `/r/<identifier>` (server-rendered, phone-sized,
 * Chinese or English) and QR codes `/qr/svg/<identifier>`, `/qr/png/<identifier>` of its absolute URL.
 * Only identifiers that resolve through the platform's public entry (the one `/api/handles` answers
 * from, so delegated and demo enterprise identifiers too) get a page or a code.
 */
export async function publicTraceRoutes(app: FastifyInstance, deps: FeatureDeps & { trace: TraceService }): Promise<void> {
  const resolve = platformResolve(deps.identifier, deps.store);

  /** Resolves a path's identifier. @throws YulianError ID_MALFORMED, ID_UNRESOLVABLE, SERVICE_UNAVAILABLE */
  const resolvePath = async (text: string) => {
    const id = parseTraceIdentifier(text);
    const answer = await resolve(id.handle);
    if (answer.rc === ResponseCode.SERVER_TOO_BUSY) throw new YulianError('SERVICE_UNAVAILABLE', 'Identifier resolution is starting.');
    if (!isResolved(answer)) throw new YulianError('ID_UNRESOLVABLE', `${id.handle} does not resolve.`, { details: { identifier: id.handle } });
    return { id, values: (answer.values ?? []).filter((v) => v.permissions & Permission.PUBLIC_READ), signature: answer.signature };
  };

  app.get('/r/*', hidden, async (request: WildcardRequest, reply: FastifyReply) => {
    const lang = pickLanguage(request.query.lang, request.headers['accept-language']);
    const text = request.params['*'];
    const path = request.url.split('?')[0]!;
    void reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache');
    try {
      const { id, values, signature } = await resolvePath(text);
      const [links, chain, svg] = await Promise.all([deps.trace.of(id.handle), deps.trace.chain(id.handle), qrSvg(publicPageUrl(requestOrigin(request), id.handle))]);
      return reply.send(renderTracePage({ lang, identifier: id.handle, values, links, chain, qrSvg: svg, ...(signature ? { signature } : {}) }));
    } catch (e) {
      if (!isYulianError(e) || !['ID_MALFORMED', 'ID_UNRESOLVABLE', 'SERVICE_UNAVAILABLE'].includes(e.code)) throw e;
      const kind = e.code === 'ID_MALFORMED' ? 'invalid' : e.code === 'ID_UNRESOLVABLE' ? 'notFound' : 'unavailable';
      const parsed = tryParseIdentifier(text);
      request.log.info({ code: e.code, identifier: text.slice(0, 400) }, 'trace page: nothing to show');
      return reply.status(e.status).send(renderProblemPage({ lang, kind, identifier: typeof parsed === 'string' ? text : parsed.handle, code: e.code, ...(typeof parsed === 'string' ? { problem: parsed } : {}), path }));
    }
  });

  app.get('/qr/svg/*', hidden, async (request: WildcardRequest, reply: FastifyReply) => {
    const { id } = await resolvePath(request.params['*']);
    return reply.type('image/svg+xml; charset=utf-8').header('cache-control', 'public, max-age=300').send(await qrSvg(publicPageUrl(requestOrigin(request), id.handle)));
  });

  app.get('/qr/png/*', hidden, async (request: WildcardRequest, reply: FastifyReply) => {
    const { id } = await resolvePath(request.params['*']);
    return reply.type('image/png').header('cache-control', 'public, max-age=300').send(await qrPng(publicPageUrl(requestOrigin(request), id.handle)));
  });
}
