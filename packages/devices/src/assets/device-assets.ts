import type { AssetTreeNodeDto, DeviceAssetDto, LifecycleState, PutDeviceAsset } from '@yulian/contracts';
import { type DeviceAssetsTable, type Scope, YulianError } from '@yulian/core';
import type { Selectable } from 'kysely';
import type { DeviceHistory } from '../lifecycle/history.js';
import type { AssetNodeRepository } from './asset-nodes.js';
import { type Db, assertTenant, newId, toAsset } from './model.js';
import { checkPlacement } from './placement.js';

/** A device the platform knows without an asset record: configured on a gateway or sending telemetry. */
export interface KnownDevice {
  tenantId: string | null;
  name: string;
}

/** Devices' asset records: placement, nameplate, lifecycle state and stable identifier. */
export interface DeviceAssetRepository {
  /** The record, or undefined for an unplaced device (or an unknown one). */
  find(scope: Scope, device: string): Promise<DeviceAssetDto | undefined>;
  /** Where the platform knows a device from when it has no record. */
  known(scope: Scope, device: string): Promise<KnownDevice | undefined>;
  /**
   * The record, made on first use for a device that is configured or reporting (it starts in service,
   * since it is evidently running). @throws YulianError DEVICE_NOT_FOUND
   */
  ensure(scope: Scope, device: string, actor: string | null): Promise<DeviceAssetDto>;
  /**
   * Creates or updates a record. A new one may name a device not known yet (a planned device); it starts
   * in `lifecycle` (default planned). @throws YulianError ASSET_PLACEMENT_INVALID, ASSET_NODE_NOT_FOUND,
   * PROFILE_NOT_FOUND, DEVICE_EXISTS (the id is another enterprise's), LIFECYCLE_TRANSITION_INVALID
   */
  put(scope: Scope, device: string, patch: PutDeviceAsset, actor: string | null): Promise<{ asset: DeviceAssetDto; created: boolean }>;
  list(scope: Scope, filter?: { siteId?: string; areaId?: string; lifecycle?: LifecycleState }): Promise<DeviceAssetDto[]>;
  /** By stable identifier (a bare uid or `urn:uuid:<uid>`). @throws YulianError DEVICE_NOT_FOUND */
  byUid(scope: Scope, uid: string): Promise<DeviceAssetDto>;
  /** Sites with their workshops and lines and the devices placed in each. */
  tree(scope: Scope): Promise<AssetTreeNodeDto[]>;
}

