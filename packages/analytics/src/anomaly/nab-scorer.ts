import { YulianError } from '@yulian/core';

/**
 * The Numenta Anomaly Benchmark scorer (Lavin & Ahmad 2015), written from the paper and checked against
 * numenta/NAB `nab/sweeper.py` (the scorer NAB 1.x runs) and `nab/labeler.py` (how windows are drawn).
 * Everything works on record indices; timestamps play no part in the score.
 */

/** Weights of one NAB application profile (`A_TP`, `A_FP`, `A_FN` in the paper). */
export interface NabProfile {
  tp: number;
  fp: number;
  fn: number;
}

/** The three profiles NAB publishes. */
export type NabProfileName = 'standard' | 'reward-low-fp' | 'reward-low-fn';

/** NAB's profiles: `standard` is the one the scoreboard quotes. */
export const nabProfiles: Readonly<Record<NabProfileName, NabProfile>> = {
  standard: { tp: 1, fp: 0.11, fn: 1 },
  'reward-low-fp': { tp: 1, fp: 0.22, fn: 1 },
  'reward-low-fn': { tp: 1, fp: 0.11, fn: 2 },
};

/** A labelled anomaly window: first and last record index, both inclusive. */
export interface NabWindow {
  start: number;
  end: number;
}

/**
 * NAB's scaled sigmoid σ(y) = 2/(1+e^{5y}) − 1: +0.987 at the left edge of a window (y = −1), 0 at its
 * right edge, towards −1 after it; y ≥ 3 is −1 exactly, as in NAB.
 * @example scaledSigmoid(-0.5) // 0.8482836399575131
 */
export function scaledSigmoid(y: number): number {
  if (y >= 3) return -1;
  return 2 / (1 + Math.exp(5 * y)) - 1;
}

const maxTp = scaledSigmoid(-1);

/** Records at the start of a series whose detections NAB ignores: min(⌊15 % of n⌋, 750). */
export function nabProbationaryLength(length: number, percent = 0.15): number {
  return Math.min(Math.floor(percent * length), percent * 5000);
}

/** Options of `nabWindows`. */
export interface NabWindowOptions {
  /** Share of the series all windows together cover; NAB uses 0.1. */
  windowFraction?: number;
  /** Share of the series in the probationary period; NAB uses 0.15. */
  probationaryPercent?: number;
}

/**
 * NAB's windows around labelled anomaly indices: each ⌊fraction·n / k⌋ records long (k anomalies),
 * centred on its label and clipped to the series; overlapping windows are merged and a window starting
 * inside the probationary period is dropped, as `labeler.py` does.
 * @example nabWindows(1000, [500]) // [{ start: 450, end: 550 }]
 */
export function nabWindows(length: number, anomalies: readonly number[], options: NabWindowOptions = {}): NabWindow[] {
  if (!Number.isInteger(length) || length < 1) throw new YulianError('VALIDATION_FAILED', `nabWindows needs a positive integer series length; got ${length}.`);
  if (anomalies.length === 0) return [];
  const fraction = options.windowFraction ?? 0.1;
  const half = Math.floor(Math.floor((fraction * length) / anomalies.length) / 2);
  const probation = nabProbationaryLength(length, options.probationaryPercent ?? 0.15);
  const sorted = [...anomalies].sort((a, b) => a - b);
  const windows: NabWindow[] = [];
  for (const a of sorted) {
    if (!Number.isInteger(a) || a < 0 || a >= length) throw new YulianError('VALIDATION_FAILED', `Anomaly index ${a} is outside the series (0–${length - 1}).`);
    const w = { start: Math.max(a - half, 0), end: Math.min(a + half, length - 1) };
    const last = windows[windows.length - 1];
    if (last && w.start <= last.end) last.end = Math.max(last.end, w.end);
    else windows.push(w);
  }
  return windows.filter((w) => w.start >= probation);
}

/** One series to score: its length, its windows and which records the detector flagged. */
export interface NabSeriesInput {
  length: number;
  windows: readonly NabWindow[];
  /** Indices of the records flagged anomalous (any order; duplicates ignored). */
  detections: readonly number[];
  /** Records ignored at the start; default NAB's `nabProbationaryLength(length)`. */
  probationary?: number;
}

/** The NAB score of one series and its parts. */
export interface NabSeriesScore {
  /** Raw score: the sum of the window and false-positive parts. */
  raw: number;
  /** What a detector flagging nothing scores here: −A_FN per window. */
  nullScore: number;
  /** What a perfect detector scores here: A_TP per window (each flagged on its first record). */
  perfect: number;
  /** Windows with at least one detection. */
  detectedWindows: number;
  /** Windows without one. */
  missedWindows: number;
  /** Detections outside every window (after the probationary period). */
  falsePositives: number;
}

/**
 * Scores one series as NAB does: a window counts once, by its earliest detection, weighted
 * A_TP·σ(y)/σ(−1) with y = −(end − i + 1)/width (so the window's first record earns A_TP, its last
 * almost 0); a window without a detection costs A_FN; each detection outside windows adds
 * A_FP·σ((i − end)/(width − 1)) measured after the closest preceding window, or −A_FP when none precedes.
 * @example scoreNabSeries({ length: 7, windows: [{ start: 4, end: 5 }], detections: [4] }, nabProfiles.standard).raw // 1
 */
