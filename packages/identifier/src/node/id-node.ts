import type { Logger, Store } from '@yulian/core';
import { type HandlePublicKey, type HandleTarget, type HandleValue, type SiteInfo, ResponseCode, SiteFlag, allAdminPermissions, encodeAdmin, encodePublicKey, encodeSite, handleValue, naPrefix } from '@yulian/protocols';
import type { ChallengeTableOptions } from './admin-challenges.js';
import type { AdminIdentity } from './admin-permissions.js';
import { type NodeScope, scopeTarget } from './admin-scope.js';
import { createAdminService } from './admin-service.js';
import { type RecordStore, createRecordStore } from '../records.js';
import { countingBackend, countingRecords } from '../stats/counting.js';
import type { NodeStats } from '../stats/node-stats.js';
import { parsePrefix } from '../syntax.js';
import { type ResolutionBackend, localBackend } from './backend.js';
import { backendHandleService } from './backend-service.js';
import { type HandleService, createHandleService } from './handle-service.js';
import { type HandleServer, type IdentifierSecurityEvent, startHandleServer } from './handle-server.js';
import { type RecursiveResolver, type RecursiveResolverOptions, createRecursiveResolver } from './resolver.js';

/** The four roles of the national identifier system's nodes. */
export const nodeRoles = ['top', 'secondary', 'enterprise', 'recursive'] as const;
export type NodeRole = (typeof nodeRoles)[number];

/** Options of {@link startIdentifierNode}. */
export interface IdentifierNodeOptions {
  role: NodeRole;
  logger: Logger;
  /** The prefix this node holds (`88`, `88.100`, `88.100.1`); not for a recursive node. */
  prefix?: string;
  /** Its store (migrated); not for a recursive node. */
  store?: Store;
  /** Where to listen (default `::`) and on which port (default 2641; 0 for a free one). */
  host?: string;
  port?: number;
  /** The address other nodes and clients reach this one at, written into its HS_SITE. Default 127.0.0.1. */
  publicAddress?: string;
  /** Prefixes under this one that run their own node: their prefix handles point there (HS_SITE.PREFIX). */
  delegations?: ReadonlyArray<{ prefix: string; target: HandleTarget }>;
  /** A recursive node's root (the top-level node) and cache settings. */
  resolver?: Omit<RecursiveResolverOptions, 'root'> & { root: readonly HandleTarget[] };
  /** TTL of the prefix handles this node writes, seconds. Default 3,600. */
  prefixTtlSeconds?: number;
  /** Per-source request rate over UDP (default 2,000/s, burst 4,000). */
  rate?: { perSecond: number; burst: number };
  /** Told of floods, malformed messages and failed authentication, for the security monitor. */
  onSecurityEvent?: (e: IdentifierSecurityEvent) => void;
  /**
   * Counts its registrations and resolutions (each resolution once, where it was answered: see
   * {@link countingBackend}); the node flushes and closes it when it closes.
   */
  stats?: NodeStats;
  /**
   * Prefixes whose identifiers this node does not answer for now (a suspended enterprise prefix): they
   * resolve as not found, over every transport, while their records are kept.
   */
  withheld?: (prefix: string) => boolean;
  /**
   * The node's own administrators (Handle.Net's server admins): keys that may do every administration
   * operation within the node's prefix, whatever the HS_ADMIN values say. Each names the handle and
   * index of an HS_PUBKEY or HS_SECKEY value; with `publicKey`, the node writes that HS_PUBKEY there at
   * start (the handle must be one it holds) — how the first administrator gets in.
   */
  admins?: ReadonlyArray<AdminIdentity & { publicKey?: HandlePublicKey }>;
  /** Administration over the Handle protocol (not for a recursive node): challenge lifetime and table size; where keys held elsewhere are resolved. */
  administration?: { challenges?: ChallengeTableOptions; keyBackend?: ResolutionBackend };
}

