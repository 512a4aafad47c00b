import {
  type PrefixAllocationDto,
  applyPrefixSchema,
  approvePrefixSchema,
  errorBodySchema,
  listOf,
  prefixAllocationSchema,
  prefixDecisionSchema,
  prefixListQuerySchema,
  prefixQuotaSchema,
  resumePrefixSchema,
} from '@yulian/contracts';
import { type Caller, YulianError } from '@yulian/core';
import { type PrefixAllocation, type PrefixChange, type PrefixRegistry, type RecordStore, createPrefixRegistry, recordsPrefixPublisher } from '@yulian/identifier';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { callerOf } from '../../plugins/auth.js';
import { keepingKeys, platformSigningKeys } from '../../identifier/signing-keys.js';
import type { FeatureDeps } from '../deps.js';
import { authErrors } from '../errors-schema.js';

const params = z.object({ prefix: z.string().min(1).max(64).describe('e.g. 88.100.2') });
const prefixNotFound = { 404: errorBodySchema.describe('PREFIX_NOT_FOUND (also another enterprise’s)') } as const;
const stateInvalid = { 409: errorBodySchema.describe('PREFIX_STATE_INVALID: details.from and details.to') } as const;
const tags = ['identifiers'];

/** Roles that see every enterprise's prefixes; the others see their own enterprise's. */
const seesAll = (caller: Caller): boolean => caller.role === 'platform-admin' || caller.role === 'registrar' || caller.role === 'authority';

/** The API's view of a prefix: the authority oversees allocation but gets no contact details or user names. */
function prefixJson(caller: Caller, a: PrefixAllocation): PrefixAllocationDto {
  const hidden = caller.role === 'authority';
  return {
    prefix: a.prefix,
    parent: a.parent,
    kind: a.kind,
    tenantId: a.tenantId,
    state: a.state,
    orgName: a.orgName,
    creditCode: a.creditCode,
    contact: hidden ? null : a.contact,
    applicant: hidden ? null : a.applicant,
    reviewer: hidden ? null : a.reviewer,
    reviewReason: a.reviewReason,
    site: a.site,
    quota: a.quota,
    createdAt: new Date(a.createdAt).toISOString(),
    updatedAt: new Date(a.updatedAt).toISOString(),
  };
}

/**
 * Enterprise prefixes (企业前缀): an enterprise admin applies for a prefix under the platform's secondary
 * node (real-name data: organisation, unified social credit code, contact; optionally its own node); a
 * registrar or platform admin approves (with a quota), rejects (with a reason), suspends or resumes it.
 * Approval writes the prefix handle `0.NA/<prefix>` on the platform's node (HS_ADMIN, and HS_SITE.PREFIX
 * when delegated), suspension removes it. Every step is audited as `identifier.prefix.<step>`.
 */
export const identifierPrefixRoutes: FastifyPluginAsyncZod<FeatureDeps> = async (app, deps) => {
  const secondaryRecords = (): RecordStore | undefined => deps.identifier()?.secondary.records;
  allocationRoutes(app, deps, {
    base: '/api/v1/identifiers/prefixes',
    action: 'identifier.prefix',
    registry: createPrefixRegistry({
      store: deps.store,
      parent: deps.config.handle.prefix,
      // The prefix handle keeps the prefix's signing keys (HS_PUBKEY) when approval or resumption rewrites it.
      handles: keepingKeys(recordsPrefixPublisher({ records: secondaryRecords }), secondaryRecords, platformSigningKeys(deps.store, deps.config)),
    }),
  });
  // Secondary nodes (二级节点) under the top-level prefix, on the top-level node: with the demo's hierarchy.
  const topRecords = (): RecordStore | undefined => deps.identifier()?.nodes.find((n) => n.role === 'top')?.records;
  allocationRoutes(app, deps, {
    base: '/api/v1/identifiers/nodes',
    action: 'identifier.node',
    registry: createPrefixRegistry({ store: deps.store, parent: topPrefixOf(deps.config.handle.prefix), kind: 'secondary', handles: recordsPrefixPublisher({ records: topRecords }) }),
    available: () => {
      if (deps.identifier() && !topRecords()) throw new YulianError('ID_NO_TOP_NODE', 'This platform runs no top-level node (it runs one with the demo hierarchy, or as `yulian id-node --role top`); apply to the top-level node’s operator.');
    },
  });
};

