import { type Caller, type IdentityService, type Store, can, isYulianError } from '@yulian/core';
import { HandleError, type RecordStore, type ResolutionBackend, handlesApi, isUnder } from '@yulian/identifier';
import { quotaOf } from '../features/identifiers/bulk-runner.js';
import { ResponseCode } from '@yulian/protocols';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { PlatformIdentifier } from './embedded-nodes.js';

/**
 * One record store over the platform's nodes: each identifier (or prefix) goes to the node holding the
 * longest prefix it lies under (the demo enterprise's node for 88.100.1/…, else the platform's own).
 */
export function routedRecords(identifier: () => PlatformIdentifier | undefined): RecordStore {
  const pick = (handleOrPrefix: string): RecordStore => {
    const prefix = handleOrPrefix.split('/')[0]!;
    const id = identifier();
    if (!id) throw new Error('identifier nodes are not started yet');
    let best = id.secondary;
    for (const n of id.nodes) if (n.records && n.prefix && isUnder(prefix, n.prefix) && n.prefix.length > (best.prefix ?? '').length) best = n;
    return best.records!;
  };
  return {
    get: (h) => pick(h).get(h),
    getSync: undefined,
    create: (h, v) => pick(h).create(h, v),
    put: (h, v) => pick(h).put(h, v),
    update: (h, c) => pick(h).update(h, c),
    delete: (h) => pick(h).delete(h),
    list: (p, o) => pick(p).list(p, o),
    count: (p) => (p === undefined ? identifier()!.secondary.records!.count() : pick(p).count(p)),
    insertMany: async (rows, options) => {
      // Grouped by node, in order.
      const groups = new Map<RecordStore, Array<readonly [string, Buffer]>>();
      for (const r of rows) {
        const s = pick(r[0]);
        const g = groups.get(s) ?? [];
        g.push(r);
        groups.set(s, g);
      }
      // Statements to commit with the rows need one transaction, so one node.
      if (options?.commitWith) {
        if (groups.size > 1) throw new Error('insertMany with commitWith: every row must belong to one node');
        const [only] = groups;
        return only ? only[0].insertMany(only[1], options) : identifier()!.secondary.records!.insertMany([], options);
      }
      let inserted = 0;
      const existing: string[] = [];
      for (const [s, g] of groups) {
        const r = await s.insertMany(g);
        inserted += r.inserted;
        existing.push(...r.existing);
      }
      return { inserted, existing };
    },
  };
}

/** The prefixes allocated to an enterprise (approved), from `id_prefixes`. */
async function prefixesOf(store: Store, tenantId: string): Promise<string[]> {
  const rows = await store.db.selectFrom('id_prefixes').select('prefix').where('tenant_id', '=', tenantId).where('state', '=', 'approved').execute();
  return rows.map((r) => r.prefix);
}

/**
 * Handle.Net's `/api/handles` on the platform: resolution for anyone (through the public entry: the
 * demo's recursive node, or the platform's own node); changes and listings with a bearer token of a
 * registrar or platform admin (any identifier), or of an enterprise admin or engineer under a prefix
 * allocated to their enterprise.
 */
export async function handlesRoutes(app: FastifyInstance, options: { identity: IdentityService; store: Store; identifier: () => PlatformIdentifier | undefined }): Promise<void> {
  const backend: ResolutionBackend = {
    resolve: (h, f) => {
      const id = options.identifier();
      if (!id) return Promise.resolve({ rc: ResponseCode.SERVER_TOO_BUSY, handle: h, message: 'Identifier resolution is starting.' });
      return id.entry.backend.resolve(h, f);
    },
  };
  const caller = async (request: FastifyRequest): Promise<Caller | undefined> => {
    const m = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
    return m?.[1] ? options.identity.authenticate(m[1], request.ip) : undefined;
  };
  const routed = routedRecords(options.identifier);
  /** Refuses a new identifier beyond its prefix's quota (as bulk jobs do, row by row). */
  const withinQuota = async (handle: string): Promise<void> => {
    const quota = await quotaOf(options.store, handle.split('/')[0]!);
    if (quota && (await routed.count(quota.prefix)) >= quota.limit) {
      throw new HandleError(ResponseCode.INSUFFICIENT_PERMISSIONS, `ID_QUOTA_EXCEEDED: prefix ${quota.prefix} holds its quota of ${quota.limit} identifiers already.`);
    }
  };
  await app.register(handlesApi, {
    backend,
    records: {
      ...routed,
      // Handle.Net's PUT creates first and replaces on "exists": only a handle not there yet is a new one.
      create: async (h, v) => {
        if ((await routed.get(h)) === undefined) await withinQuota(h);
        return routed.create(h, v);
      },
      put: async (h, v) => {
        if ((await routed.get(h)) === undefined) await withinQuota(h);
        return routed.put(h, v);
      },
    },
    async authorize(request, _operation, target) {
      let who: Caller | undefined;
      try {
        who = await caller(request);
      } catch (e) {
        return { responseCode: ResponseCode.AUTHENTICATION_FAILED, message: isYulianError(e) ? e.message : 'The bearer token is not valid.' };
      }
      if (!who) return { responseCode: ResponseCode.AUTHENTICATION_NEEDED, message: 'Send Authorization: Bearer <token> (log in at POST /api/v1/auth/login).' };
      if (!can(who.role, 'identifier:write')) return false;
      if (who.role === 'platform-admin' || who.role === 'registrar') return true;
      if (!who.tenantId) return false;
      const prefix = target.split('/')[0]!;
      return (await prefixesOf(options.store, who.tenantId)).some((p) => isUnder(prefix, p));
    },
  });
}
