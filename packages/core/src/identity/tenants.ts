import { randomUUID } from 'node:crypto';
import type { CreateEnterprise, Enterprise, UpdateEnterprise } from '@yulian/contracts';
import type { Kysely, Selectable } from 'kysely';
import { YulianError } from '../errors/index.js';
import type { Database, TenantsTable } from '../store/index.js';
import type { Scope } from './scope.js';

const toEnterprise = (row: Selectable<TenantsTable>): Enterprise => ({
  id: row.id,
  name: row.name,
  code: row.code,
  district: row.district,
  industry: row.industry,
  createdAt: new Date(row.created_at).toISOString(),
});

/** Enterprises (tenants), scoped: an enterprise user sees only its own. */
export function createTenantRepository(db: Kysely<Database>) {
  const base = (scope: Scope) => {
    const q = db.selectFrom('tenants').selectAll();
    return scope.kind === 'tenant' ? q.where('id', '=', scope.tenantId) : q;
  };
  return {
    async list(scope: Scope): Promise<Enterprise[]> {
      return (await base(scope).orderBy('created_at').execute()).map(toEnterprise);
    },
    /** The enterprise, or ENTERPRISE_NOT_FOUND when it does not exist or is outside the scope. */
    async get(scope: Scope, id: string): Promise<Enterprise> {
      const row = await base(scope).where('id', '=', id).executeTakeFirst();
      if (!row) throw new YulianError('ENTERPRISE_NOT_FOUND', `No enterprise ${id}.`);
      return toEnterprise(row);
    },
    async findByCode(code: string): Promise<Enterprise | undefined> {
      const row = await db.selectFrom('tenants').selectAll().where('code', '=', code).executeTakeFirst();
      return row && toEnterprise(row);
    },
    async create(input: Required<CreateEnterprise>): Promise<Enterprise> {
      if (await this.findByCode(input.code)) throw new YulianError('ENTERPRISE_EXISTS', `An enterprise with code ${input.code} exists.`);
      const now = Date.now();
      const row = { id: randomUUID(), ...input, created_at: now, updated_at: now };
      await db.insertInto('tenants').values(row).execute();
      return toEnterprise(row);
    },
    async update(scope: Scope, id: string, patch: UpdateEnterprise): Promise<Enterprise> {
      await this.get(scope, id);
      if (patch.code !== undefined) {
        const other = await this.findByCode(patch.code);
        if (other && other.id !== id) throw new YulianError('ENTERPRISE_EXISTS', `An enterprise with code ${patch.code} exists.`);
      }
      const values = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
      let q = db.updateTable('tenants').set({ ...values, updated_at: Date.now() }).where('id', '=', id);
      if (scope.kind === 'tenant') q = q.where('id', '=', scope.tenantId);
      await q.execute();
      return this.get(scope, id);
    },
    async count(scope: Scope): Promise<number> {
      let q = db.selectFrom('tenants').select((eb) => eb.fn.countAll<number>().as('n'));
      if (scope.kind === 'tenant') q = q.where('id', '=', scope.tenantId);
      return Number((await q.executeTakeFirstOrThrow()).n);
    },
    async countByDistrict(scope: Scope): Promise<Array<{ district: string; count: number }>> {
      let q = db.selectFrom('tenants').select(['district', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('district');
      if (scope.kind === 'tenant') q = q.where('id', '=', scope.tenantId);
      return (await q.orderBy('district').execute()).map((r) => ({ district: r.district, count: Number(r.n) }));
    },
  };
}

/** The tenant repository's interface. */
export type TenantRepository = ReturnType<typeof createTenantRepository>;
