import { lazy, Suspense } from 'react';
import type { SpectrumChartProps } from './spectrum-chart';

// ECharts is large: the chart loads with the diagnosis page's first drawing, not with the console.
const SpectrumChartModule = lazy(() => import('./spectrum-chart').then((m) => ({ default: m.SpectrumChart })));

/** {@link SpectrumChartProps}: the spectrum chart, loaded on first use. */
export function LazySpectrumChart(props: SpectrumChartProps) {
  return (
    <Suspense fallback={<div className="chart spectrum-chart chart-loading" />}>
      <SpectrumChartModule {...props} />
    </Suspense>
  );
}
