import { describe, expect, it } from 'vitest';
import { phm08Score, rmse } from './metrics.js';

describe('RUL metrics', () => {
  it('computes RMSE on a hand-worked example', () => {
    // errors 3, −4, 0, 0 → √((9 + 16) / 4) = 2.5
    expect(rmse([13, 16, 50, 7], [10, 20, 50, 7])).toBeCloseTo(2.5, 12);
    expect(rmse([1], [1])).toBe(0);
  });

  it('scores a late prediction with exp(d/10) − 1 and an early one with exp(−d/13) − 1', () => {
    expect(phm08Score([110], [100])).toBeCloseTo(Math.E - 1, 12);
    expect(phm08Score([87], [100])).toBeCloseTo(Math.E - 1, 12);
    expect(phm08Score([100], [100])).toBe(0);
    // d = +20 and −26: (e² − 1) + (e² − 1)
    expect(phm08Score([70, 50], [50, 76])).toBeCloseTo(2 * (Math.exp(2) - 1), 10);
  });

  it('penalises late predictions more than early ones of the same size', () => {
    expect(phm08Score([115], [100])).toBeGreaterThan(phm08Score([85], [100]));
  });

  it('refuses arrays of different lengths', () => {
    expect(() => rmse([1, 2], [1])).toThrow(RangeError);
    expect(() => phm08Score([1, 2], [1])).toThrow(RangeError);
  });
});
