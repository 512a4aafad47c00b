import type { GatewayDto } from '@yulian/contracts';
import { useId, type ReactNode } from 'react';
import { useI18n } from '../../i18n';
import { useDeviceFormat } from '../devices/device-format';
import { GatewayOnline } from './gateway-online';
import type { GatewayReport } from './gateway-status';

/** Bytes as "1.2 MiB". */
function useBytes(): (bytes: number) => string {
  const { formatNumber } = useI18n();
  return (bytes) => {
    const units = ['B', 'KiB', 'MiB', 'GiB'];
    let value = bytes;
    let unit = 0;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit += 1;
    }
    return `${formatNumber(Math.round(value * 10) / 10)} ${units[unit]}`;
  };
}

function Figure({ label, children, warn = false }: { label: string; children: ReactNode; warn?: boolean }) {
  return (
    <div className={warn ? 'gateway-figure is-warn' : 'gateway-figure'}>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/** Props of {@link GatewayFigures}. */
export interface GatewayFiguresProps {
  gateway: GatewayDto;
  report: GatewayReport | null;
  now: number;
}

/**
 * The gateway at a glance: online, last report, configuration version (the platform's and the one the
 * gateway runs), buffer, dropped samples, uplink and token prefix.
 */
export function GatewayFigures({ gateway, report, now }: GatewayFiguresProps) {
  const { t, formatNumber } = useI18n();
  const format = useDeviceFormat();
  const bytes = useBytes();
  const running = report?.configVersion;
  const uplink = report?.uplink;
  const buffer = report?.buffer;
  const titleId = useId();
  return (
    <section className="panel" aria-labelledby={titleId}>
      <h2 className="panel-title" id={titleId}>
        {t('gateway.summary')}
      </h2>
      <dl className="gateway-figures">
        <Figure label={t('gateways.status')}>
          <GatewayOnline gateway={gateway} />
        </Figure>
        <Figure label={t('gateways.lastSeen')}>
          {gateway.lastSeen === null ? t('common.never') : <span title={format.exact(gateway.lastSeen)}>{format.ago(gateway.lastSeen, now)}</span>}
        </Figure>
        <Figure label={t('gateway.configVersion')}>
          {t('gateway.version', { version: gateway.configVersion })}
          {running !== null && running !== undefined && running !== gateway.configVersion ? (
            <span className="cell-secondary">{t('gateway.versionRunning', { version: running })}</span>
          ) : null}
        </Figure>
        <Figure label={t('gateways.buffered')}>
          {buffer ? (
            <>
              {formatNumber(buffer.samples)}
              <span className="cell-secondary">{bytes(buffer.bytes)}</span>
            </>
          ) : (
            t('common.none')
          )}
        </Figure>
        <Figure label={t('gateways.dropped')} warn={Boolean(buffer && buffer.dropped > 0)}>
          {buffer ? formatNumber(buffer.dropped) : t('common.none')}
        </Figure>
        <Figure label={t('gateways.uplink')} warn={Boolean(uplink && !uplink.up)}>
          {uplink ? (
            <>
              <span className={uplink.up ? 'badge badge-on' : 'badge badge-alert'}>{uplink.up ? t('gateways.uplinkUp') : t('gateways.uplinkDown')}</span>
              <span className="cell-secondary">
                {t('gateway.sent', { batches: formatNumber(uplink.sentBatches), samples: formatNumber(uplink.sentSamples) })}
              </span>
              <span className="cell-secondary">{t('gateways.failures', { count: formatNumber(uplink.failures) })}</span>
              {uplink.lastError ? (
                <span className="device-error" title={uplink.lastError}>
                  {uplink.lastError}
                </span>
              ) : null}
            </>
          ) : (
            t('common.none')
          )}
        </Figure>
        <Figure label={t('gateway.startedAt')}>{report?.startedAt ? format.time(report.startedAt) : t('common.none')}</Figure>
        <Figure label={t('gateway.tokenPrefix')}>{gateway.tokenPrefix ? <code>{gateway.tokenPrefix}…</code> : t('common.none')}</Figure>
      </dl>
    </section>
  );
}
