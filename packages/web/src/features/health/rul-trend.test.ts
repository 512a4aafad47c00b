import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { I18nProvider } from '../../i18n';
import type { HealthTrendPoint } from './health-api';
import { RulTrendChart } from './rul-trend-chart';
import { rulChartGeometry, rulUnitLine } from './rul-trend';

const box = { width: 200, height: 120, left: 0, right: 0, top: 10, bottom: 10 };
const at = (minute: number, rul: number | null, health = 90): HealthTrendPoint => ({ ts: new Date(Date.UTC(2026, 10, 29, 8, minute)).toISOString(), health, rul });

describe('the remaining-useful-life trend', () => {
  it('names the unit the API gives: minutes, hours, days, or cycles of so many seconds', () => {
    expect(rulUnitLine(60)).toEqual({ key: 'health.rulUnit.minutes', values: {} });
    expect(rulUnitLine(3600).key).toBe('health.rulUnit.hours');
    expect(rulUnitLine(86_400).key).toBe('health.rulUnit.days');
    expect(rulUnitLine(1).key).toBe('health.rulUnit.seconds');
    expect(rulUnitLine(600)).toEqual({ key: 'health.rulUnit.cycles', values: { seconds: 600 } });
  });

  it('places snapshots by time, RUL from 0 to the model’s cap, and breaks the line where no prediction was made', () => {
    const g = rulChartGeometry([at(0, 120), at(10, 60), at(15, null), at(20, 0)], 120, box);
    // 0 → the bottom (y 110), the cap → the top (y 10); 10 of 20 minutes → half the width.
    expect(g.segments).toEqual(['0,10 100,60', '200,110']);
    expect(g.last).toEqual({ x: 200, y: 110 });
    expect(g.yTicks).toEqual([{ value: 0, y: 110 }, { value: 60, y: 60 }, { value: 120, y: 10 }]);
    expect(g.xTicks.map((t) => t.x)).toEqual([0, 200]);
  });

  it('raises the value axis above the cap when a prediction exceeds it', () => {
    expect(rulChartGeometry([at(0, 150), at(1, 75)], 120, box).yTicks.map((t) => t.value)).toEqual([0, 75, 150]);
  });

  const render = (trend: HealthTrendPoint[]) => renderToStaticMarkup(createElement(I18nProvider, null, createElement(RulTrendChart, { device: 'cnc-01', trend, unitSeconds: 60, cap: 120 })));

  it('draws a labelled chart in the API’s unit, with the values on the line for assistive technology', () => {
    const html = render([at(0, null), at(1, 118.2), at(2, 54.2), at(3, 48)]);
    expect(html).toContain('剩余寿命趋势（分钟）');
    expect(html).toContain('role="img" aria-label="cnc-01 剩余寿命趋势（分钟）：从 118.2 到 48"');
    expect(html).toContain('data-series="rul" data-unit-seconds="60" data-cap="120" data-values=",118.2,54.2,48"');
    // The data table is rendered only once opened (a day holds up to 1,440 snapshots).
    expect(html).toContain('<summary>数据表</summary>');
    expect(html).not.toContain('<table');
  });

  it('draws nothing while no model predicts for the device', () => {
    expect(render([at(0, null), at(1, null)])).toBe('');
  });
});
