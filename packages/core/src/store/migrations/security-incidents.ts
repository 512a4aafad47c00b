import type { Kysely } from 'kysely';

// Kysely<any> is how migrations are written: they must not depend on the current Database type.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

/**
 * Emergency management (应急管理, issue 7 item 5): incidents (real or drills) with their linked security
 * events (the event id is the key, so an event joins one incident once), an append-only timeline numbered
 * per incident, response tasks, evidence, the enterprises' own response plans, and number serials.
 */
export async function securityIncidents(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('security_incidents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text')
    .addColumn('number', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('level', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('techniques', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('sources', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('assets', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('group_key', 'text')
    .addColumn('event_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('first_event_at', 'bigint')
    .addColumn('last_event_at', 'bigint')
    .addColumn('opened_by', 'text')
    .addColumn('opened_at', 'bigint', (c) => c.notNull())
    .addColumn('owner', 'text')
    .addColumn('plan_id', 'text')
    .addColumn('plan_name', 'text')
    .addColumn('closure', 'text')
    .addColumn('resolved_at', 'bigint')
    .addColumn('closed_by', 'text')
    .addColumn('closed_at', 'bigint')
    .addColumn('timeline_seq', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('security_incidents_tenant_kind').on('security_incidents').columns(['tenant_id', 'kind', 'opened_at']).execute();
  await db.schema.createIndex('security_incidents_group').on('security_incidents').columns(['group_key', 'last_event_at']).execute();
  await db.schema
    .createTable('security_incident_events')
    .addColumn('event_id', 'text', (c) => c.primaryKey())
    .addColumn('incident_id', 'text', (c) => c.notNull())
    .addColumn('tenant_id', 'text')
    .addColumn('ts', 'bigint', (c) => c.notNull())
    .addColumn('rule_id', 'integer', (c) => c.notNull())
    .addColumn('level', 'integer', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('title_en', 'text', (c) => c.notNull())
    .addColumn('techniques', 'text', (c) => c.notNull())
    .addColumn('source_ip', 'text')
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addColumn('linked_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('security_incident_events_incident').on('security_incident_events').columns(['incident_id', 'ts']).execute();
  await db.schema
    .createTable('security_incident_timeline')
    .addColumn('incident_id', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('tenant_id', 'text')
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('actor', 'text')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('details', 'text', (c) => c.notNull().defaultTo('{}'))
    .addPrimaryKeyConstraint('security_incident_timeline_pk', ['incident_id', 'seq'])
    .execute();
  await db.schema
    .createTable('security_incident_tasks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('incident_id', 'text', (c) => c.notNull())
    .addColumn('tenant_id', 'text')
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('title_en', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('assignee', 'text')
    .addColumn('due_at', 'bigint')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('plan_id', 'text')
    .addColumn('started_at', 'bigint')
    .addColumn('finished_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('security_incident_tasks_incident').on('security_incident_tasks').columns(['incident_id', 'seq']).execute();
  await db.schema
    .createTable('security_incident_evidence')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('incident_id', 'text', (c) => c.notNull())
    .addColumn('tenant_id', 'text')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('url', 'text')
    .addColumn('file_name', 'text')
    .addColumn('file_size', 'bigint')
    .addColumn('sm3', 'text')
    .addColumn('content', 'text')
    .addColumn('added_by', 'text')
    .addColumn('added_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('security_incident_evidence_incident').on('security_incident_evidence').columns(['incident_id', 'added_at']).execute();
  await db.schema
    .createTable('security_response_plans')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('techniques', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('kinds', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('steps', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('security_incident_serials')
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('last', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('security_incident_serials_pk', ['scope', 'kind', 'year'])
    .execute();
}
