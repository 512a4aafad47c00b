/**
 * The demo's bearing-wear RUL model ships as a file (packages/server/assets/) so a fresh demo does not spend
 * 7–13 s of CPU training it at every start. The file must stay what training gives: this test trains it
 * (seed 1, the fixed `trainedAt`) and compares byte for byte.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseRulModel } from '@yulian/analytics';
import { demoBearingModelPath, simBearingModelName, trainDemoBearingModelFile } from '@yulian/server';

describe('the shipped demo RUL model', () => {
  it('is a valid model file, identical to what training the sim bearing model gives today', () => {
    const shipped = readFileSync(demoBearingModelPath, 'utf8');
    const model = parseRulModel(shipped);
    expect(model.training.dataset).toBe('virtual factory bearing wear');
    expect(model.training.seed).toBe(1);
    const trained = trainDemoBearingModelFile();
    // On a mismatch: `npm run build && npm run demo-rul-model` writes the file again (the sim or the trainer changed).
    expect(shipped === trained, `${demoBearingModelPath} is stale for "${simBearingModelName}": run npm run build && npm run demo-rul-model`).toBe(true);
  }, 120_000);
});
