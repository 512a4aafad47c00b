import { useState, type FormEvent } from 'react';
import type { User } from '@yulian/contracts';
import { useI18n } from '../../i18n';
import { ConfirmDialog } from '../../ui/confirm-dialog';
import { Dialog } from '../../ui/dialog';
import { ErrorAlert } from '../../ui/error-alert';
import { Field } from '../../ui/field';
import { checkAll, useFieldErrors, validPassword } from '../../ui/form-validation';
import { FormActions } from '../../ui/form-actions';

/** Props of the user dialogs. */
export interface UserDialogProps {
  user: User;
  onClose: () => void;
  /** Performs the action; a rejection is shown in the dialog, which stays open. */
  onConfirm: () => Promise<void>;
}

/** Asks before deleting a user, naming them. */
export function ConfirmDeleteDialog({ user, onClose, onConfirm }: UserDialogProps) {
  const { t } = useI18n();
  return (
    <ConfirmDialog title={t('users.delete')} confirmLabel={t('users.confirmDeleteSubmit')} danger onClose={onClose} onConfirm={onConfirm}>
      {t('users.confirmDelete', { username: user.username })}
    </ConfirmDialog>
  );
}

/** Props of {@link ResetPasswordDialog}. */
export interface ResetPasswordDialogProps extends Omit<UserDialogProps, 'onConfirm'> {
  onConfirm: (password: string) => Promise<void>;
}

/** Sets a new password for a user. */
export function ResetPasswordDialog({ user, onClose, onConfirm }: ResetPasswordDialogProps) {
  const { t } = useI18n();
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const { errors, accept, clear } = useFieldErrors<'password'>();
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!accept(event.currentTarget, checkAll({ password: validPassword(password) }))) return;
    setBusy(true);
    setError(undefined);
    try {
      await onConfirm(password);
    } catch (cause) {
      setError(cause);
      setBusy(false);
    }
  };
  return (
    <Dialog title={t('users.resetTitle', { username: user.username })} onClose={onClose}>
      <form onSubmit={submit} noValidate>
        {error ? <ErrorAlert error={error} /> : null}
        <Field
          label={t('users.newPassword')}
          hint={t('users.passwordHint')}
          error={errors.password ? t(errors.password) : undefined}
        >
          {(control) => (
            <input
              {...control}
              name="newPassword"
              type="password"
              autoComplete="new-password"
              autoFocus
              required
              value={password}
              onChange={(e) => {
                clear('password');
                setPassword(e.target.value);
              }}
            />
          )}
        </Field>
        <FormActions submitLabel={t('users.resetSubmit')} busy={busy} onCancel={onClose} keepLabelWhileBusy />
      </form>
    </Dialog>
  );
}
