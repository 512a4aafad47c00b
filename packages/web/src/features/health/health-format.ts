import type { MessageKey } from '../../i18n';
import type { HealthComponent, RulFields } from './health-api';

/** A message and its values, for `t(key, values)`. */
export interface Line {
  key: MessageKey;
  values: Record<string, string | number>;
}

/** Health bands: good from 80, watch from 60, poor below. */
export function healthLevel(health: number): 'good' | 'watch' | 'poor' {
  return health >= 80 ? 'good' : health >= 60 ? 'watch' : 'poor';
}

/** The words of one component of the index. */
export function componentLine(c: HealthComponent): Line {
  const d = c.details;
  if (c.kind === 'anomaly') return d.point === undefined ? { key: 'health.reason.noPoints', values: {} } : { key: 'health.reason.anomaly', values: { point: String(d.point), score: Number(d.score ?? 0).toFixed(2) } };
  if (c.kind === 'alarms') return { key: 'health.reason.alarms', values: { active: Number(d.active ?? 0), recent: Number(d.recent ?? 0) } };
  return { key: 'health.reason.runHours', values: { hours: Number(d.hours ?? 0) } };
}

/** The components that cost points, largest first, at most `n`. */
export const topReasons = (components: readonly HealthComponent[], n = 2): HealthComponent[] => components.filter((c) => c.penalty > 0).sort((a, b) => b.penalty - a.penalty).slice(0, n);

/**
 * Remaining useful life in words: minutes up to two hours, hours below two days, else days; "≥" when the
 * prediction is at (within 3 % of) the model's cap (the model cannot tell more). Null without a prediction.
 * @example rulLine({ rul: 42.4, rulUnitSeconds: 60, rulCap: 120, modelId: 'm' }) // { key: 'health.rul.minutes', values: { value: '42' } }
 */
export function rulLine(r: RulFields): Line | null {
  if (r.rul === null || r.rulUnitSeconds === null) return null;
  // Trees average below their cap: within 3 % of it is "at least the cap".
  const atCap = r.rulCap !== null && r.rul >= 0.97 * r.rulCap;
  const seconds = (atCap && r.rulCap !== null ? r.rulCap : r.rul) * r.rulUnitSeconds;
  const prefix = atCap ? '≥ ' : '';
  if (seconds <= 2 * 3600) return { key: 'health.rul.minutes', values: { value: `${prefix}${Math.round(seconds / 60)}` } };
  if (seconds < 2 * 86_400) return { key: 'health.rul.hours', values: { value: `${prefix}${(seconds / 3600).toFixed(1)}` } };
  return { key: 'health.rul.days', values: { value: `${prefix}${(seconds / 86_400).toFixed(1)}` } };
}
