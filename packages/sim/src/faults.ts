import { z } from 'zod';
import { hoursBetween } from './signals.js';
import type { SimPoint } from './registers.js';

/** The faults a simulated machine can be given. */
export const faultKinds = ['bearing-wear', 'imbalance', 'misalignment', 'overheating', 'sensor-drift', 'stuck-value', 'comm-loss'] as const;
/** The faults of a rotating shaft: only machines with one (CNC spindles, compressor motors) can have them. */
export const shaftFaultKinds: readonly FaultKind[] = ['bearing-wear', 'imbalance', 'misalignment'];
/** A kind of fault. */
export type FaultKind = (typeof faultKinds)[number];

/**
 * A fault to inject, as the API and CLI accept it. `point` names the point for `sensor-drift` and
 * `stuck-value` (default: the machine's main temperature or pressure); `severity` 0–1, default 1; `ageHours`
 * backdates a growing fault (a bearing worn for half an hour shows at once instead of after half an hour).
 */
export const faultSpecSchema = z
  .object({
    kind: z.enum(faultKinds),
    point: z.string().min(1).max(64).optional(),
    severity: z.number().min(0).max(1).default(1),
    /** A fault that has been developing this long already (bearing-wear, sensor-drift grow with time): hours, default 0. */
    ageHours: z.number().min(0).max(12).default(0),
  })
  .strict();
/** A fault to inject, as written. */
export type FaultSpecInput = z.input<typeof faultSpecSchema>;

/** A fault in effect on one machine. */
export interface ActiveFault {
  device: string;
  kind: FaultKind;
  /** The affected point, for `sensor-drift` and `stuck-value`. */
  point?: string;
  severity: number;
  /** Simulation time (epoch ms) when it was injected. */
  since: number;
}

/** What the physical model of a machine needs to know about its faults at one instant. */
export interface FaultEffects {
  /** Multiplies the rotating parts' vibration: 1 for a healthy bearing. */
  vibrationFactor: number;
  /** Heat the machine cannot get rid of, in °C added to its temperature targets. */
  extraHeatC: number;
}

/** Wear is modelled over half a simulated day; after that the bearing is as bad as it gets. */
const maxWearHours = 12;

/** The physical effects of a machine's faults at simulation time `now`. */
export function faultEffects(faults: ReadonlyMap<FaultKind, ActiveFault>, now: number): FaultEffects {
  const wear = faults.get('bearing-wear');
  const heat = faults.get('overheating');
  // An unbalanced or misaligned shaft vibrates more from the start: 1× (2×) grows with the fault, not with time.
  const shaft = (faults.get('imbalance')?.severity ?? 0) * 1.0 + (faults.get('misalignment')?.severity ?? 0) * 0.8;
  const wearHours = wear ? Math.min(maxWearHours, Math.max(0, hoursBetween(wear.since, now))) : 0;
  return {
    // A defect bearing's vibration grows steadily with running hours: +150 % per hour at severity 1.
    vibrationFactor: 1 + (wear?.severity ?? 0) * 1.5 * wearHours + shaft,
    // A failed cooler: 60 K more at severity 1 is well past every alarm limit.
    extraHeatC: (heat?.severity ?? 0) * 60,
  };
}

/**
 * What a drifting sensor reports: the true value plus an offset growing by 5 % of the point's range
 * per simulated hour at severity 1, the slow creep of an ageing transmitter.
 */
export function driftedValue(fault: ActiveFault, p: SimPoint, value: number, now: number): number {
  const span = (p.max ?? 100) - (p.min ?? 0);
  return value + fault.severity * 0.05 * span * Math.max(0, hoursBetween(fault.since, now));
}
