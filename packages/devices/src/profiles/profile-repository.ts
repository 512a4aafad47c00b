import type { Point, ProfileDto, PutProfile } from '@yulian/contracts';
import { type DeviceProfilesTable, type Scope, YulianError } from '@yulian/core';
import type { Selectable } from 'kysely';
import { type Db, assertTenant, iso, newId, tenantFor } from '../assets/model.js';

const toProfile = (r: Selectable<DeviceProfilesTable>): ProfileDto => ({
  id: r.id,
  tenantId: r.tenant_id,
  name: r.name,
  description: r.description,
  protocol: r.protocol as ProfileDto['protocol'],
  manufacturer: r.manufacturer,
  model: r.model,
  defaults: JSON.parse(r.defaults) as ProfileDto['defaults'],
  points: JSON.parse(r.points) as Point[],
  dataClass: r.data_class === null ? null : (JSON.parse(r.data_class) as ProfileDto['dataClass']),
  createdAt: iso(r.created_at),
  updatedAt: iso(r.updated_at),
});

/** Device profiles: templates of points, connection defaults and data class that devices are made from. */
export interface ProfileRepository {
  /** @throws YulianError PROFILE_EXISTS (same name in the enterprise), TENANT_REQUIRED */
  create(scope: Scope, input: PutProfile): Promise<ProfileDto>;
  list(scope: Scope): Promise<ProfileDto[]>;
  /** @throws YulianError PROFILE_NOT_FOUND, also for another enterprise's profile */
  get(scope: Scope, id: string): Promise<ProfileDto>;
  /** By name inside one enterprise, or undefined. */
  findByName(tenantId: string, name: string): Promise<ProfileDto | undefined>;
  /** Replaces a profile; devices made from it keep their configuration. */
  update(scope: Scope, id: string, input: PutProfile): Promise<ProfileDto>;
  /** Deletes a profile; devices made from it keep their configuration and lose the reference. */
  remove(scope: Scope, id: string): Promise<ProfileDto>;
}

/** Creates the profile repository. */
export function createProfileRepository(db: Db, now: () => number): ProfileRepository {
  const rows = (scope: Scope) => {
    const q = db.selectFrom('device_profiles').selectAll();
    return scope.kind === 'tenant' ? q.where('tenant_id', '=', scope.tenantId) : q;
  };
  const get = async (scope: Scope, id: string): Promise<ProfileDto> => {
    const r = await rows(scope).where('id', '=', id).executeTakeFirst();
    if (!r) throw new YulianError('PROFILE_NOT_FOUND', `No device profile ${id}.`);
    return toProfile(r);
  };
  const nameTaken = async (tenantId: string, name: string, except?: string): Promise<void> => {
    let q = db.selectFrom('device_profiles').select('id').where('tenant_id', '=', tenantId).where('name', '=', name);
    if (except) q = q.where('id', '!=', except);
    if (await q.executeTakeFirst()) throw new YulianError('PROFILE_EXISTS', `The enterprise already has a device profile named ${name}.`);
  };
  const columns = (input: PutProfile) => ({
    name: input.name,
    description: input.description,
    protocol: input.protocol,
    manufacturer: input.manufacturer,
    model: input.model,
    defaults: JSON.stringify(input.defaults),
    points: JSON.stringify(input.points),
    data_class: input.dataClass === undefined ? null : JSON.stringify(input.dataClass),
  });

  return {
    async create(scope, input) {
      const tenantId = tenantFor(scope, input.tenantId);
      if (scope.kind === 'all') await assertTenant(db, tenantId);
      await nameTaken(tenantId, input.name);
      const ts = now();
      const row = { id: newId(), tenant_id: tenantId, ...columns(input), created_at: ts, updated_at: ts };
      await db.insertInto('device_profiles').values(row).execute();
      return toProfile(row);
    },
    async list(scope) {
      return (await rows(scope).orderBy('tenant_id').orderBy('name').execute()).map(toProfile);
    },
    get,
    async findByName(tenantId, name) {
      const r = await db.selectFrom('device_profiles').selectAll().where('tenant_id', '=', tenantId).where('name', '=', name).executeTakeFirst();
      return r ? toProfile(r) : undefined;
    },
    async update(scope, id, input) {
      const p = await get(scope, id);
      if (input.tenantId !== undefined && input.tenantId !== p.tenantId) throw new YulianError('VALIDATION_FAILED', 'A profile cannot move to another enterprise.');
      if (p.tenantId !== null) await nameTaken(p.tenantId, input.name, id);
      await db.updateTable('device_profiles').set({ ...columns(input), updated_at: now() }).where('id', '=', id).execute();
      return get(scope, id);
    },
    async remove(scope, id) {
      const p = await get(scope, id);
      await db.transaction().execute(async (tx) => {
        await tx.updateTable('device_assets').set({ profile_id: null }).where('profile_id', '=', id).execute();
        await tx.deleteFrom('device_profiles').where('id', '=', id).execute();
      });
      return p;
    },
  };
}
