import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Config, type Logger, type Store, createStore, tenantScope } from '@yulian/core';
import type { AssetService } from '@yulian/devices';
import { type IdentifierNode, type IdentifierSecurityEvent, type NodeStats, isUnder, type NodeRole, type RecordStore, type StatsStore, createNodeStats, createStatsStore, signingRecords, startIdentifierNode } from '@yulian/identifier';
import { type HandleValue, allAdminPermissions, encodeAdmin, handleValue, naPrefix } from '@yulian/protocols';
import type { OpenedPort } from '../listen.js';
import { platformSigningKeys, publishKeys } from './signing-keys.js';

/** The identifier nodes inside the all-in-one platform. */
export interface PlatformIdentifier {
  /** The public entry on YULIAN_HANDLE_PORT: the recursive node (demo) or the platform's own node. */
  entry: IdentifierNode;
  /** The platform's own node (a secondary node, YULIAN_HANDLE_PREFIX). */
  secondary: IdentifierNode;
  /** Every node started, entry included. */
  nodes: readonly IdentifierNode[];
  ports: OpenedPort[];
  /** Their statistics, all counted into the platform's store (`id_stats`, one row set per node). */
  stats: { store: StatsStore; flush(): Promise<void> };
  close(): Promise<void>;
}

/** The demo hierarchy's prefixes. */
export const demoTopPrefix = '88';
export const demoEnterprisePrefix = '88.100.1';

/** Starts a node, on a free port when the configured one is taken (one clear warning). */
async function startWithFallback(options: Parameters<typeof startIdentifierNode>[0], service: string, logger: Logger): Promise<{ node: IdentifierNode; fallbackFrom?: number }> {
  try {
    return { node: await startIdentifierNode(options) };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if ((code !== 'EADDRINUSE' && code !== 'EACCES') || options.port === 0) throw new Error(`${service}: cannot listen on port ${options.port}: ${(e as Error).message}`, { cause: e });
    const node = await startIdentifierNode({ ...options, port: 0 });
    logger.warn({ service, port: options.port, fallback: node.port }, `${service}: port ${options.port} is ${code === 'EACCES' ? 'not allowed' : 'in use'}; listening on ${node.port} instead`);
    return { node, fallbackFrom: options.port! };
  }
}

/**
 * Starts the platform's identifier nodes. Always: its own secondary node (prefix YULIAN_HANDLE_PREFIX,
 * records in the platform's store). With the demo, the whole hierarchy of the action plan in one
 * process — a top-level node `88` and the demo enterprise's node `88.100.1` (each with a SQLite store
 * of its own under <data>/identifier/, as separate nodes have), internal on loopback ports — and a
 * recursive node as the public entry on YULIAN_HANDLE_PORT that resolves any identifier of it; the demo
 * enterprise's products and the virtual factory's devices are registered. Without the demo the
 * secondary node itself listens on YULIAN_HANDLE_PORT.
 */
