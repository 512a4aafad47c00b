import { describe, expect, it } from 'vitest';
import type { HealthComponent } from './health-api';
import { componentLine, healthLevel, rulLine, topReasons } from './health-format';

const components: HealthComponent[] = [
  { kind: 'run-hours', penalty: 3, reason: '', details: { hours: 3000 } },
  { kind: 'anomaly', penalty: 20.4, reason: '', details: { point: 'vibration_rms', score: 0.51 } },
  { kind: 'alarms', penalty: 0, reason: '', details: { active: 0, recent: 0 } },
];

describe('health formatting', () => {
  it('puts the health index in bands from 80 and 60', () => {
    expect([100, 80, 79, 60, 59, 0].map(healthLevel)).toEqual(['good', 'good', 'watch', 'watch', 'poor', 'poor']);
  });

  it('lists the reasons that cost points, largest first', () => {
    expect(topReasons(components).map((c) => c.kind)).toEqual(['anomaly', 'run-hours']);
    expect(componentLine(components[1] as HealthComponent)).toEqual({ key: 'health.reason.anomaly', values: { point: 'vibration_rms', score: '0.51' } });
  });

  it('words the remaining useful life in minutes, hours or days, and as "at least" at the model’s cap', () => {
    expect(rulLine({ rul: 42.4, rulUnitSeconds: 60, rulCap: 120, modelId: 'm' })).toEqual({ key: 'health.rul.minutes', values: { value: '42' } });
    expect(rulLine({ rul: 118.2, rulUnitSeconds: 60, rulCap: 120, modelId: 'm' })).toEqual({ key: 'health.rul.minutes', values: { value: '≥ 120' } });
    expect(rulLine({ rul: 90, rulUnitSeconds: 3600, rulCap: 125, modelId: 'm' })).toEqual({ key: 'health.rul.days', values: { value: '3.8' } });
    expect(rulLine({ rul: 10, rulUnitSeconds: 3600, rulCap: 125, modelId: 'm' })).toEqual({ key: 'health.rul.hours', values: { value: '10.0' } });
    expect(rulLine({ rul: null, rulUnitSeconds: null, rulCap: null, modelId: null })).toBeNull();
  });
});
