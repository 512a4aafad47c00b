import { createHash, randomBytes } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import { YulianError } from '../errors/index.js';
import type { Scope } from '../identity/index.js';
import type { Database, DevicesTable, GatewaysTable, Store } from '../store/index.js';

/** Gateway tokens start with this, so a leaked one is recognisable (and secret scanners can match it). */
export const gatewayTokenPrefix = 'ylg_';
const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

/** A gateway as the API shows it (no token). */
export interface GatewayRecord {
  id: string;
  tenantId: string | null;
  name: string;
  /** First characters of the current token, to tell tokens apart; null before the first one. */
  tokenPrefix: string | null;
  configVersion: number;
  createdAt: number;
  lastSeen: number | null;
  /** The last status the gateway reported (its own JSON shape), or null. */
  status: unknown;
}

/** A device configuration held by the platform. */
export interface DeviceRecord {
  id: string;
  tenantId: string | null;
  gatewayId: string;
  name: string;
  protocol: string;
  source: 'configured' | 'discovered';
  /** The driver configuration (validated by the gateway package's schemas before it is stored). */
  config: Record<string, unknown>;
  createdAt: number;
  updatedAt: number;
}

const toGateway = (r: Selectable<GatewaysTable>): GatewayRecord => ({
  id: r.id,
  tenantId: r.tenant_id,
  name: r.name,
  tokenPrefix: r.token_prefix,
  configVersion: Number(r.config_version),
  createdAt: Number(r.created_at),
  lastSeen: r.last_seen === null ? null : Number(r.last_seen),
  status: r.status === null ? null : (JSON.parse(r.status) as unknown),
});

const toDevice = (r: Selectable<DevicesTable>): DeviceRecord => ({
  id: r.id,
  tenantId: r.tenant_id,
  gatewayId: r.gateway_id,
  name: r.name,
  protocol: r.protocol,
  source: r.source === 'discovered' ? 'discovered' : 'configured',
  config: JSON.parse(r.config) as Record<string, unknown>,
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
});

/** The platform's register of gateways and the device configurations it pushes down to them. */
export interface GatewayRegistry {
  /** Registers a gateway and returns its token (shown once; only its hash is kept). */
  create(input: { id: string; name: string; tenantId: string | null }): Promise<{ gateway: GatewayRecord; token: string }>;
  /** Replaces a gateway's token; the old one stops working at once. */
  rotateToken(scope: Scope, id: string): Promise<{ gateway: GatewayRecord; token: string }>;
  /** The gateway a token belongs to, or throws GATEWAY_TOKEN_INVALID. */
  authenticate(token: string): Promise<GatewayRecord>;
  list(scope: Scope): Promise<GatewayRecord[]>;
  get(scope: Scope, id: string): Promise<GatewayRecord>;
  remove(scope: Scope, id: string): Promise<void>;
  /** Records a status report and when it arrived. */
  reportStatus(id: string, status: unknown): Promise<GatewayRecord>;
  /** Adds or replaces a device; bumps its gateway's configuration version when the config changed. */
  putDevice(scope: Scope, device: { id: string; gatewayId: string; name: string; protocol: string; source: 'configured' | 'discovered'; config: Record<string, unknown> }, options?: { create?: boolean }): Promise<DeviceRecord>;
  /**
   * Adds many new configured devices at once (CSV import): batched inserts and one configuration-version
   * bump per gateway, inside `options.db` when given (a transaction the caller also writes in).
   * @throws YulianError GATEWAY_NOT_FOUND, DEVICE_EXISTS (nothing is written)
   */
  createDevices(scope: Scope, devices: ReadonlyArray<{ id: string; gatewayId: string; name: string; protocol: string; config: Record<string, unknown> }>, options?: { db?: Kysely<Database> }): Promise<number>;
  listDevices(scope: Scope, filter?: { gatewayId?: string }): Promise<DeviceRecord[]>;
  getDevice(scope: Scope, id: string): Promise<DeviceRecord>;
  removeDevice(scope: Scope, id: string): Promise<void>;
  /** What a gateway runs: its configured devices and the version they have. */
  configOf(id: string): Promise<{ version: number; devices: DeviceRecord[] }>;
}

