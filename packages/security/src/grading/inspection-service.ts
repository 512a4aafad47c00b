/**
 * Security inspections (安全检查, issue 7 item 6): the authority schedules an inspection of an enterprise
 * (date, inspectors, the checklist of the enterprise's confirmed level), records a result per item (pass,
 * not applicable, or a finding with severity and description) and completes it; each finding becomes a
 * rectification item (整改) with a deadline. The enterprise reports each rectification (what was done and
 * a link to the evidence); the authority verifies it (closed) or returns it (open again). The inspection
 * closes when every rectification is closed. An open rectification past its deadline is overdue.
 */
import { randomUUID } from 'node:crypto';
import type { FindingSeverity, Rectification, RectificationReport, RectificationStatus, RectificationVerify, SecurityInspection, SecurityInspectionInput, SecurityInspectionItem, SecurityInspectionResults, SecurityLevel } from '@yulian/contracts';
import { type Scope, type SecurityInspectionItemsTable, type SecurityInspectionsTable, type Store, YulianError } from '@yulian/core';
import type { Selectable } from 'kysely';
import { checklistFor, checklistItems, checklistVersion } from './checklists.js';
import { type RectificationRow, type TenantInfo, iso, rectificationOverdue, tenantsById, toRectification } from './rows.js';

const day = 86_400_000;
/** Days to rectify a finding when the inspector gives no deadline. */
export const rectifyDays: Readonly<Record<FindingSeverity, number>> = { high: 15, medium: 30, low: 60 };

type InspectionRow = Selectable<SecurityInspectionsTable>;
type ItemRow = Selectable<SecurityInspectionItemsTable>;

/** Options of {@link createInspectionService}. */
export interface InspectionServiceOptions {
  store: Store;
  now?: () => number;
}

/** A filter of the rectification list. */
export interface RectificationFilter {
  status?: RectificationStatus;
  overdue?: boolean;
  inspectionId?: string;
}

/** Inspections, their results and rectifications. Tenant scopes see their own enterprise's only. */
export interface InspectionService {
  /** @throws ENTERPRISE_NOT_FOUND, ENTERPRISE_LEVEL_UNKNOWN, VALIDATION_FAILED (details.field) */
  schedule(input: SecurityInspectionInput & { note: string }, actor: string): Promise<SecurityInspection>;
  /** Newest scheduled first, with counts. */
  list(scope: Scope, filter?: { status?: SecurityInspection['status']; tenantId?: string }): Promise<SecurityInspection[]>;
  /** With its items and rectifications. @throws SECURITY_INSPECTION_NOT_FOUND */
  get(scope: Scope, id: string): Promise<SecurityInspection>;
  /** @throws SECURITY_INSPECTION_NOT_FOUND, SECURITY_INSPECTION_STATE_INVALID, VALIDATION_FAILED (details.field) */
  recordResults(id: string, input: SecurityInspectionResults & { complete: boolean }, actor: string): Promise<SecurityInspection>;
  /** Deadline order. */
  rectifications(scope: Scope, filter?: RectificationFilter): Promise<Rectification[]>;
  /** @throws RECTIFICATION_NOT_FOUND, RECTIFICATION_STATE_INVALID */
  report(tenantId: string, id: string, input: RectificationReport, actor: string): Promise<Rectification>;
  /** @throws RECTIFICATION_NOT_FOUND, RECTIFICATION_STATE_INVALID */
  verify(id: string, input: RectificationVerify & { comment: string }, actor: string): Promise<{ rectification: Rectification; inspection: SecurityInspection }>;
}

const invalid = (field: string, message: string): YulianError => new YulianError('VALIDATION_FAILED', message, { details: { field } });

/**
 * @example const inspections = createInspectionService({ store }); await inspections.schedule({ enterprise: 'DEMO-0001', scheduledFor, inspectors: ['王检查'], note: '' }, 'demo-authority')
 */
