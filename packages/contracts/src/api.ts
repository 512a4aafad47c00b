import { z } from 'zod';
import { isChongqingDistrict } from './districts.js';
import { roleSchema } from './roles.js';

/** The body every API error answers with. */
export const errorBodySchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.record(z.string(), z.unknown()).optional() }),
});
/** An API error body. */
export type ErrorBody = z.infer<typeof errorBodySchema>;

const isoDate = z.string().describe('ISO 8601 timestamp');

/** `POST /api/v1/auth/login` body. */
export const loginRequestSchema = z
  .object({
    username: z.string().min(1).max(64),
    password: z.string().min(1).max(256),
  })
  .strict();

/** `POST /api/v1/auth/password` body: a user changes their own password. */
export const changePasswordSchema = z
  .object({
    currentPassword: z.string().min(1).max(256),
    newPassword: z.string().min(8, 'at least 8 characters').max(256),
  })
  .strict();
export type ChangePassword = z.infer<typeof changePasswordSchema>;
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

const enterpriseFields = {
  name: z.string().trim().min(1).max(200),
  /** Codes are compared upper-case: `demo-0001` and `DEMO-0001` are the same enterprise. */
  code: z
    .string()
    .trim()
    .min(2)
    .max(64)
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, dot, underscore or dash')
    .transform((v) => v.toUpperCase()),
  district: z
    .string()
    .trim()
    .refine((v) => v === '' || isChongqingDistrict(v), 'a Chongqing district or county (e.g. 两江新区, 渝北区), or empty'),
  industry: z.string().trim().max(64),
};

/** `POST /api/v1/enterprises` body. Unknown keys are refused. */
export const createEnterpriseSchema = z
  .object({ ...enterpriseFields, district: enterpriseFields.district.default(''), industry: enterpriseFields.industry.default('') })
  .strict();
export type CreateEnterprise = z.input<typeof createEnterpriseSchema>;

/** `PATCH /api/v1/enterprises/{id}` body: only the fields given change. */
export const updateEnterpriseSchema = z.object(enterpriseFields).partial().strict();
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

export const createUserSchema = z
  .object({
    username: usernameSchema,
    password: passwordSchema,
    displayName: z.string().trim().max(100).default(''),
    role: roleSchema,
    /** Required for enterprise roles; an enterprise admin may give only its own enterprise. */
    tenantId: z.string().nullable().optional(),
  })
  .strict();
export type CreateUser = z.input<typeof createUserSchema>;

export const updateUserSchema = z
  .object({
    displayName: z.string().trim().max(100).optional(),
    role: roleSchema.optional(),
    disabled: z.boolean().optional(),
    password: passwordSchema.optional(),
  })
  .strict();
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
export const createApiTokenSchema = z
  .object({
    name: z.string().trim().min(1).max(100),
    expiresInDays: z.number().int().min(1).max(3650).optional(),
  })
  .strict();
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

/** The newest sample of one point (`GET /api/v1/devices/{id}/latest`). */
export const latestValueSchema = z.object({
  point: z.string(),
  ts: z.number().describe('Source timestamp, epoch ms'),
  receivedTs: z.number(),
  value: z.union([z.number(), z.string(), z.null()]),
  quality: z.string(),
  reason: z.string().nullable(),
});
export type LatestValueDto = z.infer<typeof latestValueSchema>;

/** A device seen in telemetry (`GET /api/v1/devices`, until the device registry exists). */
export const seenDeviceSchema = z.object({ device: z.string(), points: z.number(), lastTs: z.number() });
export type SeenDeviceDto = z.infer<typeof seenDeviceSchema>;
