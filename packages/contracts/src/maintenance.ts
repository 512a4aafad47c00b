import { z } from 'zod';

const isoDate = z.string().describe('ISO 8601 timestamp');

/** Who a work order can be assigned to: an enabled user who may work on work orders (`GET /api/v1/work-orders/assignees`). */
export const workOrderAssigneeSchema = z.object({
  username: z.string(),
  displayName: z.string(),
  role: z.string(),
  tenantId: z.string().nullable(),
});
export type WorkOrderAssignee = z.infer<typeof workOrderAssigneeSchema>;

/** Where a work order came from. */
export const workOrderSources = ['alarm', 'prediction', 'inspection', 'schedule', 'manual'] as const;
export type WorkOrderSource = (typeof workOrderSources)[number];

/** How urgent a work order is. */
export const workOrderPriorities = ['urgent', 'high', 'normal', 'low'] as const;
export type WorkOrderPriority = (typeof workOrderPriorities)[number];

/**
 * A work order's status: open → in_progress → done, or cancelled from open or in progress. Starting one may
 * put the device under maintenance; finishing or cancelling it returns the device to service.
 */
export const workOrderStatuses = ['open', 'in_progress', 'done', 'cancelled'] as const;
export type WorkOrderStatus = (typeof workOrderStatuses)[number];

/** Which status may follow which. */
export const workOrderTransitions: Record<WorkOrderStatus, readonly WorkOrderStatus[]> = {
  open: ['in_progress', 'done', 'cancelled'],
  in_progress: ['done', 'cancelled'],
  done: [],
  cancelled: [],
};

/** A maintenance work order as the API shows it. */
export const workOrderSchema = z.object({
  id: z.string(),
  tenantId: z.string().nullable(),
  device: z.string(),
  title: z.string(),
  description: z.string(),
  source: z.enum(workOrderSources),
  /** The alarm id, prediction, inspection record or `<schedule>#<n>` it came from (null: by hand). */
  sourceRef: z.string().nullable(),
  priority: z.enum(workOrderPriorities),
  status: z.enum(workOrderStatuses),
  assignee: z.string().nullable(),
  createdBy: z.string().nullable(),
  createdAt: isoDate,
  updatedAt: isoDate,
  dueAt: isoDate.nullable(),
  startedAt: isoDate.nullable(),
  completedAt: isoDate.nullable(),
  resolution: z.string(),
  /** Whether starting it put the device under maintenance. */
  maintenance: z.boolean(),
});
export type WorkOrder = z.infer<typeof workOrderSchema>;

/** Body of `POST /api/v1/work-orders`. */
export const workOrderInputSchema = z
  .object({
    device: z.string().min(1).max(128).optional().describe('required unless `alarm` is given (then the alarm’s device)'),
    alarm: z.string().min(1).max(64).optional().describe('the alarm it handles: one work order per alarm'),
    source: z.enum(workOrderSources).optional().describe('default: alarm when `alarm` is given, else manual'),
    sourceRef: z.string().min(1).max(200).optional(),
    title: z.string().min(1).max(200).optional().describe('default: the alarm’s rule name'),
    description: z.string().max(5000).optional(),
    priority: z.enum(workOrderPriorities).optional().describe('default: from the alarm’s severity, else normal'),
    assignee: z.string().min(1).max(128).nullable().optional(),
    dueAt: isoDate.nullable().optional(),
  })
  .strict();
export type WorkOrderInput = z.infer<typeof workOrderInputSchema>;

/** Body of `POST /api/v1/work-orders/{id}/status`. */
export const workOrderStatusChangeSchema = z
  .object({
    status: z.enum(['in_progress', 'done', 'cancelled']),
    /** Starting: put the device under maintenance (default true). */
    maintenance: z.boolean().optional(),
    /** Done or cancelled: what was found and done. */
    resolution: z.string().max(5000).optional(),
  })
  .strict();
export type WorkOrderStatusChange = z.infer<typeof workOrderStatusChangeSchema>;

/** A note on a work order. */
export const workOrderNoteSchema = z.object({ id: z.string(), workOrder: z.string(), ts: isoDate, author: z.string().nullable(), text: z.string() });
export type WorkOrderNote = z.infer<typeof workOrderNoteSchema>;

/** Preventive schedules: by calendar (every N days) or by run hours (every N hours of a counter point). */
export const scheduleKinds = ['calendar', 'run_hours'] as const;
export type ScheduleKind = (typeof scheduleKinds)[number];

/** Body of `POST /api/v1/maintenance-schedules`. */
export const maintenanceScheduleInputSchema = z
  .object({
    device: z.string().min(1).max(128),
    title: z.string().min(1).max(200),
    description: z.string().max(5000).optional(),
    kind: z.enum(scheduleKinds),
    every: z.number().positive().max(100_000).describe('days (calendar) or run hours (run_hours) between services'),
    runHoursPoint: z.string().min(1).max(64).optional().describe('run_hours: the device’s run-hour counter point, e.g. run_hours'),
    lead: z.number().min(0).max(100_000).optional().describe('issue the work order this many days (calendar) or hours (run_hours) before it is due; default 0'),
    priority: z.enum(workOrderPriorities).optional(),
    assignee: z.string().min(1).max(128).nullable().optional(),
    startAt: isoDate.optional().describe('calendar: when the first interval starts (default now)'),
    enabled: z.boolean().optional(),
  })
  .strict();
export type MaintenanceScheduleInput = z.infer<typeof maintenanceScheduleInputSchema>;

/** A preventive schedule as the API shows it. */
export const maintenanceScheduleSchema = z.object({
  id: z.string(),
  tenantId: z.string().nullable(),
  device: z.string(),
  title: z.string(),
  description: z.string(),
  kind: z.enum(scheduleKinds),
  every: z.number(),
  runHoursPoint: z.string().nullable(),
  lead: z.number(),
  priority: z.enum(workOrderPriorities),
  assignee: z.string().nullable(),
  /** Calendar: when the next service is due. */
  nextDueAt: isoDate.nullable(),
  /** Run hours: the counter reading at which the next service is due (null until the counter is first read). */
  nextDueHours: z.number().nullable(),
  /** Work orders issued so far. */
  issued: z.number(),
  enabled: z.boolean(),
  createdBy: z.string().nullable(),
  createdAt: isoDate,
  updatedAt: isoDate,
});
export type MaintenanceSchedule = z.infer<typeof maintenanceScheduleSchema>;
