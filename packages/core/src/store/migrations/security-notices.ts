import type { Kysely } from 'kysely';

// Kysely<any> is how migrations are written: they must not depend on the current Database type.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

/**
 * Early-warning notices (预警通报, issue 7 item 4): the notices the authority issues (SM2-signed at issue),
 * one recipient row per targeted enterprise (fixed at issue), the reminders sent (one per recipient and
 * kind: a unique key, so sweeps in several processes send each once), the platform's notice-signing key
 * and a per-year serial for the notice numbers.
 */
export async function securityNotices(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('security_notices')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('year', 'integer')
    .addColumn('serial', 'integer')
    .addColumn('number', 'text')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('cves', 'text', (c) => c.notNull())
    .addColumn('products', 'text', (c) => c.notNull())
    .addColumn('actions', 'text', (c) => c.notNull())
    .addColumn('targets', 'text', (c) => c.notNull())
    .addColumn('deadline', 'bigint', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('issued_by', 'text')
    .addColumn('issued_at', 'bigint')
    .addColumn('closed_at', 'bigint')
    .addColumn('signature', 'text')
    .addColumn('key_fingerprint', 'text')
    .addColumn('signer_id', 'text')
    .execute();
  await db.schema.createIndex('security_notices_year_serial').on('security_notices').columns(['year', 'serial']).unique().execute();
  await db.schema
    .createTable('security_notice_recipients')
    .addColumn('notice_id', 'text', (c) => c.notNull())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('enterprise_code', 'text', (c) => c.notNull())
    .addColumn('enterprise_name', 'text', (c) => c.notNull())
    .addColumn('district', 'text', (c) => c.notNull())
    .addColumn('industry', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('overdue_at', 'bigint')
    .addColumn('acknowledged_by', 'text')
    .addColumn('acknowledged_at', 'bigint')
    .addColumn('disposal', 'text')
    .addColumn('reported_by', 'text')
    .addColumn('reported_at', 'bigint')
    .addColumn('review', 'text')
    .addColumn('closed_at', 'bigint')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('security_notice_recipients_pk', ['notice_id', 'tenant_id'])
    .execute();
  await db.schema.createIndex('security_notice_recipients_tenant').on('security_notice_recipients').columns(['tenant_id', 'status']).execute();
  await db.schema
    .createTable('security_notice_reminders')
    .addColumn('notice_id', 'text', (c) => c.notNull())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('security_notice_reminders_pk', ['notice_id', 'tenant_id', 'kind'])
    .execute();
  await db.schema
    .createTable('security_notice_keys')
    .addColumn('fingerprint', 'text', (c) => c.primaryKey())
    .addColumn('public_key', 'text', (c) => c.notNull())
    .addColumn('private_sealed', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
}
