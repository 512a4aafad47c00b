import { YulianError } from '@yulian/core';

/**
 * Online, per-point anomaly detectors. Each learns a point's normal behaviour from the values it sees:
 * no alarm during a warm-up, state bounded by its window, non-finite input skipped and counted. A score
 * of 0.5 or more is anomalous at the detector's sensitivity, so scores compare across sensitivities.
 */

import type { AnomalyDetectorKind } from '@yulian/contracts';

/** What a detector says about one value. */
export interface AnomalyResult {
  /** 0–1; ≥ 0.5 means the statistic crossed this sensitivity's threshold. */
  score: number;
  /** An alarm: the score crossed the threshold after the warm-up and outside a hold-off. */
  anomalous: boolean;
  /** Still learning: no alarm is raised yet. */
  warmingUp: boolean;
  /** The input was not a finite number and was not used. */
  skipped: boolean;
}

/** Counters of a detector. */
export interface AnomalyDetectorStats {
  /** Values used. */
  points: number;
  /** Values refused (NaN, ±Infinity, or a non-finite timestamp). */
  skipped: number;
  alarms: number;
}

/** An online anomaly detector for one point. */
export interface AnomalyDetector {
  readonly kind: AnomalyDetectorKind;
  /** Feeds one value (timestamp in epoch ms) and returns its score. */
  update(timestamp: number, value: number): AnomalyResult;
  stats(): AnomalyDetectorStats;
}

/** The detectors this module builds (the list lives in contracts, for rules and the console). */
export { anomalyDetectorKinds, type AnomalyDetectorKind } from '@yulian/contracts';

/** Options every detector takes. */
export interface AnomalyDetectorOptions {
  /** 0 (only gross anomalies) to 1 (smallest deviations); default 0.5. */
  sensitivity?: number;
  /** Values learned before any alarm; default 120. */
  warmUp?: number;
  /** Values after an alarm during which no new alarm is raised (one event, not a flood); default 120. */
  holdOff?: number;
  /** Values in the rolling window (robust-z, windowed-gaussian); default 240, at most 10,000. */
  window?: number;
  /** A run of this many identical values counts as a stuck sensor (robust-z, ewma-cusum); default 30. */
  stuckRun?: number;
  /**
   * Also accumulate small persistent deviations: the EWMA in robust-z (default on), the CUSUM in
   * ewma-cusum (default off: on plant residuals it cost more false alarms than it found, docs/benchmarks.md).
   */
  drift?: boolean;
  /** Weight of the accumulated statistic against the point statistic; default 1. */
  driftWeight?: number;
}

/** The statistic (in σ) that raises an alarm: 6 at sensitivity 0, 3.5 at 0.5, 1 at 1. */
export const zThreshold = (sensitivity: number): number => 6 - 5 * sensitivity;

/** Maps a statistic z ≥ 0 onto 0–1 so that z = threshold gives 0.5. */
const toScore = (z: number, threshold: number): number => (z > 0 ? z / (z + threshold) : 0);

/** A value's deviation from normal in σ, before thresholds; the detector-specific part. */
interface Model {
  /** Returns the statistic for `value` (undefined while the model cannot judge yet), then learns it. */
  observe(value: number): number | undefined;
}

interface Resolved {
  sensitivity: number;
  warmUp: number;
  holdOff: number;
  window: number;
  stuckRun: number;
  drift: boolean;
  driftWeight: number;
}

function resolve(options: AnomalyDetectorOptions): Resolved {
  const r = { sensitivity: 0.5, warmUp: 120, holdOff: 120, window: 240, stuckRun: 30, drift: true, driftWeight: 1, ...options };
  if (!(r.sensitivity >= 0 && r.sensitivity <= 1)) throw new YulianError('VALIDATION_FAILED', `Anomaly detector sensitivity must be between 0 and 1; got ${r.sensitivity}.`);
  for (const key of ['warmUp', 'holdOff', 'stuckRun'] as const) {
    if (!Number.isInteger(r[key]) || r[key] < 0) throw new YulianError('VALIDATION_FAILED', `Anomaly detector ${key} must be a whole number ≥ 0; got ${r[key]}.`);
  }
  if (!Number.isInteger(r.window) || r.window < 8 || r.window > 10_000) throw new YulianError('VALIDATION_FAILED', `Anomaly detector window must be a whole number from 8 to 10000; got ${r.window}.`);
  return r;
}

