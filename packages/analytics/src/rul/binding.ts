import { YulianError } from '@yulian/core';
import { CMAPSS_SENSORS } from './cmapss.js';
import type { RulModel } from './model.js';
import { predict } from './predict.js';

/** How a bucket of a point's values becomes one model input: its mean, maximum or minimum. */
export type RulInputAggregate = 'avg' | 'max' | 'min';

/** One model input read from a device point: model sensor number (1–21) ← aggregate of `point` per cycle. */
export interface RulInputMapping {
  sensor: number;
  point: string;
  agg: RulInputAggregate;
}

/** One bucket of a point's stored values (a cycle). */
export interface RulBucket {
  ts: number;
  avg: number;
  max: number;
  min: number;
}

const invalid = (message: string, field: string): never => {
  throw new YulianError('RUL_BINDING_INVALID', message, { details: { field } });
};

/**
 * Checks a binding's mapping against the model (every sensor the model reads is mapped, once) and, when
 * given, against the profile's numeric points.
 * @throws YulianError RUL_BINDING_INVALID naming the field
 * @example checkRulMapping(model, [{ sensor: 1, point: 'vibration_rms', agg: 'max' }], ['vibration_rms'])
 */
export function checkRulMapping(model: RulModel, mapping: readonly RulInputMapping[], points?: readonly string[]): void {
  const seen = new Set<number>();
  mapping.forEach((m, i) => {
    if (!Number.isInteger(m.sensor) || m.sensor < 1 || m.sensor > CMAPSS_SENSORS) invalid(`inputs[${i}].sensor must be a model input number 1–${CMAPSS_SENSORS}; got ${m.sensor}.`, `inputs[${i}].sensor`);
    if (seen.has(m.sensor)) invalid(`Model input ${m.sensor} is mapped twice.`, `inputs[${i}].sensor`);
    seen.add(m.sensor);
    if (points && !points.includes(m.point)) invalid(`inputs[${i}].point: the profile has no numeric point "${m.point}"; it has ${points.join(', ')}.`, `inputs[${i}].point`);
  });
  const missing = model.spec.sensors.filter((s) => !seen.has(s));
  if (missing.length) invalid(`The model reads inputs ${missing.join(', ')} that the mapping does not give; map each to a point of the profile.`, 'inputs');
}

/**
 * Turns per-point buckets (one per cycle, oldest first) into model readings: a cycle counts when every
 * mapped point has a bucket at its timestamp. Index `sensor − 1` holds the input; the rest are 0.
 */
export function readingsFromBuckets(mapping: readonly RulInputMapping[], buckets: ReadonlyMap<string, readonly RulBucket[]>): Array<{ ts: number; sensors: number[] }> {
  const byPoint = new Map([...buckets].map(([p, list]) => [p, new Map(list.map((b) => [b.ts, b]))]));
  const first = mapping[0];
  if (!first) return [];
  const stamps = [...(byPoint.get(first.point)?.keys() ?? [])].sort((a, b) => a - b);
  const out: Array<{ ts: number; sensors: number[] }> = [];
  for (const ts of stamps) {
    const sensors = new Array<number>(CMAPSS_SENSORS).fill(0);
    let complete = true;
    for (const m of mapping) {
      const b = byPoint.get(m.point)?.get(ts);
      if (!b || !Number.isFinite(b[m.agg])) {
        complete = false;
        break;
      }
      sensors[m.sensor - 1] = b[m.agg];
    }
    if (complete) out.push({ ts, sensors });
  }
  return out;
}

/**
 * Remaining useful life in cycles from a device's bucketed history, or null when it has fewer complete
 * cycles than the model's minimum history.
 * @example predictFromBuckets(model, binding.inputs, bucketsByPoint)
 */
export function predictFromBuckets(model: RulModel, mapping: readonly RulInputMapping[], buckets: ReadonlyMap<string, readonly RulBucket[]>): { rul: number; cycles: number } | null {
  const readings = readingsFromBuckets(mapping, buckets);
  if (readings.length < model.spec.minHistory) return null;
  return { rul: predict(model, readings.slice(-model.spec.window)), cycles: readings.length };
}
