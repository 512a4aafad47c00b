import { createRandom } from '@yulian/core';
import type { CmapssUnit } from './cmapss.js';
import { type FeatureOptions, type FeatureSpec, fitFeatureSpec, lastWindows, trainingWindows } from './features.js';
import { type BoostOptions, type BoostedTrees, predictBoosted, trainBoostedTrees } from './gbt.js';
import { phm08Score, rmse } from './metrics.js';
import { shuffle } from './random.js';

/** A trained remaining-useful-life model: the feature spec and the regressor that reads its features. */
export interface RulModel {
  spec: FeatureSpec;
  regressor: BoostedTrees;
  /**
   * What it was trained on: engines in all, engines each member held out for early stopping, and the RMSE of
   * the members on their held-out engines (all windows).
   */
  training: { dataset: string; seed: number; members: number; trainUnits: number; validationUnits: number; validationRmse: number; trainedAt: string };
}

/** Options of {@link trainRulModel}. */
export interface TrainRulOptions extends FeatureOptions {
  /** Seeds the hold-out split and the trees (default 1). */
  seed?: number;
  /** Ensemble members, each stopped early on its own held-out engines. */
  members?: number;
  /** Fraction of training engines each member holds out for early stopping (default 0.2). Never the test set. */
  validationFraction?: number;
  boost?: BoostOptions;
  dataset?: string;
  /** Clock for `trainedAt`; tests fix it. */
  now?: () => Date;
}

/** Ensemble size chosen by 5-fold cross-validation on the training engines (docs/benchmarks.md). */
export const DEFAULT_MEMBERS = 3;

/** Predicts the capped RUL of feature rows. */
export const predictFeatures = (model: RulModel, x: Float64Array): number =>
  Math.min(model.spec.cap, Math.max(0, predictBoosted(model.regressor, x)));

/** Trains one member on all units but the hold-out slice; returns it with its out-of-fold errors. */
function trainMember(spec: FeatureSpec, units: readonly CmapssUnit[], holdOut: ReadonlySet<number>, boost: BoostOptions): { trees: BoostedTrees; se: number; n: number } {
  const train = trainingWindows(
    spec,
    units.filter((u) => !holdOut.has(u.unit)),
  );
  const valid = trainingWindows(
    spec,
    units.filter((u) => holdOut.has(u.unit)),
  );
  const trees = trainBoostedTrees({ x: train.x, y: train.y, validX: valid.x, validY: valid.y }, boost);
  let se = 0;
  valid.x.forEach((x, i) => {
    se += (Math.min(spec.cap, Math.max(0, predictBoosted(trees, x))) - (valid.y[i] as number)) ** 2;
  });
  return { trees, se, n: valid.x.length };
}

/**
 * Trains a model on run-to-failure units: window features and gradient-boosted trees. Each ensemble member
 * holds out a different slice of the engines for early stopping (with 5 members and 0.2, every engine once);
 * the members' trees are averaged into one ensemble.
 * @example const model = trainRulModel(groupUnits(parseCmapss(text)), { seed: 1 })
 */
export function trainRulModel(units: readonly CmapssUnit[], options: TrainRulOptions = {}): RulModel {
  const seed = options.seed ?? 1;
  const members = options.members ?? DEFAULT_MEMBERS;
  const ids = shuffle(
    units.map((u) => u.unit),
    createRandom(seed),
  );
  const h = Math.round(ids.length * (options.validationFraction ?? 0.2));
  const spec = fitFeatureSpec(units, options);
  const parts = Array.from({ length: members }, (_, k) => {
    const holdOut = new Set(Array.from({ length: h }, (_, j) => ids[(k * h + j) % ids.length] as number));
    return trainMember(spec, units, holdOut, { ...options.boost, seed: seed * 1009 + k });
  });
  const learningRate = parts[0]?.trees.learningRate ?? 0;
  const regressor: BoostedTrees = {
    kind: 'gbt',
    base: parts.reduce((a, p) => a + p.trees.base, 0) / members,
    learningRate: learningRate / members,
    trees: parts.flatMap((p) => p.trees.trees),
  };
  const se = parts.reduce((a, p) => a + p.se, 0);
  const n = parts.reduce((a, p) => a + p.n, 0);
  return {
    spec,
    regressor,
    training: { dataset: options.dataset ?? 'C-MAPSS FD001', seed, members, trainUnits: units.length, validationUnits: h, validationRmse: n > 0 ? Math.sqrt(se / n) : NaN, trainedAt: (options.now?.() ?? new Date()).toISOString() },
  };
}

/** Test-set figures of a model. */
export interface RulEvaluation {
  rmse: number;
  phm08: number;
  predictions: number[];
  truth: number[];
}

/**
 * The usual C-MAPSS evaluation: predict at each test unit's last cycle, compare with the true RUL capped at
 * the model's cap; RMSE and PHM08 score.
 * @example evaluateRul(model, testUnits, parseRulFile(rulText)).rmse
 */
export function evaluateRul(model: RulModel, units: readonly CmapssUnit[], trueRul: readonly number[]): RulEvaluation {
  if (units.length !== trueRul.length) throw new RangeError(`${units.length} test units but ${trueRul.length} RUL values`);
  const predictions = lastWindows(model.spec, units).map((x) => predictFeatures(model, x));
  const truth = trueRul.map((v) => Math.min(model.spec.cap, v));
  return { rmse: rmse(predictions, truth), phm08: phm08Score(predictions, truth), predictions, truth };
}
