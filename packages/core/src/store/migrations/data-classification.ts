import type { Kysely } from 'kysely';

// Kysely<any> is how migrations are written: they must not depend on the current Database type.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

/**
 * Industrial data classification and grading (工业数据分类分级, issue 7 item 7): the category and level
 * recorded per point or dataset (a subject) with every change kept, users granted level-3 reading beyond
 * their role, level-3 telemetry values sealed with SM4 (envelopes, never the number), export requests
 * and their approvals, and the access log the per-dataset access report reads.
 */
export async function dataClassification(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('data_classifications')
    // '' for platform-wide datasets: part of the key, so it is never NULL.
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('device', 'text')
    .addColumn('point', 'text')
    .addColumn('dataset', 'text')
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('level', 'integer', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('set_by', 'text')
    .addColumn('set_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('data_classifications_pk', ['tenant_id', 'subject'])
    .execute();
  await db.schema
    .createTable('data_classification_history')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('level', 'integer', (c) => c.notNull())
    .addColumn('previous_category', 'text')
    .addColumn('previous_level', 'integer')
    .addColumn('reason', 'text')
    .addColumn('set_by', 'text')
    .addColumn('set_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('data_classification_history_subject').on('data_classification_history').columns(['tenant_id', 'subject', 'set_at']).execute();
  await db.schema
    .createTable('data_level_grants')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('username', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('granted_by', 'text')
    .addColumn('granted_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('data_level_grants_pk', ['tenant_id', 'user_id'])
    .execute();
  await db.schema
    .createTable('telemetry_sealed')
    .addColumn('tenant_id', 'text')
    .addColumn('device', 'text', (c) => c.notNull())
    .addColumn('point', 'text', (c) => c.notNull())
    .addColumn('ts', 'bigint', (c) => c.notNull())
    .addColumn('received_ts', 'bigint', (c) => c.notNull())
    .addColumn('quality', 'text', (c) => c.notNull())
    .addColumn('envelope', 'text', (c) => c.notNull())
    // A batch delivered twice stores each sample once.
    .addPrimaryKeyConstraint('telemetry_sealed_pk', ['device', 'point', 'ts'])
    .execute();
  await db.schema
    .createTable('data_export_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text')
    .addColumn('dataset', 'text', (c) => c.notNull())
    .addColumn('query', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('level', 'integer', (c) => c.notNull())
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('requested_by', 'text', (c) => c.notNull())
    .addColumn('requester_id', 'text', (c) => c.notNull())
    .addColumn('requested_at', 'bigint', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('decided_by', 'text')
    .addColumn('decided_at', 'bigint')
    .addColumn('decision_note', 'text')
    .addColumn('expires_at', 'bigint')
    .addColumn('downloads', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_download_at', 'bigint')
    .addColumn('last_digest', 'text')
    .execute();
  await db.schema.createIndex('data_export_requests_tenant').on('data_export_requests').columns(['tenant_id', 'status', 'requested_at']).execute();
  await db.schema
    .createTable('data_access_log')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text')
    .addColumn('dataset', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('rows', 'integer', (c) => c.notNull())
    .addColumn('level', 'integer', (c) => c.notNull())
    .addColumn('request_id', 'text')
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('details', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('data_access_log_dataset').on('data_access_log').columns(['tenant_id', 'dataset', 'at']).execute();
}
