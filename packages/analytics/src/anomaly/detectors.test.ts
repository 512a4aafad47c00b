import { describe, expect, it } from 'vitest';
import { type AnomalyDetectorKind, type AnomalyDetectorOptions, createAnomalyDetector, defaultAnomalyDetectorKind } from './detectors.js';
import { generateFaultSeries } from './labelled-faults.js';
import { benchmarkAnomalyDetectors, runDetector, scoreRuns } from './evaluate.js';

const alarmsOn = (kind: AnomalyDetectorKind, values: number[], options: AnomalyDetectorOptions = {}) =>
  runDetector(kind, [{ name: 't', signal: 'spindle-temp', timestamps: values.map((_, i) => i * 60_000), values, faults: [], windows: [] }], options)[0]?.detections ?? [];

/** Seeded Gaussian noise around 50 with σ 1. */
function noisy(n: number, seed: number): number[] {
  let a = seed;
  const rnd = () => ((a = (a * 16807) % 2147483647) / 2147483647);
  return Array.from({ length: n }, () => 50 + Math.sqrt(-2 * Math.log(Math.max(rnd(), 1e-12))) * Math.cos(2 * Math.PI * rnd()));
}

describe.each(['robust-z', 'ewma-cusum'] as const)('%s detector', (kind) => {
  it('stays quiet on seeded noise at a 5σ threshold and nearly so on clean plant series (measured bound: ewma-cusum 2, robust-z 3 alarms per 1,000 records)', () => {
    // At the default 3.5σ, Gaussian noise alone crosses about 1.4 times in 3,000 records; 5σ almost never.
    expect(alarmsOn(kind, noisy(3000, 1), { sensitivity: 0.2 })).toEqual([]);
    for (const signal of ['spindle-temp', 'vibration-rms', 'air-pressure'] as const) {
      for (const seed of [101, 102]) expect(alarmsOn(kind, generateFaultSeries({ signal, seed, faults: [] }).values).length).toBeLessThanOrEqual(kind === 'robust-z' ? 9 : 6);
    }
  });
  it('raises on a 10σ spike at once', () => {
    const values = noisy(3000, 2);
    values[1500] = 60;
    expect(alarmsOn(kind, values, { holdOff: 0 })).toContain(1500);
  });
  it('raises on a 5σ level shift within 20 records', () => {
    const values = noisy(3000, 3).map((v, i) => (i >= 1500 ? v + 5 : v));
    const first = alarmsOn(kind, values).find((i) => i >= 1500);
    expect((first ?? Infinity) - 1500).toBeLessThanOrEqual(20);
  });
  it('raises on a stuck sensor within its stuck run', () => {
    const s = generateFaultSeries({ signal: 'air-pressure', seed: 8, faults: [{ kind: 'stuck-value', at: 1500 }] });
    const first = alarmsOn(kind, s.values).find((i) => i >= 1500);
    expect((first ?? Infinity) - 1500).toBeLessThanOrEqual(31);
  });
  it('raises no alarm during the warm-up, however odd the values', () => {
    const values = Array.from({ length: 200 }, (_, i) => (i % 7 === 0 ? 1000 : i));
    expect(alarmsOn(kind, values).every((i) => i >= 120)).toBe(true);
  });
  it('skips and counts NaN and Infinity without crashing', () => {
    const d = createAnomalyDetector(kind);
    for (let i = 0; i < 200; i++) d.update(i, 20 + Math.sin(i));
    const r = d.update(200, Number.NaN);
    expect(r).toMatchObject({ skipped: true, anomalous: false, score: 0 });
    d.update(201, Infinity);
    d.update(Number.NaN, 20);
    expect(d.update(203, 20.5).skipped).toBe(false);
    expect(d.stats()).toMatchObject({ points: 201, skipped: 3 });
  });
});

describe('detector configuration', () => {
  it('refuses a sensitivity outside 0–1 with a sentence saying what to pass', () => {
    expect(() => createAnomalyDetector('robust-z', { sensitivity: 1.5 })).toThrow(/between 0 and 1/);
    expect(() => createAnomalyDetector('ewma-cusum', { window: 3 })).toThrow(/window/);
  });
  it('alarms on more when more sensitive', () => {
    const s = generateFaultSeries({ signal: 'vibration-rms', seed: 5, faults: [{ kind: 'variance-change', at: 1500 }] });
    const count = (sensitivity: number) => runDetector('ewma-cusum', [s], { sensitivity, holdOff: 0 })[0]?.detections.length ?? 0;
    expect(count(0.9)).toBeGreaterThan(count(0.2));
  });
});

describe('NAB score on the labelled fault corpus', () => {
  it('gives the default detector more than 50 (measured 56.3, docs/benchmarks.md) and beats the windowed Gaussian', () => {
    const rows = benchmarkAnomalyDetectors({ sensitivities: [0.5] });
    const best = rows.find((r) => r.detector !== 'perfect');
    expect(best?.detector).toBe(defaultAnomalyDetectorKind);
    expect(best?.score).toBeGreaterThan(50);
    const gaussian = rows.find((r) => r.detector === 'windowed-gaussian');
    expect(best?.score ?? 0).toBeGreaterThan(gaussian?.score ?? Infinity);
    expect(rows.find((r) => r.detector === 'null')?.score).toBe(0);
    expect(rows.find((r) => r.detector === 'perfect')?.score).toBe(100);
  });
  it('scores lower when the detector alarms on everything', () => {
    const corpus = [generateFaultSeries({ signal: 'spindle-temp', seed: 3, faults: [{ kind: 'spike', at: 1500 }] })];
    const flood = scoreRuns([{ series: corpus[0]!, detections: corpus[0]!.values.map((_, i) => i), scores: [] }]);
    expect(flood.score).toBeLessThan(0);
  });
});
