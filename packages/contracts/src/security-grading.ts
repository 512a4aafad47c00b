import { z } from 'zod';

const isoDate = z.string().describe('ISO 8601 timestamp');
const text = (max: number) => z.string().trim().min(1).max(max);

/**
 * The three kinds of enterprise graded (分类): connected industrial enterprises (联网工业企业), platform
 * enterprises (平台企业) and identifier resolution enterprises (标识解析企业).
 */
export const enterpriseKinds = ['industrial', 'platform', 'resolution'] as const;
export type EnterpriseKind = (typeof enterpriseKinds)[number];

/** A security level (分级): 1 (lowest) to 3 (highest). */
export const securityLevels = [1, 2, 3] as const;
export type SecurityLevel = (typeof securityLevels)[number];
export const securityLevelSchema = z.union([z.literal(1), z.literal(2), z.literal(3)]);

/** One answer choice of a questionnaire item: its score and, for some, a level it sets at least. */
export const questionnaireOptionSchema = z.object({
  id: z.string(),
  zh: z.string(),
  en: z.string(),
  score: z.number(),
  /** Choosing this option makes the proposed level at least this, whatever the score. */
  minLevel: securityLevelSchema.optional(),
});
export type QuestionnaireOption = z.infer<typeof questionnaireOptionSchema>;

/** One question. */
export const questionnaireItemSchema = z.object({ id: z.string(), zh: z.string(), en: z.string(), hintZh: z.string().optional(), hintEn: z.string().optional(), options: z.array(questionnaireOptionSchema) });
export type QuestionnaireItem = z.infer<typeof questionnaireItemSchema>;

/** A section of questions. */
export const questionnaireSectionSchema = z.object({ id: z.string(), zh: z.string(), en: z.string(), items: z.array(questionnaireItemSchema) });
export type QuestionnaireSection = z.infer<typeof questionnaireSectionSchema>;

/** A self-assessment questionnaire of one enterprise kind, versioned (Yulian's rubric, not an official one). */
export const questionnaireSchema = z.object({
  kind: z.enum(enterpriseKinds),
  version: z.string(),
  zh: z.string(),
  en: z.string(),
  maxScore: z.number(),
  /** Score at or above which the proposed level is 2, and 3. */
  thresholds: z.object({ level2: z.number(), level3: z.number() }),
  sections: z.array(questionnaireSectionSchema),
});
export type Questionnaire = z.infer<typeof questionnaireSchema>;

/** An answer: the option chosen and the evidence behind it (佐证说明). */
export const assessmentAnswerSchema = z.object({ option: z.string().min(1).max(64), evidence: z.string().trim().max(2000).default('') }).strict();
export type AssessmentAnswer = z.infer<typeof assessmentAnswerSchema>;

/** Body of `PUT …/assessments/:id/answers`: answers by item id (merged into the draft's). */
export const assessmentAnswersInputSchema = z.object({ answers: z.record(z.string().min(1).max(64), assessmentAnswerSchema) }).strict();
export type AssessmentAnswersInput = z.input<typeof assessmentAnswersInputSchema>;

/** Body of `POST …/assessments`: a draft for the caller's enterprise. */
export const assessmentCreateSchema = z.object({ kind: z.enum(enterpriseKinds) }).strict();
export type AssessmentCreate = z.infer<typeof assessmentCreateSchema>;

/**
 * An assessment's status: draft → submitted → confirmed (the authority confirmed the proposed level or
 * set another); a returned one is edited and submitted again.
 */
export const assessmentStatuses = ['draft', 'submitted', 'returned', 'confirmed'] as const;
export type AssessmentStatus = (typeof assessmentStatuses)[number];

/** The authority's review: confirm the proposed level, set another with a reason, or return for changes. */
export const assessmentReviewSchema = z.discriminatedUnion('decision', [
  z.object({ decision: z.literal('confirm'), comment: z.string().trim().max(2000).default('') }).strict(),
  z.object({ decision: z.literal('set'), level: securityLevelSchema, reason: text(2000) }).strict(),
  z.object({ decision: z.literal('return'), comment: text(2000) }).strict(),
]);
export type AssessmentReview = z.input<typeof assessmentReviewSchema>;

