/**
 * Alarm rules over a device's points: threshold and range (with a deadband, so a value hovering at the
 * limit does not flap), rate of change, no data for N seconds, and expressions across points; each may
 * have to hold for a duration before it raises. The engine keeps per (device, rule) state and turns values
 * into raise/clear transitions — the alarm lifecycle (acknowledgement, one active alarm per device and rule
 * across workers, notifications) is built on those transitions elsewhere. Pure and synchronous: the same
 * code evaluates live values and replays history ("would have fired 7 times last week").
 */
import { type AlarmCondition, type Comparison, type Severity, severities } from '@yulian/contracts';
import { type AnomalyDetector, anomalyDetectorKinds, createAnomalyDetector, defaultAnomalyDetectorKind } from '../anomaly/detectors.js';
import { type CompiledExpression, type PointValue, compileExpression } from '../expression/expression.js';

export { severities, type Severity } from '@yulian/contracts';
/** What makes a rule true (contracts' `AlarmCondition`). */
export type RuleCondition = AlarmCondition;

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
    /** An expression's problem code (expression.ts `ExpressionProblem`: UNEXPECTED_TOKEN, UNKNOWN_FUNCTION …). */
    readonly problem?: string,
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
    case 'anomaly':
      if (c.sensitivity !== undefined && !(c.sensitivity >= 0 && c.sensitivity <= 1)) throw new RuleSpecError('condition.sensitivity', 'sensitivity must be between 0 and 1');
      if (c.detector !== undefined && !(anomalyDetectorKinds as readonly string[]).includes(c.detector)) throw new RuleSpecError('condition.detector', `detector must be one of ${anomalyDetectorKinds.join(', ')}`);
      if (c.clearAfterSeconds !== undefined && !(c.clearAfterSeconds > 0 && Number.isFinite(c.clearAfterSeconds))) throw new RuleSpecError('condition.clearAfterSeconds', 'clearAfterSeconds must be above 0');
      return { spec, forMs: forSeconds * 1000, points: [c.point] };
    case 'expression': {
      let expression: CompiledExpression;
      try {
        expression = compileExpression(c.expression);
      } catch (e) {
        const err = e as Error & { position?: number; problem?: string };
        throw new RuleSpecError('condition.expression', err.message, err.position, err.problem);
      }
      if (expression.type === 'number') throw new RuleSpecError('condition.expression', 'the expression gives a number, not a condition: compare it (e.g. "… > 80")', 0, 'NOT_A_CONDITION');
      return { spec, forMs: forSeconds * 1000, points: expression.points, expression };
    }
    default:
      throw new RuleSpecError('condition.kind', `unknown condition kind ${(c as { kind: unknown }).kind}`);
  }
}

const compare = (a: number, op: Comparison, b: number): boolean => (op === '>' ? a > b : op === '>=' ? a >= b : op === '<' ? a < b : a <= b);
const fmt = (v: number | boolean): string => (typeof v === 'number' ? String(Math.round(v * 1000) / 1000) : String(v));

/** Per device and rule: whether the alarm is active, since when the condition holds, the rate's samples. */
interface State {
  active: boolean;
  holdingSince: number | undefined;
  lastValue: number | undefined;
  lastAt: number | undefined;
  /** The rate of change last computed (for the reason of a rate rule), or the last anomaly score. */
  rate: number;
  /** An anomaly rule's detector, learning this device's point; the time of its last anomalous value. */
  detector?: AnomalyDetector;
  lastAnomalyAt?: number;
}

/** A device's latest values, when each arrived, and its rules' states (by rule index). */
interface DeviceState {
  values: Map<string, PointValue>;
  updated: Map<string, number>;
  lastUpdate: number;
  states: Array<State | undefined>;
}

