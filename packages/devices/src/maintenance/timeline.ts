import type { Alarm, DeviceHistoryEntryDto } from '@yulian/contracts';

/**
 * A device's alarms as history entries (kind `alarm`: raised, acknowledged, cleared), so the device's
 * history reads as one story — the alarm, the work order it led to, the maintenance and the return to
 * service — without a second copy of the alarm lifecycle in `device_history`.
 */
export function alarmHistoryEntries(alarms: readonly Alarm[]): DeviceHistoryEntryDto[] {
  const out: DeviceHistoryEntryDto[] = [];
  for (const a of alarms) {
    const details = { alarm: a.id, rule: a.rule, ruleName: a.ruleName, severity: a.severity, occurrences: a.occurrences, value: a.value };
    const entry = (step: string, ts: string, actor: string | null, from: string | null, to: string | null, reason: string): DeviceHistoryEntryDto => ({ id: `alarm-${a.id}-${step}`, device: a.device, ts, kind: 'alarm', actor, from, to, reason, details: { ...details, step } });
    out.push(entry('raised', a.raisedAt, null, null, 'active_unack', `${a.ruleName}: ${a.reason}`));
    if (a.ackedAt) out.push(entry('acknowledged', a.ackedAt, a.ackedBy, a.clearedAt && a.clearedAt < a.ackedAt ? 'cleared_unack' : 'active_unack', a.clearedAt && a.clearedAt < a.ackedAt ? 'cleared_ack' : 'active_ack', a.ruleName));
    if (a.clearedAt) out.push(entry('cleared', a.clearedAt, null, a.ackedAt && a.ackedAt <= a.clearedAt ? 'active_ack' : 'active_unack', a.ackedAt && a.ackedAt <= a.clearedAt ? 'cleared_ack' : 'cleared_unack', a.ruleName));
  }
  return out;
}

/** Two newest-first lists as one, newest first, at most `limit` long. */
export function mergeHistory(a: readonly DeviceHistoryEntryDto[], b: readonly DeviceHistoryEntryDto[], limit: number): DeviceHistoryEntryDto[] {
  return [...a, ...b].sort((x, y) => (x.ts < y.ts ? 1 : x.ts > y.ts ? -1 : x.id < y.id ? 1 : -1)).slice(0, limit);
}
