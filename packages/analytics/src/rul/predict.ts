import { YulianError } from '@yulian/core';
import { normaliseReading, windowFeatures } from './features.js';
import { type RulModel, predictFeatures } from './model.js';

/** One cycle's readings: sensors 1–21 at index 0–20, or a C-MAPSS row. */
export type SensorReading = readonly number[] | { readonly sensors: readonly number[] };

/**
 * Remaining useful life (in cycles, capped at the model's cap) of one device from its most recent
 * readings, oldest first. Give the model's window (`model.spec.window`, 40 by default) or more; shorter
 * histories are padded with the oldest reading, and below `model.spec.minHistory` the model never saw one.
 * @example const rul = predict(model, lastThirtyCycles)
 */
export function predict(model: RulModel, recentCycles: readonly SensorReading[]): number {
  if (recentCycles.length === 0) throw new YulianError('VALIDATION_FAILED', 'predict needs at least one reading.');
  const readings = recentCycles.slice(-model.spec.window).map((c, i) => {
    const sensors = 'sensors' in c ? c.sensors : c;
    for (const s of model.spec.sensors) {
      const v = sensors[s - 1];
      if (typeof v !== 'number' || !Number.isFinite(v))
        throw new YulianError('VALIDATION_FAILED', `Reading ${i + 1} of the last ${model.spec.window} has no finite value for sensor ${s}.`, { details: { reading: i, sensor: s } });
    }
    return normaliseReading(model.spec, sensors);
  });
  return predictFeatures(model, windowFeatures(model.spec, readings, readings.length - 1));
}
