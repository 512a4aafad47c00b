import type { DeviceSummaryDto } from '@yulian/contracts';
import { usePolling } from '../../api/use-polling';
import { useI18n } from '../../i18n';
import { Link } from '../../router/hash-router';
import { DataTable } from '../../ui/data-table';
import { PageHeader } from '../../ui/page-header';
import { can } from '../auth/permissions';
import { useApi, useMe } from '../auth/session-context';
import type { DeviceState } from '../gateways/gateway-status';
import { isOnline, onlineWithinMs, refreshIntervalMs, useDeviceFormat } from './device-format';
import { DeviceLinkCell } from './device-link-cell';
import { DeviceStateLabel } from './device-state';
import { LiveIndicator } from './live-indicator';

/**
 * The state to show: the gateway's word when a gateway reports the device, else — for a device known
 * only from its telemetry — online while its newest sample is fresh.
 */
export function shownState(device: Pick<DeviceSummaryDto, 'state' | 'lastTs'>, now: number): DeviceState {
  if (device.state !== 'unknown') return device.state;
  if (device.lastTs === null) return 'unknown';
  return isOnline(device.lastTs, now) ? 'online' : 'offline';
}

/** 设备: every device of the caller's enterprise — configured on a gateway or sending telemetry — refreshed every 2 s while visible. */
export function DevicesPage() {
  const { t } = useI18n();
  const format = useDeviceFormat();
  const api = useApi();
  const me = useMe();
  const devices = usePolling((signal) => api.listDevices({ signal }), [api], { intervalMs: refreshIntervalMs });
  const items = devices.data ?? [];
  const now = Date.now();
  const gatewayLinks = can(me.role, 'gateways.view');

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
            cell: (d) => <DeviceLinkCell device={d.device} name={d.name} />,
          },
          {
            key: 'status',
            header: t('devices.status'),
            cell: (d) => <DeviceStateLabel state={shownState(d, now)} lastError={d.lastError} />,
          },
          {
            key: 'protocol',
            header: t('devices.protocol'),
            className: 'nowrap',
            cell: (d) => (d.protocol ? <code>{d.protocol}</code> : t('common.none')),
          },
          {
            key: 'gateway',
            header: t('devices.gateway'),
            className: 'nowrap',
            cell: (d) =>
              d.gatewayId === null ? (
                t('common.none')
              ) : gatewayLinks ? (
                <Link to="/gateways/:id" params={{ id: d.gatewayId }}>
                  {d.gatewayId}
                </Link>
              ) : (
                d.gatewayId
              ),
          },
          { key: 'points', header: t('devices.points'), className: 'nowrap numeric', cell: (d) => d.points },
          {
            key: 'lastTs',
            header: t('devices.lastUpdate'),
            className: 'nowrap',
            title: (d) => (d.lastTs === null ? undefined : format.exact(d.lastTs)),
            cell: (d) => (d.lastTs === null ? t('common.none') : format.ago(d.lastTs, now)),
          },
        ]}
      />
    </>
  );
}
