import { useId, useState } from 'react';
import { useI18n } from '../../i18n';
import type { HealthTrendPoint } from './health-api';
import { rulChartGeometry, rulUnitLine, type ChartBox } from './rul-trend';

/** Props of {@link RulTrendChart}. */
export interface RulTrendChartProps {
  device: string;
  trend: readonly HealthTrendPoint[];
  /** Seconds per RUL cycle, as the API gives it (`rulUnitSeconds`). */
  unitSeconds: number | null;
  /** The model's cap (`rulCap`): the top of the value axis. */
  cap: number | null;
}

const box: ChartBox = { width: 640, height: 180, left: 44, right: 12, top: 10, bottom: 24 };

/**
 * 剩余寿命趋势: the device's remaining useful life over the trend's snapshots, in the unit the API gives,
 * with a value axis (0 to the model's cap) and a time axis. For assistive technology the SVG is one image
 * named with the first and last prediction, the line carries its values (`data-values`, empty where no
 * prediction was made), and a 数据表 lists each snapshot (rendered only when opened).
 */
export function RulTrendChart({ device, trend, unitSeconds, cap }: RulTrendChartProps) {
  const { t, formatDateTime, formatNumber } = useI18n();
  const [tableOpen, setTableOpen] = useState(false);
  const titleId = useId();
  const known = trend.filter((p) => p.rul !== null);
  if (known.length === 0) return null;
  const unitLine = rulUnitLine(unitSeconds);
  const unit = t(unitLine.key, unitLine.values);
  const g = rulChartGeometry(trend, cap, box);
  const label = t('health.rulTrendLabel', { device, unit, first: formatNumber(known[0]?.rul ?? 0), last: formatNumber(known[known.length - 1]?.rul ?? 0) });
  const time = (ts: string) => formatDateTime(ts);
  return (
    <figure className="rul-trend" aria-labelledby={titleId} data-testid="rul-trend">
      <figcaption id={titleId} className="rul-trend-title">
        {t('health.rulTrendTitle', { unit })}
      </figcaption>
      <svg className="rul-trend-chart" role="img" aria-label={label} viewBox={`0 0 ${box.width} ${box.height}`}>
        {g.yTicks.map((tick) => (
          <g key={tick.value} className="rul-trend-tick">
            <line x1={box.left} x2={box.width - box.right} y1={tick.y} y2={tick.y} />
            <text x={box.left - 6} y={tick.y + 4} textAnchor="end">
              {tick.value}
            </text>
          </g>
        ))}
        {g.xTicks.map((tick, i) => (
          <text key={tick.ts} className="rul-trend-time" x={tick.x} y={box.height - 6} textAnchor={i === 0 ? 'start' : 'end'}>
            {time(tick.ts)}
          </text>
        ))}
        <g className="rul-trend-series" data-series="rul" data-unit-seconds={unitSeconds ?? ''} data-cap={cap ?? ''} data-values={trend.map((p) => p.rul ?? '').join(',')}>
          {g.segments.map((points) => (
            <polyline key={points} points={points} fill="none" stroke="currentColor" strokeWidth="2" vectorEffect="non-scaling-stroke" />
          ))}
          {g.last ? <circle cx={g.last.x} cy={g.last.y} r="3" fill="currentColor" /> : null}
        </g>
      </svg>
      <details className="rul-trend-data" onToggle={(e) => setTableOpen(e.currentTarget.open)}>
        <summary>{t('health.rulTrendTable')}</summary>
        {tableOpen ? (
          <table className="table table-dense" aria-label={t('health.rulTrendTableLabel', { device })}>
            <thead>
              <tr>
                <th scope="col">{t('health.col.assessedAt')}</th>
                <th scope="col">{t('health.rulWithUnit', { unit })}</th>
              </tr>
            </thead>
            <tbody>
              {trend.map((p, i) => (
                <tr key={`${i}-${p.ts}`}>
                  <th scope="row">{time(p.ts)}</th>
                  <td data-rul-value={p.rul ?? ''}>{p.rul === null ? t('health.rul.none') : formatNumber(p.rul)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </details>
    </figure>
  );
}
