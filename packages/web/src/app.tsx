import { LoginPage } from './features/auth/login-page';
import { SessionProvider, useSession } from './features/auth/session-context';
import { AppShell } from './features/shell/app-shell';
import { I18nProvider, useI18n } from './i18n';
import { RouteView } from './routes';

function Gate() {
  const { state } = useSession();
  const { t } = useI18n();
  if (state.status === 'checking') {
    return (
      <p className="splash" role="status">
        {t('app.loading')}
      </p>
    );
  }
  if (state.status === 'anonymous') return <LoginPage notice={state.notice} />;
  // Keyed by user so nothing from one login (forms, loaded lists) survives into the next.
  return (
    <AppShell key={state.me.id}>
      <RouteView />
    </AppShell>
  );
}

/** The whole console: language, session, then the login page or the signed-in shell. */
export function App() {
  return (
    <I18nProvider>
      <SessionProvider>
        <Gate />
      </SessionProvider>
    </I18nProvider>
  );
}
