import type { CallOptions } from '../../api/client';
import { createJsonCaller, type JsonCallerOptions } from '../../api/json-caller';
import type { Alarm, AlarmComment, AlarmEvent, AlarmFlood, AlarmQuery, AlarmRule, AlarmRuleInput, RuleTrial } from './alarm-types';

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
  /** Whether the enterprise (and the caller's notifications) is in an alarm flood, ISA-18.2's 10 in 10 minutes. */
  flood(options?: CallOptions): Promise<AlarmFlood>;
}

/** Options of {@link createAlarmApi}: the session's token (and, for tests, a fetch). */
export type AlarmApiOptions = JsonCallerOptions;

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

/**
 * Creates the alarm API client: bearer token on every call, an `ApiError` on every failure.
 *
 * @example
 * const alarms = createAlarmApi({ token: () => api.token() });
 * const active = await alarms.listAlarms({ active: true });
 */
export function createAlarmApi(options: AlarmApiOptions): AlarmApi {
  const { call, items } = createJsonCaller(options);
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
    flood: (o) => call('/api/v1/alarms/flood', { signal: o?.signal }),
  };
}
