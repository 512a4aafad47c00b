import type { GatewayDto } from '@yulian/contracts';
import { useI18n } from '../../i18n';

/** "● 在线" / "● 离线": whether a gateway reported within the last 30 s, as a dot and a word. */
export function GatewayOnline({ gateway }: { gateway: Pick<GatewayDto, 'online' | 'lastSeen'> }) {
  const { t } = useI18n();
  const online = gateway.online;
  return (
    <span className={online ? 'device-status is-online' : gateway.lastSeen === null ? 'device-status' : 'device-status is-offline'}>
      <span className="status-dot" aria-hidden="true" />
      {online ? t('gateways.online') : gateway.lastSeen === null ? t('gateways.neverReported') : t('gateways.offline')}
    </span>
  );
}
