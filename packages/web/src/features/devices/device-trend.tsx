import { useEffect, useId, useMemo, useState } from 'react';
import { useI18n, type MessageKey } from '../../i18n';
import type { PointMeta } from './device-points';
import { LazyTrendChart } from './lazy-charts';
import { customRange, presetLengthMs, rangePresets, toLocalInput, type RangePreset, type TimeRange } from './trend-range';

const presetLabel: Record<RangePreset, MessageKey> = {
  '15m': 'trend.range.15m',
  '1h': 'trend.range.1h',
  '6h': 'trend.range.6h',
  '24h': 'trend.range.24h',
  '7d': 'trend.range.7d',
  '30d': 'trend.range.30d',
};

/** How often a range ending now moves on: often for short ranges, rarely for a month. */
const followSeconds = (preset: RangePreset): number => (presetLengthMs(preset) <= 3_600_000 ? 10 : presetLengthMs(preset) <= 86_400_000 ? 60 : 300);

/** Props of {@link DeviceTrend}. */
export interface DeviceTrendProps {
  device: string;
  /** The device's numeric points (from its configuration, else from its latest values). */
  points: readonly PointMeta[];
}

/**
 * 趋势: the trend chart of a device with its time-range picker (15 min … 30 d, or custom) and a choice of
 * up to three points. Preset ranges end now and move on by themselves.
 */
export function DeviceTrend({ device, points }: DeviceTrendProps) {
  const { t } = useI18n();
  const headingId = useId();
  const [preset, setPreset] = useState<RangePreset | 'custom'>('1h');
  const [now, setNow] = useState(() => Date.now());
  const [custom, setCustom] = useState(() => ({ from: toLocalInput(Date.now() - 86_400_000), to: toLocalInput(Date.now()) }));
  const [chosen, setChosen] = useState<string[]>([]);
  const [info, setInfo] = useState<{ points: number; bucketed: boolean; detail: boolean } | undefined>();

  const selected = useMemo(() => {
    const valid = chosen.filter((k) => points.some((p) => p.key === k));
    return valid.length > 0 ? valid : points.slice(0, 1).map((p) => p.key);
  }, [chosen, points]);

  useEffect(() => {
    if (preset === 'custom') return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), followSeconds(preset) * 1000);
    return () => clearInterval(timer);
  }, [preset]);

  const customValue = customRange(custom.from, custom.to);
  const range: TimeRange | undefined = preset === 'custom' ? customValue : { from: now - presetLengthMs(preset), to: now };
  const chartPoints = useMemo(
    () => selected.map((key) => {
      const meta = points.find((p) => p.key === key);
      return { key, label: meta?.unit ? `${key} (${meta.unit})` : key };
    }),
    [selected, points],
  );

  const toggle = (key: string) =>
    setChosen(selected.includes(key) ? selected.filter((k) => k !== key) : [...selected, key].slice(-3));

  return (
    <section className="panel trend-panel" aria-labelledby={headingId}>
      <div className="panel-head">
        <h2 className="panel-title" id={headingId}>
          {t('trend.title')}
        </h2>
        <div className="range-picker" role="group" aria-label={t('trend.range')}>
          {rangePresets.map((p) => (
            <button key={p} type="button" className={preset === p ? 'chip is-selected' : 'chip'} aria-pressed={preset === p} onClick={() => setPreset(p)}>
              {t(presetLabel[p])}
            </button>
          ))}
          <button type="button" className={preset === 'custom' ? 'chip is-selected' : 'chip'} aria-pressed={preset === 'custom'} onClick={() => setPreset('custom')}>
            {t('trend.range.custom')}
          </button>
        </div>
      </div>
      {preset === 'custom' ? (
        <div className="custom-range">
          <label>
            {t('trend.from')}
            <input type="datetime-local" value={custom.from} onChange={(e) => setCustom({ ...custom, from: e.target.value })} />
          </label>
          <label>
            {t('trend.to')}
            <input type="datetime-local" value={custom.to} onChange={(e) => setCustom({ ...custom, to: e.target.value })} />
          </label>
          {customValue ? null : <span className="field-error">{t('trend.customInvalid')}</span>}
        </div>
      ) : null}
      {points.length > 1 ? (
        <fieldset className="trend-points">
          <legend>{t('trend.points')}</legend>
          {points.map((p) => (
            <label key={p.key} className="check">
              <input type="checkbox" checked={selected.includes(p.key)} onChange={() => toggle(p.key)} />
              <code>{p.key}</code>
            </label>
          ))}
        </fieldset>
      ) : null}
      {points.length === 0 ? (
        <p className="muted">{t('trend.noPoints')}</p>
      ) : range ? (
        <LazyTrendChart
          device={device}
          points={chartPoints}
          range={range}
          resetKey={`${preset}|${preset === 'custom' ? `${custom.from}|${custom.to}` : ''}`}
          ariaLabel={t('trend.aria', { device, points: selected.join(', ') })}
          onLoaded={setInfo}
        />
      ) : null}
      {info ? (
        <p className="muted trend-caption">
          {t(info.bucketed ? 'trend.bucketed' : 'trend.raw', { count: info.points })}
          {info.detail ? ` · ${t('trend.detail')}` : ''}
        </p>
      ) : null}
    </section>
  );
}