/** A running identifier node. */
export interface IdentifierNode {
  role: NodeRole;
  prefix: string | undefined;
  /** The Handle protocol port (UDP and TCP). */
  port: number;
  site: SiteInfo;
  /** What it answers resolutions from (its records, or the recursive resolver). */
  backend: ResolutionBackend;
  records: RecordStore | undefined;
  resolver: RecursiveResolver | undefined;
  server: HandleServer;
  /** Its Handle protocol service (statistics of resolutions and administration). */
  service: HandleService;
  close(): Promise<void>;
}

/** A one-server site answering queries over UDP and TCP on `port` (and administration). */
export function siteOf(address: string, port: number, description: string): SiteInfo {
  return {
    version: 1,
    protocolMajor: 2,
    protocolMinor: 10,
    serial: 1,
    flags: SiteFlag.PRIMARY,
    hashOption: 0,
    hashFilter: Buffer.alloc(0),
    attributes: [{ name: 'desc', value: description }],
    servers: [{ id: 1, address, publicKey: Buffer.alloc(0), interfaces: [{ type: 3, protocol: 0, port }, { type: 3, protocol: 1, port }] }],
  };
}

/**
 * Starts an identifier node (标识解析节点) of a role. A top-level, secondary or enterprise node serves
 * its records and writes its prefix handle `0.NA/<prefix>` (HS_SITE: itself; HS_ADMIN) and one per
 * delegation (`0.NA/<child>` with HS_SITE.PREFIX pointing at the child's node); a prefix under it with
 * no delegation is held here (an enterprise without its own node). A recursive node answers from a
 * {@link createRecursiveResolver} walking from the configured root.
 */
export async function startIdentifierNode(options: IdentifierNodeOptions): Promise<IdentifierNode> {
  const log = options.logger.child({ component: 'id-node', role: options.role });
  const publicAddress = options.publicAddress ?? '127.0.0.1';
  let inner: HandleService | undefined;
  const stats = options.stats;
  // A record service answers an invalid identifier without calling onResolved: counted here (synchronous answers).
  let countInvalid = false;
  // The service needs the site, which needs the port the listeners got: it is set right after they start.
  const service: HandleService = {
    answer: (r, peer) => {
      const a = inner!.answer(r, peer);
      if (countInvalid && !(a instanceof Promise) && a.rc === ResponseCode.INVALID_HANDLE) stats!.invalid();
      return a;
    },
    protocolError: (id, m) => inner!.protocolError(id, m),
    stats: () => inner!.stats(),
  };
  const server = await startHandleServer({ service, logger: options.logger, host: options.host ?? '::', port: options.port ?? 2641, ...(options.rate ? { rate: options.rate } : {}), ...(options.onSecurityEvent ? { onSecurityEvent: options.onSecurityEvent } : {}) });

  if (options.role === 'recursive') {
    if (!options.resolver?.root.length) throw new Error('a recursive node needs the address of a top-level node (its root)');
    const resolver = createRecursiveResolver(options.resolver);
    const backend = stats ? countingBackend(resolver, stats) : resolver;
    const site = siteOf(publicAddress, server.port, 'Yulian recursive resolver');
    inner = backendHandleService(backend, site);
    log.info({ port: server.port, root: options.resolver.root }, 'recursive identifier node started');
    return { role: options.role, prefix: undefined, port: server.port, site, backend, records: undefined, resolver, server, service, close: () => closeAll(server, stats) };
  }

  if (!options.store || !options.prefix) {
    await closeAll(server, stats);
    throw new Error(`a ${options.role} node needs a prefix and a store`);
  }
  const prefix = parsePrefix(options.prefix);
  const stored = stats ? countingRecords(createRecordStore(options.store), stats) : createRecordStore(options.store);
  const records = options.withheld ? withholding(stored, options.withheld) : stored;
  const site = siteOf(publicAddress, server.port, `Yulian ${options.role} node ${prefix}`);
  const delegated = (options.delegations ?? []).map((d) => parsePrefix(d.prefix));
  const scope: NodeScope = { prefix, delegated, ...(options.withheld ? { withheld: options.withheld } : {}) };
  const admin = createAdminService({
    records,
    scope,
    logger: options.logger,
    admins: options.admins ?? [],
    serial: site.serial,
    // The peer is the source address as the listener saw it (no port).
    ...(options.onSecurityEvent ? { onAuthFailure: (peer: string | undefined, message: string) => options.onSecurityEvent!({ event: 'auth-failed', source: { ip: (peer ?? 'unknown').replace(/^::ffff:/, '') }, detail: message.slice(0, 500) }) } : {}),
    ...(options.administration?.challenges ? { challenges: options.administration.challenges } : {}),
    ...(options.administration?.keyBackend ? { keyBackend: options.administration.keyBackend } : {}),
  });
  inner = createHandleService({ lookup: records.getSync ?? ((h) => records.get(h)), site, admin, ...(stats ? { onResolved: stats.resolution } : {}) });
  countInvalid = stats !== undefined;
  const ttl = options.prefixTtlSeconds ?? 3_600;
  // The node's own prefix handle administers every prefix handle it writes.
  const prefixAdmin = () => handleValue(100, 'HS_ADMIN', encodeAdmin({ permissions: allAdminPermissions, handle: `${naPrefix}/${prefix}`, index: 300 }), { ttl });
  await writePrefixHandle(records, `${naPrefix}/${prefix}`, handleValue(1, 'HS_SITE', encodeSite(site), { ttl }), prefixAdmin());
  for (const d of options.delegations ?? []) {
    const child = parsePrefix(d.prefix);
    await writePrefixHandle(records, `${naPrefix}/${child}`, handleValue(1, 'HS_SITE.PREFIX', encodeSite(siteOf(d.target.host, d.target.port, `delegated ${child}`)), { ttl }), prefixAdmin());
  }
  for (const a of options.admins ?? []) {
    if (!a.publicKey) continue;
    const t = scopeTarget(scope, a.handle);
    if ('rc' in t) {
      await closeAll(server, stats);
      throw new Error(`the key of administrator ${a.index}:${a.handle} cannot be written here: ${t.message}`);
    }
    await writeAdminKey(records, t.handle, handleValue(a.index, 'HS_PUBKEY', encodePublicKey(a.publicKey), { ttl }));
  }
  log.info({ port: server.port, prefix, delegations: (options.delegations ?? []).map((d) => d.prefix) }, 'identifier node started');
  const backend = stats ? countingBackend(localBackend(records), stats) : localBackend(records);
  return { role: options.role, prefix, port: server.port, site, backend, records, resolver: undefined, server, service, close: () => closeAll(server, stats) };
}

