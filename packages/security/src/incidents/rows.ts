/** Store rows of incidents, their events, timeline, tasks, evidence and plans as the API shows them. */
import type {
  Incident,
  IncidentClosure,
  IncidentEvent,
  IncidentEvidence,
  IncidentEvidenceKind,
  IncidentKind,
  IncidentSeverity,
  IncidentStatus,
  IncidentTask,
  IncidentTaskStatus,
  IncidentTimelineEntry,
  IncidentTimelineKind,
  ResponsePlan,
  Role,
} from '@yulian/contracts';
import type {
  SecurityIncidentEventsTable,
  SecurityIncidentEvidenceTable,
  SecurityIncidentTasksTable,
  SecurityIncidentTimelineTable,
  SecurityIncidentsTable,
  SecurityResponsePlansTable,
} from '@yulian/core';
import type { Selectable } from 'kysely';

/** An incident row. */
export type IncidentRow = Selectable<SecurityIncidentsTable>;
/** A task row. */
export type TaskRow = Selectable<SecurityIncidentTasksTable>;

/** Epoch ms (pg answers bigint columns as strings) as ISO 8601, or null. */
export const iso = (ms: number | string | null): string | null => (ms === null ? null : new Date(Number(ms)).toISOString());
const num = (v: number | string | null): number | null => (v === null ? null : Number(v));
const strings = (json: string): string[] => JSON.parse(json) as string[];

/** Done or skipped. */
export const taskFinished = (status: string): boolean => status === 'done' || status === 'skipped';

/** An incident row for the API, with its task figures. */
export function toIncident(r: IncidentRow, tasks: { total: number; finished: number }): Incident {
  const kind = r.kind as IncidentKind;
  const opened = Number(r.opened_at);
  const finished = num(r.resolved_at) ?? num(r.closed_at);
  return {
    id: r.id,
    tenantId: r.tenant_id,
    number: r.number,
    title: r.title,
    description: r.description,
    severity: r.severity as IncidentSeverity,
    level: Number(r.level),
    status: r.status as IncidentStatus,
    kind,
    techniques: strings(r.techniques),
    sources: strings(r.sources),
    assets: strings(r.assets),
    eventCount: Number(r.event_count),
    firstEventAt: iso(r.first_event_at),
    lastEventAt: iso(r.last_event_at),
    openedBy: r.opened_by,
    openedAt: iso(opened)!,
    owner: r.owner,
    planId: r.plan_id,
    planName: r.plan_name,
    closure: r.closure === null ? null : (JSON.parse(r.closure) as IncidentClosure),
    resolvedAt: iso(r.resolved_at),
    closedBy: r.closed_by,
    closedAt: iso(r.closed_at),
    updatedAt: iso(r.updated_at)!,
    tasks,
    drill: kind === 'drill' ? { startedAt: iso(opened)!, finishedAt: iso(finished), durationMs: finished === null ? null : finished - opened } : null,
  };
}

/** A linked event row for the API. */
export const toIncidentEvent = (r: Selectable<SecurityIncidentEventsTable>): IncidentEvent => ({
  eventId: r.event_id,
  ts: iso(r.ts)!,
  ruleId: Number(r.rule_id),
  level: Number(r.level),
  title: r.title,
  titleEn: r.title_en,
  techniques: strings(r.techniques),
  sourceIp: r.source_ip,
  target: JSON.parse(r.target) as IncidentEvent['target'],
  count: Number(r.count),
  linkedAt: iso(r.linked_at)!,
});

/** A timeline row for the API. */
export const toTimelineEntry = (r: Selectable<SecurityIncidentTimelineTable>): IncidentTimelineEntry => ({
  seq: Number(r.seq),
  at: iso(r.at)!,
  actor: r.actor,
  kind: r.kind as IncidentTimelineKind,
  text: r.text,
  details: JSON.parse(r.details) as Record<string, unknown>,
});

/** A task row for the API: its duration runs from its start (or the incident's opening) to done or skipped. */
export function toTask(r: TaskRow, incidentOpenedAt: number, now: number): IncidentTask {
  const finishedAt = num(r.finished_at);
  const from = num(r.started_at) ?? incidentOpenedAt;
  const due = num(r.due_at);
  return {
    id: r.id,
    seq: Number(r.seq),
    title: r.title,
    titleEn: r.title_en,
    role: r.role as Role,
    assignee: r.assignee,
    dueAt: iso(due),
    status: r.status as IncidentTaskStatus,
    note: r.note,
    planId: r.plan_id,
    startedAt: iso(r.started_at),
    finishedAt: iso(finishedAt),
    durationMs: finishedAt === null ? null : finishedAt - Math.min(from, finishedAt),
    overdue: !taskFinished(r.status) && due !== null && now > due,
  };
}

/** An evidence row for the API (never its bytes). */
export const toEvidence = (r: Selectable<SecurityIncidentEvidenceTable>): IncidentEvidence => ({
  id: r.id,
  kind: r.kind as IncidentEvidenceKind,
  title: r.title,
  text: r.text,
  url: r.url,
  fileName: r.file_name,
  size: num(r.file_size),
  sm3: r.sm3,
  stored: r.content !== null,
  addedBy: r.added_by,
  addedAt: iso(r.added_at)!,
});

/** An enterprise's plan row for the API. */
export const toPlan = (r: Selectable<SecurityResponsePlansTable>): ResponsePlan => ({
  id: r.id,
  tenantId: r.tenant_id,
  builtin: false,
  name: r.name,
  nameEn: r.name_en,
  description: r.description,
  techniques: strings(r.techniques),
  kinds: strings(r.kinds) as IncidentKind[],
  steps: JSON.parse(r.steps) as ResponsePlan['steps'],
  createdBy: r.created_by,
  createdAt: iso(r.created_at),
  updatedAt: iso(r.updated_at),
});