export function createInspectionService(options: InspectionServiceOptions): InspectionService {
  const { store } = options;
  const db = store.db;
  const now = options.now ?? Date.now;
  const notFound = (id: string): YulianError => new YulianError('SECURITY_INSPECTION_NOT_FOUND', `No security inspection ${id} (or it belongs to another enterprise).`);
  const rectNotFound = (id: string): YulianError => new YulianError('RECTIFICATION_NOT_FOUND', `No rectification item ${id} (or it belongs to another enterprise).`);

  async function inspectionRow(scope: Scope, id: string): Promise<InspectionRow> {
    let q = db.selectFrom('security_inspections').selectAll().where('id', '=', id);
    if (scope.kind === 'tenant') q = q.where('tenant_id', '=', scope.tenantId);
    const r = await q.executeTakeFirst();
    if (!r) throw notFound(id);
    return r;
  }
  async function rectRow(scope: Scope, id: string): Promise<RectificationRow> {
    let q = db.selectFrom('security_rectifications').selectAll().where('id', '=', id);
    if (scope.kind === 'tenant') q = q.where('tenant_id', '=', scope.tenantId);
    const r = await q.executeTakeFirst();
    if (!r) throw rectNotFound(id);
    return r;
  }

  function toItem(r: ItemRow): SecurityInspectionItem {
    const c = checklistItems.find((i) => i.id === r.item_id) ?? { id: r.item_id, zh: r.item_id, en: r.item_id, basisZh: '', basisEn: '', minLevel: 1 as const };
    return { ...c, result: r.result as SecurityInspectionItem['result'], severity: r.severity as FindingSeverity | null, description: r.description, recordedBy: r.recorded_by, recordedAt: iso(r.recorded_at) };
  }
  function toInspection(r: InspectionRow, t: TenantInfo | undefined, items: ItemRow[], rects: RectificationRow[], at: number, full: boolean): SecurityInspection {
    const count = (ok: (i: ItemRow) => boolean): number => items.filter(ok).length;
    return {
      id: r.id,
      tenantId: r.tenant_id,
      enterpriseCode: t?.code ?? r.tenant_id,
      enterpriseName: t?.name ?? '',
      district: t?.district ?? '',
      level: Number(r.level) as SecurityLevel,
      checklistVersion: r.checklist_version,
      scheduledFor: iso(r.scheduled_for)!,
      inspectors: JSON.parse(r.inspectors) as string[],
      note: r.note,
      status: r.status as SecurityInspection['status'],
      createdBy: r.created_by,
      createdAt: iso(r.created_at)!,
      completedAt: iso(r.completed_at),
      closedAt: iso(r.closed_at),
      counts: {
        items: items.length,
        pass: count((i) => i.result === 'pass'),
        findings: count((i) => i.result === 'finding'),
        pending: count((i) => i.result === 'pending'),
        openRectifications: rects.filter((x) => x.status !== 'closed').length,
        overdue: rects.filter((x) => rectificationOverdue(x, at)).length,
      },
      ...(full ? { items: [...items].sort((a, b) => a.position - b.position).map(toItem), rectifications: rects.map((x) => toRectification(x, t, at)) } : {}),
    };
  }
  async function present(rows: InspectionRow[], full: boolean): Promise<SecurityInspection[]> {
    const ids = rows.map((r) => r.id);
    if (!ids.length) return [];
    const [items, rects, tenants] = await Promise.all([
      db.selectFrom('security_inspection_items').selectAll().where('inspection_id', 'in', ids).execute(),
      db.selectFrom('security_rectifications').selectAll().where('inspection_id', 'in', ids).orderBy('deadline').execute(),
      tenantsById(store, rows.map((r) => r.tenant_id)),
    ]);
    const at = now();
    return rows.map((r) => toInspection(r, tenants.get(r.tenant_id), items.filter((i) => i.inspection_id === r.id), rects.filter((x) => x.inspection_id === r.id), at, full));
  }
  const get = async (scope: Scope, id: string): Promise<SecurityInspection> => (await present([await inspectionRow(scope, id)], true))[0]!;

  return {
    async schedule(input, actor) {
      const tenant = await db.selectFrom('tenants').select(['id', 'code']).where('code', '=', input.enterprise).executeTakeFirst();
      if (!tenant) throw new YulianError('ENTERPRISE_NOT_FOUND', `No enterprise with code ${input.enterprise}.`, { details: { field: 'enterprise' } });
      const scheduledFor = Date.parse(input.scheduledFor);
      if (!Number.isFinite(scheduledFor)) throw invalid('scheduledFor', 'scheduledFor is not a valid date and time.');
      let level = input.level;
      if (level === undefined) {
        const g = await db.selectFrom('security_grades').select('level').where('tenant_id', '=', tenant.id).executeTakeFirst();
        if (!g) throw new YulianError('ENTERPRISE_LEVEL_UNKNOWN', `Enterprise ${tenant.code} has no confirmed security level yet: confirm its grading first, or name the checklist level.`, { details: { enterprise: tenant.code } });
        level = Number(g.level) as SecurityLevel;
      }
      const id = randomUUID();
      const at = now();
      await db.transaction().execute(async (tx) => {
        await tx
          .insertInto('security_inspections')
          .values({ id, tenant_id: tenant.id, level, checklist_version: checklistVersion, scheduled_for: scheduledFor, inspectors: JSON.stringify(input.inspectors), note: input.note, status: 'scheduled', created_by: actor, created_at: at, completed_at: null, closed_at: null })
          .execute();
        await tx
          .insertInto('security_inspection_items')
          .values(checklistFor(level).map((c, position) => ({ inspection_id: id, item_id: c.id, position, result: 'pending', severity: null, description: '', deadline: null, recorded_by: null, recorded_at: null })))
          .execute();
      });
      return get({ kind: 'all' }, id);
    },
    async list(scope, filter = {}) {
      let q = db.selectFrom('security_inspections').selectAll().orderBy('scheduled_for', 'desc').limit(500);
      if (scope.kind === 'tenant') q = q.where('tenant_id', '=', scope.tenantId);
      if (filter.tenantId) q = q.where('tenant_id', '=', filter.tenantId);
      if (filter.status) q = q.where('status', '=', filter.status);
      return present(await q.execute(), false);
    },
    get,
    async recordResults(id, input, actor) {
      const r = await inspectionRow({ kind: 'all' }, id);
      if (r.status !== 'scheduled' && r.status !== 'in_progress') throw new YulianError('SECURITY_INSPECTION_STATE_INVALID', `The inspection is ${r.status}: its results are final.`, { details: { status: r.status } });
      const items = await db.selectFrom('security_inspection_items').selectAll().where('inspection_id', '=', id).execute();
      const at = now();
      input.results.forEach((res, i) => {
        if (!items.some((x) => x.item_id === res.item)) throw invalid(`results[${i}].item`, `Item ${res.item} is not on this inspection’s level-${r.level} checklist.`);
        if (res.result === 'finding' && (!res.severity || !res.description)) throw invalid(`results[${i}]`, `A finding needs its severity and description (item ${res.item}).`);
        if (res.deadline !== undefined && !(Date.parse(res.deadline) > at)) throw invalid(`results[${i}].deadline`, `The rectification deadline of item ${res.item} must be a valid time in the future.`);
      });
      await db.transaction().execute(async (tx) => {
        for (const res of input.results) {
          const finding = res.result === 'finding';
          await tx
            .updateTable('security_inspection_items')
            .set({ result: res.result, severity: finding ? res.severity! : null, description: res.description ?? '', deadline: finding && res.deadline ? Date.parse(res.deadline) : null, recorded_by: actor, recorded_at: at })
            .where('inspection_id', '=', id)
            .where('item_id', '=', res.item)
            .execute();
        }
        const started = await tx.updateTable('security_inspections').set({ status: 'in_progress' }).where('id', '=', id).where('status', 'in', ['scheduled', 'in_progress']).executeTakeFirst();
        if (Number(started.numUpdatedRows) !== 1) throw new YulianError('SECURITY_INSPECTION_STATE_INVALID', 'The inspection was completed by someone else just now.', { details: { status: 'rectifying' } });
        if (!input.complete) return;
        const recorded = await tx.selectFrom('security_inspection_items').selectAll().where('inspection_id', '=', id).execute();
        const missing = recorded.filter((x) => x.result === 'pending').sort((a, b) => a.position - b.position).map((x) => x.item_id);
        if (missing.length) throw new YulianError('SECURITY_INSPECTION_STATE_INVALID', `Record a result for every item before completing the inspection: ${missing.length} left (${missing.join(', ')}).`, { details: { status: 'in_progress', missing } });
        const findings = recorded.filter((x) => x.result === 'finding');
        if (findings.length) {
          await tx
            .insertInto('security_rectifications')
            .values(findings.map((f) => ({ id: randomUUID(), inspection_id: id, tenant_id: r.tenant_id, item_id: f.item_id, severity: f.severity ?? 'medium', description: f.description, deadline: f.deadline === null ? at + rectifyDays[(f.severity ?? 'medium') as FindingSeverity] * day : Number(f.deadline), status: 'open', report: null, evidence: null, reported_by: null, reported_at: null, verified_by: null, verified_at: null, review_comment: null, returns: 0, created_at: at, updated_at: at })))
            .onConflict((oc) => oc.columns(['inspection_id', 'item_id']).doNothing())
            .execute();
        }
        await tx.updateTable('security_inspections').set({ status: findings.length ? 'rectifying' : 'closed', completed_at: at, closed_at: findings.length ? null : at }).where('id', '=', id).execute();
      });
      return get({ kind: 'all' }, id);
    },
    async rectifications(scope, filter = {}) {
      let q = db.selectFrom('security_rectifications').selectAll().orderBy('deadline').limit(1000);
      if (scope.kind === 'tenant') q = q.where('tenant_id', '=', scope.tenantId);
      if (filter.status) q = q.where('status', '=', filter.status);
      if (filter.inspectionId) q = q.where('inspection_id', '=', filter.inspectionId);
      const at = now();
      if (filter.overdue) q = q.where('status', '=', 'open').where('deadline', '<', at);
      const rows = await q.execute();
      const tenants = await tenantsById(store, rows.map((r) => r.tenant_id));
      return rows.map((r) => toRectification(r, tenants.get(r.tenant_id), at));
    },
    async report(tenantId, id, input, actor) {
      const r = await rectRow({ kind: 'tenant', tenantId }, id);
      if (r.status !== 'open') throw new YulianError('RECTIFICATION_STATE_INVALID', r.status === 'reported' ? 'The rectification is reported already and awaits verification.' : 'The rectification is closed.', { details: { status: r.status } });
      const at = now();
      const res = await db.updateTable('security_rectifications').set({ status: 'reported', report: input.text, evidence: input.evidence, reported_by: actor, reported_at: at, updated_at: at }).where('id', '=', id).where('status', '=', 'open').executeTakeFirst();
      if (Number(res.numUpdatedRows) !== 1) throw new YulianError('RECTIFICATION_STATE_INVALID', 'The rectification was reported by someone else just now.', { details: { status: 'reported' } });
      return toRectification(await rectRow({ kind: 'all' }, id), (await tenantsById(store, [tenantId])).get(tenantId), now());
    },
    async verify(id, input, actor) {
      const r = await rectRow({ kind: 'all' }, id);
      if (r.status !== 'reported') throw new YulianError('RECTIFICATION_STATE_INVALID', `Only a reported rectification can be verified; this one is ${r.status}.`, { details: { status: r.status } });
      const at = now();
      const accepted = input.outcome === 'accepted';
      await db.transaction().execute(async (tx) => {
        const res = await tx
          .updateTable('security_rectifications')
          .set(accepted ? { status: 'closed', verified_by: actor, verified_at: at, review_comment: input.comment || null, updated_at: at } : { status: 'open', review_comment: input.comment || null, returns: Number(r.returns) + 1, updated_at: at })
          .where('id', '=', id)
          .where('status', '=', 'reported')
          .executeTakeFirst();
        if (Number(res.numUpdatedRows) !== 1) throw new YulianError('RECTIFICATION_STATE_INVALID', 'The rectification was verified by someone else just now.', { details: { status: 'closed' } });
        if (!accepted) return;
        const open = await tx.selectFrom('security_rectifications').select('id').where('inspection_id', '=', r.inspection_id).where('status', '!=', 'closed').executeTakeFirst();
        if (!open) await tx.updateTable('security_inspections').set({ status: 'closed', closed_at: at }).where('id', '=', r.inspection_id).where('status', '=', 'rectifying').execute();
      });
      const tenants = await tenantsById(store, [r.tenant_id]);
      return { rectification: toRectification(await rectRow({ kind: 'all' }, id), tenants.get(r.tenant_id), now()), inspection: await get({ kind: 'all' }, r.inspection_id) };
    },
  };
}
