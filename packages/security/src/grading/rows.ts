/** Store rows of grading and inspections as the API shows them. */
import type { Assessment, AssessmentAnswer, AssessmentStatus, EnterpriseKind, FindingSeverity, Rectification, RectificationStatus, SecurityLevel } from '@yulian/contracts';
import type { SecurityAssessmentsTable, SecurityRectificationsTable, Store } from '@yulian/core';
import type { Selectable } from 'kysely';
import { questionnaireOf, scoreAnswers } from './questionnaires.js';

/** An assessment row. */
export type AssessmentRow = Selectable<SecurityAssessmentsTable>;
/** A rectification row. */
export type RectificationRow = Selectable<SecurityRectificationsTable>;

/** What the API shows of an enterprise next to its records. */
export interface TenantInfo {
  id: string;
  code: string;
  name: string;
  district: string;
  industry: string;
}

/** ISO text of an epoch-ms column (pg answers bigint as a string). */
export const iso = (ms: number | string | null): string | null => (ms === null ? null : new Date(Number(ms)).toISOString());

/** The enterprises with these ids (all of them without ids), by id. */
export async function tenantsById(store: Store, ids?: readonly string[]): Promise<Map<string, TenantInfo>> {
  if (ids && !ids.length) return new Map();
  let q = store.db.selectFrom('tenants').select(['id', 'code', 'name', 'district', 'industry']);
  if (ids) q = q.where('id', 'in', [...new Set(ids)]);
  const rows = await q.orderBy('code').execute();
  return new Map(rows.map((t) => [t.id, t]));
}

const unknownTenant = (id: string): TenantInfo => ({ id, code: id, name: '', district: '', industry: '' });

/** An assessment row for the API, scored on its questionnaire version. */
export function toAssessment(r: AssessmentRow, tenant: TenantInfo | undefined): Assessment {
  const t = tenant ?? unknownTenant(r.tenant_id);
  const kind = r.kind as EnterpriseKind;
  const q = questionnaireOf(kind, r.questionnaire_version);
  const answers = JSON.parse(r.answers) as Record<string, AssessmentAnswer>;
  const { missing } = scoreAnswers(q, answers);
  return {
    id: r.id,
    tenantId: r.tenant_id,
    enterpriseCode: t.code,
    enterpriseName: t.name,
    district: t.district,
    kind,
    questionnaireVersion: r.questionnaire_version,
    answers,
    score: Number(r.score),
    maxScore: q.maxScore,
    proposedLevel: r.proposed_level === null ? null : (Number(r.proposed_level) as SecurityLevel),
    missing,
    status: r.status as AssessmentStatus,
    confirmedLevel: r.confirmed_level === null ? null : (Number(r.confirmed_level) as SecurityLevel),
    decisionReason: r.decision_reason,
    reviewComment: r.review_comment,
    createdBy: r.created_by,
    createdAt: iso(r.created_at)!,
    updatedAt: iso(r.updated_at)!,
    submittedBy: r.submitted_by,
    submittedAt: iso(r.submitted_at),
    reviewedBy: r.reviewed_by,
    reviewedAt: iso(r.reviewed_at),
  };
}

/** True when a rectification is still open (not reported) after its deadline. */
export const rectificationOverdue = (r: Pick<RectificationRow, 'status' | 'deadline'>, now: number): boolean => r.status === 'open' && now > Number(r.deadline);

/** A rectification row for the API. */
export function toRectification(r: RectificationRow, tenant: TenantInfo | undefined, now: number): Rectification {
  return {
    id: r.id,
    inspectionId: r.inspection_id,
    tenantId: r.tenant_id,
    enterpriseCode: (tenant ?? unknownTenant(r.tenant_id)).code,
    item: r.item_id,
    severity: r.severity as FindingSeverity,
    description: r.description,
    deadline: iso(r.deadline)!,
    status: r.status as RectificationStatus,
    overdue: rectificationOverdue(r, now),
    report: r.report,
    evidence: r.evidence,
    reportedBy: r.reported_by,
    reportedAt: iso(r.reported_at),
    verifiedBy: r.verified_by,
    verifiedAt: iso(r.verified_at),
    reviewComment: r.review_comment,
    returns: Number(r.returns),
    createdAt: iso(r.created_at)!,
  };
}
