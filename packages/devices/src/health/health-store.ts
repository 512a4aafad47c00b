/**
 * Device health storage (issue 6): remaining-useful-life models (`rul_models`, the model file's text),
 * their bindings to device profiles (`rul_bindings`) and the periodic health snapshots (`health_snapshots`),
 * every read and write scoped to an enterprise.
 */
import { randomUUID } from 'node:crypto';
import { type HealthComponent, type RulInputMapping, type RulModel, parseRulModel } from '@yulian/analytics';
import { type HealthSnapshotsTable, type RulBindingsTable, type RulModelsTable, type Scope, type Store, YulianError } from '@yulian/core';
import type { RulModelInfo } from '@yulian/contracts';
import type { Selectable } from 'kysely';

/** A stored model, without its trees (the contract's shape; seconds per cycle are the binding's). */
export type { RulModelInfo };

/** A model applied to a device profile. */
export interface RulBinding {
  id: string;
  tenantId: string | null;
  profileId: string;
  modelId: string;
  inputs: RulInputMapping[];
  cycleSeconds: number;
  createdBy: string | null;
  createdAt: string;
}

/** One health assessment of a device. */
export interface HealthSnapshot {
  device: string;
  tenantId: string | null;
  ts: number;
  health: number;
  components: HealthComponent[];
  /** Remaining useful life in cycles of `rulUnitSeconds`, or null without a model (or enough history). */
  rul: number | null;
  rulUnitSeconds: number | null;
  rulCap: number | null;
  modelId: string | null;
}

/** What {@link HealthStore} keeps. */
export interface HealthStore {
  /** Stores a model file after checking it. @throws YulianError MODEL_INVALID */
  addModel(input: { tenantId: string | null; name: string; description?: string; file: string; actor: string | null }): Promise<RulModelInfo>;
  listModels(scope: Scope): Promise<RulModelInfo[]>;
  getModelInfo(scope: Scope, id: string): Promise<RulModelInfo>;
  /** The parsed model (cached per id; files never change). @throws YulianError RUL_MODEL_NOT_FOUND, MODEL_INVALID */
  loadModel(scope: Scope, id: string): Promise<RulModel>;
  findModelByName(tenantId: string | null, name: string): Promise<RulModelInfo | undefined>;
  /** Binds a model to a profile, replacing the profile's binding. */
  bind(input: { tenantId: string | null; profileId: string; modelId: string; inputs: RulInputMapping[]; cycleSeconds: number; actor: string | null }): Promise<RulBinding>;
  listBindings(scope: Scope): Promise<RulBinding[]>;
  unbind(scope: Scope, profileId: string): Promise<boolean>;
  addSnapshot(s: HealthSnapshot): Promise<void>;
  /** The newest snapshot of each device in scope. */
  latest(scope: Scope): Promise<HealthSnapshot[]>;
  /** A device's snapshots from `since`, oldest first (at most `limit`, the newest ones). */
  trend(scope: Scope, device: string, since: number, limit?: number): Promise<HealthSnapshot[]>;
  /** Deletes snapshots older than `before`. */
  prune(before: number): Promise<number>;
}

const iso = (ms: number): string => new Date(Number(ms)).toISOString();

const toInfo = (r: Selectable<RulModelsTable>, model: RulModel): RulModelInfo => ({
  id: r.id,
  tenantId: r.tenant_id,
  name: r.name,
  description: r.description,
  sensors: model.spec.sensors,
  window: model.spec.window,
  minHistory: model.spec.minHistory,
  cap: model.spec.cap,
  training: model.training,
  createdBy: r.created_by,
  createdAt: iso(r.created_at),
});

const toBinding = (r: Selectable<RulBindingsTable>): RulBinding => ({
  id: r.id,
  tenantId: r.tenant_id,
  profileId: r.profile_id,
  modelId: r.model_id,
  inputs: JSON.parse(r.inputs) as RulInputMapping[],
  cycleSeconds: Number(r.cycle_seconds),
  createdBy: r.created_by,
  createdAt: iso(r.created_at),
});

const num = (v: number | string | null): number | null => (v === null ? null : Number(v));
const toSnapshot = (r: Selectable<HealthSnapshotsTable>): HealthSnapshot => ({
  device: r.device_id,
  tenantId: r.tenant_id,
  ts: Number(r.ts),
  health: Number(r.health),
  components: JSON.parse(r.components) as HealthComponent[],
  rul: num(r.rul),
  rulUnitSeconds: num(r.rul_unit_seconds),
  rulCap: num(r.rul_cap),
  modelId: r.model_id,
});

/**
 * The health tables of a store.
 * @example const health = createHealthStore(store); await health.addSnapshot({ device: 'cnc-01', … })
 */
