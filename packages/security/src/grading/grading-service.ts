/**
 * Classified and graded security management (分类分级, issue 7 item 6): an enterprise fills in the
 * questionnaire of its kind (answers with evidence notes, saved as a draft), sees its score and proposed
 * level, and submits; the authority confirms the proposed level, sets another with a reason, or returns it
 * for changes. The confirmed level becomes the enterprise's current security level; level 3 is due for
 * reassessment a year after confirmation. Every assessment stays as the enterprise's history.
 */
import { randomUUID } from 'node:crypto';
import type { Assessment, AssessmentAnswer, AssessmentReview, EnterpriseGrade, EnterpriseKind, GradingSummaryRow, Questionnaire, SecurityLevel } from '@yulian/contracts';
import { type Scope, type Store, YulianError } from '@yulian/core';
import { questionnaireOf, questionnaires, scoreAnswers } from './questionnaires.js';
import { type AssessmentRow, type TenantInfo, iso, tenantsById, toAssessment } from './rows.js';

const day = 86_400_000;
/** Level 3 enterprises reassess yearly. */
export const reassessEveryMs = 365 * day;
/** How early before its due date a reassessment counts as due. */
export const reassessSoonMs = 30 * day;

/** Options of {@link createGradingService}. */
export interface GradingServiceOptions {
  store: Store;
  /** The clock (tests pass their own). */
  now?: () => number;
}

/** A filter of the enterprise list. */
export interface GradeFilter {
  district?: string;
  /** 0: not graded yet. */
  level?: 0 | SecurityLevel;
  /** Only enterprises whose reassessment is due within 30 days or overdue. */
  due?: boolean;
}

/** Self-assessments, the authority's decisions and the enterprises' current levels. Tenant scopes see their own only. */
export interface GradingService {
  /** The current questionnaire of each kind. */
  questionnaires(): Questionnaire[];
  /** A draft for the enterprise. @throws ASSESSMENT_STATE_INVALID when one is open (details.id), ENTERPRISE_NOT_FOUND */
  create(tenantId: string, kind: EnterpriseKind, actor: string): Promise<Assessment>;
  /** Newest first. */
  list(scope: Scope, filter?: { status?: Assessment['status']; tenantId?: string }): Promise<Assessment[]>;
  /** @throws ASSESSMENT_NOT_FOUND */
  get(scope: Scope, id: string): Promise<Assessment>;
  /** Merges answers into a draft or returned assessment and rescores it. @throws ASSESSMENT_NOT_FOUND, ASSESSMENT_STATE_INVALID, ASSESSMENT_ANSWERS_INVALID */
  saveAnswers(tenantId: string, id: string, answers: Record<string, AssessmentAnswer>): Promise<Assessment>;
  /** @throws ASSESSMENT_NOT_FOUND, ASSESSMENT_STATE_INVALID, ASSESSMENT_ANSWERS_INVALID (details.missing) */
  submit(tenantId: string, id: string, actor: string): Promise<Assessment>;
  /** The authority's decision on a submitted assessment. @throws ASSESSMENT_NOT_FOUND, ASSESSMENT_STATE_INVALID */
  review(id: string, review: AssessmentReview, actor: string): Promise<{ assessment: Assessment; grade: EnterpriseGrade }>;
  /** Enterprises with their current level (the caller's own for a tenant scope). */
  grades(scope: Scope, filter?: GradeFilter): Promise<EnterpriseGrade[]>;
  /** One enterprise's current level. @throws ENTERPRISE_NOT_FOUND */
  grade(scope: Scope, tenantId: string): Promise<EnterpriseGrade>;
  /** Counts per district and level, districts in name order. */
  summary(): Promise<GradingSummaryRow[]>;
}

/**
 * @example const grading = createGradingService({ store }); const draft = await grading.create(tenantId, 'industrial', 'demo-admin')
 */
