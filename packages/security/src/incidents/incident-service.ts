/**
 * Emergency management (应急管理, issue 7 item 5): security incidents from correlated security events or by
 * hand, response plans that give them tasks, an append-only timeline of every change, evidence, and a
 * closure report without which an incident does not close. Drills (演练) are incidents of kind `drill`
 * started by hand from a plan, timed, and kept apart in lists and counts.
 */
import {
  type Incident,
  type IncidentCounts,
  type IncidentEvent,
  type IncidentInput,
  type IncidentKind,
  type IncidentPatch,
  type IncidentStatus,
  type IncidentStatusChange,
  type IncidentTimelineEntry,
  incidentInputSchema,
  incidentStatuses,
  incidentTransitions,
} from '@yulian/contracts';
import { type Logger, type Scope, type Store, YulianError } from '@yulian/core';
import { type IncidentContext, createIncidentContext } from './context.js';
import { type IncidentEvidenceStore, createIncidentEvidence } from './evidence.js';
import { type IncidentEventInput, type IntakeStats, type OpenFromEventResult, createIncidentIntake } from './intake.js';
import { type ResponsePlanStore, createResponsePlanStore } from './plans.js';
import { taskFinished, toIncident, toIncidentEvent, toTimelineEntry } from './rows.js';
import { type IncidentTasks, createIncidentTasks } from './tasks.js';

/** Filters of an incident list. */
export interface IncidentFilter {
  /** Real incidents unless asked for drills: the two are never mixed. */
  kind?: IncidentKind;
  status?: IncidentStatus | 'active';
  limit?: number;
}

/** The incident service. */
export interface IncidentService {
  /**
   * Takes a security event from the detection pipeline: opens an incident or joins the open one of its
   * group, idempotent per event id; below the opening level it is ignored, malformed it is rejected
   * (counted and logged, never thrown).
   * @example const { outcome, incident } = await incidents.openFromEvent(event)
   */
  openFromEvent(event: IncidentEventInput): Promise<OpenFromEventResult>;
  /** An incident (or drill, which needs `planId`) by hand. @throws RESPONSE_PLAN_NOT_FOUND, VALIDATION_FAILED */
  create(scope: Scope, tenantId: string | null, input: IncidentInput, actor: string | null): Promise<Incident>;
  /** Newest first. */
  list(scope: Scope, filter?: IncidentFilter): Promise<Incident[]>;
  /** Counts by status, real incidents and drills apart. */
  counts(scope: Scope): Promise<IncidentCounts>;
  /** @throws INCIDENT_NOT_FOUND */
  get(scope: Scope, id: string): Promise<Incident>;
  /** @throws INCIDENT_NOT_FOUND, INCIDENT_CLOSED */
  update(scope: Scope, id: string, patch: IncidentPatch, actor: string | null): Promise<Incident>;
  /** @throws INCIDENT_NOT_FOUND, INCIDENT_TRANSITION_INVALID, INCIDENT_CLOSURE_REQUIRED */
  setStatus(scope: Scope, id: string, change: IncidentStatusChange, actor: string | null): Promise<Incident>;
  /** Applies a response plan: its steps become tasks. @throws INCIDENT_NOT_FOUND, INCIDENT_CLOSED, RESPONSE_PLAN_NOT_FOUND */
  applyPlan(scope: Scope, id: string, planId: string, actor: string | null): Promise<Incident>;
  /** Oldest first. */
  timeline(scope: Scope, id: string): Promise<IncidentTimelineEntry[]>;
  /** @throws INCIDENT_NOT_FOUND, INCIDENT_CLOSED */
  comment(scope: Scope, id: string, text: string, actor: string | null): Promise<IncidentTimelineEntry>;
  /** Linked security events, oldest first. */
  events(scope: Scope, id: string): Promise<IncidentEvent[]>;
  tasks: Omit<IncidentTasks, 'applyPlan'>;
  evidence: IncidentEvidenceStore;
  plans: ResponsePlanStore;
  /** `openFromEvent`'s counters. */
  stats(): IntakeStats;
}

/** What `createIncidentService` needs. */
export interface IncidentServiceOptions {
  store: Store;
  logger?: Logger;
  /** Events at or above this level open incidents (Wazuh's scale; default 12). */
  openLevel?: number;
  /** A like event joins an open incident whose last event is at most this old (default 1 h). */
  windowMs?: number;
  /** Apply the plan answering an auto-opened incident's technique (default true). */
  autoPlan?: boolean;
  now?: () => number;
}

