import type { Role } from '@yulian/contracts';
import { allRoles, isTenantRole } from './roles';

/** Something the console shows or hides by role. The server enforces the same rules on every call. */
export type Permission =
  | 'enterprises.view'
  | 'enterprises.manage'
  | 'users.view'
  | 'users.manage'
  | 'audit.view'
  | 'devices.view'
  | 'devices.manage'
  | 'devices.command'
  | 'gateways.view'
  | 'gateways.manage'
  | 'identifiers.write'
  | 'identifiers.report'
  | 'prefixes.apply'
  | 'prefixes.view'
  | 'prefixes.review'
  | 'alarms.view'
  | 'alarms.ack'
  | 'alarms.rules'
  | 'maintenance.write'
  | 'maintenance.schedules'
  | 'inspection.manage'
  | 'notices.view'
  | 'notices.issue'
  | 'notices.respond'
  | 'security.view'
  | 'security.manage'
  | 'protection.manage'
  | 'incidents.view'
  | 'incidents.write'
  | 'grading.view'
  | 'grading.self'
  | 'grading.confirm'
  | 'securityInspections.manage'
  | 'securityInspections.respond'
  | 'data.view'
  | 'data.classify'
  | 'data.level3'
  | 'data.exportApprove';

/** Which roles hold each permission; adding a permission without its row fails to compile. */
const grants: Record<Permission, readonly Role[]> = {
  'enterprises.view': ['platform-admin', 'authority', 'enterprise-admin'],
  'enterprises.manage': ['platform-admin'],
  'users.view': ['platform-admin', 'enterprise-admin'],
  'users.manage': ['platform-admin', 'enterprise-admin'],
  'audit.view': ['platform-admin', 'enterprise-admin', 'security-analyst'],
  // The server's `device:read`: everyone but the authority and the registrar, who oversee no plant floor.
  'devices.view': ['platform-admin', 'enterprise-admin', 'engineer', 'operator', 'viewer', 'security-analyst'],
  // The server's `device:write`: adding and removing the devices a gateway reads.
  'devices.manage': ['platform-admin', 'enterprise-admin', 'engineer'],
  // The server's `device:command`: remote control of writable points.
  'devices.command': ['platform-admin', 'enterprise-admin', 'engineer', 'operator'],
  // The server's `gateway:read` and `gateway:write`.
  'gateways.view': ['platform-admin', 'enterprise-admin', 'engineer', 'operator', 'viewer', 'security-analyst'],
  'gateways.manage': ['platform-admin', 'enterprise-admin', 'engineer'],
  // The server's `identifier:write`: register, change, delete and list identifiers (enterprise roles
  // under their own prefixes only, which the server checks).
  'identifiers.write': ['platform-admin', 'registrar', 'enterprise-admin', 'engineer'],
  // The server's `identifier:report`: a child node's statistics report (machines, not the console).
  'identifiers.report': ['platform-admin', 'registrar'],
  // The server's `prefix:apply`, `prefix:read` and `prefix:review` (企业前缀 application and review).
  'prefixes.apply': ['enterprise-admin'],
  'prefixes.view': ['authority', 'platform-admin', 'registrar', 'enterprise-admin', 'engineer'],
  'prefixes.review': ['platform-admin', 'registrar'],
  // 告警: the server lists alarms and rules under `device:read`; `alarm:ack` acknowledges, assigns and
  // comments; `alarm:rules` creates, changes and deletes rules.
  'alarms.view': ['platform-admin', 'enterprise-admin', 'engineer', 'operator', 'viewer', 'security-analyst'],
  'alarms.ack': ['platform-admin', 'enterprise-admin', 'engineer', 'operator'],
  'alarms.rules': ['platform-admin', 'enterprise-admin', 'engineer'],
  // 维护: the server's `maintenance:write` (work orders) and `maintenance:schedules` (preventive schedules);
  // reading both is `device:read`.
  'maintenance.write': ['platform-admin', 'enterprise-admin', 'engineer', 'operator'],
  'maintenance.schedules': ['platform-admin', 'enterprise-admin', 'engineer'],
  // 点检管理: the server's `inspection:manage` (standards, routes, plans); reading them and the rounds is `device:read`.
  'inspection.manage': ['platform-admin', 'enterprise-admin', 'engineer'],
  // 预警通报: the server's `notice:read`, `notice:issue` (issue, review disposals) and `notice:respond`
  // (acknowledge, report disposal).
  'notices.view': ['authority', 'platform-admin', 'enterprise-admin', 'security-analyst', 'engineer'],
  'notices.issue': ['authority', 'platform-admin'],
  'notices.respond': ['enterprise-admin', 'security-analyst'],
  // 应急管理: the server's `incident:read` (the authority reads all enterprises') and `incident:write`.
  'incidents.view': ['authority', 'platform-admin', 'enterprise-admin', 'security-analyst'],
  'incidents.write': ['platform-admin', 'enterprise-admin', 'security-analyst'],
  // 企业分级 and 安全检查: the server's `grading:read`, `grading:self` (self-assessment), `grading:confirm`
  // (confirm levels), `security-inspection:manage` and `security-inspection:respond` (report rectification).
  'grading.view': ['authority', 'platform-admin', 'enterprise-admin', 'security-analyst'],
  'grading.self': ['enterprise-admin', 'security-analyst'],
  'grading.confirm': ['authority', 'platform-admin'],
  'securityInspections.manage': ['authority', 'platform-admin'],
  'securityInspections.respond': ['enterprise-admin', 'security-analyst'],
  // 数据分类分级: the page is `device:read`; the server's `data:classify` (set categories and levels, grant
  // level-3 reading), `data:level3` (read level-3 values) and `data:export-approve` (approve exports).
  'data.view': ['platform-admin', 'enterprise-admin', 'engineer', 'operator', 'viewer', 'security-analyst'],
  'data.classify': ['platform-admin', 'enterprise-admin', 'security-analyst'],
  'data.level3': ['enterprise-admin', 'engineer'],
  'data.exportApprove': ['platform-admin', 'enterprise-admin'],
  // 安全态势: the server's `security:read` (events, situation; the authority sees every enterprise's) and `security:manage`.
  'security.view': ['authority', 'platform-admin', 'enterprise-admin', 'security-analyst'],
  'security.manage': ['platform-admin', 'enterprise-admin', 'security-analyst'],
  // 防护对象: the server's `protection:manage` (the city and district lists of critical protection objects).
  'protection.manage': ['authority', 'platform-admin'],
};

/** True when `role` holds `permission`. */
export const can = (role: Role, permission: Permission): boolean => grants[permission].includes(role);

/** The roles a user with `role` may give to new users: any for a platform admin, enterprise roles otherwise. */
export const assignableRoles = (role: Role): readonly Role[] =>
  role === 'platform-admin' ? allRoles : allRoles.filter((r) => isTenantRole(r));

/**
 * The roles `user` may be given by a caller with role `caller`: the roles that fit the user — platform
 * roles for a user without an enterprise, enterprise roles for one with — that the caller may grant.
 */
export const rolesFor = (caller: Role, user: { tenantId: string | null }): readonly Role[] =>
  assignableRoles(caller).filter((r) => isTenantRole(r) === (user.tenantId !== null));
