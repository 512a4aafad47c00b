import { useEffect, useMemo, useState, type CSSProperties, type ReactNode } from 'react';
import type { DashboardLayout, DashboardWidget } from '@yulian/contracts';
import { useI18n, type MessageKey } from '../../i18n';
import { Link } from '../../router/hash-router';
import { useDeviceFormat } from '../devices/device-format';
import { LazyTrendChart } from '../devices/lazy-charts';
import { presetRange } from '../devices/trend-range';
import { FloorMapWidget } from './floor-map';
import { LazyGaugeChart } from './lazy-gauge';
import { devicesOf } from './layout-edit';
import { useDashboardData, type DashboardData } from './widget-data';

/** Message key of each widget kind's name. */
export const widgetTypeLabel: Record<DashboardWidget['type'], MessageKey> = {
  timeseries: 'widget.type.timeseries',
  gauge: 'widget.type.gauge',
  value: 'widget.type.value',
  'status-grid': 'widget.type.status-grid',
  'floor-map': 'widget.type.floor-map',
  'alarm-list': 'widget.type.alarm-list',
};

/** Props of {@link DashboardGrid}. */
export interface DashboardGridProps {
  layout: DashboardLayout;
  /** The large-screen look: dark, larger type. */
  screen?: boolean;
  /** Buttons shown on each widget in edit mode (configure, move, remove). */
  tools?: (widget: DashboardWidget) => ReactNode;
}

/** The widgets of a dashboard on a 12-column grid (one column on phones), fed live. */
export function DashboardGrid({ layout, screen = false, tools }: DashboardGridProps) {
  const devices = useMemo(() => devicesOf(layout), [layout]);
  const needsList = layout.widgets.some((w) => w.type === 'status-grid' || w.type === 'floor-map');
  const data = useDashboardData(devices, { refreshSeconds: layout.refreshSeconds, needsList });
  return (
    <div className={screen ? 'dashboard-grid is-screen' : 'dashboard-grid'}>
      {layout.widgets.map((w) => (
        <WidgetFrame key={w.id} widget={w} tools={tools?.(w)}>
          <WidgetBody widget={w} data={data} screen={screen} refreshSeconds={layout.refreshSeconds} />
        </WidgetFrame>
      ))}
    </div>
  );
}

function WidgetFrame({ widget, tools, children }: { widget: DashboardWidget; tools: ReactNode; children: ReactNode }) {
  const { t } = useI18n();
  const style = { '--w': widget.w, '--h': widget.h } as CSSProperties;
  const title = widget.title || t(widgetTypeLabel[widget.type]);
  return (
    <section className={`widget widget-${widget.type}`} style={style} aria-label={title} data-widget={widget.id}>
      <header className="widget-head">
        <h2 className="widget-title">{title}</h2>
        {tools ? <div className="widget-tools">{tools}</div> : null}
      </header>
      <div className="widget-body">{children}</div>
    </section>
  );
}

function WidgetBody({ widget, data, screen, refreshSeconds }: { widget: DashboardWidget; data: DashboardData; screen: boolean; refreshSeconds: number }) {
  switch (widget.type) {
    case 'value':
      return <ValueWidget device={widget.device} point={widget.point} data={data} />;
    case 'gauge':
      return <GaugeWidget widget={widget} data={data} screen={screen} />;
    case 'timeseries':
      return <TimeseriesWidget widget={widget} data={data} screen={screen} refreshSeconds={refreshSeconds} />;
    case 'status-grid':
      return <StatusGridWidget devices={widget.devices} data={data} />;
    case 'floor-map':
      return <FloorMapWidget site={widget.site} data={data} />;
    case 'alarm-list':
      return <Placeholder text="widget.alarmsPending" />;
  }
}

function Placeholder({ text }: { text: MessageKey }) {
  const { t } = useI18n();
  return <p className="widget-placeholder">{t(text)}</p>;
}

