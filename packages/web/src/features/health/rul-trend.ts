import type { MessageKey } from '../../i18n';
import type { HealthTrendPoint } from './health-api';

/** The message key of a RUL unit as the API gives it (`rulUnitSeconds`), with its values. */
export function rulUnitLine(unitSeconds: number | null): { key: MessageKey; values: Record<string, number> } {
  if (unitSeconds === 1) return { key: 'health.rulUnit.seconds', values: {} };
  if (unitSeconds === 60) return { key: 'health.rulUnit.minutes', values: {} };
  if (unitSeconds === 3600) return { key: 'health.rulUnit.hours', values: {} };
  if (unitSeconds === 86_400) return { key: 'health.rulUnit.days', values: {} };
  return { key: 'health.rulUnit.cycles', values: { seconds: unitSeconds ?? 0 } };
}

/** Size of a {@link rulChartGeometry}'s plot, in SVG units; the margins hold the axes' labels. */
export interface ChartBox {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/** Where a RUL trend is drawn: lines (one per run of predictions without a gap) and the axes' ticks. */
export interface RulChartGeometry {
  /** Polyline `points` attributes; a snapshot without a prediction breaks the line. */
  segments: string[];
  /** The last prediction's dot, if any. */
  last: { x: number; y: number } | undefined;
  /** The value axis: 0, half and the top (the model's cap, or the largest value above it). */
  yTicks: Array<{ value: number; y: number }>;
  /** The time axis: the first and last snapshot. */
  xTicks: Array<{ ts: string; x: number }>;
}

/**
 * The geometry of a RUL trend: time on x (snapshots may be irregular: on-demand assessments come between
 * the minute's ones), RUL from 0 to the model's cap on y.
 * @example rulChartGeometry([{ ts: '…', health: 90, rul: 120 }, { ts: '…', health: 70, rul: 40 }], 120, box).segments.length // 1
 */
export function rulChartGeometry(trend: readonly HealthTrendPoint[], cap: number | null, box: ChartBox): RulChartGeometry {
  const known = trend.filter((p) => p.rul !== null);
  const top = Math.max(cap ?? 0, ...known.map((p) => p.rul ?? 0), 1);
  const times = trend.map((p) => Date.parse(p.ts));
  const t0 = Math.min(...times);
  const t1 = Math.max(...times);
  const plotW = box.width - box.left - box.right;
  const plotH = box.height - box.top - box.bottom;
  const round = (v: number) => Math.round(v * 10) / 10;
  const x = (ts: string) => round(box.left + (t1 > t0 ? ((Date.parse(ts) - t0) / (t1 - t0)) * plotW : plotW));
  const y = (v: number) => round(box.top + plotH - (Math.max(0, v) / top) * plotH);
  const segments: string[] = [];
  let run: string[] = [];
  for (const p of trend) {
    if (p.rul === null) {
      if (run.length) segments.push(run.join(' '));
      run = [];
    } else run.push(`${x(p.ts)},${y(p.rul)}`);
  }
  if (run.length) segments.push(run.join(' '));
  const lastPoint = known[known.length - 1];
  const first = trend[0];
  const final = trend[trend.length - 1];
  return {
    segments,
    last: lastPoint && lastPoint.rul !== null ? { x: x(lastPoint.ts), y: y(lastPoint.rul) } : undefined,
    yTicks: [0, top / 2, top].map((value) => ({ value: Math.round(value), y: y(value) })),
    xTicks: first && final ? (first === final ? [{ ts: first.ts, x: x(first.ts) }] : [{ ts: first.ts, x: x(first.ts) }, { ts: final.ts, x: x(final.ts) }]) : [],
  };
}
