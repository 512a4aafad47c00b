import type { Kysely } from 'kysely';

// Kysely<any> is how migrations are written: they must not depend on the current Database type.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

/**
 * 0030 (issue 7, situation): the asset inventory seen in traffic — one row per (tenant, ip, port,
 * protocol, role) with first/last seen and counts, written in batches by the inventory recorder — and
 * the critical protection objects (关键保护对象) the authority lists at city or district level.
 */
export async function securityAssets(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('security_assets')
    // tenant|ip|port|protocol|role ('*' for platform-wide traffic).
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text')
    .addColumn('ip', 'text', (c) => c.notNull())
    // A client's port is ephemeral: clients are kept with port 0.
    .addColumn('port', 'integer', (c) => c.notNull())
    .addColumn('protocol', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('device_id', 'text')
    .addColumn('via', 'text', (c) => c.notNull())
    .addColumn('first_seen', 'bigint', (c) => c.notNull())
    .addColumn('last_seen', 'bigint', (c) => c.notNull())
    .addColumn('observations', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('writes', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('connections', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('refused', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('anomalies', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('security_assets_tenant_seen').on('security_assets').columns(['tenant_id', 'last_seen']).execute();
  await db.schema.createIndex('security_assets_device').on('security_assets').column('device_id').execute();
  await db.schema
    .createTable('security_protection_objects')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // city | district
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('district', 'text', (c) => c.notNull())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    // Null: the whole enterprise; else one of its devices.
    .addColumn('device_id', 'text')
    // level|tenant|device ('-' for the enterprise): one listing per object and level.
    .addColumn('object_key', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('security_protection_objects_key').on('security_protection_objects').column('object_key').unique().execute();
  await db.schema.createIndex('security_protection_objects_tenant').on('security_protection_objects').column('tenant_id').execute();
}
