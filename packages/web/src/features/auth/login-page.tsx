import { useId, useState, type FormEvent } from 'react';
import { LanguageSwitch, useI18n } from '../../i18n';
import { ErrorAlert } from '../../ui/error-alert';
import { Field } from '../../ui/field';
import { useSession, type LoginNotice } from './session-context';

/** Props of {@link LoginPage}. */
export interface LoginPageProps {
  /** Why the user is here again (session ended, server unreachable). */
  notice?: LoginNotice;
}

/** The login form: username, password, 登录. Shows the API's error (wrong password, locked account…). */
export function LoginPage({ notice }: LoginPageProps) {
  const { t } = useI18n();
  const { login } = useSession();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(notice && notice !== 'sessionEnded' ? notice.error : undefined);
  const [submitting, setSubmitting] = useState(false);
  const headingId = useId();

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setSubmitting(true);
    setError(undefined);
    try {
      await login(username.trim(), password);
    } catch (cause) {
      setError(cause);
      setPassword('');
      setSubmitting(false);
    }
  };

  return (
    <div className="login-screen">
      <div className="login-lang">
        <LanguageSwitch />
      </div>
      <main className="login-card">
        <div className="login-brand">
          <span className="brand-mark" aria-hidden="true">
            渝
          </span>
          <p className="login-product">{t('app.name')}</p>
          <p className="login-product-alt">{t('app.nameAlt')}</p>
          <p className="login-tagline">{t('login.tagline')}</p>
        </div>
        <form className="login-form" onSubmit={submit} aria-labelledby={headingId} noValidate>
          <h1 id={headingId}>{t('login.title')}</h1>
          {notice === 'sessionEnded' && !error ? (
            <p className="alert alert-info" role="status">
              {t('login.sessionEnded')}
            </p>
          ) : null}
          {error ? <ErrorAlert error={error} /> : null}
          <Field label={t('login.username')}>
            {(control) => (
              <input
                {...control}
                name="username"
                autoComplete="username"
                autoFocus
                required
                value={username}
                onChange={(e) => setUsername(e.target.value)}
              />
            )}
          </Field>
          <Field label={t('login.password')}>
            {(control) => (
              <input
                {...control}
                name="password"
                type="password"
                autoComplete="current-password"
                required
                value={password}
                onChange={(e) => setPassword(e.target.value)}
              />
            )}
          </Field>
          <button type="submit" className="button button-primary button-block" disabled={submitting || !username || !password}>
            {submitting ? t('login.submitting') : t('login.submit')}
          </button>
        </form>
      </main>
    </div>
  );
}
