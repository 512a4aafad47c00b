import { LanguageSwitch, useI18n } from '../../i18n';
import { navigate } from '../../router/hash-router';
import { useMe, useSession } from '../auth/session-context';

/** The top bar: product name, current user and role, language switch, logout (which also goes home, so the next user starts there). */
export function AppHeader() {
  const { t, roleName } = useI18n();
  const me = useMe();
  const { logout } = useSession();
  return (
    <header className="app-header">
      <a className="brand" href="#/">
        <span className="brand-mark" aria-hidden="true">
          渝
        </span>
        <span className="brand-name">{t('app.name')}</span>
      </a>
      <div className="header-tools">
        <p className="current-user" aria-label={t('header.signedInAs')}>
          <span className="current-user-name">{me.displayName || me.username}</span>
          <span className="current-user-role">
            {[me.username, roleName(me.role), me.tenantName].filter(Boolean).join(' · ')}
          </span>
        </p>
        <LanguageSwitch />
        <button type="button" className="button button-ghost" onClick={() => void logout().then(() => navigate('/'))}>
          {t('header.logout')}
        </button>
      </div>
    </header>
  );
}
