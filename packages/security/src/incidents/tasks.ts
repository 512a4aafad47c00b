/** Response tasks: a plan's steps instantiated on an incident, tasks added by hand, and their progress. */
import { randomUUID } from 'node:crypto';
import type { IncidentTask, IncidentTaskInput, IncidentTaskPatch, ResponsePlan } from '@yulian/contracts';
import { type Scope, YulianError } from '@yulian/core';
import { sql } from 'kysely';
import type { IncidentContext } from './context.js';
import { type IncidentRow, taskFinished, toTask } from './rows.js';

const minute = 60_000;

const parseDue = (dueAt: string | null | undefined): number | null | undefined => {
  if (dueAt === undefined || dueAt === null) return dueAt;
  const ms = Date.parse(dueAt);
  if (!Number.isFinite(ms)) throw new YulianError('VALIDATION_FAILED', 'dueAt is not a date.', { details: { field: 'dueAt' } });
  return ms;
};

/** The task part of the incident service. */
export interface IncidentTasks {
  list(scope: Scope, incidentId: string): Promise<IncidentTask[]>;
  /** @throws INCIDENT_NOT_FOUND, INCIDENT_CLOSED */
  add(scope: Scope, incidentId: string, input: IncidentTaskInput, actor: string | null): Promise<IncidentTask>;
  /** Status (todo / doing / done / skipped, with a note), assignee or due date. @throws INCIDENT_TASK_NOT_FOUND, INCIDENT_CLOSED */
  update(scope: Scope, incidentId: string, taskId: string, patch: IncidentTaskPatch, actor: string | null): Promise<IncidentTask>;
  /**
   * Applies a plan: its steps become tasks due `dueMinutes` after `at`; a previous plan's tasks not yet
   * started are skipped. Records the plan on the incident and in the timeline.
   */
  applyPlan(incident: IncidentRow, plan: ResponsePlan, actor: string | null, at: number): Promise<void>;
}

/** Creates the task part. */
export function createIncidentTasks(ctx: IncidentContext): IncidentTasks {
  const { db } = ctx;
  const rows = (incidentId: string) => db.selectFrom('security_incident_tasks').selectAll().where('incident_id', '=', incidentId);
  const nextSeq = async (incidentId: string): Promise<number> => {
    const r = await db.selectFrom('security_incident_tasks').select(sql<number>`coalesce(max(seq), 0)`.as('max')).where('incident_id', '=', incidentId).executeTakeFirst();
    return Number(r?.max ?? 0) + 1;
  };

  const tasks: IncidentTasks = {
    async list(scope, incidentId) {
      const incident = await ctx.row(scope, incidentId);
      const now = ctx.now();
      return (await rows(incidentId).orderBy('seq').execute()).map((r) => toTask(r, Number(incident.opened_at), now));
    },

    async add(scope, incidentId, input, actor) {
      const incident = await ctx.open(scope, incidentId);
      const at = ctx.now();
      const id = randomUUID();
      const due = parseDue(input.dueAt) ?? null;
      await db
        .insertInto('security_incident_tasks')
        .values({ id, incident_id: incidentId, tenant_id: incident.tenant_id, seq: await nextSeq(incidentId), title: input.title, title_en: input.titleEn ?? '', role: input.role, assignee: input.assignee ?? null, due_at: due, status: 'todo', note: '', plan_id: null, started_at: null, finished_at: null, created_at: at, updated_at: at })
        .execute();
      await ctx.append(incident, { kind: 'task', actor, at, text: `新增任务 Task added: ${input.title}`, details: { task: id, role: input.role, assignee: input.assignee ?? null } });
      await db.updateTable('security_incidents').set({ updated_at: at }).where('id', '=', incidentId).execute();
      return toTask(await rows(incidentId).where('id', '=', id).executeTakeFirstOrThrow(), Number(incident.opened_at), at);
    },

    async update(scope, incidentId, taskId, patch, actor) {
      const incident = await ctx.open(scope, incidentId);
      const r = await rows(incidentId).where('id', '=', taskId).executeTakeFirst();
      if (!r) throw new YulianError('INCIDENT_TASK_NOT_FOUND', `Incident ${incident.number} has no task ${taskId}.`);
      const at = ctx.now();
      const due = parseDue(patch.dueAt);
      const status = patch.status ?? r.status;
      const moved = status !== r.status;
      await db
        .updateTable('security_incident_tasks')
        .set({
          ...(moved ? { status } : {}),
          ...(moved && status === 'doing' && r.started_at === null ? { started_at: at } : {}),
          ...(moved && taskFinished(status) ? { finished_at: at } : {}),
          ...(moved && !taskFinished(status) ? { finished_at: null } : {}),
          ...(patch.note === undefined ? {} : { note: patch.note }),
          ...(patch.assignee === undefined ? {} : { assignee: patch.assignee }),
          ...(due === undefined ? {} : { due_at: due }),
          updated_at: at,
        })
        .where('id', '=', taskId)
        .execute();
      const parts = [moved ? `${r.status} → ${status}` : null, patch.assignee !== undefined && patch.assignee !== r.assignee ? `→ ${patch.assignee ?? '—'}` : null, patch.note ? patch.note : null].filter((p) => p !== null);
      await ctx.append(incident, { kind: 'task', actor, at, text: `任务 Task ${r.seq}「${r.title}」${parts.length ? `: ${parts.join('; ')}` : ''}`, details: { task: taskId, from: r.status, to: status, ...patch } });
      await db.updateTable('security_incidents').set({ updated_at: at }).where('id', '=', incidentId).execute();
      return toTask(await rows(incidentId).where('id', '=', taskId).executeTakeFirstOrThrow(), Number(incident.opened_at), at);
    },

    async applyPlan(incident, plan, actor, at) {
      const skipped = await db
        .updateTable('security_incident_tasks')
        .set({ status: 'skipped', note: `预案更换 Plan changed to ${plan.name}`, finished_at: at, updated_at: at })
        .where('incident_id', '=', incident.id)
        .where('status', '=', 'todo')
        .where('plan_id', 'is not', null)
        .where('plan_id', '!=', plan.id)
        .executeTakeFirst();
      let seq = await nextSeq(incident.id);
      for (const s of plan.steps) {
        await db
          .insertInto('security_incident_tasks')
          .values({ id: randomUUID(), incident_id: incident.id, tenant_id: incident.tenant_id, seq: seq++, title: s.title, title_en: s.titleEn, role: s.role, assignee: null, due_at: at + s.dueMinutes * minute, status: 'todo', note: '', plan_id: plan.id, started_at: null, finished_at: null, created_at: at, updated_at: at })
          .execute();
      }
      await db.updateTable('security_incidents').set({ plan_id: plan.id, plan_name: plan.name, updated_at: at }).where('id', '=', incident.id).execute();
      await ctx.append(incident, {
        kind: 'plan',
        actor,
        at,
        text: `启用预案 Plan applied: ${plan.name} (${plan.steps.length} 项任务 tasks)`,
        details: { plan: plan.id, name: plan.name, nameEn: plan.nameEn, tasks: plan.steps.length, skipped: Number(skipped.numUpdatedRows) },
      });
    },
  };
  return tasks;
}
