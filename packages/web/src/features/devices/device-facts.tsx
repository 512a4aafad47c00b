import type { DeviceRecordDto } from '@yulian/contracts';
import type { LivePresence } from '../../api/live';
import { useI18n, type MessageKey } from '../../i18n';
import { useDeviceFormat } from './device-format';
import { useLiveStatus } from './live-context';

const presenceLook: Record<LivePresence['state'], { className: string; label: MessageKey }> = {
  online: { className: 'badge badge-on', label: 'devices.online' },
  offline: { className: 'badge badge-alert', label: 'devices.offline' },
  unknown: { className: 'badge', label: 'devices.unknown' },
};

/** Props of {@link DeviceFacts}. */
export interface DeviceFactsProps {
  /** The device's configuration; undefined for a device known only from its telemetry. */
  record: DeviceRecordDto | undefined;
  /** The presence the live socket pushed, if any yet. */
  presence: LivePresence | undefined;
}

/** Name, protocol, gateway and presence (online/offline with its reason, pushed live) of a device. */
export function DeviceFacts({ record, presence }: DeviceFactsProps) {
  const { t } = useI18n();
  const format = useDeviceFormat();
  const status = useLiveStatus();
  const none = t('common.none');
  const look = presenceLook[presence?.state ?? 'unknown'];
  return (
    <dl className="device-facts" aria-label={t('device.facts')}>
      <div>
        <dt>{t('device.name')}</dt>
        <dd>{record?.name ?? none}</dd>
      </div>
      <div>
        <dt>{t('devices.protocol')}</dt>
        <dd>{record?.protocol ?? none}</dd>
      </div>
      <div>
        <dt>{t('devices.gateway')}</dt>
        <dd>{record?.gatewayId ?? none}</dd>
      </div>
      <div>
        <dt>{t('device.presence')}</dt>
        <dd data-testid="device-presence">
          <span className={look.className}>{t(look.label)}</span>
          {presence?.reason ? <span className="presence-reason"> {presence.reason}</span> : null}
          {presence && presence.at > 0 ? <span className="muted"> · {t('device.since', { time: format.time(presence.at) })}</span> : null}
        </dd>
      </div>
      <div>
        <dt>{t('device.push')}</dt>
        <dd>
          <span className={status === 'open' ? 'live-dot is-on' : 'live-dot'} aria-hidden="true" /> {t(status === 'open' ? 'device.pushOpen' : status === 'connecting' ? 'device.pushConnecting' : 'device.pushClosed')}
        </dd>
      </div>
    </dl>
  );
}