/** Wraps a model with what all detectors share: input checks, warm-up, hold-off, counters. */
function wrap(kind: AnomalyDetectorKind, o: Resolved, model: Model): AnomalyDetector {
  const threshold = zThreshold(o.sensitivity);
  const counts: AnomalyDetectorStats = { points: 0, skipped: 0, alarms: 0 };
  let quietUntil = 0;
  return {
    kind,
    update(timestamp, value) {
      if (!Number.isFinite(value) || !Number.isFinite(timestamp)) {
        counts.skipped++;
        return { score: 0, anomalous: false, warmingUp: counts.points < o.warmUp, skipped: true };
      }
      counts.points++;
      const z = model.observe(value);
      const warmingUp = counts.points <= o.warmUp || z === undefined;
      const score = warmingUp ? 0 : toScore(z, threshold);
      const anomalous = !warmingUp && score >= 0.5 && counts.points > quietUntil;
      if (anomalous) {
        counts.alarms++;
        quietUntil = counts.points + o.holdOff;
      }
      return { score, anomalous, warmingUp, skipped: false };
    },
    stats: () => ({ ...counts }),
  };
}

/** A fixed-size ring of the most recent values. */
class Ring {
  private readonly buf: Float64Array;
  private next = 0;
  size = 0;
  constructor(capacity: number) {
    this.buf = new Float64Array(capacity);
  }
  push(v: number): void {
    this.buf[this.next] = v;
    this.next = (this.next + 1) % this.buf.length;
    this.size = Math.min(this.size + 1, this.buf.length);
  }
  /** A sorted copy of the values held. */
  sorted(): Float64Array {
    return this.buf.slice(0, this.size).sort();
  }
  values(): Float64Array {
    return this.buf.subarray(0, this.size);
  }
}

const median = (sorted: Float64Array): number => {
  const n = sorted.length;
  const mid = n >> 1;
  return n % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};

/** Counts identical consecutive values; a frozen transmitter repeats its last reading exactly. */
class StuckRun {
  private last = Number.NaN;
  private run = 0;
  /** Typical |Δ| between readings, learned while the signal moves. */
  private step = 0;
  observe(v: number): number {
    const d = Math.abs(v - this.last);
    if (d === 0) this.run++;
    else {
      this.run = 0;
      if (Number.isFinite(d)) this.step = this.step === 0 ? d : 0.99 * this.step + 0.01 * d;
    }
    this.last = v;
    return this.step > 0 ? this.run : 0;
  }
}

const clip = (v: number, limit: number): number => Math.max(-limit, Math.min(limit, v));

/**
 * Robust rolling z-score: the deviation from the window's median in units of its MAD (·1.4826), plus an
 * EWMA of the clipped residuals (λ 0.1, scaled to its own σ) that sees small persistent shifts and drifts
 * a single point hides, plus a stuck-sensor run. Medians ignore the spikes a mean would chase.
 * @example const d = createRobustZDetector({ sensitivity: 0.6 }); d.update(Date.now(), 21.4)
 */
export function createRobustZDetector(options: AnomalyDetectorOptions = {}): AnomalyDetector {
  const o = resolve(options);
  const ring = new Ring(o.window);
  const stuck = new StuckRun();
  const lambda = 0.1;
  const ewmaSd = Math.sqrt(lambda / (2 - lambda));
  const threshold = zThreshold(o.sensitivity);
  let ewma = 0;
  let ewmaAbs = 0;
  let ewmaN = 0;
  return wrap('robust-z', o, {
    observe(value) {
      const run = stuck.observe(value);
      let z: number | undefined;
      if (ring.size >= 8) {
        const sorted = ring.sorted();
        const med = median(sorted);
        const dev = sorted.map((v) => Math.abs(v - med)).sort();
        // A floor keeps a flat (quantised or idle) signal from dividing by zero.
        const sigma = Math.max(1.4826 * median(dev), 1e-6 * Math.max(1, Math.abs(med)));
        const r = (value - med) / sigma;
        ewma = lambda * clip(r, 4) + (1 - lambda) * ewma;
        // Plant residuals are autocorrelated (thermal lags, load ramps), so the EWMA is measured against
        // its own learned spread rather than the i.i.d. σ·√(λ/(2−λ)); the spread learns only while calm.
        const spread = Math.max(1.2533 * ewmaAbs, ewmaSd * 0.5);
        const zDrift = Math.abs(ewma) / spread;
        if (zDrift < threshold) ewmaAbs += Math.max(0.005, 1 / ++ewmaN) * (Math.abs(ewma) - ewmaAbs);
        z = Math.max(Math.abs(r), o.drift ? o.driftWeight * zDrift : 0, o.stuckRun > 0 ? (threshold * run) / o.stuckRun : 0);
      }
      ring.push(value);
      return z;
    },
  });
}

