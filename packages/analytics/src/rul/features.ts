import { YulianError } from '@yulian/core';
import type { CmapssUnit } from './cmapss.js';

/** The sensors FD001 keeps: 1, 5, 6, 10, 16, 18 and 19 are constant (or nearly) in one operating condition. */
export const FD001_SENSORS: readonly number[] = [2, 3, 4, 7, 8, 9, 11, 12, 13, 14, 15, 17, 20, 21];

/** How raw sensor readings become model inputs; saved in the model file with the model. */
export interface FeatureSpec {
  /** Sensor numbers (1–21) in input order. */
  sensors: number[];
  /** Z-score normalisation fitted on training data only. */
  normalisation: { kind: 'z-score'; mean: number[]; std: number[] };
  /** Cycles per window; shorter histories are padded with their first reading. */
  window: number;
  /** Fewest cycles of history the model was trained on (padded windows from here up to `window`). */
  minHistory: number;
  /** Piecewise-linear target: RUL is capped at this value. */
  cap: number;
  /** Smoothing factor of the exponentially smoothed value per window. */
  ewmAlpha: number;
}

/** Names of the features per sensor, in order. */
export const FEATURES_PER_SENSOR = ['last', 'mean', 'slope', 'ewm', 'min', 'max'] as const;

/** Options of {@link fitFeatureSpec}. */
export interface FeatureOptions {
  sensors?: readonly number[];
  window?: number;
  minHistory?: number;
  cap?: number;
  ewmAlpha?: number;
}

/**
 * Fits the normalisation on training units only and returns the feature spec.
 * @example const spec = fitFeatureSpec(trainUnits, { window: 30, cap: 125 })
 */
export function fitFeatureSpec(units: readonly CmapssUnit[], options: FeatureOptions = {}): FeatureSpec {
  const sensors = [...(options.sensors ?? FD001_SENSORS)];
  const mean = sensors.map(() => 0);
  const sq = sensors.map(() => 0);
  let n = 0;
  for (const u of units)
    for (const r of u.rows) {
      n++;
      sensors.forEach((s, k) => {
        const v = r.sensors[s - 1] ?? 0;
        mean[k] = (mean[k] ?? 0) + v;
        sq[k] = (sq[k] ?? 0) + v * v;
      });
    }
  if (n === 0) throw new YulianError('TRAINING_DATA_INVALID', 'No training rows to fit the normalisation on.');
  const m = mean.map((s) => s / n);
  const std = sq.map((s, k) => Math.sqrt(Math.max(s / n - (m[k] ?? 0) ** 2, 0)) || 1);
  // Window 40 with padded windows from 20 cycles measured best on held-out training engines (docs/benchmarks.md).
  const window = options.window ?? 40;
  const minHistory = Math.min(options.minHistory ?? 20, window);
  return { sensors, normalisation: { kind: 'z-score', mean: m, std }, window, minHistory, cap: options.cap ?? 125, ewmAlpha: options.ewmAlpha ?? 0.2 };
}

/** Number of model inputs a spec produces. */
export const featureCount = (spec: FeatureSpec): number => spec.sensors.length * FEATURES_PER_SENSOR.length;

/** Normalises one reading (all 21 sensors) to the spec's selected sensors. */
export function normaliseReading(spec: FeatureSpec, sensors: readonly number[]): Float64Array {
  const out = new Float64Array(spec.sensors.length);
  spec.sensors.forEach((s, k) => {
    out[k] = ((sensors[s - 1] ?? 0) - (spec.normalisation.mean[k] ?? 0)) / (spec.normalisation.std[k] ?? 1);
  });
  return out;
}

/**
 * Features of the window of normalised readings ending at `end` (inclusive): per sensor the last value,
 * mean, least-squares slope, exponentially smoothed value, min and max.
 */
export function windowFeatures(spec: FeatureSpec, readings: readonly Float64Array[], end: number): Float64Array {
  const w = spec.window;
  const nS = spec.sensors.length;
  const out = new Float64Array(featureCount(spec));
  const xMean = (w - 1) / 2;
  const sxx = (w * (w * w - 1)) / 12;
  for (let k = 0; k < nS; k++) {
    let sum = 0;
    let sxy = 0;
    let ewm = 0;
    let lo = Infinity;
    let hi = -Infinity;
    for (let j = 0; j < w; j++) {
      const idx = Math.max(0, end - w + 1 + j);
      const v = (readings[idx] as Float64Array)[k] as number;
      sum += v;
      sxy += (j - xMean) * v;
      ewm = j === 0 ? v : spec.ewmAlpha * v + (1 - spec.ewmAlpha) * ewm;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    const base = k * FEATURES_PER_SENSOR.length;
    out[base] = (readings[end] as Float64Array)[k] as number;
    out[base + 1] = sum / w;
    out[base + 2] = w > 1 ? (sxy / sxx) * w : 0;
    out[base + 3] = ewm;
    out[base + 4] = lo;
    out[base + 5] = hi;
  }
  return out;
}

/** A supervised data set: one row of features per window and its capped RUL. */
export interface WindowDataset {
  x: Float64Array[];
  y: number[];
  unit: number[];
}

/**
 * Windows of run-to-failure training units: every cycle from `minHistory − 1` on (windows reaching before
 * the first cycle are padded) with target min(cap, cycles left).
 */
export function trainingWindows(spec: FeatureSpec, units: readonly CmapssUnit[]): WindowDataset {
  const ds: WindowDataset = { x: [], y: [], unit: [] };
  for (const u of units) {
    const readings = u.rows.map((r) => normaliseReading(spec, r.sensors));
    const n = readings.length;
    for (let end = Math.min(spec.minHistory - 1, n - 1); end < n; end++) {
      ds.x.push(windowFeatures(spec, readings, end));
      ds.y.push(Math.min(spec.cap, n - 1 - end));
      ds.unit.push(u.unit);
    }
  }
  return ds;
}

/** Features of the last window of each unit (the usual test-set evaluation). */
export function lastWindows(spec: FeatureSpec, units: readonly CmapssUnit[]): Float64Array[] {
  return units.map((u) => {
    const readings = u.rows.map((r) => normaliseReading(spec, r.sensors));
    return windowFeatures(spec, readings, readings.length - 1);
  });
}
