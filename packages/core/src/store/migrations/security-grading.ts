import { type Kysely, sql } from 'kysely';

// Kysely<any> is how migrations are written: they must not depend on the current Database type.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

/**
 * Classified and graded security management (分类分级, issue 7 item 6): enterprises' self-assessments on a
 * versioned questionnaire and the authority's decision on them; each enterprise's current (confirmed)
 * level with its reassessment due date; security inspections (安全检查) with one result row per checklist
 * item, and the rectifications (整改) their findings become.
 */
export async function securityGrading(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('security_assessments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('questionnaire_version', 'text', (c) => c.notNull())
    .addColumn('answers', 'text', (c) => c.notNull())
    .addColumn('score', 'integer', (c) => c.notNull())
    .addColumn('proposed_level', 'integer')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('confirmed_level', 'integer')
    .addColumn('decision_reason', 'text')
    .addColumn('review_comment', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('submitted_by', 'text')
    .addColumn('submitted_at', 'bigint')
    .addColumn('reviewed_by', 'text')
    .addColumn('reviewed_at', 'bigint')
    .execute();
  await db.schema.createIndex('security_assessments_tenant').on('security_assessments').columns(['tenant_id', 'created_at']).execute();
  await db.schema.createIndex('security_assessments_status').on('security_assessments').columns(['status', 'submitted_at']).execute();
  // One open (not yet confirmed) assessment per enterprise, however many ask at once.
  await sql`CREATE UNIQUE INDEX security_assessments_open ON security_assessments (tenant_id) WHERE status <> 'confirmed'`.execute(db);
  await db.schema
    .createTable('security_grades')
    .addColumn('tenant_id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('level', 'integer', (c) => c.notNull())
    .addColumn('assessment_id', 'text', (c) => c.notNull())
    .addColumn('confirmed_by', 'text')
    .addColumn('confirmed_at', 'bigint', (c) => c.notNull())
    .addColumn('reassess_due_at', 'bigint')
    .execute();
  await db.schema
    .createTable('security_inspections')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('level', 'integer', (c) => c.notNull())
    .addColumn('checklist_version', 'text', (c) => c.notNull())
    .addColumn('scheduled_for', 'bigint', (c) => c.notNull())
    .addColumn('inspectors', 'text', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('completed_at', 'bigint')
    .addColumn('closed_at', 'bigint')
    .execute();
  await db.schema.createIndex('security_inspections_tenant').on('security_inspections').columns(['tenant_id', 'scheduled_for']).execute();
  await db.schema
    .createTable('security_inspection_items')
    .addColumn('inspection_id', 'text', (c) => c.notNull())
    .addColumn('item_id', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('result', 'text', (c) => c.notNull())
    .addColumn('severity', 'text')
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('deadline', 'bigint')
    .addColumn('recorded_by', 'text')
    .addColumn('recorded_at', 'bigint')
    .addPrimaryKeyConstraint('security_inspection_items_pk', ['inspection_id', 'item_id'])
    .execute();
  await db.schema
    .createTable('security_rectifications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('inspection_id', 'text', (c) => c.notNull())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('item_id', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('deadline', 'bigint', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('report', 'text')
    .addColumn('evidence', 'text')
    .addColumn('reported_by', 'text')
    .addColumn('reported_at', 'bigint')
    .addColumn('verified_by', 'text')
    .addColumn('verified_at', 'bigint')
    .addColumn('review_comment', 'text')
    .addColumn('returns', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  // One rectification per finding: recording the same inspection twice (two tabs) cannot double them.
  await db.schema.createIndex('security_rectifications_item').on('security_rectifications').columns(['inspection_id', 'item_id']).unique().execute();
  await db.schema.createIndex('security_rectifications_tenant').on('security_rectifications').columns(['tenant_id', 'status', 'deadline']).execute();
}
