import { z } from 'zod';
import { dataClassSchema, pointSchema } from './points.js';

/** Lifecycle states of a device, in the order a device normally goes through them. */
export const lifecycleStates = ['planned', 'installed', 'commissioning', 'in_service', 'under_maintenance', 'retired'] as const;
/** A device's lifecycle state. */
export type LifecycleState = (typeof lifecycleStates)[number];

/**
 * Where each state may go: forward one step, between in service and maintenance both ways, and to
 * `retired` from anywhere. Retired is final (a device back from retirement is a new asset).
 */
export const lifecycleTransitions: Record<LifecycleState, readonly LifecycleState[]> = {
  planned: ['installed', 'retired'],
  installed: ['commissioning', 'retired'],
  commissioning: ['in_service', 'retired'],
  in_service: ['under_maintenance', 'retired'],
  under_maintenance: ['in_service', 'retired'],
  retired: [],
};

/** True when a device in `from` may move to `to`. */
export const canTransition = (from: LifecycleState, to: LifecycleState): boolean => lifecycleTransitions[from].includes(to);

/** Kinds of node in an enterprise's asset tree: a site holds workshops, a workshop holds lines. */
export const assetNodeKinds = ['site', 'workshop', 'line'] as const;
/** A kind of asset node. */
export type AssetNodeKind = (typeof assetNodeKinds)[number];

const isoDate = z.string().describe('ISO 8601 timestamp');
const code = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'letters, digits, _ . - (1–64)');
const lat = z.number().min(-90).max(90);
const lon = z.number().min(-180).max(180);
/** A position on a site's floor plan: fractions of its width (x, from the left) and height (y, from the top). */
const fraction = z.number().min(0).max(1);

/** A site's floor plan: none yet, an uploaded image, or a grid of rows × columns. */
export const floorPlanSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }),
  z.object({ kind: z.literal('grid'), rows: z.number().int(), cols: z.number().int() }),
  z.object({ kind: z.literal('image'), contentType: z.string(), size: z.number().int(), url: z.string().describe('GET it with the bearer token') }),
]);
/** A floor plan as the API shows it. */
export type FloorPlanDto = z.infer<typeof floorPlanSchema>;

/** `PUT /api/v1/assets/nodes/{id}/plan` with a JSON body: a grid plan (images are sent as the raw body). */
export const gridPlanSchema = z.object({ grid: z.object({ rows: z.number().int().min(1).max(1000), cols: z.number().int().min(1).max(1000) }).strict() }).strict();

/** A site, workshop or line. */
export const assetNodeSchema = z.object({
  id: z.string(),
  tenantId: z.string(),
  parentId: z.string().nullable(),
  kind: z.enum(assetNodeKinds),
  code: z.string(),
  name: z.string(),
  description: z.string(),
  lat: z.number().nullable(),
  lon: z.number().nullable(),
  plan: floorPlanSchema,
  createdAt: isoDate,
  updatedAt: isoDate,
});
/** An asset node as the API shows it. */
export type AssetNodeDto = z.infer<typeof assetNodeSchema>;

/** `POST /api/v1/assets/nodes`: a site (no parent), a workshop under a site, or a line under a workshop. */
export const createAssetNodeSchema = z
  .object({
    kind: z.enum(assetNodeKinds),
    parentId: z.string().min(1).max(64).optional(),
    code,
    name: z.string().min(1).max(200),
    description: z.string().max(2000).optional(),
    lat: lat.optional(),
    lon: lon.optional(),
    /** Platform admins name the enterprise of a site; enterprise users' sites are their own. */
    tenantId: z.string().min(1).max(64).optional(),
  })
  .strict();
/** Body of POST /api/v1/assets/nodes. */
export type CreateAssetNode = z.infer<typeof createAssetNodeSchema>;

/** `PATCH /api/v1/assets/nodes/{id}`. */
export const updateAssetNodeSchema = z
  .object({ name: z.string().min(1).max(200), description: z.string().max(2000), lat: lat.nullable(), lon: lon.nullable() })
  .partial()
  .strict();
/** Body of PATCH /api/v1/assets/nodes/{id}. */
export type UpdateAssetNode = z.infer<typeof updateAssetNodeSchema>;