function ValueWidget({ device, point, data }: { device: string; point: string; data: DashboardData }) {
  const format = useDeviceFormat();
  const { t } = useI18n();
  const v = data.value(device, point);
  const meta = data.meta(device, point);
  const shown = v === undefined ? t('common.none') : typeof v.value === 'boolean' ? String(v.value) : format.value(v.value);
  return (
    <div className="value-widget">
      <p className="value-big">
        <span key={shown} className="flash-on-change" data-testid={`value-${device}-${point}`}>
          {shown}
        </span>
        {meta?.unit ? <span className="value-unit"> {meta.unit}</span> : null}
      </p>
      <p className="value-source">
        <Link to="/devices/:id" params={{ id: device }}>
          {device}
        </Link>{' '}
        · <code>{point}</code>
        {v ? <span className={v.quality === 'good' ? 'muted' : 'badge badge-warn'}> · {v.quality === 'good' ? format.time(v.ts) : t('quality.uncertain')}</span> : null}
      </p>
    </div>
  );
}

function GaugeWidget({ widget, data, screen }: { widget: Extract<DashboardWidget, { type: 'gauge' }>; data: DashboardData; screen: boolean }) {
  const v = data.value(widget.device, widget.point);
  const unit = data.meta(widget.device, widget.point)?.unit ?? '';
  const value = v && typeof v.value === 'number' ? v.value : null;
  return <LazyGaugeChart value={value} min={widget.min} max={widget.max} unit={unit} dark={screen} ariaLabel={`${widget.device} ${widget.point}: ${value ?? '—'} ${unit}`} />;
}

function TimeseriesWidget({ widget, data, screen, refreshSeconds }: { widget: Extract<DashboardWidget, { type: 'timeseries' }>; data: DashboardData; screen: boolean; refreshSeconds: number }) {
  const { t } = useI18n();
  // The range moves on with each refresh of the dashboard.
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), refreshSeconds * 1000);
    return () => clearInterval(timer);
  }, [refreshSeconds]);
  const range = useMemo(() => presetRange(widget.range, now), [widget.range, now]);
  // Keyed on the labels' text, not on `data` (a new object with every live update): the chart is drawn
  // again only when a label changes, not at every batch of live values.
  const labels = widget.points.map((key) => {
    const unit = data.meta(widget.device, key)?.unit;
    return unit ? `${key} (${unit})` : key;
  });
  const labelKey = labels.join('\u0000');
  const points = useMemo(() => {
    const texts = labelKey.split('\u0000');
    return widget.points.map((key, i) => ({ key, label: texts[i] ?? key }));
  }, [widget.points, labelKey]);
  return <LazyTrendChart device={widget.device} points={points} range={range} compact dark={screen} resetKey={widget.range} ariaLabel={t('trend.aria', { device: widget.device, points: widget.points.join(', ') })} />;
}

const stateLook: Record<string, { className: string; label: MessageKey }> = {
  online: { className: 'tile-online', label: 'devices.online' },
  offline: { className: 'tile-offline', label: 'devices.offline' },
  connecting: { className: 'tile-unknown', label: 'devices.connecting' },
  unknown: { className: 'tile-unknown', label: 'devices.unknown' },
};

function StatusGridWidget({ devices, data }: { devices: 'all' | string[]; data: DashboardData }) {
  const { t } = useI18n();
  const ids = devices === 'all' ? (data.devices ?? []).map((d) => d.device) : devices;
  if (ids.length === 0) return <Placeholder text={data.devices === undefined ? 'app.loading' : 'widget.noDevices'} />;
  return (
    <ul className="status-tiles">
      {ids.map((id) => {
        const state = data.presence(id)?.state ?? data.devices?.find((d) => d.device === id)?.state ?? 'unknown';
        const look = stateLook[state] ?? (stateLook['unknown'] as { className: string; label: MessageKey });
        const reason = data.presence(id)?.reason;
        return (
          <li key={id} className={`status-tile ${look.className}`} title={reason ? `${id}: ${reason}` : id} data-state={state}>
            <Link to="/devices/:id" params={{ id }}>
              <span className="tile-name">{id}</span>
              <span className="tile-state">{t(look.label)}</span>
            </Link>
          </li>
        );
      })}
    </ul>
  );
}
