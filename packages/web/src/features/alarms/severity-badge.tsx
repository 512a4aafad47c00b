import { useI18n } from '../../i18n';
import { asSeverity, severityLabel } from './alarm-format';

/** A severity as a coloured badge (紧急 red, 重要 orange, 次要 yellow, 警告 blue); an unknown one as given. */
export function SeverityBadge({ severity }: { severity: string }) {
  const { t } = useI18n();
  const known = asSeverity(severity);
  return <span className={`badge alarm-severity alarm-severity-${known ?? 'unknown'}`}>{known ? t(severityLabel[known]) : severity}</span>;
}
