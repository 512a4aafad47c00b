import { randomUUID } from 'node:crypto';
import type { AssetNodeDto, DeviceAssetDto, FloorPlanDto, LifecycleState } from '@yulian/contracts';
import { type AssetNodesTable, type Database, type DeviceAssetsTable, type Scope, YulianError } from '@yulian/core';
import type { Kysely, Selectable } from 'kysely';

/** The database handle repositories write through: the store's, or a transaction's. */
export type Db = Kysely<Database>;

/** ISO 8601 of an epoch-ms column. */
export const iso = (ms: number): string => new Date(Number(ms)).toISOString();

/** A new random id (UUID v4): node, profile, file and history ids, and device uids. */
export const newId = (): string => randomUUID();

/** The identifier printed on a device's label until national-format identifiers arrive. */
export const identifierOf = (uid: string): string => `urn:uuid:${uid}`;

/** The URL a stored file is downloaded from. */
export const planUrl = (nodeId: string): string => `/api/v1/assets/nodes/${encodeURIComponent(nodeId)}/plan`;

/** A floor plan as the API shows it, from a node row (and its image's size and type). */
export function planOf(r: Selectable<AssetNodesTable>, image?: { contentType: string; size: number }): FloorPlanDto {
  if (r.plan_kind === 'grid' && r.plan_rows !== null && r.plan_cols !== null) return { kind: 'grid', rows: Number(r.plan_rows), cols: Number(r.plan_cols) };
  if (r.plan_kind === 'image' && image) return { kind: 'image', contentType: image.contentType, size: image.size, url: planUrl(r.id) };
  return { kind: 'none' };
}

/** An asset node row as the API shows it. */
export const toNode = (r: Selectable<AssetNodesTable>, image?: { contentType: string; size: number }): AssetNodeDto => ({
  id: r.id,
  tenantId: r.tenant_id,
  parentId: r.parent_id,
  kind: r.kind as AssetNodeDto['kind'],
  code: r.code,
  name: r.name,
  description: r.description,
  lat: r.lat === null ? null : Number(r.lat),
  lon: r.lon === null ? null : Number(r.lon),
  plan: planOf(r, image),
  createdAt: iso(r.created_at),
  updatedAt: iso(r.updated_at),
});

const num = (v: number | null): number | null => (v === null ? null : Number(v));

/** A device asset row as the API shows it. */
export const toAsset = (r: Selectable<DeviceAssetsTable>): DeviceAssetDto => ({
  device: r.device_id,
  uid: r.uid,
  identifier: identifierOf(r.uid),
  tenantId: r.tenant_id,
  name: r.name,
  siteId: r.site_id,
  areaId: r.area_id,
  x: num(r.x),
  y: num(r.y),
  lat: num(r.lat),
  lon: num(r.lon),
  lifecycle: r.lifecycle as LifecycleState,
  lifecycleSince: iso(r.lifecycle_since),
  profileId: r.profile_id,
  serial: r.serial,
  model: r.model,
  manufacturer: r.manufacturer,
  createdAt: iso(r.created_at),
  updatedAt: iso(r.updated_at),
});

/** The enterprise a new record of a caller goes to: its own, or the one a platform caller names. */
export function tenantFor(scope: Scope, named: string | undefined | null): string {
  if (scope.kind === 'tenant') {
    if (named && named !== scope.tenantId) throw new YulianError('ENTERPRISE_NOT_FOUND', `No enterprise ${named}.`);
    return scope.tenantId;
  }
  if (!named) throw new YulianError('TENANT_REQUIRED', 'A platform user names the enterprise: give tenantId.');
  return named;
}

/** Throws ENTERPRISE_NOT_FOUND unless the enterprise exists. */
export async function assertTenant(db: Db, tenantId: string): Promise<void> {
  const row = await db.selectFrom('tenants').select('id').where('id', '=', tenantId).executeTakeFirst();
  if (!row) throw new YulianError('ENTERPRISE_NOT_FOUND', `No enterprise ${tenantId}.`);
}
