/**
 * The shapes of alarm rules and alarms (issue 6), shared by the rule engine (analytics), the store
 * (devices), the API (server) and the console. Types only, and the closed lists they are built from.
 */

/** Alarm severities, most severe first (ThingsBoard's and ISA-18.2's four priorities). */
export const severities = ['critical', 'major', 'minor', 'warning'] as const;
export type Severity = (typeof severities)[number];

/** A comparison of a threshold or rate condition. */
export type Comparison = '>' | '>=' | '<' | '<=';
/** Every comparison, in the order a form offers them. */
export const comparisons: readonly Comparison[] = ['>', '>=', '<', '<='];

/** The online anomaly detectors (analytics/anomaly). */
export const anomalyDetectorKinds = ['robust-z', 'ewma-cusum', 'windowed-gaussian'] as const;
export type AnomalyDetectorKind = (typeof anomalyDetectorKinds)[number];

/** What makes a rule true. */
export type AlarmCondition =
  /** The point's value compared with a limit; clears once back beyond the limit by `deadband`. */
  | { kind: 'threshold'; point: string; op: Comparison; value: number; deadband?: number }
  /** The value outside [min, max] (or inside, with `inside`); clears once back by `deadband`. */
  | { kind: 'range'; point: string; min: number; max: number; inside?: boolean; deadband?: number }
  /** The change per `perSeconds` (default 60) between the last two values, compared with a limit. */
  | { kind: 'rate'; point: string; op: Comparison; value: number; perSeconds?: number }
  /** No new value of the point (or of any point of the device) for `seconds`. */
  | { kind: 'noData'; point?: string; seconds: number }
  /** An expression over the device's points (analytics/expression); its value must be a condition. */
  | { kind: 'expression'; expression: string }
  /**
   * Early warning: the point's values deviate from what the online detector learned as normal for this
   * device; holds from an anomalous value until `clearAfterSeconds` (default 300) pass without one.
   */
  | { kind: 'anomaly'; point: string; sensitivity?: number; detector?: AnomalyDetectorKind; clearAfterSeconds?: number };

/** The kind of a condition. */
export type AlarmConditionKind = AlarmCondition['kind'];

/** Where an alarm is in its lifecycle (ThingsBoard's four states). */
export const alarmStates = ['active_unack', 'active_ack', 'cleared_unack', 'cleared_ack'] as const;
export type AlarmState = (typeof alarmStates)[number];

/** One alarm: a device and rule's raise, counted while active, until it clears. */
export interface Alarm {
  id: string;
  tenantId: string | null;
  device: string;
  rule: string;
  ruleName: string;
  severity: string;
  state: AlarmState;
  active: boolean;
  raisedAt: string;
  lastAt: string;
  clearedAt: string | null;
  ackedAt: string | null;
  ackedBy: string | null;
  assignee: string | null;
  /** Raises folded into this occurrence while it was active. */
  occurrences: number;
  value: number | boolean | string | null;
  reason: string;
  /** Shelved (ISA-18.2) until then (ISO time): it notifies nobody and is hidden from the default list. */
  shelvedUntil: string | null;
  shelvedBy: string | null;
  shelveReason: string | null;
  /** Raised while its device was under maintenance: recorded, but it notifies nobody. */
  suppressed: boolean;
  /** When it escalated, unacknowledged past its rule's escalation time. */
  escalatedAt: string | null;
}

/** What happened to an alarm; every transition is one event in the outbox that notifications fan out of. */
export const alarmEventKinds = ['raised', 'cleared', 'acknowledged', 'assigned', 'escalated', 'shelved', 'unshelved'] as const;
export type AlarmEventKind = (typeof alarmEventKinds)[number];

/** One alarm event, as the live stream and the notification outbox carry it. */
export interface AlarmEvent {
  id: string;
  kind: AlarmEventKind;
  /** ISO time. */
  at: string;
  actor: string | null;
  /** Why it notifies nobody: the device is under maintenance, or the alarm is shelved. */
  quiet: 'suppressed' | 'shelved' | null;
  alarm: Alarm;
}

/** Whom an unacknowledged alarm escalates to, and after how long. */
export interface AlarmEscalation {
  afterMinutes: number;
  /** Every user of the enterprise with one of these roles. */
  roles?: string[];
  /** These users (usernames). */
  users?: string[];
}

/** A comment on an alarm. */
export interface AlarmComment {
  id: string;
  alarmId: string;
  ts: string;
  author: string | null;
  text: string;
}

/** What a rule is written from: on one `device`, on every device of a `profile`, or (neither) on every device of the enterprise. */
export interface AlarmRuleInput {
  name: string;
  severity: Severity;
  condition: AlarmCondition;
  forSeconds?: number;
  device?: string | null;
  /** A device profile's id: the rule watches every device of that profile (not together with `device`). */
  profile?: string | null;
  enabled?: boolean;
  /** Escalate once when still unacknowledged this long after the raise; null/absent: never. */
  escalation?: AlarmEscalation | null;
}

/** A stored alarm rule. */
export interface AlarmRule {
  id: string;
  tenantId: string | null;
  name: string;
  severity: Severity;
  condition: AlarmCondition;
  forSeconds: number;
  device: string | null;
  profile: string | null;
  enabled: boolean;
  escalation: AlarmEscalation | null;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
}

/**
 * Alarm flood state (ISA-18.2: more than `limit` alarms in `windowMinutes`), `GET /api/v1/alarms/flood`:
 * the caller's enterprise (all, for platform admins) and the caller's own notifications.
 */
export interface AlarmFlood {
  limit: number;
  windowMinutes: number;
  /** More than `limit` alarms (raised or escalated, not suppressed or shelved) in the scope within the window. */
  inFlood: boolean;
  count: number;
  /** When the count last rose above the limit (ISO); null when not in flood. */
  since: string | null;
  /** The five devices and rules with most alarms in the window, most first. */
  top: {
    devices: Array<{ device: string; count: number }>;
    rules: Array<{ rule: string; ruleName: string; count: number }>;
  };
  user: {
    username: string;
    /** The user's channels got more than `limit` alarm notifications within the window: the rest are held. */
    inFlood: boolean;
    count: number;
    since: string | null;
    /** Alarm notifications held (not sent) for the user's channels within the window. */
    held: number;
    /** When the user's last flood summary was written within the window. */
    summaryAt: string | null;
  };
}
