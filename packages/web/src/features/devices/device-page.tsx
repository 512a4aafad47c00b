import { useEffect, useMemo } from 'react';
import type { LatestValueDto } from '@yulian/contracts';
import { ApiError } from '../../api/client';
import { usePolling } from '../../api/use-polling';
import { useResource } from '../../api/use-resource';
import { useI18n, type MessageKey } from '../../i18n';
import { Link } from '../../router/hash-router';
import { DataTable } from '../../ui/data-table';
import { PageHeader } from '../../ui/page-header';
import { can } from '../auth/permissions';
import { useApi, useMe } from '../auth/session-context';
import { CommandPanel } from './command-panel';
import { refreshIntervalMs, useDeviceFormat } from './device-format';
import { isBoolPoint, isTextPoint, pointsOf, type PointMeta } from './device-points';
import { DeviceFacts } from './device-facts';
import { DeviceIdentifier } from './device-identifier';
import { DeviceTrend } from './device-trend';
import { DeviceMaintenance } from '../maintenance/device-maintenance';
import { DeviceHealth } from '../health/device-health';
import { LiveIndicator } from './live-indicator';
import { mergeLatest } from './latest-values';
import { LiveProvider, useLiveDevices } from './live-context';

/** Badge class and label of each quality the server reports; anything newer shows as uncertain. */
const qualityLook: Record<'good' | 'bad' | 'uncertain', { className: string; label: MessageKey }> = {
  good: { className: 'badge badge-on', label: 'quality.good' },
  bad: { className: 'badge badge-alert', label: 'quality.bad' },
  uncertain: { className: 'badge badge-warn', label: 'quality.uncertain' },
};

const lookOf = (quality: string) =>
  quality === 'good' || quality === 'bad' ? qualityLook[quality] : qualityLook.uncertain;

function QualityCell({ value }: { value: LatestValueDto }) {
  const { t } = useI18n();
  const look = lookOf(value.quality);
  return (
    <span className="quality">
      <span className={look.className}>{t(look.label)}</span>
      {value.reason ? <code className="quality-reason">{value.reason}</code> : null}
    </span>
  );
}

/** 设备 → one device: facts and presence, live values, trend, and — for roles that may — remote control. */
export function DevicePage({ id }: { id: string }) {
  return (
    <LiveProvider>
      <DeviceView id={id} />
    </LiveProvider>
  );
}

function DeviceView({ id }: { id: string }) {
  const { t } = useI18n();
  const format = useDeviceFormat();
  const api = useApi();
  const me = useMe();
  const latest = usePolling((signal) => api.deviceLatest(id, { signal }), [api, id], { intervalMs: refreshIntervalMs });
  // Devices known only from their telemetry have no configuration: 404, shown as "—" rather than an error.
  const record = useResource((signal) => api.getDevice(id, { signal }).catch((e: unknown) => (e instanceof ApiError && e.status === 404 ? undefined : Promise.reject(e))), [api, id]);
  const live = useLiveDevices(useMemo(() => [id], [id]));
  const { refresh } = latest;
  useEffect(() => {
    if (live.gaps > 0) refresh();
  }, [live.gaps, refresh]);

  const items = useMemo(() => mergeLatest(latest.data ?? [], live.values.get(id)), [latest.data, live.values, id]);
  const points = useMemo(() => pointsOf(record.data), [record.data]);
  const metaOf = useMemo(() => new Map(points.map((p) => [p.key, p])), [points]);
  const trendPoints = useMemo<PointMeta[]>(() => {
    const configured = points.filter((p) => !isBoolPoint(p) && !isTextPoint(p));
    if (configured.length > 0) return configured;
    return items.filter((v) => typeof v.value === 'number').map((v) => ({ key: v.point, name: '', unit: '', dataType: '', min: undefined, max: undefined, writable: false, critical: false }));
  }, [points, items]);
  const writable = points.filter((p) => p.writable);
  const current = (point: string) => items.find((v) => v.point === point)?.value;

  return (
    <>
      <p className="back-link">
        <Link to="/devices">← {t('devices.back')}</Link>
      </p>
      <PageHeader
        title={t('device.title', { id })}
        intro={t('device.intro')}
        actions={<LiveIndicator live={latest.live} refreshedAt={latest.refreshedAt} failing={Boolean(latest.error)} />}
      />
      <DeviceFacts record={record.data} presence={live.presence.get(id)} />
      <p className="device-links">
        <Link to="/devices/:id/diagnosis" params={{ id }}>
          {t('device.diagnosisLink')}
        </Link>
      </p>
      <DataTable
        caption={t('device.tableCaption')}
        count={t('device.count', { count: items.length })}
        rows={items}
        rowKey={(v) => v.point}
        rowClassName={(v) => (v.quality === 'good' ? undefined : 'is-degraded')}
        busy={latest.loading}
        empty={t('device.empty')}
        error={latest.error}
        onRetry={latest.refresh}
        columns={[
          {
            key: 'point',
            header: t('device.point'),
            rowHeader: true,
            cell: (v) => {
              const meta = metaOf.get(v.point);
              return (
                <>
                  <code>{v.point}</code>
                  {meta?.name || meta?.unit ? (
                    <span className="point-meta">
                      {meta.name}
                      {meta.unit ? <span className="point-unit"> ({meta.unit})</span> : null}
                    </span>
                  ) : null}
                </>
              );
            },
          },
          {
            key: 'value',
            header: t('device.value'),
            className: 'numeric',
            // Keyed by the value, so a change re-mounts the span and its flash animation plays again.
            cell: (v) => (
              <span key={String(v.value)} className="point-value flash-on-change" data-point={v.point}>
                {format.value(v.value)}
              </span>
            ),
          },
          { key: 'quality', header: t('device.quality'), cell: (v) => <QualityCell value={v} /> },
          {
            key: 'ts',
            header: t('device.sourceTime'),
            className: 'nowrap',
            title: (v) => format.exact(v.ts),
            cell: (v) => format.time(v.ts),
          },
          {
            key: 'receivedTs',
            header: t('device.receivedTime'),
            className: 'nowrap',
            title: (v) => format.exact(v.receivedTs),
            cell: (v) => format.time(v.receivedTs),
          },
        ]}
      />
      {latest.error?.code === 'DEVICE_NOT_FOUND' ? null : <DeviceTrend device={id} points={trendPoints} />}
      {writable.length > 0 && can(me.role, 'devices.command') ? <CommandPanel device={id} points={writable} currentValue={current} /> : null}
      {latest.error?.code === 'DEVICE_NOT_FOUND' ? null : <DeviceIdentifier device={id} />}
      {latest.error?.code === 'DEVICE_NOT_FOUND' ? null : <DeviceHealth device={id} />}
      {latest.error?.code === 'DEVICE_NOT_FOUND' ? null : <DeviceMaintenance device={id} />}
    </>
  );
}
