import type { MessageKey } from '../../i18n';
import type { Alarm, AlarmState, ConditionKind, Severity } from './alarm-types';
import { severities } from './alarm-types';

/** The label of each severity: 紧急 / 重要 / 次要 / 警告. */
export const severityLabel: Record<Severity, MessageKey> = {
  critical: 'alarms.severity.critical',
  major: 'alarms.severity.major',
  minor: 'alarms.severity.minor',
  warning: 'alarms.severity.warning',
};

/** The label of each alarm state. */
export const stateLabel: Record<AlarmState, MessageKey> = {
  active_unack: 'alarms.state.active_unack',
  active_ack: 'alarms.state.active_ack',
  cleared_unack: 'alarms.state.cleared_unack',
  cleared_ack: 'alarms.state.cleared_ack',
};

/** The badge of each alarm state: red while active and unacknowledged, grey once cleared and acknowledged. */
export const stateBadge: Record<AlarmState, string> = {
  active_unack: 'badge badge-alert',
  active_ack: 'badge badge-warn',
  cleared_unack: 'badge',
  cleared_ack: 'badge badge-off',
};

/** The label of each condition kind. */
export const kindLabel: Record<ConditionKind, MessageKey> = {
  threshold: 'alarms.kind.threshold',
  range: 'alarms.kind.range',
  rate: 'alarms.kind.rate',
  noData: 'alarms.kind.noData',
  expression: 'alarms.kind.expression',
  anomaly: 'alarms.kind.anomaly',
};

/** The server's severity string as a known severity, or undefined for one this console does not know. */
export const asSeverity = (s: string): Severity | undefined => severities.find((x) => x === s);

/** True while nobody has acknowledged the alarm (active or cleared). */
export const isUnacknowledged = (alarm: Pick<Alarm, 'state'>): boolean => alarm.state === 'active_unack' || alarm.state === 'cleared_unack';

/**
 * The list's order: active alarms first, then the more severe, then the most recently seen.
 *
 * @example
 * [...alarms].sort(compareAlarms)
 */
export function compareAlarms(a: Alarm, b: Alarm): number {
  if (a.active !== b.active) return a.active ? -1 : 1;
  // An unknown severity sorts after the known ones.
  const rank = (s: string) => {
    const known = asSeverity(s);
    return known ? severities.indexOf(known) : severities.length;
  };
  if (rank(a.severity) !== rank(b.severity)) return rank(a.severity) - rank(b.severity);
  return b.lastAt.localeCompare(a.lastAt);
}

/** The value that raised an alarm as text: numbers as they are, booleans and strings as given, null as undefined. */
export function valueText(value: Alarm['value']): string | undefined {
  if (value === null) return undefined;
  return typeof value === 'number' ? String(Math.round(value * 1000) / 1000) : String(value);
}