/** A device's asset record: where it is, what it is, its lifecycle state and its stable identifier. */
export const deviceAssetSchema = z.object({
  device: z.string(),
  /** Stable identifier: never changes when the device is renamed, moved or reconfigured. */
  uid: z.string(),
  /** The identifier printed on its label (for now `urn:uuid:<uid>`). */
  identifier: z.string(),
  tenantId: z.string().nullable(),
  name: z.string(),
  siteId: z.string().nullable(),
  areaId: z.string().nullable(),
  x: z.number().nullable(),
  y: z.number().nullable(),
  lat: z.number().nullable(),
  lon: z.number().nullable(),
  lifecycle: z.enum(lifecycleStates),
  lifecycleSince: isoDate,
  profileId: z.string().nullable(),
  serial: z.string(),
  model: z.string(),
  manufacturer: z.string(),
  createdAt: isoDate,
  updatedAt: isoDate,
});
/** A device asset as the API shows it. */
export type DeviceAssetDto = z.infer<typeof deviceAssetSchema>;

/**
 * `PUT /api/v1/devices/{id}/asset`: placement and nameplate. Fields left out keep their value; `null`
 * clears one. `lifecycle` sets the state of a record created by this call only (later: POST …/lifecycle).
 */
export const putDeviceAssetSchema = z
  .object({
    name: z.string().max(200),
    siteId: z.string().min(1).max(64).nullable(),
    areaId: z.string().min(1).max(64).nullable(),
    x: fraction.nullable(),
    y: fraction.nullable(),
    lat: lat.nullable(),
    lon: lon.nullable(),
    profileId: z.string().min(1).max(64).nullable(),
    serial: z.string().max(128),
    model: z.string().max(128),
    manufacturer: z.string().max(128),
    lifecycle: z.enum(lifecycleStates),
    /** Platform admins name the enterprise of a device that is not yet known anywhere. */
    tenantId: z.string().min(1).max(64),
  })
  .partial()
  .strict();
/** Body of PUT /api/v1/devices/{id}/asset. */
export type PutDeviceAsset = z.infer<typeof putDeviceAssetSchema>;

/** `GET /api/v1/assets/tree`: sites with their workshops and lines, and the devices placed in each. */
export type AssetTreeNodeDto = AssetNodeDto & { devices: string[]; children: AssetTreeNodeDto[] };
export const assetTreeNodeSchema: z.ZodType<AssetTreeNodeDto> = z.lazy(() =>
  assetNodeSchema.extend({ devices: z.array(z.string()), children: z.array(assetTreeNodeSchema) }),
);

/** `POST /api/v1/devices/{id}/lifecycle`. */
export const lifecycleChangeSchema = z.object({ to: z.enum(lifecycleStates), reason: z.string().min(1).max(1000) }).strict();
/** Body of POST /api/v1/devices/{id}/lifecycle. */
export type LifecycleChange = z.infer<typeof lifecycleChangeSchema>;

/** One entry of a device's history: a lifecycle transition now; maintenance work orders later. */
export const deviceHistoryEntrySchema = z.object({
  id: z.string(),
  device: z.string(),
  ts: isoDate,
  /** `created` (the asset record), `lifecycle`, and later `work_order` … */
  kind: z.string(),
  actor: z.string().nullable(),
  from: z.string().nullable(),
  to: z.string().nullable(),
  reason: z.string(),
  details: z.record(z.string(), z.unknown()),
});
/** A history entry as the API shows it. */
export type DeviceHistoryEntryDto = z.infer<typeof deviceHistoryEntrySchema>;

/** What a document is, for filtering and icons. */
export const documentCategories = ['manual', 'certificate', 'drawing', 'report', 'other'] as const;

/** A document attached to a device (the bytes are at `url`). */
export const deviceDocumentSchema = z.object({
  id: z.string(),
  device: z.string(),
  name: z.string(),
  category: z.enum(documentCategories),
  contentType: z.string(),
  size: z.number().int(),
  sha256: z.string(),
  createdBy: z.string().nullable(),
  createdAt: isoDate,
  url: z.string(),
});
/** A device document as the API shows it. */
export type DeviceDocumentDto = z.infer<typeof deviceDocumentSchema>;

/** `POST /api/v1/devices/{id}/documents?name=&category=`: the raw bytes are the body. */
export const documentUploadQuerySchema = z
  .object({ name: z.string().min(1).max(200), category: z.enum(documentCategories).default('other') })
  .strict();

/** Protocols a profile can create devices for; `mqtt` devices arrive by themselves, so only their asset record is made. */
export const profileProtocols = ['modbus-tcp', 'opcua', 'mqtt'] as const;

/** Connection defaults a profile gives every device created from it. */
export const profileDefaultsSchema = z
  .object({
    port: z.number().int().min(1).max(65535),
    unitId: z.number().int().min(0).max(255),
    pollIntervalMs: z.number().int().min(100).max(86_400_000),
    timeoutMs: z.number().int().min(50).max(120_000),
    publishingIntervalMs: z.number().int().min(50).max(3_600_000),
    samplingIntervalMs: z.number().int().min(0).max(3_600_000),
  })
  .partial()
  .strict();

