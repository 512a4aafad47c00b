import { useState } from 'react';
import type { User } from '@yulian/contracts';
import { useResource } from '../../api/use-resource';
import { useI18n } from '../../i18n';
import { DataTable } from '../../ui/data-table';
import { ErrorAlert } from '../../ui/error-alert';
import { PageHeader } from '../../ui/page-header';
import { StatusMessage } from '../../ui/status-message';
import { can } from '../auth/permissions';
import { useApi, useMe, useSession } from '../auth/session-context';
import { EditUserDialog } from './edit-user-dialog';
import { ConfirmDeleteDialog, ResetPasswordDialog } from './user-dialogs';
import { UserRowActions } from './user-row-actions';
import { UserForm } from './user-form';

type Pending = { kind: 'edit' | 'delete' | 'reset'; user: User };

/**
 * 管理 → 用户: the user table with edit (display name, role), disable/enable, reset password and delete,
 * and the create form. On the caller's own row only the display name can be edited: the server refuses
 * changing one's own role or disabling oneself, and one's own password is changed from the header.
 */
export function UsersPage() {
  const { t, roleName, formatDateTime } = useI18n();
  const me = useMe();
  const api = useApi();
  const { refreshMe } = useSession();
  const users = useResource((signal) => api.listUsers({ signal }), [api]);
  const enterprises = useResource((signal) => api.listEnterprises({ signal }), [api]);
  const [pending, setPending] = useState<Pending>();
  const [status, setStatus] = useState<string>();
  const [actionError, setActionError] = useState<unknown>();
  const [creating, setCreating] = useState(false);
  const manage = can(me.role, 'users.manage');

  const enterpriseNames = new Map((enterprises.data ?? []).map((e) => [e.id, e.name]));
  const enterpriseName = (tenantId: string | null): string =>
    tenantId === null ? t('common.none') : (enterpriseNames.get(tenantId) ?? (tenantId === me.tenantId ? me.tenantName : null) ?? tenantId);

  const done = (message: string) => {
    setPending(undefined);
    setActionError(undefined);
    setStatus(message);
    users.reload();
  };

  const toggleDisabled = async (user: User) => {
    setStatus(undefined);
    setActionError(undefined);
    try {
      await api.updateUser(user.id, { disabled: !user.disabled });
      done(t(user.disabled ? 'users.wasEnabled' : 'users.wasDisabled', { username: user.username }));
    } catch (cause) {
      setActionError(cause);
    }
  };

  const items = users.data ?? [];

  return (
    <>
      <PageHeader
        title={t('users.title')}
        intro={me.tenantName && me.role !== 'platform-admin' ? `${t('users.intro')} ${me.tenantName}` : t('users.intro')}
        actions={
          <>
            <button type="button" className="button button-secondary" onClick={users.reload}>
              {t('common.refresh')}
            </button>
            {manage ? (
              <button
                type="button"
                className="button button-primary"
                aria-expanded={creating}
                onClick={() => {
                  setStatus(undefined);
                  setCreating((open) => !open);
                }}
              >
                {t('users.createTitle')}
              </button>
            ) : null}
          </>
        }
      />
      {status ? <StatusMessage>{status}</StatusMessage> : null}
      {actionError ? <ErrorAlert error={actionError} /> : null}
      {manage && creating ? (
        <UserForm
          me={me}
          enterprises={enterprises.data ?? []}
          onCancel={() => setCreating(false)}
          onSubmit={async (values) => {
            setStatus(undefined);
            const created = await api.createUser(values);
            setCreating(false);
            done(t('users.created', { username: created.username }));
          }}
        />
      ) : null}
      <DataTable
        caption={t('users.tableCaption')}
        count={t('users.count', { count: items.length })}
        rows={items}
        rowKey={(u) => u.id}
        rowClassName={(u) => (u.disabled ? 'is-disabled' : undefined)}
        busy={users.loading}
        error={users.error}
        onRetry={users.reload}
        columns={[
          {
            key: 'username',
            header: t('users.username'),
            rowHeader: true,
            className: 'nowrap',
            cell: (u) => (
              <>
                {u.username}
                {u.id === me.id ? <span className="muted">{t('common.you')}</span> : null}
              </>
            ),
          },
          { key: 'displayName', header: t('users.displayName'), cell: (u) => u.displayName || t('common.none') },
          {
            key: 'role',
            header: t('users.role'),
            cell: (u) => <span className={`badge badge-${u.role}`}>{roleName(u.role)}</span>,
          },
          { key: 'enterprise', header: t('users.enterprise'), cell: (u) => enterpriseName(u.tenantId) },
          {
            key: 'status',
            header: t('users.status'),
            cell: (u) => (
              <span className={u.disabled ? 'badge badge-off' : 'badge badge-on'}>
                {u.disabled ? t('users.disabled') : t('users.active')}
              </span>
            ),
          },
          {
            key: 'lastLogin',
            header: t('users.lastLogin'),
            cell: (u) => (u.lastLoginAt ? formatDateTime(u.lastLoginAt) : t('common.never')),
          },
          manage && {
            key: 'actions',
            header: t('common.actions'),
            className: 'actions-cell',
            cell: (u) => (
              <UserRowActions
                user={u}
                self={u.id === me.id}
                onAction={(kind) => (kind === 'toggle' ? void toggleDisabled(u) : setPending({ kind, user: u }))}
              />
            ),
          },
        ]}
      />
      {pending?.kind === 'edit' ? (
        <EditUserDialog
          user={pending.user}
          callerRole={me.role}
          self={pending.user.id === me.id}
          enterpriseName={pending.user.tenantId === null ? undefined : enterpriseName(pending.user.tenantId)}
          onClose={() => setPending(undefined)}
          onSave={async (patch) => {
            if (Object.keys(patch).length > 0) {
              await api.updateUser(pending.user.id, patch);
              if (pending.user.id === me.id) await refreshMe();
            }
            done(t('users.updated', { username: pending.user.username }));
          }}
        />
      ) : null}
      {pending?.kind === 'delete' ? (
        <ConfirmDeleteDialog
          user={pending.user}
          onClose={() => setPending(undefined)}
          onConfirm={async () => {
            await api.deleteUser(pending.user.id);
            done(t('users.deleted', { username: pending.user.username }));
          }}
        />
      ) : null}
      {pending?.kind === 'reset' ? (
        <ResetPasswordDialog
          user={pending.user}
          onClose={() => setPending(undefined)}
          onConfirm={async (password) => {
            await api.updateUser(pending.user.id, { password });
            done(t('users.passwordWasReset', { username: pending.user.username }));
          }}
        />
      ) : null}
    </>
  );
}
