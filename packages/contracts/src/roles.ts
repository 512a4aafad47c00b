import { z } from 'zod';

/** Every role a user can hold. `authority` is city/district government; it sees aggregates across tenants. */
export const roles = [
  'authority',
  'platform-admin',
  'enterprise-admin',
  'engineer',
  'operator',
  'viewer',
  'security-analyst',
  'registrar',
] as const;

/** A user's role. */
export type Role = (typeof roles)[number];
/** zod schema of a role. */
export const roleSchema = z.enum(roles);

/** Roles that belong to the platform operator, not to one enterprise (tenant). */
export const platformRoles: readonly Role[] = ['authority', 'platform-admin', 'registrar'];

/** True when a role is tied to one enterprise. */
export const isTenantRole = (role: Role): boolean => !platformRoles.includes(role);
