/**
 * Root mean squared error of predictions against truth.
 * @example rmse([10, 20], [12, 20]) // √2
 */
export function rmse(predicted: readonly number[], truth: readonly number[]): number {
  if (predicted.length !== truth.length || predicted.length === 0) throw new RangeError('rmse needs two non-empty arrays of the same length');
  let sum = 0;
  for (let i = 0; i < predicted.length; i++) sum += ((predicted[i] ?? 0) - (truth[i] ?? 0)) ** 2;
  return Math.sqrt(sum / predicted.length);
}

/**
 * The PHM08 challenge score: Σ exp(−d/13) − 1 for d < 0 and exp(d/10) − 1 for d ≥ 0, d = predicted − true.
 * Late predictions (d > 0) cost more than early ones. Lower is better; perfect is 0.
 * @example phm08Score([110], [100]) // e − 1
 */
export function phm08Score(predicted: readonly number[], truth: readonly number[]): number {
  if (predicted.length !== truth.length) throw new RangeError('phm08Score needs two arrays of the same length');
  let s = 0;
  for (let i = 0; i < predicted.length; i++) {
    const d = (predicted[i] ?? 0) - (truth[i] ?? 0);
    s += d < 0 ? Math.exp(-d / 13) - 1 : Math.exp(d / 10) - 1;
  }
  return s;
}
