import { createIdentifierLinkSchema, errorBodySchema, identifierChainSchema, identifierLinkSchema, identifierLinkViewSchema, listOf } from '@yulian/contracts';
import { type Caller, type Store, YulianError } from '@yulian/core';
import { type IdentifierLink, type LinkView, type TraceService, chainLimits, isUnder, parseTraceIdentifier } from '@yulian/identifier';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { callerOf } from '../../plugins/auth.js';
import type { FeatureDeps } from '../deps.js';
import { authErrors } from '../errors-schema.js';

const tags = ['identifiers'];
const identifierQuery = z.object({ identifier: z.string().min(1).max(400).describe('e.g. 88.100.1/RV40E.202106.0023') });
const chainQuery = identifierQuery.extend({ depth: z.coerce.number().int().min(1).max(chainLimits.maxDepth).default(chainLimits.defaultDepth).describe(`levels of links to follow, 1–${chainLimits.maxDepth}`) });
const malformed = { 400: errorBodySchema.describe('ID_MALFORMED (details.problem), ID_LINK_INVALID or VALIDATION_FAILED') } as const;

/** The API's view of a link. */
export const linkJson = (l: IdentifierLink): z.infer<typeof identifierLinkSchema> => ({
  id: l.id,
  source: l.source,
  type: l.type,
  target: l.target,
  stage: l.stage,
  date: l.date,
  note: l.note,
  createdBy: l.createdBy,
  createdAt: new Date(l.createdAt).toISOString(),
});
const viewJson = (v: LinkView): z.infer<typeof identifierLinkViewSchema> => ({ ...linkJson(v.link), direction: v.direction, relation: v.relation, other: v.other });

/**
 * Whether the caller may change what is published on an identifier of `prefix`: the rule of
 * `/api/handles` — registrars and platform admins any; enterprise admins and engineers under the
 * prefixes allocated (approved) to their enterprise.
 */
async function mayWrite(store: Store, caller: Caller, prefix: string): Promise<boolean> {
  if (caller.role === 'platform-admin' || caller.role === 'registrar') return true;
  if (!caller.tenantId) return false;
  const rows = await store.db.selectFrom('id_prefixes').select('prefix').where('tenant_id', '=', caller.tenantId).where('state', '=', 'approved').execute();
  return rows.some((r) => isUnder(prefix, r.prefix));
}

/**
 * Identifier links (标识关联): create, list and delete the typed links of an identifier, and walk its
 * chain. Writes need identifier:write on the source's prefix; links are public (the page /r shows them),
 * so reading needs only a login.
 */
export const linkRoutes: FastifyPluginAsyncZod<FeatureDeps & { trace: TraceService }> = async (app, deps) => {
  const { trace } = deps;
  app.post(
    '/api/v1/identifiers/links',
    {
      config: { permission: 'identifier:write' },
      schema: {
        tags,
        summary: 'Link an identifier to another (component-of, has-component, in-batch, batch-of, supplied-by, supplies) or record a lifecycle event (event: stage, date, note)',
        description: 'The link is published on the source’s Handle record as a YL.link value (index 2000+). The source must be held by a node of this platform and lie under a prefix of your enterprise; the target may be any identifier that resolves.',
        body: createIdentifierLinkSchema,
        response: { 201: identifierLinkSchema, ...authErrors, ...malformed, 404: errorBodySchema.describe('ID_UNRESOLVABLE: the source or target does not resolve'), 409: errorBodySchema.describe('ID_LINK_EXISTS or ID_LINK_SOURCE_REMOTE') },
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      const source = parseTraceIdentifier(request.body.source);
      if (!(await mayWrite(deps.store, caller, source.prefix))) throw new YulianError('FORBIDDEN', `The prefix ${source.prefix} is not allocated to your enterprise.`);
      const link = await trace.create({ ...request.body, source: source.handle, tenantId: caller.tenantId, createdBy: caller.username });
      await deps.identity.audit.append({ tenantId: caller.tenantId, actor: caller.username, ip: request.ip, action: 'identifier.link.create', target: link.source, outcome: 'success', details: { link: link.id, type: link.type, to: link.target, stage: link.stage } });
      return reply.status(201).send(linkJson(link));
    },
  );
  app.get(
    '/api/v1/identifiers/links',
    { schema: { tags, summary: 'The links of an identifier, both directions, oldest first (relation: the type read from this identifier)', querystring: identifierQuery, response: { 200: listOf(identifierLinkViewSchema), ...authErrors, ...malformed } } },
    async (request) => ({ items: (await trace.of(request.query.identifier)).map(viewJson) }),
  );
  app.get(
    '/api/v1/identifiers/chain',
    {
      schema: {
        tags,
        summary: 'The chain of an identifier: links followed both ways, level by level, to a bounded depth; each identifier once, so cycles end',
        querystring: chainQuery,
        response: { 200: identifierChainSchema, ...authErrors, ...malformed },
      },
    },
    async (request) => {
      const chain = await trace.chain(request.query.identifier, { depth: request.query.depth });
      return { ...chain, links: chain.links.map(linkJson) };
    },
  );
  app.delete(
    '/api/v1/identifiers/links/:id',
    {
      config: { permission: 'identifier:write' },
      schema: { tags, summary: 'Delete a link and its YL.link value', params: z.object({ id: z.string().min(1).max(64) }), response: { 204: z.null(), ...authErrors, 404: errorBodySchema.describe('ID_LINK_NOT_FOUND (also one on another enterprise’s identifier)') } },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      const link = await trace.get(request.params.id);
      if (!link || !(await mayWrite(deps.store, caller, link.source.split('/')[0]!))) throw new YulianError('ID_LINK_NOT_FOUND', `No identifier link ${request.params.id}.`);
      await trace.delete(link.id);
      await deps.identity.audit.append({ tenantId: caller.tenantId, actor: caller.username, ip: request.ip, action: 'identifier.link.delete', target: link.source, outcome: 'success', details: { link: link.id, type: link.type, to: link.target } });
      return reply.status(204).send(null);
    },
  );
};
