import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { readCmapssDataset } from './dataset.js';
import { evaluateRul, trainRulModel } from './model.js';
import { parseRulModel, serializeRulModel } from './model-file.js';
import { predict } from './predict.js';

const dataDir = fileURLToPath(new URL('../../../../../shared/data/cmapss', import.meta.url));

/**
 * The full training (~15 s of CPU, over 60 s on a loaded CI machine) runs in a worker thread on the built
 * package (`npm test` builds it first), so the test's own thread stays free: blocked for more than 60 s,
 * Vitest's worker misses its RPC time limit and the run fails with "Timeout calling onTaskUpdate".
 */
function trainInWorker(units: unknown): Promise<string> {
  const dist = new URL('../../dist/index.js', import.meta.url).href;
  const source = `
    const { parentPort, workerData } = require('node:worker_threads');
    import(${JSON.stringify(dist)}).then(({ trainRulModel, serializeRulModel }) => {
      parentPort.postMessage(serializeRulModel(trainRulModel(workerData, { seed: 1, now: () => new Date('2026-11-29T00:00:00Z') })));
    }, (err) => { throw err; });
  `;
  return new Promise((resolve, reject) => {
    const worker = new Worker(source, { eval: true, workerData: units });
    worker.once('message', (file: string) => resolve(file));
    worker.once('error', reject);
    worker.once('exit', (code) => (code === 0 ? undefined : reject(new Error(`the training worker exited with ${code}`))));
  });
}

describe('remaining useful life on C-MAPSS FD001', () => {
  it('finds the shared FD001 data', () => {
    expect(existsSync(`${dataDir}/train_FD001.txt`)).toBe(true);
  });

  // Full training, seed 1: measured test RMSE 12.59, PHM08 271.3 (seeds 1–10: 12.46–13.04; docs/benchmarks.md).
  // The bounds leave room for arithmetic differences across platforms, not for a worse model.
  it('trains in process and reaches test RMSE ≤ 13.5 (target 16) at each engine’s last cycle', { timeout: 240_000 }, async () => {
    const data = readCmapssDataset(dataDir);
    expect(data.train).toHaveLength(100);
    expect(data.test).toHaveLength(100);
    const model = parseRulModel(await trainInWorker(data.train));
    const result = evaluateRul(model, data.test, data.trueRul);
    expect(result.rmse).toBeLessThanOrEqual(13.5);
    expect(result.phm08).toBeLessThan(350);
    expect(model.training.validationRmse).toBeLessThan(14);

    // The saved model predicts the same; predict() on the last `window` readings agrees with the evaluation.
    const loaded = parseRulModel(serializeRulModel(model));
    const online = data.test.map((u) => predict(loaded, u.rows.slice(-loaded.spec.window)));
    online.forEach((p, i) => expect(p).toBeCloseTo(result.predictions[i] as number, 9));

    // Along a run to failure the estimate falls: early cycles near the cap, the last ones near zero.
    const engine = data.train[0]?.rows ?? [];
    const at = (end: number): number => predict(loaded, engine.slice(Math.max(0, end - loaded.spec.window), end));
    expect(at(40)).toBeGreaterThan(100);
    expect(at(engine.length)).toBeLessThan(20);
  });

  it('gives the same model for the same seed and another for another seed', () => {
    const data = readCmapssDataset(dataDir);
    const small = (seed: number): string =>
      serializeRulModel(trainRulModel(data.train.slice(0, 20), { seed, members: 2, boost: { rounds: 15 }, now: () => new Date('2026-11-29T00:00:00Z') }));
    expect(small(3)).toBe(small(3));
    expect(small(4)).not.toBe(small(3));
  });
});
