import { useI18n, type MessageKey } from '../../i18n';
import { Link, type RoutePath } from '../../router/hash-router';
import './alarms.css';

const sections: ReadonlyArray<{ to: RoutePath; label: MessageKey }> = [
  { to: '/alarms', label: 'alarms.section.alarms' },
  { to: '/alarms/rules', label: 'alarms.section.rules' },
];

/** The views of 告警: the alarms and the rules that raise them (everyone who sees alarms sees the rules). */
export function AlarmSections() {
  const { t } = useI18n();
  return (
    <nav aria-label={t('alarms.sections')}>
      <ul className="alarm-sections">
        {sections.map((s) => (
          <li key={s.to}>
            <Link to={s.to}>{t(s.label)}</Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
