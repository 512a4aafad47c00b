import { createRandom } from '@yulian/core';

/** One regression tree as flat arrays: node i splits on `feature[i]` at `threshold[i]` (x ≤ t goes left); a leaf has feature −1. */
export interface RegressionTree {
  feature: number[];
  threshold: number[];
  left: number[];
  right: number[];
  value: number[];
}

/** A gradient-boosted ensemble of regression trees (squared loss). */
export interface BoostedTrees {
  kind: 'gbt';
  base: number;
  learningRate: number;
  trees: RegressionTree[];
}

/** Options of {@link trainBoostedTrees}; defaults were chosen on held-out training engines. */
export interface BoostOptions {
  rounds?: number;
  learningRate?: number;
  maxDepth?: number;
  minLeaf?: number;
  /** L2 regularisation of leaf values. */
  lambda?: number;
  /** Fraction of rows sampled for each tree. */
  subsample?: number;
  /** Fraction of features tried at each tree. */
  colsample?: number;
  bins?: number;
  seed?: number;
  /** Stop when the validation RMSE has not improved for this many rounds. */
  patience?: number;
}

/** Training data of {@link trainBoostedTrees}, with optional validation rows for early stopping. */
export interface BoostData {
  x: readonly Float64Array[];
  y: readonly number[];
  validX?: readonly Float64Array[];
  validY?: readonly number[];
}

/** Predicts one row with one tree. */
function treePredict(t: RegressionTree, x: Float64Array): number {
  let i = 0;
  for (;;) {
    const f = t.feature[i] as number;
    if (f < 0) return t.value[i] as number;
    i = (x[f] as number) <= (t.threshold[i] as number) ? (t.left[i] as number) : (t.right[i] as number);
  }
}

/** Predicts one row with the ensemble. */
export function predictBoosted(model: BoostedTrees, x: Float64Array): number {
  let s = model.base;
  for (const t of model.trees) s += model.learningRate * treePredict(t, x);
  return s;
}

/** Quantile bin edges per feature: bin(x) is the first b with x ≤ edges[b], else edges.length. */
function binEdges(x: readonly Float64Array[], f: number, bins: number): number[] {
  const vals = x.map((r) => r[f] as number).sort((a, b) => a - b);
  const edges: number[] = [];
  for (let b = 1; b < bins; b++) {
    const v = vals[Math.floor((b * vals.length) / bins)] as number;
    if (edges.length === 0 || v > (edges[edges.length - 1] as number)) edges.push(v);
  }
  return edges;
}

