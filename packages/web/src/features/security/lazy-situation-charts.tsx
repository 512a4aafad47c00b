import { lazy, Suspense } from 'react';
import type { DistrictRiskChartProps, EventTrendChartProps } from './situation-charts';

// ECharts is large: loaded with the situation page's first chart, not with the console.
const TrendModule = lazy(() => import('./situation-charts').then((m) => ({ default: m.EventTrendChart })));
const DistrictModule = lazy(() => import('./situation-charts').then((m) => ({ default: m.DistrictRiskChart })));

/** {@link EventTrendChartProps}: loaded on first use. */
export function LazyEventTrendChart(props: EventTrendChartProps) {
  return (
    <Suspense fallback={<div className="chart sec-chart chart-loading" />}>
      <TrendModule {...props} />
    </Suspense>
  );
}

/** {@link DistrictRiskChartProps}: loaded on first use. */
export function LazyDistrictRiskChart(props: DistrictRiskChartProps) {
  return (
    <Suspense fallback={<div className="chart sec-chart chart-loading" />}>
      <DistrictModule {...props} />
    </Suspense>
  );
}
