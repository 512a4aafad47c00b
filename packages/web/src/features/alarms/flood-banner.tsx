import { useI18n } from '../../i18n';
import type { AlarmFlood } from './alarm-types';

/** How often the alarms page asks whether the enterprise is in an alarm flood. */
export const floodRefreshMs = 30_000;

/**
 * 告警泛滥: shown on the alarms page while the enterprise has more alarms in the window than ISA-18.2's
 * limit (10 in 10 minutes), with since when and the devices and rules raising most, and — when the
 * operator's own notifications are being held — that one summary replaces them. Nothing when calm.
 */
export function FloodBanner({ flood }: { flood: AlarmFlood | undefined }) {
  const { t, formatDateTime, formatNumber } = useI18n();
  if (!flood || (!flood.inFlood && !flood.user.inFlood)) return null;
  const list = (items: Array<{ name: string; count: number }>) => items.map((i) => t('alarms.flood.item', { name: i.name, count: formatNumber(i.count) })).join(t('alarms.flood.separator'));
  return (
    <div className="alert alert-warning flood-banner" role="alert" aria-label={t('alarms.flood.title')}>
      <p className="alert-headline">{t('alarms.flood.title')}</p>
      {flood.inFlood ? (
        <p className="alert-detail">
          {t('alarms.flood.scope', {
            count: formatNumber(flood.count),
            minutes: formatNumber(flood.windowMinutes),
            limit: formatNumber(flood.limit),
            since: flood.since ? formatDateTime(flood.since) : t('common.none'),
          })}
        </p>
      ) : null}
      {flood.inFlood && flood.top.devices.length ? (
        <p className="alert-detail">{t('alarms.flood.topDevices', { list: list(flood.top.devices.map((d) => ({ name: d.device, count: d.count }))) })}</p>
      ) : null}
      {flood.inFlood && flood.top.rules.length ? (
        <p className="alert-detail">{t('alarms.flood.topRules', { list: list(flood.top.rules.map((r) => ({ name: r.ruleName, count: r.count }))) })}</p>
      ) : null}
      {flood.user.inFlood ? (
        <p className="alert-detail">{t('alarms.flood.user', { held: formatNumber(flood.user.held), limit: formatNumber(flood.limit), minutes: formatNumber(flood.windowMinutes) })}</p>
      ) : null}
    </div>
  );
}