/** A self-assessment as the API shows it. */
export const assessmentSchema = z.object({
  id: z.string(),
  tenantId: z.string(),
  enterpriseCode: z.string(),
  enterpriseName: z.string(),
  district: z.string(),
  kind: z.enum(enterpriseKinds),
  questionnaireVersion: z.string(),
  answers: z.record(z.string(), assessmentAnswerSchema),
  score: z.number(),
  maxScore: z.number(),
  /** From the score and the answers' floors; null until every item is answered. */
  proposedLevel: securityLevelSchema.nullable(),
  /** Items not yet answered. */
  missing: z.array(z.string()),
  status: z.enum(assessmentStatuses),
  confirmedLevel: securityLevelSchema.nullable(),
  /** Why the authority set a level other than the proposed one. */
  decisionReason: z.string().nullable(),
  reviewComment: z.string().nullable(),
  createdBy: z.string().nullable(),
  createdAt: isoDate,
  updatedAt: isoDate,
  submittedBy: z.string().nullable(),
  submittedAt: isoDate.nullable(),
  reviewedBy: z.string().nullable(),
  reviewedAt: isoDate.nullable(),
});
export type Assessment = z.infer<typeof assessmentSchema>;

/** An enterprise with its current (confirmed) security level, or none yet. */
export const enterpriseGradeSchema = z.object({
  tenantId: z.string(),
  enterpriseCode: z.string(),
  enterpriseName: z.string(),
  district: z.string(),
  industry: z.string(),
  kind: z.enum(enterpriseKinds).nullable(),
  level: securityLevelSchema.nullable(),
  assessmentId: z.string().nullable(),
  confirmedBy: z.string().nullable(),
  confirmedAt: isoDate.nullable(),
  /** Level 3: a year after confirmation. */
  reassessDueAt: isoDate.nullable(),
  reassessOverdue: z.boolean(),
  /** An assessment in draft, submitted or returned. */
  openAssessment: z.object({ id: z.string(), status: z.enum(assessmentStatuses) }).nullable(),
});
export type EnterpriseGrade = z.infer<typeof enterpriseGradeSchema>;

/** Counts of enterprises per district and level (the authority's overview). */
export const gradingSummaryRowSchema = z.object({ district: z.string(), level1: z.number(), level2: z.number(), level3: z.number(), ungraded: z.number(), reassessOverdue: z.number() });
export type GradingSummaryRow = z.infer<typeof gradingSummaryRowSchema>;

/** One item of an inspection checklist (检查项). */
export const securityChecklistItemSchema = z.object({ id: z.string(), zh: z.string(), en: z.string(), basisZh: z.string(), basisEn: z.string(), minLevel: securityLevelSchema });
export type SecurityChecklistItem = z.infer<typeof securityChecklistItemSchema>;

/** A finding's severity. */
export const findingSeverities = ['high', 'medium', 'low'] as const;
export type FindingSeverity = (typeof findingSeverities)[number];

/** A security inspection (安全检查): scheduled → in_progress (results being recorded) → rectifying (findings open) → closed. */
export const securityInspectionStatuses = ['scheduled', 'in_progress', 'rectifying', 'closed'] as const;
export type SecurityInspectionStatus = (typeof securityInspectionStatuses)[number];

/** Body of `POST /api/v1/security/inspections`. */
export const securityInspectionInputSchema = z
  .object({
    enterprise: text(64).describe('the enterprise code, e.g. DEMO-0001'),
    scheduledFor: isoDate,
    inspectors: z.array(text(128)).min(1).max(20),
    level: securityLevelSchema.optional().describe('the checklist level; default the enterprise’s confirmed level'),
    note: z.string().trim().max(2000).default(''),
  })
  .strict();
export type SecurityInspectionInput = z.input<typeof securityInspectionInputSchema>;

