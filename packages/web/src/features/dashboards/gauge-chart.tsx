import { useEffect } from 'react';
import { GaugeChart as EGaugeChart, type GaugeSeriesOption } from 'echarts/charts';
import { use, type ComposeOption } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEChart } from '../../ui/use-echart';

use([EGaugeChart, CanvasRenderer]);

/** Props of {@link GaugeChart}. */
export interface GaugeChartProps {
  value: number | null;
  min: number;
  max: number;
  unit: string;
  ariaLabel: string;
  dark?: boolean;
}

/** A dial between `min` and `max`; the value moves the needle without re-creating the chart. */
export function GaugeChart({ value, min, max, unit, ariaLabel, dark = false }: GaugeChartProps) {
  const { ref, chartRef } = useEChart();

  useEffect(() => {
    const text = dark ? '#e6edf7' : '#1f2d3d';
    const option: ComposeOption<GaugeSeriesOption> = {
      animationDurationUpdate: 400,
      series: [
        {
          type: 'gauge',
          min,
          max,
          radius: '95%',
          center: ['50%', '58%'],
          progress: { show: true, width: 10 },
          axisLine: { lineStyle: { width: 10 } },
          axisLabel: { color: text, distance: 14, fontSize: 10 },
          splitLine: { length: 8 },
          axisTick: { show: false },
          pointer: { width: 4 },
          detail: { valueAnimation: true, formatter: `{value} ${unit}`.trim(), color: text, fontSize: 18, offsetCenter: [0, '60%'] },
          data: [{ value: value === null ? 0 : Math.round(value * 10) / 10 }],
        },
      ],
    };
    chartRef.current?.setOption(option);
  }, [value, min, max, unit, dark]);

  return <div ref={ref} className="chart chart-gauge" role="img" aria-label={ariaLabel} />;
}
