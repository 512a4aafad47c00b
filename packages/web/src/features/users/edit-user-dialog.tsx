import { useState, type FormEvent } from 'react';
import type { Role, UpdateUser, User } from '@yulian/contracts';
import { useI18n } from '../../i18n';
import { Dialog } from '../../ui/dialog';
import { ErrorAlert } from '../../ui/error-alert';
import { Field } from '../../ui/field';
import { rolesFor } from '../auth/permissions';
import { FormActions } from '../../ui/form-actions';

/** Props of {@link EditUserDialog}. */
export interface EditUserDialogProps {
  user: User;
  /** The caller's role: it decides which roles are offered. */
  callerRole: Role;
  /** True on the caller's own row: the server refuses a change of one's own role, so it is not offered. */
  self: boolean;
  /** The user's enterprise by name, for the hint under the role. */
  enterpriseName?: string;
  onClose: () => void;
  /** Saves the fields that changed; a rejection is shown in the dialog, which stays open. */
  onSave: (patch: UpdateUser) => Promise<void>;
}

/**
 * Changes a user's display name and role. Only roles that fit the user are offered: platform roles for
 * a user without an enterprise, enterprise roles for one with (and only those for an enterprise admin).
 */
export function EditUserDialog({ user, callerRole, self, enterpriseName, onClose, onSave }: EditUserDialogProps) {
  const { t, roleName } = useI18n();
  const [displayName, setDisplayName] = useState(user.displayName);
  const [role, setRole] = useState<Role>(user.role);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const offered = rolesFor(callerRole, user);
  // Keep the current role selectable even if the caller could not grant it.
  const choices = offered.includes(user.role) ? offered : [user.role, ...offered];
  const roleHint = self
    ? t('users.roleOwn')
    : user.tenantId === null
      ? t('users.rolePlatformOnly')
      : t('users.roleTenantOnly', { enterprise: enterpriseName ?? user.tenantId });

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const patch: UpdateUser = {};
    if (displayName.trim() !== user.displayName) patch.displayName = displayName.trim();
    if (!self && role !== user.role) patch.role = role;
    setBusy(true);
    setError(undefined);
    try {
      await onSave(patch);
    } catch (cause) {
      setError(cause);
      setBusy(false);
    }
  };

  return (
    <Dialog title={t('users.editTitle', { username: user.username })} onClose={onClose}>
      <form onSubmit={submit} noValidate>
        {error ? <ErrorAlert error={error} /> : null}
        <div className="form-grid">
          <Field label={t('users.displayName')}>
            {(control) => (
              <input
                {...control}
                name="displayName"
                maxLength={100}
                autoFocus
                value={displayName}
                onChange={(e) => setDisplayName(e.target.value)}
              />
            )}
          </Field>
          <Field label={t('users.role')} hint={roleHint}>
            {(control) => (
              <select {...control} name="role" disabled={self} value={role} onChange={(e) => setRole(e.target.value as Role)}>
                {choices.map((r) => (
                  <option key={r} value={r}>
                    {roleName(r)}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
        <FormActions submitLabel={t('users.editSubmit')} busy={busy} onCancel={onClose} />
      </form>
    </Dialog>
  );
}