/** Creates the repository. */
export function createDeviceAssetRepository(deps: { db: Db; nodes: AssetNodeRepository; history: DeviceHistory; now: () => number }): DeviceAssetRepository {
  const { db, nodes, history, now } = deps;
  const rows = (scope: Scope) => {
    const q = db.selectFrom('device_assets').selectAll();
    return scope.kind === 'tenant' ? q.where('tenant_id', '=', scope.tenantId) : q;
  };
  const findRow = (scope: Scope, device: string): Promise<Selectable<DeviceAssetsTable> | undefined> => rows(scope).where('device_id', '=', device).orderBy('tenant_id').executeTakeFirst();

  async function known(scope: Scope, device: string): Promise<KnownDevice | undefined> {
    let d = db.selectFrom('devices').select(['tenant_id', 'name']).where('id', '=', device);
    if (scope.kind === 'tenant') d = d.where('tenant_id', '=', scope.tenantId);
    const configured = await d.executeTakeFirst();
    if (configured) return { tenantId: configured.tenant_id, name: configured.name };
    let s = db.selectFrom('telemetry_series').select('tenant_id').where('device', '=', device);
    if (scope.kind === 'tenant') s = s.where('tenant_id', '=', scope.tenantId);
    const seen = await s.limit(1).executeTakeFirst();
    return seen ? { tenantId: seen.tenant_id, name: device } : undefined;
  }

  async function insert(input: { tenantId: string | null; device: string; name: string; lifecycle: LifecycleState; actor: string | null; reason: string }): Promise<DeviceAssetDto> {
    const ts = now();
    const row = { uid: newId(), tenant_id: input.tenantId, device_id: input.device, name: input.name, site_id: null, area_id: null, x: null, y: null, lat: null, lon: null, lifecycle: input.lifecycle, lifecycle_since: ts, profile_id: null, serial: '', model: '', manufacturer: '', created_at: ts, updated_at: ts };
    await db.transaction().execute(async (tx) => {
      await tx.insertInto('device_assets').values(row).execute();
      await history.append({ tenantId: input.tenantId, device: input.device, kind: 'created', actor: input.actor, to: input.lifecycle, reason: input.reason, ts }, tx);
    });
    return toAsset(row);
  }

  async function ensure(scope: Scope, device: string, actor: string | null): Promise<DeviceAssetDto> {
    const row = await findRow(scope, device);
    if (row) return toAsset(row);
    const k = await known(scope, device);
    if (!k) throw new YulianError('DEVICE_NOT_FOUND', `No device ${device}.`);
    return insert({ tenantId: k.tenantId, device, name: k.name, lifecycle: 'in_service', actor, reason: 'asset record made for a device already configured or reporting' });
  }

  async function newRecordTenant(scope: Scope, device: string, patch: PutDeviceAsset): Promise<{ tenantId: string | null; name: string }> {
    const k = await known(scope, device);
    if (k) return { tenantId: k.tenantId, name: k.name };
    const elsewhere = await db.selectFrom('devices').select('id').where('id', '=', device).executeTakeFirst();
    if (elsewhere) throw new YulianError('DEVICE_EXISTS', `A device ${device} already exists.`);
    let tenantId = scope.kind === 'tenant' ? scope.tenantId : (patch.tenantId ?? null);
    if (tenantId === null && patch.siteId) tenantId = (await nodes.row(scope, patch.siteId))?.tenant_id ?? null;
    if (tenantId === null) throw new YulianError('TENANT_REQUIRED', `Device ${device} is not known yet: give tenantId or a siteId.`);
    if (scope.kind === 'all') await assertTenant(db, tenantId);
    return { tenantId, name: device };
  }

  return {
    async find(scope, device) {
      const row = await findRow(scope, device);
      return row ? toAsset(row) : undefined;
    },
    known,
    ensure,
    async put(scope, device, patch, actor) {
      let row = await findRow(scope, device);
      let created = false;
      if (!row) {
        const t = await newRecordTenant(scope, device, patch);
        await insert({ tenantId: t.tenantId, device, name: patch.name ?? t.name, lifecycle: patch.lifecycle ?? 'planned', actor, reason: 'asset record created' });
        row = (await findRow(scope.kind === 'tenant' ? scope : { kind: 'all' }, device))!;
        created = true;
      } else if (patch.lifecycle !== undefined && patch.lifecycle !== row.lifecycle) {
        throw new YulianError('LIFECYCLE_TRANSITION_INVALID', `Device ${device} is ${row.lifecycle}; change its state with POST /api/v1/devices/${device}/lifecycle.`);
      }
      const pick = <K extends 'siteId' | 'areaId' | 'x' | 'y' | 'lat' | 'lon'>(k: K, current: number | string | null) => (patch[k] === undefined ? current : patch[k]) as never;
      const placement = { siteId: pick('siteId', row.site_id), areaId: pick('areaId', row.area_id), x: pick('x', row.x), y: pick('y', row.y), lat: pick('lat', row.lat), lon: pick('lon', row.lon) };
      // A new site without a new area drops the old area (it lay in the old site).
      if (patch.siteId !== undefined && patch.areaId === undefined && patch.siteId !== row.site_id) placement.areaId = null as never;
      const check = row.tenant_id === null && placement.siteId === null && placement.areaId === null ? checkPlacement(new Map(), placement) : checkPlacement(row.tenant_id === null ? new Map() : await nodes.rowsOf(row.tenant_id), placement);
      if (!check.ok) throw new YulianError(check.missing ? 'ASSET_NODE_NOT_FOUND' : 'ASSET_PLACEMENT_INVALID', `${check.field}: ${check.message}`);
      if (patch.profileId) {
        const p = await db.selectFrom('device_profiles').select('id').where('id', '=', patch.profileId).where('tenant_id', row.tenant_id === null ? 'is' : '=', row.tenant_id).executeTakeFirst();
        if (!p) throw new YulianError('PROFILE_NOT_FOUND', `No device profile ${patch.profileId}.`);
      }
      await db
        .updateTable('device_assets')
        .set({
          site_id: check.siteId,
          area_id: check.areaId,
          x: placement.x,
          y: placement.y,
          lat: placement.lat,
          lon: placement.lon,
          ...(patch.name === undefined ? {} : { name: patch.name }),
          ...(patch.profileId === undefined ? {} : { profile_id: patch.profileId }),
          ...(patch.serial === undefined ? {} : { serial: patch.serial }),
          ...(patch.model === undefined ? {} : { model: patch.model }),
          ...(patch.manufacturer === undefined ? {} : { manufacturer: patch.manufacturer }),
          updated_at: now(),
        })
        .where('uid', '=', row.uid)
        .execute();
      const updated = await db.selectFrom('device_assets').selectAll().where('uid', '=', row.uid).executeTakeFirstOrThrow();
      return { asset: toAsset(updated), created };
    },
    async list(scope, filter = {}) {
      let q = rows(scope);
      if (filter.siteId) q = q.where('site_id', '=', filter.siteId);
      if (filter.areaId) q = q.where('area_id', '=', filter.areaId);
      if (filter.lifecycle) q = q.where('lifecycle', '=', filter.lifecycle);
      return (await q.orderBy('device_id').execute()).map(toAsset);
    },
    async byUid(scope, uid) {
      const bare = uid.replace(/^urn:uuid:/i, '').toLowerCase();
      const row = await rows(scope).where('uid', '=', bare).executeTakeFirst();
      if (!row) throw new YulianError('DEVICE_NOT_FOUND', `No device with identifier ${uid}.`);
      return toAsset(row);
    },
    async tree(scope) {
      const [all, assets] = await Promise.all([nodes.list(scope), rows(scope).select(['device_id', 'site_id', 'area_id']).orderBy('device_id').execute()]);
      const byId = new Map<string, AssetTreeNodeDto>(all.map((n) => [n.id, { ...n, devices: [], children: [] }]));
      for (const a of assets) {
        const at = a.area_id ?? a.site_id;
        if (at !== null) byId.get(at)?.devices.push(a.device_id);
      }
      const roots: AssetTreeNodeDto[] = [];
      for (const n of byId.values()) {
        const parent = n.parentId === null ? undefined : byId.get(n.parentId);
        if (parent) parent.children.push(n);
        else roots.push(n);
      }
      return roots;
    },
  };
}
