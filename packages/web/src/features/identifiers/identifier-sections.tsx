import { useI18n, type MessageKey } from '../../i18n';
import { Link, type RoutePath } from '../../router/hash-router';
import { can, type Permission } from '../auth/permissions';
import { useMe } from '../auth/session-context';
import './identifiers.css';

interface Section {
  to: RoutePath;
  label: MessageKey;
  permission?: Permission;
}

const sections: readonly Section[] = [
  { to: '/identifiers', label: 'identifiers.section.records' },
  { to: '/identifiers/bulk', label: 'identifiers.section.bulk', permission: 'identifiers.write' },
  { to: '/identifiers/prefixes', label: 'identifiers.section.prefixes', permission: 'prefixes.view' },
  { to: '/identifiers/stats', label: 'identifiers.section.stats' },
];

/** The views of 标识解析 (identifiers, bulk jobs, prefixes, statistics), those the role may open. */
export function IdentifierSections() {
  const { t } = useI18n();
  const me = useMe();
  return (
    <nav aria-label={t('identifiers.sections')}>
      <ul className="id-sections">
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
