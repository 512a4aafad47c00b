import { type Kysely, type Migration, sql } from 'kysely';
import type { StoreDialect } from '../create-store.js';
import { ensureTelemetryPartitions } from '../telemetry-partitions.js';
import { alarmEventsNotifications } from './alarm-notifications.js';
import { auditChain } from './audit-chain.js';
import { dataClassification } from './data-classification.js';
import { dataKeys } from './data-keys.js';
import { inspection } from './inspection.js';
import { securityNotices } from './security-notices.js';
import { securityBaseline, securityEvents, securityBlocks } from './security-events.js';
import { securityIncidents } from './security-incidents.js';
import { securityGrading } from './security-grading.js';
import { securityAssets } from './security-assets.js';
import { notificationFlood } from './notification-flood.js';

/**
 * Forward-only, versioned migrations. Append new ones with the next number; never edit a released one.
 * Each takes the dialect because SQLite and PostgreSQL differ in identity columns and triggers.
 */
export function migrationsFor(dialect: StoreDialect): Record<string, Migration> {
  return {
    '0001_identity': { up: (db) => identity(db, dialect) },
    '0002_telemetry_raw': { up: (db) => telemetryRaw(db) },
    '0003_gateways_devices': { up: (db) => gatewaysDevices(db) },
    '0004_telemetry_store': { up: (db) => telemetryStore(db, dialect) },
    '0005_device_commands': { up: (db) => deviceCommands(db) },
    '0006_assets': { up: (db) => assets(db, dialect) },
    '0007_dashboards': { up: (db) => dashboards(db) },
    '0008_telemetry_writers': { up: (db) => telemetryWriters(db) },
    '0009_identifiers': { up: (db) => identifiers(db, dialect) },
    '0010_id_bulk_jobs': { up: (db) => idBulkJobs(db) },
    '0011_id_stats': { up: (db) => idStats(db) },
    '0012_id_links': { up: (db) => idLinks(db) },
    '0013_id_signing_keys': { up: (db) => idSigningKeys(db) },
    '0014_alarms': { up: (db) => alarms(db) },
    '0015_alarm_rules': { up: (db) => alarmRules(db) },
    '0016_maintenance': { up: (db) => maintenance(db) },
    '0017_alarm_events_notifications': { up: (db) => alarmEventsNotifications(db) },
    '0018_vibration_bursts': { up: (db) => vibrationBursts(db, dialect) },
    '0019_device_health': { up: (db) => deviceHealth(db) },
    '0020_inspection': { up: (db) => inspection(db) },
    '0021_alarm_rule_profiles': { up: (db) => alarmRuleProfiles(db) },
    '0022_audit_chain': { up: (db) => auditChain(db, dialect) },
    '0023_data_keys': { up: (db) => dataKeys(db) },
    '0024_security_events': { up: (db) => securityEvents(db) },
    '0025_security_baseline': { up: (db) => securityBaseline(db) },
    '0026_security_notices': { up: (db) => securityNotices(db) },
    '0027_security_incidents': { up: (db) => securityIncidents(db) },
    '0028_data_classification': { up: (db) => dataClassification(db) },
    '0029_security_grading': { up: (db) => securityGrading(db) },
    '0030_security_assets': { up: (db) => securityAssets(db) },
    '0031_security_blocks': { up: (db) => securityBlocks(db) },
    '0032_notification_flood': { up: (db) => notificationFlood(db) },
  };
}

// Kysely<any> is how migrations are written: they must not depend on the current Database type.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