export function createHealthStore(store: Store, now: () => number = Date.now): HealthStore {
  const db = store.db;
  const cache = new Map<string, RulModel>();
  const models = (scope: Scope) => {
    const q = db.selectFrom('rul_models').selectAll();
    return scope.kind === 'tenant' ? q.where('tenant_id', '=', scope.tenantId) : q;
  };
  const parsed = (r: Selectable<RulModelsTable>): RulModel => {
    const hit = cache.get(r.id);
    if (hit) return hit;
    const model = parseRulModel(r.file);
    cache.set(r.id, model);
    return model;
  };
  const modelRow = async (scope: Scope, id: string): Promise<Selectable<RulModelsTable>> => {
    const row = await models(scope).where('id', '=', id).executeTakeFirst();
    if (!row) throw new YulianError('RUL_MODEL_NOT_FOUND', `No remaining-useful-life model ${id}.`);
    return row;
  };
  return {
    async addModel(input) {
      const model = parseRulModel(input.file);
      const row = { id: randomUUID(), tenant_id: input.tenantId, name: input.name, description: input.description ?? '', file: input.file, training: JSON.stringify(model.training), created_by: input.actor, created_at: now() };
      await db.insertInto('rul_models').values(row).execute();
      cache.set(row.id, model);
      return toInfo(row, model);
    },
    async listModels(scope) {
      // Each file is parsed once per id and then cached.
      return (await models(scope).orderBy('created_at', 'desc').execute()).map((r) => toInfo(r, parsed(r)));
    },
    async getModelInfo(scope, id) {
      const r = await modelRow(scope, id);
      return toInfo(r, parsed(r));
    },
    async loadModel(scope, id) {
      const hit = cache.get(id);
      if (hit && scope.kind === 'all') return hit;
      return parsed(await modelRow(scope, id));
    },
    async findModelByName(tenantId, name) {
      const q = db.selectFrom('rul_models').selectAll().where('name', '=', name);
      const r = await (tenantId === null ? q.where('tenant_id', 'is', null) : q.where('tenant_id', '=', tenantId)).orderBy('created_at', 'desc').executeTakeFirst();
      return r ? toInfo(r, parsed(r)) : undefined;
    },
    async bind(input) {
      const row = { id: randomUUID(), tenant_id: input.tenantId, profile_id: input.profileId, model_id: input.modelId, inputs: JSON.stringify(input.inputs), cycle_seconds: input.cycleSeconds, created_by: input.actor, created_at: now() };
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('rul_bindings').where('profile_id', '=', input.profileId).execute();
        await trx.insertInto('rul_bindings').values(row).execute();
      });
      return toBinding(row);
    },
    async listBindings(scope) {
      const q = db.selectFrom('rul_bindings').selectAll();
      return (await (scope.kind === 'tenant' ? q.where('tenant_id', '=', scope.tenantId) : q).orderBy('created_at').execute()).map(toBinding);
    },
    async unbind(scope, profileId) {
      const q = db.deleteFrom('rul_bindings').where('profile_id', '=', profileId);
      const res = await (scope.kind === 'tenant' ? q.where('tenant_id', '=', scope.tenantId) : q).executeTakeFirst();
      return Number(res.numDeletedRows) > 0;
    },
    async addSnapshot(s) {
      await db
        .insertInto('health_snapshots')
        .values({ id: randomUUID(), tenant_id: s.tenantId, device_id: s.device, ts: s.ts, health: s.health, components: JSON.stringify(s.components), rul: s.rul, rul_unit_seconds: s.rulUnitSeconds, rul_cap: s.rulCap, model_id: s.modelId })
        .execute();
    },
    async latest(scope) {
      const newest = db.selectFrom('health_snapshots').select(['device_id', (eb) => eb.fn.max('ts').as('max_ts')]).groupBy('device_id');
      let q = db
        .selectFrom('health_snapshots as h')
        .innerJoin(newest.as('n'), (join) => join.onRef('n.device_id', '=', 'h.device_id').onRef('n.max_ts', '=', 'h.ts'))
        .selectAll('h');
      if (scope.kind === 'tenant') q = q.where('h.tenant_id', '=', scope.tenantId);
      const rows = await q.execute();
      // Two snapshots with the same ts (two processes) — keep one per device.
      const byDevice = new Map<string, HealthSnapshot>();
      for (const r of rows) byDevice.set(r.device_id, toSnapshot(r));
      return [...byDevice.values()];
    },
    async trend(scope, device, since, limit = 500) {
      let q = db.selectFrom('health_snapshots').selectAll().where('device_id', '=', device).where('ts', '>=', since);
      if (scope.kind === 'tenant') q = q.where('tenant_id', '=', scope.tenantId);
      const rows = await q.orderBy('ts', 'desc').limit(limit).execute();
      return rows.map(toSnapshot).reverse();
    },
    async prune(before) {
      const res = await db.deleteFrom('health_snapshots').where('ts', '<', before).executeTakeFirst();
      return Number(res.numDeletedRows);
    },
  };
}
