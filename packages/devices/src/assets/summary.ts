import type { AssetCountsDto, AssetSummaryDto } from '@yulian/contracts';
import type { Scope } from '@yulian/core';
import type { DevicePresence } from '../presence/index.js';
import type { Db } from './model.js';

const empty = (): AssetCountsDto => ({ devices: 0, online: 0, offline: 0, unknown: 0, lifecycle: {} });
const add = (c: AssetCountsDto, state: string, presence: string): void => {
  c.devices++;
  if (presence === 'online') c.online++;
  else if (presence === 'offline') c.offline++;
  else c.unknown++;
  c.lifecycle[state] = (c.lifecycle[state] ?? 0) + 1;
};
const key = (tenantId: string | null, device: string): string => `${tenantId ?? ''}\u0000${device}`;

/**
 * Device counts per enterprise and site, by lifecycle state (`untracked` for devices known only from
 * their gateway configuration or telemetry) and by presence — never names or values, so an authority
 * may see it across enterprises. Site `null` collects the unplaced devices.
 */
export async function assetSummary(db: Db, scope: Scope, presence: readonly DevicePresence[]): Promise<AssetSummaryDto> {
  let tq = db.selectFrom('tenants').select(['id', 'name', 'code']);
  let aq = db.selectFrom('device_assets').select(['tenant_id', 'device_id', 'site_id', 'lifecycle']);
  let dq = db.selectFrom('devices').select(['tenant_id', 'id']);
  let sq = db.selectFrom('telemetry_series').select(['tenant_id', 'device']).distinct();
  let nq = db.selectFrom('asset_nodes').select(['id', 'tenant_id', 'name']).where('kind', '=', 'site');
  if (scope.kind === 'tenant') {
    tq = tq.where('id', '=', scope.tenantId);
    aq = aq.where('tenant_id', '=', scope.tenantId);
    dq = dq.where('tenant_id', '=', scope.tenantId);
    sq = sq.where('tenant_id', '=', scope.tenantId);
    nq = nq.where('tenant_id', '=', scope.tenantId);
  }
  const [tenants, assets, configured, series, sites] = await Promise.all([tq.orderBy('code').execute(), aq.execute(), dq.execute(), sq.execute(), nq.orderBy('name').execute()]);
  const online = new Map(presence.map((p) => [key(p.tenantId, p.device), p.state]));

  type Group = AssetCountsDto & { sites: Map<string | null, AssetCountsDto> };
  const groups = new Map<string | null, Group>();
  const group = (tenantId: string | null): Group => {
    let g = groups.get(tenantId);
    if (!g) groups.set(tenantId, (g = { ...empty(), sites: new Map() }));
    return g;
  };
  const totals = empty();
  const count = (tenantId: string | null, device: string, siteId: string | null, state: string): void => {
    const p = online.get(key(tenantId, device)) ?? 'unknown';
    const g = group(tenantId);
    add(g, state, p);
    let s = g.sites.get(siteId);
    if (!s) g.sites.set(siteId, (s = empty()));
    add(s, state, p);
    add(totals, state, p);
  };
  const counted = new Set<string>();
  for (const a of assets) {
    counted.add(key(a.tenant_id, a.device_id));
    count(a.tenant_id, a.device_id, a.site_id, a.lifecycle);
  }
  for (const d of [...configured.map((c) => ({ tenant_id: c.tenant_id, device: c.id })), ...series]) {
    const k = key(d.tenant_id, d.device);
    if (counted.has(k)) continue;
    counted.add(k);
    count(d.tenant_id, d.device, null, 'untracked');
  }
  const siteName = new Map(sites.map((s) => [s.id, s.name]));
  const enterprises: AssetSummaryDto['enterprises'] = [];
  const view = (tenantId: string | null, name: string, code: string): void => {
    const g = groups.get(tenantId) ?? { ...empty(), sites: new Map<string | null, AssetCountsDto>() };
    const siteIds = [...sites.filter((s) => s.tenant_id === tenantId).map((s) => s.id), ...[...g.sites.keys()].filter((id) => id === null)];
    const counts: AssetCountsDto = { devices: g.devices, online: g.online, offline: g.offline, unknown: g.unknown, lifecycle: g.lifecycle };
    enterprises.push({ tenantId, name, code, ...counts, sites: siteIds.map((id) => ({ siteId: id, name: id === null ? '' : (siteName.get(id) ?? ''), ...(g.sites.get(id) ?? empty()) })) });
  };
  for (const t of tenants) view(t.id, t.name, t.code);
  if (scope.kind === 'all' && groups.has(null)) view(null, '', '');
  return { totals, enterprises };
}
