/**
 * Alarm rules over a device's points: threshold and range (with a deadband, so a value hovering at the
 * limit does not flap), rate of change, no data for N seconds, and expressions across points; each may
 * have to hold for a duration before it raises. The engine keeps per (device, rule) state and turns values
 * into raise/clear transitions — the alarm lifecycle (acknowledgement, one active alarm per device and rule
 * across workers, notifications) is built on those transitions elsewhere. Pure and synchronous: the same
 * code evaluates live values and replays history ("would have fired 7 times last week").
 */
import { type CompiledExpression, type PointValue, compileExpression } from '../expression/expression.js';

/** Alarm severities, most severe first (ThingsBoard's and ISA-18.2's four priorities). */
export const severities = ['critical', 'major', 'minor', 'warning'] as const;
export type Severity = (typeof severities)[number];

type Comparison = '>' | '>=' | '<' | '<=';

/** What makes a rule true. */
export type RuleCondition =
  /** The point's value compared with a limit; clears once back beyond the limit by `deadband`. */
  | { kind: 'threshold'; point: string; op: Comparison; value: number; deadband?: number }
  /** The value outside [min, max] (or inside, with `inside`); clears once back by `deadband`. */
  | { kind: 'range'; point: string; min: number; max: number; inside?: boolean; deadband?: number }
  /** The change per `perSeconds` (default 60) between the last two values, compared with a limit. */
  | { kind: 'rate'; point: string; op: Comparison; value: number; perSeconds?: number }
  /** No new value of the point (or of any point of the device) for `seconds`. */
  | { kind: 'noData'; point?: string; seconds: number }
  /** An expression over the device's points (expression.ts); its value must be a condition. */
  | { kind: 'expression'; expression: string };

/** A rule as configured. */
export interface RuleSpec {
  id: string;
  name: string;
  severity: Severity;
  condition: RuleCondition;
  /** Seconds the condition must hold before the alarm is raised (0: at once). */
  forSeconds?: number;
}

/** A raise or a clear, for one device and rule. */
export interface RuleTransition {
  type: 'raise' | 'clear';
  rule: string;
  device: string;
  severity: Severity;
  /** Epoch milliseconds of the value (or tick) that decided it. */
  at: number;
  /** What it was decided on, in words: "temperature 86.2 > 80 for 30 s". */
  reason: string;
  /** The value of the point the rule watches, when it watches one. */
  value?: number | boolean;
}

/** Why a rule is refused, with the field. */
export class RuleSpecError extends Error {
  override readonly name = 'RuleSpecError';
  constructor(
    readonly field: string,
    message: string,
    readonly position?: number,
  ) {
    super(message);
  }
}

interface Compiled {
  spec: RuleSpec;
  forMs: number;
  /** The points it reads ([] for a device-wide no-data rule). */
  points: readonly string[];
  expression?: CompiledExpression;
}

/** Checks a rule and compiles its expression. @throws RuleSpecError naming the field (and the position in an expression) */
export function compileRule(spec: RuleSpec): Compiled {
  const c = spec.condition;
  const finite = (v: unknown, field: string): void => {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new RuleSpecError(field, `${field} must be a number`);
  };
  if (!(severities as readonly string[]).includes(spec.severity)) throw new RuleSpecError('severity', `severity must be one of ${severities.join(', ')}`);
  const forSeconds = spec.forSeconds ?? 0;
  if (!Number.isFinite(forSeconds) || forSeconds < 0 || forSeconds > 86_400 * 7) throw new RuleSpecError('forSeconds', 'forSeconds must be between 0 and 604800 (a week)');
  switch (c.kind) {
    case 'threshold':
      finite(c.value, 'condition.value');
      if (c.deadband !== undefined && (!(c.deadband >= 0) || !Number.isFinite(c.deadband))) throw new RuleSpecError('condition.deadband', 'deadband must be a number ≥ 0');
      return { spec, forMs: forSeconds * 1000, points: [c.point] };
    case 'range':
      finite(c.min, 'condition.min');
      finite(c.max, 'condition.max');
      if (c.min > c.max) throw new RuleSpecError('condition.min', 'min must not be above max');
      if (c.deadband !== undefined && (!(c.deadband >= 0) || !Number.isFinite(c.deadband))) throw new RuleSpecError('condition.deadband', 'deadband must be a number ≥ 0');
      return { spec, forMs: forSeconds * 1000, points: [c.point] };
    case 'rate':
      finite(c.value, 'condition.value');
      if (c.perSeconds !== undefined && !(c.perSeconds > 0)) throw new RuleSpecError('condition.perSeconds', 'perSeconds must be above 0');
      return { spec, forMs: forSeconds * 1000, points: [c.point] };
    case 'noData':
      if (!(c.seconds > 0) || !Number.isFinite(c.seconds)) throw new RuleSpecError('condition.seconds', 'seconds must be above 0');
      return { spec, forMs: 0, points: c.point === undefined ? [] : [c.point] };
    case 'expression': {
      let expression: CompiledExpression;
      try {
        expression = compileExpression(c.expression);
      } catch (e) {
        const err = e as Error & { position?: number };
        throw new RuleSpecError('condition.expression', err.message, err.position);
      }
      if (expression.type === 'number') throw new RuleSpecError('condition.expression', 'the expression gives a number, not a condition: compare it (e.g. "… > 80")', 0);
      return { spec, forMs: forSeconds * 1000, points: expression.points, expression };
    }
    default:
      throw new RuleSpecError('condition.kind', `unknown condition kind ${(c as { kind: unknown }).kind}`);
  }
}

