import { useId, useState, type FormEvent } from 'react';
import type { CreateUser, Enterprise, Me, Role } from '@yulian/contracts';
import { useI18n } from '../../i18n';
import { ErrorAlert } from '../../ui/error-alert';
import { Field } from '../../ui/field';
import { checkAll, useFieldErrors, validPassword, validUsername } from '../../ui/form-validation';
import { assignableRoles } from '../auth/permissions';
import { isTenantRole } from '../auth/roles';
import { FormActions } from '../../ui/form-actions';

/** Props of {@link UserForm}. */
export interface UserFormProps {
  me: Me;
  /** Enterprises the caller can see; an enterprise admin's list holds only their own. */
  enterprises: readonly Enterprise[];
  /** Sends the form to the API; a rejection is shown next to the form. */
  onSubmit: (values: CreateUser) => Promise<void>;
  onCancel?: () => void;
}

/** The enterprises a new user may join: any for a platform admin, otherwise only the caller's own. */
function enterpriseChoices(me: Me, enterprises: readonly Enterprise[]): { id: string; name: string }[] {
  if (me.role === 'platform-admin') return enterprises.map((e) => ({ id: e.id, name: e.name }));
  if (!me.tenantId) return [];
  const own = enterprises.find((e) => e.id === me.tenantId);
  return [{ id: me.tenantId, name: own?.name ?? me.tenantName ?? me.tenantId }];
}

/** Creates a user: username, display name, password, role and — for enterprise roles — the enterprise. */
export function UserForm({ me, enterprises, onSubmit, onCancel }: UserFormProps) {
  const { t, roleName } = useI18n();
  const roleChoices = assignableRoles(me.role);
  const choices = enterpriseChoices(me, enterprises);
  const ownTenant = me.role === 'platform-admin' ? '' : (me.tenantId ?? '');
  const initialRole: Role = roleChoices.includes('operator') ? 'operator' : (roleChoices[0] ?? 'viewer');

  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<Role>(initialRole);
  const [tenantId, setTenantId] = useState(ownTenant);
  const [error, setError] = useState<unknown>();
  const [saving, setSaving] = useState(false);
  const headingId = useId();
  const { errors, accept, clear } = useFieldErrors<'username' | 'password' | 'tenantId'>();
  const needsTenant = isTenantRole(role);
  const message = (field: keyof typeof errors) => (errors[field] ? t(errors[field]) : undefined);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const found = checkAll({
      username: validUsername(username),
      password: validPassword(password),
      tenantId: needsTenant && !tenantId ? 'validation.enterpriseRequired' : undefined,
    });
    if (!accept(event.currentTarget, found)) return;
    setSaving(true);
    setError(undefined);
    try {
      await onSubmit({ username: username.trim(), displayName: displayName.trim(), password, role, tenantId: needsTenant ? tenantId || null : null });
      setUsername('');
      setDisplayName('');
      setPassword('');
    } catch (cause) {
      setError(cause);
    } finally {
      setSaving(false);
    }
  };

  return (
    <form className="panel form" onSubmit={submit} aria-labelledby={headingId} noValidate>
      <h2 className="panel-title" id={headingId}>
        {t('users.createTitle')}
      </h2>
      {error ? <ErrorAlert error={error} /> : null}
      <div className="form-grid">
        <Field label={t('users.username')} hint={t('users.usernameHint')} error={message('username')}>
          {(control) => (
            <input
              {...control}
              name="username"
              autoComplete="off"
              required
              maxLength={64}
              value={username}
              onChange={(e) => {
                clear('username');
                setUsername(e.target.value);
              }}
            />
          )}
        </Field>
        <Field label={t('users.displayName')}>
          {(control) => (
            <input
              {...control}
              name="displayName"
              maxLength={100}
              value={displayName}
              onChange={(e) => setDisplayName(e.target.value)}
            />
          )}
        </Field>
        <Field label={t('users.password')} hint={t('users.passwordHint')} error={message('password')}>
          {(control) => (
            <input
              {...control}
              name="password"
              type="password"
              autoComplete="new-password"
              required
              value={password}
              onChange={(e) => {
                clear('password');
                setPassword(e.target.value);
              }}
            />
          )}
        </Field>
        <Field label={t('users.role')}>
          {(control) => (
            <select {...control} name="role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
              {roleChoices.map((r) => (
                <option key={r} value={r}>
                  {roleName(r)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field
          label={t('users.enterprise')}
          hint={needsTenant ? undefined : t('users.enterpriseNotNeeded')}
          error={needsTenant ? message('tenantId') : undefined}
        >
          {(control) =>
            needsTenant ? (
              <select
                {...control}
                name="tenantId"
                required
                value={tenantId}
                onChange={(e) => {
                  clear('tenantId');
                  setTenantId(e.target.value);
                }}
              >
                {!ownTenant ? <option value="">{t('users.enterpriseChoose')}</option> : null}
                {choices.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name}
                  </option>
                ))}
              </select>
            ) : (
              <select {...control} name="tenantId" disabled value="">
                <option value="">{t('common.none')}</option>
              </select>
            )
          }
        </Field>
      </div>
      <FormActions submitLabel={t('users.createSubmit')} busy={saving} onCancel={onCancel} />
    </form>
  );
}