/** The rule engine of a set of devices. */
export interface RuleEngine {
  /** New values of a device's points at `at` (epoch ms): the transitions they cause. */
  onValues(device: string, at: number, values: Readonly<Record<string, number | boolean>>): RuleTransition[];
  /** One new value (the ingest path's unit): the transitions it causes. */
  onValue(device: string, at: number, point: string, value: number | boolean): RuleTransition[];
  /** The passing of time (durations, no data): transitions due at `now`. */
  tick(now: number): RuleTransition[];
  /** Whether the alarm of a device and rule is active. */
  isActive(device: string, rule: string): boolean;
  /**
   * Starts a device's rule as active (an engine rebuilt while an alarm is open): the next values clear it
   * when the condition no longer holds, instead of raising it again.
   */
  restoreActive(device: string, rule: string, at: number): void;
  /**
   * Marks a device's rule inactive without a clear (the alarm store refused its raise as older than the
   * last clear, e.g. of a rule just changed): the next value that still holds raises again.
   */
  forgetActive(device: string, rule: string): void;
  /**
   * What the rules learned (anomaly detectors, rate samples, hold timers, active flags) per device, and the
   * devices' latest values — to carry into an engine rebuilt after a rule change (`importState`). Only the
   * rules named (default all). The state moves, it is not copied (a detector has no copy): feed this engine
   * no more values afterwards.
   */
  exportState(rules?: Iterable<string>): RuleEngineState;
  /**
   * Takes what another engine learned: the devices' latest values, and each rule's state where this engine
   * has a rule of that id with the same definition (severity, condition, duration); a changed rule starts
   * afresh. Call it on a new engine, before its first value.
   * @example const next = createRuleEngine(specs); next.importState(old.exportState(unchangedIds))
   */
  importState(state: RuleEngineState): void;
  /** Devices known and rules loaded. */
  size(): { devices: number; rules: number };
}

/** A rule engine's learned state, from `exportState` for `importState` (opaque beyond its shape). */
export interface RuleEngineState {
  /** Per rule id: the definition its states were learned under. */
  readonly definitions: ReadonlyMap<string, string>;
  /** Per device: its latest values, when each arrived, and per rule id what the rule learned. */
  readonly devices: ReadonlyMap<string, { readonly values: ReadonlyMap<string, PointValue>; readonly updated: ReadonlyMap<string, number>; readonly lastUpdate: number; readonly rules: ReadonlyMap<string, object> }>;
}

/** What a rule's learned state depends on: a change of any of these starts it afresh. */
const definitionOf = (spec: RuleSpec): string => JSON.stringify([spec.severity, spec.condition, spec.forSeconds ?? 0]);

const none: RuleTransition[] = [];

/**
 * An engine running `rules` on every device that reports values (rules name points; a device without a
 * point a rule needs never raises it). Evaluation is allocation-free until a transition happens: reasons
 * are written only for raises and clears.
 * @example const engine = createRuleEngine([{ id: 'hot', name: '过热', severity: 'major', condition: { kind: 'threshold', point: 'temperature', op: '>', value: 80, deadband: 2 }, forSeconds: 30 }])
 */