export function scoreNabSeries(input: NabSeriesInput, profile: NabProfile): NabSeriesScore {
  const { length } = input;
  const windows = [...input.windows].sort((a, b) => a.start - b.start);
  const probation = input.probationary ?? nabProbationaryLength(length);
  const best = windows.map((): number | undefined => undefined);
  let fpScore = 0;
  let falsePositives = 0;
  const detections = [...new Set(input.detections)].filter((i) => i >= probation && i < length).sort((a, b) => a - b);
  let w = 0; // index of the first window not yet wholly before the detection
  for (const i of detections) {
    while (w < windows.length && (windows[w]?.end ?? Infinity) < i) w++;
    const win = windows[w];
    if (win && i >= win.start) {
      const width = win.end - win.start + 1;
      const s = (scaledSigmoid(-(win.end - i + 1) / width) * profile.tp) / maxTp;
      const prev = best[w];
      best[w] = prev === undefined ? s : Math.max(prev, s);
      continue;
    }
    falsePositives++;
    const before = windows[w - 1];
    if (!before) {
      fpScore -= profile.fp;
      continue;
    }
    const width = before.end - before.start + 1;
    // A one-record window has no scale to measure distance by: NAB would divide by zero; treat as far.
    const y = width > 1 ? (i - before.end) / (width - 1) : 3;
    fpScore += scaledSigmoid(y) * profile.fp;
  }
  let windowScore = 0;
  let detectedWindows = 0;
  for (const s of best) {
    if (s === undefined) windowScore -= profile.fn;
    else {
      windowScore += s;
      detectedWindows++;
    }
  }
  return {
    raw: windowScore + fpScore,
    nullScore: -profile.fn * windows.length,
    perfect: profile.tp * windows.length,
    detectedWindows,
    missedWindows: windows.length - detectedWindows,
    falsePositives,
  };
}

/**
 * NAB's normalisation: 100·(raw − null)/(perfect − null), so a perfect detector scores 100 and one that
 * flags nothing scores 0; 0 when there is no window to find.
 */
export function normaliseNabScore(raw: number, nullScore: number, perfect: number): number {
  const span = perfect - nullScore;
  return span > 0 ? (100 * (raw - nullScore)) / span : 0;
}

/** The NAB score of a corpus: raw parts summed over its series, then normalised once. */
export interface NabCorpusScore {
  /** The normalised score: 100 perfect, 0 null. */
  score: number;
  raw: number;
  nullScore: number;
  perfect: number;
  detectedWindows: number;
  missedWindows: number;
  falsePositives: number;
}

/**
 * Scores a corpus as NAB does: sums each series' raw, null and perfect scores and normalises the sums.
 * @example scoreNabCorpus([{ length: 7, windows: [{ start: 4, end: 5 }], detections: [4] }], nabProfiles.standard).score // 100
 */
export function scoreNabCorpus(series: readonly NabSeriesInput[], profile: NabProfile): NabCorpusScore {
  const total = { raw: 0, nullScore: 0, perfect: 0, detectedWindows: 0, missedWindows: 0, falsePositives: 0 };
  for (const s of series) {
    const r = scoreNabSeries(s, profile);
    total.raw += r.raw;
    total.nullScore += r.nullScore;
    total.perfect += r.perfect;
    total.detectedWindows += r.detectedWindows;
    total.missedWindows += r.missedWindows;
    total.falsePositives += r.falsePositives;
  }
  return { score: normaliseNabScore(total.raw, total.nullScore, total.perfect), ...total };
}

/** One series of anomaly scores for a threshold sweep. */
export interface NabScoredSeries {
  windows: readonly NabWindow[];
  /** The detector's anomaly score per record (0–1); a record is flagged when score ≥ threshold. */
  scores: readonly number[];
  probationary?: number;
}

/** The best threshold a sweep found and the corpus score it gives. */
export interface NabSweepResult extends NabCorpusScore {
  threshold: number;
}

/**
 * NAB's optional threshold optimisation: tries `steps` thresholds evenly over (0, 1] (NAB tries every
 * distinct score; a grid is close enough and bounded) and returns the one with the best corpus score.
 */
export function sweepNabThreshold(series: readonly NabScoredSeries[], profile: NabProfile, steps = 100): NabSweepResult {
  let best: NabSweepResult | undefined;
  for (let k = 1; k <= steps; k++) {
    const threshold = k / steps;
    const inputs = series.map((s) => ({
      length: s.scores.length,
      windows: s.windows,
      detections: s.scores.flatMap((v, i) => (v >= threshold ? [i] : [])),
      ...(s.probationary === undefined ? {} : { probationary: s.probationary }),
    }));
    const r = scoreNabCorpus(inputs, profile);
    if (!best || r.score > best.score) best = { threshold, ...r };
  }
  // steps ≥ 1 always yields one; the fallback keeps the types honest.
  return best ?? { threshold: 1, ...scoreNabCorpus([], profile) };
}
