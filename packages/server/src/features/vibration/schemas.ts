import { errorBodySchema } from '@yulian/contracts';
import { burstLimits, burstUnits } from '@yulian/devices';
import { z } from 'zod';

/** A number that JSON may carry as null (a margin of −∞ dB: nothing found there). */
const num = z.number().nullable();

export const deviceParams = z.object({ id: z.string().min(1).max(128) });

/** `POST …/vibration/bursts` with a JSON body. */
export const burstJsonSchema = z
  .object({
    samples: z.array(z.number()).min(burstLimits.minSamples).max(burstLimits.maxSamples).describe('accelerations, in `unit`'),
    sampleRate: z.number().describe('Hz'),
    shaftRpm: z.number().describe('shaft speed during the burst, rpm'),
    unit: z.enum(burstUnits).default('g'),
    point: z.string().min(1).max(64).default('accel').describe('the measuring point (sensor)'),
    ts: z.number().int().optional().describe('epoch ms; default now'),
  })
  .strict();

/** `POST …/vibration/bursts` with an `application/octet-stream` body (Float32 little-endian): the rest in the query. */
export const burstQuerySchema = z
  .object({
    sampleRate: z.coerce.number().optional(),
    shaftRpm: z.coerce.number().optional(),
    unit: z.enum(burstUnits).optional(),
    point: z.string().min(1).max(64).optional(),
    ts: z.coerce.number().int().optional(),
  })
  .strict();

export const burstInfoSchema = z.object({
  id: z.string(),
  tenantId: z.string().nullable(),
  device: z.string(),
  point: z.string(),
  ts: z.string(),
  sampleRate: z.number(),
  shaftRpm: z.number(),
  unit: z.enum(burstUnits),
  sampleCount: z.number(),
  source: z.enum(['sim', 'api']),
  createdAt: z.string(),
});

export const bearingSchema = z
  .object({
    name: z.string().max(64).optional(),
    rollingElements: z.number().int(),
    ballDiameterMm: z.number(),
    pitchDiameterMm: z.number(),
    contactAngleDeg: z.number(),
  })
  .strict();

export const settingsInputSchema = z
  .object({
    bearing: bearingSchema.nullable().describe('the bearing next to the sensor; null: look for shaft faults only'),
    isoZonesMmPerS: z.tuple([z.number(), z.number(), z.number()]).nullable().optional().describe('ISO 10816 zone limits A/B, B/C, C/D in mm/s RMS; default group 2 rigid [1.4, 2.8, 4.5]'),
  })
  .strict();

export const settingsSchema = z.object({
  device: z.string(),
  bearing: bearingSchema.nullable(),
  isoZonesMmPerS: z.tuple([z.number(), z.number(), z.number()]).nullable(),
  updatedBy: z.string().nullable(),
  updatedAt: z.string().nullable(),
});

const displaySpectrum = z.object({ frequencyHz: z.array(z.number()), amplitude: z.array(z.number()), binWidthHz: z.number(), sourceBins: z.number() });
const markSchema = z.object({
  label: z.string(),
  family: z.enum(['shaft', 'bpfo', 'bpfi', 'bsf', 'ftf', 'bpfi-sideband']),
  harmonic: z.number(),
  spectrum: z.enum(['acceleration', 'envelope']),
  expectedHz: z.number(),
  foundHz: z.number(),
  amplitude: num,
  floor: num,
  marginDb: num,
  toleranceHz: z.number(),
});
const findingSchema = z.object({
  kind: z.enum(['imbalance', 'misalignment', 'bearing-outer-race', 'bearing-inner-race', 'bearing-ball', 'bearing-cage', 'normal']),
  severity: z.enum(['info', 'warning', 'minor', 'major', 'critical']),
  summary: z.string(),
  evidence: z.record(z.string(), z.union([z.number(), z.string(), z.boolean(), z.null()])),
});

/** `GET …/vibration/diagnosis`. */
export const diagnosisSchema = z.object({
  burst: burstInfoSchema,
  report: z.object({
    unit: z.enum(burstUnits),
    sampleRate: z.number(),
    sampleCount: z.number(),
    durationS: z.number(),
    resolutionHz: z.number(),
    shaftHz: z.number(),
    features: z.object({
      mean: num,
      rms: num,
      peak: num,
      peakToPeak: num,
      crestFactor: num,
      kurtosis: num,
      skewness: num,
      velocityRmsMmPerS: num,
      isoZone: z.enum(['A', 'B', 'C', 'D']),
    }),
    isoZonesMmPerS: z.tuple([z.number(), z.number(), z.number()]),
    spectrumFloor: num,
    spectrum: displaySpectrum,
    envelope: z.object({ bandHz: z.tuple([z.number(), z.number()]), spectralKurtosis: num, spectrum: displaySpectrum }),
    bearing: z.object({ geometry: bearingSchema, frequencies: z.object({ shaftHz: z.number(), bpfoHz: z.number(), bpfiHz: z.number(), bsfHz: z.number(), ftfHz: z.number() }) }).nullable(),
    marks: z.array(markSchema),
    findings: z.array(findingSchema),
  }),
});

export const burstErrors = {
  400: errorBodySchema.describe('VIBRATION_BURST_INVALID (details.field), VALIDATION_FAILED'),
  413: errorBodySchema.describe('PAYLOAD_TOO_LARGE'),
  415: errorBodySchema.describe('UNSUPPORTED_MEDIA_TYPE: send application/json or application/octet-stream'),
} as const;
