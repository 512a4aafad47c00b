import { z } from 'zod';

/** The time ranges a time-series widget can show, newest data at the right. */
export const dashboardRanges = ['15m', '1h', '6h', '24h', '7d', '30d'] as const;
/** A widget's time range. */
export type DashboardRange = (typeof dashboardRanges)[number];

const deviceId = z.string().min(1).max(128);
const pointKey = z.string().min(1).max(64);

/** What every widget has: an id unique in its dashboard, a title, and its size in grid cells. */
const widgetBase = {
  id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, _ and - (1–64)'),
  title: z.string().max(100).default(''),
  /** Width in columns of a 12-column grid (narrow screens stack widgets). */
  w: z.number().int().min(2).max(12).default(4),
  /** Height in rows of about 160 px. */
  h: z.number().int().min(1).max(6).default(2),
};

/** A line chart of one device's points over a range (downsampled by the server to the chart's width). */
export const timeseriesWidgetSchema = z
  .object({ ...widgetBase, type: z.literal('timeseries'), device: deviceId, points: z.array(pointKey).min(1).max(8), range: z.enum(dashboardRanges).default('1h') })
  .strict();
/** A dial showing one live value between `min` and `max`. */
export const gaugeWidgetSchema = z
  .object({ ...widgetBase, type: z.literal('gauge'), device: deviceId, point: pointKey, min: z.number().finite(), max: z.number().finite() })
  .strict()
  .refine((w) => w.max > w.min, { message: 'max must be greater than min', path: ['max'] });
/** One live value, large, with its unit. */
export const valueWidgetSchema = z.object({ ...widgetBase, type: z.literal('value'), device: deviceId, point: pointKey }).strict();
/** Online/offline tiles of the listed devices, or of every device of the tenant (`"all"`). */
export const statusGridWidgetSchema = z
  .object({ ...widgetBase, type: z.literal('status-grid'), devices: z.union([z.literal('all'), z.array(deviceId).min(1).max(500)]).default('all') })
  .strict();
/** A site's floor plan with its devices coloured by status (draws once sites and floor plans exist). */
export const floorMapWidgetSchema = z.object({ ...widgetBase, type: z.literal('floor-map'), site: z.string().max(128).default('') }).strict();
/** The newest alarms (fills once alarms exist). */
export const alarmListWidgetSchema = z.object({ ...widgetBase, type: z.literal('alarm-list'), limit: z.number().int().min(1).max(100).default(10) }).strict();

/** One widget of a dashboard, told apart by `type`. */
export const dashboardWidgetSchema = z.union([
  timeseriesWidgetSchema,
  gaugeWidgetSchema,
  valueWidgetSchema,
  statusGridWidgetSchema,
  floorMapWidgetSchema,
  alarmListWidgetSchema,
]);
/** A dashboard widget (as stored, defaults filled in). */
export type DashboardWidget = z.infer<typeof dashboardWidgetSchema>;
/** A widget as a client may send it (titles and sizes optional). */
export type DashboardWidgetInput = z.input<typeof dashboardWidgetSchema>;
/** The kinds of widget. */
export const dashboardWidgetTypes = ['timeseries', 'gauge', 'value', 'status-grid', 'floor-map', 'alarm-list'] as const;
/** A kind of widget. */
export type DashboardWidgetType = (typeof dashboardWidgetTypes)[number];

/** A dashboard's layout: its widgets in reading order (left to right, top to bottom). */
export const dashboardLayoutSchema = z
  .object({
    widgets: z
      .array(dashboardWidgetSchema)
      .max(50)
      .refine((ws) => new Set(ws.map((w) => w.id)).size === ws.length, { message: 'widget ids must be unique' }),
    /** Seconds between refreshes of the charts in the large-screen mode (live values arrive as they come). */
    refreshSeconds: z.number().int().min(5).max(3600).default(30),
  })
  .strict();
/** A dashboard layout. */
export type DashboardLayout = z.infer<typeof dashboardLayoutSchema>;

/** `POST /api/v1/dashboards` body. */
export const createDashboardSchema = z.object({ name: z.string().trim().min(1).max(100), layout: dashboardLayoutSchema }).strict();
/** A new dashboard. */
export type CreateDashboard = z.input<typeof createDashboardSchema>;
/** `PUT /api/v1/dashboards/{id}` body: the whole dashboard, replaced. */
export const updateDashboardSchema = createDashboardSchema;
/** A replaced dashboard. */
export type UpdateDashboard = z.input<typeof updateDashboardSchema>;

/** A dashboard as the API answers it. */
export const dashboardSchema = z.object({
  id: z.string(),
  tenantId: z.string().nullable(),
  name: z.string(),
  layout: dashboardLayoutSchema,
  createdBy: z.string(),
  updatedBy: z.string(),
  createdAt: z.string().describe('ISO 8601 timestamp'),
  updatedAt: z.string().describe('ISO 8601 timestamp'),
});
/** A dashboard. */
export type DashboardDto = z.infer<typeof dashboardSchema>;
/** A dashboard in the list (without its layout). */
export const dashboardSummarySchema = dashboardSchema.omit({ layout: true }).extend({ widgets: z.number() });
/** A dashboard in the list. */
export type DashboardSummaryDto = z.infer<typeof dashboardSummarySchema>;
