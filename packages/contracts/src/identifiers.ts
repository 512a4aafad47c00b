import { z } from 'zod';

/** The states of an enterprise prefix: applied for, allocated, refused, or allocated and switched off. */
export const prefixStates = ['pending', 'approved', 'rejected', 'suspended'] as const;
/** A state of an enterprise prefix. */
export type PrefixState = (typeof prefixStates)[number];

const isoDate = z.string().describe('ISO 8601 timestamp');
const reason = z.string().trim().max(500);

/** The node an enterprise runs itself: the prefix is delegated there (HS_SITE.PREFIX). */
export const prefixSiteSchema = z
  .object({
    host: z.union([z.ipv4(), z.ipv6()]).describe('IP address of the enterprise node (HS_SITE carries addresses, not names)'),
    port: z.number().int().min(1).max(65535).describe('its Handle protocol port (UDP and TCP), usually 2641'),
  })
  .strict();
/** Where a delegated prefix is served. */
export type PrefixSite = z.infer<typeof prefixSiteSchema>;

/** `POST /api/v1/identifiers/prefixes` body: an enterprise applies for a prefix under the platform's node. */
export const applyPrefixSchema = z
  .object({
    code: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/, 'letters, digits, _ and - (1–32), starting with a letter or digit')
      .optional()
      .describe('the segment asked for: 88.100.<code>; leave out for the next free number'),
    orgName: z.string().trim().min(1).max(200).describe('the registered name of the organisation (as on its business licence)'),
    creditCode: z.string().trim().min(1).max(64).describe('统一社会信用代码 (GB 32100-2015, 18 characters); checked with its check character'),
    contact: z.string().trim().min(1).max(200).describe('who to reach about the application: name and phone or e-mail'),
    site: prefixSiteSchema.optional().describe('only when the enterprise runs its own identifier node'),
  })
  .strict();
/** A prefix application. */
export type ApplyPrefix = z.infer<typeof applyPrefixSchema>;

const quota = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).nullable().describe('most identifiers under the prefix; null: unlimited');

/** `POST /api/v1/identifiers/prefixes/{prefix}/approve` body. */
export const approvePrefixSchema = z.object({ quota: quota.optional(), reason: reason.optional() }).strict();
/** An approval. */
export type ApprovePrefix = z.infer<typeof approvePrefixSchema>;

/** `POST …/reject` and `POST …/suspend` body: the reason is required. */
export const prefixDecisionSchema = z.object({ reason: reason.min(1, 'give the reason') }).strict();
/** A rejection or suspension. */
export type PrefixDecision = z.infer<typeof prefixDecisionSchema>;

/** `POST …/resume` body. */
export const resumePrefixSchema = z.object({ reason: reason.optional() }).strict();
/** A resumption. */
export type ResumePrefix = z.infer<typeof resumePrefixSchema>;

/** `PUT /api/v1/identifiers/prefixes/{prefix}/quota` body. */
export const prefixQuotaSchema = z.object({ quota, reason: reason.optional() }).strict();
/** A quota change. */
export type PrefixQuota = z.infer<typeof prefixQuotaSchema>;

/** `GET /api/v1/identifiers/prefixes` query. */
export const prefixListQuerySchema = z
  .object({
    state: z.enum(prefixStates).optional(),
    tenantId: z.string().max(64).optional().describe('one enterprise (registrars, platform admins, the authority); others always see their own'),
  })
  .strict();

/** An enterprise prefix or application as the API answers it. */
export const prefixAllocationSchema = z.object({
  prefix: z.string().describe('e.g. 88.100.2'),
  parent: z.string().describe('the node that allocates it, e.g. 88.100'),
  kind: z.string(),
  tenantId: z.string().nullable(),
  state: z.enum(prefixStates),
  orgName: z.string(),
  creditCode: z.string(),
  contact: z.string().nullable().describe('null for the authority'),
  applicant: z.string().nullable().describe('username of who applied (null for the authority)'),
  reviewer: z.string().nullable().describe('username of who made the last decision (null for the authority)'),
  reviewReason: z.string().describe('why the last decision was made'),
  site: prefixSiteSchema.nullable().describe('the enterprise node it is delegated to; null: the platform’s node holds its identifiers'),
  quota: z.number().nullable(),
  createdAt: isoDate,
  updatedAt: isoDate.describe('when the last change was made'),
});
/** An enterprise prefix. */
export type PrefixAllocationDto = z.infer<typeof prefixAllocationSchema>;
