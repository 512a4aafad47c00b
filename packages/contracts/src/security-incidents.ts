/**
 * Emergency management (应急管理, issue 7 item 5): security incidents opened from correlated security events
 * or by hand, response plans (应急预案) as templates of steps and roles, the tasks a plan gives an incident,
 * its append-only timeline, evidence and closure report; drills (演练) are incidents of kind `drill`, timed
 * and kept apart in lists and counts.
 */
import { z } from 'zod';
import { roleSchema } from './roles.js';

const isoDate = z.string().describe('ISO 8601 timestamp');
const text = (max: number) => z.string().trim().min(1).max(max);
const technique = z.string().regex(/^T\d{4}(\.\d{3})?$/, 'an ATT&CK technique id such as T0855');

/** How grave an incident is (事件级别): from its highest event level, or set by hand. */
export const incidentSeverities = ['critical', 'high', 'medium', 'low'] as const;
export type IncidentSeverity = (typeof incidentSeverities)[number];

/** The severity of a security event level (Wazuh's 0–15): 14–15 critical, 12–13 high, 7–11 medium, else low. */
export const severityOfLevel = (level: number): IncidentSeverity => (level >= 14 ? 'critical' : level >= 12 ? 'high' : level >= 7 ? 'medium' : 'low');

/** An incident's status: open → investigating → contained → resolved → closed (closing needs the closure report). */
export const incidentStatuses = ['open', 'investigating', 'contained', 'resolved', 'closed'] as const;
export type IncidentStatus = (typeof incidentStatuses)[number];

/** Which status may follow which; a resolved incident may be reopened for investigation until it is closed. */
export const incidentTransitions: Record<IncidentStatus, readonly IncidentStatus[]> = {
  open: ['investigating', 'contained', 'resolved'],
  investigating: ['contained', 'resolved'],
  contained: ['investigating', 'resolved'],
  resolved: ['investigating', 'closed'],
  closed: [],
};

/** A real incident, or a drill (演练) recorded the same way. */
export const incidentKinds = ['real', 'drill'] as const;
export type IncidentKind = (typeof incidentKinds)[number];

/** The closure report (结案报告) an incident must have to be closed. */
export const incidentClosureSchema = z
  .object({
    summary: text(5000).describe('what happened (事件经过)'),
    rootCause: text(5000).describe('root cause (原因分析)'),
    actions: text(5000).describe('actions taken (处置措施)'),
    lessons: text(5000).describe('lessons learned and improvements (整改与经验教训)'),
  })
  .strict();
export type IncidentClosure = z.infer<typeof incidentClosureSchema>;

/** A drill's timing: started at opening, finished when resolved (or closed). */
export const drillTimingSchema = z.object({
  startedAt: isoDate,
  finishedAt: isoDate.nullable(),
  durationMs: z.number().nullable(),
});

/** A security incident as the API shows it. */
export const incidentSchema = z.object({
  id: z.string(),
  tenantId: z.string().nullable(),
  /** INC-2026-0001 (real) or DRL-2026-0001 (drill), per enterprise and year. */
  number: z.string(),
  title: z.string(),
  description: z.string(),
  severity: z.enum(incidentSeverities),
  /** The highest linked event level (0: none linked). */
  level: z.number(),
  status: z.enum(incidentStatuses),
  kind: z.enum(incidentKinds),
  techniques: z.array(z.string()),
  /** Source IP addresses of the linked events (or given by hand). */
  sources: z.array(z.string()),
  /** Devices (or ip:port) the linked events targeted (or given by hand). */
  assets: z.array(z.string()),
  eventCount: z.number(),
  firstEventAt: isoDate.nullable(),
  lastEventAt: isoDate.nullable(),
  /** Null: opened automatically from a security event. */
  openedBy: z.string().nullable(),
  openedAt: isoDate,
  owner: z.string().nullable(),
  planId: z.string().nullable(),
  planName: z.string().nullable(),
  closure: incidentClosureSchema.nullable(),
  resolvedAt: isoDate.nullable(),
  closedBy: z.string().nullable(),
  closedAt: isoDate.nullable(),
  updatedAt: isoDate,
  /** Tasks done or skipped, of all. */
  tasks: z.object({ total: z.number(), finished: z.number() }),
  /** Drills only. */
  drill: drillTimingSchema.nullable(),
});
export type Incident = z.infer<typeof incidentSchema>;

