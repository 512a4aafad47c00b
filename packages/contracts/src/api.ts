import { z } from 'zod';
import { roleSchema } from './roles.js';

/** The body every API error answers with. */
export const errorBodySchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.record(z.string(), z.unknown()).optional() }),
});
/** An API error body. */
export type ErrorBody = z.infer<typeof errorBodySchema>;

const isoDate = z.string().describe('ISO 8601 timestamp');

/** `POST /api/v1/auth/login` body. */
export const loginRequestSchema = z.object({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(256),
});
export type LoginRequest = z.infer<typeof loginRequestSchema>;

/** The caller as the API sees them. */
export const meSchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: roleSchema,
  tenantId: z.string().nullable(),
  tenantName: z.string().nullable(),
});
export type Me = z.infer<typeof meSchema>;

/** `POST /api/v1/auth/login` answer. */
export const loginResponseSchema = z.object({ token: z.string(), expiresAt: isoDate, user: meSchema });
export type LoginResponse = z.infer<typeof loginResponseSchema>;

/** An enterprise; every enterprise is a tenant. */
export const enterpriseSchema = z.object({
  id: z.string(),
  name: z.string(),
  code: z.string().describe('Unified social credit code or another unique code'),
  district: z.string().describe('Chongqing district or county, e.g. 两江新区'),
  industry: z.string(),
  createdAt: isoDate,
});
export type Enterprise = z.infer<typeof enterpriseSchema>;

export const createEnterpriseSchema = z.object({
  name: z.string().trim().min(1).max(200),
  code: z.string().trim().min(2).max(64),
  district: z.string().trim().max(64).default(''),
  industry: z.string().trim().max(64).default(''),
});
export type CreateEnterprise = z.input<typeof createEnterpriseSchema>;

export const updateEnterpriseSchema = createEnterpriseSchema.partial();
export type UpdateEnterprise = z.input<typeof updateEnterpriseSchema>;

/** A user account (never with its password hash). */
export const userSchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: roleSchema,
  tenantId: z.string().nullable(),
  disabled: z.boolean(),
  createdAt: isoDate,
  lastLoginAt: isoDate.nullable(),
});
export type User = z.infer<typeof userSchema>;

const usernameSchema = z
  .string()
  .trim()
  .regex(/^[a-zA-Z0-9][a-zA-Z0-9._-]{1,63}$/, '2–64 letters, digits, dot, underscore or dash');
const passwordSchema = z.string().min(8, 'at least 8 characters').max(256);

export const createUserSchema = z.object({
  username: usernameSchema,
  password: passwordSchema,
  displayName: z.string().trim().max(100).default(''),
  role: roleSchema,
  tenantId: z.string().nullable().optional(),
});
export type CreateUser = z.input<typeof createUserSchema>;

export const updateUserSchema = z.object({
  displayName: z.string().trim().max(100).optional(),
  role: roleSchema.optional(),
  disabled: z.boolean().optional(),
  password: passwordSchema.optional(),
});
export type UpdateUser = z.input<typeof updateUserSchema>;

/** A machine credential (gateway, script). The secret is shown only when created. */
export const apiTokenSchema = z.object({
  id: z.string(),
  name: z.string(),
  userId: z.string(),
  prefix: z.string().describe('First characters of the token, to recognise it'),
  createdAt: isoDate,
  expiresAt: isoDate.nullable(),
  lastUsedAt: isoDate.nullable(),
});
export type ApiToken = z.infer<typeof apiTokenSchema>;
export const createApiTokenSchema = z.object({
  name: z.string().trim().min(1).max(100),
  expiresInDays: z.number().int().min(1).max(3650).optional(),
});
export const createdApiTokenSchema = apiTokenSchema.extend({ token: z.string() });

/** One audit log entry. */
export const auditEntrySchema = z.object({
  id: z.number(),
  ts: isoDate,
  tenantId: z.string().nullable(),
  actor: z.string().nullable(),
  action: z.string(),
  target: z.string().nullable(),
  ip: z.string().nullable(),
  outcome: z.enum(['success', 'failure']),
  details: z.record(z.string(), z.unknown()),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

/** `GET /api/v1/overview`: the home page figures, scoped to the caller. */
export const overviewSchema = z.object({
  scope: z.enum(['tenant', 'all']),
  enterprises: z.number(),
  users: z.number(),
  usersByRole: z.record(z.string(), z.number()),
  enterprisesByDistrict: z.array(z.object({ district: z.string(), count: z.number() })),
  recentLogins: z.number().describe('Successful logins in the last 24 h'),
  failedLogins: z.number().describe('Failed logins in the last 24 h'),
});
export type Overview = z.infer<typeof overviewSchema>;

/** A list answer. */
export const listOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item) });
