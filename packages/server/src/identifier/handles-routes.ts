import { type Caller, type Config, type IdentityService, type Store, can, isYulianError } from '@yulian/core';
import { HandleError, type IdentifierNode, type RecordStore, type ResolutionBackend, handlesApi, isUnder, signingRecords, tryParseIdentifier, verifyingBackend } from '@yulian/identifier';
import { ResponseCode, naPrefix } from '@yulian/protocols';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { nodeFor, quotaOf } from '../features/identifiers/bulk-runner.js';
import type { PlatformIdentifier } from './embedded-nodes.js';
import { platformSigningKeys } from './signing-keys.js';

/** How long the list of prefixes delegated to outside nodes is reused before it is read again. */
const delegatedTtlMs = 2_000;

/**
 * The approved enterprise prefixes that run a node of their own (`id_prefixes.site`): the platform holds
 * none of their identifiers unless one of its own nodes has that prefix. Reads reuse the list for 2 s;
 * writes read it fresh (an approval a moment ago counts).
 */
function delegatedPrefixes(store: Store | undefined): (fresh?: boolean) => Promise<string[]> {
  let read: { prefixes: string[]; at: number } | undefined;
  return async (fresh = false) => {
    if (!store) return [];
    if (!fresh && read && Date.now() - read.at < delegatedTtlMs) return read.prefixes;
    const rows = await store.db.selectFrom('id_prefixes').select('prefix').where('state', '=', 'approved').where('site', 'is not', null).execute();
    read = { prefixes: rows.map((r) => r.prefix), at: Date.now() };
    return read.prefixes;
  };
}

/** The delegated prefix a prefix lies under that is deeper than the node picked for it (so held elsewhere), if any. */
const remoteHolder = (delegated: readonly string[], prefix: string, node: IdentifierNode): string | undefined =>
  delegated.find((d) => isUnder(prefix, d) && d.length > (node.prefix ?? '').length);

/**
 * One record store over the platform's nodes: each identifier (or prefix) goes to the node holding the
 * longest prefix it lies under (the demo enterprise's node for 88.100.1/…, else the platform's own). An
 * identifier under a prefix delegated to a node outside the platform (an approved prefix with a site of
 * its own) is refused with RC 301 "server not responsible": its records live there, not here.
 */
