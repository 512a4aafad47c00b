import { useEffect } from 'react';
import { BarChart, LineChart, type BarSeriesOption, type LineSeriesOption } from 'echarts/charts';
import { GridComponent, TooltipComponent, type GridComponentOption, type TooltipComponentOption } from 'echarts/components';
import { use, type ComposeOption } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEChart } from '../../ui/use-echart';

// Only what these two charts need, loaded with the situation page.
use([BarChart, LineChart, GridComponent, TooltipComponent, CanvasRenderer]);

type Option = ComposeOption<BarSeriesOption | LineSeriesOption | GridComponentOption | TooltipComponentOption>;

/** Props of {@link EventTrendChart}. */
export interface EventTrendChartProps {
  buckets: ReadonlyArray<{ start: number; count: number; maxLevel: number }>;
  /** Formats a bucket's start for the axis. */
  label: (start: number) => string;
  seriesName: string;
  ariaLabel: string;
}

/** Events per bucket, as bars coloured by the bucket's highest level (red at 12 and above). */
export function EventTrendChart({ buckets, label, seriesName, ariaLabel }: EventTrendChartProps) {
  const { ref, chartRef } = useEChart();
  useEffect(() => {
    const option: Option = {
      grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'category', data: buckets.map((b) => label(b.start)), axisLabel: { color: '#44546a' } },
      yAxis: { type: 'value', minInterval: 1, axisLabel: { color: '#44546a' } },
      series: [
        {
          type: 'bar',
          name: seriesName,
          barMaxWidth: 28,
          data: buckets.map((b) => ({ value: b.count, itemStyle: { color: b.maxLevel >= 12 ? '#cf222e' : b.maxLevel >= 8 ? '#d9730d' : '#0b4f9c' } })),
        },
      ],
    };
    chartRef.current?.setOption(option, true);
  }, [buckets, label, seriesName, chartRef]);
  return <div ref={ref} className="chart sec-chart" role="img" aria-label={ariaLabel} />;
}

/** Props of {@link DistrictRiskChart}. */
export interface DistrictRiskChartProps {
  districts: ReadonlyArray<{ name: string; risk: number; events: number }>;
  seriesName: string;
  ariaLabel: string;
  onSelect?: (name: string) => void;
}

/** Risk per district as horizontal bars (a heat list: red where events were seen), highest first. */
export function DistrictRiskChart({ districts, seriesName, ariaLabel, onSelect }: DistrictRiskChartProps) {
  const { ref, chartRef } = useEChart();
  useEffect(() => {
    const rows = [...districts].reverse();
    const option: Option = {
      grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      xAxis: { type: 'value', max: 100, axisLabel: { color: '#44546a' } },
      yAxis: { type: 'category', data: rows.map((d) => d.name), axisLabel: { color: '#44546a' } },
      series: [
        {
          type: 'bar',
          name: seriesName,
          barMaxWidth: 18,
          label: { show: true, position: 'right' },
          data: rows.map((d) => ({ value: d.risk, itemStyle: { color: d.events > 0 ? (d.risk >= 60 ? '#cf222e' : '#d9730d') : '#8da4c4' } })),
        },
      ],
    };
    const chart = chartRef.current;
    chart?.setOption(option, true);
    const select = (p: { name?: string }): void => {
      if (p.name) onSelect?.(p.name);
    };
    chart?.on('click', select);
    return () => void chart?.off('click', select);
  }, [districts, seriesName, onSelect, chartRef]);
  return <div ref={ref} className="chart sec-chart" style={{ height: `${Math.max(160, districts.length * 26 + 24)}px` }} role="img" aria-label={ariaLabel} />;
}
