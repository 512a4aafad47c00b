import { z } from 'zod';

/** Aggregates a bucketed series can report as `value`. */
export const telemetryAggregates = ['avg', 'min', 'max', 'first', 'last', 'count', 'sum'] as const;

const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** A time: epoch milliseconds or an ISO 8601 string. */
export const timeSchema = z.union([z.number(), z.string()]).transform((v, ctx) => {
  const n = typeof v === 'number' ? v : /^-?\d+$/.test(v) ? Number(v) : Date.parse(v);
  if (!Number.isFinite(n)) {
    ctx.addIssue({ code: 'custom', message: `${JSON.stringify(v)} is neither epoch milliseconds nor an ISO 8601 time` });
    return z.NEVER;
  }
  return n;
});

/** A duration: milliseconds, or a number with a unit (`500ms`, `30s`, `5m`, `1h`, `1d`). */
export const durationSchema = z.union([z.number(), z.string()]).transform((v, ctx) => {
  const m = typeof v === 'number' ? null : /^(\d+)(ms|s|m|h|d)?$/.exec(v.trim());
  const n = typeof v === 'number' ? v : m ? Number(m[1]) * units[m[2] ?? 'ms']! : NaN;
  if (!Number.isInteger(n) || n < 1) {
    ctx.addIssue({ code: 'custom', message: `${JSON.stringify(v)} is not a duration such as 60000, 30s, 5m, 1h or 1d` });
    return z.NEVER;
  }
  return n;
});

/** Query string of `GET /api/v1/devices/{id}/telemetry`. */
export const telemetryQuerySchema = z
  .object({
    /** Point names, repeated (`point=a&point=b`) or comma-separated; all points when absent. */
    point: z.union([z.string(), z.array(z.string())]).optional(),
    /** Default: 1 hour before `to`. */
    from: timeSchema.optional(),
    /** Default: now. */
    to: timeSchema.optional(),
    maxPoints: z.coerce.number().int().min(1).max(10_000).default(1000),
    /** Bucket width; by default the smallest that keeps each series within maxPoints. */
    interval: durationSchema.optional(),
    agg: z.enum(telemetryAggregates).optional(),
  })
  .strict();

/** One point of a series: a raw sample (with quality), or a bucket (with min, max, count). */
export const seriesPointSchema = z.object({
  ts: z.number().describe('Sample time, or bucket start (epoch ms)'),
  value: z.union([z.number(), z.string(), z.null()]).describe('The sample value, or the bucket aggregate (avg unless agg says otherwise)'),
  quality: z.string().optional(),
  min: z.number().optional(),
  max: z.number().optional(),
  count: z.number().optional(),
});

/** One series of a telemetry answer. */
export const seriesResultSchema = z.object({
  point: z.string(),
  tier: z.enum(['raw', '1m', '1h']).describe('The tier the buckets were read from (the recent, still-settling minutes come from raw samples)'),
  intervalMs: z.number().nullable().describe('Bucket width; null for raw samples'),
  points: z.array(seriesPointSchema),
});

/** Answer of the telemetry queries. */
export const telemetryAnswerSchema = z.object({
  device: z.string(),
  from: z.number(),
  to: z.number(),
  series: z.array(seriesResultSchema),
});
/** A telemetry answer. */
export type TelemetryAnswerDto = z.infer<typeof telemetryAnswerSchema>;

/** Body of `POST /api/v1/telemetry/query`: series of several devices in one call (dashboards). */
export const multiTelemetryQuerySchema = z
  .object({
    series: z.array(z.object({ device: z.string().min(1).max(128), point: z.string().min(1).max(64) }).strict()).min(1).max(100),
    from: timeSchema,
    to: timeSchema,
    maxPoints: z.number().int().min(1).max(10_000).default(1000),
    interval: durationSchema.optional(),
    agg: z.enum(telemetryAggregates).optional(),
  })
  .strict();

/** Query string of `GET /api/v1/devices/{id}/telemetry.csv`. */
export const telemetryExportQuerySchema = z
  .object({
    point: z.union([z.string(), z.array(z.string())]).optional(),
    from: timeSchema,
    to: timeSchema,
    tier: z.enum(['raw', '1m', '1h']).default('raw'),
  })
  .strict();
