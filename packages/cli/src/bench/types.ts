/** One side of a benchmark. */
export interface BenchSide {
  label: string;
  rate: number;
  unit: string;
  seconds: number;
}

/** What a benchmark prints: the measured side, the baseline measured in the same run, their ratio. */
export interface BenchResult {
  name: string;
  description: string;
  measured: BenchSide;
  baseline: BenchSide;
  /** measured.rate / baseline.rate */
  ratio: number;
  /** The ratio the benchmark should reach, if it has a target. */
  target?: number;
}

/** Formats a result as the lines `yulian bench` prints. */
export function formatBench(r: BenchResult): string {
  const fmt = (s: BenchSide): string => `${Math.round(s.rate).toLocaleString('en')} ${s.unit} (${s.seconds.toFixed(2)} s)`;
  return [
    `bench ${r.name}: ${r.description}`,
    `  ${r.measured.label}: ${fmt(r.measured)}`,
    `  ${r.baseline.label}: ${fmt(r.baseline)}`,
    `  ratio ${r.ratio.toFixed(3)}${r.target !== undefined ? ` (target ≥ ${r.target}: ${r.ratio >= r.target ? 'met' : 'NOT met'})` : ''}`,
  ].join('\n');
}
