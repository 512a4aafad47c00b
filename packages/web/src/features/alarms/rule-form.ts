/**
 * The rule form's state and its translation to and from the API's rule body. Every control holds text,
 * so a half-typed number stays as typed; {@link ruleBodyOf} checks it and names each problem by the
 * same field path the server uses in `details.field` (`condition.value`, `forSeconds`, …), so local and
 * server problems show at the same control.
 */
import type { AlarmCondition, AlarmEscalation, AlarmRule, AlarmRuleInput, Comparison, ConditionKind, Severity } from './alarm-types';

/** The condition part of the form: the fields of every kind, only `kind`'s are read. */
export interface ConditionForm {
  kind: ConditionKind;
  point: string;
  op: Comparison;
  value: string;
  deadband: string;
  min: string;
  max: string;
  /** Range: raise while inside `[min, max]` instead of outside it. */
  inside: boolean;
  perSeconds: string;
  seconds: string;
  expression: string;
  /** Anomaly: 0 (gross anomalies only) … 1 (the smallest); empty: the server's default 0.5. */
  sensitivity: string;
}

/** The whole rule form. `device` and `profile` both '' mean every device of the enterprise. */
export interface RuleForm {
  name: string;
  severity: Severity;
  device: string;
  /** A device profile's id: every device of it. */
  profile: string;
  forSeconds: string;
  enabled: boolean;
  condition: ConditionForm;
  /** Minutes unacknowledged before the alarm escalates; empty: never. */
  escalateMinutes: string;
  /** Whom it escalates to: roles and usernames, comma-separated. */
  escalateRoles: string;
  escalateUsers: string;
}

/** Why a control's text was refused before sending. */
export type LocalProblem = 'required' | 'number' | 'positive' | 'nonNegative' | 'wholeSeconds' | 'minAboveMax' | 'deviceOrProfile';

/** Problems by field path, e.g. `{ 'condition.value': 'number' }`. */
export type FormProblems = Partial<Record<string, LocalProblem>>;

/** The outcome of {@link ruleBodyOf}: a body to send, or the problems to show. */
export type RuleBodyResult = { ok: true; body: AlarmRuleInput } | { ok: false; problems: FormProblems };

/** A blank condition of each kind's defaults: a threshold on a point, above a value. */
export const emptyCondition = (): ConditionForm => ({
  kind: 'threshold',
  point: '',
  op: '>',
  value: '',
  deadband: '',
  min: '',
  max: '',
  inside: false,
  perSeconds: '',
  seconds: '',
  expression: '',
  sensitivity: '',
});

/** A blank rule form: major, every device, raised at once, enabled. */
export const emptyRuleForm = (): RuleForm => ({ name: '', severity: 'major', device: '', profile: '', forSeconds: '0', enabled: true, condition: emptyCondition(), escalateMinutes: '', escalateRoles: '', escalateUsers: '' });

const text = (n: number | undefined): string => (n === undefined ? '' : String(n));

/** The form of a stored condition. */
export function conditionFormOf(condition: AlarmCondition): ConditionForm {
  const form = emptyCondition();
  switch (condition.kind) {
    case 'threshold':
      return { ...form, kind: 'threshold', point: condition.point, op: condition.op, value: text(condition.value), deadband: text(condition.deadband) };
    case 'range':
      return { ...form, kind: 'range', point: condition.point, min: text(condition.min), max: text(condition.max), inside: condition.inside === true, deadband: text(condition.deadband) };
    case 'rate':
      return { ...form, kind: 'rate', point: condition.point, op: condition.op, value: text(condition.value), perSeconds: text(condition.perSeconds) };
    case 'noData':
      return { ...form, kind: 'noData', point: condition.point ?? '', seconds: text(condition.seconds) };
    case 'expression':
      return { ...form, kind: 'expression', expression: condition.expression };
    case 'anomaly':
      return { ...form, kind: 'anomaly', point: condition.point, sensitivity: text(condition.sensitivity) };
  }
}

/** The form of a stored rule, for editing it. */
export const ruleFormOf = (rule: AlarmRule): RuleForm => ({
  name: rule.name,
  severity: rule.severity,
  device: rule.device ?? '',
  profile: rule.profile ?? '',
  forSeconds: String(rule.forSeconds),
  enabled: rule.enabled,
  condition: conditionFormOf(rule.condition),
  escalateMinutes: rule.escalation ? String(rule.escalation.afterMinutes) : '',
  escalateRoles: rule.escalation?.roles?.join(', ') ?? '',
  escalateUsers: rule.escalation?.users?.join(', ') ?? '',
});

const listOf = (text: string): string[] => text.split(/[,，\s]+/).map((x) => x.trim()).filter(Boolean);

/** The escalation of the form (undefined: none), or a problem at `escalation.afterMinutes` / `escalation`. */
export function escalationOf(form: RuleForm, problems: FormProblems): AlarmEscalation | undefined {
  const minutes = numberReader(problems)('escalation.afterMinutes', form.escalateMinutes, { optional: true, positive: true });
  if (minutes === undefined) return undefined;
  const roles = listOf(form.escalateRoles);
  const users = listOf(form.escalateUsers);
  if (!roles.length && !users.length) {
    problems['escalation'] = 'required';
    return undefined;
  }
  return { afterMinutes: minutes, ...(roles.length ? { roles } : {}), ...(users.length ? { users } : {}) };
}

