import { useState } from 'react';
import { LanguageSwitch, useI18n } from '../../i18n';
import { navigate } from '../../router/hash-router';
import { ChangePasswordDialog } from '../auth/change-password-dialog';
import { useMe, useSession } from '../auth/session-context';

/**
 * The top bar: product name, current user and role, 修改密码, language switch, and logout (which also
 * goes home, so the next user starts there).
 */
export function AppHeader() {
  const { t, roleName } = useI18n();
  const me = useMe();
  const { logout } = useSession();
  const [changingPassword, setChangingPassword] = useState(false);
  return (
    <header className="app-header">
      <a className="brand" href="#/">
        <span className="brand-mark" aria-hidden="true">
          渝
        </span>
        <span className="brand-name">{t('app.name')}</span>
      </a>
      <div className="header-tools">
        <div className="current-user" role="group" aria-label={t('header.signedInAs')}>
          <span className="current-user-name">{me.displayName || me.username}</span>
          <span className="current-user-role">
            {[me.username, roleName(me.role), me.tenantName].filter(Boolean).join(' · ')}
          </span>
        </div>
        <button type="button" className="button button-ghost button-small" onClick={() => setChangingPassword(true)}>
          {t('header.changePassword')}
        </button>
        <LanguageSwitch />
        <button type="button" className="button button-ghost button-small" onClick={() => void logout().then(() => navigate('/'))}>
          {t('header.logout')}
        </button>
      </div>
      {changingPassword ? <ChangePasswordDialog onClose={() => setChangingPassword(false)} /> : null}
    </header>
  );
}