export function createGradingService(options: GradingServiceOptions): GradingService {
  const { store } = options;
  const db = store.db;
  const now = options.now ?? Date.now;

  const notFound = (id: string): YulianError => new YulianError('ASSESSMENT_NOT_FOUND', `No security self-assessment ${id} (or it belongs to another enterprise).`);
  const stateInvalid = (message: string, status: string, extra: Record<string, unknown> = {}): YulianError => new YulianError('ASSESSMENT_STATE_INVALID', message, { details: { status, ...extra } });

  async function row(scope: Scope, id: string): Promise<AssessmentRow> {
    let q = db.selectFrom('security_assessments').selectAll().where('id', '=', id);
    if (scope.kind === 'tenant') q = q.where('tenant_id', '=', scope.tenantId);
    const r = await q.executeTakeFirst();
    if (!r) throw notFound(id);
    return r;
  }
  async function present(r: AssessmentRow): Promise<Assessment> {
    return toAssessment(r, (await tenantsById(store, [r.tenant_id])).get(r.tenant_id));
  }
  const get = async (scope: Scope, id: string): Promise<Assessment> => present(await row(scope, id));
  const openOf = (tenantId: string) => db.selectFrom('security_assessments').select(['id', 'status']).where('tenant_id', '=', tenantId).where('status', '!=', 'confirmed').executeTakeFirst();

  async function gradesOf(tenants: Map<string, TenantInfo>, at: number): Promise<EnterpriseGrade[]> {
    const ids = [...tenants.keys()];
    if (!ids.length) return [];
    const grades = new Map((await db.selectFrom('security_grades').selectAll().where('tenant_id', 'in', ids).execute()).map((g) => [g.tenant_id, g]));
    const open = new Map((await db.selectFrom('security_assessments').select(['id', 'status', 'tenant_id']).where('tenant_id', 'in', ids).where('status', '!=', 'confirmed').execute()).map((a) => [a.tenant_id, a]));
    return [...tenants.values()].map((t) => {
      const g = grades.get(t.id);
      const o = open.get(t.id);
      const due = g?.reassess_due_at === null || g?.reassess_due_at === undefined ? null : Number(g.reassess_due_at);
      return {
        tenantId: t.id,
        enterpriseCode: t.code,
        enterpriseName: t.name,
        district: t.district,
        industry: t.industry,
        kind: g ? (g.kind as EnterpriseKind) : null,
        level: g ? (Number(g.level) as SecurityLevel) : null,
        assessmentId: g?.assessment_id ?? null,
        confirmedBy: g?.confirmed_by ?? null,
        confirmedAt: g ? iso(g.confirmed_at) : null,
        reassessDueAt: iso(due),
        reassessOverdue: due !== null && at > due,
        openAssessment: o ? { id: o.id, status: o.status as Assessment['status'] } : null,
      };
    });
  }

  async function grade(scope: Scope, tenantId: string): Promise<EnterpriseGrade> {
    if (scope.kind === 'tenant' && scope.tenantId !== tenantId) throw new YulianError('ENTERPRISE_NOT_FOUND', `No enterprise ${tenantId}.`);
    const tenants = await tenantsById(store, [tenantId]);
    if (!tenants.size) throw new YulianError('ENTERPRISE_NOT_FOUND', `No enterprise ${tenantId}.`);
    return (await gradesOf(tenants, now()))[0]!;
  }

  return {
    questionnaires: () => Object.values(questionnaires),
    async create(tenantId, kind, actor) {
      if (!(await tenantsById(store, [tenantId])).size) throw new YulianError('ENTERPRISE_NOT_FOUND', `No enterprise ${tenantId}.`);
      const open = await openOf(tenantId);
      if (open) throw stateInvalid(`The enterprise has an open self-assessment (${open.status}); continue that one.`, open.status, { id: open.id });
      const q = questionnaires[kind];
      const id = randomUUID();
      const at = now();
      try {
        await db
          .insertInto('security_assessments')
          .values({ id, tenant_id: tenantId, kind, questionnaire_version: q.version, answers: '{}', score: 0, proposed_level: null, status: 'draft', confirmed_level: null, decision_reason: null, review_comment: null, created_by: actor, created_at: at, updated_at: at, submitted_by: null, submitted_at: null, reviewed_by: null, reviewed_at: null })
          .execute();
      } catch (e) {
        // The partial unique index: another draft was created at the same moment.
        const other = await openOf(tenantId);
        if (other) throw stateInvalid('The enterprise has an open self-assessment; continue that one.', other.status, { id: other.id });
        throw e;
      }
      return get({ kind: 'all' }, id);
    },
    async list(scope, filter = {}) {
      let q = db.selectFrom('security_assessments').selectAll().orderBy('created_at', 'desc').limit(500);
      if (scope.kind === 'tenant') q = q.where('tenant_id', '=', scope.tenantId);
      if (filter.tenantId) q = q.where('tenant_id', '=', filter.tenantId);
      if (filter.status) q = q.where('status', '=', filter.status);
      const rows = await q.execute();
      const tenants = await tenantsById(store, rows.map((r) => r.tenant_id));
      return rows.map((r) => toAssessment(r, tenants.get(r.tenant_id)));
    },
    get,
    async saveAnswers(tenantId, id, answers) {
      const r = await row({ kind: 'tenant', tenantId }, id);
      if (r.status !== 'draft' && r.status !== 'returned') throw stateInvalid(`A ${r.status} self-assessment cannot be changed.`, r.status);
      const merged = { ...(JSON.parse(r.answers) as Record<string, AssessmentAnswer>), ...answers };
      const scored = scoreAnswers(questionnaireOf(r.kind as EnterpriseKind, r.questionnaire_version), merged);
      const res = await db
        .updateTable('security_assessments')
        .set({ answers: JSON.stringify(merged), score: scored.score, proposed_level: scored.proposedLevel, updated_at: now() })
        .where('id', '=', id)
        .where('status', '=', r.status)
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) !== 1) throw stateInvalid('The self-assessment was submitted or changed by someone else just now.', 'submitted');
      return get({ kind: 'all' }, id);
    },
    async submit(tenantId, id, actor) {
      const current = await get({ kind: 'tenant', tenantId }, id);
      if (current.status !== 'draft' && current.status !== 'returned') throw stateInvalid(`A ${current.status} self-assessment cannot be submitted.`, current.status);
      if (current.missing.length) throw new YulianError('ASSESSMENT_ANSWERS_INVALID', `Answer every item before submitting: ${current.missing.length} left (${current.missing.join(', ')}).`, { details: { missing: current.missing } });
      const at = now();
      const res = await db
        .updateTable('security_assessments')
        .set({ status: 'submitted', submitted_by: actor, submitted_at: at, updated_at: at })
        .where('id', '=', id)
        .where('status', '=', current.status)
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) !== 1) throw stateInvalid('The self-assessment was submitted by someone else just now.', 'submitted');
      return get({ kind: 'all' }, id);
    },
    async review(id, review, actor) {
      const r = await row({ kind: 'all' }, id);
      if (r.status !== 'submitted') throw stateInvalid(`Only a submitted self-assessment can be reviewed; this one is ${r.status}.`, r.status);
      const at = now();
      if (review.decision === 'return') {
        const res = await db.updateTable('security_assessments').set({ status: 'returned', review_comment: review.comment, reviewed_by: actor, reviewed_at: at, updated_at: at }).where('id', '=', id).where('status', '=', 'submitted').executeTakeFirst();
        if (Number(res.numUpdatedRows) !== 1) throw stateInvalid('The self-assessment was reviewed by someone else just now.', 'returned');
        return { assessment: await get({ kind: 'all' }, id), grade: await grade({ kind: 'all' }, r.tenant_id) };
      }
      const level = (review.decision === 'set' ? review.level : Number(r.proposed_level)) as SecurityLevel;
      // Setting a level always carries its reason (the schema requires one); confirming keeps the comment.
      await db.transaction().execute(async (tx) => {
        const res = await tx
          .updateTable('security_assessments')
          .set({ status: 'confirmed', confirmed_level: level, decision_reason: review.decision === 'set' ? review.reason : null, review_comment: review.decision === 'confirm' ? review.comment || null : null, reviewed_by: actor, reviewed_at: at, updated_at: at })
          .where('id', '=', id)
          .where('status', '=', 'submitted')
          .executeTakeFirst();
        if (Number(res.numUpdatedRows) !== 1) throw stateInvalid('The self-assessment was reviewed by someone else just now.', 'confirmed');
        const g = { kind: r.kind, level, assessment_id: id, confirmed_by: actor, confirmed_at: at, reassess_due_at: level === 3 ? at + reassessEveryMs : null };
        await tx.insertInto('security_grades').values({ tenant_id: r.tenant_id, ...g }).onConflict((oc) => oc.column('tenant_id').doUpdateSet(g)).execute();
      });
      return { assessment: await get({ kind: 'all' }, id), grade: await grade({ kind: 'all' }, r.tenant_id) };
    },
    async grades(scope, filter = {}) {
      const tenants = await tenantsById(store, scope.kind === 'tenant' ? [scope.tenantId] : undefined);
      const at = now();
      return (await gradesOf(tenants, at)).filter(
        (g) =>
          (filter.district === undefined || g.district === filter.district) &&
          (filter.level === undefined || (g.level ?? 0) === filter.level) &&
          (!filter.due || (g.reassessDueAt !== null && Date.parse(g.reassessDueAt) <= at + reassessSoonMs)),
      );
    },
    grade,
    async summary() {
      const all = await gradesOf(await tenantsById(store), now());
      const rows = new Map<string, GradingSummaryRow>();
      for (const g of all) {
        const r = rows.get(g.district) ?? { district: g.district, level1: 0, level2: 0, level3: 0, ungraded: 0, reassessOverdue: 0 };
        if (g.level === null) r.ungraded++;
        else r[`level${g.level}`]++;
        if (g.reassessOverdue) r.reassessOverdue++;
        rows.set(g.district, r);
      }
      return [...rows.values()].sort((a, b) => a.district.localeCompare(b.district, 'zh-CN'));
    },
  };
}