export function createRuleEngine(rules: readonly RuleSpec[]): RuleEngine {
  const compiled = rules.map(compileRule);
  const ruleIndex = new Map(compiled.map((r, i) => [r.spec.id, i]));
  const devices = new Map<string, DeviceState>();
  const byPoint = new Map<string, number[]>();
  const timed: number[] = [];
  const durations: number[] = [];
  compiled.forEach((r, i) => {
    if (r.spec.condition.kind === 'noData') timed.push(i);
    else if (r.forMs) durations.push(i);
    for (const p of r.points) byPoint.set(p, [...(byPoint.get(p) ?? []), i]);
  });
  // Rules evaluated in the current call: marked with the call's generation instead of a Set per call.
  const mark = new Uint32Array(compiled.length);
  let generation = 0;

  const deviceOf = (device: string, at: number): DeviceState => {
    let d = devices.get(device);
    if (!d) devices.set(device, (d = { values: new Map(), updated: new Map(), lastUpdate: at, states: new Array(compiled.length) }));
    return d;
  };
  const stateOf = (d: DeviceState, i: number): State => (d.states[i] ??= { active: false, holdingSince: undefined, lastValue: undefined, lastAt: undefined, rate: 0 });

  /** Whether the condition holds now (undefined: unknown, the state stays). */
  function holds(r: Compiled, s: State, d: DeviceState, at: number): boolean | undefined {
    const c = r.spec.condition;
    switch (c.kind) {
      case 'threshold': {
        const v = d.values.get(c.point);
        if (typeof v !== 'number') return undefined;
        const db = c.deadband ?? 0;
        // Active: it clears only once beyond the limit by the deadband.
        const limit = s.active ? (c.op === '>' || c.op === '>=' ? c.value - db : c.value + db) : c.value;
        return compare(v, c.op, limit);
      }
      case 'range': {
        const v = d.values.get(c.point);
        if (typeof v !== 'number') return undefined;
        const db = s.active ? (c.deadband ?? 0) : 0;
        return c.inside ? v >= c.min - db && v <= c.max + db : !(v >= c.min + db && v <= c.max - db);
      }
      case 'rate': {
        const v = d.values.get(c.point);
        if (typeof v !== 'number') return undefined;
        const prev = s.lastValue;
        const prevAt = s.lastAt;
        s.lastValue = v;
        s.lastAt = at;
        if (prev === undefined || prevAt === undefined || at <= prevAt) return undefined;
        s.rate = ((v - prev) / (at - prevAt)) * 1000 * (c.perSeconds ?? 60);
        return compare(s.rate, c.op, c.value);
      }
      case 'noData': {
        const last = c.point === undefined ? d.lastUpdate : (d.updated.get(c.point) ?? d.lastUpdate);
        return at - last >= c.seconds * 1000;
      }
      case 'expression': {
        const v = r.expression!.evaluate((p) => d.values.get(p));
        return typeof v === 'boolean' ? v : undefined;
      }
      case 'anomaly': {
        const v = d.values.get(c.point);
        if (typeof v !== 'number') return undefined;
        s.detector ??= createAnomalyDetector(c.detector ?? defaultAnomalyDetectorKind, c.sensitivity === undefined ? {} : { sensitivity: c.sensitivity });
        const res = s.detector.update(at, v);
        if (res.anomalous) {
          s.lastAnomalyAt = at;
          s.rate = res.score;
        }
        if (s.lastAnomalyAt === undefined) return res.warmingUp ? undefined : false;
        return at - s.lastAnomalyAt < (c.clearAfterSeconds ?? 300) * 1000;
      }
    }
  }

  /** Why the condition holds (or held), in words: written only for a transition. */
  function reasonOf(r: Compiled, s: State, d: DeviceState, at: number): string {
    const c = r.spec.condition;
    const v = r.points[0] === undefined ? undefined : d.values.get(r.points[0]);
    switch (c.kind) {
      case 'threshold':
        return `${c.point} ${fmt(v ?? Number.NaN)} ${c.op} ${fmt(c.value)}`;
      case 'range':
        return `${c.point} ${fmt(v ?? Number.NaN)} ${c.inside ? 'inside' : 'outside'} [${fmt(c.min)}, ${fmt(c.max)}]`;
      case 'rate':
        return `${c.point} changes ${fmt(s.rate)} per ${c.perSeconds ?? 60} s ${c.op} ${fmt(c.value)}`;
      case 'noData': {
        const last = c.point === undefined ? d.lastUpdate : (d.updated.get(c.point) ?? d.lastUpdate);
        return `${c.point ?? 'no point'} updated for ${fmt((at - last) / 1000)} s`;
      }
      case 'expression':
        return c.expression;
      case 'anomaly':
        return `${c.point} ${fmt(v ?? Number.NaN)} anomalous for this device (score ${fmt(s.rate)})`;
    }
  }

  /** Applies one evaluation to the state; appends the transition it makes, if any. */
  function step(i: number, device: string, d: DeviceState, at: number, out: RuleTransition[] | undefined): RuleTransition[] | undefined {
    const r = compiled[i]!;
    const s = stateOf(d, i);
    const h = holds(r, s, d, at);
    if (h === undefined) return out;
    if (h) {
      if (s.active) return out;
      s.holdingSince ??= at;
      if (at - s.holdingSince < r.forMs) return out;
      s.active = true;
      const reason = reasonOf(r, s, d, at);
      return push(out, transition('raise', r, device, d, at, r.forMs ? `${reason} for ${fmt((at - s.holdingSince) / 1000)} s` : reason));
    }
    s.holdingSince = undefined;
    if (!s.active) return out;
    s.active = false;
    return push(out, transition('clear', r, device, d, at, `no longer: ${reasonOf(r, s, d, at)}`));
  }

  const push = (out: RuleTransition[] | undefined, t: RuleTransition): RuleTransition[] => {
    if (!out) return [t];
    out.push(t);
    return out;
  };
  const transition = (type: 'raise' | 'clear', r: Compiled, device: string, d: DeviceState, at: number, reason: string): RuleTransition => {
    const v = r.points[0] === undefined ? undefined : d.values.get(r.points[0]);
    return { type, rule: r.spec.id, device, severity: r.spec.severity, at, reason, ...(v === undefined ? {} : { value: v }) };
  };

  /** Stores a value; evaluates the rules on its point not evaluated yet in this call. */
  const take = (d: DeviceState, device: string, at: number, point: string, v: number | boolean, out: RuleTransition[] | undefined): RuleTransition[] | undefined => {
    if (typeof v === 'number' && !Number.isFinite(v)) return out;
    d.values.set(point, v);
    d.updated.set(point, at);
    const idx = byPoint.get(point);
    if (!idx) return out;
    for (let k = 0; k < idx.length; k++) {
      const i = idx[k]!;
      if (mark[i] === generation) continue;
      mark[i] = generation;
      out = step(i, device, d, at, out);
    }
    return out;
  };
  /** A device-wide no-data rule clears on any value. */
  const heard = (d: DeviceState, device: string, at: number, out: RuleTransition[] | undefined): RuleTransition[] | undefined => {
    if (at > d.lastUpdate) d.lastUpdate = at;
    for (const i of timed) if (compiled[i]!.points.length === 0 && d.states[i]?.active) out = step(i, device, d, at, out);
    return out;
  };
  const nextGeneration = (): void => {
    generation = (generation + 1) >>> 0;
    if (generation === 0) {
      mark.fill(0);
      generation = 1;
    }
  };

  return {
    onValues(device, at, values) {
      const d = deviceOf(device, at);
      nextGeneration();
      let out: RuleTransition[] | undefined;
      for (const point in values) out = take(d, device, at, point, values[point]!, out);
      return heard(d, device, at, out) ?? none;
    },
    onValue(device, at, point, value) {
      const d = deviceOf(device, at);
      nextGeneration();
      return heard(d, device, at, take(d, device, at, point, value, undefined)) ?? none;
    },
    tick(now) {
      let out: RuleTransition[] | undefined;
      for (const [device, d] of devices) {
        for (const i of timed) out = step(i, device, d, now, out);
        // Durations: a condition holding since long enough raises without a new value.
        for (const i of durations) {
          const s = d.states[i];
          if (!s || s.active || s.holdingSince === undefined || now - s.holdingSince < compiled[i]!.forMs) continue;
          s.active = true;
          const r = compiled[i]!;
          out = push(out, transition('raise', r, device, d, now, `${describe(r.spec)} for ${fmt((now - s.holdingSince) / 1000)} s`));
        }
      }
      return out ?? none;
    },
    isActive(device, rule) {
      const i = ruleIndex.get(rule);
      return i !== undefined && (devices.get(device)?.states[i]?.active ?? false);
    },
    restoreActive(device, rule, at) {
      const i = ruleIndex.get(rule);
      if (i === undefined) return;
      stateOf(deviceOf(device, at), i).active = true;
    },
    forgetActive(device, rule) {
      const i = ruleIndex.get(rule);
      const s = i === undefined ? undefined : devices.get(device)?.states[i];
      if (s) s.active = false;
    },
    exportState(rules) {
      const wanted = rules === undefined ? compiled.map((_, i) => i) : [...rules].map((id) => ruleIndex.get(id)).filter((i): i is number => i !== undefined);
      const definitions = new Map(wanted.map((i) => [compiled[i]!.spec.id, definitionOf(compiled[i]!.spec)]));
      const out = new Map<string, { values: Map<string, PointValue>; updated: Map<string, number>; lastUpdate: number; rules: Map<string, object> }>();
      for (const [device, d] of devices) {
        const learned = new Map<string, object>();
        for (const i of wanted) if (d.states[i]) learned.set(compiled[i]!.spec.id, d.states[i]);
        out.set(device, { values: new Map(d.values), updated: new Map(d.updated), lastUpdate: d.lastUpdate, rules: learned });
      }
      return { definitions, devices: out };
    },
    importState(state) {
      for (const [device, from] of state.devices) {
        const d = deviceOf(device, from.lastUpdate);
        for (const [p, v] of from.values) if (!d.values.has(p)) d.values.set(p, v);
        for (const [p, at] of from.updated) if (!d.updated.has(p)) d.updated.set(p, at);
        d.lastUpdate = Math.max(d.lastUpdate, from.lastUpdate);
        for (const [id, learned] of from.rules) {
          const i = ruleIndex.get(id);
          if (i === undefined || state.definitions.get(id) !== definitionOf(compiled[i]!.spec)) continue;
          d.states[i] = { ...(learned as State) };
        }
      }
    },
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
    case 'anomaly':
      return `${c.point} anomalous`;
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
