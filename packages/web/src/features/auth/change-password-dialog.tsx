import { useState, type FormEvent } from 'react';
import { useI18n } from '../../i18n';
import { Dialog } from '../../ui/dialog';
import { ErrorAlert } from '../../ui/error-alert';
import { Field } from '../../ui/field';
import { checkAll, matches, required, useFieldErrors, validPassword } from '../../ui/form-validation';
import { StatusMessage } from '../../ui/status-message';
import { useSession } from './session-context';
import { FormActions } from '../../ui/form-actions';

type FieldName = 'current' | 'next' | 'confirm';

/**
 * 修改密码: the signed-in user changes their own password. A wrong current password is answered 400
 * `CURRENT_PASSWORD_WRONG` and shown here (the session goes on); on success the session continues with
 * the new token the server answered, and sessions elsewhere have ended.
 */
export function ChangePasswordDialog({ onClose }: { onClose: () => void }) {
  const { t } = useI18n();
  const { changePassword } = useSession();
  const [values, setValues] = useState<Record<FieldName, string>>({ current: '', next: '', confirm: '' });
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [changed, setChanged] = useState(false);
  const { errors, accept, clear } = useFieldErrors<FieldName>();

  const set = (field: FieldName) => (e: { target: { value: string } }) => {
    clear(field);
    setValues((v) => ({ ...v, [field]: e.target.value }));
  };
  const message = (field: FieldName) => (errors[field] ? t(errors[field]) : undefined);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const found = checkAll<FieldName>({
      current: required(values.current),
      next: validPassword(values.next),
      confirm: matches(values.next)(values.confirm),
    });
    if (!accept(event.currentTarget, found)) return;
    setBusy(true);
    setError(undefined);
    try {
      await changePassword(values.current, values.next);
      setChanged(true);
    } catch (cause) {
      setError(cause);
      setValues((v) => ({ ...v, current: '' }));
    } finally {
      setBusy(false);
    }
  };

  if (changed) {
    return (
      <Dialog title={t('password.title')} onClose={onClose}>
        <StatusMessage>{t('password.changed')}</StatusMessage>
        <div className="form-actions">
          <button type="button" className="button button-primary" autoFocus onClick={onClose}>
            {t('common.close')}
          </button>
        </div>
      </Dialog>
    );
  }

  return (
    <Dialog title={t('password.title')} onClose={onClose}>
      <form onSubmit={submit} noValidate>
        {error ? <ErrorAlert error={error} /> : null}
        <div className="form-grid">
          <Field label={t('password.current')} error={message('current')}>
            {(control) => (
              <input
                {...control}
                name="currentPassword"
                type="password"
                autoComplete="current-password"
                autoFocus
                required
                value={values.current}
                onChange={set('current')}
              />
            )}
          </Field>
          <Field label={t('password.new')} hint={t('users.passwordHint')} error={message('next')}>
            {(control) => (
              <input
                {...control}
                name="newPassword"
                type="password"
                autoComplete="new-password"
                required
                value={values.next}
                onChange={set('next')}
              />
            )}
          </Field>
          <Field label={t('password.confirm')} error={message('confirm')}>
            {(control) => (
              <input
                {...control}
                name="confirmPassword"
                type="password"
                autoComplete="new-password"
                required
                value={values.confirm}
                onChange={set('confirm')}
              />
            )}
          </Field>
        </div>
        <FormActions submitLabel={t('password.submit')} busy={busy} onCancel={onClose} />
      </form>
    </Dialog>
  );
}