const compare = (a: number, op: Comparison, b: number): boolean => (op === '>' ? a > b : op === '>=' ? a >= b : op === '<' ? a < b : a <= b);
const fmt = (v: number | boolean): string => (typeof v === 'number' ? String(Math.round(v * 1000) / 1000) : String(v));

/** Per device and rule: whether the alarm is active, since when the condition holds, the rate's last sample. */
interface State {
  active: boolean;
  holdingSince: number | undefined;
  lastValue: number | undefined;
  lastAt: number | undefined;
}

/** A device's latest values and when each arrived. */
interface DeviceValues {
  values: Map<string, PointValue>;
  updated: Map<string, number>;
  lastUpdate: number;
}

/** The rule engine of a set of devices. */
export interface RuleEngine {
  /** New values of a device's points at `at` (epoch ms): the transitions they cause. */
  onValues(device: string, at: number, values: Readonly<Record<string, number | boolean>>): RuleTransition[];
  /** The passing of time (durations, no data): transitions due at `now`. */
  tick(now: number): RuleTransition[];
  /** Whether the alarm of a device and rule is active. */
  isActive(device: string, rule: string): boolean;
  /** Devices known and rules loaded. */
  size(): { devices: number; rules: number };
}

/**
 * An engine running `rules` on every device that reports values (rules name points; a device without a
 * point a rule needs never raises it).
 * @example const engine = createRuleEngine([{ id: 'hot', name: '过热', severity: 'major', condition: { kind: 'threshold', point: 'temperature', op: '>', value: 80, deadband: 2 }, forSeconds: 30 }])
 */
