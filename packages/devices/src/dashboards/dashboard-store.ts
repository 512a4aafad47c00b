import { randomUUID } from 'node:crypto';
import { type DashboardDto, type DashboardLayout, type DashboardSummaryDto, dashboardLayoutSchema } from '@yulian/contracts';
import { type DashboardsTable, type Scope, type Store, YulianError } from '@yulian/core';
import type { Selectable } from 'kysely';

/** A dashboard to create or the new state of one to replace. */
export interface DashboardInput {
  name: string;
  layout: DashboardLayout;
}

/** The console's dashboards, per tenant. */
export interface DashboardStore {
  /** The dashboards the scope sees, by name. */
  list(scope: Scope): Promise<DashboardSummaryDto[]>;
  /** One dashboard; `DASHBOARD_NOT_FOUND` when it is missing or another tenant's. */
  get(scope: Scope, id: string): Promise<DashboardDto>;
  /** The dashboard of `tenantId` named `name`, if there is one (for idempotent seeding). */
  findByName(tenantId: string | null, name: string): Promise<DashboardDto | undefined>;
  create(tenantId: string | null, input: DashboardInput, actor: string): Promise<DashboardDto>;
  /** Replaces name and layout. */
  update(scope: Scope, id: string, input: DashboardInput, actor: string): Promise<DashboardDto>;
  remove(scope: Scope, id: string): Promise<DashboardDto>;
}

const iso = (ms: number): string => new Date(Number(ms)).toISOString();

// A stored layout passed the schema when it was written; parsing again fills defaults added since.
const toDto = (r: Selectable<DashboardsTable>): DashboardDto => ({
  id: r.id,
  tenantId: r.tenant_id,
  name: r.name,
  layout: dashboardLayoutSchema.parse(JSON.parse(r.layout)),
  createdBy: r.created_by,
  updatedBy: r.updated_by,
  createdAt: iso(r.created_at),
  updatedAt: iso(r.updated_at),
});

/**
 * The `dashboards` table. Every read and write takes the caller's scope, so another tenant's dashboard
 * is answered as missing.
 *
 * @example
 * const dashboards = createDashboardStore(store);
 * const d = await dashboards.create(tenantId, { name: '总览', layout: { widgets: [], refreshSeconds: 30 } }, 'demo-admin');
 */
export function createDashboardStore(store: Store): DashboardStore {
  const db = store.db;
  const scoped = (scope: Scope) => {
    const q = db.selectFrom('dashboards').selectAll();
    return scope.kind === 'tenant' ? q.where('tenant_id', '=', scope.tenantId) : q;
  };
  const get = async (scope: Scope, id: string): Promise<DashboardDto> => {
    const row = await scoped(scope).where('id', '=', id).executeTakeFirst();
    if (!row) throw new YulianError('DASHBOARD_NOT_FOUND', `No dashboard ${id}.`);
    return toDto(row);
  };
  return {
    async list(scope) {
      const rows = await scoped(scope).orderBy('name').orderBy('id').execute();
      return rows.map((r) => {
        const { layout, ...rest } = toDto(r);
        return { ...rest, widgets: layout.widgets.length };
      });
    },
    get,
    async findByName(tenantId, name) {
      const q = db.selectFrom('dashboards').selectAll().where('name', '=', name);
      const row = await (tenantId === null ? q.where('tenant_id', 'is', null) : q.where('tenant_id', '=', tenantId)).executeTakeFirst();
      return row ? toDto(row) : undefined;
    },
    async create(tenantId, input, actor) {
      const now = Date.now();
      const id = randomUUID();
      await db
        .insertInto('dashboards')
        .values({ id, tenant_id: tenantId, name: input.name, layout: JSON.stringify(input.layout), created_by: actor, updated_by: actor, created_at: now, updated_at: now })
        .execute();
      return get({ kind: 'all' }, id);
    },
    async update(scope, id, input, actor) {
      await get(scope, id);
      await db.updateTable('dashboards').set({ name: input.name, layout: JSON.stringify(input.layout), updated_by: actor, updated_at: Date.now() }).where('id', '=', id).execute();
      return get(scope, id);
    },
    async remove(scope, id) {
      const existing = await get(scope, id);
      await db.deleteFrom('dashboards').where('id', '=', id).execute();
      return existing;
    },
  };
}
