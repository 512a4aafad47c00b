import { useEffect } from 'react';
import { LineChart, type LineSeriesOption } from 'echarts/charts';
import { DataZoomComponent, GridComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import type { DataZoomComponentOption, GridComponentOption, MarkLineComponentOption, TooltipComponentOption } from 'echarts/components';
import { use, type ComposeOption } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEChart } from '../../ui/use-echart';
import type { DisplaySpectrum, MarkFamily } from './diagnosis-types';

use([LineChart, GridComponent, TooltipComponent, DataZoomComponent, MarkLineComponent, CanvasRenderer]);

type SpectrumOption = ComposeOption<LineSeriesOption | GridComponentOption | TooltipComponentOption | DataZoomComponentOption | MarkLineComponentOption>;

/** A vertical line at a frequency, labelled. */
export interface ChartMark {
  label: string;
  hz: number;
  family: MarkFamily;
}

/** Props of {@link SpectrumChart}. */
export interface SpectrumChartProps {
  spectrum: DisplaySpectrum;
  marks: readonly ChartMark[];
  /** Axis names, e.g. 频率 (Hz) and 幅值 (g). */
  xName: string;
  yName: string;
  /** The range shown at first (the slider reaches the whole spectrum), Hz. */
  initialMaxHz?: number;
  /** Read out instead of the canvas. */
  ariaLabel: string;
}

/** Colours of the mark families: shaft lines blue, each bearing family its own. */
export const familyColour: Record<MarkFamily, string> = {
  shaft: '#0b4f9c',
  bpfo: '#cf222e',
  bpfi: '#d9730d',
  'bpfi-sideband': '#d9730d',
  bsf: '#8250df',
  ftf: '#1a7f37',
};

/**
 * An amplitude spectrum as an ECharts line with the given frequencies marked by labelled vertical lines;
 * zoom with the wheel or the slider.
 */
export function SpectrumChart({ spectrum, marks, xName, yName, initialMaxHz, ariaLabel }: SpectrumChartProps) {
  const { ref, chartRef } = useEChart();
  useEffect(() => {
    const chart = chartRef.current;
    if (!chart) return;
    const last = spectrum.frequencyHz[spectrum.frequencyHz.length - 1] ?? 0;
    const end = initialMaxHz === undefined || last <= 0 ? 100 : Math.min(100, (100 * initialMaxHz) / last);
    const option: SpectrumOption = {
      animation: false,
      grid: { left: 8, right: 24, top: 36, bottom: 56, containLabel: true },
      tooltip: { trigger: 'axis', valueFormatter: (v) => (typeof v === 'number' ? v.toPrecision(3) : String(v)) },
      xAxis: { type: 'value', name: xName, nameLocation: 'middle', nameGap: 26, min: 0, max: last, axisLabel: { hideOverlap: true } },
      yAxis: { type: 'value', name: yName, scale: false },
      dataZoom: [
        { type: 'inside', filterMode: 'none', start: 0, end },
        { type: 'slider', filterMode: 'none', height: 20, bottom: 6, start: 0, end },
      ],
      series: [
        {
          type: 'line',
          showSymbol: false,
          lineStyle: { width: 1, color: '#44546a' },
          itemStyle: { color: '#44546a' },
          data: spectrum.frequencyHz.map((f, i) => [f, spectrum.amplitude[i] ?? 0]),
          markLine: {
            symbol: 'none',
            silent: true,
            animation: false,
            data: marks.map((m) => ({
              xAxis: m.hz,
              name: m.label,
              lineStyle: { color: familyColour[m.family], type: m.family === 'shaft' ? 'solid' : 'dashed', width: 1 },
              label: { formatter: m.label, color: familyColour[m.family], position: 'end' as const, fontSize: 11 },
            })),
          },
        },
      ],
    };
    chart.setOption(option, { notMerge: true });
  }, [spectrum, marks, xName, yName, initialMaxHz]);
  return <div ref={ref} className="chart spectrum-chart" role="img" aria-label={ariaLabel} data-testid="spectrum-chart" />;
}
