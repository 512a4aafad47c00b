import { useI18n } from '../../i18n';
import { useDeviceFormat } from './device-format';

/** Props of {@link LiveIndicator}. */
export interface LiveIndicatorProps {
  /** False while polling is paused (page hidden). */
  live: boolean;
  /** When the newest answer arrived, epoch ms. */
  refreshedAt: number | undefined;
  /** The latest request failed; the dot turns grey until one succeeds. */
  failing: boolean;
}

/**
 * "● 实时 · 更新于 14:03:05": shows that the page refreshes itself and when it last did. Not a live
 * region: announcing every refresh would drown a screen reader.
 */
export function LiveIndicator({ live, refreshedAt, failing }: LiveIndicatorProps) {
  const { t } = useI18n();
  const format = useDeviceFormat();
  const on = live && !failing;
  return (
    <p className="live-indicator" data-testid="live-indicator">
      <span className={on ? 'live-dot is-on' : 'live-dot'} aria-hidden="true" />
      <span>{live ? t('live.on') : t('live.paused')}</span>
      <span className="live-time">
        {refreshedAt === undefined ? t('live.waiting') : t('live.refreshedAt', { time: format.time(refreshedAt) })}
      </span>
    </p>
  );
}
