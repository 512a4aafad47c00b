import { z } from 'zod';

const isoDate = z.string().describe('ISO 8601 timestamp');
const text = (max: number) => z.string().trim().min(1).max(max);

/** What a notice warns of (通报类别): a vulnerability (漏洞), a threat (威胁) or an incident (事件). */
export const noticeKinds = ['vulnerability', 'threat', 'incident'] as const;
export type NoticeKind = (typeof noticeKinds)[number];

/** How grave a notice is (危害等级). */
export const noticeSeverities = ['critical', 'high', 'medium', 'low'] as const;
export type NoticeSeverity = (typeof noticeSeverities)[number];

/** A notice's status: a draft until issued (signed, recipients fixed), closed when every recipient's disposal is accepted. */
export const noticeStatuses = ['draft', 'issued', 'closed'] as const;
export type NoticeStatus = (typeof noticeStatuses)[number];

/**
 * One enterprise's progress on a notice: received → acknowledged (确认收到) → disposed (处置已反馈) →
 * closed (the authority accepted the disposal). A returned disposal goes back to acknowledged.
 */
export const noticeRecipientStatuses = ['received', 'acknowledged', 'disposed', 'closed'] as const;
export type NoticeRecipientStatus = (typeof noticeRecipientStatuses)[number];

/**
 * Who a notice goes to: an enterprise matches when it is named, or when each non-empty list matches it
 * (its industry, its district, a device of that asset type: a profile's id, name or model, or a protocol).
 * At least one list must be non-empty.
 */
export const noticeTargetsSchema = z
  .object({
    industries: z.array(text(64)).max(50).default([]),
    districts: z.array(text(64)).max(60).default([]),
    assetTypes: z.array(text(128)).max(50).default([]).describe('device profile id, name or model, or a device protocol'),
    enterprises: z.array(text(64)).max(500).default([]).describe('enterprise codes, e.g. DEMO-0001'),
  })
  .strict();
export type NoticeTargets = z.infer<typeof noticeTargetsSchema>;

/** Body of `POST /api/v1/security/notices` (a draft; `issue: true` issues it at once). */
export const noticeInputSchema = z
  .object({
    kind: z.enum(noticeKinds),
    severity: z.enum(noticeSeverities),
    title: text(200),
    body: text(20_000),
    cves: z.array(z.string().trim().regex(/^CVE-\d{4}-\d{4,}$|^CNVD-\d{4}-\d{4,}$|^CNNVD-\d{6}-\d{3,}$/, 'CVE-2026-12345, CNVD-2026-12345 or CNNVD-202601-123')).max(50).default([]),
    products: z.array(text(200)).max(50).default([]).describe('affected products and versions'),
    actions: z.array(text(1000)).max(50).default([]).describe('recommended actions'),
    targets: noticeTargetsSchema,
    deadline: isoDate.describe('when disposal reports are due'),
    issue: z.boolean().default(false).describe('issue at once (sign and send) instead of keeping a draft'),
  })
  .strict();
export type NoticeInput = z.input<typeof noticeInputSchema>;

/** The notice's SM2 signature (GB/T 32918, SM3 digest, over the canonical text of `GET …/signed`). */
export const noticeSignatureSchema = z.object({
  algorithm: z.literal('SM2-SM3'),
  /** The signer's distinguishing identifier (ENTL/ID of Z). */
  signerId: z.string(),
  /** SM3 of the signing public key (uncompressed point), hex: which key signed. */
  keyFingerprint: z.string(),
  /** DER-encoded signature, base64. */
  value: z.string(),
});
export type NoticeSignature = z.infer<typeof noticeSignatureSchema>;

/** How far the recipients of a notice are. */
export const noticeProgressSchema = z.object({ total: z.number(), acknowledged: z.number(), disposed: z.number(), closed: z.number(), overdue: z.number() });
export type NoticeProgress = z.infer<typeof noticeProgressSchema>;

