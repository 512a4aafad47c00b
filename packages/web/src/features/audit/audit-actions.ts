import { useCallback } from 'react';
import { useI18n, type MessageKey } from '../../i18n';

/** The audit actions the server records today, in the order the filter offers them. */
export const knownAuditActions = [
  'auth.login',
  'auth.logout',
  'auth.lockout',
  'auth.password-change',
  'user.create',
  'user.update',
  'user.role-change',
  'user.delete',
  'enterprise.create',
  'enterprise.update',
  'api-token.create',
  'api-token.revoke',
  'gateway.create',
  'gateway.token',
  'gateway.delete',
  'device.create',
  'device.update',
  'device.delete',
  'device.command',
  'dashboard.create',
  'dashboard.update',
  'dashboard.delete',
] as const;

/** An audit action the console has a name for. */
export type KnownAuditAction = (typeof knownAuditActions)[number];

/** The message of each known action; a new action without its row fails to compile. */
const actionNames: Record<KnownAuditAction, MessageKey> = {
  'auth.login': 'audit.action.auth.login',
  'auth.logout': 'audit.action.auth.logout',
  'auth.lockout': 'audit.action.auth.lockout',
  'auth.password-change': 'audit.action.auth.password-change',
  'user.create': 'audit.action.user.create',
  'user.update': 'audit.action.user.update',
  'user.role-change': 'audit.action.user.role-change',
  'user.delete': 'audit.action.user.delete',
  'enterprise.create': 'audit.action.enterprise.create',
  'enterprise.update': 'audit.action.enterprise.update',
  'api-token.create': 'audit.action.api-token.create',
  'api-token.revoke': 'audit.action.api-token.revoke',
  'gateway.create': 'audit.action.gateway.create',
  'gateway.token': 'audit.action.gateway.token',
  'gateway.delete': 'audit.action.gateway.delete',
  'device.create': 'audit.action.device.create',
  'device.update': 'audit.action.device.update',
  'device.delete': 'audit.action.device.delete',
  'device.command': 'audit.action.device.command',
  'dashboard.create': 'audit.action.dashboard.create',
  'dashboard.update': 'audit.action.dashboard.update',
  'dashboard.delete': 'audit.action.dashboard.delete',
};

const isKnownAction = (action: string): action is KnownAuditAction => Object.hasOwn(actionNames, action);

/** Names an audit action in the current language: `user.role-change` → 变更角色; unknown actions stay as they are. */
export function useAuditActionName(): (action: string) => string {
  const { t } = useI18n();
  return useCallback((action: string) => (isKnownAction(action) ? t(actionNames[action]) : action), [t]);
}

