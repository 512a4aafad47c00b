import { describe, expect, it } from 'vitest';
import { compareAlarms, isUnacknowledged, valueText } from './alarm-format';
import type { Alarm } from './alarm-types';

const alarm = (id: string, over: Partial<Alarm>): Alarm => ({
  id,
  tenantId: 't',
  device: 'cnc-01',
  rule: 'r',
  ruleName: 'rule',
  severity: 'major',
  state: 'active_unack',
  active: true,
  raisedAt: '2025-01-01T00:00:00.000Z',
  lastAt: '2025-01-01T00:00:00.000Z',
  clearedAt: null,
  ackedAt: null,
  ackedBy: null,
  assignee: null,
  occurrences: 1,
  value: null,
  reason: '',
  shelvedUntil: null,
  shelvedBy: null,
  shelveReason: null,
  suppressed: false,
  escalatedAt: null,
  ...over,
});

describe('alarm formatting', () => {
  it('lists active alarms first, then by severity, then the most recently seen', () => {
    const list = [
      alarm('cleared-critical', { active: false, state: 'cleared_ack', severity: 'critical', lastAt: '2025-01-01T00:09:00.000Z' }),
      alarm('active-warning', { severity: 'warning' }),
      alarm('active-critical-old', { severity: 'critical', lastAt: '2025-01-01T00:01:00.000Z' }),
      alarm('active-critical-new', { severity: 'critical', lastAt: '2025-01-01T00:05:00.000Z' }),
      alarm('active-unknown', { severity: 'info' }),
    ];
    expect([...list].sort(compareAlarms).map((a) => a.id)).toEqual(['active-critical-new', 'active-critical-old', 'active-warning', 'active-unknown', 'cleared-critical']);
  });

  it('counts an alarm unacknowledged while nobody has acknowledged it, active or cleared', () => {
    expect(isUnacknowledged({ state: 'active_unack' })).toBe(true);
    expect(isUnacknowledged({ state: 'cleared_unack' })).toBe(true);
    expect(isUnacknowledged({ state: 'active_ack' })).toBe(false);
    expect(isUnacknowledged({ state: 'cleared_ack' })).toBe(false);
  });

  it('shows the raising value rounded, and nothing for null', () => {
    expect(valueText(81.23456)).toBe('81.235');
    expect(valueText(true)).toBe('true');
    expect(valueText('RUN')).toBe('RUN');
    expect(valueText(null)).toBeUndefined();
  });
});