/** Body of `POST /api/v1/security/incidents`: an incident by hand, or a drill (`kind: drill`, a plan required). */
export const incidentInputSchema = z
  .object({
    kind: z.enum(incidentKinds).default('real'),
    title: text(200).optional().describe('required for a real incident; a drill defaults to 演练: <plan name>'),
    description: z.string().max(5000).optional(),
    severity: z.enum(incidentSeverities).optional().describe('default high (real) or medium (drill)'),
    techniques: z.array(technique).max(50).optional(),
    sources: z.array(text(64)).max(100).optional(),
    assets: z.array(text(128)).max(200).optional(),
    owner: text(128).nullable().optional(),
    planId: text(128).optional().describe('its tasks are created at once; required for a drill'),
    events: z.array(text(128)).max(500).optional().describe('security event ids to link (events of the enterprise not yet in an incident)'),
  })
  .strict();
export type IncidentInput = z.input<typeof incidentInputSchema>;

/** Body of `PATCH /api/v1/security/incidents/{id}`. */
export const incidentPatchSchema = z
  .object({
    title: text(200).optional(),
    description: z.string().max(5000).optional(),
    severity: z.enum(incidentSeverities).optional(),
    owner: text(128).nullable().optional(),
  })
  .strict();
export type IncidentPatch = z.infer<typeof incidentPatchSchema>;

/** Body of `POST /api/v1/security/incidents/{id}/status`. */
export const incidentStatusChangeSchema = z
  .object({
    status: z.enum(incidentStatuses),
    note: z.string().max(5000).optional(),
    closure: incidentClosureSchema.optional().describe('required to close'),
  })
  .strict();
export type IncidentStatusChange = z.infer<typeof incidentStatusChangeSchema>;

/** What a timeline entry records. */
export const incidentTimelineKinds = ['opened', 'event', 'status', 'updated', 'owner', 'plan', 'task', 'comment', 'evidence', 'closed'] as const;
export type IncidentTimelineKind = (typeof incidentTimelineKinds)[number];

/** One timeline entry; the timeline is append-only. */
export const incidentTimelineEntrySchema = z.object({
  seq: z.number(),
  at: isoDate,
  actor: z.string().nullable(),
  kind: z.enum(incidentTimelineKinds),
  text: z.string(),
  details: z.record(z.string(), z.unknown()),
});
export type IncidentTimelineEntry = z.infer<typeof incidentTimelineEntrySchema>;

/** A security event linked to an incident. */
export const incidentEventSchema = z.object({
  eventId: z.string(),
  ts: isoDate,
  ruleId: z.number(),
  level: z.number(),
  title: z.string(),
  titleEn: z.string(),
  techniques: z.array(z.string()),
  sourceIp: z.string().nullable(),
  target: z.object({ ip: z.string().nullable().optional(), port: z.number().nullable().optional(), deviceId: z.string().nullable().optional() }),
  count: z.number(),
  linkedAt: isoDate,
});
export type IncidentEvent = z.infer<typeof incidentEventSchema>;

/** A response task's status. */
export const incidentTaskStatuses = ['todo', 'doing', 'done', 'skipped'] as const;
export type IncidentTaskStatus = (typeof incidentTaskStatuses)[number];

/** A response task: a plan step instantiated, or added by hand. */
export const incidentTaskSchema = z.object({
  id: z.string(),
  seq: z.number(),
  title: z.string(),
  titleEn: z.string(),
  role: roleSchema,
  assignee: z.string().nullable(),
  dueAt: isoDate.nullable(),
  status: z.enum(incidentTaskStatuses),
  note: z.string(),
  planId: z.string().nullable(),
  startedAt: isoDate.nullable(),
  finishedAt: isoDate.nullable(),
  /** From the incident's opening (or the task's start, if later) to done or skipped. */
  durationMs: z.number().nullable(),
  overdue: z.boolean(),
});
export type IncidentTask = z.infer<typeof incidentTaskSchema>;

/** Body of `POST /api/v1/security/incidents/{id}/tasks`. */
export const incidentTaskInputSchema = z
  .object({ title: text(200), titleEn: z.string().max(200).optional(), role: roleSchema, assignee: text(128).nullable().optional(), dueAt: isoDate.nullable().optional() })
  .strict();
export type IncidentTaskInput = z.infer<typeof incidentTaskInputSchema>;

/** Body of `PATCH /api/v1/security/incidents/{id}/tasks/{task}`. */
export const incidentTaskPatchSchema = z
  .object({ status: z.enum(incidentTaskStatuses).optional(), note: z.string().max(5000).optional(), assignee: text(128).nullable().optional(), dueAt: isoDate.nullable().optional() })
  .strict();
export type IncidentTaskPatch = z.infer<typeof incidentTaskPatchSchema>;

/** Evidence kinds: a text (e.g. an analyst's finding), a link, or a file. */
export const incidentEvidenceKinds = ['text', 'link', 'file'] as const;
export type IncidentEvidenceKind = (typeof incidentEvidenceKinds)[number];

