/**
 * Incidents from security events (Security Onion's alerts → cases): an event at or above the opening level
 * opens an incident, or joins the open one of the same enterprise, first ATT&CK technique and source address
 * whose last event is within the window, so an attack burst makes one incident with many linked events.
 * Lower events never open one. Each event joins at most one incident, once (its id is the link's key).
 */
import { type Incident, type IncidentEventInput as EventInput, type IncidentSeverity, incidentEventInputSchema, incidentSeverities, severityOfLevel } from '@yulian/contracts';
import { YulianError } from '@yulian/core';
import { sql } from 'kysely';
import type { IncidentContext } from './context.js';
import type { ResponsePlanStore } from './plans.js';
import type { IncidentRow } from './rows.js';
import type { IncidentTasks } from './tasks.js';

/** The fields of a security event that incidents use (a whole `SecurityEvent` will do). */
export type IncidentEventInput = EventInput;
/** An event once checked: its count defaulted. */
type CheckedEvent = EventInput & { count: number };

/** What `openFromEvent` did with an event. */
export type OpenFromEventOutcome = 'opened' | 'joined' | 'duplicate' | 'ignored' | 'rejected';

/** The answer of `openFromEvent`: the incident it opened or joined (or had joined before). */
export interface OpenFromEventResult {
  outcome: OpenFromEventOutcome;
  incident: Incident | null;
  /** Rejected: why (the INCIDENT_EVENT_INVALID message). */
  reason?: string;
}

/** Counters of `openFromEvent`, by outcome. */
export type IntakeStats = Record<OpenFromEventOutcome, number>;


const rank = (s: IncidentSeverity): number => incidentSeverities.length - incidentSeverities.indexOf(s);
const union = (json: string, more: readonly string[]): string => JSON.stringify([...new Set([...(JSON.parse(json) as string[]), ...more])]);
const assetOf = (t: EventInput['target']): string[] => {
  if (t.deviceId) return [t.deviceId];
  if (t.ip) return [t.port ? `${t.ip}:${t.port}` : t.ip];
  return [];
};

/** What the intake needs. */
export interface IntakeOptions {
  ctx: IncidentContext;
  plans: ResponsePlanStore;
  tasks: IncidentTasks;
  /** Events at or above this level open incidents (default 12). */
  openLevel: number;
  /** How long after an incident's last event a like event still joins it (default 1 h). */
  windowMs: number;
  /** Apply the plan that answers the event's technique when opening (default true). */
  autoPlan: boolean;
  onRejected?: (reason: string, event: unknown) => void;
}

/** The intake: `openFromEvent`, and `link` for events linked by hand. */
export interface IncidentIntake {
  openFromEvent(event: IncidentEventInput): Promise<OpenFromEventResult>;
  /** Links an event to an incident; false when the event is linked (to this or another incident) already. */
  link(incident: IncidentRow, event: CheckedEvent, actor: string | null): Promise<boolean>;
  stats(): IntakeStats;
}

