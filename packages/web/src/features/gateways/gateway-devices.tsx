import type { DeviceSummaryDto, GatewayDto } from '@yulian/contracts';
import { useI18n } from '../../i18n';
import { DataTable } from '../../ui/data-table';
import { useDeviceFormat } from '../devices/device-format';
import { DeviceLinkCell } from '../devices/device-link-cell';
import { DeviceStateLabel } from '../devices/device-state';
import { readGatewayReport, reportedDevices, type DeviceState, type ReportedDevice } from './gateway-status';

/** One row: a device the platform configured on the gateway, one the gateway reports, or both. */
export interface GatewayDeviceRow {
  device: string;
  name: string;
  protocol: string;
  state: DeviceState;
  lastError: string | null;
  since: number | null;
  counters: Array<[string, number]>;
  /** Configured on the platform (so it can be removed here), as opposed to only reported. */
  configured: boolean;
  /**
   * Configured but not in the gateway's report: `pending` while the gateway runs an older configuration
   * (it picks the device up with its next report); `connection` once it runs this one — a broker
   * connection (MQTT), whose devices the gateway reports under their own ids.
   */
  unreported?: 'pending' | 'connection';
}

/**
 * The gateway's devices: those configured for it on the platform, merged with those it reports (which
 * include devices an MQTT connection discovered), sorted by id.
 */
export function gatewayDeviceRows(gateway: GatewayDto, devices: readonly DeviceSummaryDto[]): GatewayDeviceRow[] {
  const reported = new Map<string, ReportedDevice>(reportedDevices(gateway).devices.map((d) => [d.device, d]));
  const running = readGatewayReport(gateway.status)?.configVersion ?? -1;
  const rows = new Map<string, GatewayDeviceRow>();
  for (const d of devices) {
    if (d.gatewayId !== gateway.id) continue;
    const r = reported.get(d.device);
    rows.set(d.device, {
      device: d.device,
      name: d.name,
      protocol: r?.protocol || d.protocol || '',
      state: r?.state ?? 'unknown',
      lastError: r?.lastError ?? null,
      since: r?.since ?? null,
      counters: r?.counters ?? [],
      configured: d.source === 'configured',
      ...(!r && d.source === 'configured' ? { unreported: running < gateway.configVersion ? ('pending' as const) : ('connection' as const) } : {}),
    });
  }
  for (const r of reported.values()) {
    if (!rows.has(r.device)) rows.set(r.device, { ...r, name: r.device, configured: false });
  }
  return [...rows.values()].sort((a, b) => a.device.localeCompare(b.device));
}

/** A driver's counters as a compact list of name and value. */
function Counters({ counters }: { counters: Array<[string, number]> }) {
  const { t, formatNumber } = useI18n();
  if (counters.length === 0) return <>{t('common.none')}</>;
  return (
    <dl className="counters">
      {counters.map(([name, value]) => (
        <div key={name}>
          <dt>{name}</dt>
          <dd>{formatNumber(value)}</dd>
        </div>
      ))}
    </dl>
  );
}

/** Props of {@link GatewayDevicesTable}. */
export interface GatewayDevicesTableProps {
  rows: readonly GatewayDeviceRow[];
  busy: boolean;
  now: number;
  /** Given to those who may remove devices: asks to remove one. */
  onRemove?: (device: string) => void;
}

/** The devices of one gateway with their state, protocol, last error and the driver's counters. */
export function GatewayDevicesTable({ rows, busy, now, onRemove }: GatewayDevicesTableProps) {
  const { t } = useI18n();
  const format = useDeviceFormat();
  return (
    <DataTable
      caption={t('gateway.devicesCaption')}
      count={t('devices.count', { count: rows.length })}
      rows={rows}
      rowKey={(d) => d.device}
      busy={busy}
      dense
      empty={t('gateway.devicesEmpty')}
      columns={[
        {
          key: 'device',
          header: t('devices.device'),
          rowHeader: true,
          cell: (d) => <DeviceLinkCell device={d.device} name={d.name} />,
        },
        { key: 'protocol', header: t('devices.protocol'), className: 'nowrap', cell: (d) => (d.protocol ? <code>{d.protocol}</code> : t('common.none')) },
        {
          key: 'state',
          header: t('devices.status'),
          cell: (d) =>
            d.unreported === 'pending' ? (
              <span className="device-status is-connecting">
                <span className="status-dot" aria-hidden="true" />
                {t('gateway.devicePending')}
              </span>
            ) : d.unreported === 'connection' ? (
              <span className="muted">{t('gateway.connectionRow')}</span>
            ) : (
              <DeviceStateLabel state={d.state} lastError={d.lastError} />
            ),
        },
        {
          key: 'since',
          header: t('gateway.since'),
          className: 'nowrap',
          title: (d) => (d.since === null ? undefined : format.exact(d.since)),
          cell: (d) => (d.since === null ? t('common.none') : format.ago(d.since, now)),
        },
        { key: 'counters', header: t('gateway.counters'), cell: (d) => <Counters counters={d.counters} /> },
        onRemove && {
          key: 'actions',
          header: t('common.actions'),
          cell: (d) =>
            d.configured ? (
              <button type="button" className="button button-text button-text-danger" aria-label={t('gateway.removeDeviceNamed', { device: d.device })} onClick={() => onRemove(d.device)}>
                {t('gateway.removeDevice')}
              </button>
            ) : null,
        },
      ]}
    />
  );
}