/** The largest file whose bytes are kept with an incident; larger ones are recorded by SM3 hash and name. */
export const evidenceMaxBytes = 256 * 1024;

/**
 * Body of `POST /api/v1/security/incidents/{id}/evidence`. A file comes with its bytes (`content`, base64,
 * up to 256 KiB: kept, its SM3 computed) or, when larger or kept elsewhere, with only its `sm3` and size.
 */
export const incidentEvidenceInputSchema = z
  .object({
    kind: z.enum(incidentEvidenceKinds),
    title: text(200),
    text: z.string().max(20_000).optional(),
    url: z.string().max(2000).optional().describe('link: an http(s) URL'),
    fileName: text(255).optional(),
    content: z.string().max(400_000).optional().describe('file: the bytes, base64 (≤ 256 KiB)'),
    sm3: z.string().max(64).optional().describe('file without content: its SM3, 64 hex digits'),
    size: z.number().int().nonnegative().optional().describe('file without content: its size in bytes'),
  })
  .strict();
export type IncidentEvidenceInput = z.infer<typeof incidentEvidenceInputSchema>;

/** Evidence as the API shows it (never the bytes: download them from `…/evidence/{id}/content`). */
export const incidentEvidenceSchema = z.object({
  id: z.string(),
  kind: z.enum(incidentEvidenceKinds),
  title: z.string(),
  text: z.string(),
  url: z.string().nullable(),
  fileName: z.string().nullable(),
  size: z.number().nullable(),
  sm3: z.string().nullable(),
  /** The file's bytes are kept and can be downloaded. */
  stored: z.boolean(),
  addedBy: z.string().nullable(),
  addedAt: isoDate,
});
export type IncidentEvidence = z.infer<typeof incidentEvidenceSchema>;

/** One step of a response plan. */
export const responsePlanStepSchema = z
  .object({
    title: text(200),
    titleEn: z.string().max(200).default(''),
    role: roleSchema,
    /** Due this many minutes after the plan is applied. */
    dueMinutes: z.number().int().min(1).max(525_600),
  })
  .strict();
export type ResponsePlanStep = z.infer<typeof responsePlanStepSchema>;

/** Body of `POST`/`PUT /api/v1/security/plans`. */
export const responsePlanInputSchema = z
  .object({
    name: text(200),
    nameEn: z.string().max(200).default(''),
    description: z.string().max(5000).default(''),
    techniques: z.array(technique).max(50).default([]).describe('ATT&CK techniques it answers (an incident with one of them gets it suggested)'),
    kinds: z.array(z.enum(incidentKinds)).max(2).default([]).describe('empty: both real incidents and drills'),
    steps: z.array(responsePlanStepSchema).min(1).max(50),
  })
  .strict();
export type ResponsePlanInput = z.input<typeof responsePlanInputSchema>;

/** A response plan (应急预案): built-in (tenant null, read-only) or an enterprise's own. */
export const responsePlanSchema = z.object({
  id: z.string(),
  tenantId: z.string().nullable(),
  builtin: z.boolean(),
  name: z.string(),
  nameEn: z.string(),
  description: z.string(),
  techniques: z.array(z.string()),
  kinds: z.array(z.enum(incidentKinds)),
  steps: z.array(z.object({ title: z.string(), titleEn: z.string(), role: roleSchema, dueMinutes: z.number() })),
  createdBy: z.string().nullable(),
  createdAt: isoDate.nullable(),
  updatedAt: isoDate.nullable(),
});
export type ResponsePlan = z.infer<typeof responsePlanSchema>;

/** Counts by status, real incidents and drills apart. */
export const incidentCountsSchema = z.object({
  real: z.record(z.enum(incidentStatuses), z.number()),
  drill: z.record(z.enum(incidentStatuses), z.number()),
});
export type IncidentCounts = z.infer<typeof incidentCountsSchema>;

/**
 * The fields of a security event that incidents use (a whole `SecurityEvent` passes): what
 * `openFromEvent` checks before it opens or joins an incident.
 */
export const incidentEventInputSchema = z.object({
  id: z.string().min(1).max(128),
  tenantId: z.string().min(1).max(128).nullable(),
  ts: z.number().int().nonnegative(),
  ruleId: z.number().int(),
  level: z.number().int().min(0).max(15),
  title: z.string().max(500),
  titleEn: z.string().max(500),
  techniques: z.array(z.string().max(32)).max(50),
  source: z.object({ ip: z.string().max(64).nullable().optional() }),
  target: z.object({ ip: z.string().max(64).nullable().optional(), port: z.number().int().nullable().optional(), deviceId: z.string().max(128).nullable().optional() }),
  count: z.number().int().positive().default(1),
});
/** A security event as incidents take it. */
export type IncidentEventInput = z.input<typeof incidentEventInputSchema>;
