/** What the incident service's parts share: the store, the clock, row lookups, the timeline and numbering. */
import { randomUUID } from 'node:crypto';
import type { Incident, IncidentKind, IncidentTimelineKind } from '@yulian/contracts';
import { type Scope, type Store, YulianError } from '@yulian/core';
import { sql } from 'kysely';
import { type IncidentRow, taskFinished, toIncident } from './rows.js';

/** One timeline entry to append. */
export interface TimelineAppend {
  kind: IncidentTimelineKind;
  text: string;
  actor: string | null;
  details?: Record<string, unknown>;
  at?: number;
}

/** The shared helpers. */
export interface IncidentContext {
  readonly db: Store['db'];
  readonly now: () => number;
  /** @throws INCIDENT_NOT_FOUND */
  row(scope: Scope, id: string): Promise<IncidentRow>;
  /** The row, refusing a closed incident. @throws INCIDENT_NOT_FOUND, INCIDENT_CLOSED */
  open(scope: Scope, id: string): Promise<IncidentRow>;
  /** The incident as the API shows it, with its task figures. */
  view(row: IncidentRow): Promise<Incident>;
  /** Re-reads and shows an incident. */
  fresh(id: string): Promise<Incident>;
  /** Appends a timeline entry (numbered per incident, one after the other even across processes). */
  append(incident: { id: string; tenant_id: string | null }, entry: TimelineAppend): Promise<void>;
  /** The next number: INC-<year>-0001 or DRL-<year>-0001, per enterprise, kind and year. */
  nextNumber(tenantId: string | null, kind: IncidentKind, at: number): Promise<string>;
  /** Inserts a new open incident (numbered here) and answers its row. */
  insert(values: NewIncident): Promise<IncidentRow>;
}

/** What a new incident is given; everything else starts empty. */
export type NewIncident = Pick<IncidentRow, 'tenant_id' | 'title' | 'description' | 'severity' | 'kind' | 'group_key' | 'opened_by' | 'owner'> & {
  techniques?: readonly string[];
  sources?: readonly string[];
  assets?: readonly string[];
  at: number;
};

/** Creates the shared helpers. */
export function createIncidentContext(store: Store, now: () => number): IncidentContext {
  const db = store.db;
  const ofScope = (scope: Scope) => {
    const q = db.selectFrom('security_incidents').selectAll();
    return scope.kind === 'tenant' ? q.where('tenant_id', '=', scope.tenantId) : q;
  };
  const ctx: IncidentContext = {
    db,
    now,
    async row(scope, id) {
      const r = await ofScope(scope).where('id', '=', id).executeTakeFirst();
      if (!r) throw new YulianError('INCIDENT_NOT_FOUND', `No security incident ${id}.`);
      return r;
    },
    async open(scope, id) {
      const r = await ctx.row(scope, id);
      if (r.status === 'closed') throw new YulianError('INCIDENT_CLOSED', `Incident ${r.number} is closed; it can no longer be changed.`);
      return r;
    },
    async view(r) {
      const tasks = await db.selectFrom('security_incident_tasks').select(['status']).where('incident_id', '=', r.id).execute();
      return toIncident(r, { total: tasks.length, finished: tasks.filter((t) => taskFinished(t.status)).length });
    },
    async fresh(id) {
      return ctx.view(await db.selectFrom('security_incidents').selectAll().where('id', '=', id).executeTakeFirstOrThrow());
    },
    async append(incident, entry) {
      // The counter on the incident row numbers its entries: an atomic increment, so two writers never
      // take the same number (the primary key would refuse it anyway).
      const { timeline_seq: seq } = await db
        .updateTable('security_incidents')
        .set({ timeline_seq: sql<number>`timeline_seq + 1` })
        .where('id', '=', incident.id)
        .returning('timeline_seq')
        .executeTakeFirstOrThrow();
      await db
        .insertInto('security_incident_timeline')
        .values({ incident_id: incident.id, seq: Number(seq), tenant_id: incident.tenant_id, at: entry.at ?? now(), actor: entry.actor, kind: entry.kind, text: entry.text, details: JSON.stringify(entry.details ?? {}) })
        .execute();
    },
    async nextNumber(tenantId, kind, at) {
      const year = new Date(at).getUTCFullYear();
      const { last } = await db
        .insertInto('security_incident_serials')
        .values({ scope: tenantId ?? '', kind, year, last: 1 })
        .onConflict((oc) => oc.columns(['scope', 'kind', 'year']).doUpdateSet({ last: sql<number>`${sql.ref('security_incident_serials.last')} + 1` }))
        .returning('last')
        .executeTakeFirstOrThrow();
      return `${kind === 'drill' ? 'DRL' : 'INC'}-${year}-${String(last).padStart(4, '0')}`;
    },
    async insert(v) {
      const id = randomUUID();
      await db
        .insertInto('security_incidents')
        .values({
          id,
          tenant_id: v.tenant_id,
          number: await ctx.nextNumber(v.tenant_id, v.kind as IncidentKind, v.at),
          title: v.title,
          description: v.description,
          severity: v.severity,
          level: 0,
          status: 'open',
          kind: v.kind,
          techniques: JSON.stringify(v.techniques ?? []),
          sources: JSON.stringify(v.sources ?? []),
          assets: JSON.stringify(v.assets ?? []),
          group_key: v.group_key,
          event_count: 0,
          first_event_at: null,
          last_event_at: null,
          opened_by: v.opened_by,
          opened_at: v.at,
          owner: v.owner,
          plan_id: null,
          plan_name: null,
          closure: null,
          resolved_at: null,
          closed_by: null,
          closed_at: null,
          timeline_seq: 0,
          updated_at: v.at,
        })
        .execute();
      return db.selectFrom('security_incidents').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    },
  };
  return ctx;
}
