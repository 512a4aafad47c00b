/**
 * Spot inspection definitions: standards per device profile, routes of devices, and plans (a route on a
 * schedule, with assignees and a window). Checks what zod cannot: profiles and devices exist in the
 * enterprise, a route's devices each have a standard, assignees are users of the enterprise.
 */
import { randomUUID } from 'node:crypto';
import {
  type InspectionItem,
  type InspectionPlan,
  type InspectionPlanInput,
  type InspectionRoute,
  type InspectionRouteInput,
  type InspectionSchedule,
  type InspectionStandard,
  type InspectionStandardInput,
  inspectionPlanInputSchema,
  inspectionStandardInputSchema,
} from '@yulian/contracts';
import { type InspectionPlansTable, type InspectionRoutesTable, type InspectionStandardsTable, type Scope, type Store, YulianError, isYulianError } from '@yulian/core';
import type { Selectable } from 'kysely';
import type { AssetService } from '../assets/service.js';
import { nextStart } from './schedule.js';

const iso = (ms: number | string | null): string | null => (ms === null ? null : new Date(Number(ms)).toISOString());

/** Row → API shapes. */
export const toStandard = (r: Selectable<InspectionStandardsTable>): InspectionStandard => ({
  id: r.id,
  tenantId: r.tenant_id,
  profileId: r.profile_id,
  name: r.name,
  items: JSON.parse(r.items) as InspectionItem[],
  createdBy: r.created_by,
  createdAt: iso(r.created_at)!,
  updatedAt: iso(r.updated_at)!,
});
const toRoute = (r: Selectable<InspectionRoutesTable>): InspectionRoute => ({
  id: r.id,
  tenantId: r.tenant_id,
  name: r.name,
  devices: JSON.parse(r.devices) as string[],
  createdBy: r.created_by,
  createdAt: iso(r.created_at)!,
  updatedAt: iso(r.updated_at)!,
});
export const toPlan = (r: Selectable<InspectionPlansTable>): InspectionPlan => ({
  id: r.id,
  tenantId: r.tenant_id,
  name: r.name,
  routeId: r.route_id,
  schedule: JSON.parse(r.schedule) as InspectionSchedule,
  assignees: JSON.parse(r.assignees) as string[],
  windowMinutes: Number(r.window_minutes),
  graceMinutes: Number(r.grace_minutes),
  radiusMeters: Number(r.radius_m),
  allowWithoutPosition: Number(r.allow_without_position) === 1,
  enabled: Number(r.enabled) === 1,
  nextAt: Number(r.enabled) === 1 ? iso(r.next_at) : null,
  createdBy: r.created_by,
  createdAt: iso(r.created_at)!,
  updatedAt: iso(r.updated_at)!,
});

/** Standards, routes and plans. */
export interface InspectionDefinitions {
  standards: {
    /** @throws INSPECTION_STANDARD_INVALID */
    create(scope: Scope, input: InspectionStandardInput, actor: string | null): Promise<InspectionStandard>;
    list(scope: Scope): Promise<InspectionStandard[]>;
    /** @throws INSPECTION_STANDARD_NOT_FOUND */
    get(scope: Scope, id: string): Promise<InspectionStandard>;
    /** Replaces name and items (the profile stays). @throws INSPECTION_STANDARD_NOT_FOUND, INSPECTION_STANDARD_INVALID */
    update(scope: Scope, id: string, input: InspectionStandardInput): Promise<InspectionStandard>;
    /** @throws INSPECTION_STANDARD_NOT_FOUND */
    remove(scope: Scope, id: string): Promise<InspectionStandard>;
    /** The standard of a device's profile, or undefined. */
    forProfile(profileId: string): Promise<InspectionStandard | undefined>;
  };
  routes: {
    /** @throws INSPECTION_ROUTE_INVALID */
    create(scope: Scope, input: InspectionRouteInput, actor: string | null): Promise<InspectionRoute>;
    list(scope: Scope): Promise<InspectionRoute[]>;
    /** @throws INSPECTION_ROUTE_NOT_FOUND */
    get(scope: Scope, id: string): Promise<InspectionRoute>;
    /** @throws INSPECTION_ROUTE_NOT_FOUND */
    remove(scope: Scope, id: string): Promise<InspectionRoute>;
  };
  plans: {
    /** @throws INSPECTION_ROUTE_NOT_FOUND, INSPECTION_PLAN_INVALID */
    create(scope: Scope, input: InspectionPlanInput, actor: string | null): Promise<InspectionPlan>;
    list(scope: Scope): Promise<InspectionPlan[]>;
    /** @throws INSPECTION_PLAN_NOT_FOUND */
    get(scope: Scope, id: string): Promise<InspectionPlan>;
    /** @throws INSPECTION_PLAN_NOT_FOUND */
    remove(scope: Scope, id: string): Promise<InspectionPlan>;
  };
}

