import { type RefObject, useEffect, useRef } from 'react';
import { type ECharts, init } from 'echarts/core';

/**
 * One ECharts instance for a component's life (re-created when the theme changes), sized to its
 * container as that resizes. Call it before the effects that set options: effects run in order.
 * @example const { ref, chartRef } = useEChart(dark ? 'dark' : undefined); return <div ref={ref} />
 */
export function useEChart(theme?: string): { ref: RefObject<HTMLDivElement | null>; chartRef: RefObject<ECharts | undefined> } {
  const ref = useRef<HTMLDivElement>(null);
  const chartRef = useRef<ECharts | undefined>(undefined);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const chart = init(element, theme, { renderer: 'canvas' });
    chartRef.current = chart;
    const observer = new ResizeObserver(() => chart.resize());
    observer.observe(element);
    return () => {
      observer.disconnect();
      chart.dispose();
      chartRef.current = undefined;
    };
  }, [theme]);
  return { ref, chartRef };
}
