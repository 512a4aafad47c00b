import { lazy, Suspense } from 'react';
import type { GaugeChartProps } from './gauge-chart';

const GaugeChartModule = lazy(() => import('./gauge-chart').then((m) => ({ default: m.GaugeChart })));

/** {@link GaugeChartProps}: the gauge, loaded (with ECharts) on first use. */
export function LazyGaugeChart(props: GaugeChartProps) {
  return (
    <Suspense fallback={<div className="chart chart-gauge chart-loading" />}>
      <GaugeChartModule {...props} />
    </Suspense>
  );
}