/** Creates the incident service over the store (SQLite or PostgreSQL). */
export function createIncidentService(options: IncidentServiceOptions): IncidentService {
  const openLevel = options.openLevel ?? 12;
  const windowMs = options.windowMs ?? 3_600_000;
  if (!Number.isInteger(openLevel) || openLevel < 0 || openLevel > 15) throw new Error(`openLevel must be an integer 0–15, not ${openLevel}.`);
  if (!(windowMs > 0)) throw new Error(`windowMs must be a positive number of milliseconds, not ${windowMs}.`);
  const now = options.now ?? Date.now;
  const log = options.logger?.child({ component: 'incidents' });
  const ctx: IncidentContext = createIncidentContext(options.store, now);
  const { db } = ctx;
  const plans = createResponsePlanStore(options.store, now);
  const tasks = createIncidentTasks(ctx);
  const intake = createIncidentIntake({ ctx, plans, tasks, openLevel, windowMs, autoPlan: options.autoPlan ?? true, onRejected: (reason) => log?.warn({ reason }, 'security event not taken into incidents') });
  const ofScope = (scope: Scope) => {
    const q = db.selectFrom('security_incidents').selectAll();
    return scope.kind === 'tenant' ? q.where('tenant_id', '=', scope.tenantId) : q;
  };

  const service: IncidentService = {
    async openFromEvent(event) {
      const result = await intake.openFromEvent(event);
      if (result.outcome === 'opened') log?.info({ tenant: event.tenantId, incident: result.incident?.number, event: event.id, level: event.level }, 'incident opened from a security event');
      return result;
    },

    async create(scope, tenantId, raw, actor) {
      const input = incidentInputSchema.parse(raw);
      if (input.kind === 'drill' && !input.planId) throw new YulianError('VALIDATION_FAILED', 'A drill is run from a response plan: give planId.', { details: { field: 'planId' } });
      if (input.kind === 'real' && !input.title) throw new YulianError('VALIDATION_FAILED', 'An incident needs a title.', { details: { field: 'title' } });
      const plan = input.planId ? await plans.get(scope, input.planId) : undefined;
      const at = now();
      const title = input.title ?? `演练：${plan!.name}`;
      const row = await ctx.insert({
        tenant_id: tenantId,
        title,
        description: input.description ?? (input.kind === 'drill' ? `Drill: ${plan!.nameEn || plan!.name}` : ''),
        severity: input.severity ?? (input.kind === 'drill' ? 'medium' : 'high'),
        kind: input.kind,
        techniques: input.techniques ?? plan?.techniques ?? [],
        sources: input.sources ?? [],
        assets: input.assets ?? [],
        group_key: null,
        opened_by: actor,
        owner: input.owner ?? null,
        at,
      });
      const id = row.id;
      await ctx.append(row, { kind: 'opened', actor, at, text: input.kind === 'drill' ? `开始演练 Drill started: ${title}` : `手动创建 Opened by hand: ${title}`, details: { kind: input.kind, severity: row.severity } });
      for (const eventId of input.events ?? []) {
        let q = db.selectFrom('security_events').selectAll().where('id', '=', eventId);
        q = tenantId === null ? q : q.where('tenant_id', '=', tenantId);
        const e = await q.executeTakeFirst();
        if (!e) throw new YulianError('VALIDATION_FAILED', `No security event ${eventId} of this enterprise.`, { details: { field: 'events' } });
        await intake.link(row, { id: e.id, tenantId: e.tenant_id, ts: Number(e.ts), ruleId: Number(e.rule_id), level: Number(e.level), title: e.title, titleEn: e.title_en, techniques: JSON.parse(e.techniques) as string[], source: { ip: e.source_ip }, target: { ip: e.target_ip, port: e.target_port === null ? null : Number(e.target_port), deviceId: e.device_id }, count: Number(e.count) }, actor);
      }
      if (plan) await tasks.applyPlan(row, plan, actor, at);
      return ctx.fresh(id);
    },

    async list(scope, filter = {}) {
      let q = ofScope(scope).where('kind', '=', filter.kind ?? 'real');
      if (filter.status === 'active') q = q.where('status', '!=', 'closed');
      else if (filter.status) q = q.where('status', '=', filter.status);
      const rows = await q.orderBy('opened_at', 'desc').orderBy('id').limit(filter.limit ?? 200).execute();
      // The task figures of the whole page in one query, not one per incident.
      const figures = new Map<string, { total: number; finished: number }>();
      if (rows.length) {
        const counted = await db
          .selectFrom('security_incident_tasks')
          .select(['incident_id', 'status'])
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('incident_id', 'in', rows.map((r) => r.id))
          .groupBy(['incident_id', 'status'])
          .execute();
        for (const c of counted) {
          const f = figures.get(c.incident_id) ?? { total: 0, finished: 0 };
          f.total += Number(c.n);
          if (taskFinished(c.status)) f.finished += Number(c.n);
          figures.set(c.incident_id, f);
        }
      }
      return rows.map((r) => toIncident(r, figures.get(r.id) ?? { total: 0, finished: 0 }));
    },

    async counts(scope) {
      let q = db.selectFrom('security_incidents').select(['kind', 'status']).select((eb) => eb.fn.countAll<number>().as('n')).groupBy(['kind', 'status']);
      if (scope.kind === 'tenant') q = q.where('tenant_id', '=', scope.tenantId);
      const zero = () => Object.fromEntries(incidentStatuses.map((s) => [s, 0])) as Record<IncidentStatus, number>;
      const out: IncidentCounts = { real: zero(), drill: zero() };
      for (const r of await q.execute()) if (r.kind === 'real' || r.kind === 'drill') out[r.kind][r.status as IncidentStatus] = Number(r.n);
      return out;
    },

    get: async (scope, id) => ctx.view(await ctx.row(scope, id)),

    async update(scope, id, patch, actor) {
      const r = await ctx.open(scope, id);
      const at = now();
      await db
        .updateTable('security_incidents')
        .set({
          ...(patch.title === undefined ? {} : { title: patch.title }),
          ...(patch.description === undefined ? {} : { description: patch.description }),
          ...(patch.severity === undefined ? {} : { severity: patch.severity }),
          ...(patch.owner === undefined ? {} : { owner: patch.owner }),
          updated_at: at,
        })
        .where('id', '=', id)
        .execute();
      if (patch.owner !== undefined && patch.owner !== r.owner) await ctx.append(r, { kind: 'owner', actor, at, text: `负责人 Owner: ${r.owner ?? '—'} → ${patch.owner ?? '—'}`, details: { from: r.owner, to: patch.owner } });
      const changed = (['title', 'description', 'severity'] as const).filter((k) => patch[k] !== undefined && patch[k] !== r[k]);
      if (changed.length) await ctx.append(r, { kind: 'updated', actor, at, text: `修改 Changed: ${changed.map((k) => `${k} ${k === 'description' ? '' : `${r[k]} → ${patch[k]}`}`.trim()).join('; ')}`, details: Object.fromEntries(changed.map((k) => [k, { from: r[k], to: patch[k] }])) });
      return ctx.fresh(id);
    },

    async setStatus(scope, id, change, actor) {
      const r = await ctx.row(scope, id);
      const from = r.status as IncidentStatus;
      if (!incidentTransitions[from].includes(change.status)) {
        throw new YulianError('INCIDENT_TRANSITION_INVALID', `Incident ${r.number} is ${from}; it can go to ${incidentTransitions[from].join(' or ') || 'nothing (it is closed)'}, not ${change.status}.`, { details: { from, to: change.status, allowed: incidentTransitions[from] } });
      }
      const closing = change.status === 'closed';
      if (closing) {
        const missing = (['summary', 'rootCause', 'actions', 'lessons'] as const).filter((k) => !change.closure?.[k]?.trim());
        if (missing.length) throw new YulianError('INCIDENT_CLOSURE_REQUIRED', `Closing incident ${r.number} needs its closure report: ${missing.join(', ')} missing.`, { details: { missing } });
      }
      const at = now();
      const res = await db
        .updateTable('security_incidents')
        .set({
          status: change.status,
          updated_at: at,
          ...(change.status === 'resolved' ? { resolved_at: at } : {}),
          ...(change.status === 'investigating' && from === 'resolved' ? { resolved_at: null } : {}),
          ...(closing ? { closure: JSON.stringify(change.closure), closed_at: at, closed_by: actor } : {}),
        })
        .where('id', '=', id)
        .where('status', '=', from)
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) !== 1) throw new YulianError('INCIDENT_TRANSITION_INVALID', `Incident ${r.number} changed meanwhile; read it again.`, { details: { from, to: change.status, allowed: incidentTransitions[from] } });
      await ctx.append(r, { kind: closing ? 'closed' : 'status', actor, at, text: `${closing ? '结案 Closed' : '状态 Status'}: ${from} → ${change.status}${change.note ? `: ${change.note}` : ''}`, details: { from, to: change.status, ...(change.note ? { note: change.note } : {}), ...(closing ? { closure: change.closure } : {}) } });
      return ctx.fresh(id);
    },

    async applyPlan(scope, id, planId, actor) {
      const r = await ctx.open(scope, id);
      const plan = await plans.get(scope.kind === 'tenant' ? scope : r.tenant_id ? { kind: 'tenant', tenantId: r.tenant_id } : { kind: 'all' }, planId);
      await tasks.applyPlan(r, plan, actor, now());
      return ctx.fresh(id);
    },

    async timeline(scope, id) {
      await ctx.row(scope, id);
      return (await db.selectFrom('security_incident_timeline').selectAll().where('incident_id', '=', id).orderBy('seq').execute()).map(toTimelineEntry);
    },

    async comment(scope, id, text, actor) {
      const r = await ctx.open(scope, id);
      const at = now();
      await ctx.append(r, { kind: 'comment', actor, at, text });
      await db.updateTable('security_incidents').set({ updated_at: at }).where('id', '=', id).execute();
      const last = await db.selectFrom('security_incident_timeline').selectAll().where('incident_id', '=', id).where('kind', '=', 'comment').orderBy('seq', 'desc').executeTakeFirstOrThrow();
      return toTimelineEntry(last);
    },

    async events(scope, id) {
      await ctx.row(scope, id);
      return (await db.selectFrom('security_incident_events').selectAll().where('incident_id', '=', id).orderBy('ts').orderBy('event_id').execute()).map(toIncidentEvent);
    },

    tasks: { list: tasks.list, add: tasks.add, update: tasks.update },
    evidence: createIncidentEvidence(ctx),
    plans,
    stats: () => intake.stats(),
  };
  return service;
}
