import { useI18n, type MessageKey } from '../../i18n';
import type { DeviceState } from '../gateways/gateway-status';

/** The label and look of each state a device can be in. */
const stateLook: Record<DeviceState, { label: MessageKey; className: string }> = {
  online: { label: 'devices.online', className: 'device-status is-online' },
  connecting: { label: 'devices.connecting', className: 'device-status is-connecting' },
  offline: { label: 'devices.offline', className: 'device-status is-offline' },
  unknown: { label: 'devices.unknown', className: 'device-status' },
};

/** Props of {@link DeviceStateLabel}. */
export interface DeviceStateLabelProps {
  state: DeviceState;
  /** The driver's last error, shown in small type under the state (and in full as a tooltip). */
  lastError?: string | null;
}

/** "● 在线": a device's state as a coloured dot and a word, with the last error under it when there is one. */
export function DeviceStateLabel({ state, lastError }: DeviceStateLabelProps) {
  const { t } = useI18n();
  const look = stateLook[state];
  return (
    <span className="device-state">
      <span className={look.className}>
        <span className="status-dot" aria-hidden="true" />
        {t(look.label)}
      </span>
      {lastError ? (
        <span className="device-error" title={lastError}>
          {lastError}
        </span>
      ) : null}
    </span>
  );
}
