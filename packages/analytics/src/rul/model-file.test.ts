import { isYulianError } from '@yulian/core';
import { describe, expect, it } from 'vitest';
import { FD001_SENSORS, FEATURES_PER_SENSOR } from './features.js';
import type { RulModel } from './model.js';
import { parseRulModel, serializeRulModel } from './model-file.js';
import { predict } from './predict.js';

/** A hand-built model: one stump on the last value of sensor 2 (feature 0). */
const model: RulModel = {
  spec: {
    sensors: [...FD001_SENSORS],
    normalisation: { kind: 'z-score', mean: FD001_SENSORS.map(() => 0), std: FD001_SENSORS.map(() => 1) },
    window: 3,
    minHistory: 1,
    cap: 125,
    ewmAlpha: 0.2,
  },
  regressor: { kind: 'gbt', base: 100, learningRate: 0.5, trees: [{ feature: [0, -1, -1], threshold: [640, 0, 0], left: [1, -1, -1], right: [2, -1, -1], value: [0, 20, -60] }] },
  training: { dataset: 'hand-built', seed: 1, members: 1, trainUnits: 0, validationUnits: 0, validationRmse: 0, trainedAt: '2026-11-29T00:00:00.000Z' },
};

const reading = (s2: number): number[] => Array.from({ length: 21 }, (_, i) => (i === 1 ? s2 : 1));

const refusal = (text: string): string => {
  try {
    parseRulModel(text);
  } catch (e) {
    if (isYulianError(e, 'MODEL_INVALID')) return e.message;
    throw e;
  }
  throw new Error('the file was accepted');
};

describe('RUL model file', () => {
  it('round-trips a model with its format version, feature spec and checksum', () => {
    const text = serializeRulModel(model);
    const file = JSON.parse(text) as { format: string; version: number; checksum: { algorithm: string; value: string } };
    expect(file).toMatchObject({ format: 'yulian-rul-model', version: 1, checksum: { algorithm: 'sha256' } });
    expect(file.checksum.value).toMatch(/^[0-9a-f]{64}$/);
    const loaded = parseRulModel(text);
    expect(loaded).toEqual(model);
    expect(predict(loaded, [reading(630), reading(630), reading(630)])).toBe(110);
    expect(predict(loaded, [reading(650)])).toBe(70);
  });

  it('refuses a truncated file', () => {
    const text = serializeRulModel(model);
    expect(refusal(text.slice(0, Math.floor(text.length / 2)))).toMatch(/not complete JSON \(truncated or corrupted/);
  });

  it('refuses a corrupted file whose bytes changed', () => {
    const text = serializeRulModel(model).replace('"threshold":[640', '"threshold":[641');
    expect(refusal(text)).toMatch(/checksum does not match the body/);
  });

  it('refuses a tampered body even when the attacker recomputes nothing but the values', () => {
    const file = JSON.parse(serializeRulModel(model)) as { body: RulModel };
    file.body.spec.cap = 500;
    expect(refusal(JSON.stringify(file))).toMatch(/checksum does not match/);
  });

  it('refuses another format version and a file that is not a model', () => {
    expect(refusal(serializeRulModel(model).replace('"version":1', '"version":2'))).toMatch(/format version 2 is not supported \(this build reads version 1\)/);
    expect(refusal('{"hello":"world"}')).toMatch(/not a yulian-rul-model file/);
  });

  it('refuses a checksummed body whose tree points outside itself', async () => {
    const { createHash } = await import('node:crypto');
    const bad: RulModel = structuredClone(model);
    (bad.regressor.trees[0] as { left: number[] }).left = [0, -1, -1];
    const body = JSON.stringify(bad);
    const text = JSON.stringify({ format: 'yulian-rul-model', version: 1, checksum: { algorithm: 'sha256', value: createHash('sha256').update(body).digest('hex') }, body: bad });
    expect(refusal(text)).toMatch(/tree 0 node 0 points outside the tree/);
  });

  it('predicts from readings and rejects a reading without a needed sensor', () => {
    expect(FEATURES_PER_SENSOR.length * model.spec.sensors.length).toBe(84);
    expect(() => predict(model, [])).toThrow(/at least one reading/);
    expect(() => predict(model, [reading(630), { sensors: [1, 2, 3] }])).toThrow(/Reading 2 of the last 3 has no finite value for sensor 4/);
  });
});
