import type { User } from '@yulian/contracts';
import { useI18n } from '../../i18n';

/** What a row button asks the page to do. */
export type UserRowAction = 'edit' | 'toggle' | 'reset' | 'delete';

/** Props of {@link UserRowActions}. */
export interface UserRowActionsProps {
  user: User;
  /** True on the caller's own row: only 编辑 (the display name) is offered there. */
  self: boolean;
  onAction: (action: UserRowAction) => void;
}

/**
 * The compact text buttons of one user row: 编辑, 停用/启用, 重置密码, 删除. Each is named with the
 * username ("Delete e2e-admin") so that a screen reader, and a test, can tell the rows apart.
 */
export function UserRowActions({ user, self, onAction }: UserRowActionsProps) {
  const { t } = useI18n();
  const button = (action: UserRowAction, label: string, danger = false) => (
    <button
      type="button"
      className={danger ? 'button button-text button-text-danger' : 'button button-text'}
      aria-label={`${label} ${user.username}`}
      onClick={() => onAction(action)}
    >
      {label}
    </button>
  );
  return (
    <div className="row-actions" role="group" aria-label={t('users.rowActions', { username: user.username })}>
      {button('edit', t('common.edit'))}
      {self ? null : (
        <>
          {button('toggle', user.disabled ? t('users.enable') : t('users.disable'))}
          {button('reset', t('users.resetPassword'))}
          {button('delete', t('users.delete'), true)}
        </>
      )}
    </div>
  );
}
