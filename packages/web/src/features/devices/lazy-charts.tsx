import { lazy, Suspense } from 'react';
import type { TrendChartProps } from './trend-chart';

// ECharts is large: the charts load with the first page that draws one, not with the console.
const TrendChartModule = lazy(() => import('./trend-chart').then((m) => ({ default: m.TrendChart })));

/** {@link TrendChartProps}: the trend chart, loaded on first use. */
export function LazyTrendChart(props: TrendChartProps) {
  return (
    <Suspense fallback={<div className={props.compact ? 'chart chart-compact chart-loading' : 'chart trend-chart chart-loading'} />}>
      <TrendChartModule {...props} />
    </Suspense>
  );
}