/** Reads numbers from text fields, collecting a problem per field it refuses. */
function numberReader(problems: FormProblems) {
  return (field: string, raw: string, rule: { optional?: boolean; positive?: boolean; nonNegative?: boolean } = {}): number | undefined => {
    const trimmed = raw.trim();
    if (!trimmed) {
      if (!rule.optional) problems[field] = 'required';
      return undefined;
    }
    const n = Number(trimmed);
    if (!Number.isFinite(n)) problems[field] = 'number';
    else if (rule.positive && n <= 0) problems[field] = 'positive';
    else if (rule.nonNegative && n < 0) problems[field] = 'nonNegative';
    else return n;
    return undefined;
  };
}

/** The API condition of the form, or problems keyed `condition.<field>`. */
export function conditionOf(form: ConditionForm, problems: FormProblems): AlarmCondition | undefined {
  const num = numberReader(problems);
  const point = form.point.trim();
  const needPoint = () => {
    if (!point) problems['condition.point'] = 'required';
  };
  const before = Object.keys(problems).length;
  let condition: AlarmCondition | undefined;
  switch (form.kind) {
    case 'threshold': {
      needPoint();
      const value = num('condition.value', form.value);
      const deadband = num('condition.deadband', form.deadband, { optional: true, nonNegative: true });
      if (value !== undefined) condition = { kind: 'threshold', point, op: form.op, value, ...(deadband === undefined ? {} : { deadband }) };
      break;
    }
    case 'range': {
      needPoint();
      const min = num('condition.min', form.min);
      const max = num('condition.max', form.max);
      const deadband = num('condition.deadband', form.deadband, { optional: true, nonNegative: true });
      if (min !== undefined && max !== undefined && min > max) problems['condition.max'] = 'minAboveMax';
      if (min !== undefined && max !== undefined) condition = { kind: 'range', point, min, max, ...(form.inside ? { inside: true } : {}), ...(deadband === undefined ? {} : { deadband }) };
      break;
    }
    case 'rate': {
      needPoint();
      const value = num('condition.value', form.value);
      const perSeconds = num('condition.perSeconds', form.perSeconds, { optional: true, positive: true });
      if (value !== undefined) condition = { kind: 'rate', point, op: form.op, value, ...(perSeconds === undefined ? {} : { perSeconds }) };
      break;
    }
    case 'noData': {
      const seconds = num('condition.seconds', form.seconds, { positive: true });
      if (seconds !== undefined) condition = { kind: 'noData', ...(point ? { point } : {}), seconds };
      break;
    }
    case 'expression':
      if (!form.expression.trim()) problems['condition.expression'] = 'required';
      else condition = { kind: 'expression', expression: form.expression };
      break;
    case 'anomaly': {
      needPoint();
      const sensitivity = num('condition.sensitivity', form.sensitivity, { optional: true, nonNegative: true });
      if (sensitivity !== undefined && sensitivity > 1) problems['condition.sensitivity'] = 'number';
      condition = { kind: 'anomaly', point, ...(sensitivity === undefined ? {} : { sensitivity }) };
      break;
    }
  }
  return Object.keys(problems).length === before ? condition : undefined;
}

/**
 * The API body of the form, or the problems that keep it from being sent.
 *
 * @example
 * ruleBodyOf({ ...emptyRuleForm(), name: '主轴过热', condition: { ...emptyCondition(), point: 'spindle_temp', value: '80' } })
 * // { ok: true, body: { name: '主轴过热', severity: 'major', condition: { kind: 'threshold', point: 'spindle_temp', op: '>', value: 80 }, forSeconds: 0, device: null, profile: null, enabled: true } }
 */
export function ruleBodyOf(form: RuleForm): RuleBodyResult {
  const problems: FormProblems = {};
  const name = form.name.trim();
  if (!name) problems['name'] = 'required';
  const forSeconds = numberReader(problems)('forSeconds', form.forSeconds, { optional: true, nonNegative: true });
  if (forSeconds !== undefined && !Number.isInteger(forSeconds)) problems['forSeconds'] = 'wholeSeconds';
  if (form.device.trim() && form.profile) problems['profile'] = 'deviceOrProfile';
  const condition = conditionOf(form.condition, problems);
  const escalation = escalationOf(form, problems);
  if (Object.keys(problems).length || !condition) return { ok: false, problems };
  return {
    ok: true,
    body: { name, severity: form.severity, condition, forSeconds: forSeconds ?? 0, device: form.device.trim() || null, profile: form.profile || null, enabled: form.enabled, ...(escalation ? { escalation } : {}) },
  };
}

/**
 * A condition as a short formula for the rules table (language-neutral; the kind's name is shown apart).
 *
 * @example
 * conditionSummary({ kind: 'threshold', point: 'spindle_temp', op: '>', value: 80, deadband: 2 }) // 'spindle_temp > 80 (±2)'
 */
export function conditionSummary(condition: AlarmCondition): string {
  const band = (d: number | undefined) => (d ? ` (±${d})` : '');
  switch (condition.kind) {
    case 'threshold':
      return `${condition.point} ${condition.op} ${condition.value}${band(condition.deadband)}`;
    case 'range':
      return `${condition.point} ${condition.inside ? '∈' : '∉'} [${condition.min}, ${condition.max}]${band(condition.deadband)}`;
    case 'rate':
      return `Δ${condition.point} / ${condition.perSeconds ?? 60} s ${condition.op} ${condition.value}`;
    case 'noData':
      return `${condition.point ?? '*'} · ${condition.seconds} s`;
    case 'expression':
      return condition.expression;
    case 'anomaly':
      return `${condition.point} ≉ ${condition.sensitivity ?? 0.5}`;
  }
}
