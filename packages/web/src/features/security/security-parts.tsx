import { useI18n } from '../../i18n';
import type { RiskReason } from './security-api';

/** The tabs of 安全态势: the situation, events, inventory, protection lists and monitoring settings. */
export const securitySections = [
  { to: '/security', label: 'sec.situation.title' },
  { to: '/security/events', label: 'nav.securityEvents' },
  { to: '/security/assets', label: 'nav.securityAssets' },
  { to: '/security/protection', label: 'nav.protection' },
  { to: '/security/monitoring', label: 'nav.securityMonitoring' },
] as const;

/** A risk score as a coloured badge (red ≥ 60, amber ≥ 30). */
export function RiskBadge({ risk }: { risk: number }) {
  const { formatNumber } = useI18n();
  const cls = risk >= 60 ? 'badge badge-alert' : risk >= 30 ? 'badge badge-warn' : risk > 0 ? 'badge' : 'badge badge-off';
  return <span className={cls}>{formatNumber(risk)}</span>;
}

/** The reasons of a score, each with its points, in the console's language. */
export function RiskReasons({ reasons }: { reasons: readonly RiskReason[] }) {
  const { t, lang } = useI18n();
  if (reasons.length === 0) return <span className="muted">{t('sec.noReasons')}</span>;
  return (
    <ul className="sec-reasons">
      {reasons.map((r) => (
        <li key={r.code}>
          {lang === 'en' ? r.en : r.zh} <span className="sec-points">+{t('sec.points', { points: r.points })}</span>
        </li>
      ))}
    </ul>
  );
}

/** A security event level as a badge (red ≥ 12, amber ≥ 8). */
export function LevelBadge({ level }: { level: number }) {
  const cls = level >= 12 ? 'badge badge-alert' : level >= 8 ? 'badge badge-warn' : 'badge';
  return <span className={cls}>{level}</span>;
}

/** Epoch ms as the console's date and time. */
export const epoch = (formatDateTime: (iso: string) => string, ms: number | null | undefined): string => (ms ? formatDateTime(new Date(ms).toISOString()) : '—');
