import type { Kysely } from 'kysely';

// Kysely<any> is how migrations are written: they must not depend on the current Database type.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

/**
 * 0024 (issue 7): security events raised by the detection rules (ATT&CK for ICS), and their techniques in
 * a side table so that "top techniques" and the technique filter are plain GROUP BY / EXISTS on both engines.
 */
export async function securityEvents(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('security_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text')
    .addColumn('ts', 'bigint', (c) => c.notNull())
    .addColumn('rule_id', 'integer', (c) => c.notNull())
    .addColumn('level', 'integer', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('title_en', 'text', (c) => c.notNull())
    .addColumn('techniques', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('tactic', 'text')
    .addColumn('source_ip', 'text')
    .addColumn('source_port', 'integer')
    .addColumn('target_ip', 'text')
    .addColumn('target_port', 'integer')
    .addColumn('device_id', 'text')
    .addColumn('details', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('count', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('group_key', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('response', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('security_events_tenant_ts').on('security_events').columns(['tenant_id', 'ts']).execute();
  await db.schema.createIndex('security_events_ts').on('security_events').column('ts').execute();
  await db.schema.createIndex('security_events_source_ts').on('security_events').columns(['source_ip', 'ts']).execute();
  await db.schema.createIndex('security_events_device_ts').on('security_events').columns(['device_id', 'ts']).execute();
  await db.schema
    .createTable('security_event_techniques')
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('technique', 'text', (c) => c.notNull())
    .addColumn('tenant_id', 'text')
    .addColumn('ts', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('security_event_techniques_pk', ['event_id', 'technique'])
    .execute();
  await db.schema.createIndex('security_event_techniques_ts').on('security_event_techniques').columns(['technique', 'ts']).execute();
  await db.schema.createIndex('security_event_techniques_tenant_ts').on('security_event_techniques').columns(['tenant_id', 'ts']).execute();
}

/**
 * 0025 (issue 7): the learned communication baseline — one row per (tenant, protocol, source, target,
 * unit, function) with its address range and first/last seen — and each tenant's baseline mode.
 */
export async function securityBaseline(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('security_baseline')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text')
    .addColumn('protocol', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('unit', 'integer', (c) => c.notNull())
    .addColumn('function', 'text', (c) => c.notNull())
    .addColumn('address_min', 'integer')
    .addColumn('address_max', 'integer')
    .addColumn('first_seen', 'bigint', (c) => c.notNull())
    .addColumn('last_seen', 'bigint', (c) => c.notNull())
    .addColumn('count', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('security_baseline_tenant').on('security_baseline').columns(['tenant_id', 'target']).execute();
  await db.schema
    .createTable('security_baseline_modes')
    // The tenant id, or '*' for platform-wide traffic (a primary key cannot be null).
    .addColumn('tenant_key', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text')
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('learning_since', 'bigint')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .execute();
}

/** 0031 (issue 7): the block list of the active response, so that a restart does not lift a block. */
export async function securityBlocks(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('security_blocks')
    .addColumn('ip', 'text', (c) => c.primaryKey())
    .addColumn('until', 'bigint', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('blocked_by', 'text', (c) => c.notNull())
    .addColumn('event_id', 'text')
    .addColumn('tenant_id', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
}
