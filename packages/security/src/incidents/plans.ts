import { randomUUID } from 'node:crypto';
import { type IncidentKind, type ResponsePlan, type ResponsePlanInput, responsePlanInputSchema } from '@yulian/contracts';
import { type Scope, type Store, YulianError } from '@yulian/core';
import { builtinPlan, builtinPlans } from './builtin-plans.js';
import { toPlan } from './rows.js';

/** Response plans (应急预案): the built-in ones and each enterprise's own. */
export interface ResponsePlanStore {
  /** Built-in plans first, then the scope's own by name. */
  list(scope: Scope, filter?: { technique?: string; kind?: IncidentKind }): Promise<ResponsePlan[]>;
  /** @throws RESPONSE_PLAN_NOT_FOUND */
  get(scope: Scope, id: string): Promise<ResponsePlan>;
  /** A plan of the caller's enterprise (the platform's, for a platform admin). */
  create(scope: Scope, tenantId: string | null, input: ResponsePlanInput, actor: string | null): Promise<ResponsePlan>;
  /** @throws RESPONSE_PLAN_NOT_FOUND, RESPONSE_PLAN_BUILTIN */
  update(scope: Scope, id: string, input: ResponsePlanInput): Promise<ResponsePlan>;
  /** Incidents that used it keep their tasks and its name. @throws RESPONSE_PLAN_NOT_FOUND, RESPONSE_PLAN_BUILTIN */
  remove(scope: Scope, id: string): Promise<ResponsePlan>;
  /**
   * The plan that answers an incident of this tenant and kind with these techniques: the enterprise's own
   * before the built-in ones, the first technique before later ones; undefined when none names one.
   */
  match(tenantId: string | null, kind: IncidentKind, techniques: readonly string[]): Promise<ResponsePlan | undefined>;
}

const fits = (p: ResponsePlan, filter: { technique?: string; kind?: IncidentKind }): boolean =>
  (!filter.technique || p.techniques.includes(filter.technique)) && (!filter.kind || p.kinds.length === 0 || p.kinds.includes(filter.kind));

/** Creates the plan store over the store's `security_response_plans` and the built-in plans. */
export function createResponsePlanStore(store: Store, now: () => number = Date.now): ResponsePlanStore {
  const db = store.db;
  const own = (scope: Scope) => {
    const q = db.selectFrom('security_response_plans').selectAll();
    // An enterprise sees its own plans and the platform's (tenant null); a platform user sees all.
    return scope.kind === 'tenant' ? q.where((eb) => eb.or([eb('tenant_id', '=', scope.tenantId), eb('tenant_id', 'is', null)])) : q;
  };
  const ownRow = async (scope: Scope, id: string) => {
    if (builtinPlan(id)) throw new YulianError('RESPONSE_PLAN_BUILTIN', `Plan ${id} is built in; copy it into a plan of your own to change it.`);
    const r = await own(scope).where('id', '=', id).executeTakeFirst();
    // An enterprise may read the platform's plans but change only its own.
    if (!r || (scope.kind === 'tenant' && r.tenant_id !== scope.tenantId)) throw new YulianError('RESPONSE_PLAN_NOT_FOUND', `No response plan ${id}.`);
    return r;
  };
  const values = (input: ResponsePlanInput) => {
    const p = responsePlanInputSchema.parse(input);
    return { name: p.name, name_en: p.nameEn, description: p.description, techniques: JSON.stringify(p.techniques), kinds: JSON.stringify(p.kinds), steps: JSON.stringify(p.steps) };
  };

  const plans: ResponsePlanStore = {
    async list(scope, filter = {}) {
      const rows = await own(scope).orderBy('name').orderBy('id').execute();
      return [...builtinPlans, ...rows.map(toPlan)].filter((p) => fits(p, filter));
    },
    async get(scope, id) {
      const b = builtinPlan(id);
      if (b) return b;
      const r = await own(scope).where('id', '=', id).executeTakeFirst();
      if (!r) throw new YulianError('RESPONSE_PLAN_NOT_FOUND', `No response plan ${id}.`);
      return toPlan(r);
    },
    async create(_scope, tenantId, input, actor) {
      const at = now();
      const id = randomUUID();
      await db.insertInto('security_response_plans').values({ id, tenant_id: tenantId, ...values(input), created_by: actor, created_at: at, updated_at: at }).execute();
      return toPlan(await db.selectFrom('security_response_plans').selectAll().where('id', '=', id).executeTakeFirstOrThrow());
    },
    async update(scope, id, input) {
      await ownRow(scope, id);
      await db.updateTable('security_response_plans').set({ ...values(input), updated_at: now() }).where('id', '=', id).execute();
      return toPlan(await db.selectFrom('security_response_plans').selectAll().where('id', '=', id).executeTakeFirstOrThrow());
    },
    async remove(scope, id) {
      const r = await ownRow(scope, id);
      await db.deleteFrom('security_response_plans').where('id', '=', id).execute();
      return toPlan(r);
    },
    async match(tenantId, kind, techniques) {
      if (techniques.length === 0) return undefined;
      const scope: Scope = tenantId ? { kind: 'tenant', tenantId } : { kind: 'all' };
      const rows = (await own(scope).orderBy('created_at').orderBy('id').execute()).filter((r) => r.tenant_id === tenantId).map(toPlan);
      for (const technique of techniques) {
        const hit = [...rows, ...builtinPlans].find((p) => fits(p, { technique, kind }));
        if (hit) return hit;
      }
      return undefined;
    },
  };
  return plans;
}
