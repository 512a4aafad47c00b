import { z } from 'zod';

const isoDate = z.string().describe('ISO 8601 timestamp');

/**
 * Spot inspection (定位点检, issue 6 item 9): standards per device profile, routes of devices, plans that
 * issue inspection rounds (tasks) on a schedule, and the records of each device's check-in and results.
 */

/** What kind of check an item is: a look (normal/abnormal), a measured value with a normal range, or OK/NOK. */
export const inspectionItemKinds = ['visual', 'measured', 'ok_nok'] as const;
export type InspectionItemKind = (typeof inspectionItemKinds)[number];

/** One check item of an inspection standard. */
export const inspectionItemSchema = z
  .object({
    /** Stable key of the item within its standard (letters, digits, `_`, `-`). */
    key: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'letters, digits, _ or -, at most 40'),
    name: z.string().min(1).max(200),
    kind: z.enum(inspectionItemKinds),
    required: z.boolean().default(true),
    instructions: z.string().max(2000).default(''),
    /** Measured items: the unit and the normal range (at least one bound). */
    unit: z.string().max(20).optional(),
    min: z.number().finite().optional(),
    max: z.number().finite().optional(),
  })
  .strict();
export type InspectionItem = z.infer<typeof inspectionItemSchema>;

/** Body of `POST /api/v1/inspection/standards` and `PUT …/{id}`: one standard per device profile. */
export const inspectionStandardInputSchema = z
  .object({
    profileId: z.string().min(1).max(64),
    name: z.string().min(1).max(200),
    items: z.array(inspectionItemSchema).min(1).max(100),
  })
  .strict();
export type InspectionStandardInput = z.input<typeof inspectionStandardInputSchema>;

/** An inspection standard as the API shows it. */
export const inspectionStandardSchema = z.object({
  id: z.string(),
  tenantId: z.string().nullable(),
  profileId: z.string(),
  name: z.string(),
  items: z.array(inspectionItemSchema),
  createdBy: z.string().nullable(),
  createdAt: isoDate,
  updatedAt: isoDate,
});
export type InspectionStandard = z.infer<typeof inspectionStandardSchema>;

/** Body of `POST /api/v1/inspection/routes`: the devices in the order they are walked. */
export const inspectionRouteInputSchema = z
  .object({
    name: z.string().min(1).max(200),
    devices: z.array(z.string().min(1).max(128)).min(1).max(200),
  })
  .strict();
export type InspectionRouteInput = z.infer<typeof inspectionRouteInputSchema>;

/** An inspection route as the API shows it. */
export const inspectionRouteSchema = z.object({
  id: z.string(),
  tenantId: z.string().nullable(),
  name: z.string(),
  devices: z.array(z.string()),
  createdBy: z.string().nullable(),
  createdAt: isoDate,
  updatedAt: isoDate,
});
export type InspectionRoute = z.infer<typeof inspectionRouteSchema>;

/**
 * When a plan's rounds start: every N hours or days from `startAt`, or daily at given times of day in
 * Asia/Shanghai (UTC+8, no daylight saving).
 */
export const inspectionScheduleSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('interval'), every: z.number().int().min(1).max(1000), unit: z.enum(['hours', 'days']), startAt: isoDate }).strict(),
  z
    .object({
      kind: z.literal('daily'),
      times: z
        .array(z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM, 00:00–23:59'))
        .min(1)
        .max(24),
    })
    .strict(),
]);
export type InspectionSchedule = z.infer<typeof inspectionScheduleSchema>;

/** The default check-in radius around a device (or its site): 100 m. */
export const defaultCheckInRadiusMeters = 100;

/** Body of `POST /api/v1/inspection/plans`. */
export const inspectionPlanInputSchema = z
  .object({
    name: z.string().min(1).max(200),
    routeId: z.string().min(1).max(64),
    schedule: inspectionScheduleSchema,
    /** User names of who walks the rounds. */
    assignees: z.array(z.string().min(1).max(128)).min(1).max(50),
    /** Minutes from a round's start until it is due; after that it is overdue. */
    windowMinutes: z.number().int().min(5).max(10_080),
    /** Minutes after the due time the round may still be done (late); then it is missed. */
    graceMinutes: z.number().int().min(0).max(10_080).default(60),
    radiusMeters: z.number().min(10).max(5000).default(defaultCheckInRadiusMeters),
    /** Allow a check-in when the phone cannot tell its position (recorded as `unavailable`). Default false. */
    allowWithoutPosition: z.boolean().default(false),
    enabled: z.boolean().default(true),
  })
  .strict();
export type InspectionPlanInput = z.input<typeof inspectionPlanInputSchema>;

/** An inspection plan as the API shows it. */
export const inspectionPlanSchema = z.object({
  id: z.string(),
  tenantId: z.string().nullable(),
  name: z.string(),
  routeId: z.string(),
  schedule: inspectionScheduleSchema,
  assignees: z.array(z.string()),
  windowMinutes: z.number(),
  graceMinutes: z.number(),
  radiusMeters: z.number(),
  allowWithoutPosition: z.boolean(),
  enabled: z.boolean(),
  /** When the next round starts (null: disabled). */
  nextAt: isoDate.nullable(),
  createdBy: z.string().nullable(),
  createdAt: isoDate,
  updatedAt: isoDate,
});
export type InspectionPlan = z.infer<typeof inspectionPlanSchema>;

