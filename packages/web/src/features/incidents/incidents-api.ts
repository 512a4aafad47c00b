import type {
  Incident,
  IncidentCounts,
  IncidentEvent,
  IncidentEvidence,
  IncidentEvidenceInput,
  IncidentInput,
  IncidentKind,
  IncidentPatch,
  IncidentStatus,
  IncidentStatusChange,
  IncidentTask,
  IncidentTaskInput,
  IncidentTaskPatch,
  IncidentTimelineEntry,
  ResponsePlan,
  ResponsePlanInput,
} from '@yulian/contracts';
import type { CallOptions } from '../../api/client';
import { createJsonCaller, type JsonCallerOptions } from '../../api/json-caller';

export type { Incident, IncidentCounts, IncidentEvent, IncidentEvidence, IncidentKind, IncidentStatus, IncidentTask, IncidentTimelineEntry, ResponsePlan };

/** Filters of the incident list: real incidents or drills, never both. */
export interface IncidentListFilter {
  kind?: IncidentKind;
  status?: IncidentStatus | 'active';
}

/** The incident and response-plan API (`/api/v1/security/incidents`, `/api/v1/security/plans`) as the console uses it. */
export interface IncidentsApi {
  list(filter?: IncidentListFilter, options?: CallOptions): Promise<Incident[]>;
  counts(options?: CallOptions): Promise<IncidentCounts>;
  get(id: string, options?: CallOptions): Promise<Incident>;
  create(body: IncidentInput): Promise<Incident>;
  update(id: string, body: IncidentPatch): Promise<Incident>;
  setStatus(id: string, body: IncidentStatusChange): Promise<Incident>;
  applyPlan(id: string, planId: string): Promise<Incident>;
  timeline(id: string, options?: CallOptions): Promise<IncidentTimelineEntry[]>;
  comment(id: string, text: string): Promise<IncidentTimelineEntry>;
  events(id: string, options?: CallOptions): Promise<IncidentEvent[]>;
  tasks(id: string, options?: CallOptions): Promise<IncidentTask[]>;
  addTask(id: string, body: IncidentTaskInput): Promise<IncidentTask>;
  updateTask(id: string, taskId: string, body: IncidentTaskPatch): Promise<IncidentTask>;
  evidence(id: string, options?: CallOptions): Promise<IncidentEvidence[]>;
  addEvidence(id: string, body: IncidentEvidenceInput): Promise<IncidentEvidence>;
  plans(options?: CallOptions): Promise<ResponsePlan[]>;
  createPlan(body: ResponsePlanInput): Promise<ResponsePlan>;
  removePlan(id: string): Promise<ResponsePlan>;
}

/**
 * Creates the incidents API client.
 * @example const incidents = createIncidentsApi({ token: () => api.token() }); await incidents.list({ kind: 'drill' });
 */
export function createIncidentsApi(options: JsonCallerOptions): IncidentsApi {
  const { call, items } = createJsonCaller(options);
  const base = '/api/v1/security/incidents';
  const one = (id: string) => `${base}/${encodeURIComponent(id)}`;
  const plans = '/api/v1/security/plans';
  return {
    list: (filter = {}, o) => {
      const q = new URLSearchParams();
      if (filter.kind) q.set('kind', filter.kind);
      if (filter.status) q.set('status', filter.status);
      const query = q.toString();
      return items(query ? `${base}?${query}` : base, o?.signal);
    },
    counts: (o) => call(`${base}/counts`, { signal: o?.signal }),
    get: (id, o) => call(one(id), { signal: o?.signal }),
    create: (body) => call(base, { method: 'POST', body }),
    update: (id, body) => call(one(id), { method: 'PATCH', body }),
    setStatus: (id, body) => call(`${one(id)}/status`, { method: 'POST', body }),
    applyPlan: (id, planId) => call(`${one(id)}/plan`, { method: 'POST', body: { planId } }),
    timeline: (id, o) => items(`${one(id)}/timeline`, o?.signal),
    comment: (id, text) => call(`${one(id)}/comments`, { method: 'POST', body: { text } }),
    events: (id, o) => items(`${one(id)}/events`, o?.signal),
    tasks: (id, o) => items(`${one(id)}/tasks`, o?.signal),
    addTask: (id, body) => call(`${one(id)}/tasks`, { method: 'POST', body }),
    updateTask: (id, taskId, body) => call(`${one(id)}/tasks/${encodeURIComponent(taskId)}`, { method: 'PATCH', body }),
    evidence: (id, o) => items(`${one(id)}/evidence`, o?.signal),
    addEvidence: (id, body) => call(`${one(id)}/evidence`, { method: 'POST', body }),
    plans: (o) => items(plans, o?.signal),
    createPlan: (body) => call(plans, { method: 'POST', body }),
    removePlan: (id) => call(`${plans}/${encodeURIComponent(id)}`, { method: 'DELETE' }),
  };
}