/** The result of one checklist item. */
export const securityInspectionItemResults = ['pending', 'pass', 'finding', 'not_applicable'] as const;
export type SecurityInspectionItemResult = (typeof securityInspectionItemResults)[number];

/** Body of `POST …/inspections/:id/results`: results per item; `complete` ends the on-site part. */
export const securityInspectionResultsSchema = z
  .object({
    results: z
      .array(
        z
          .object({
            item: z.string().min(1).max(64),
            result: z.enum(['pass', 'finding', 'not_applicable']),
            severity: z.enum(findingSeverities).optional(),
            description: z.string().trim().max(2000).default(''),
            deadline: isoDate.optional().describe('when the rectification is due; default by severity (high 15, medium 30, low 60 days)'),
          })
          .strict(),
      )
      .max(100),
    complete: z.boolean().default(false),
  })
  .strict();
export type SecurityInspectionResults = z.input<typeof securityInspectionResultsSchema>;

/** A rectification (整改) of a finding: open → reported → closed (verified); a returned report goes back to open. */
export const rectificationStatuses = ['open', 'reported', 'closed'] as const;
export type RectificationStatus = (typeof rectificationStatuses)[number];

/** A rectification item as the API shows it. */
export const rectificationSchema = z.object({
  id: z.string(),
  inspectionId: z.string(),
  tenantId: z.string(),
  enterpriseCode: z.string(),
  item: z.string(),
  severity: z.enum(findingSeverities),
  description: z.string(),
  deadline: isoDate,
  status: z.enum(rectificationStatuses),
  overdue: z.boolean(),
  report: z.string().nullable(),
  evidence: z.string().nullable(),
  reportedBy: z.string().nullable(),
  reportedAt: isoDate.nullable(),
  verifiedBy: z.string().nullable(),
  verifiedAt: isoDate.nullable(),
  reviewComment: z.string().nullable(),
  returns: z.number(),
  createdAt: isoDate,
});
export type Rectification = z.infer<typeof rectificationSchema>;

/** One checklist item of an inspection with its result. */
export const securityInspectionItemSchema = securityChecklistItemSchema.extend({
  result: z.enum(securityInspectionItemResults),
  severity: z.enum(findingSeverities).nullable(),
  description: z.string(),
  recordedBy: z.string().nullable(),
  recordedAt: isoDate.nullable(),
});
export type SecurityInspectionItem = z.infer<typeof securityInspectionItemSchema>;

/** A security inspection as the API shows it. */
export const securityInspectionSchema = z.object({
  id: z.string(),
  tenantId: z.string(),
  enterpriseCode: z.string(),
  enterpriseName: z.string(),
  district: z.string(),
  level: securityLevelSchema,
  checklistVersion: z.string(),
  scheduledFor: isoDate,
  inspectors: z.array(z.string()),
  note: z.string(),
  status: z.enum(securityInspectionStatuses),
  createdBy: z.string().nullable(),
  createdAt: isoDate,
  completedAt: isoDate.nullable(),
  closedAt: isoDate.nullable(),
  counts: z.object({ items: z.number(), pass: z.number(), findings: z.number(), pending: z.number(), openRectifications: z.number(), overdue: z.number() }),
  items: z.array(securityInspectionItemSchema).optional(),
  rectifications: z.array(rectificationSchema).optional(),
});
export type SecurityInspection = z.infer<typeof securityInspectionSchema>;

/** Body of `POST …/rectifications/:id/report`: what was done and where the evidence is. */
export const rectificationReportSchema = z.object({ text: text(5000), evidence: z.string().trim().max(1000).regex(/^https?:\/\/\S+$/i, 'an http or https link').describe('a link to the evidence') }).strict();
export type RectificationReport = z.infer<typeof rectificationReportSchema>;

/** Body of `POST …/rectifications/:id/verify`. */
export const rectificationVerifySchema = z.object({ outcome: z.enum(['accepted', 'returned']), comment: z.string().trim().max(2000).default('') }).strict();
export type RectificationVerify = z.input<typeof rectificationVerifySchema>;
