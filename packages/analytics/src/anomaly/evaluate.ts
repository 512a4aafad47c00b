import { type AnomalyDetectorKind, type AnomalyDetectorOptions, anomalyDetectorKinds, createAnomalyDetector } from './detectors.js';
import { type LabelledSeries, labelledFaultCorpus } from './labelled-faults.js';
import { type NabCorpusScore, type NabProfile, type NabSeriesInput, nabProfiles, scoreNabCorpus } from './nab-scorer.js';

/**
 * What scoring needs of a labelled series: its values, their timestamps and its NAB windows. Corpora
 * from elsewhere (the virtual factory's, in `yulian bench anomaly`) need no more than this.
 */
export type ScoredSeries = Pick<LabelledSeries, 'name' | 'timestamps' | 'values' | 'windows'>;

/** One detector's alarms on one series. */
export interface DetectorRun<S extends ScoredSeries = LabelledSeries> {
  series: S;
  /** Indices of the records the detector raised an alarm on. */
  detections: number[];
  /** Per-record score 0–1. */
  scores: number[];
}

/** Runs a fresh detector over each series, one value at a time, as it would run online. */
export function runDetector<S extends ScoredSeries>(kind: AnomalyDetectorKind, corpus: readonly S[], options: AnomalyDetectorOptions = {}): DetectorRun<S>[] {
  return corpus.map((series) => {
    const detector = createAnomalyDetector(kind, options);
    const detections: number[] = [];
    const scores: number[] = [];
    series.values.forEach((v, i) => {
      const r = detector.update(series.timestamps[i] ?? i, v);
      scores.push(r.score);
      if (r.anomalous) detections.push(i);
    });
    return { series, detections, scores };
  });
}

/** Scores a detector's runs with NAB. */
export function scoreRuns(runs: readonly DetectorRun<ScoredSeries>[], profile: NabProfile = nabProfiles.standard): NabCorpusScore {
  const inputs: NabSeriesInput[] = runs.map((r) => ({ length: r.series.values.length, windows: r.series.windows, detections: r.detections }));
  return scoreNabCorpus(inputs, profile);
}

/** One row of the comparison. */
export interface AnomalyBenchmarkRow extends NabCorpusScore {
  detector: AnomalyDetectorKind | 'null' | 'perfect';
  sensitivity: number | null;
  /** Wall time to run the detector over the corpus, ms. */
  ms: number;
}

/** Options of `benchmarkAnomalyDetectors`. */
export interface AnomalyBenchmarkOptions {
  /** Default `labelledFaultCorpus()`. */
  corpus?: readonly ScoredSeries[];
  profile?: NabProfile;
  /** Sensitivities to try per detector; default 0.3, 0.5, 0.7. */
  sensitivities?: readonly number[];
}

/**
 * Scores every detector at each sensitivity on the labelled corpus (standard profile by default), with
 * the null (never alarms) and perfect (alarms on each window's first record) baselines; rows best first.
 * @example benchmarkAnomalyDetectors()[0] // the perfect baseline, then the best detector
 */
export function benchmarkAnomalyDetectors(options: AnomalyBenchmarkOptions = {}): AnomalyBenchmarkRow[] {
  const corpus = options.corpus ?? labelledFaultCorpus();
  const profile = options.profile ?? nabProfiles.standard;
  const baseline = (detections: (s: ScoredSeries) => number[]): NabCorpusScore =>
    scoreNabCorpus(corpus.map((s) => ({ length: s.values.length, windows: s.windows, detections: detections(s) })), profile);
  const rows: AnomalyBenchmarkRow[] = [
    { detector: 'null', sensitivity: null, ms: 0, ...baseline(() => []) },
    { detector: 'perfect', sensitivity: null, ms: 0, ...baseline((s) => s.windows.map((w) => w.start)) },
  ];
  for (const kind of anomalyDetectorKinds) {
    for (const sensitivity of options.sensitivities ?? [0.3, 0.5, 0.7]) {
      const t0 = performance.now();
      const runs = runDetector(kind, corpus, { sensitivity });
      const ms = performance.now() - t0;
      rows.push({ detector: kind, sensitivity, ms, ...scoreRuns(runs, profile) });
    }
  }
  return rows.sort((a, b) => b.score - a.score);
}

/** Prints the comparison as a Markdown table (for docs/benchmarks.md). */
export function formatAnomalyBenchmark(rows: readonly AnomalyBenchmarkRow[]): string {
  const lines = ['| detector | sensitivity | NAB score | windows found | false positives | raw | time |', '|---|---|---|---|---|---|---|'];
  for (const r of rows) {
    const found = `${r.detectedWindows}/${r.detectedWindows + r.missedWindows}`;
    lines.push(`| ${r.detector} | ${r.sensitivity ?? '—'} | ${r.score.toFixed(1)} | ${found} | ${r.falsePositives} | ${r.raw.toFixed(2)} | ${r.ms.toFixed(0)} ms |`);
  }
  return lines.join('\n');
}
