import { describe, expect, it } from 'vitest';
import { YulianError } from '@yulian/core';
import { checkRulMapping, predictFromBuckets, readingsFromBuckets, type RulInputMapping } from './binding.js';
import type { RulModel } from './model.js';

/** A one-tree model on inputs 1 and 2 (window 3, from 2 cycles): RUL 100 while input 1's last value ≤ 5, else 20. */
const model: RulModel = {
  spec: { sensors: [1, 2], normalisation: { kind: 'z-score', mean: [0, 0], std: [1, 1] }, window: 3, minHistory: 2, cap: 100, ewmAlpha: 0.2 },
  regressor: { kind: 'gbt', base: 0, learningRate: 1, trees: [{ feature: [0, -1, -1], threshold: [5, 0, 0], left: [1, -1, -1], right: [2, -1, -1], value: [0, 100, 20] }] },
  training: { dataset: 'test', seed: 1, members: 1, trainUnits: 1, validationUnits: 0, validationRmse: 0, trainedAt: '2026-11-29T00:00:00.000Z' },
};
const mapping: RulInputMapping[] = [
  { sensor: 1, point: 'vibration_rms', agg: 'max' },
  { sensor: 2, point: 'spindle_temp', agg: 'avg' },
];
const bucket = (ts: number, v: number) => ({ ts, avg: v, max: v + 1, min: v - 1 });

describe('RUL bindings', () => {
  it('accepts a mapping that gives every model input, and names what is missing, doubled or unknown', () => {
    expect(() => checkRulMapping(model, mapping, ['vibration_rms', 'spindle_temp'])).not.toThrow();
    const code = (fn: () => void): unknown => {
      try {
        fn();
      } catch (e) {
        return e instanceof YulianError ? [e.code, e.details?.['field']] : e;
      }
      return undefined;
    };
    expect(code(() => checkRulMapping(model, mapping.slice(0, 1)))).toEqual(['RUL_BINDING_INVALID', 'inputs']);
    expect(code(() => checkRulMapping(model, [mapping[0]!, { ...mapping[0]!, point: 'x' }]))).toEqual(['RUL_BINDING_INVALID', 'inputs[1].sensor']);
    expect(code(() => checkRulMapping(model, mapping, ['vibration_rms']))).toEqual(['RUL_BINDING_INVALID', 'inputs[1].point']);
    expect(code(() => checkRulMapping(model, [{ sensor: 22, point: 'x', agg: 'avg' }]))).toEqual(['RUL_BINDING_INVALID', 'inputs[0].sensor']);
  });

  it('builds one reading per cycle in which every mapped point has a bucket, with the chosen aggregate', () => {
    const buckets = new Map([
      ['vibration_rms', [bucket(0, 1), bucket(60, 2), bucket(120, 3)]],
      ['spindle_temp', [bucket(0, 40), bucket(120, 42)]],
    ]);
    const readings = readingsFromBuckets(mapping, buckets);
    expect(readings.map((r) => [r.ts, r.sensors[0], r.sensors[1]])).toEqual([
      [0, 2, 40],
      [120, 4, 42],
    ]);
  });

  it('predicts from the newest window, and not before the model’s minimum history', () => {
    const worn = new Map([
      ['vibration_rms', [bucket(0, 1), bucket(60, 2), bucket(120, 9)]],
      ['spindle_temp', [bucket(0, 40), bucket(60, 41), bucket(120, 42)]],
    ]);
    expect(predictFromBuckets(model, mapping, worn)).toEqual({ rul: 20, cycles: 3 });
    const young = new Map([
      ['vibration_rms', [bucket(0, 1)]],
      ['spindle_temp', [bucket(0, 40)]],
    ]);
    expect(predictFromBuckets(model, mapping, young)).toBeNull();
  });
});