/** `POST /api/v1/profiles` and `PUT /api/v1/profiles/{id}`. */
export const putProfileSchema = z
  .object({
    name: z.string().min(1).max(200),
    description: z.string().max(2000).default(''),
    protocol: z.enum(profileProtocols),
    manufacturer: z.string().max(128).default(''),
    model: z.string().max(128).default(''),
    defaults: profileDefaultsSchema.default({}),
    points: z.array(pointSchema).max(10_000).default([]),
    /** The data class of points that set none. */
    dataClass: dataClassSchema.optional(),
    /** Platform admins name the enterprise; enterprise users' profiles are their own. */
    tenantId: z.string().min(1).max(64).optional(),
  })
  .strict()
  .superRefine((p, ctx) => {
    const seen = new Set<string>();
    p.points.forEach((pt, i) => {
      if (seen.has(pt.key)) ctx.addIssue({ code: 'custom', path: ['points', i, 'key'], message: `duplicate point key ${pt.key}` });
      seen.add(pt.key);
    });
  });
/** Body of POST/PUT profiles, as written. */
export type PutProfileInput = z.input<typeof putProfileSchema>;
/** Body of POST/PUT profiles, parsed. */
export type PutProfile = z.output<typeof putProfileSchema>;

/** A device profile as the API shows it. */
export const profileSchema = z.object({
  id: z.string(),
  tenantId: z.string().nullable(),
  name: z.string(),
  description: z.string(),
  protocol: z.enum(profileProtocols),
  manufacturer: z.string(),
  model: z.string(),
  defaults: profileDefaultsSchema,
  points: z.array(pointSchema),
  dataClass: dataClassSchema.nullable(),
  createdAt: isoDate,
  updatedAt: isoDate,
});
/** A profile as the API shows it. */
export type ProfileDto = z.infer<typeof profileSchema>;

/** How an import treats bad rows: import nothing (default), or import the valid rows and report the rest. */
export const importModes = ['all-or-nothing', 'valid-rows'] as const;
/** An import mode. */
export type ImportMode = (typeof importModes)[number];

/** The columns a device CSV may have (`id` is required; the rest depend on the profile's protocol). */
export const importColumns = ['id', 'name', 'gateway', 'host', 'port', 'unitId', 'endpoint', 'site', 'area', 'x', 'y', 'lat', 'lon', 'serial', 'model', 'manufacturer', 'state'] as const;
/** A CSV column. */
export type ImportColumn = (typeof importColumns)[number];

/** `POST /api/v1/profiles/{id}/import` with a JSON body (a `text/csv` body takes `?mode=`). */
export const importRequestSchema = z.object({ csv: z.string().min(1), mode: z.enum(importModes).default('all-or-nothing') }).strict();

/** One problem of one row: `row` is the line of the file (the header is line 1). */
export const importRowErrorSchema = z.object({ row: z.number().int(), column: z.string().nullable(), code: z.string(), message: z.string() });
/** A row problem. */
export type ImportRowError = z.infer<typeof importRowErrorSchema>;

/** The answer of an import: how many devices it created and every bad row. */
export const importReportSchema = z.object({ imported: z.number().int(), skipped: z.number().int(), errors: z.array(importRowErrorSchema), durationMs: z.number() });
/** An import report. */
export type ImportReport = z.infer<typeof importReportSchema>;

const stateCounts = z.record(z.string(), z.number().int()).describe('lifecycle state (or `untracked`: no asset record) → devices');
/** Counts of one group of devices: never their values or names. */
export const assetCountsSchema = z.object({ devices: z.number().int(), online: z.number().int(), offline: z.number().int(), unknown: z.number().int(), lifecycle: stateCounts });
/** Device counts. */
export type AssetCountsDto = z.infer<typeof assetCountsSchema>;

/** `GET /api/v1/assets/summary`: counts per enterprise and site (site `null`: unplaced devices). */
export const assetSummarySchema = z.object({
  totals: assetCountsSchema,
  enterprises: z.array(
    assetCountsSchema.extend({
      tenantId: z.string().nullable(),
      name: z.string(),
      code: z.string(),
      sites: z.array(assetCountsSchema.extend({ siteId: z.string().nullable(), name: z.string() })),
    }),
  ),
});
/** The summary as the API shows it. */
export type AssetSummaryDto = z.infer<typeof assetSummarySchema>;
