import { useEffect } from 'react';
import { BarChart, LineChart, type BarSeriesOption, type LineSeriesOption } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent, type GridComponentOption, type LegendComponentOption, type TooltipComponentOption } from 'echarts/components';
import { use, type ComposeOption } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEChart } from '../../ui/use-echart';

use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

type Option = ComposeOption<BarSeriesOption | LineSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption>;

/** Props of {@link StatsChart}. */
export interface StatsChartProps {
  days: readonly string[];
  registrations: readonly number[];
  resolutions: readonly number[];
  labels: { registrations: string; resolutions: string };
  /** Read out instead of the canvas. */
  ariaLabel: string;
}

/** Registrations (bars) and resolutions (line) per UTC day, each on its own axis. */
export function StatsChart({ days, registrations, resolutions, labels, ariaLabel }: StatsChartProps) {
  const { ref, chartRef } = useEChart();
  useEffect(() => {
    const option: Option = {
      color: ['#0b4f9c', '#1e7a34'],
      grid: { left: 8, right: 8, top: 36, bottom: 8, containLabel: true },
      legend: { top: 0 },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'category', data: days.map((d) => d.slice(5)), axisLabel: { color: '#44546a' } },
      yAxis: [
        { type: 'value', minInterval: 1, axisLabel: { color: '#44546a' } },
        { type: 'value', minInterval: 1, axisLabel: { color: '#44546a' }, splitLine: { show: false } },
      ],
      series: [
        { type: 'bar', name: labels.registrations, data: [...registrations], barMaxWidth: 24 },
        { type: 'line', name: labels.resolutions, data: [...resolutions], yAxisIndex: 1, smooth: true, showSymbol: false },
      ],
    };
    chartRef.current?.setOption(option, true);
  }, [chartRef, days, registrations, resolutions, labels]);
  return <div ref={ref} className="chart" role="img" aria-label={ariaLabel} />;
}
