import { useI18n, type MessageKey } from '../i18n';
import { can, type Permission } from '../features/auth/permissions';
import { useMe } from '../features/auth/session-context';
import { Link, type RoutePath } from '../router/hash-router';

/** One view of a feature with several (its route, its label, who may open it). */
export interface SectionTab {
  to: RoutePath;
  label: MessageKey;
  permission?: Permission;
}

/**
 * The tab bar of a feature's views (标识: identifiers, bulk jobs, prefixes, statistics; 告警: alarms and
 * rules): the views the role may open, the current one underlined.
 */
export function SectionTabs({ label, sections }: { label: MessageKey; sections: readonly SectionTab[] }) {
  const { t } = useI18n();
  const me = useMe();
  return (
    <nav aria-label={t(label)}>
      <ul className="section-tabs">
        {sections
          .filter((s) => !s.permission || can(me.role, s.permission))
          .map((s) => (
            <li key={s.to}>
              <Link to={s.to}>{t(s.label)}</Link>
            </li>
          ))}
      </ul>
    </nav>
  );
}
