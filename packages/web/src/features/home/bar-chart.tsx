import { useEffect, useRef } from 'react';
import { BarChart as EBarChart } from 'echarts/charts';
import { GridComponent, TooltipComponent } from 'echarts/components';
import { init, use, type ComposeOption } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import type { BarSeriesOption } from 'echarts/charts';
import type { GridComponentOption, TooltipComponentOption } from 'echarts/components';

// Only what a bar chart needs, so the bundle carries no other chart types.
use([EBarChart, GridComponent, TooltipComponent, CanvasRenderer]);

type BarOption = ComposeOption<BarSeriesOption | GridComponentOption | TooltipComponentOption>;

/** Props of {@link BarChart}. */
export interface BarChartProps {
  categories: readonly string[];
  values: readonly number[];
  seriesName: string;
  /** Read out instead of the canvas, which assistive technology cannot see into. */
  ariaLabel: string;
}

const industrialBlue = '#0b4f9c';

/** A single-series ECharts bar chart that follows its container's size. */
export function BarChart({ categories, values, seriesName, ariaLabel }: BarChartProps) {
  const ref = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const chart = init(element, undefined, { renderer: 'canvas' });
    const option: BarOption = {
      color: [industrialBlue],
      grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      xAxis: {
        type: 'category',
        data: [...categories],
        axisLabel: { interval: 0, rotate: categories.length > 5 ? 30 : 0, color: '#44546a' },
        axisTick: { alignWithLabel: true },
      },
      yAxis: { type: 'value', minInterval: 1, axisLabel: { color: '#44546a' } },
      series: [{ type: 'bar', name: seriesName, data: [...values], barMaxWidth: 40, itemStyle: { borderRadius: [3, 3, 0, 0] } }],
    };
    chart.setOption(option);
    const observer = new ResizeObserver(() => chart.resize());
    observer.observe(element);
    return () => {
      observer.disconnect();
      chart.dispose();
    };
  }, [categories, values, seriesName]);

  return <div ref={ref} className="chart" role="img" aria-label={ariaLabel} />;
}
