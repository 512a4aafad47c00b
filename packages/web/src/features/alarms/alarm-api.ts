import { ApiError, type CallOptions } from '../../api/client';
import type { Alarm, AlarmComment, AlarmEvent, AlarmQuery, AlarmRule, AlarmRuleInput, RuleTrial } from './alarm-types';

/** The alarm APIs as the console uses them. */
export interface AlarmApi {
  listRules(options?: CallOptions): Promise<AlarmRule[]>;
  /** Creates a rule; 400 `ALARM_RULE_INVALID` with `details.field` (and `details.position` in an expression). */
  createRule(body: AlarmRuleInput): Promise<AlarmRule>;
  /** Replaces a rule (its open alarms are cleared and the new definition decides afresh). */
  updateRule(id: string, body: AlarmRuleInput): Promise<AlarmRule>;
  /** Deletes a rule; its alarms stay, as history. */
  deleteRule(id: string): Promise<AlarmRule>;
  /** Replays a rule over a device's stored history (default the last 7 days) without saving it. */
  tryRule(rule: AlarmRuleInput, device: string): Promise<RuleTrial>;
  /** Alarms, newest first. */
  listAlarms(query: AlarmQuery, options?: CallOptions): Promise<Alarm[]>;
  getAlarm(id: string, options?: CallOptions): Promise<Alarm>;
  /** Acknowledges an alarm; idempotent (the first acknowledgement stays). */
  acknowledge(id: string): Promise<Alarm>;
  /** Assigns an alarm to a user by username, or to nobody with null. */
  assign(id: string, assignee: string | null): Promise<Alarm>;
  /** Comments on an alarm, oldest first. */
  comments(id: string, options?: CallOptions): Promise<AlarmComment[]>;
  addComment(id: string, text: string): Promise<AlarmComment>;
  /** Shelves an active alarm for `minutes` with a reason; 409 `ALARM_SHELVE_INVALID` when cleared or too long. */
  shelve(id: string, minutes: number, reason: string): Promise<Alarm>;
  /** Unshelves an alarm now. */
  unshelve(id: string): Promise<Alarm>;
  /** What happened to the alarm, oldest first. */
  events(id: string, options?: CallOptions): Promise<AlarmEvent[]>;
}

/** Options of {@link createAlarmApi}. */
export interface AlarmApiOptions {
  /** The session's bearer token (null when logged out). */
  token: () => string | null;
  baseUrl?: string;
  /** Injected for tests; defaults to the global fetch. */
  fetch?: typeof fetch;
}

/** The query string of an alarm list, e.g. `?active=true&device=cnc-01&limit=200`. */
export function alarmQueryString(query: AlarmQuery): string {
  const q = new URLSearchParams();
  if (query.active !== undefined) q.set('active', String(query.active));
  if (query.shelved !== undefined) q.set('shelved', String(query.shelved));
  if (query.device) q.set('device', query.device);
  if (query.limit !== undefined) q.set('limit', String(query.limit));
  const s = q.toString();
  return s ? `?${s}` : '';
}

async function readError(response: Response): Promise<ApiError> {
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  const error = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | undefined)?.error;
  if (error && typeof error.code === 'string' && typeof error.message === 'string') {
    const details = typeof error.details === 'object' && error.details !== null ? (error.details as Record<string, unknown>) : undefined;
    return new ApiError(response.status, error.code, error.message, details);
  }
  return new ApiError(response.status, 'UNKNOWN', `HTTP ${response.status} ${response.statusText}`.trim());
}

/**
 * Creates the alarm API client: bearer token on every call, {@link ApiError} on every failure.
 *
 * @example
 * const alarms = createAlarmApi({ token: () => api.token() });
 * const active = await alarms.listAlarms({ active: true });
 */
export function createAlarmApi(options: AlarmApiOptions): AlarmApi {
  const baseUrl = options.baseUrl ?? '';
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));

  async function call<T>(path: string, c: { method?: string; body?: unknown; signal?: AbortSignal | undefined } = {}): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    const token = options.token();
    if (token) headers.authorization = `Bearer ${token}`;
    if (c.body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await doFetch(`${baseUrl}${path}`, { method: c.method ?? 'GET', headers, body: c.body === undefined ? undefined : JSON.stringify(c.body), signal: c.signal });
    } catch (cause) {
      if (c.signal?.aborted) throw cause;
      throw new ApiError(0, 'NETWORK', cause instanceof Error ? cause.message : String(cause));
    }
    if (!response.ok) throw await readError(response);
    return (await response.json()) as T;
  }
  const items = async <T>(path: string, signal?: AbortSignal): Promise<T[]> => (await call<{ items: T[] }>(path, { signal })).items;
  const rule = (id: string) => `/api/v1/alarm-rules/${encodeURIComponent(id)}`;
  const alarm = (id: string) => `/api/v1/alarms/${encodeURIComponent(id)}`;

  return {
    listRules: (o) => items('/api/v1/alarm-rules', o?.signal),
    createRule: (body) => call('/api/v1/alarm-rules', { method: 'POST', body }),
    updateRule: (id, body) => call(rule(id), { method: 'PUT', body }),
    tryRule: (body, device) => call('/api/v1/alarm-rules/try', { method: 'POST', body: { rule: body, device } }),
    deleteRule: (id) => call(rule(id), { method: 'DELETE' }),
    listAlarms: (query, o) => items(`/api/v1/alarms${alarmQueryString(query)}`, o?.signal),
    getAlarm: (id, o) => call(alarm(id), { signal: o?.signal }),
    acknowledge: (id) => call(`${alarm(id)}/ack`, { method: 'POST' }),
    assign: (id, assignee) => call(`${alarm(id)}/assignee`, { method: 'PUT', body: { assignee } }),
    comments: (id, o) => items(`${alarm(id)}/comments`, o?.signal),
    addComment: (id, text) => call(`${alarm(id)}/comments`, { method: 'POST', body: { text } }),
    shelve: (id, minutes, reason) => call(`${alarm(id)}/shelve`, { method: 'POST', body: { minutes, reason } }),
    unshelve: (id) => call(`${alarm(id)}/unshelve`, { method: 'POST' }),
    events: (id, o) => items(`${alarm(id)}/events`, o?.signal),
  };
}
