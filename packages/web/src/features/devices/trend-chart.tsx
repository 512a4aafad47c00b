import { useEffect, useRef, useState } from 'react';
import type { TelemetryAnswerDto } from '@yulian/contracts';
import { LineChart, type LineSeriesOption } from 'echarts/charts';
import { DataZoomComponent, GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import type { DataZoomComponentOption, GridComponentOption, LegendComponentOption, TooltipComponentOption } from 'echarts/components';
import { use, type ComposeOption } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEChart } from '../../ui/use-echart';
import { useApi } from '../auth/session-context';
import { maxPointsFor, mergeDetail, needsDetail, visibleRange, type TimeRange } from './trend-range';

use([LineChart, GridComponent, TooltipComponent, DataZoomComponent, LegendComponent, CanvasRenderer]);

type TrendOption = ComposeOption<LineSeriesOption | GridComponentOption | TooltipComponentOption | DataZoomComponentOption | LegendComponentOption>;
type Series = TelemetryAnswerDto['series'][number];

/** Props of {@link TrendChart}. */
export interface TrendChartProps {
  device: string;
  /** Point keys to draw, each with the label the legend shows. */
  points: ReadonlyArray<{ key: string; label: string }>;
  range: TimeRange;
  /** Read out instead of the canvas. */
  ariaLabel: string;
  /** When this changes the zoom goes back to the whole range (the range itself moves on with each refresh). */
  resetKey?: string;
  /** Dark colours, for the large-screen mode. */
  dark?: boolean;
  /** Without the slider, for small dashboard widgets (zooming with the wheel still works). */
  compact?: boolean;
  /** Told how many points the newest answer held and whether it was bucketed, for the caption. */
  onLoaded?: (info: { points: number; bucketed: boolean; detail: boolean }) => void;
}

const palette = ['#0b4f9c', '#d9730d', '#1a7f37', '#8250df', '#cf222e', '#0e7490'];

/** The ECharts series of one point: the avg line and, for buckets, a min–max band under it. */
function seriesOf(s: Series, label: string, color: string): LineSeriesOption[] {
  const line: LineSeriesOption = {
    type: 'line',
    name: label,
    showSymbol: false,
    sampling: 'lttb',
    lineStyle: { width: 1.5, color },
    itemStyle: { color },
    data: s.points.map((p) => [p.ts, typeof p.value === 'number' ? p.value : null]),
  };
  if (s.intervalMs === null) return [line];
  const stack = `band-${s.point}`;
  // The band is two stacked series: an invisible base at min and an area of (max − min) on top.
  return [
    { type: 'line', name: label, stack, showSymbol: false, silent: true, lineStyle: { opacity: 0 }, tooltip: { show: false }, data: s.points.map((p) => [p.ts, p.min ?? null]) },
    {
      type: 'line',
      name: label,
      stack,
      showSymbol: false,
      silent: true,
      lineStyle: { opacity: 0 },
      areaStyle: { color, opacity: 0.15 },
      tooltip: { show: false },
      data: s.points.map((p) => [p.ts, p.max !== undefined && p.min !== undefined ? p.max - p.min : null]),
    },
    line,
  ];
}

/**
 * A device's points over a range, as ECharts lines. It asks the server for about one point per pixel of
 * its width (the server answers buckets with min/max/avg for long ranges: 30 days of 1 s data arrive as
 * ~1,000 buckets), draws buckets as an avg line in a min–max band, and, when the user zooms (slider or
 * wheel), queries the visible window again so that detail appears inside it.
 */
