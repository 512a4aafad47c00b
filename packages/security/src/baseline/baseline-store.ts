/**
 * The baseline's tables (`security_baseline`, `security_baseline_modes`, migration 0025): learned entries
 * upserted in batches from `Baseline.takeDirty()`, and each tenant's mode.
 */
import type { BaselineEntry, BaselineMode, BaselineState } from '@yulian/contracts';
import type { Scope, SecurityBaselineModesTable, SecurityBaselineTable, Store } from '@yulian/core';
import type { Selectable } from 'kysely';
import { type Baseline, baselineEntryId } from './baseline.js';

/** The baseline store. */
export interface BaselineStore {
  /** Every entry and mode (to `Baseline.load` at start). */
  load(): Promise<{ entries: BaselineEntry[]; states: BaselineState[] }>;
  /** Inserts or replaces entries (by tenant, protocol, source, target, unit, function). */
  save(entries: readonly BaselineEntry[]): Promise<number>;
  /** Records a tenant's mode. */
  saveState(state: BaselineState, updatedBy?: string | null): Promise<void>;
  /** The entries a caller may see, newest first; filters by device/target and source. */
  list(scope: Scope, filter?: { target?: string; source?: string; limit?: number }): Promise<BaselineEntry[]>;
  /** Deletes a tenant's entries; answers how many. */
  clear(tenantId: string | null): Promise<number>;
}

const toEntry = (r: Selectable<SecurityBaselineTable>): BaselineEntry => ({
  tenantId: r.tenant_id,
  protocol: r.protocol as BaselineEntry['protocol'],
  source: r.source,
  target: r.target,
  unit: Number(r.unit),
  function: r.function,
  addressMin: r.address_min === null ? null : Number(r.address_min),
  addressMax: r.address_max === null ? null : Number(r.address_max),
  firstSeen: Number(r.first_seen),
  lastSeen: Number(r.last_seen),
  count: Number(r.count),
});

const toState = (r: Selectable<SecurityBaselineModesTable>): BaselineState => ({
  tenantId: r.tenant_id,
  mode: r.mode as BaselineMode,
  learningSince: r.learning_since === null ? null : Number(r.learning_since),
  updatedAt: Number(r.updated_at),
});

const toRow = (e: BaselineEntry): SecurityBaselineTable => ({
  id: baselineEntryId(e),
  tenant_id: e.tenantId,
  protocol: e.protocol,
  source: e.source,
  target: e.target,
  unit: e.unit,
  function: e.function,
  address_min: e.addressMin,
  address_max: e.addressMax,
  first_seen: e.firstSeen,
  last_seen: e.lastSeen,
  count: e.count,
});

/**
 * The baseline tables.
 * @example const saved = await createBaselineStore(store).save(baseline.takeDirty())
 */
export function createBaselineStore(store: Store): BaselineStore {
  const db = store.db;
  return {
    async load() {
      const [entries, states] = await Promise.all([db.selectFrom('security_baseline').selectAll().execute(), db.selectFrom('security_baseline_modes').selectAll().execute()]);
      return { entries: entries.map(toEntry), states: states.map(toState) };
    },
    async save(entries) {
      // Batches of 200 rows (12 columns each) stay far below either engine's bound-parameter limit.
      for (let i = 0; i < entries.length; i += 200) {
        const rows = entries.slice(i, i + 200).map(toRow);
        await db
          .insertInto('security_baseline')
          .values(rows)
          .onConflict((oc) =>
            oc.column('id').doUpdateSet((eb) => ({
              address_min: eb.ref('excluded.address_min'),
              address_max: eb.ref('excluded.address_max'),
              first_seen: eb.ref('excluded.first_seen'),
              last_seen: eb.ref('excluded.last_seen'),
              count: eb.ref('excluded.count'),
            })),
          )
          .execute();
      }
      return entries.length;
    },
    async saveState(state, updatedBy = null) {
      const row = { tenant_key: state.tenantId ?? '*', tenant_id: state.tenantId, mode: state.mode, learning_since: state.learningSince, updated_at: state.updatedAt, updated_by: updatedBy };
      await db
        .insertInto('security_baseline_modes')
        .values(row)
        .onConflict((oc) => oc.column('tenant_key').doUpdateSet({ mode: row.mode, learning_since: row.learning_since, updated_at: row.updated_at, updated_by: row.updated_by }))
        .execute();
    },
    async list(scope, filter = {}) {
      let q = db.selectFrom('security_baseline').selectAll();
      if (scope.kind === 'tenant') q = q.where('tenant_id', '=', scope.tenantId);
      if (filter.target !== undefined) q = q.where('target', '=', filter.target);
      if (filter.source !== undefined) q = q.where('source', '=', filter.source);
      const rows = await q.orderBy('last_seen', 'desc').orderBy('id').limit(Math.min(10_000, Math.max(1, filter.limit ?? 1_000))).execute();
      return rows.map(toEntry);
    },
    async clear(tenantId) {
      const q = db.deleteFrom('security_baseline');
      const r = await (tenantId === null ? q.where('tenant_id', 'is', null) : q.where('tenant_id', '=', tenantId)).executeTakeFirst();
      return Number(r.numDeletedRows);
    },
  };
}

/**
 * Persists what the baseline learned since the last call (kept for the next call if the save fails); the
 * server runs it every few seconds and at stop.
 * @example setInterval(() => void flushBaseline(baseline, baselineStore), 5_000)
 */
export async function flushBaseline(baseline: Baseline, baselineStore: BaselineStore): Promise<number> {
  const dirty = baseline.takeDirty();
  try {
    return await baselineStore.save(dirty);
  } catch (e) {
    baseline.markDirty(dirty);
    throw e;
  }
}