export async function startPlatformIdentifier(options: { config: Config; store: Store; logger: Logger; demo: { tenantId: string; assets: AssetService; httpUrl: string } | undefined; onSecurityEvent?: (e: IdentifierSecurityEvent) => void }): Promise<PlatformIdentifier> {
  const { config, logger } = options;
  // The public entry (the node on YULIAN_HANDLE_PORT) tells the security monitor of floods, malformed messages and failed authentication.
  const watched = options.onSecurityEvent ? { onSecurityEvent: options.onSecurityEvent } : {};
  const nodes: IdentifierNode[] = [];
  const stores: Store[] = [];
  // In one process every node counts into the platform's store, so the top-level view reads them all there.
  const statsStore = createStatsStore(options.store);
  const counted: NodeStats[] = [];
  const statsOf = (node: string, role: NodeRole, parent?: string): NodeStats => {
    const s = createNodeStats({ node, role, parent, store: statsStore, logger });
    counted.push(s);
    return s;
  };
  const stats = { store: statsStore, flush: async () => void (await Promise.all(counted.map((s) => s.flush()))) };
  // Suspended enterprise prefixes (id_prefixes): the platform's node answers none of their identifiers.
  // Read every 2 s, so a suspension takes effect within seconds, whichever process made it.
  let suspended: string[] = [];
  const readSuspended = async (): Promise<void> => {
    suspended = (await options.store.db.selectFrom('id_prefixes').select('prefix').where('state', '=', 'suspended').execute()).map((r) => r.prefix);
  };
  await readSuspended();
  const suspendedTimer = setInterval(() => void readSuspended().catch((err: unknown) => logger.warn({ err }, 'suspended prefixes not read; the last list stays')), 2_000);
  suspendedTimer.unref();
  const withheld = (prefix: string): boolean => suspended.length > 0 && suspended.some((p) => isUnder(prefix, p));
  const close = async (): Promise<void> => {
    clearInterval(suspendedTimer);
    for (const n of nodes.reverse()) await n.close().catch(() => undefined);
    // A node that failed to start never closed its statistics.
    for (const s of counted) await s.close().catch(() => undefined);
    for (const s of stores) await s.close().catch(() => undefined);
  };
  const service = 'Handle protocol (identifier resolution)';
  try {
    if (!options.demo) {
      const { node, fallbackFrom } = await startWithFallback({ role: 'secondary', prefix: config.handle.prefix, store: options.store, logger, host: config.http.host, port: config.handle.port, stats: statsOf(config.handle.prefix, 'secondary'), withheld, ...watched }, service, logger);
      nodes.push(node);
      const ports: OpenedPort[] = (['udp', 'tcp'] as const).map((protocol) => ({ service, protocol, port: node.port, ...(fallbackFrom === undefined ? {} : { fallbackFrom }) }));
      return { entry: node, secondary: node, nodes, ports, stats, close };
    }
    const ownStore = async (name: string): Promise<Store> => {
      const dir = join(config.dataDir, 'identifier', name);
      mkdirSync(dir, { recursive: true });
      const s = await createStore({ url: 'sqlite', dataDir: dir });
      stores.push(s);
      await s.migrate();
      return s;
    };
    const loopback = { host: '127.0.0.1', port: 0 };
    const enterprise = await startIdentifierNode({ role: 'enterprise', prefix: demoEnterprisePrefix, store: await ownStore(demoEnterprisePrefix), logger, ...loopback, stats: statsOf(demoEnterprisePrefix, 'enterprise', config.handle.prefix) });
    nodes.push(enterprise);
    const secondary = await startIdentifierNode({
      role: 'secondary', prefix: config.handle.prefix, store: options.store, logger, ...loopback, stats: statsOf(config.handle.prefix, 'secondary', demoTopPrefix), withheld,
      delegations: [{ prefix: demoEnterprisePrefix, target: { host: '127.0.0.1', port: enterprise.port } }],
    });
    nodes.push(secondary);
    const top = await startIdentifierNode({
      role: 'top', prefix: demoTopPrefix, store: await ownStore(demoTopPrefix), logger, ...loopback, stats: statsOf(demoTopPrefix, 'top'),
      delegations: [{ prefix: config.handle.prefix, target: { host: '127.0.0.1', port: secondary.port } }],
    });
    nodes.push(top);
    const { node: entry, fallbackFrom } = await startWithFallback(
      { role: 'recursive', logger, host: config.http.host, port: config.handle.port, resolver: { root: [{ host: '127.0.0.1', port: top.port }] }, stats: statsOf('recursive', 'recursive'), ...watched },
      service,
      logger,
    );
    nodes.push(entry);
    // The platform's secondary node holds 88.100, allocated by the top-level node (so nobody else can apply for it).
    const at = Date.now();
    await options.store.db
      .insertInto('id_prefixes')
      .values({ prefix: config.handle.prefix, parent: demoTopPrefix, kind: 'secondary', tenant_id: null, state: 'approved', org_name: '渝联工业互联网平台 (二级节点)', site: JSON.stringify({ host: '127.0.0.1', port: secondary.port }), quota: null, created_at: at, updated_at: at })
      .onConflict((oc) => oc.column('prefix').doUpdateSet({ site: JSON.stringify({ host: '127.0.0.1', port: secondary.port }), updated_at: at }))
      .execute();
    // The demo enterprise holds 88.100.1, allocated by the platform's secondary node.
    await options.store.db
      .insertInto('id_prefixes')
      .values({ prefix: demoEnterprisePrefix, parent: config.handle.prefix, kind: 'enterprise', tenant_id: options.demo.tenantId, state: 'approved', org_name: '重庆渝联演示机械有限公司', site: JSON.stringify({ host: '127.0.0.1', port: enterprise.port }), quota: null, created_at: at, updated_at: at })
      .onConflict((oc) => oc.column('prefix').doUpdateSet({ tenant_id: options.demo!.tenantId, site: JSON.stringify({ host: '127.0.0.1', port: enterprise.port }), updated_at: at }))
      .execute();
    // The demo enterprise signs its records (SM2): a key on first start, published at 0.NA/88.100.1.
    const keys = platformSigningKeys(options.store, config);
    if (!(await keys.list(demoEnterprisePrefix)).length) await keys.create(demoEnterprisePrefix);
    await publishKeys(secondary.records!, keys, demoEnterprisePrefix);
    const count = await seedDemoIdentifiers(signingRecords(enterprise.records!, keys), options.demo);
    logger.info({ entry: entry.port, top: top.port, secondary: secondary.port, enterprise: enterprise.port, registered: count }, 'demo identifier hierarchy 88 → 88.100 → 88.100.1 running');
    const ports: OpenedPort[] = (['udp', 'tcp'] as const).map((protocol) => ({ service, protocol, port: entry.port, ...(fallbackFrom === undefined ? {} : { fallbackFrom }) }));
    return { entry, secondary, nodes, ports, stats, close };
  } catch (e) {
    await close();
    throw e;
  }
}