/** An enterprise's disposal report (处置反馈). */
export const noticeDisposalInputSchema = z
  .object({
    summary: text(5000),
    measures: z.array(text(1000)).max(50).default([]),
    attachments: z.array(text(1000)).max(20).default([]).describe('links or file references'),
  })
  .strict();
export type NoticeDisposalInput = z.input<typeof noticeDisposalInputSchema>;

/** The authority's review of a disposal: accepted closes it for that enterprise, returned asks again. */
export const noticeReviewInputSchema = z.object({ outcome: z.enum(['accepted', 'returned']), comment: z.string().trim().max(2000).default('') }).strict();
export type NoticeReviewInput = z.input<typeof noticeReviewInputSchema>;

/** One targeted enterprise's row of a notice. */
export const noticeRecipientSchema = z.object({
  noticeId: z.string(),
  tenantId: z.string(),
  enterpriseCode: z.string(),
  enterpriseName: z.string(),
  district: z.string(),
  industry: z.string(),
  status: z.enum(noticeRecipientStatuses),
  /** Past the deadline and not yet disposed. */
  overdue: z.boolean(),
  acknowledgedBy: z.string().nullable(),
  acknowledgedAt: isoDate.nullable(),
  disposal: z.object({ summary: z.string(), measures: z.array(z.string()), attachments: z.array(z.string()), reportedBy: z.string().nullable(), reportedAt: isoDate }).nullable(),
  review: z.object({ outcome: z.enum(['accepted', 'returned']), comment: z.string(), by: z.string().nullable(), at: isoDate }).nullable(),
  closedAt: isoDate.nullable(),
});
export type NoticeRecipient = z.infer<typeof noticeRecipientSchema>;

/** A notice as the API shows it; `mine` is the caller's enterprise's row (enterprise callers only). */
export const noticeSchema = z.object({
  id: z.string(),
  /** 渝工信安通〔2026〕12号: the year's serial, given at issue (null while a draft). */
  number: z.string().nullable(),
  kind: z.enum(noticeKinds),
  severity: z.enum(noticeSeverities),
  title: z.string(),
  body: z.string(),
  cves: z.array(z.string()),
  products: z.array(z.string()),
  actions: z.array(z.string()),
  targets: noticeTargetsSchema,
  deadline: isoDate,
  status: z.enum(noticeStatuses),
  createdBy: z.string().nullable(),
  createdAt: isoDate,
  issuedBy: z.string().nullable(),
  issuedAt: isoDate.nullable(),
  closedAt: isoDate.nullable(),
  signature: noticeSignatureSchema.nullable(),
  progress: noticeProgressSchema,
  mine: noticeRecipientSchema.nullable(),
});
export type Notice = z.infer<typeof noticeSchema>;

/** What an enterprise needs to verify a notice itself: the canonical text, the signature and the key. */
export const signedNoticeSchema = z.object({
  id: z.string(),
  /** The exact UTF-8 text signed (canonical JSON, keys sorted). */
  canonical: z.string(),
  signature: noticeSignatureSchema,
  publicKeyPem: z.string(),
});
export type SignedNotice = z.infer<typeof signedNoticeSchema>;

/** The answer of a signature check. */
export const noticeVerificationSchema = z.object({ valid: z.literal(true), id: z.string(), number: z.string(), keyFingerprint: z.string(), signerId: z.string() });
export type NoticeVerification = z.infer<typeof noticeVerificationSchema>;

/** A reminder sent to a recipient: due soon (before the deadline) or overdue (after it). */
export const noticeReminderSchema = z.object({
  noticeId: z.string(),
  tenantId: z.string(),
  enterpriseCode: z.string(),
  kind: z.enum(['due_soon', 'overdue']),
  at: isoDate,
});
export type NoticeReminder = z.infer<typeof noticeReminderSchema>;

/** An enterprise a notice would reach (issue preview). */
export const noticeTargetEnterpriseSchema = z.object({ tenantId: z.string(), code: z.string(), name: z.string(), district: z.string(), industry: z.string() });
export type NoticeTargetEnterprise = z.infer<typeof noticeTargetEnterpriseSchema>;