function binOf(edges: readonly number[], v: number): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (v <= (edges[mid] as number)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

interface GrowContext {
  binned: Uint8Array[];
  edges: number[][];
  grad: Float64Array;
  features: number[];
  maxDepth: number;
  minLeaf: number;
  lambda: number;
  tree: RegressionTree;
}

function addLeaf(t: RegressionTree, value: number): number {
  t.feature.push(-1);
  t.threshold.push(0);
  t.left.push(-1);
  t.right.push(-1);
  t.value.push(value);
  return t.feature.length - 1;
}

/** Grows a node over `rows` and returns its index; splits by the best histogram gain. */
function grow(ctx: GrowContext, rows: Uint32Array, depth: number): number {
  let sumG = 0;
  for (const r of rows) sumG += ctx.grad[r] as number;
  const n = rows.length;
  const node = addLeaf(ctx.tree, sumG / (n + ctx.lambda));
  if (depth >= ctx.maxDepth || n < 2 * ctx.minLeaf) return node;
  const parentScore = (sumG * sumG) / (n + ctx.lambda);
  let best = { gain: 1e-9, f: -1, bin: -1 };
  for (const f of ctx.features) {
    const nb = (ctx.edges[f] as number[]).length + 1;
    const hg = new Float64Array(nb);
    const hc = new Uint32Array(nb);
    const col = ctx.binned[f] as Uint8Array;
    for (const r of rows) {
      const b = col[r] as number;
      hg[b] = (hg[b] as number) + (ctx.grad[r] as number);
      hc[b] = (hc[b] as number) + 1;
    }
    let gl = 0;
    let cl = 0;
    for (let b = 0; b < nb - 1; b++) {
      gl += hg[b] as number;
      cl += hc[b] as number;
      const cr = n - cl;
      if (cl < ctx.minLeaf) continue;
      if (cr < ctx.minLeaf) break;
      const gr = sumG - gl;
      const gain = (gl * gl) / (cl + ctx.lambda) + (gr * gr) / (cr + ctx.lambda) - parentScore;
      if (gain > best.gain) best = { gain, f, bin: b };
    }
  }
  if (best.f < 0) return node;
  const col = ctx.binned[best.f] as Uint8Array;
  const leftRows = rows.filter((r) => (col[r] as number) <= best.bin);
  const rightRows = rows.filter((r) => (col[r] as number) > best.bin);
  const t = ctx.tree;
  t.feature[node] = best.f;
  t.threshold[node] = (ctx.edges[best.f] as number[])[best.bin] as number;
  const l = grow(ctx, leftRows, depth + 1);
  const r = grow(ctx, rightRows, depth + 1);
  t.left[node] = l;
  t.right[node] = r;
  return node;
}

/**
 * Trains gradient-boosted regression trees with histogram splits, row and feature subsampling and early
 * stopping on the validation rows (the ensemble is cut back to its best round). Seeded: same data and seed,
 * same model.
 * @example const m = trainBoostedTrees({ x, y, validX, validY }, { rounds: 400, seed: 1 })
 */
export function trainBoostedTrees(data: BoostData, options: BoostOptions = {}): BoostedTrees {
  const { rounds = 400, learningRate = 0.05, maxDepth = 5, minLeaf = 20, lambda = 1, subsample = 0.8, colsample = 0.8, bins = 64, seed = 1, patience = 50 } = options;
  const random = createRandom(seed);
  const n = data.x.length;
  const nf = data.x[0]?.length ?? 0;
  const edges = Array.from({ length: nf }, (_, f) => binEdges(data.x, f, Math.min(bins, 256)));
  const binned = edges.map((e, f) => Uint8Array.from(data.x, (r) => binOf(e, r[f] as number)));
  const base = data.y.reduce((a, b) => a + b, 0) / n;
  const model: BoostedTrees = { kind: 'gbt', base, learningRate, trees: [] };
  const pred = new Float64Array(n).fill(base);
  const validX = data.validX ?? [];
  const validY = data.validY ?? [];
  const validPred = new Float64Array(validX.length).fill(base);
  let bestRmse = Infinity;
  let bestRounds = 0;
  const grad = new Float64Array(n);
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < n; i++) grad[i] = (data.y[i] as number) - (pred[i] as number);
    const sample: number[] = [];
    for (let i = 0; i < n; i++) if (random() < subsample) sample.push(i);
    const features: number[] = [];
    for (let f = 0; f < nf; f++) if (random() < colsample) features.push(f);
    const tree: RegressionTree = { feature: [], threshold: [], left: [], right: [], value: [] };
    grow({ binned, edges, grad, features, maxDepth, minLeaf, lambda, tree }, Uint32Array.from(sample), 0);
    model.trees.push(tree);
    for (let i = 0; i < n; i++) pred[i] = (pred[i] as number) + learningRate * treePredict(tree, data.x[i] as Float64Array);
    if (validX.length === 0) continue;
    let se = 0;
    for (let i = 0; i < validX.length; i++) {
      validPred[i] = (validPred[i] as number) + learningRate * treePredict(tree, validX[i] as Float64Array);
      se += ((validPred[i] as number) - (validY[i] as number)) ** 2;
    }
    const r = Math.sqrt(se / validX.length);
    if (r < bestRmse) {
      bestRmse = r;
      bestRounds = round + 1;
    } else if (round + 1 - bestRounds >= patience) break;
  }
  if (validX.length > 0) model.trees.length = bestRounds;
  return model;
}