/**
 * Creates the registry over a store.
 * @example const { token } = await registry.create({ id: 'gw-1', name: 'Line 3', tenantId })
 */
export function createGatewayRegistry(store: Store, options: { now?: () => number } = {}): GatewayRegistry {
  const now = options.now ?? Date.now;
  const db = store.db;
  const gateways = (scope: Scope) => {
    const q = db.selectFrom('gateways').selectAll();
    return scope.kind === 'tenant' ? q.where('tenant_id', '=', scope.tenantId) : q;
  };
  const devices = (scope: Scope) => {
    const q = db.selectFrom('devices').selectAll();
    return scope.kind === 'tenant' ? q.where('tenant_id', '=', scope.tenantId) : q;
  };
  const newToken = (): { token: string; hash: string; prefix: string } => {
    const token = gatewayTokenPrefix + randomBytes(32).toString('base64url');
    return { token, hash: sha256(token), prefix: token.slice(0, 10) };
  };

  async function get(scope: Scope, id: string): Promise<GatewayRecord> {
    const row = await gateways(scope).where('id', '=', id).executeTakeFirst();
    if (!row) throw new YulianError('GATEWAY_NOT_FOUND', `No gateway ${id}.`);
    return toGateway(row);
  }

  async function getDevice(scope: Scope, id: string): Promise<DeviceRecord> {
    const row = await devices(scope).where('id', '=', id).executeTakeFirst();
    if (!row) throw new YulianError('DEVICE_NOT_FOUND', `No device ${id}.`);
    return toDevice(row);
  }

  return {
    async create(input) {
      const t = newToken();
      const ts = now();
      const exists = await db.selectFrom('gateways').select('id').where('id', '=', input.id).executeTakeFirst();
      if (exists) throw new YulianError('GATEWAY_EXISTS', `A gateway ${input.id} already exists.`);
      await db
        .insertInto('gateways')
        .values({ id: input.id, tenant_id: input.tenantId, name: input.name, token_hash: t.hash, token_prefix: t.prefix, config_version: 1, created_at: ts, updated_at: ts, last_seen: null, status: null })
        .execute();
      return { gateway: await get({ kind: 'all' }, input.id), token: t.token };
    },
    async rotateToken(scope, id) {
      await get(scope, id);
      const t = newToken();
      await db.updateTable('gateways').set({ token_hash: t.hash, token_prefix: t.prefix, updated_at: now() }).where('id', '=', id).execute();
      return { gateway: await get(scope, id), token: t.token };
    },
    async authenticate(token) {
      const row = token.startsWith(gatewayTokenPrefix) ? await db.selectFrom('gateways').selectAll().where('token_hash', '=', sha256(token)).executeTakeFirst() : undefined;
      if (!row) throw new YulianError('GATEWAY_TOKEN_INVALID', 'The gateway token is unknown or has been replaced.');
      return toGateway(row);
    },
    async list(scope) {
      const rows = await gateways(scope).orderBy('id').execute();
      return rows.map(toGateway);
    },
    get,
    async remove(scope, id) {
      await get(scope, id);
      await db.deleteFrom('devices').where('gateway_id', '=', id).execute();
      await db.deleteFrom('gateways').where('id', '=', id).execute();
    },
    async reportStatus(id, status) {
      const ts = now();
      await db.updateTable('gateways').set({ last_seen: ts, status: JSON.stringify(status) }).where('id', '=', id).execute();
      return get({ kind: 'all' }, id);
    },
    async putDevice(scope, device, opts = {}) {
      const gateway = await get(scope, device.gatewayId);
      const ts = now();
      const config = JSON.stringify(device.config);
      const existing = await db.selectFrom('devices').selectAll().where('id', '=', device.id).executeTakeFirst();
      if (existing && (opts.create || existing.tenant_id !== gateway.tenantId)) throw new YulianError('DEVICE_EXISTS', `A device ${device.id} already exists.`);
      await db.transaction().execute(async (tx) => {
        if (existing) {
          await tx
            .updateTable('devices')
            .set({ gateway_id: device.gatewayId, name: device.name, protocol: device.protocol, source: device.source, config, updated_at: ts })
            .where('id', '=', device.id)
            .execute();
        } else {
          await tx
            .insertInto('devices')
            .values({ id: device.id, tenant_id: gateway.tenantId, gateway_id: device.gatewayId, name: device.name, protocol: device.protocol, source: device.source, config, created_at: ts, updated_at: ts })
            .execute();
        }
        // Discovered devices are the gateway's own news: nothing to push back down.
        const changed = !existing || existing.config !== config || existing.gateway_id !== device.gatewayId;
        if (changed && device.source === 'configured') {
          const ids = existing && existing.gateway_id !== device.gatewayId ? [existing.gateway_id, device.gatewayId] : [device.gatewayId];
          await tx.updateTable('gateways').set((eb) => ({ config_version: eb('config_version', '+', 1), updated_at: ts })).where('id', 'in', ids).execute();
        }
      });
      return getDevice(scope, device.id);
    },
    async createDevices(scope, list, opts = {}) {
      if (!list.length) return 0;
      const run = async (tx: Kysely<Database>): Promise<number> => {
        const ids = [...new Set(list.map((d) => d.gatewayId))];
        let q = tx.selectFrom('gateways').select(['id', 'tenant_id']).where('id', 'in', ids);
        if (scope.kind === 'tenant') q = q.where('tenant_id', '=', scope.tenantId);
        const owners = new Map((await q.execute()).map((g) => [g.id, g.tenant_id]));
        const missing = ids.find((id) => !owners.has(id));
        if (missing !== undefined) throw new YulianError('GATEWAY_NOT_FOUND', `No gateway ${missing}.`);
        const chunk = 200;
        for (let i = 0; i < list.length; i += chunk) {
          const part = list.slice(i, i + chunk).map((d) => d.id);
          const taken = await tx.selectFrom('devices').select('id').where('id', 'in', part).executeTakeFirst();
          if (taken) throw new YulianError('DEVICE_EXISTS', `A device ${taken.id} already exists.`);
        }
        const ts = now();
        for (let i = 0; i < list.length; i += chunk) {
          const rows = list.slice(i, i + chunk).map((d) => ({ id: d.id, tenant_id: owners.get(d.gatewayId) ?? null, gateway_id: d.gatewayId, name: d.name, protocol: d.protocol, source: 'configured', config: JSON.stringify(d.config), created_at: ts, updated_at: ts }));
          await tx.insertInto('devices').values(rows).execute();
        }
        await tx.updateTable('gateways').set((eb) => ({ config_version: eb('config_version', '+', 1), updated_at: ts })).where('id', 'in', ids).execute();
        return list.length;
      };
      return opts.db ? run(opts.db) : db.transaction().execute(run);
    },
    async listDevices(scope, filter = {}) {
      let q = devices(scope);
      if (filter.gatewayId !== undefined) q = q.where('gateway_id', '=', filter.gatewayId);
      return (await q.orderBy('id').execute()).map(toDevice);
    },
    getDevice,
    async removeDevice(scope, id) {
      const d = await getDevice(scope, id);
      await db.transaction().execute(async (tx) => {
        await tx.deleteFrom('devices').where('id', '=', id).execute();
        if (d.source === 'configured') await tx.updateTable('gateways').set((eb) => ({ config_version: eb('config_version', '+', 1), updated_at: now() })).where('id', '=', d.gatewayId).execute();
      });
    },
    async configOf(id) {
      const g = await get({ kind: 'all' }, id);
      const rows = await db.selectFrom('devices').selectAll().where('gateway_id', '=', id).where('source', '=', 'configured').orderBy('id').execute();
      return { version: g.configVersion, devices: rows.map(toDevice) };
    },
  };
}
