import type { Role } from '@yulian/contracts';

/**
 * Whether each role belongs to the platform or to one enterprise, in display order. Mirrors
 * `platformRoles` in `@yulian/contracts`; kept here as a `Record<Role, …>` (a new role fails to
 * compile until it gets a row) because importing the contracts' values would pull zod into the bundle.
 */
const roleScope: Record<Role, 'platform' | 'tenant'> = {
  authority: 'platform',
  'platform-admin': 'platform',
  'enterprise-admin': 'tenant',
  engineer: 'tenant',
  operator: 'tenant',
  viewer: 'tenant',
  'security-analyst': 'tenant',
  registrar: 'platform',
};

/** Every role, in display order. */
export const allRoles = Object.keys(roleScope) as Role[];

/** True for a role known to this console (the server may be newer). */
export const isRole = (value: string): value is Role => Object.hasOwn(roleScope, value);

/** True when a role is tied to one enterprise, so a user with it needs a `tenantId`. */
export const isTenantRole = (role: Role): boolean => roleScope[role] === 'tenant';