/** The top-level prefix above the platform's: `88` for `88.100`. */
const topPrefixOf = (prefix: string): string => prefix.split('.')[0]!;

/** What one allocating registry's routes need. */
interface AllocationRoutes {
  /** `/api/v1/identifiers/prefixes` (enterprise prefixes) or `/api/v1/identifiers/nodes` (secondary nodes). */
  base: string;
  /** Audit action stem: `identifier.prefix`, `identifier.node`. */
  action: string;
  registry: PrefixRegistry;
  /** Throws when this platform cannot allocate these (no top-level node). */
  available?: () => void;
}

/** The routes of one registry: apply, list, read, approve, reject, suspend, resume, quota. */
function allocationRoutes(app: Parameters<FastifyPluginAsyncZod<FeatureDeps>>[0], deps: FeatureDeps, o: AllocationRoutes): void {
  const { registry } = o;
  const available = o.available ?? ((): void => undefined);
  const visible = async (caller: Caller, prefix: string): Promise<PrefixAllocation> => {
    const a = await registry.get(prefix);
    if (!a || !(seesAll(caller) || (caller.tenantId !== null && a.tenantId === caller.tenantId))) throw new YulianError('PREFIX_NOT_FOUND', `No prefix ${prefix}.`);
    return a;
  };
  /** Audits a reviewer's step (in the enterprise's log, so its admins see decisions about their prefix). */
  const decided = async (request: FastifyRequest, step: string, change: PrefixChange, details: Record<string, unknown>): Promise<PrefixAllocationDto> => {
    const caller = callerOf(request);
    await deps.identity.audit.append({
      tenantId: change.after.tenantId, actor: caller.username, ip: request.ip, action: `${o.action}.${step}`, target: change.after.prefix, outcome: 'success',
      details: { from: change.before.state, to: change.after.state, ...details },
    });
    return prefixJson(caller, change.after);
  };
  const review = (request: FastifyRequest & { params: z.infer<typeof params> }, reason?: string) => ({ prefix: request.params.prefix, reviewer: callerOf(request).username, reason });

  app.post(
    `${o.base}`,
    {
      config: { permission: 'prefix:apply' },
      schema: {
        tags, summary: 'Apply for a prefix: an enterprise’s under the platform’s node (/prefixes: 88.100.<code>), or a secondary node’s under the top-level node (/nodes: 88.<code>, site required); or the next free number',
        description: 'Real-name data: organisation name, unified social credit code (checked: GB 32100-2015 check character), contact; `site` when the enterprise runs its own identifier node. One pending application per enterprise.',
        body: applyPrefixSchema,
        response: { 201: prefixAllocationSchema, ...authErrors, 409: errorBodySchema.describe('PREFIX_TAKEN or PREFIX_APPLICATION_PENDING') },
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      available();
      if (!caller.tenantId) throw new YulianError('FORBIDDEN', 'Only a user of an enterprise can apply for its prefix.');
      const { code, orgName, creditCode, contact, site } = request.body;
      const a = await registry.apply({ tenantId: caller.tenantId, applicant: caller.username, code, orgName, creditCode, contact, site });
      await deps.identity.audit.append({
        tenantId: a.tenantId, actor: caller.username, ip: request.ip, action: `${o.action}.apply`, target: a.prefix, outcome: 'success',
        details: { orgName: a.orgName, creditCode: a.creditCode, site: a.site },
      });
      return reply.status(201).send(prefixJson(caller, a));
    },
  );
  app.get(
    `${o.base}`,
    {
      config: { permission: 'prefix:read' },
      schema: { tags, summary: 'Enterprise prefixes and applications, newest first: the caller’s enterprise’s, or all for registrars, platform admins and the authority', querystring: prefixListQuerySchema, response: { 200: listOf(prefixAllocationSchema), ...authErrors } },
    },
    async (request) => {
      const caller = callerOf(request);
      const tenantId = seesAll(caller) ? request.query.tenantId : (caller.tenantId ?? '');
      const items = await registry.list({ ...(tenantId === undefined ? {} : { tenantId }), ...(request.query.state ? { state: request.query.state } : {}) });
      return { items: items.map((a) => prefixJson(caller, a)) };
    },
  );
  app.get(
    `${o.base}/:prefix`,
    { config: { permission: 'prefix:read' }, schema: { tags, summary: 'One enterprise prefix or application', params, response: { 200: prefixAllocationSchema, ...authErrors, ...prefixNotFound } } },
    async (request) => prefixJson(callerOf(request), await visible(callerOf(request), request.params.prefix)),
  );
  app.post(
    `${o.base}/:prefix/approve`,
    {
      config: { permission: 'prefix:review' },
      schema: { tags, summary: 'Approve a pending application (optional quota and reason): writes the prefix handle 0.NA/<prefix>', params, body: approvePrefixSchema.nullish(), response: { 200: prefixAllocationSchema, ...authErrors, ...prefixNotFound, ...stateInvalid } },
    },
    async (request) => {
      const body = request.body ?? {};
      available();
      const change = await registry.approve({ ...review(request, body.reason), quota: body.quota });
      return decided(request, 'approve', change, { reason: change.after.reviewReason, quota: change.after.quota, site: change.after.site });
    },
  );
  app.post(
    `${o.base}/:prefix/reject`,
    {
      config: { permission: 'prefix:review' },
      schema: { tags, summary: 'Reject a pending application; the reason is required', params, body: prefixDecisionSchema, response: { 200: prefixAllocationSchema, ...authErrors, ...prefixNotFound, ...stateInvalid } },
    },
    async (request) => decided(request, 'reject', await registry.reject(review(request, request.body.reason)), { reason: request.body.reason }),
  );
  app.post(
    `${o.base}/:prefix/suspend`,
    {
      config: { permission: 'prefix:review' },
      schema: {
        tags, summary: 'Suspend an approved prefix; the reason is required',
        description: 'Removes the prefix handle 0.NA/<prefix> (a delegated prefix stops resolving once caches expire) and stops registrations under it; its identifiers are kept.',
        params, body: prefixDecisionSchema, response: { 200: prefixAllocationSchema, ...authErrors, ...prefixNotFound, ...stateInvalid },
      },
    },
    async (request) => decided(request, 'suspend', await registry.suspend(review(request, request.body.reason)), { reason: request.body.reason }),
  );
  app.post(
    `${o.base}/:prefix/resume`,
    {
      config: { permission: 'prefix:review' },
      schema: { tags, summary: 'Resume a suspended prefix: writes its prefix handle again', params, body: resumePrefixSchema.nullish(), response: { 200: prefixAllocationSchema, ...authErrors, ...prefixNotFound, ...stateInvalid } },
    },
    async (request) => {
      const reason = request.body?.reason;
      return decided(request, 'resume', await registry.resume(review(request, reason)), { reason: reason ?? '' });
    },
  );
  app.put(
    `${o.base}/:prefix/quota`,
    {
      config: { permission: 'prefix:review' },
      schema: { tags, summary: 'Change the quota of a prefix (null: unlimited)', params, body: prefixQuotaSchema, response: { 200: prefixAllocationSchema, ...authErrors, ...prefixNotFound, ...stateInvalid } },
    },
    async (request) => {
      const change = await registry.setQuota({ ...review(request, request.body.reason), quota: request.body.quota });
      return decided(request, 'quota', change, { quotaFrom: change.before.quota, quotaTo: change.after.quota, reason: request.body.reason ?? '' });
    },
  );
}
