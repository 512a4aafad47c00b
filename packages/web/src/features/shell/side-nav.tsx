import { useId } from 'react';
import { useI18n, type MessageKey } from '../../i18n';
import { Link, type RoutePath } from '../../router/hash-router';
import { Icon, type IconName } from '../../ui/icons';
import { can, type Permission } from '../auth/permissions';
import { useMe } from '../auth/session-context';

interface NavItem {
  to: RoutePath;
  label: MessageKey;
  icon: IconName;
  permission?: Permission;
  /** Current only on its own page, not on the pages below it (安全态势 has its sibling pages under /security/). */
  exact?: boolean;
}

const mainItems: readonly NavItem[] = [
  { to: '/', label: 'nav.home', icon: 'home' },
  { to: '/devices', label: 'nav.devices', icon: 'devices' },
  { to: '/dashboards', label: 'nav.dashboards', icon: 'dashboards', permission: 'devices.view' },
  { to: '/gateways', label: 'nav.gateways', icon: 'gateways', permission: 'gateways.view' },
  { to: '/alarms', label: 'nav.alarms', icon: 'alarms' },
  { to: '/maintenance', label: 'nav.maintenance', icon: 'maintenance', permission: 'devices.view' },
  { to: '/m/inspect', label: 'nav.inspection', icon: 'devices', permission: 'maintenance.write' },
  { to: '/inspection', label: 'nav.inspectionConsole', icon: 'maintenance', permission: 'devices.view' },
  { to: '/health', label: 'nav.health', icon: 'health', permission: 'devices.view' },
  { to: '/identifiers', label: 'nav.identifiers', icon: 'identifiers' },
  { to: '/services', label: 'nav.services', icon: 'services' },
];

/** The OT security pages (issue 7), each shown only to roles that may open it. */
const securityItems: readonly NavItem[] = [
  { to: '/security', label: 'nav.security', icon: 'security', permission: 'security.view', exact: true },
  { to: '/security/events', label: 'nav.securityEvents', icon: 'security', permission: 'security.view' },
  { to: '/security/assets', label: 'nav.securityAssets', icon: 'security', permission: 'security.view' },
  { to: '/security/protection', label: 'nav.protection', icon: 'security', permission: 'security.view' },
  { to: '/security/monitoring', label: 'nav.securityMonitoring', icon: 'security', permission: 'security.view' },
  { to: '/security/notices', label: 'nav.notices', icon: 'security', permission: 'notices.view' },
  { to: '/security/grading', label: 'nav.grading', icon: 'security', permission: 'grading.view' },
  { to: '/security/inspections', label: 'nav.securityInspections', icon: 'security', permission: 'grading.view' },
  { to: '/security/incidents', label: 'nav.incidents', icon: 'security', permission: 'incidents.view' },
  { to: '/security/data-classification', label: 'nav.dataClassification', icon: 'security', permission: 'data.view' },
];

/** The admin pages, each shown only to roles that may open it. */
const adminItems: readonly NavItem[] = [
  { to: '/admin/users', label: 'nav.users', icon: 'users', permission: 'users.view' },
  { to: '/admin/enterprises', label: 'nav.enterprises', icon: 'enterprises', permission: 'enterprises.view' },
  { to: '/admin/audit', label: 'nav.audit', icon: 'audit', permission: 'audit.view' },
];

function NavLink({ item }: { item: NavItem }) {
  const { t } = useI18n();
  return (
    <li>
      <Link to={item.to} className="nav-link" section={!item.exact}>
        <Icon name={item.icon} />
        <span>{t(item.label)}</span>
      </Link>
    </li>
  );
}

/** The left navigation; the 安全 and 管理 groups list only the pages the user's role may open. */
export function SideNav() {
  const { t } = useI18n();
  const me = useMe();
  const adminHeadingId = useId();
  const securityHeadingId = useId();
  const visibleAdmin = adminItems.filter((item) => !item.permission || can(me.role, item.permission));
  const visibleSecurity = securityItems.filter((item) => !item.permission || can(me.role, item.permission));
  return (
    <nav className="side-nav" aria-label={t('nav.label')}>
      <ul className="nav-list">
        {mainItems.filter((item) => !item.permission || can(me.role, item.permission)).map((item) => (
          <NavLink key={item.to} item={item} />
        ))}
      </ul>
      {visibleSecurity.length > 0 ? (
        <>
          <h2 className="nav-group" id={securityHeadingId}>
            {t('nav.securityGroup')}
          </h2>
          <ul className="nav-list" aria-labelledby={securityHeadingId}>
            {visibleSecurity.map((item) => (
              <NavLink key={item.to} item={item} />
            ))}
          </ul>
        </>
      ) : null}
      {visibleAdmin.length > 0 ? (
        <>
          <h2 className="nav-group" id={adminHeadingId}>
            {t('nav.admin')}
          </h2>
          <ul className="nav-list" aria-labelledby={adminHeadingId}>
            {visibleAdmin.map((item) => (
              <NavLink key={item.to} item={item} />
            ))}
          </ul>
        </>
      ) : null}
    </nav>
  );
}
