import type { LatestValueDto } from '@yulian/contracts';
import { usePolling } from '../../api/use-polling';
import { useI18n, type MessageKey } from '../../i18n';
import { Link } from '../../router/hash-router';
import { DataTable } from '../../ui/data-table';
import { PageHeader } from '../../ui/page-header';
import { useApi } from '../auth/session-context';
import { refreshIntervalMs, useDeviceFormat } from './device-format';
import { LiveIndicator } from './live-indicator';

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

/** 设备 → one device: the newest value, quality and times of each point, refreshed every 2 s while visible. */
export function DevicePage({ id }: { id: string }) {
  const { t } = useI18n();
  const format = useDeviceFormat();
  const api = useApi();
  const latest = usePolling((signal) => api.deviceLatest(id, { signal }), [api, id], { intervalMs: refreshIntervalMs });
  const items = latest.data ?? [];

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
          { key: 'point', header: t('device.point'), rowHeader: true, cell: (v) => <code>{v.point}</code> },
          {
            key: 'value',
            header: t('device.value'),
            className: 'numeric',
            cell: (v) => <span className="point-value">{format.value(v.value)}</span>,
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
    </>
  );
}
