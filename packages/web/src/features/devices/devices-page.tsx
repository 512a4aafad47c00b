import { usePolling } from '../../api/use-polling';
import { useI18n } from '../../i18n';
import { Link } from '../../router/hash-router';
import { DataTable } from '../../ui/data-table';
import { PageHeader } from '../../ui/page-header';
import { useApi } from '../auth/session-context';
import { isOnline, onlineWithinMs, refreshIntervalMs, useDeviceFormat } from './device-format';
import { LiveIndicator } from './live-indicator';

/** 设备: the devices that have sent telemetry, online or not, refreshed every 2 s while visible. */
export function DevicesPage() {
  const { t } = useI18n();
  const format = useDeviceFormat();
  const api = useApi();
  const devices = usePolling((signal) => api.listDevices({ signal }), [api], { intervalMs: refreshIntervalMs });
  const items = devices.data ?? [];
  const now = Date.now();

  return (
    <>
      <PageHeader
        title={t('devices.title')}
        intro={t('devices.intro', { seconds: onlineWithinMs / 1000 })}
        actions={<LiveIndicator live={devices.live} refreshedAt={devices.refreshedAt} failing={Boolean(devices.error)} />}
      />
      <DataTable
        caption={t('devices.tableCaption')}
        count={t('devices.count', { count: items.length })}
        rows={items}
        rowKey={(d) => d.device}
        busy={devices.loading}
        empty={t('devices.empty')}
        error={devices.error}
        onRetry={devices.refresh}
        columns={[
          {
            key: 'device',
            header: t('devices.device'),
            rowHeader: true,
            cell: (d) => (
              <Link to="/devices/:id" params={{ id: d.device }}>
                {d.device}
              </Link>
            ),
          },
          {
            key: 'status',
            header: t('devices.status'),
            className: 'nowrap',
            cell: (d) => {
              const online = isOnline(d.lastTs, now);
              return (
                <span className={online ? 'device-status is-online' : 'device-status'}>
                  <span className="status-dot" aria-hidden="true" />
                  {online ? t('devices.online') : t('devices.offline')}
                </span>
              );
            },
          },
          { key: 'points', header: t('devices.points'), className: 'nowrap numeric', cell: (d) => d.points },
          {
            key: 'lastTs',
            header: t('devices.lastUpdate'),
            className: 'nowrap',
            title: (d) => format.exact(d.lastTs),
            cell: (d) => format.ago(d.lastTs, now),
          },
        ]}
      />
    </>
  );
}