/** The demo enterprise's products: what its identifiers were issued for, with the product template's fields. */
const demoProducts = [
  { suffix: 'RV40E.202106.0023', name: '精密减速机 RV-40E', model: 'RV-40E', batch: '202106-A', produced: '2021-06-18', manufacturer: '重庆渝联演示机械有限公司' },
  { suffix: 'RV40E.202106.0024', name: '精密减速机 RV-40E', model: 'RV-40E', batch: '202106-A', produced: '2021-06-18', manufacturer: '重庆渝联演示机械有限公司' },
  { suffix: 'SP6205.202203.1187', name: '主轴轴承 6205-2RS', model: '6205-2RS', batch: '202203-C', produced: '2022-03-02', manufacturer: '重庆渝联演示机械有限公司' },
] as const;

/**
 * Registers (again, idempotently) the demo enterprise's products and one identifier per device of the
 * demo plant (`88.100.1/dev.<device>`): type fields as values, a URL to its page, HS_ADMIN of the prefix.
 */
async function seedDemoIdentifiers(records: RecordStore, demo: { tenantId: string; assets: AssetService; httpUrl: string }): Promise<number> {
  const admin = handleValue(100, 'HS_ADMIN', encodeAdmin({ permissions: allAdminPermissions, handle: `${naPrefix}/${demoEnterprisePrefix}`, index: 300 }));
  const fields = (entries: Array<[string, string]>): HandleValue[] => entries.filter(([, v]) => v !== '').map(([type, v], i) => handleValue(2 + i, type, v));
  let n = 0;
  for (const p of demoProducts) {
    await records.put(`${demoEnterprisePrefix}/${p.suffix}`, [
      handleValue(1, 'URL', `${demo.httpUrl}/#/identifiers/${encodeURIComponent(`${demoEnterprisePrefix}/${p.suffix}`)}`),
      ...fields([['product.name', p.name], ['product.model', p.model], ['product.batch', p.batch], ['product.productionDate', p.produced], ['product.manufacturer', p.manufacturer]]),
      admin,
    ]);
    n++;
  }
  for (const d of await demo.assets.devices.list(tenantScope(demo.tenantId))) {
    await records.put(`${demoEnterprisePrefix}/dev.${d.device}`, [
      handleValue(1, 'URL', `${demo.httpUrl}/#/devices/${encodeURIComponent(d.device)}`),
      ...fields([['device.name', d.name], ['device.model', d.model], ['device.serial', d.serial], ['device.manufacturer', d.manufacturer], ['device.uid', d.identifier]]),
      admin,
    ]);
    n++;
  }
  return n;
}
