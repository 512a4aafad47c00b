// `yulian bench rul`: remaining useful life on C-MAPSS FD001 (issue 6) — the shipped model, trained in
// process as `yulian analytics train-rul` trains it (seed 1), against a ridge linear regression on the very
// same window features and training windows, both scored the usual way on the test set.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type CmapssUnit, type FeatureSpec, evaluateRul, fitFeatureSpec, phm08Score, readCmapssDataset, rmse, trainRulModel, windowFeatures } from '@yulian/analytics';
import type { BenchResult } from './types.js';

/** `../shared/data/cmapss` next to the repository, as `yulian analytics train-rul` finds it (this file sits at packages/cli/{src,dist}/bench/). */
const dataDir = fileURLToPath(new URL('../../../../../shared/data/cmapss', import.meta.url));

/** Z-scored readings of one engine, the spec's sensors only. */
const readingsOf = (spec: FeatureSpec, unit: CmapssUnit): Float64Array[] =>
  unit.rows.map((r) => Float64Array.from(spec.sensors, (s, k) => ((r.sensors[s - 1] ?? 0) - (spec.normalisation.mean[k] ?? 0)) / (spec.normalisation.std[k] ?? 1)));

/** Solves A x = b (A symmetric positive definite, n × n, row-major) by Gaussian elimination with partial pivoting. */
function solve(a: Float64Array[], b: Float64Array): Float64Array {
  const n = b.length;
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r]![c]!) > Math.abs(a[p]![c]!)) p = r;
    [a[c], a[p]] = [a[p]!, a[c]!];
    [b[c], b[p]] = [b[p]!, b[c]!];
    for (let r = c + 1; r < n; r++) {
      const f = a[r]![c]! / a[c]![c]!;
      if (f === 0) continue;
      for (let k = c; k < n; k++) a[r]![k]! -= f * a[c]![k]!;
      b[r]! -= f * b[c]!;
    }
  }
  const x = new Float64Array(n);
  for (let r = n - 1; r >= 0; r--) {
    let s = b[r]!;
    for (let k = r + 1; k < n; k++) s -= a[r]![k]! * x[k]!;
    x[r] = s / a[r]![r]!;
  }
  return x;
}

/**
 * The baseline: ridge regression (λ 1, intercept not penalised) on the model's own window features, fitted
 * on every training window (from `minHistory` cycles on, target RUL capped at 125), predictions clipped to
 * 0–cap like the model's.
 */
export function trainRidgeBaseline(spec: FeatureSpec, train: readonly CmapssUnit[], lambda = 1): (unit: CmapssUnit) => number {
  const rows: Float64Array[] = [];
  const ys: number[] = [];
  for (const u of train) {
    const readings = readingsOf(spec, u);
    for (let end = Math.min(spec.minHistory - 1, readings.length - 1); end < readings.length; end++) {
      const f = windowFeatures(spec, readings, end);
      const row = new Float64Array(f.length + 1);
      row.set(f);
      row[f.length] = 1;
      rows.push(row);
      ys.push(Math.min(spec.cap, readings.length - 1 - end));
    }
  }
  const d = rows[0]?.length ?? 1;
  const xtx = Array.from({ length: d }, () => new Float64Array(d));
  const xty = new Float64Array(d);
  rows.forEach((row, i) => {
    for (let j = 0; j < d; j++) {
      xty[j]! += row[j]! * ys[i]!;
      for (let k = j; k < d; k++) xtx[j]![k]! += row[j]! * row[k]!;
    }
  });
  for (let j = 0; j < d; j++) {
    for (let k = 0; k < j; k++) xtx[j]![k] = xtx[k]![j]!;
    if (j < d - 1) xtx[j]![j]! += lambda;
  }
  const w = solve(xtx, xty);
  return (unit) => {
    const readings = readingsOf(spec, unit);
    const f = windowFeatures(spec, readings, readings.length - 1);
    let y = w[d - 1]!;
    for (let j = 0; j < f.length; j++) y += w[j]! * f[j]!;
    return Math.min(spec.cap, Math.max(0, y));
  };
}

/**
 * Trains the shipped configuration on FD001's 100 training engines (seed 1) and the ridge baseline on
 * the same features, and evaluates both at each test engine's last cycle. The ratio is baseline RMSE /
 * model RMSE: how many times smaller the model's error is.
 */
export async function benchRul(): Promise<BenchResult> {
  if (!existsSync(dataDir)) throw new Error(`bench rul needs C-MAPSS FD001 in ${dataDir} (train_FD001.txt, test_FD001.txt, RUL_FD001.txt)`);
  const data = readCmapssDataset(dataDir, 'FD001');
  const t0 = performance.now();
  const model = trainRulModel(data.train, { seed: 1, dataset: data.name });
  const trainS = (performance.now() - t0) / 1000;
  const result = evaluateRul(model, data.test, data.trueRul);
  const t1 = performance.now();
  const spec = fitFeatureSpec(data.train);
  const ridge = trainRidgeBaseline(spec, data.train);
  const ridgeS = (performance.now() - t1) / 1000;
  const ridgePredictions = data.test.map(ridge);
  const ridgeRmse = rmse(ridgePredictions, result.truth);
  const ridgePhm = phm08Score(ridgePredictions, result.truth);
  const lines = [
    `| model | test RMSE | PHM08 score | training time |`,
    `|---|---|---|---|`,
    `| gradient-boosted trees (${model.training.members} members, ${model.regressor.trees.length} trees), seed 1 | ${result.rmse.toFixed(2)} | ${result.phm08.toFixed(1)} | ${trainS.toFixed(1)} s |`,
    `| ridge regression on the same window features | ${ridgeRmse.toFixed(2)} | ${ridgePhm.toFixed(1)} | ${ridgeS.toFixed(1)} s |`,
  ];
  // To stderr, so that `--json` stays one object a line.
  process.stderr.write(`${lines.join('\n')}\n`);
  return {
    name: 'rul',
    description: `C-MAPSS FD001, ${result.truth.length} test engines at their last cycle, RUL capped at ${model.spec.cap}: RMSE (lower is better) and PHM08 score`,
    measured: { label: `gradient-boosted trees, seed 1: PHM08 ${result.phm08.toFixed(1)}, RMSE ${result.rmse.toFixed(2)}; training`, rate: result.rmse, unit: 'RMSE', seconds: trainS },
    baseline: { label: `ridge regression, same features: PHM08 ${ridgePhm.toFixed(1)}, RMSE ${ridgeRmse.toFixed(2)}; training`, rate: ridgeRmse, unit: 'RMSE', seconds: ridgeS },
    ratio: ridgeRmse / result.rmse,
  };
}
