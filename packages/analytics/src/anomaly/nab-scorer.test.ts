import { describe, expect, it } from 'vitest';
import { nabProfiles, nabWindows, scaledSigmoid, scoreNabCorpus, scoreNabSeries, sweepNabThreshold } from './nab-scorer.js';

// numenta/NAB tests/unit/scorer_test.py uses this cost matrix and probationary period 0.
const nabTestMatrix = { tp: 1.1, fp: 0.11, fn: 1.2 };
const score = (length: number, windows: { start: number; end: number }[], detections: number[], profile = nabTestMatrix) =>
  scoreNabSeries({ length, windows, detections, probationary: 0 }, profile).raw;

describe('scaledSigmoid', () => {
  it('matches the values NAB hard-codes', () => {
    expect(scaledSigmoid(-1)).toBeCloseTo(0.9866142981514305, 12);
    expect(scaledSigmoid(-0.5)).toBeCloseTo(0.8482836399575131, 12);
    expect(scaledSigmoid(0)).toBe(0);
    expect(scaledSigmoid(1)).toBeCloseTo(-0.9866142981514305, 12);
    expect(scaledSigmoid(3)).toBe(-1);
  });
});

describe('NAB scorer_test.py cases', () => {
  it('scores no detections and no windows 0 (testNull)', () => expect(score(5, [], [])).toBeCloseTo(0, 12));
  it('charges −A_FP for each false positive with no window before it (testFalsePositives)', () => expect(score(5, [], [1, 3])).toBeCloseTo(-2 * 0.11, 12));
  it('charges −A_FN for each missed window (testFalseNegatives)', () => expect(score(7, [{ start: 1, end: 2 }, { start: 4, end: 5 }], [])).toBeCloseTo(-2 * 1.2, 12));
  it('ignores detections in the probationary period (testFalsePositivesInProbationary and …BeforeAndAfter…)', () => {
    expect(scoreNabSeries({ length: 5, windows: [], detections: [1, 3], probationary: 4 }, nabTestMatrix).raw).toBeCloseTo(0, 12);
    expect(scoreNabSeries({ length: 5, windows: [], detections: [1, 3], probationary: 3 }, nabTestMatrix).raw).toBeCloseTo(-0.11, 12);
  });
  it('weights a detection on the last record of a two-record window by σ(−0.5) (testTruePositives1)', () =>
    expect(score(7, [{ start: 1, end: 2 }], [2])).toBeCloseTo((0.8482836399575131 * 1.1) / 0.9866142981514305, 12));
  it('adds a missed window to a found one (testTruePositives1WithFN)', () =>
    expect(score(7, [{ start: 1, end: 2 }, { start: 4, end: 5 }], [2])).toBeCloseTo((0.8482836399575131 * 1.1) / 0.9866142981514305 - 1.2, 12));
  it('gives a detection on the first record of a window the full A_TP (testTruePositives2)', () => expect(score(7, [{ start: 4, end: 5 }], [4])).toBeCloseTo(1.1, 12));
  it('counts a window once however many detections it has (testTruePositives3)', () => expect(score(7, [{ start: 4, end: 5 }], [4, 5])).toBeCloseTo(1.1, 12));
  it('sums several found windows (testTruePositivesMultiple)', () =>
    expect(score(7, [{ start: 1, end: 2 }, { start: 4, end: 5 }], [2, 4])).toBeCloseTo((0.8482836399575131 * 1.1) / 0.9866142981514305 + 1.1, 12));
});

describe('scoreNabSeries (hand-computed)', () => {
  const win = [{ start: 100, end: 199 }];
  const std = nabProfiles.standard;
  it('makes the perfect detector 100 and the null detector 0', () => {
    expect(scoreNabCorpus([{ length: 400, windows: win, detections: [100], probationary: 0 }], std).score).toBeCloseTo(100, 10);
    expect(scoreNabCorpus([{ length: 400, windows: win, detections: [], probationary: 0 }], std).score).toBe(0);
  });
  it('rewards an early detection more than a late one', () => {
    const early = score(400, win, [110], std);
    const late = score(400, win, [190], std);
    expect(early).toBeGreaterThan(late);
    // i = 150 of a 100-record window: y = −(199 − 150 + 1)/100 = −0.5.
    expect(score(400, win, [150], std)).toBeCloseTo(0.8482836399575131 / 0.9866142981514305, 12);
  });
  it('counts only the earliest detection in a window', () => expect(score(400, win, [120, 105, 180], std)).toBeCloseTo(score(400, win, [105], std), 12));
  it('charges a false positive right after a window less than a far one', () => {
    const near = score(400, win, [100, 205], std) - 1;
    const far = score(400, win, [100, 390], std) - 1;
    expect(near).toBeLessThan(0);
    expect(near).toBeGreaterThan(far);
    // i = 205: y = (205 − 199)/99; far beyond three window widths costs the full −A_FP.
    expect(near).toBeCloseTo(0.11 * scaledSigmoid(6 / 99), 12);
    expect(score(600, win, [100, 599], std) - 1).toBeCloseTo(-0.11, 12);
  });
  it('weighs profiles as they should', () => {
    const fpHeavy = (p: keyof typeof nabProfiles) => score(400, win, [100, 20, 30], nabProfiles[p]);
    expect(fpHeavy('reward-low-fp')).toBeLessThan(fpHeavy('standard'));
    const miss = (p: keyof typeof nabProfiles) => score(400, win, [], nabProfiles[p]);
    expect(miss('reward-low-fn')).toBe(-2);
    expect(miss('standard')).toBe(-1);
  });
});

describe('nabWindows', () => {
  it('centres windows of 10 % of the series over the anomalies', () => {
    expect(nabWindows(1000, [500])).toEqual([{ start: 450, end: 550 }]);
    expect(nabWindows(1000, [300, 700])).toEqual([{ start: 275, end: 325 }, { start: 675, end: 725 }]);
  });
  it('merges overlapping windows and drops one that starts in the probationary 15 %', () => {
    expect(nabWindows(1000, [600, 620])).toEqual([{ start: 575, end: 645 }]);
    expect(nabWindows(1000, [160, 700])).toEqual([{ start: 675, end: 725 }]);
  });
  it('refuses an index outside the series', () => expect(() => nabWindows(100, [100])).toThrow(/outside the series/));
});

describe('sweepNabThreshold', () => {
  it('finds the threshold that separates the anomaly from the noise', () => {
    const scores = Array.from({ length: 400, }, (_, i) => (i === 100 ? 0.9 : i === 300 ? 0.4 : 0.1));
    const r = sweepNabThreshold([{ windows: [{ start: 100, end: 199 }], scores, probationary: 0 }], nabProfiles.standard);
    expect(r.score).toBeCloseTo(100, 10);
    expect(r.threshold).toBeGreaterThan(0.4);
  });
});
