/**
 * Who a notice reaches, resolved from the store at issue time: named enterprises (by code), plus those
 * matching every non-empty criterion — industry, district, and asset type (an enterprise having a device
 * whose profile id, name or model, asset model, or protocol is that type; compared case-insensitively).
 */
import type { NoticeTargetEnterprise, NoticeTargets } from '@yulian/contracts';
import { type Store, YulianError } from '@yulian/core';

const norm = (s: string): string => s.trim().toLowerCase();

/** Tenant ids that have a device of one of the asset types. */
async function tenantsWithAssetTypes(store: Store, assetTypes: readonly string[]): Promise<Set<string>> {
  const wanted = new Set(assetTypes.map(norm));
  const found = new Set<string>();
  const assets = await store.db
    .selectFrom('device_assets as a')
    .leftJoin('device_profiles as p', 'p.id', 'a.profile_id')
    .select(['a.tenant_id', 'a.model as assetModel', 'p.id as profileId', 'p.name as profileName', 'p.model as profileModel'])
    .where('a.tenant_id', 'is not', null)
    .execute();
  for (const a of assets) {
    const names = [a.assetModel, a.profileId, a.profileName, a.profileModel].filter((v): v is string => typeof v === 'string' && v !== '');
    if (a.tenant_id && names.some((n) => wanted.has(norm(n)))) found.add(a.tenant_id);
  }
  const devices = await store.db.selectFrom('devices').select(['tenant_id', 'protocol']).where('tenant_id', 'is not', null).execute();
  for (const d of devices) if (d.tenant_id && wanted.has(norm(d.protocol))) found.add(d.tenant_id);
  return found;
}

/**
 * The enterprises a notice's targets reach, by code.
 * @throws VALIDATION_FAILED naming unknown enterprise codes; NOTICE_TARGETS_EMPTY when nothing is targeted
 */
export async function resolveNoticeTargets(store: Store, targets: NoticeTargets): Promise<NoticeTargetEnterprise[]> {
  const hasCriteria = targets.industries.length > 0 || targets.districts.length > 0 || targets.assetTypes.length > 0;
  if (!hasCriteria && targets.enterprises.length === 0) throw new YulianError('NOTICE_TARGETS_EMPTY', 'Target the notice: name enterprises, or give industries, districts or asset types.', { details: { targets } });
  const tenants = await store.db.selectFrom('tenants').select(['id', 'code', 'name', 'district', 'industry']).orderBy('code').execute();
  const byCode = new Map(tenants.map((t) => [norm(t.code), t]));
  const unknown = targets.enterprises.filter((c) => !byCode.has(norm(c)));
  if (unknown.length) throw new YulianError('VALIDATION_FAILED', `No enterprise with the code ${unknown.join(', ')}.`, { details: { field: 'targets.enterprises', unknown } });
  const named = new Set(targets.enterprises.map(norm));
  const industries = new Set(targets.industries.map(norm));
  const districts = new Set(targets.districts.map(norm));
  const withAssets = targets.assetTypes.length ? await tenantsWithAssetTypes(store, targets.assetTypes) : undefined;
  const matches = (t: (typeof tenants)[number]): boolean =>
    hasCriteria && (!industries.size || industries.has(norm(t.industry))) && (!districts.size || districts.has(norm(t.district))) && (!withAssets || withAssets.has(t.id));
  return tenants.filter((t) => named.has(norm(t.code)) || matches(t)).map((t) => ({ tenantId: t.id, code: t.code, name: t.name, district: t.district, industry: t.industry }));
}
