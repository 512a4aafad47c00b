import { describe, expect, it } from 'vitest';
import { computeHealthIndex, pointAnomalyScore } from './health-index.js';

/** A seeded noisy series around `level`, one value a minute. */
const series = (n: number, level: (i: number) => number, seed = 1): Array<[number, number]> => {
  let s = seed;
  const rnd = (): number => ((s = (s * 16807) % 2147483647) / 2147483647) - 0.5;
  return Array.from({ length: n }, (_, i) => [i * 60_000, level(i) + 0.1 * rnd()]);
};

describe('health index', () => {
  it('is 100 for a device with nothing wrong', () => {
    const h = computeHealthIndex({ anomaly: [{ point: 'temp', score: 0.1 }], activeAlarms: [], recentAlarms: 0, runHours: 0 });
    expect(h.health).toBe(100);
    expect(h.components.every((c) => c.penalty === 0)).toBe(true);
  });

  it('takes the worst point’s anomaly, active alarms by severity, recent alarms and run hours, each capped', () => {
    const h = computeHealthIndex({ anomaly: [{ point: 'temp', score: 0.3 }, { point: 'vibration_rms', score: 0.5 }], activeAlarms: ['major'], recentAlarms: 3, runHours: 5_000 });
    // anomaly 40 × (0.5 − 0.25) / 0.5 = 20; alarms 15 + 2 × 3 = 21; run hours 20 × 5000 / 20000 = 5.
    expect(h.health).toBe(54);
    expect(h.components.map((c) => [c.kind, c.penalty])).toEqual([['alarms', 21], ['anomaly', 20], ['run-hours', 5]]);
    expect(h.components[1]?.details).toEqual({ point: 'vibration_rms', score: 0.5 });
    const worst = computeHealthIndex({ anomaly: [{ point: 'x', score: 1 }], activeAlarms: ['critical', 'critical'], recentAlarms: 40, runHours: 90_000 });
    expect(worst.health).toBe(0);
    expect(worst.components.map((c) => c.penalty)).toEqual([40, 40, 20]);
  });

  it('scores a point’s recent values against the normal the detector learned', () => {
    const normal = series(200, () => 5);
    const jumped = series(200, (i) => (i >= 195 ? 8 : 5));
    expect(pointAnomalyScore(normal)).toBeLessThan(0.25);
    expect(pointAnomalyScore(jumped)).toBeGreaterThan(0.6);
    // Too short to learn from, or a counter (never decreasing): no score.
    expect(pointAnomalyScore(jumped.slice(0, 20))).toBe(0);
    expect(pointAnomalyScore(series(200, (i) => i * 10))).toBe(0);
  });
});