/** Creates the definitions over a store and the asset service. */
export function createInspectionDefinitions(options: { store: Store; assets: AssetService; now: () => number }): InspectionDefinitions {
  const { assets, now } = options;
  const db = options.store.db;
  const standardsOf = (scope: Scope) => {
    const q = db.selectFrom('inspection_standards').selectAll();
    return scope.kind === 'tenant' ? q.where('tenant_id', '=', scope.tenantId) : q;
  };
  const routesOf = (scope: Scope) => {
    const q = db.selectFrom('inspection_routes').selectAll();
    return scope.kind === 'tenant' ? q.where('tenant_id', '=', scope.tenantId) : q;
  };
  const plansOf = (scope: Scope) => {
    const q = db.selectFrom('inspection_plans').selectAll();
    return scope.kind === 'tenant' ? q.where('tenant_id', '=', scope.tenantId) : q;
  };

  const standardRow = async (scope: Scope, id: string) => {
    const r = await standardsOf(scope).where('id', '=', id).executeTakeFirst();
    if (!r) throw new YulianError('INSPECTION_STANDARD_NOT_FOUND', `No inspection standard ${id}.`);
    return r;
  };
  const routeRow = async (scope: Scope, id: string) => {
    const r = await routesOf(scope).where('id', '=', id).executeTakeFirst();
    if (!r) throw new YulianError('INSPECTION_ROUTE_NOT_FOUND', `No inspection route ${id}.`);
    return r;
  };
  const planRow = async (scope: Scope, id: string) => {
    const r = await plansOf(scope).where('id', '=', id).executeTakeFirst();
    if (!r) throw new YulianError('INSPECTION_PLAN_NOT_FOUND', `No inspection plan ${id}.`);
    return r;
  };

  return {
    standards: {
      async create(scope, input, actor) {
        const parsed = checkStandard(input);
        let profile;
        try {
          profile = await assets.profiles.get(scope, parsed.profileId);
        } catch (e) {
          if (isYulianError(e)) throw new YulianError('INSPECTION_STANDARD_INVALID', `No device profile ${parsed.profileId}.`, { details: { field: 'profileId' } });
          throw e;
        }
        if (await db.selectFrom('inspection_standards').select('id').where('profile_id', '=', profile.id).executeTakeFirst()) {
          throw new YulianError('INSPECTION_STANDARD_INVALID', `Profile ${profile.name} has an inspection standard already; change that one.`, { details: { field: 'profileId' } });
        }
        const at = now();
        const id = randomUUID();
        await db.insertInto('inspection_standards').values({ id, tenant_id: profile.tenantId, profile_id: profile.id, name: parsed.name, items: JSON.stringify(parsed.items), created_by: actor, created_at: at, updated_at: at }).execute();
        return toStandard(await standardRow(scope, id));
      },
      list: async (scope) => (await standardsOf(scope).orderBy('created_at').execute()).map(toStandard),
      get: async (scope, id) => toStandard(await standardRow(scope, id)),
      async update(scope, id, input) {
        const old = await standardRow(scope, id);
        const parsed = checkStandard(input);
        if (parsed.profileId !== old.profile_id) throw new YulianError('INSPECTION_STANDARD_INVALID', 'A standard stays with its profile; create one for the other profile.', { details: { field: 'profileId' } });
        await db.updateTable('inspection_standards').set({ name: parsed.name, items: JSON.stringify(parsed.items), updated_at: now() }).where('id', '=', id).execute();
        return toStandard(await standardRow(scope, id));
      },
      async remove(scope, id) {
        const s = toStandard(await standardRow(scope, id));
        await db.deleteFrom('inspection_standards').where('id', '=', id).execute();
        return s;
      },
      async forProfile(profileId) {
        const r = await db.selectFrom('inspection_standards').selectAll().where('profile_id', '=', profileId).executeTakeFirst();
        return r ? toStandard(r) : undefined;
      },
    },

    routes: {
      async create(scope, input, actor) {
        const seen = new Set<string>();
        let tenantId: string | null | undefined;
        for (const device of input.devices) {
          if (seen.has(device)) throw new YulianError('INSPECTION_ROUTE_INVALID', `Device ${device} is on the route twice.`, { details: { device } });
          seen.add(device);
          const asset = await assets.devices.find(scope, device);
          if (!asset) throw new YulianError('INSPECTION_ROUTE_INVALID', `No device ${device} with an asset record.`, { details: { device } });
          if (tenantId !== undefined && asset.tenantId !== tenantId) throw new YulianError('INSPECTION_ROUTE_INVALID', `Device ${device} belongs to another enterprise than the route’s first device.`, { details: { device } });
          tenantId = asset.tenantId;
          const standard = asset.profileId ? await db.selectFrom('inspection_standards').select('id').where('profile_id', '=', asset.profileId).executeTakeFirst() : undefined;
          if (!standard) throw new YulianError('INSPECTION_ROUTE_INVALID', `Device ${device} has no inspection standard: give its profile one first.`, { details: { device } });
        }
        const at = now();
        const id = randomUUID();
        await db.insertInto('inspection_routes').values({ id, tenant_id: tenantId ?? null, name: input.name, devices: JSON.stringify(input.devices), created_by: actor, created_at: at, updated_at: at }).execute();
        return toRoute(await routeRow(scope, id));
      },
      list: async (scope) => (await routesOf(scope).orderBy('created_at').execute()).map(toRoute),
      get: async (scope, id) => toRoute(await routeRow(scope, id)),
      async remove(scope, id) {
        const r = toRoute(await routeRow(scope, id));
        await db.deleteFrom('inspection_routes').where('id', '=', id).execute();
        return r;
      },
    },

    plans: {
      async create(scope, input, actor) {
        const plan = inspectionPlanInputSchema.parse(input);
        const route = await routeRow(scope, plan.routeId);
        if (plan.schedule.kind === 'interval' && !Number.isFinite(Date.parse(plan.schedule.startAt))) throw new YulianError('INSPECTION_PLAN_INVALID', 'schedule.startAt is not a date.', { details: { field: 'schedule.startAt' } });
        let users = db.selectFrom('users').select('username').where('username', 'in', plan.assignees);
        users = route.tenant_id === null ? users : users.where('tenant_id', '=', route.tenant_id);
        const known = new Set((await users.execute()).map((u) => u.username));
        const unknown = plan.assignees.find((a) => !known.has(a));
        if (unknown) throw new YulianError('INSPECTION_PLAN_INVALID', `No user ${unknown} in the route’s enterprise.`, { details: { field: 'assignees', assignee: unknown } });
        const at = now();
        const id = randomUUID();
        await db
          .insertInto('inspection_plans')
          .values({
            id,
            tenant_id: route.tenant_id,
            name: plan.name,
            route_id: route.id,
            schedule: JSON.stringify(plan.schedule),
            assignees: JSON.stringify([...new Set(plan.assignees)]),
            window_minutes: plan.windowMinutes,
            grace_minutes: plan.graceMinutes,
            radius_m: plan.radiusMeters,
            allow_without_position: plan.allowWithoutPosition ? 1 : 0,
            enabled: plan.enabled ? 1 : 0,
            // A round that can still be done (open, or overdue within its grace) is issued too, not only the next one.
            next_at: nextStart(plan.schedule, at - (plan.windowMinutes + plan.graceMinutes) * 60_000),
            created_by: actor,
            created_at: at,
            updated_at: at,
          })
          .execute();
        return toPlan(await planRow(scope, id));
      },
      list: async (scope) => (await plansOf(scope).orderBy('created_at').execute()).map(toPlan),
      get: async (scope, id) => toPlan(await planRow(scope, id)),
      async remove(scope, id) {
        const p = toPlan(await planRow(scope, id));
        await db.deleteFrom('inspection_plans').where('id', '=', id).execute();
        return p;
      },
    },
  };
}

/** Item keys unique; measured items with a normal range, min ≤ max. */
function checkStandard(input: InspectionStandardInput) {
  const parsed = inspectionStandardInputSchema.parse(input);
  const keys = new Set<string>();
  parsed.items.forEach((item, i) => {
    const at = { field: `items.${i}`, item: item.key };
    if (keys.has(item.key)) throw new YulianError('INSPECTION_STANDARD_INVALID', `Item key ${item.key} is used twice.`, { details: at });
    keys.add(item.key);
    if (item.kind === 'measured') {
      if (item.min === undefined && item.max === undefined) throw new YulianError('INSPECTION_STANDARD_INVALID', `Measured item ${item.key} needs a normal range (min, max or both).`, { details: at });
      if (item.min !== undefined && item.max !== undefined && item.min > item.max) throw new YulianError('INSPECTION_STANDARD_INVALID', `Measured item ${item.key}: min ${item.min} is above max ${item.max}.`, { details: at });
    } else if (item.min !== undefined || item.max !== undefined || item.unit !== undefined) {
      throw new YulianError('INSPECTION_STANDARD_INVALID', `Item ${item.key} is ${item.kind}: only measured items have a unit and a range.`, { details: at });
    }
  });
  return parsed;
}
