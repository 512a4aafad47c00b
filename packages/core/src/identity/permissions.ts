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
  | 'prefix:review'
  | 'notice:read'
  | 'notice:issue'
  | 'notice:respond'
  | 'incident:read'
  | 'incident:write'
  | 'grading:read'
  | 'grading:self'
  | 'grading:confirm'
  | 'security-inspection:manage'
  | 'security-inspection:respond'
  | 'data:classify'
  | 'data:level3'
  | 'data:export-approve'
  | 'security:read'
  | 'security:manage'
  | 'protection:manage';

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
  // Early-warning notices (预警通报): the authority issues them and reviews disposals; an enterprise's admin
  // and security analyst acknowledge and report disposal; they and its engineers read what reached it.
  'notice:read': ['authority', 'platform-admin', 'enterprise-admin', 'security-analyst', 'engineer'],
  'notice:issue': ['authority', 'platform-admin'],
  'notice:respond': ['enterprise-admin', 'security-analyst'],
  // Security incidents, response plans and drills (应急管理): an enterprise's analysts and admins run them; the
  // authority reads every enterprise's (it oversees incident handling) but changes nothing.
  'incident:read': ['authority', 'platform-admin', 'enterprise-admin', 'security-analyst'],
  'incident:write': ['platform-admin', 'enterprise-admin', 'security-analyst'],
  // Classified and graded security management (分类分级) and security inspections (安全检查): an enterprise's
  // admin and security analyst fill in its self-assessment and report rectifications; the authority (and
  // platform admins) confirm levels, schedule inspections, record results and verify rectifications.
  'grading:read': ['authority', 'platform-admin', 'enterprise-admin', 'security-analyst'],
  'grading:self': ['enterprise-admin', 'security-analyst'],
  'grading:confirm': ['authority', 'platform-admin'],
  'security-inspection:manage': ['authority', 'platform-admin'],
  'security-inspection:respond': ['enterprise-admin', 'security-analyst'],
  // Data classification (工业数据分类分级): admins and security analysts set categories and levels and grant
  // level-3 reading to users; enterprise admins and engineers read level-3 (三级) values — not operators or
  // viewers, and not the platform operator's staff, who do not read an enterprise's core data by default.
  // Exports of level-2/3 data are approved by an enterprise or platform admin other than the requester.
  'data:classify': ['platform-admin', 'enterprise-admin', 'security-analyst'],
  'data:level3': ['enterprise-admin', 'engineer'],
  'data:export-approve': ['platform-admin', 'enterprise-admin'],
  // OT security monitoring (安全态势感知): events, guards, blocks, baselines, captures. Analysts and admins of an
  // enterprise run it for theirs; the authority reads every enterprise's (the situation and district view).
  'security:read': ['authority', 'platform-admin', 'enterprise-admin', 'security-analyst'],
  'security:manage': ['platform-admin', 'enterprise-admin', 'security-analyst'],
  // Critical protection objects (关键保护对象): the authority (and platform admins) keep the city and district lists.
  'protection:manage': ['authority', 'platform-admin'],
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
  'notice:read': 'see early-warning notices',
  'notice:issue': 'issue early-warning notices or review enterprises’ disposal of them',
  'notice:respond': 'acknowledge early-warning notices or report their disposal',
  'incident:read': 'see security incidents, drills and response plans',
  'incident:write': 'open, work on and close security incidents, run drills or change response plans',
  'grading:read': 'see enterprise security grading and security inspections',
  'grading:self': 'fill in and submit the enterprise’s security self-assessment',
  'grading:confirm': 'confirm, set or return enterprises’ security levels',
  'security-inspection:manage': 'schedule security inspections, record their results and verify rectifications',
  'security-inspection:respond': 'report the rectification of security inspection findings',
  'data:classify': 'set data categories and levels or grant level-3 reading',
  'data:level3': 'read level-3 (三级) data',
  'data:export-approve': 'approve or reject data export requests',
  'security:read': 'see security events and the security situation',
  'security:manage': 'manage security monitoring (blocks, baselines, captures, event status)',
  'protection:manage': 'add, change or remove critical protection objects (关键保护对象) on the city and district lists',
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