export function routedRecords(identifier: () => PlatformIdentifier | undefined, store?: Store): RecordStore {
  const delegated = delegatedPrefixes(store);
  const pick = async (handleOrPrefix: string): Promise<RecordStore> => {
    const prefix = handleOrPrefix.split('/')[0]!;
    const id = identifier();
    if (!id) throw new HandleError(ResponseCode.SERVER_TOO_BUSY, 'The identifier nodes are starting; try again in a moment.');
    const node = nodeFor(id, prefix);
    const remote = remoteHolder(await delegated(true), prefix, node);
    if (remote) throw new HandleError(ResponseCode.SERVER_NOT_RESP, `ID_RECORD_REMOTE: ${prefix} lies under ${remote}, delegated to the enterprise's own node; change its identifiers there.`);
    return node.records!;
  };
  return {
    get: async (h) => (await pick(h)).get(h),
    getSync: undefined,
    create: async (h, v) => (await pick(h)).create(h, v),
    put: async (h, v) => (await pick(h)).put(h, v),
    update: async (h, c) => (await pick(h)).update(h, c),
    delete: async (h) => (await pick(h)).delete(h),
    list: async (p, o) => (await pick(p)).list(p, o),
    count: async (p) => (p === undefined ? identifier()!.secondary.records!.count() : (await pick(p)).count(p)),
    insertMany: async (rows, options) => {
      // Grouped by node, in order.
      const groups = new Map<RecordStore, Array<readonly [string, Buffer]>>();
      for (const r of rows) {
        const s = await pick(r[0]);
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

/**
 * The records the platform's APIs change (`/api/handles`, the template records API): routed to the node
 * holding each identifier, a new identifier refused beyond its prefix's quota (as bulk jobs do, row by
 * row), and every write signed with the prefix's active SM2 key when it has one.
 */
export function platformRecords(options: { store: Store; config: Config; identifier: () => PlatformIdentifier | undefined }): RecordStore {
  const routed = routedRecords(options.identifier, options.store);
  const withinQuota = async (handle: string): Promise<void> => {
    if ((await routed.get(handle)) !== undefined) return;
    const quota = await quotaOf(options.store, handle.split('/')[0]!);
    if (quota && (await routed.count(quota.prefix)) >= quota.limit) {
      throw new HandleError(ResponseCode.INSUFFICIENT_PERMISSIONS, `ID_QUOTA_EXCEEDED: prefix ${quota.prefix} holds its quota of ${quota.limit} identifiers already.`);
    }
  };
  const quoted: RecordStore = {
    ...routed,
    // Handle.Net's PUT creates first and replaces on "exists": only a handle not there yet is a new one.
    create: async (h, v) => {
      await withinQuota(h);
      return routed.create(h, v);
    },
    put: async (h, v) => {
      await withinQuota(h);
      return routed.put(h, v);
    },
  };
  return signingRecords(quoted, platformSigningKeys(options.store, options.config));
}

/**
 * What the platform resolves through: an identifier one of its own nodes holds is answered by that node
 * (authoritative and fresh: a write is seen by the next read), anything else through the public entry
 * (the demo's recursive node, which follows delegation and caches). Each answer carries the check of the
 * record's SM2 signature against the key its prefix handle publishes, looked up the same way.
 */
export function platformBackend(identifier: () => PlatformIdentifier | undefined, store?: Store): ResolutionBackend {
  const delegated = delegatedPrefixes(store);
  /** The platform's node that holds a handle (prefix handles `0.NA/x`: the node of the prefix above x), or undefined. */
  const holder = async (id: PlatformIdentifier, handle: string): Promise<IdentifierNode | undefined> => {
    const parsed = tryParseIdentifier(handle);
    if (typeof parsed === 'string') return undefined;
    const isPrefixHandle = parsed.prefix === naPrefix;
    const prefix = isPrefixHandle ? parsed.handle.slice(naPrefix.length + 1).toUpperCase() : parsed.prefix;
    let best: IdentifierNode | undefined;
    for (const n of id.nodes) {
      if (!n.records || !n.prefix || !isUnder(prefix, n.prefix) || (isPrefixHandle && prefix === n.prefix)) continue;
      if (!best || n.prefix.length > best.prefix!.length) best = n;
    }
    // A prefix handle lives with the prefix above it (the delegation is there, even for a delegated prefix).
    const held = isPrefixHandle ? prefix.slice(0, Math.max(0, prefix.lastIndexOf('.'))) : prefix;
    return best && !remoteHolder(await delegated(), held, best) ? best : undefined;
  };
  return verifyingBackend({
    async resolve(h, f) {
      const id = identifier();
      if (!id) return { rc: ResponseCode.SERVER_TOO_BUSY, handle: h, message: 'Identifier resolution is starting.' };
      const node = await holder(id, h);
      return (node ?? id.entry).backend.resolve(h, f);
    },
  });
}

/** The prefixes allocated to an enterprise (approved), from `id_prefixes`. */
async function prefixesOf(store: Store, tenantId: string): Promise<string[]> {
  const rows = await store.db.selectFrom('id_prefixes').select('prefix').where('tenant_id', '=', tenantId).where('state', '=', 'approved').execute();
  return rows.map((r) => r.prefix);
}

/**
 * Whether a caller may change identifiers under a prefix (or the identifier `target`): registrars and
 * platform admins any; others under a prefix allocated to their enterprise. The role's permission is
 * checked by the caller of this.
 */
export async function mayChangeUnder(store: Store, who: Caller, target: string): Promise<boolean> {
  if (who.role === 'platform-admin' || who.role === 'registrar') return true;
  if (!who.tenantId) return false;
  const prefix = target.split('/')[0]!;
  return (await prefixesOf(store, who.tenantId)).some((p) => isUnder(prefix, p));
}

/**
 * Handle.Net's `/api/handles` on the platform: resolution for anyone (through the public entry: the
 * demo's recursive node, or the platform's own node); changes and listings with a bearer token of a
 * registrar or platform admin (any identifier), or of an enterprise admin or engineer under a prefix
 * allocated to their enterprise.
 */
export async function handlesRoutes(app: FastifyInstance, options: { identity: IdentityService; store: Store; config: Config; identifier: () => PlatformIdentifier | undefined }): Promise<void> {
  const caller = async (request: FastifyRequest): Promise<Caller | undefined> => {
    const m = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
    return m?.[1] ? options.identity.authenticate(m[1], request.ip) : undefined;
  };
  await app.register(handlesApi, {
    backend: platformBackend(options.identifier, options.store),
    records: platformRecords(options),
    async authorize(request, _operation, target) {
      let who: Caller | undefined;
      try {
        who = await caller(request);
      } catch (e) {
        return { responseCode: ResponseCode.AUTHENTICATION_FAILED, message: isYulianError(e) ? e.message : 'The bearer token is not valid.' };
      }
      if (!who) return { responseCode: ResponseCode.AUTHENTICATION_NEEDED, message: 'Send Authorization: Bearer <token> (log in at POST /api/v1/auth/login).' };
      return can(who.role, 'identifier:write') && mayChangeUnder(options.store, who, target);
    },
  });
}