export function createRuleEngine(rules: readonly RuleSpec[]): RuleEngine {
  const compiled = rules.map(compileRule);
  const devices = new Map<string, DeviceValues>();
  const states = new Map<string, State>();
  const byPoint = new Map<string, Compiled[]>();
  const timed: Compiled[] = [];
  for (const r of compiled) {
    if (r.spec.condition.kind === 'noData') timed.push(r);
    for (const p of r.points) byPoint.set(p, [...(byPoint.get(p) ?? []), r]);
  }
  const stateOf = (device: string, rule: string): State => {
    const key = `${device}\u0000${rule}`;
    let s = states.get(key);
    if (!s) states.set(key, (s = { active: false, holdingSince: undefined, lastValue: undefined, lastAt: undefined }));
    return s;
  };

  /** Whether the condition holds now (undefined: unknown, the state stays), with its reason. */
  function holds(r: Compiled, s: State, d: DeviceValues, at: number): { holds: boolean | undefined; reason: string; value?: number | boolean } {
    const c = r.spec.condition;
    switch (c.kind) {
      case 'threshold': {
        const v = d.values.get(c.point);
        if (typeof v !== 'number' || !Number.isFinite(v)) return { holds: undefined, reason: '' };
        const db = c.deadband ?? 0;
        // Active: it clears only once beyond the limit by the deadband.
        const limit = s.active ? (c.op === '>' || c.op === '>=' ? c.value - db : c.value + db) : c.value;
        return { holds: compare(v, c.op, limit), reason: `${c.point} ${fmt(v)} ${c.op} ${fmt(c.value)}`, value: v };
      }
      case 'range': {
        const v = d.values.get(c.point);
        if (typeof v !== 'number' || !Number.isFinite(v)) return { holds: undefined, reason: '' };
        const db = s.active ? (c.deadband ?? 0) : 0;
        const inside = c.inside ? v >= c.min - db && v <= c.max + db : v >= c.min + db && v <= c.max - db;
        const h = c.inside ? inside : !inside;
        return { holds: h, reason: `${c.point} ${fmt(v)} ${c.inside ? 'inside' : 'outside'} [${fmt(c.min)}, ${fmt(c.max)}]`, value: v };
      }
      case 'rate': {
        const v = d.values.get(c.point);
        if (typeof v !== 'number' || !Number.isFinite(v)) return { holds: undefined, reason: '' };
        const prev = s.lastValue;
        const prevAt = s.lastAt;
        s.lastValue = v;
        s.lastAt = at;
        if (prev === undefined || prevAt === undefined || at <= prevAt) return { holds: undefined, reason: '' };
        const per = c.perSeconds ?? 60;
        const rate = ((v - prev) / (at - prevAt)) * 1000 * per;
        return { holds: compare(rate, c.op, c.value), reason: `${c.point} changes ${fmt(rate)} per ${per} s ${c.op} ${fmt(c.value)}`, value: v };
      }
      case 'noData': {
        const last = c.point === undefined ? d.lastUpdate : d.updated.get(c.point) ?? d.lastUpdate;
        const silent = at - last >= c.seconds * 1000;
        return { holds: silent, reason: `${c.point ?? 'no point'} updated for ${fmt((at - last) / 1000)} s` };
      }
      case 'expression': {
        const v = r.expression!.evaluate((p) => d.values.get(p));
        if (v === null || typeof v !== 'boolean') return { holds: undefined, reason: '' };
        return { holds: v, reason: c.expression };
      }
    }
  }

  /** Applies one evaluation to the state; answers the transition it makes, if any. */
  function step(r: Compiled, device: string, d: DeviceValues, at: number, out: RuleTransition[]): void {
    const s = stateOf(device, r.spec.id);
    const h = holds(r, s, d, at);
    if (h.holds === undefined) return;
    const base = { rule: r.spec.id, device, severity: r.spec.severity, at, ...(h.value === undefined ? {} : { value: h.value }) };
    if (h.holds) {
      if (s.active) return;
      s.holdingSince ??= at;
      if (at - s.holdingSince >= r.forMs) {
        s.active = true;
        out.push({ type: 'raise', ...base, reason: r.forMs ? `${h.reason} for ${fmt((at - s.holdingSince) / 1000)} s` : h.reason });
      }
    } else {
      s.holdingSince = undefined;
      if (s.active) {
        s.active = false;
        out.push({ type: 'clear', ...base, reason: `no longer: ${h.reason}` });
      }
    }
  }

  return {
    onValues(device, at, values) {
      let d = devices.get(device);
      if (!d) devices.set(device, (d = { values: new Map(), updated: new Map(), lastUpdate: at }));
      const touched = new Set<Compiled>();
      for (const [point, v] of Object.entries(values)) {
        if (typeof v === 'number' && !Number.isFinite(v)) continue;
        d.values.set(point, v);
        d.updated.set(point, at);
        for (const r of byPoint.get(point) ?? []) touched.add(r);
      }
      d.lastUpdate = Math.max(d.lastUpdate, at);
      const out: RuleTransition[] = [];
      for (const r of touched) step(r, device, d, at, out);
      // A device-wide no-data rule clears on any value.
      for (const r of timed) if (!touched.has(r) && r.points.length === 0) step(r, device, d, at, out);
      return out;
    },
    tick(now) {
      const out: RuleTransition[] = [];
      for (const [device, d] of devices) {
        for (const r of timed) step(r, device, d, now, out);
        // Durations: a condition holding since long enough raises without a new value.
        for (const r of compiled) {
          if (!r.forMs || r.spec.condition.kind === 'noData') continue;
          const s = states.get(`${device}\u0000${r.spec.id}`);
          if (s && !s.active && s.holdingSince !== undefined && now - s.holdingSince >= r.forMs) {
            s.active = true;
            const v = r.points[0] === undefined ? undefined : d.values.get(r.points[0]);
            out.push({ type: 'raise', rule: r.spec.id, device, severity: r.spec.severity, at: now, reason: `${describe(r.spec)} for ${fmt((now - s.holdingSince) / 1000)} s`, ...(v === undefined ? {} : { value: v }) });
          }
        }
      }
      return out;
    },
    isActive: (device, rule) => states.get(`${device}\u0000${rule}`)?.active ?? false,
    size: () => ({ devices: devices.size, rules: compiled.length }),
  };
}

/** A rule's condition in words (for a raise decided by the clock). */
function describe(spec: RuleSpec): string {
  const c = spec.condition;
  switch (c.kind) {
    case 'threshold':
      return `${c.point} ${c.op} ${fmt(c.value)}`;
    case 'range':
      return `${c.point} ${c.inside ? 'inside' : 'outside'} [${fmt(c.min)}, ${fmt(c.max)}]`;
    case 'rate':
      return `${c.point} changes ${c.op} ${fmt(c.value)} per ${c.perSeconds ?? 60} s`;
    case 'noData':
      return `no data from ${c.point ?? 'the device'} for ${c.seconds} s`;
    case 'expression':
      return c.expression;
  }
}

/** One historical sample of a device's points. */
export interface HistorySample {
  at: number;
  values: Readonly<Record<string, number | boolean>>;
}

/**
 * Replays a rule over a device's history (samples in time order), with ticks between samples so durations
 * and no-data count as live: what it would have done.
 * @example tryRule(rule, lastWeek).raises // "would have fired 7 times last week"
 */
export function tryRule(rule: RuleSpec, history: readonly HistorySample[], options: { tickMs?: number } = {}): { raises: number; transitions: RuleTransition[]; activeAtEnd: boolean } {
  const engine = createRuleEngine([rule]);
  const tickMs = options.tickMs ?? 1000;
  const transitions: RuleTransition[] = [];
  let lastTick: number | undefined;
  for (const s of history) {
    if (lastTick !== undefined) {
      for (let t = lastTick + tickMs; t < s.at; t += tickMs) transitions.push(...engine.tick(t));
    }
    transitions.push(...engine.onValues('device', s.at, s.values));
    transitions.push(...engine.tick(s.at));
    lastTick = s.at;
  }
  return { raises: transitions.filter((t) => t.type === 'raise').length, transitions, activeAtEnd: engine.isActive('device', rule.id) };
}
