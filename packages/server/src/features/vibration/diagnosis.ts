import { ISO_10816_3_GROUP2_RIGID_MM_PER_S, diagnose } from '@yulian/analytics';
import type { StoredBurst, VibrationSettings } from '@yulian/devices';
import type { z } from 'zod';
import type { diagnosisSchema } from './schemas.js';

/** The diagnosis report as the API answers it (see `diagnosisSchema`). */
export type DiagnosisAnswer = z.infer<typeof diagnosisSchema>['report'];

/** Plain JSON data: non-finite numbers (a margin of −∞ dB where nothing was found) become null. */
const asJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v)));

/**
 * Diagnoses a stored burst with the device's settings (bearing geometry, ISO zone limits); without a
 * bearing only shaft faults are looked for.
 * @throws YulianError DIAGNOSIS_INPUT_INVALID when the burst cannot resolve what the machine needs
 */
export function diagnoseBurst(burst: StoredBurst, settings: VibrationSettings | undefined): DiagnosisAnswer {
  const isoZonesMmPerS: [number, number, number] = settings?.isoZonesMmPerS ?? [...ISO_10816_3_GROUP2_RIGID_MM_PER_S];
  const report = diagnose(
    { samples: Float64Array.from(burst.samples), sampleRate: burst.sampleRate, unit: burst.unit },
    { shaftHz: burst.shaftRpm / 60, isoZoneBoundariesMmPerS: isoZonesMmPerS, ...(settings?.bearing ? { bearing: settings.bearing } : {}) },
  );
  return asJson({ ...report, bearing: report.bearing ?? null, isoZonesMmPerS }) as DiagnosisAnswer;
}