/**
 * Writes a prefix handle's site (index 1) at start, keeping what administrators added to it since (keys,
 * groups, admins); its default HS_ADMIN goes in only when it has none.
 */
async function writePrefixHandle(records: RecordStore, handle: string, site: HandleValue, admin: HandleValue): Promise<void> {
  if (await records.get(handle)) {
    await records.update(handle, (old) => {
      const kept = old.filter((v) => v.index !== site.index);
      return [site, ...kept, ...(kept.some((v) => v.type.toUpperCase() === 'HS_ADMIN') || kept.some((v) => v.index === admin.index) ? [] : [admin])];
    });
  } else await records.put(handle, [site, admin]);
}

/** Puts an administrator's key at its handle and index (replacing what was there). */
async function writeAdminKey(records: RecordStore, handle: string, key: HandleValue): Promise<void> {
  if (await records.get(handle)) await records.update(handle, (old) => [...old.filter((v) => v.index !== key.index), key]);
  else await records.put(handle, [key]);
}

/** A record store that reads nothing under withheld prefixes (writes and listings go through). */
function withholding(records: RecordStore, withheld: (prefix: string) => boolean): RecordStore {
  const held = (handle: string): boolean => {
    const slash = handle.indexOf('/');
    return slash > 0 && withheld(handle.slice(0, slash));
  };
  const getSync = records.getSync;
  return {
    ...records,
    get: (h) => (held(h) ? Promise.resolve(undefined) : records.get(h)),
    getSync: getSync ? (h) => (held(h) ? undefined : getSync(h)) : undefined,
  };
}

/** Closes the listeners, then writes the statistics counted until then. */
async function closeAll(server: HandleServer, stats: NodeStats | undefined): Promise<void> {
  await server.close();
  await stats?.close();
}