async function identity(db: AnyDb, dialect: StoreDialect): Promise<void> {
  await db.schema
    .createTable('settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('tenants')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('district', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('industry', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.references('tenants.id'))
    .addColumn('username', 'text', (c) => c.notNull().unique())
    .addColumn('display_name', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('failed_logins', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('locked_until', 'bigint')
    .addColumn('tokens_valid_after', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('last_login_at', 'bigint')
    .execute();
  await db.schema.createIndex('users_tenant_idx').on('users').column('tenant_id').execute();

  await db.schema
    .createTable('api_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('tenant_id', 'text', (c) => c.references('tenants.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('prefix', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint')
    .addColumn('last_used_at', 'bigint')
    .addColumn('revoked_at', 'bigint')
    .execute();

  await db.schema
    .createTable('revoked_tokens')
    .addColumn('jti', 'text', (c) => c.primaryKey())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('audit_log')
    .addColumn('id', dialect === 'postgres' ? 'bigserial' : 'integer', (c) =>
      dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
    )
    .addColumn('ts', 'bigint', (c) => c.notNull())
    .addColumn('tenant_id', 'text')
    .addColumn('actor', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('target', 'text')
    .addColumn('ip', 'text')
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('details', 'text', (c) => c.notNull().defaultTo('{}'))
    .execute();
  await db.schema.createIndex('audit_log_tenant_ts_idx').on('audit_log').columns(['tenant_id', 'ts']).execute();
  await db.schema.createIndex('audit_log_ts_idx').on('audit_log').column('ts').execute();

  // The audit log is append-only in the database itself, not only in the code that writes it.
  if (dialect === 'postgres') {
    await sql`CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$`.execute(db);
    await sql`CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
      FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()`.execute(db);
    await sql`CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
      FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()`.execute(db);
  } else {
    await sql`CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
      BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`.execute(db);
    await sql`CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
      BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`.execute(db);
  }
}

/**
 * Raw samples as they arrive, one row per (device, point, source timestamp): a redelivered batch
 * inserts nothing twice. The telemetry store of the device-management issue builds rollups and
 * partitions on top.
 */
async function telemetryRaw(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('telemetry_raw')
    .addColumn('tenant_id', 'text')
    .addColumn('device', 'text', (c) => c.notNull())
    .addColumn('point', 'text', (c) => c.notNull())
    .addColumn('ts', 'bigint', (c) => c.notNull())
    .addColumn('received_ts', 'bigint', (c) => c.notNull())
    .addColumn('value_num', 'double precision')
    .addColumn('value_text', 'text')
    .addColumn('quality', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addPrimaryKeyConstraint('telemetry_raw_pk', ['device', 'point', 'ts'])
    .execute();
}

/**
 * Gateways registered with the platform (a token each, stored as its SHA-256) and the device
 * configurations the platform pushes down to them. `config_version` grows with every device change
 * of the gateway, so a gateway knows when to fetch its configuration again.
 */
async function gatewaysDevices(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('gateways')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.references('tenants.id'))
    .addColumn('name', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('token_hash', 'text', (c) => c.unique())
    .addColumn('token_prefix', 'text')
    .addColumn('config_version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('last_seen', 'bigint')
    .addColumn('status', 'text')
    .execute();
  await db.schema
    .createTable('devices')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.references('tenants.id'))
    .addColumn('gateway_id', 'text', (c) => c.notNull().references('gateways.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('protocol', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('config', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('devices_gateway_idx').on('devices').column('gateway_id').execute();
  await db.schema.createIndex('devices_tenant_idx').on('devices').column('tenant_id').execute();
}

/**
 * The telemetry store: a series table (device, point → integer id, with its enterprise), raw samples keyed
 * (series, ts) — WITHOUT ROWID on SQLite, range-partitioned by day on PostgreSQL — 1-minute and 1-hour
 * rollups recomputed from raw as buckets close, and a journal of buckets with raw data not yet rolled up
 * (so a crash never leaves a rollup short). The earlier `telemetry_raw` table is copied over and
 * replaced by a view of the same name and columns (received_ts is no longer kept per sample).
 */
async function telemetryStore(db: AnyDb, dialect: StoreDialect): Promise<void> {
  const pg = dialect === 'postgres';
  const int = pg ? 'integer' : 'INTEGER';
  const big = pg ? 'bigint' : 'INTEGER';
  const real = pg ? 'double precision' : 'REAL';
  const tail = pg ? '' : ' WITHOUT ROWID';
  await sql.raw(`CREATE TABLE telemetry_series (
    id ${pg ? 'integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY' : 'INTEGER PRIMARY KEY'},
    tenant_id text, device text NOT NULL, point text NOT NULL, created_at ${big} NOT NULL,
    UNIQUE (device, point))`).execute(db);
  await sql.raw(`CREATE TABLE telemetry_samples (
    series_id ${int} NOT NULL, ts ${big} NOT NULL, value ${real}, text text, quality ${pg ? 'smallint' : 'INTEGER'} NOT NULL, reason text,
    PRIMARY KEY (series_id, ts))${pg ? ' PARTITION BY RANGE (ts)' : tail}`).execute(db);
  const rollup = (name: string, partitioned: boolean): string => `CREATE TABLE ${name} (
    series_id ${int} NOT NULL, bucket ${big} NOT NULL, count ${int} NOT NULL, sum ${real} NOT NULL, min ${real} NOT NULL, max ${real} NOT NULL,
    first_ts ${big} NOT NULL, first ${real} NOT NULL, last_ts ${big} NOT NULL, last ${real} NOT NULL,
    PRIMARY KEY (series_id, bucket))${pg && partitioned ? ' PARTITION BY RANGE (bucket)' : tail}`;
  await sql.raw(rollup('telemetry_1m', true)).execute(db);
  await sql.raw(rollup('telemetry_1h', false)).execute(db);
  await sql.raw(`CREATE TABLE telemetry_dirty (tier text NOT NULL, bucket ${big} NOT NULL, writer text NOT NULL, stored_at ${big} NOT NULL, PRIMARY KEY (tier, bucket, writer))`).execute(db);

  // Carry the samples of the first telemetry table over.
  await sql`INSERT INTO telemetry_series (tenant_id, device, point, created_at)
    SELECT max(tenant_id), device, point, min(received_ts) FROM telemetry_raw GROUP BY device, point`.execute(db);
  if (pg) {
    const { rows } = await sql<{ ts: number }>`SELECT DISTINCT (ts / 86400000) * 86400000 AS ts FROM telemetry_raw`.execute(db);
    const days = rows.map((r) => Number(r.ts));
    await ensureTelemetryPartitions(db, 'telemetry_samples', days);
    await ensureTelemetryPartitions(db, 'telemetry_1m', days);
  }
  await sql`INSERT INTO telemetry_samples (series_id, ts, value, text, quality, reason)
    SELECT s.id, r.ts, r.value_num, r.value_text, CASE r.quality WHEN 'good' THEN 0 WHEN 'uncertain' THEN 1 ELSE 2 END, r.reason
    FROM telemetry_raw r JOIN telemetry_series s ON s.device = r.device AND s.point = r.point`.execute(db);
  // Every minute and hour holding carried-over samples is rolled up by the store's recovery at start.
  await sql`INSERT INTO telemetry_dirty (tier, bucket, writer, stored_at)
    SELECT DISTINCT '1m', ts - (ts % 60000), 'migration', 0 FROM telemetry_raw`.execute(db);
  await sql`INSERT INTO telemetry_dirty (tier, bucket, writer, stored_at)
    SELECT DISTINCT '1h', ts - (ts % 3600000), 'migration', 0 FROM telemetry_raw`.execute(db);
  await sql`DROP TABLE telemetry_raw`.execute(db);
  await sql`CREATE VIEW telemetry_raw AS
    SELECT s.tenant_id, s.device, s.point, r.ts, r.value AS value_num, r.text AS value_text,
      CASE r.quality WHEN 0 THEN 'good' WHEN 1 THEN 'uncertain' ELSE 'bad' END AS quality, r.reason
    FROM telemetry_samples r JOIN telemetry_series s ON s.id = r.series_id`.execute(db);
}

/**
 * Remote control: every command sent to a device point (or named action), who asked for it and from
 * where, and how it ended (`pending` until the gateway answers or the command times out).
 */
async function deviceCommands(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('device_commands')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text')
    .addColumn('device', 'text', (c) => c.notNull())
    .addColumn('gateway_id', 'text', (c) => c.notNull())
    .addColumn('point', 'text', (c) => c.notNull())
    .addColumn('action', 'text')
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('requested_by', 'text', (c) => c.notNull())
    .addColumn('ip', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('read_back', 'text')
    .addColumn('verified', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('finished_at', 'bigint')
    .execute();
  await db.schema.createIndex('device_commands_device_idx').on('device_commands').columns(['device', 'created_at']).execute();
}

/** Dashboards of the console, per tenant: a name and the widgets' layout as JSON. */
async function dashboards(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('dashboards')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('layout', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('dashboards_tenant_idx').on('dashboards').column('tenant_id').execute();
}

/**
 * Assets: the site → workshop → line tree of each enterprise (`asset_nodes`, a floor plan per site as an
 * image in `files` or a grid), each device's placement, lifecycle state and stable identifier
 * (`device_assets`, keyed by a UUID that never changes; unique per enterprise and device id), device
 * profiles (templates of points and defaults), every lifecycle transition and later maintenance record
 * (`device_history`, append-only by convention) and stored files (documents, floor plans) as bytes, so
 * that any API node can serve them.
 */
async function assets(db: AnyDb, dialect: StoreDialect): Promise<void> {
  const real = dialect === 'postgres' ? 'double precision' : 'real';
  await db.schema
    .createTable('files')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text')
    .addColumn('owner_kind', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull().defaultTo('other'))
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('data', dialect === 'postgres' ? 'bytea' : 'blob', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('files_owner_idx').on('files').columns(['owner_kind', 'owner_id']).execute();

  await db.schema
    .createTable('asset_nodes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('parent_id', 'text', (c) => c.references('asset_nodes.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('lat', real)
    .addColumn('lon', real)
    .addColumn('plan_kind', 'text', (c) => c.notNull().defaultTo('none'))
    .addColumn('plan_file_id', 'text')
    .addColumn('plan_rows', 'integer')
    .addColumn('plan_cols', 'integer')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('asset_nodes_code_uq', ['tenant_id', 'code'])
    .execute();
  await db.schema.createIndex('asset_nodes_parent_idx').on('asset_nodes').column('parent_id').execute();

  await db.schema
    .createTable('device_profiles')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.references('tenants.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('protocol', 'text', (c) => c.notNull())
    .addColumn('manufacturer', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('model', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('defaults', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('points', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('data_class', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('device_profiles_tenant_idx').on('device_profiles').columns(['tenant_id', 'name']).execute();

  await db.schema
    .createTable('device_assets')
    .addColumn('uid', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.references('tenants.id'))
    .addColumn('device_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('site_id', 'text', (c) => c.references('asset_nodes.id'))
    .addColumn('area_id', 'text', (c) => c.references('asset_nodes.id'))
    .addColumn('x', real)
    .addColumn('y', real)
    .addColumn('lat', real)
    .addColumn('lon', real)
    .addColumn('lifecycle', 'text', (c) => c.notNull())
    .addColumn('lifecycle_since', 'bigint', (c) => c.notNull())
    .addColumn('profile_id', 'text', (c) => c.references('device_profiles.id'))
    .addColumn('serial', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('model', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('manufacturer', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('device_assets_device_uq').on('device_assets').columns(['device_id', 'tenant_id']).unique().execute();
  await db.schema.createIndex('device_assets_site_idx').on('device_assets').columns(['tenant_id', 'site_id']).execute();

  await db.schema
    .createTable('device_history')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text')
    .addColumn('device_id', 'text', (c) => c.notNull())
    .addColumn('ts', 'bigint', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('actor', 'text')
    .addColumn('from_state', 'text')
    .addColumn('to_state', 'text')
    .addColumn('reason', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('details', 'text', (c) => c.notNull().defaultTo('{}'))
    .execute();
  await db.schema.createIndex('device_history_device_idx').on('device_history').columns(['device_id', 'ts']).execute();
}

/**
 * Telemetry writer processes and when each was last seen: a writer sums rollups in memory, so another
 * process recomputes the rollups a writer left pending only once it is gone (not seen for a while).
 */
async function telemetryWriters(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('telemetry_writers')
    .addColumn('writer', 'text', (c) => c.primaryKey())
    .addColumn('seen_at', 'bigint', (c) => c.notNull())
    .execute();
}

/**
 * Identifier resolution: the records a node holds (one row per identifier, its Handle values stored as
 * they go on the wire, so a resolution is one key lookup and no encoding) and the prefixes it allocates.
 * SQLite: WITHOUT ROWID (the key is the row); PostgreSQL: byte-order ("C") collation so that a prefix is a
 * key range as on SQLite, hash-partitioned by identifier (16 partitions), so vacuum and index maintenance
 * work on sixteenths of a billion-row table.
 */
async function identifiers(db: AnyDb, dialect: StoreDialect): Promise<void> {
  const pg = dialect === 'postgres';
  const big = pg ? 'bigint' : 'INTEGER';
  const blob = pg ? 'bytea' : 'BLOB';
  await sql.raw(`CREATE TABLE id_handles (handle text${pg ? ' COLLATE "C"' : ''} NOT NULL PRIMARY KEY, vals ${blob} NOT NULL, updated_at ${big} NOT NULL)${pg ? ' PARTITION BY HASH (handle)' : ' WITHOUT ROWID'}`).execute(db);
  if (pg) for (let i = 0; i < 16; i++) await sql.raw(`CREATE TABLE id_handles_h${i} PARTITION OF id_handles FOR VALUES WITH (MODULUS 16, REMAINDER ${i})`).execute(db);
  await db.schema
    .createTable('id_prefixes')
    .addColumn('prefix', 'text', (c) => c.primaryKey())
    .addColumn('parent', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('tenant_id', 'text')
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('org_name', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('credit_code', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('contact', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('applicant', 'text')
    .addColumn('reviewer', 'text')
    .addColumn('review_reason', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('site', 'text')
    .addColumn('quota', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('id_prefixes_tenant_idx').on('id_prefixes').columns(['tenant_id', 'state']).execute();
}

/**
 * Bulk identifier registration: one row per job (an uploaded CSV or JSONL file for one prefix and
 * template) with its progress, and the rows it refused. They live in the store of the node holding the
 * job's records, so each batch's records, progress and row errors commit in one transaction: a job
 * killed at any point resumes at `next_offset` (the byte after the last committed row).
 */
async function idBulkJobs(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('id_bulk_jobs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text')
    .addColumn('prefix', 'text', (c) => c.notNull())
    .addColumn('template', 'text', (c) => c.notNull())
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('file', 'text', (c) => c.notNull())
    .addColumn('columns', 'text')
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('total_bytes', 'bigint', (c) => c.notNull())
    .addColumn('next_offset', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('next_line', 'bigint', (c) => c.notNull().defaultTo(1))
    .addColumn('rows_done', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('inserted', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('failed', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('errors_total', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('errors_stored', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('elapsed_ms', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('started_at', 'bigint')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('finished_at', 'bigint')
    .execute();
  await db.schema.createIndex('id_bulk_jobs_state_idx').on('id_bulk_jobs').columns(['state', 'created_at']).execute();
  await db.schema.createIndex('id_bulk_jobs_tenant_idx').on('id_bulk_jobs').columns(['tenant_id', 'created_at']).execute();
  await db.schema
    .createTable('id_bulk_job_errors')
    .addColumn('job_id', 'text', (c) => c.notNull())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('line', 'bigint', (c) => c.notNull())
    .addColumn('field', 'text')
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('id_bulk_job_errors_pk', ['job_id', 'seq'])
    .execute();
}

/**
 * Identifier statistics: registrations and resolutions per node, prefix and UTC day. A node counts in
 * memory and adds its deltas here every few seconds (several processes of one node add into the same
 * rows); a child node's reported totals replace its rows at the parent. `id_stat_nodes`: the nodes whose
 * figures a store holds — counted here (`local`) or reported by a child node (`report`).
 */
async function idStats(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('id_stats')
    .addColumn('node', 'text', (c) => c.notNull())
    .addColumn('prefix', 'text', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('registrations', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('resolutions', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('resolved', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('not_found', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('invalid', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('id_stats_pk', ['node', 'prefix', 'day'])
    .execute();
  await db.schema.createIndex('id_stats_day_idx').on('id_stats').columns(['day', 'prefix']).execute();
  await db.schema
    .createTable('id_stat_nodes')
    .addColumn('node', 'text', (c) => c.primaryKey())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('parent', 'text')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('enterprises', 'bigint')
    .addColumn('seen_at', 'bigint', (c) => c.notNull())
    .execute();
}

/** Per-prefix SM2 keys that sign identifier records; private keys sealed with SM4 (identifier/signing). */
async function idSigningKeys(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('id_signing_keys')
    .addColumn('prefix', 'text', (c) => c.notNull())
    .addColumn('key_index', 'integer', (c) => c.notNull())
    .addColumn('public_key', 'text', (c) => c.notNull())
    .addColumn('private_sealed', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('retired_at', 'bigint')
    .addPrimaryKeyConstraint('id_signing_keys_pk', ['prefix', 'key_index'])
    .execute();
}

/**
 * Traceability: typed links between identifiers (product ⇄ component ⇄ batch ⇄ supplier) and lifecycle
 * events (design → production → service), one row per link as it was asserted on its `source`. An event
 * may have no target; a relation of another type is stored once (a partial unique index, the same on
 * SQLite and PostgreSQL).
 */
async function idLinks(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('id_links')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('target', 'text')
    .addColumn('stage', 'text')
    .addColumn('date', 'text')
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('tenant_id', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('id_links_source_idx').on('id_links').columns(['source', 'created_at']).execute();
  await db.schema.createIndex('id_links_target_idx').on('id_links').column('target').execute();
  await sql`CREATE UNIQUE INDEX id_links_relation_uq ON id_links (source, type, target) WHERE type <> 'event'`.execute(db);
}

/**
 * Alarms (issue 6): one row per occurrence; `active` is 1 while the condition holds, and a partial unique
 * index keeps at most one active alarm per device and rule, whichever worker or process raises it.
 */
async function alarms(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('alarms')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text')
    .addColumn('device_id', 'text', (c) => c.notNull())
    .addColumn('rule_id', 'text', (c) => c.notNull())
    .addColumn('rule_name', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull())
    .addColumn('raised_at', 'bigint', (c) => c.notNull())
    .addColumn('last_at', 'bigint', (c) => c.notNull())
    .addColumn('cleared_at', 'bigint')
    .addColumn('acked_at', 'bigint')
    .addColumn('acked_by', 'text')
    .addColumn('assignee', 'text')
    .addColumn('occurrences', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('value', 'text')
    .addColumn('reason', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  await sql`CREATE UNIQUE INDEX alarms_one_active ON alarms (device_id, rule_id) WHERE active = 1`.execute(db);
  await db.schema.createIndex('alarms_tenant_raised').on('alarms').columns(['tenant_id', 'raised_at']).execute();
  await db.schema.createIndex('alarms_device_raised').on('alarms').columns(['device_id', 'raised_at']).execute();
  await db.schema
    .createTable('alarm_comments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('alarm_id', 'text', (c) => c.notNull())
    .addColumn('ts', 'bigint', (c) => c.notNull())
    .addColumn('author', 'text')
    .addColumn('text', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('alarm_comments_alarm').on('alarm_comments').columns(['alarm_id', 'ts']).execute();
}

/**
 * Vibration (issue 6, item 7): accelerometer bursts (samples as Float32 little-endian bytes; the store keeps
 * the last N per device) and per-device diagnosis settings (bearing geometry, ISO 10816 zone limits).
 */
async function vibrationBursts(db: AnyDb, dialect: StoreDialect): Promise<void> {
  await db.schema
    .createTable('vibration_bursts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text')
    .addColumn('device_id', 'text', (c) => c.notNull())
    .addColumn('point', 'text', (c) => c.notNull())
    .addColumn('ts', 'bigint', (c) => c.notNull())
    .addColumn('sample_rate', 'double precision', (c) => c.notNull())
    .addColumn('shaft_rpm', 'double precision', (c) => c.notNull())
    .addColumn('unit', 'text', (c) => c.notNull())
    .addColumn('sample_count', 'integer', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('samples', dialect === 'postgres' ? 'bytea' : 'blob', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('vibration_bursts_device_ts').on('vibration_bursts').columns(['device_id', 'ts']).execute();
  await db.schema
    .createTable('vibration_settings')
    .addColumn('device_id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text')
    .addColumn('bearing', 'text')
    .addColumn('iso_zones', 'text')
    .addColumn('updated_by', 'text')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
}

/** Alarm rules (issue 6): a condition (JSON, analytics/rules) on one device, or on every device of the enterprise. */
async function alarmRules(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('alarm_rules')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('condition', 'text', (c) => c.notNull())
    .addColumn('for_seconds', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('device_id', 'text')
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('alarm_rules_tenant').on('alarm_rules').column('tenant_id').execute();
}

/**
 * Maintenance (issue 6): work orders (from an alarm, a prediction, an inspection, a schedule or by hand) with
 * their notes, and preventive schedules by calendar or run hours. A partial unique index makes a source's
 * work order unique (one per alarm, one per schedule due date), whichever process creates it.
 */
async function maintenance(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('work_orders')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text')
    .addColumn('device_id', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('source_ref', 'text')
    .addColumn('priority', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('assignee', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('due_at', 'bigint')
    .addColumn('started_at', 'bigint')
    .addColumn('completed_at', 'bigint')
    .addColumn('resolution', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('maintenance', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await sql`CREATE UNIQUE INDEX work_orders_source ON work_orders (source, source_ref) WHERE source_ref IS NOT NULL`.execute(db);
  await db.schema.createIndex('work_orders_tenant_status').on('work_orders').columns(['tenant_id', 'status', 'created_at']).execute();
  await db.schema.createIndex('work_orders_device').on('work_orders').columns(['device_id', 'created_at']).execute();
  await db.schema
    .createTable('work_order_notes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('work_order_id', 'text', (c) => c.notNull())
    .addColumn('ts', 'bigint', (c) => c.notNull())
    .addColumn('author', 'text')
    .addColumn('text', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('work_order_notes_order').on('work_order_notes').columns(['work_order_id', 'ts']).execute();
  await db.schema
    .createTable('maintenance_schedules')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text')
    .addColumn('device_id', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('every', 'double precision', (c) => c.notNull())
    .addColumn('run_hours_point', 'text')
    .addColumn('priority', 'text', (c) => c.notNull())
    .addColumn('assignee', 'text')
    .addColumn('lead', 'double precision', (c) => c.notNull().defaultTo(0))
    .addColumn('anchor_at', 'bigint', (c) => c.notNull())
    .addColumn('anchor_hours', 'double precision')
    .addColumn('next_due_at', 'bigint')
    .addColumn('next_due_hours', 'double precision')
    .addColumn('seq', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('maintenance_schedules_tenant').on('maintenance_schedules').column('tenant_id').execute();
}

/**
 * Device health (issue 6): remaining-useful-life models (the model file's text, checksummed), their
 * bindings to device profiles (model input ← point and aggregate, per cycle), and the periodic health
 * snapshots per device (index, components, RUL) that make its trend.
 */
async function deviceHealth(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('rul_models')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('file', 'text', (c) => c.notNull())
    .addColumn('training', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('rul_models_tenant').on('rul_models').column('tenant_id').execute();
  await db.schema
    .createTable('rul_bindings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text')
    .addColumn('profile_id', 'text', (c) => c.notNull())
    .addColumn('model_id', 'text', (c) => c.notNull())
    .addColumn('inputs', 'text', (c) => c.notNull())
    .addColumn('cycle_seconds', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('rul_bindings_profile').on('rul_bindings').column('profile_id').unique().execute();
  await db.schema
    .createTable('health_snapshots')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text')
    .addColumn('device_id', 'text', (c) => c.notNull())
    .addColumn('ts', 'bigint', (c) => c.notNull())
    .addColumn('health', 'integer', (c) => c.notNull())
    .addColumn('components', 'text', (c) => c.notNull())
    .addColumn('rul', 'double precision')
    .addColumn('rul_unit_seconds', 'integer')
    .addColumn('rul_cap', 'double precision')
    .addColumn('model_id', 'text')
    .execute();
  await db.schema.createIndex('health_snapshots_device_ts').on('health_snapshots').columns(['device_id', 'ts']).execute();
  await db.schema.createIndex('health_snapshots_tenant_ts').on('health_snapshots').columns(['tenant_id', 'ts']).execute();
}

/** Alarm rules of a device profile (issue 6): the rule watches every device of that profile. */
async function alarmRuleProfiles(db: AnyDb): Promise<void> {
  await db.schema.alterTable('alarm_rules').addColumn('profile_id', 'text').execute();
}
