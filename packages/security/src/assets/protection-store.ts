/**
 * Critical protection objects (关键保护对象, `security_protection_objects`, migration 0030): the city's list
 * (市级) and each district's or county's (区县级) of enterprises, or single devices of theirs, that must
 * be protected first. The authority keeps the lists; an enterprise sees whether it or its devices are on them.
 */
import { randomUUID } from 'node:crypto';
import { type ProtectionLevel, type ProtectionObject, type ProtectionObjectInput, isChongqingDistrict } from '@yulian/contracts';
import { type Scope, type Store, YulianError } from '@yulian/core';

/** The protection lists. */
export interface ProtectionStore {
  /** Objects the caller may see (an enterprise: its own), city list first, then by district. */
  list(scope: Scope, filter?: { level?: ProtectionLevel; district?: string }): Promise<ProtectionObject[]>;
  /** @throws PROTECTION_OBJECT_INVALID, PROTECTION_OBJECT_EXISTS */
  add(input: ProtectionObjectInput, actor: string | null): Promise<ProtectionObject>;
  /** @throws PROTECTION_OBJECT_NOT_FOUND */
  update(id: string, change: { reason: string }): Promise<ProtectionObject>;
  /** @throws PROTECTION_OBJECT_NOT_FOUND */
  remove(id: string): Promise<ProtectionObject>;
}

/**
 * The protection lists over the store (SQLite or PostgreSQL).
 * @example await createProtectionStore(store).add({ level: 'city', enterprise: 'DEMO-0001', reason: '…' }, 'demo-authority')
 */
export function createProtectionStore(store: Store, options: { now?: () => number } = {}): ProtectionStore {
  const db = store.db;
  const now = options.now ?? Date.now;
  const select = () =>
    db
      .selectFrom('security_protection_objects as p')
      .innerJoin('tenants as t', 't.id', 'p.tenant_id')
      .leftJoin('devices as d', 'd.id', 'p.device_id')
      .select(['p.id', 'p.level', 'p.district', 'p.tenant_id', 'p.device_id', 'p.reason', 'p.created_by', 'p.created_at', 'p.updated_at', 't.code', 't.name as tenant_name', 'd.name as device_name']);
  type Row = Awaited<ReturnType<ReturnType<typeof select>['executeTakeFirstOrThrow']>>;
  const toObject = (r: Row): ProtectionObject => ({
    id: r.id,
    level: r.level as ProtectionLevel,
    district: r.district,
    tenantId: r.tenant_id,
    enterpriseCode: r.code,
    enterpriseName: r.tenant_name,
    deviceId: r.device_id,
    deviceName: r.device_name ?? null,
    reason: r.reason,
    createdBy: r.created_by,
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  });
  const get = async (id: string): Promise<ProtectionObject> => {
    const row = await select().where('p.id', '=', id).executeTakeFirst();
    if (!row) throw new YulianError('PROTECTION_OBJECT_NOT_FOUND', `No protection object ${id}.`);
    return toObject(row);
  };

  return {
    async list(scope, filter = {}) {
      let q = select();
      if (scope.kind === 'tenant') q = q.where('p.tenant_id', '=', scope.tenantId);
      if (filter.level) q = q.where('p.level', '=', filter.level);
      if (filter.district) q = q.where('p.district', '=', filter.district);
      const rows = await q.orderBy('p.level').orderBy('p.district').orderBy('t.code').orderBy('p.device_id').execute();
      return rows.map(toObject);
    },
    async add(input, actor) {
      const tenant = await db.selectFrom('tenants').select(['id', 'district']).where('code', '=', input.enterprise).executeTakeFirst();
      if (!tenant) throw new YulianError('PROTECTION_OBJECT_INVALID', `No enterprise with code ${input.enterprise}.`, { details: { field: 'enterprise' } });
      if (input.deviceId) {
        const device = await db.selectFrom('devices').select('id').where('id', '=', input.deviceId).where('tenant_id', '=', tenant.id).executeTakeFirst();
        if (!device) throw new YulianError('PROTECTION_OBJECT_INVALID', `Device ${input.deviceId} is not one of ${input.enterprise}'s.`, { details: { field: 'deviceId' } });
      }
      const district = input.district ?? tenant.district;
      if (!isChongqingDistrict(district)) throw new YulianError('PROTECTION_OBJECT_INVALID', `"${district}" is not a Chongqing district or county; name one (the enterprise has none recorded).`, { details: { field: 'district' } });
      const key = `${input.level}|${tenant.id}|${input.deviceId ?? '-'}`;
      const existing = await db.selectFrom('security_protection_objects').select('id').where('object_key', '=', key).executeTakeFirst();
      if (existing) throw new YulianError('PROTECTION_OBJECT_EXISTS', `${input.enterprise}${input.deviceId ? ` / ${input.deviceId}` : ''} is already on the ${input.level} list.`, { details: { id: existing.id } });
      const id = randomUUID();
      const at = now();
      await db
        .insertInto('security_protection_objects')
        .values({ id, level: input.level, district, tenant_id: tenant.id, device_id: input.deviceId ?? null, object_key: key, reason: input.reason, created_by: actor, created_at: at, updated_at: at })
        .execute();
      return get(id);
    },
    async update(id, change) {
      const r = await db.updateTable('security_protection_objects').set({ reason: change.reason, updated_at: now() }).where('id', '=', id).executeTakeFirst();
      if (Number(r.numUpdatedRows) === 0) throw new YulianError('PROTECTION_OBJECT_NOT_FOUND', `No protection object ${id}.`);
      return get(id);
    },
    async remove(id) {
      const object = await get(id);
      await db.deleteFrom('security_protection_objects').where('id', '=', id).execute();
      return object;
    },
  };
}
