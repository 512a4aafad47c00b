/**
 * Alarm rules as an enterprise configures them (`alarm_rules`): a condition of the rule engine
 * (analytics/rules) on one device, every device of a profile or every device of the enterprise, checked when written — an
 * expression's mistake is answered with its position.
 */
import { randomUUID } from 'node:crypto';
import { type RuleSpec, RuleSpecError, compileRule } from '@yulian/analytics';
import type { AlarmCondition, AlarmEscalation, AlarmRule, AlarmRuleInput, Severity } from '@yulian/contracts';
import { type AlarmRulesTable, type Scope, type Store, YulianError } from '@yulian/core';
import type { Selectable } from 'kysely';

export type { AlarmRule, AlarmRuleInput } from '@yulian/contracts';

export interface AlarmRuleStore {
  list(scope: Scope): Promise<AlarmRule[]>;
  get(scope: Scope, id: string): Promise<AlarmRule>;
  /** @throws YulianError ALARM_RULE_INVALID with details.field (and details.position in an expression) */
  create(tenantId: string | null, input: AlarmRuleInput, actor: string): Promise<AlarmRule>;
  update(scope: Scope, id: string, input: AlarmRuleInput): Promise<AlarmRule>;
  remove(scope: Scope, id: string): Promise<AlarmRule>;
  /** Every enabled rule of every enterprise (the evaluator's load), and a stamp that changes when any rule does. */
  enabled(): Promise<{ rules: AlarmRule[]; stamp: string }>;
}

const iso = (ms: number): string => new Date(Number(ms)).toISOString();
const toRule = (r: Selectable<AlarmRulesTable>): AlarmRule => ({
  id: r.id,
  tenantId: r.tenant_id,
  name: r.name,
  severity: r.severity as Severity,
  condition: JSON.parse(r.condition) as AlarmCondition,
  forSeconds: Number(r.for_seconds),
  device: r.device_id,
  profile: r.profile_id,
  enabled: Number(r.enabled) === 1,
  escalation: r.escalation === null ? null : (JSON.parse(r.escalation) as AlarmEscalation),
  createdBy: r.created_by,
  createdAt: iso(r.created_at),
  updatedAt: iso(r.updated_at),
});

/** The engine's spec of a stored rule. */
export const ruleSpecOf = (r: Pick<AlarmRule, 'id' | 'name' | 'severity' | 'condition' | 'forSeconds'>): RuleSpec => ({ id: r.id, name: r.name, severity: r.severity, condition: r.condition, forSeconds: r.forSeconds });

/** Checks a rule the way the engine will run it. @throws YulianError ALARM_RULE_INVALID with details.field (and position, problem) */
export function checkAlarmRule(input: AlarmRuleInput): void {
  if (!input.name.trim() || input.name.length > 200) throw new YulianError('ALARM_RULE_INVALID', 'name: 1 to 200 characters.', { details: { field: 'name' } });
  if (input.device && input.profile) throw new YulianError('ALARM_RULE_INVALID', 'profile: a rule watches one device or the devices of one profile, not both.', { details: { field: 'profile' } });
  const esc = input.escalation;
  if (esc && !(esc.afterMinutes > 0 && esc.afterMinutes <= 10_080)) throw new YulianError('ALARM_RULE_INVALID', 'escalation.afterMinutes: more than 0 and at most 10,080 (a week).', { details: { field: 'escalation.afterMinutes' } });
  if (esc && !(esc.roles?.length || esc.users?.length)) throw new YulianError('ALARM_RULE_INVALID', 'escalation: name whom to escalate to (roles or users).', { details: { field: 'escalation' } });
  try {
    compileRule(ruleSpecOf({ id: 'check', name: input.name, severity: input.severity, condition: input.condition, forSeconds: input.forSeconds ?? 0 }));
  } catch (e) {
    if (!(e instanceof RuleSpecError)) throw e;
    throw new YulianError('ALARM_RULE_INVALID', `${e.field}: ${e.message}`, { details: { field: e.field, ...(e.position === undefined ? {} : { position: e.position }), ...(e.problem === undefined ? {} : { problem: e.problem }) } });
  }
}

/**
 * The `alarm_rules` table, every read and write scoped.
 * @example await createAlarmRuleStore(store).create(tenantId, { name: '主轴过热', severity: 'major', condition: { kind: 'threshold', point: 'spindle_temp', op: '>', value: 80, deadband: 2 }, forSeconds: 30 }, 'demo-engineer')
 */
export function createAlarmRuleStore(store: Store, now: () => number = Date.now): AlarmRuleStore {
  const db = store.db;
  const scoped = (scope: Scope) => {
    const q = db.selectFrom('alarm_rules').selectAll();
    return scope.kind === 'tenant' ? q.where('tenant_id', '=', scope.tenantId) : q;
  };
  const get = async (scope: Scope, id: string): Promise<AlarmRule> => {
    const row = await scoped(scope).where('id', '=', id).executeTakeFirst();
    if (!row) throw new YulianError('ALARM_RULE_NOT_FOUND', `No alarm rule ${id}.`);
    return toRule(row);
  };
  const columns = (input: AlarmRuleInput) => ({
    name: input.name.trim(),
    severity: input.severity,
    condition: JSON.stringify(input.condition),
    for_seconds: input.forSeconds ?? 0,
    device_id: input.device ?? null,
    profile_id: input.profile ?? null,
    enabled: input.enabled === false ? 0 : 1,
    escalation: input.escalation ? JSON.stringify(input.escalation) : null,
  });
  return {
    async list(scope) {
      return (await scoped(scope).orderBy('name').orderBy('id').execute()).map(toRule);
    },
    get,
    async create(tenantId, input, actor) {
      checkAlarmRule(input);
      const at = now();
      const id = randomUUID();
      await db.insertInto('alarm_rules').values({ id, tenant_id: tenantId, ...columns(input), created_by: actor, created_at: at, updated_at: at }).execute();
      return get({ kind: 'all' }, id);
    },
    async update(scope, id, input) {
      await get(scope, id);
      checkAlarmRule(input);
      await db.updateTable('alarm_rules').set({ ...columns(input), updated_at: now() }).where('id', '=', id).execute();
      return get(scope, id);
    },
    async remove(scope, id) {
      const rule = await get(scope, id);
      await db.deleteFrom('alarm_rules').where('id', '=', id).execute();
      return rule;
    },
    async enabled() {
      const rows = await db.selectFrom('alarm_rules').selectAll().where('enabled', '=', 1).orderBy('id').execute();
      const rules = rows.map(toRule);
      // Ids and update times: a rule created, changed, disabled or deleted changes it.
      return { rules, stamp: rows.map((r) => `${r.id}@${r.updated_at}`).join(',') };
    },
  };
}
