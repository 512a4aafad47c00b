/**
 * The shapes of the alarm APIs (`/api/v1/alarm-rules`, `/api/v1/alarms`) as docs/api.md describes them.
 * Written here rather than imported: the server declares them in its own route file, not in contracts.
 */

/** An alarm's severity, most urgent first. */
export type Severity = 'critical' | 'major' | 'minor' | 'warning';

/** Every severity, most urgent first (the order of the form's choices and of sorting). */
export const severities: readonly Severity[] = ['critical', 'major', 'minor', 'warning'];

/** A comparison of a threshold or rate condition. */
export type Comparison = '>' | '>=' | '<' | '<=';

/** Every comparison, in the order the form offers them. */
export const comparisons: readonly Comparison[] = ['>', '>=', '<', '<='];

/** When a rule raises its alarm: one point against a value or range, its rate, its silence, or an expression. */
export type AlarmCondition =
  | { kind: 'threshold'; point: string; op: Comparison; value: number; deadband?: number }
  | { kind: 'range'; point: string; min: number; max: number; inside?: boolean; deadband?: number }
  | { kind: 'rate'; point: string; op: Comparison; value: number; perSeconds?: number }
  | { kind: 'noData'; point?: string; seconds: number }
  | { kind: 'expression'; expression: string };

/** The kind of a condition. */
export type ConditionKind = AlarmCondition['kind'];

/** Every condition kind, in the order the form offers them. */
export const conditionKinds: readonly ConditionKind[] = ['threshold', 'range', 'rate', 'noData', 'expression'];

/** Body of creating or replacing a rule; without `device` it watches every device of the enterprise. */
export interface AlarmRuleInput {
  name: string;
  severity: Severity;
  condition: AlarmCondition;
  forSeconds?: number;
  device?: string | null;
  enabled?: boolean;
}

/** A stored alarm rule. */
export interface AlarmRule extends Required<Omit<AlarmRuleInput, 'device'>> {
  id: string;
  tenantId: string | null;
  device: string | null;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
}

/** Where an alarm is in its lifecycle. */
export type AlarmState = 'active_unack' | 'active_ack' | 'cleared_unack' | 'cleared_ack';

/** One alarm: a device and rule's raise, counted while active, until it clears. */
export interface Alarm {
  id: string;
  tenantId: string | null;
  device: string;
  rule: string;
  ruleName: string;
  /** One of {@link Severity}; typed as the server's plain string. */
  severity: string;
  state: AlarmState;
  active: boolean;
  raisedAt: string;
  lastAt: string;
  clearedAt: string | null;
  ackedAt: string | null;
  ackedBy: string | null;
  assignee: string | null;
  occurrences: number;
  value: number | boolean | string | null;
  reason: string;
}

/** A comment on an alarm. */
export interface AlarmComment {
  id: string;
  alarmId: string;
  ts: string;
  author: string | null;
  text: string;
}

/** Which alarms to list. */
export interface AlarmQuery {
  /** true: active only; false: cleared only; absent: all. */
  active?: boolean;
  device?: string;
  limit?: number;
}