/**
 * A round's status: open (started, not yet due), overdue (past its window, not done, still allowed),
 * missed (grace over, not done: it can no longer be done), done (every device inspected).
 */
export const inspectionTaskStatuses = ['open', 'overdue', 'missed', 'done'] as const;
export type InspectionTaskStatus = (typeof inspectionTaskStatuses)[number];

/** One device of a round and whether it has been inspected. */
export const inspectionTaskDeviceSchema = z.object({
  device: z.string(),
  name: z.string(),
  /** The submitted record, once inspected. */
  record: z.string().nullable(),
  abnormal: z.boolean().nullable(),
  workOrder: z.string().nullable(),
});
export type InspectionTaskDevice = z.infer<typeof inspectionTaskDeviceSchema>;

/** An inspection round (task) as the API shows it. */
export const inspectionTaskSchema = z.object({
  id: z.string(),
  tenantId: z.string().nullable(),
  planId: z.string(),
  planName: z.string(),
  routeName: z.string(),
  assignees: z.array(z.string()),
  startsAt: isoDate,
  dueAt: isoDate,
  closesAt: isoDate,
  status: z.enum(inspectionTaskStatuses),
  completedAt: isoDate.nullable(),
  devices: z.array(inspectionTaskDeviceSchema),
});
export type InspectionTask = z.infer<typeof inspectionTaskSchema>;

/** The phone's position when checking in (WGS 84), or null when it could not tell. */
export const inspectionPositionSchema = z.object({ lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180), accuracy: z.number().min(0).max(100_000).optional() }).strict();

/** Body of `POST /api/v1/inspection/tasks/{id}/check-in`. */
export const inspectionCheckInInputSchema = z
  .object({
    device: z.string().min(1).max(128),
    /** What the QR code said (the identifier's page URL or the identifier), or what was typed from the label. */
    scanned: z.string().min(1).max(500),
    position: inspectionPositionSchema.nullable(),
    /** Why there is no position (the browser's geolocation error), recorded with the check-in. */
    positionError: z.string().max(200).optional(),
  })
  .strict();
export type InspectionCheckInInput = z.infer<typeof inspectionCheckInInputSchema>;

/** How the check-in position was judged: within the radius, unknown (allowed by the plan), or no reference location. */
export const inspectionPositionChecks = ['verified', 'unavailable', 'no_reference'] as const;
export type InspectionPositionCheck = (typeof inspectionPositionChecks)[number];

/** One item's result, as sent. */
export const inspectionResultInputSchema = z
  .object({
    key: z.string().min(1).max(40),
    /** Visual and OK/NOK items: true = normal/OK. */
    ok: z.boolean().optional(),
    /** Measured items. */
    value: z.number().finite().optional(),
    note: z.string().max(1000).optional(),
  })
  .strict();
export type InspectionResultInput = z.infer<typeof inspectionResultInputSchema>;

/** Body of `POST /api/v1/inspection/records/{id}/submit`. */
export const inspectionSubmitInputSchema = z.object({ results: z.array(inspectionResultInputSchema).max(100), note: z.string().max(2000).optional() }).strict();
export type InspectionSubmitInput = z.infer<typeof inspectionSubmitInputSchema>;

/** One item's result, as recorded: with the item's definition and whether it is abnormal. */
export const inspectionResultSchema = z.object({
  key: z.string(),
  name: z.string(),
  kind: z.enum(inspectionItemKinds),
  ok: z.boolean().nullable(),
  value: z.number().nullable(),
  unit: z.string().nullable(),
  min: z.number().nullable(),
  max: z.number().nullable(),
  abnormal: z.boolean(),
  note: z.string(),
});
export type InspectionResult = z.infer<typeof inspectionResultSchema>;

/** An inspection record: a check-in at a device, then its results. */
export const inspectionRecordSchema = z.object({
  id: z.string(),
  tenantId: z.string().nullable(),
  task: z.string(),
  device: z.string(),
  standardId: z.string(),
  inspector: z.string(),
  status: z.enum(['checked_in', 'submitted']),
  checkedInAt: isoDate,
  submittedAt: isoDate.nullable(),
  identifier: z.string(),
  position: z.enum(inspectionPositionChecks),
  lat: z.number().nullable(),
  lon: z.number().nullable(),
  accuracy: z.number().nullable(),
  distanceMeters: z.number().nullable(),
  positionError: z.string().nullable(),
  results: z.array(inspectionResultSchema),
  note: z.string(),
  abnormal: z.boolean(),
  workOrder: z.string().nullable(),
});
export type InspectionRecord = z.infer<typeof inspectionRecordSchema>;

/** Answer of a check-in: the record and the standard to fill. */
export const inspectionCheckInSchema = z.object({ record: inspectionRecordSchema, standard: inspectionStandardSchema });
export type InspectionCheckIn = z.infer<typeof inspectionCheckInSchema>;

/**
 * Whether a result is abnormal against its item: NOK / not normal, or a measured value outside the normal
 * range (bounds included as normal). The phone page and the server use the same function.
 */
export function inspectionResultAbnormal(item: Pick<InspectionItem, 'kind' | 'min' | 'max'>, result: { ok?: boolean | null; value?: number | null }): boolean {
  if (item.kind === 'measured') {
    if (result.value === undefined || result.value === null) return false;
    return (item.min !== undefined && result.value < item.min) || (item.max !== undefined && result.value > item.max);
  }
  return result.ok === false;
}