/** Creates the intake. */
export function createIncidentIntake(options: IntakeOptions): IncidentIntake {
  const { ctx, plans, tasks } = options;
  const { db } = ctx;
  const stats: IntakeStats = { opened: 0, joined: 0, duplicate: 0, ignored: 0, rejected: 0 };
  // One burst's events must not open two incidents: events of one group are taken one after the other.
  const queues = new Map<string, Promise<unknown>>();
  const serially = <T>(key: string, work: () => Promise<T>): Promise<T> => {
    const run = (queues.get(key) ?? Promise.resolve()).then(work, work);
    const tail = run.catch(() => undefined);
    queues.set(key, tail);
    void tail.then(() => queues.get(key) === tail && queues.delete(key));
    return run;
  };
  const linkedTo = async (eventId: string): Promise<string | undefined> =>
    (await db.selectFrom('security_incident_events').select('incident_id').where('event_id', '=', eventId).executeTakeFirst())?.incident_id;

  const link: IncidentIntake['link'] = async (incident, event, actor) => {
    const at = ctx.now();
    const res = await db
      .insertInto('security_incident_events')
      .values({
        event_id: event.id,
        incident_id: incident.id,
        tenant_id: event.tenantId,
        ts: event.ts,
        rule_id: event.ruleId,
        level: event.level,
        title: event.title,
        title_en: event.titleEn,
        techniques: JSON.stringify(event.techniques),
        source_ip: event.source.ip ?? null,
        target: JSON.stringify({ ip: event.target.ip ?? null, port: event.target.port ?? null, deviceId: event.target.deviceId ?? null }),
        count: event.count,
        linked_at: at,
      })
      .onConflict((oc) => oc.column('event_id').doNothing())
      .executeTakeFirst();
    if (Number(res.numInsertedOrUpdatedRows ?? 0n) !== 1) return false;
    const r = await db.selectFrom('security_incidents').selectAll().where('id', '=', incident.id).executeTakeFirstOrThrow();
    const severity = severityOfLevel(event.level);
    await db
      .updateTable('security_incidents')
      .set({
        event_count: sql<number>`event_count + 1`,
        level: Math.max(Number(r.level), event.level),
        severity: rank(severity) > rank(r.severity as IncidentSeverity) ? severity : r.severity,
        techniques: union(r.techniques, event.techniques),
        sources: union(r.sources, event.source.ip ? [event.source.ip] : []),
        assets: union(r.assets, assetOf(event.target)),
        first_event_at: r.first_event_at === null ? event.ts : Math.min(Number(r.first_event_at), event.ts),
        last_event_at: r.last_event_at === null ? event.ts : Math.max(Number(r.last_event_at), event.ts),
        updated_at: at,
      })
      .where('id', '=', incident.id)
      .execute();
    await ctx.append(incident, {
      kind: 'event',
      actor,
      at,
      text: `关联安全事件 Event linked: ${event.title} (级别 level ${event.level}${event.count > 1 ? `, ×${event.count}` : ''})`,
      details: { event: event.id, ruleId: event.ruleId, level: event.level, techniques: event.techniques, source: event.source.ip ?? null, ts: event.ts },
    });
    return true;
  };

  const open = async (event: CheckedEvent, groupKey: string): Promise<IncidentRow> => {
    const at = ctx.now();
    const ip = event.source.ip ?? null;
    const row = await ctx.insert({
      tenant_id: event.tenantId,
      title: ip ? `${event.title}（来源 ${ip}）` : event.title,
      description: `${event.titleEn}${ip ? ` (source ${ip})` : ''}`,
      severity: severityOfLevel(event.level),
      kind: 'real',
      group_key: groupKey,
      opened_by: null,
      owner: null,
      at,
    });
    await ctx.append(row, { kind: 'opened', actor: null, at, text: `由安全事件自动创建 Opened from a security event: ${event.title} (级别 level ${event.level})`, details: { event: event.id, ruleId: event.ruleId, groupKey } });
    return row;
  };

  const take = async (event: CheckedEvent): Promise<OpenFromEventResult> => {
    const already = await linkedTo(event.id);
    if (already) {
      stats.duplicate++;
      return { outcome: 'duplicate', incident: await ctx.fresh(already) };
    }
    const groupKey = `${event.tenantId ?? ''}|${event.techniques[0] ?? ''}|${event.source.ip ?? ''}`;
    let q = db
      .selectFrom('security_incidents')
      .selectAll()
      .where('kind', '=', 'real')
      .where('group_key', '=', groupKey)
      .where('status', 'in', ['open', 'investigating', 'contained'])
      .where('last_event_at', '>=', event.ts - options.windowMs);
    q = event.tenantId === null ? q.where('tenant_id', 'is', null) : q.where('tenant_id', '=', event.tenantId);
    const joinable = await q.orderBy('last_event_at', 'desc').executeTakeFirst();
    const incident = joinable ?? (await open(event, groupKey));
    if (!(await link(incident, event, null))) {
      stats.duplicate++;
      return { outcome: 'duplicate', incident: await ctx.fresh((await linkedTo(event.id)) ?? incident.id) };
    }
    if (!joinable && options.autoPlan) {
      const plan = await plans.match(event.tenantId, 'real', event.techniques);
      if (plan) await tasks.applyPlan(incident, plan, null, ctx.now());
    }
    stats[joinable ? 'joined' : 'opened']++;
    return { outcome: joinable ? 'joined' : 'opened', incident: await ctx.fresh(incident.id) };
  };

  return {
    link,
    stats: () => ({ ...stats }),
    async openFromEvent(input) {
      const parsed = incidentEventInputSchema.safeParse(input);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const reason = new YulianError('INCIDENT_EVENT_INVALID', `Security event not taken: ${issue?.path.join('.') || 'event'}: ${issue?.message ?? 'invalid'}.`, { details: { field: issue?.path.join('.') } }).message;
        stats.rejected++;
        options.onRejected?.(reason, input);
        return { outcome: 'rejected', incident: null, reason };
      }
      const event: CheckedEvent = parsed.data;
      if (event.level < options.openLevel) {
        stats.ignored++;
        return { outcome: 'ignored', incident: null };
      }
      return serially(`${event.tenantId ?? ''}|${event.techniques[0] ?? ''}|${event.source.ip ?? ''}`, () => take(event));
    },
  };
}
