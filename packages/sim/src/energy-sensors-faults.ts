import { YulianError } from '@yulian/core';
import type { EnergySensorDevice, EnergySensorMetric } from './energy-sensors-devices.js';
import { type ActiveFault, type FaultKind, driftedValue, faultSpecSchema, type FaultSpecInput } from './faults.js';
import type { SimPoint } from './registers.js';

/** The faults a sensor can be given: meters have no bearings and nothing to overheat. */
export const energySensorFaultKinds: readonly FaultKind[] = ['sensor-drift', 'stuck-value', 'comm-loss'];

/**
 * Checks a fault against what a sensor can suffer: sensor-drift and stuck-value of one measured metric
 * (default the device's `defaultFaultPoint`), comm-loss (no point).
 * @throws YulianError VALIDATION_FAILED naming what to pass instead
 */
export function energySensorFault(device: EnergySensorDevice, input: FaultSpecInput, now: number): ActiveFault {
  const parsed = faultSpecSchema.safeParse(input);
  if (!parsed.success) throw new YulianError('VALIDATION_FAILED', `Fault for ${device.id}: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'fault'}: ${i.message}`).join('; ')}.`);
  const { kind, severity } = parsed.data;
  if (!energySensorFaultKinds.includes(kind)) throw new YulianError('VALIDATION_FAILED', `${device.id} is a sensor and cannot suffer ${kind}; give it ${energySensorFaultKinds.join(', ')}.`);
  if (kind === 'comm-loss') {
    if (parsed.data.point !== undefined) throw new YulianError('VALIDATION_FAILED', 'A comm-loss fault takes no point.');
    return { device: device.id, kind, severity, since: now };
  }
  const point = parsed.data.point ?? device.defaultFaultPoint;
  const measured = device.metrics.filter((m) => !m.writable).map((m) => m.name);
  if (!measured.includes(point)) throw new YulianError('VALIDATION_FAILED', `${device.id} has no measured metric ${point}; pass one of ${measured.join(', ')}.`);
  return { device: device.id, kind, severity, since: now - parsed.data.ageHours * 3_600_000, point };
}

/**
 * What a sensor shows for one metric: the last shown value while it is stuck, the reading plus the
 * drift's offset while it drifts; within the metric's range either way, as a transmitter saturates.
 */
export function faultedReading(m: EnergySensorMetric, reading: number, shown: number | undefined, faults: ReadonlyMap<FaultKind, ActiveFault> | undefined, now: number): number {
  if (faults?.get('stuck-value')?.point === m.name && shown !== undefined) return shown;
  const drift = faults?.get('sensor-drift');
  // driftedValue reads only the range (min and max), which every sensor metric has.
  const v = drift?.point === m.name ? driftedValue(drift, m as unknown as SimPoint, reading, now) : reading;
  return Math.min(m.max, Math.max(m.min, v));
}
