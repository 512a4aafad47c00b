import { createAnomalyDetector, defaultAnomalyDetectorKind } from '../anomaly/detectors.js';

/** Severities of alarms as the health index weighs them. */
export type HealthAlarmSeverity = 'critical' | 'major' | 'minor' | 'warning';

/** Penalty points an active alarm costs, by severity. */
export const activeAlarmPenalty: Record<HealthAlarmSeverity, number> = { critical: 25, major: 15, minor: 8, warning: 4 };

/** Upper bounds of each component's penalty: anomaly 40, alarms 40, run hours 20 (they sum to 100). */
export const healthPenaltyCaps = { anomaly: 40, alarms: 40, runHours: 20 } as const;

/** Anomaly scores up to this are noise (normal values score about 0.2); the penalty grows from here to full at 0.75. */
export const anomalyScoreFloor = 0.25;

/** Running hours that cost the full run-hours penalty (a typical major-overhaul interval of a machine tool spindle). */
export const overhaulHours = 20_000;

/** What the health index of one device is computed from. */
export interface HealthInputs {
  /** Anomaly score 0–1 per numeric point (see {@link pointAnomalyScore}). */
  anomaly: ReadonlyArray<{ point: string; score: number }>;
  /** Severities of the device's active alarms. */
  activeAlarms: readonly HealthAlarmSeverity[];
  /** Alarms raised in the recent window (default 7 days), active or not. */
  recentAlarms: number;
  /** Running hours: the device's own counter when it has one, else hours in service. */
  runHours: number | null;
}

/** One reason the index is below 100: which component, how many points it costs, and why. */
export interface HealthComponent {
  kind: 'anomaly' | 'alarms' | 'run-hours';
  penalty: number;
  /** A short explanation in English; the console words it in the user's language from `details`. */
  reason: string;
  details: Record<string, string | number>;
}

/** The health index of one device: 0 (about to fail) … 100 (nothing wrong seen), with its components. */
export interface HealthIndex {
  health: number;
  /** Components sorted by penalty, largest first (zero-penalty ones included, for the record). */
  components: HealthComponent[];
}

const round1 = (v: number): number => Math.round(v * 10) / 10;

/**
 * The health index: 100 minus three capped penalties —
 * anomaly `40 × clamp((max score − 0.25) / 0.5, 0, 1)` over the device's points, alarms `Σ active by severity (critical 25, major 15,
 * minor 8, warning 4) + 2 × recent alarms`, capped at 40, and run hours `20 × hours / 20,000`, capped at 20.
 * @example computeHealthIndex({ anomaly: [{ point: 'vibration_rms', score: 0.8 }], activeAlarms: ['major'], recentAlarms: 3, runHours: 5000 }).health // 34
 */
export function computeHealthIndex(inputs: HealthInputs): HealthIndex {
  const worst = inputs.anomaly.reduce<{ point: string; score: number } | undefined>((a, p) => (a === undefined || p.score > a.score ? p : a), undefined);
  const score = Math.min(1, Math.max(0, worst?.score ?? 0));
  const anomaly: HealthComponent = {
    kind: 'anomaly',
    penalty: round1(healthPenaltyCaps.anomaly * Math.min(1, Math.max(0, (score - anomalyScoreFloor) / 0.5))),
    reason: worst ? `${worst.point} deviates from its learned normal (anomaly score ${score.toFixed(2)})` : 'no numeric points to score',
    details: worst ? { point: worst.point, score: round1(score * 100) / 100 } : {},
  };
  const active = inputs.activeAlarms.reduce((s, sev) => s + activeAlarmPenalty[sev], 0);
  const alarms: HealthComponent = {
    kind: 'alarms',
    penalty: round1(Math.min(healthPenaltyCaps.alarms, active + 2 * inputs.recentAlarms)),
    reason: `${inputs.activeAlarms.length} active alarm(s), ${inputs.recentAlarms} raised in the last 7 days`,
    details: { active: inputs.activeAlarms.length, recent: inputs.recentAlarms, critical: inputs.activeAlarms.filter((s) => s === 'critical').length },
  };
  const hours = Math.max(0, inputs.runHours ?? 0);
  const runHours: HealthComponent = {
    kind: 'run-hours',
    penalty: round1(Math.min(healthPenaltyCaps.runHours, (healthPenaltyCaps.runHours * hours) / overhaulHours)),
    reason: inputs.runHours === null ? 'running hours unknown' : `${Math.round(hours)} running hours (overhaul interval ${overhaulHours} h)`,
    details: { hours: Math.round(hours) },
  };
  const components = [anomaly, alarms, runHours].sort((a, b) => b.penalty - a.penalty);
  const health = Math.max(0, Math.min(100, Math.round(100 - components.reduce((s, c) => s + c.penalty, 0))));
  return { health, components };
}

/** Options of {@link pointAnomalyScore}. */
export interface PointAnomalyOptions {
  /** Detector sensitivity 0–1 (default 0.5). */
  sensitivity?: number;
  /** How many of the last values the score averages (default 5). */
  recent?: number;
  /** Values the detector learns from before scoring (default 30). */
  warmUp?: number;
}

/**
 * Runs the online anomaly detector (the default, ewma-cusum) over a point's recent stored values, oldest
 * first, and returns the mean score of the last `recent` of them: 0 normal … 1 far from normal; 0 when the
 * detector has not seen enough to learn (fewer than warm-up + recent values), and 0 for a counter (a series
 * that never decreases: run hours, energy, parts), whose steady rise is not a deviation. Stuck-value runs
 * are not scored here: a stuck sensor is the alarm rules' business, a constant point is no health risk.
 * @example pointAnomalyScore(minuteAverages.map((p) => [p.ts, p.value]))
 */
export function pointAnomalyScore(series: ReadonlyArray<readonly [number, number]>, options: PointAnomalyOptions = {}): number {
  const recent = options.recent ?? 5;
  const warmUp = options.warmUp ?? 30;
  if (series.length < warmUp + recent) return 0;
  let counter = true;
  for (let i = 1; i < series.length && counter; i++) if ((series[i] as readonly [number, number])[1] < (series[i - 1] as readonly [number, number])[1]) counter = false;
  if (counter) return 0;
  const detector = createAnomalyDetector(defaultAnomalyDetectorKind, { sensitivity: options.sensitivity ?? 0.5, warmUp, holdOff: 0, stuckRun: 0 });
  let sum = 0;
  series.forEach(([ts, v], i) => {
    const r = detector.update(ts, v);
    if (i >= series.length - recent) sum += r.skipped ? 0 : r.score;
  });
  return sum / recent;
}
