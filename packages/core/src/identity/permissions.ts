import type { Role } from '@yulian/contracts';

/** Everything a route can require. Later features add their own. */
export type Permission =
  | 'overview:read'
  | 'enterprise:read'
  | 'enterprise:write'
  | 'user:read'
  | 'user:write'
  | 'audit:read'
  | 'token:own'
  | 'device:read'
  | 'device:write'
  | 'device:command'
  | 'gateway:read'
  | 'gateway:write'
  | 'asset:summary'
  | 'identifier:write'
  | 'identifier:keys'
  | 'alarm:ack'
  | 'alarm:rules'
  | 'rul:models'
  | 'maintenance:write'
  | 'maintenance:schedules'
  | 'inspection:write'
  | 'inspection:manage'
  | 'notification:channels'
  | 'identifier:report'
  | 'prefix:apply'
  | 'prefix:read'
  | 'prefix:review';

const all: readonly Role[] = ['authority', 'platform-admin', 'enterprise-admin', 'engineer', 'operator', 'viewer', 'security-analyst', 'registrar'];

/** Which roles hold which permission: an exhaustive table, so a new permission needs its row. */
export const permissionTable: Record<Permission, readonly Role[]> = {
  'overview:read': all,
  'enterprise:read': all,
  'enterprise:write': ['platform-admin'],
  'user:read': ['platform-admin', 'enterprise-admin'],
  'user:write': ['platform-admin', 'enterprise-admin'],
  'audit:read': ['platform-admin', 'enterprise-admin', 'security-analyst'],
  'token:own': all,
  'device:read': ['platform-admin', 'enterprise-admin', 'engineer', 'operator', 'viewer', 'security-analyst'],
  'device:write': ['platform-admin', 'enterprise-admin', 'engineer'],
  'device:command': ['platform-admin', 'enterprise-admin', 'engineer', 'operator'],
  'gateway:read': ['platform-admin', 'enterprise-admin', 'engineer', 'operator', 'viewer', 'security-analyst'],
  'gateway:write': ['platform-admin', 'enterprise-admin', 'engineer'],
  // Counts and states of devices per enterprise and site, never their values: the authority's view.
  'asset:summary': ['authority', 'platform-admin', 'enterprise-admin', 'engineer', 'operator', 'viewer', 'security-analyst'],
  // Identifiers: registrars and platform admins any; enterprise admins and engineers under their
  // enterprise's own prefixes (checked against the prefixes allocated to it).
  'identifier:write': ['platform-admin', 'registrar', 'enterprise-admin', 'engineer'],
  // A child node's statistics report, sent with an API token of a registrar (or platform admin) account.
  'identifier:report': ['platform-admin', 'registrar'],
  // Alarms: operators and up acknowledge, comment and assign; engineers and admins write the rules.
  'alarm:ack': ['platform-admin', 'enterprise-admin', 'engineer', 'operator'],
  'alarm:rules': ['platform-admin', 'enterprise-admin', 'engineer'],
  // Remaining-useful-life models and their bindings to device profiles: engineers and admins.
  'rul:models': ['platform-admin', 'enterprise-admin', 'engineer'],
  // Maintenance: operators and up open, work and close work orders; engineers and admins plan preventive schedules.
  'maintenance:write': ['platform-admin', 'enterprise-admin', 'engineer', 'operator'],
  'maintenance:schedules': ['platform-admin', 'enterprise-admin', 'engineer'],
  // Spot inspection: operators and up walk rounds (check in, submit results); engineers and admins set up standards, routes and plans.
  'inspection:write': ['platform-admin', 'enterprise-admin', 'engineer', 'operator'],
  'inspection:manage': ['platform-admin', 'enterprise-admin', 'engineer'],
  // Notification channels hold endpoints and secrets: admins and engineers set them up and re-drive dead letters.
  'notification:channels': ['platform-admin', 'enterprise-admin', 'engineer'],
  // Record-signing keys (SM2) of a prefix: registrars and platform admins any; enterprise admins their own.
  'identifier:keys': ['platform-admin', 'registrar', 'enterprise-admin'],
  // Enterprise prefixes: an enterprise admin applies for its enterprise; registrars (and platform admins)
  // review every application. Enterprise admins and engineers read their own enterprise's; the authority
  // reads all of them without contact details or user names.
  'prefix:apply': ['enterprise-admin'],
  'prefix:read': ['authority', 'platform-admin', 'registrar', 'enterprise-admin', 'engineer'],
  'prefix:review': ['platform-admin', 'registrar'],
};

/** What each permission allows, in words, for error messages. */
export const permissionWords: Record<Permission, string> = {
  'overview:read': 'see the overview',
  'enterprise:read': 'see enterprises',
  'enterprise:write': 'create or change enterprises',
  'user:read': 'see user accounts',
  'user:write': 'create, change or delete user accounts',
  'audit:read': 'read the audit log',
  'token:own': 'manage API tokens',
  'device:read': 'see devices and their values',
  'device:write': 'add, change or remove devices',
  'device:command': 'write to device points',
  'gateway:read': 'see gateways',
  'gateway:write': 'register, change or remove gateways',
  'asset:summary': 'see device counts and states per enterprise and site',
  'identifier:write': 'register, change, delete or list identifiers',
  'identifier:report': 'report a child node’s identifier statistics',
  'identifier:keys': 'create, rotate or retire the keys that sign a prefix’s identifier records',
  'alarm:ack': 'acknowledge, comment on or assign alarms',
  'alarm:rules': 'create, change or delete alarm rules',
  'rul:models': 'upload, train or bind remaining-useful-life models',
  'maintenance:write': 'create, work on and close maintenance work orders',
  'maintenance:schedules': 'create, change or delete preventive maintenance schedules',
  'inspection:write': 'check in at devices and submit inspection results',
  'inspection:manage': 'create, change or delete inspection standards, routes and plans',
  'notification:channels': 'set up notification channels, see every delivery and re-drive dead letters',
  'prefix:apply': 'apply for an enterprise prefix',
  'prefix:read': 'see enterprise prefixes and applications',
  'prefix:review': 'approve, reject, suspend or resume enterprise prefixes or change their quotas',
};

/** The FORBIDDEN message for a role lacking a permission. */
export const forbiddenMessage = (role: Role, permission: Permission): string => `The role ${role} may not ${permissionWords[permission]}.`;

/** True when the role holds the permission. */
export const can = (role: Role, permission: Permission): boolean => permissionTable[permission].includes(role);

/** Roles an administrator may grant: a platform admin any; an enterprise admin only enterprise roles. */
export function assignableRoles(role: Role): readonly Role[] {
  if (role === 'platform-admin') return all;
  if (role === 'enterprise-admin') return ['enterprise-admin', 'engineer', 'operator', 'viewer', 'security-analyst'];
  return [];
}