/**
 * EWMA level with a two-sided CUSUM on the standardised residuals: the level (α 0.02) follows slow
 * normal change, σ is an EWMA of |residual|, a point far from the level alarms at once and a small
 * persistent offset accumulates in the CUSUM (k 0.5σ) until it does; plus the stuck-sensor run.
 * @example const d = createEwmaCusumDetector(); d.update(Date.now(), 6.9)
 */
export function createEwmaCusumDetector(options: AnomalyDetectorOptions = {}): AnomalyDetector {
  const o = resolve({ drift: false, ...options });
  const stuck = new StuckRun();
  const alpha = 0.02;
  const k = 0.5;
  const threshold = zThreshold(o.sensitivity);
  let n = 0;
  let level = 0;
  let absDev = 0;
  let up = 0;
  let down = 0;
  return wrap('ewma-cusum', o, {
    observe(value) {
      const run = stuck.observe(value);
      n++;
      if (n === 1) {
        level = value;
        return undefined;
      }
      const sigma = Math.max(1.2533 * absDev, 1e-6 * Math.max(1, Math.abs(level)));
      const r = (value - level) / sigma;
      const c = clip(r, 4);
      up = Math.max(0, up + c - k);
      down = Math.max(0, down - c - k);
      // A CUSUM of 4σ-clipped steps reaches 2·threshold only after a sustained offset.
      const z = Math.max(Math.abs(r), o.drift ? (o.driftWeight * Math.max(up, down)) / 2 : 0, o.stuckRun > 0 ? (threshold * run) / o.stuckRun : 0);
      // Learn from the clipped residual so that one spike barely moves the level or the spread; learn
      // faster at the start so the warm-up settles.
      const a = Math.max(alpha, 1 / n);
      const step = n > 10 ? c * sigma : value - level;
      absDev = (1 - a) * absDev + a * Math.abs(step);
      level += a * step;
      if (z >= threshold) {
        up = 0;
        down = 0;
      }
      return n > 10 ? z : undefined;
    },
  });
}

/**
 * NAB's "windowed Gaussian" baseline: the deviation from the window's mean in units of its standard
 * deviation. Kept as the yardstick the other detectors must beat.
 * @example const d = createWindowedGaussianDetector({ window: 120 }); d.update(Date.now(), 3.2)
 */
export function createWindowedGaussianDetector(options: AnomalyDetectorOptions = {}): AnomalyDetector {
  const o = resolve(options);
  const ring = new Ring(o.window);
  return wrap('windowed-gaussian', o, {
    observe(value) {
      let z: number | undefined;
      if (ring.size >= 8) {
        const vs = ring.values();
        let sum = 0;
        for (const v of vs) sum += v;
        const mean = sum / vs.length;
        let sq = 0;
        for (const v of vs) sq += (v - mean) ** 2;
        const sd = Math.max(Math.sqrt(sq / vs.length), 1e-6 * Math.max(1, Math.abs(mean)));
        z = Math.abs(value - mean) / sd;
      }
      ring.push(value);
      return z;
    },
  });
}

/** Builds a detector by kind. */
export function createAnomalyDetector(kind: AnomalyDetectorKind, options: AnomalyDetectorOptions = {}): AnomalyDetector {
  const factories: Record<AnomalyDetectorKind, (o: AnomalyDetectorOptions) => AnomalyDetector> = {
    'robust-z': createRobustZDetector,
    'ewma-cusum': createEwmaCusumDetector,
    'windowed-gaussian': createWindowedGaussianDetector,
  };
  return factories[kind](options);
}

/** The detector `createAnomalyDetector` users get by default: the best NAB score on the labelled corpus (docs/benchmarks.md). */
export const defaultAnomalyDetectorKind: AnomalyDetectorKind = 'ewma-cusum';