export function TrendChart({ device, points, range, ariaLabel, resetKey, dark = false, compact = false, onLoaded }: TrendChartProps) {
  const api = useApi();
  // One chart for the component's life; it follows its container's size.
  const { ref, chartRef } = useEChart(dark ? 'dark' : undefined);
  const [overview, setOverview] = useState<Series[]>([]);
  const [detail, setDetail] = useState<{ window: TimeRange; series: Series[] } | undefined>();
  const keys = points.map((p) => p.key).join(',');
  const onLoadedRef = useRef(onLoaded);
  onLoadedRef.current = onLoaded;


  // The whole range, at the chart's width.
  useEffect(() => {
    if (!keys) return;
    const controller = new AbortController();
    const maxPoints = maxPointsFor(ref.current?.clientWidth ?? 0);
    api.deviceTelemetry(device, { points: keys.split(','), from: range.from, to: range.to, maxPoints }, { signal: controller.signal }).then(
      (answer) => {
        setOverview(answer.series);
        setDetail(undefined);
        onLoadedRef.current?.({ points: Math.max(0, ...answer.series.map((s) => s.points.length)), bucketed: answer.series.some((s) => s.intervalMs !== null), detail: false });
      },
      () => undefined, // an unknown device or a failed request leaves the chart empty; the page says why
    );
    return () => controller.abort();
  }, [api, device, keys, range.from, range.to]);

  // Zooming queries the visible window again, a moment after the user stops moving the slider.
  useEffect(() => {
    const chart = chartRef.current;
    if (!chart || !keys) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const controller = new AbortController();
    const onZoom = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        const zoom = (chart.getOption() as { dataZoom?: Array<{ start?: number; end?: number }> }).dataZoom?.[0];
        const window = visibleRange(range, zoom?.start ?? 0, zoom?.end ?? 100);
        if (!needsDetail(range, window)) {
          setDetail(undefined);
          return;
        }
        const maxPoints = maxPointsFor(ref.current?.clientWidth ?? 0);
        api.deviceTelemetry(device, { points: keys.split(','), from: window.from, to: window.to, maxPoints }, { signal: controller.signal }).then(
          (answer) => {
            setDetail({ window, series: answer.series });
            onLoadedRef.current?.({ points: Math.max(0, ...answer.series.map((s) => s.points.length)), bucketed: answer.series.some((s) => s.intervalMs !== null), detail: true });
          },
          () => undefined,
        );
      }, 300);
    };
    chart.on('datazoom', onZoom);
    return () => {
      chart.off('datazoom', onZoom);
      clearTimeout(timer);
      controller.abort();
    };
  }, [api, device, keys, range.from, range.to, dark]);

  // Draw: the overview, with the zoomed window's detail in its place.
  useEffect(() => {
    const chart = chartRef.current;
    if (!chart) return;
    const labelOf = new Map(points.map((p) => [p.key, p.label]));
    const series = overview.flatMap((s, i) => {
      const inside = detail?.series.find((d) => d.point === s.point);
      const merged: Series = inside && detail ? { ...inside, intervalMs: s.intervalMs ?? inside.intervalMs, points: mergeDetail(s.points, inside.points, detail.window) } : s;
      return seriesOf(merged, labelOf.get(s.point) ?? s.point, palette[i % palette.length] as string);
    });
    const text = dark ? '#c9d4e5' : '#44546a';
    const option: TrendOption = {
      backgroundColor: 'transparent',
      animation: false,
      grid: { left: 8, right: 16, top: 28, bottom: compact ? 8 : 56, containLabel: true },
      legend: { top: 0, textStyle: { color: text }, data: points.map((p) => p.label) },
      tooltip: { trigger: 'axis', axisPointer: { type: 'cross' } },
      xAxis: { type: 'time', min: range.from, max: range.to, axisLabel: { color: text, hideOverlap: true } },
      yAxis: { type: 'value', scale: true, axisLabel: { color: text } },
      dataZoom: compact
        ? [{ type: 'inside', filterMode: 'none' }]
        : [
            { type: 'inside', filterMode: 'none' },
            { type: 'slider', filterMode: 'none', height: 22, bottom: 8 },
          ],
      series,
    };
    // Keep the user's zoom while new data arrives; a new range starts unzoomed.
    chart.setOption(option, { replaceMerge: ['series'] });
  }, [overview, detail, points, range.from, range.to, dark, compact]);

  useEffect(() => {
    chartRef.current?.dispatchAction({ type: 'dataZoom', start: 0, end: 100 });
  }, [resetKey]);

  return <div ref={ref} className={compact ? 'chart chart-compact' : 'chart trend-chart'} role="img" aria-label={ariaLabel} data-testid="trend-chart" />;
}
