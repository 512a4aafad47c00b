import type { Generated } from 'kysely';
import type { InspectionPlansTable, InspectionRecordsTable, InspectionRoutesTable, InspectionStandardsTable, InspectionTasksTable } from './schema-inspection.js';
import type { AuditChainHeadTable, DataKeysTable } from './schema-crypto.js';
import type { DataAccessLogTable, DataClassificationHistoryTable, DataClassificationsTable, DataExportRequestsTable, DataLevelGrantsTable, TelemetrySealedTable } from './schema-data-classification.js';
import type { SecurityNoticeKeysTable, SecurityNoticeRecipientsTable, SecurityNoticeRemindersTable, SecurityNoticesTable } from './schema-security-notices.js';
import type { SecurityBaselineModesTable, SecurityBaselineTable, SecurityBlocksTable, SecurityEventTechniquesTable, SecurityEventsTable } from './schema-security-events.js';
import type { SecurityIncidentEventsTable, SecurityIncidentEvidenceTable, SecurityIncidentSerialsTable, SecurityIncidentTasksTable, SecurityIncidentTimelineTable, SecurityIncidentsTable, SecurityResponsePlansTable } from './schema-security-incidents.js';
import type { SecurityAssessmentsTable, SecurityGradesTable, SecurityInspectionItemsTable, SecurityInspectionsTable, SecurityRectificationsTable } from './schema-security-grading.js';
import type { SecurityAssetsTable, SecurityProtectionObjectsTable } from './schema-security-assets.js';

/** Timestamps are epoch milliseconds in BIGINT/INTEGER columns on both SQLite and PostgreSQL. */
export type EpochMs = number;

export interface SettingsTable {
  key: string;
  value: string;
}

export interface TenantsTable {
  id: string;
  name: string;
  code: string;
  district: string;
  industry: string;
  created_at: EpochMs;
  updated_at: EpochMs;
}

export interface UsersTable {
  id: string;
  tenant_id: string | null;
  username: string;
  display_name: string;
  role: string;
  password_hash: string;
  /** 0 or 1: portable across SQLite and PostgreSQL. */
  disabled: number;
  failed_logins: number;
  locked_until: EpochMs | null;
  /** Session tokens issued before this instant are void (password change, disable). */
  tokens_valid_after: EpochMs;
  created_at: EpochMs;
  updated_at: EpochMs;
  last_login_at: EpochMs | null;
}

export interface ApiTokensTable {
  id: string;
  user_id: string;
  tenant_id: string | null;
  name: string;
  token_hash: string;
  prefix: string;
  created_at: EpochMs;
  expires_at: EpochMs | null;
  last_used_at: EpochMs | null;
  revoked_at: EpochMs | null;
}

export interface RevokedTokensTable {
  jti: string;
  expires_at: EpochMs;
}

export interface AuditLogTable {
  id: Generated<number>;
  ts: EpochMs;
  tenant_id: string | null;
  actor: string | null;
  action: string;
  target: string | null;
  ip: string | null;
  outcome: string;
  /** JSON text. */
  details: string;
  /** Position in the audit chain: 1, 2, 3 … without gaps (migration 0022). */
  seq: number;
  /** SM3 hex of the previous entry (64 zeros for the first). */
  prev_hash: string;
  /** SM3 hex over this entry's fields and prev_hash (identity/audit-chain-hash.ts). */
  hash: string;
  hash_version: number;
}

/** A read-only view of raw samples with their device and point names (for people and tests). */
export interface TelemetryRawTable {
  tenant_id: string | null;
  device: string;
  point: string;
  ts: EpochMs;
  /** Numbers and booleans (1/0); null for text or missing values. */
  value_num: number | null;
  value_text: string | null;
  quality: string;
  reason: string | null;
}

/** One time series: a point of a device, with the enterprise that owns it. */
export interface TelemetrySeriesTable {
  id: Generated<number>;
  tenant_id: string | null;
  device: string;
  point: string;
  created_at: EpochMs;
}

/** Raw samples, unique per (series, source timestamp). */
export interface TelemetrySamplesTable {
  series_id: number;
  ts: EpochMs;
  /** Numbers and booleans (1/0); null for text or missing values. */
  value: number | null;
  text: string | null;
  /** 0 good, 1 uncertain, 2 bad. */
  quality: number;
  reason: string | null;
}

/** A rollup bucket (1 minute or 1 hour) of a series' good and uncertain numeric samples. */
export interface TelemetryRollupTable {
  series_id: number;
  /** Bucket start, epoch ms. */
  bucket: EpochMs;
  count: number;
  sum: number;
  min: number;
  max: number;
  first_ts: EpochMs;
  first: number;
  last_ts: EpochMs;
  last: number;
}

/** A bucket with raw samples stored but not yet rolled up, per writer process. */
export interface TelemetryDirtyTable {
  tier: string;
  bucket: EpochMs;
  writer: string;
  stored_at: EpochMs;
}

/** A telemetry writer process and when it was last seen (its heartbeat). */
export interface TelemetryWritersTable {
  writer: string;
  seen_at: EpochMs;
}

/** An identifier record: its Handle values as on the wire (u32 count + values). */
export interface IdHandlesTable {
  handle: string;
  vals: Buffer;
  updated_at: EpochMs;
}

/** A prefix allocated (or applied for) under this node: an enterprise prefix, or a secondary node's. */
export interface IdPrefixesTable {
  prefix: string;
  parent: string;
  kind: string;
  tenant_id: string | null;
  state: string;
  org_name: Generated<string>;
  credit_code: Generated<string>;
  contact: Generated<string>;
  applicant: string | null;
  reviewer: string | null;
  review_reason: Generated<string>;
  /** JSON of the HS_SITE the prefix is delegated to (its own node), or null when this node holds its records. */
  site: string | null;
  quota: number | null;
  created_at: EpochMs;
  updated_at: EpochMs;
}

/** Every table the store knows, for Kysely. */
/** A gateway registered with the platform. */
export interface GatewaysTable {
  id: string;
  tenant_id: string | null;
  name: string;
  token_hash: string | null;
  token_prefix: string | null;
  config_version: number;
  created_at: EpochMs;
  updated_at: EpochMs;
  last_seen: EpochMs | null;
  /** The last status the gateway reported, as JSON. */
  status: string | null;
}

/** A device's configuration, pushed down to its gateway (or discovered by it). */
export interface DevicesTable {
  id: string;
  tenant_id: string | null;
  gateway_id: string;
  name: string;
  protocol: string;
  /** `configured` (by a user or the platform) or `discovered` (a Sparkplug BIRTH). */
  source: string;
  /** The driver configuration as JSON. */
  config: string;
  created_at: EpochMs;
  updated_at: EpochMs;
}

/** A command sent to a device point (remote control), with its outcome. */
export interface DeviceCommandsTable {
  id: string;
  tenant_id: string | null;
  device: string;
  gateway_id: string;
  point: string;
  /** The named action it came from, or null for a direct point write. */
  action: string | null;
  /** The value written, as JSON. */
  value: string;
  requested_by: string;
  ip: string | null;
  /** `pending`, `succeeded`, `failed` or `timeout`. */
  status: string;
  reason: string | null;
  /** The value read back, as JSON, or null. */
  read_back: string | null;
  /** 1 when the read-back carried the value written. */
  verified: number;
  created_at: EpochMs;
  finished_at: EpochMs | null;
}

/** A console dashboard of a tenant (null: the platform's own). */
export interface DashboardsTable {
  id: string;
  tenant_id: string | null;
  name: string;
  /** The widgets' layout as JSON (validated by the contracts' dashboard layout schema). */
  layout: string;
  created_by: string;
  updated_by: string;
  created_at: EpochMs;
  updated_at: EpochMs;
}

/** A stored file (device document, floor plan image): the bytes live in the database so every API node can serve them. */
export interface FilesTable {
  id: string;
  tenant_id: string | null;
  /** `device_document` or `site_plan`. */
  owner_kind: string;
  /** The device asset uid or the asset node id the file belongs to. */
  owner_id: string;
  name: string;
  /** `manual`, `certificate`, `drawing`, `report`, `plan` or `other`. */
  category: string;
  content_type: string;
  size: number;
  sha256: string;
  data: Buffer;
  created_by: string | null;
  created_at: EpochMs;
}

/** A site, workshop or line of an enterprise's asset tree. */
export interface AssetNodesTable {
  id: string;
  tenant_id: string;
  parent_id: string | null;
  /** `site`, `workshop` or `line`. */
  kind: string;
  /** Unique per enterprise; CSV imports name sites and areas by it. */
  code: string;
  name: string;
  description: string;
  lat: number | null;
  lon: number | null;
  /** `none`, `image` (plan_file_id) or `grid` (plan_rows × plan_cols); sites only. */
  plan_kind: string;
  plan_file_id: string | null;
  plan_rows: number | null;
  plan_cols: number | null;
  created_at: EpochMs;
  updated_at: EpochMs;
}

/** A device profile: a template of points and defaults that devices are created from. */
export interface DeviceProfilesTable {
  id: string;
  tenant_id: string | null;
  name: string;
  description: string;
  protocol: string;
  manufacturer: string;
  model: string;
  /** JSON: per-protocol connection defaults (port, unitId, pollIntervalMs …). */
  defaults: string;
  /** JSON: point templates (contracts' pointSchema). */
  points: string;
  /** JSON: the data class of points that set none, or null. */
  data_class: string | null;
  created_at: EpochMs;
  updated_at: EpochMs;
}

/** A device's asset record: placement, lifecycle state and its stable identifier `uid`. */
export interface DeviceAssetsTable {
  uid: string;
  tenant_id: string | null;
  device_id: string;
  name: string;
  site_id: string | null;
  area_id: string | null;
  /** Position on the site's floor plan, 0..1 fractions of its width and height. */
  x: number | null;
  y: number | null;
  lat: number | null;
  lon: number | null;
  lifecycle: string;
  lifecycle_since: EpochMs;
  profile_id: string | null;
  serial: string;
  model: string;
  manufacturer: string;
  created_at: EpochMs;
  updated_at: EpochMs;
}

/** One entry of a device's history: a lifecycle transition, and later maintenance work orders. */
export interface DeviceHistoryTable {
  id: string;
  tenant_id: string | null;
  device_id: string;
  ts: EpochMs;
  /** `lifecycle`, `created`, and later `work_order`, `maintenance` … */
  kind: string;
  actor: string | null;
  from_state: string | null;
  to_state: string | null;
  reason: string;
  /** JSON text. */
  details: string;
}

export interface Database {
  settings: SettingsTable;
  tenants: TenantsTable;
  users: UsersTable;
  api_tokens: ApiTokensTable;
  revoked_tokens: RevokedTokensTable;
  audit_log: AuditLogTable;
  audit_chain_head: AuditChainHeadTable;
  data_keys: DataKeysTable;
  telemetry_raw: TelemetryRawTable;
  telemetry_series: TelemetrySeriesTable;
  telemetry_samples: TelemetrySamplesTable;
  telemetry_1m: TelemetryRollupTable;
  telemetry_1h: TelemetryRollupTable;
  telemetry_dirty: TelemetryDirtyTable;
  telemetry_writers: TelemetryWritersTable;
  id_handles: IdHandlesTable;
  id_prefixes: IdPrefixesTable;
  gateways: GatewaysTable;
  devices: DevicesTable;
  device_commands: DeviceCommandsTable;
  files: FilesTable;
  asset_nodes: AssetNodesTable;
  device_profiles: DeviceProfilesTable;
  device_assets: DeviceAssetsTable;
  device_history: DeviceHistoryTable;
  dashboards: DashboardsTable;
  id_bulk_jobs: IdBulkJobsTable;
  id_bulk_job_errors: IdBulkJobErrorsTable;
  id_stats: IdStatsTable;
  id_stat_nodes: IdStatNodesTable;
  id_links: IdLinksTable;
  id_signing_keys: IdSigningKeysTable;
  alarms: AlarmsTable;
  alarm_comments: AlarmCommentsTable;
  alarm_rules: AlarmRulesTable;
  rul_models: RulModelsTable;
  rul_bindings: RulBindingsTable;
  health_snapshots: HealthSnapshotsTable;
  alarm_events: AlarmEventsTable;
  notification_channels: NotificationChannelsTable;
  notification_subscriptions: NotificationSubscriptionsTable;
  notification_deliveries: NotificationDeliveriesTable;
  work_orders: WorkOrdersTable;
  work_order_notes: WorkOrderNotesTable;
  maintenance_schedules: MaintenanceSchedulesTable;
  vibration_bursts: VibrationBurstsTable;
  vibration_settings: VibrationSettingsTable;
  inspection_standards: InspectionStandardsTable;
  inspection_routes: InspectionRoutesTable;
  inspection_plans: InspectionPlansTable;
  inspection_tasks: InspectionTasksTable;
  inspection_records: InspectionRecordsTable;
  security_notices: SecurityNoticesTable;
  security_notice_recipients: SecurityNoticeRecipientsTable;
  security_notice_reminders: SecurityNoticeRemindersTable;
  security_notice_keys: SecurityNoticeKeysTable;
  security_events: SecurityEventsTable;
  security_event_techniques: SecurityEventTechniquesTable;
  security_baseline: SecurityBaselineTable;
  security_baseline_modes: SecurityBaselineModesTable;
  security_incidents: SecurityIncidentsTable;
  security_incident_events: SecurityIncidentEventsTable;
  security_incident_timeline: SecurityIncidentTimelineTable;
  security_incident_tasks: SecurityIncidentTasksTable;
  security_incident_evidence: SecurityIncidentEvidenceTable;
  security_response_plans: SecurityResponsePlansTable;
  security_incident_serials: SecurityIncidentSerialsTable;
  data_classifications: DataClassificationsTable;
  data_classification_history: DataClassificationHistoryTable;
  data_level_grants: DataLevelGrantsTable;
  telemetry_sealed: TelemetrySealedTable;
  data_export_requests: DataExportRequestsTable;
  data_access_log: DataAccessLogTable;
  security_assessments: SecurityAssessmentsTable;
  security_grades: SecurityGradesTable;
  security_inspections: SecurityInspectionsTable;
  security_inspection_items: SecurityInspectionItemsTable;
  security_rectifications: SecurityRectificationsTable;
  security_assets: SecurityAssetsTable;
  security_blocks: SecurityBlocksTable;
  security_protection_objects: SecurityProtectionObjectsTable;
}

/** An accelerometer burst (issue 6, item 7). */
export interface VibrationBurstsTable {
  id: string;
  tenant_id: string | null;
  device_id: string;
  /** The measuring point (sensor), e.g. `motor-de`. */
  point: string;
  ts: EpochMs;
  sample_rate: number;
  shaft_rpm: number;
  /** `g` or `m/s2`. */
  unit: string;
  sample_count: number;
  /** `sim` (the virtual factory) or `api` (POSTed by a gateway). */
  source: string;
  /** Float32 little-endian samples. */
  samples: Buffer;
  created_at: EpochMs;
}

/** Per-device vibration diagnosis settings. */
export interface VibrationSettingsTable {
  device_id: string;
  tenant_id: string | null;
  /** JSON BearingGeometry, or null: no bearing defect search. */
  bearing: string | null;
  /** JSON [A/B, B/C, C/D] mm/s, or null: ISO 10816-3 group 2 rigid. */
  iso_zones: string | null;
  updated_by: string | null;
  updated_at: EpochMs;
}

/** A bulk identifier registration job and its progress (committed with each batch of records). */
export interface IdBulkJobsTable {
  id: string;
  tenant_id: string | null;
  prefix: string;
  /** Template id (`product`, `device`). */
  template: string;
  /** `csv` or `jsonl`. */
  format: string;
  /** Path of the uploaded file. */
  file: string;
  /** JSON array of the CSV header's columns, once read; null for JSONL and before the first batch. */
  columns: string | null;
  /** `queued`, `running`, `done`, `failed`. */
  state: string;
  reason: Generated<string>;
  total_bytes: number;
  /** Byte offset of the first row not yet committed. */
  next_offset: Generated<number>;
  /** Its line number (the header is line 1). */
  next_line: Generated<number>;
  rows_done: Generated<number>;
  inserted: Generated<number>;
  failed: Generated<number>;
  errors_total: Generated<number>;
  errors_stored: Generated<number>;
  /** Time spent processing, summed over runs (for the rate). */
  elapsed_ms: Generated<number>;
  created_by: string | null;
  created_at: EpochMs;
  started_at: EpochMs | null;
  updated_at: EpochMs;
  finished_at: EpochMs | null;
}

/** A problem of one row of a bulk job (at most a bounded number per job are kept). */
export interface IdBulkJobErrorsTable {
  job_id: string;
  /** Position among the job's stored errors, from 0. */
  seq: number;
  /** Line of the file the row starts on (the header is line 1). */
  line: number;
  /** The column or field at fault, or null for the whole row. */
  field: string | null;
  code: string;
  message: string;
}

/** Registrations and resolutions of one node, prefix and UTC day (added to by each flush of its counters). */
export interface IdStatsTable {
  /** The node's id: its prefix (`88.100`), or `recursive` / `recursive:<name>`. */
  node: string;
  /** The identifiers' prefix, `(other)` beyond the bound of distinct prefixes, `(invalid)` for invalid identifiers. */
  prefix: string;
  /** UTC day, `YYYY-MM-DD`. */
  day: string;
  registrations: Generated<number>;
  resolutions: Generated<number>;
  resolved: Generated<number>;
  not_found: Generated<number>;
  invalid: Generated<number>;
  updated_at: EpochMs;
}

/** A node whose statistics a store holds: counted by this platform, or reported by a child node. */
export interface IdStatNodesTable {
  node: string;
  /** `top`, `secondary`, `enterprise`, `recursive`. */
  role: string;
  /** The node it reports to, when known. */
  parent: string | null;
  /** `local` (counted into this store) or `report` (totals reported by the node). */
  source: string;
  /** Enterprises with an approved prefix at a reporting node (its own count), else null. */
  enterprises: number | null;
  /** Its last flush or report. */
  seen_at: EpochMs;
}

/** An SM2 key signing the records under a prefix; its public half is the HS_PUBKEY at `key_index` of `0.NA/<prefix>`. */
export interface IdSigningKeysTable {
  prefix: string;
  key_index: number;
  /** 65-byte uncompressed point, hex. */
  public_key: string;
  /** The private key sealed with SM4 (core sm4Seal) under the platform's key-encryption key, base64. */
  private_sealed: string;
  /** `active` (signs new writes; one per prefix) or `retired` (published, still verifies old signatures). */
  state: string;
  created_at: EpochMs;
  retired_at: EpochMs | null;
}

/** A typed link between identifiers, or a lifecycle event of one (identifier/trace). */
export interface IdLinksTable {
  id: string;
  /** The identifier the link was asserted on (normalised); its record carries the link as a `YL.link` value. */
  source: string;
  /** `component-of`, `has-component`, `in-batch`, `batch-of`, `supplied-by`, `supplies`, `event`. */
  type: string;
  /** The other identifier; null only for an event that names none. */
  target: string | null;
  /** An event's stage: `design`, `production`, `service`; null for other links. */
  stage: string | null;
  /** `YYYY-MM-DD`, required for an event. */
  date: string | null;
  note: Generated<string>;
  /** The enterprise of whoever created it (null: platform staff). */
  tenant_id: string | null;
  created_by: string | null;
  created_at: EpochMs;
}

/** An alarm occurrence: raised by a rule on a device, acknowledged and cleared (issue 6). */
export interface AlarmsTable {
  id: string;
  tenant_id: string | null;
  device_id: string;
  rule_id: string;
  rule_name: string;
  /** critical, major, minor, warning. */
  severity: string;
  /** active_unack, active_ack, cleared_unack, cleared_ack. */
  state: string;
  /** 1 while active (at most one active row per device and rule: a partial unique index). */
  active: number;
  raised_at: EpochMs;
  /** The latest raise while it stayed active. */
  last_at: EpochMs;
  cleared_at: EpochMs | null;
  acked_at: EpochMs | null;
  acked_by: string | null;
  assignee: string | null;
  /** Raises folded into this occurrence while it was active (duplicates are counted, not stored). */
  occurrences: Generated<number>;
  /** The point's value that raised it, as JSON. */
  value: string | null;
  reason: Generated<string>;
  /** Shelved (ISA-18.2) until then: it notifies nobody and is hidden from the default list. */
  shelved_until: EpochMs | null;
  shelved_by: string | null;
  shelve_reason: string | null;
  /** 1 when raised while its device was under maintenance: recorded, notifies nobody. */
  suppressed: Generated<number>;
  /** When it escalated (once), unacknowledged past its rule's escalation time. */
  escalated_at: EpochMs | null;
}

/** The alarm outbox: one row per alarm transition, written in the transaction of the change (issue 6). */
export interface AlarmEventsTable {
  id: string;
  tenant_id: string | null;
  alarm_id: string;
  device_id: string;
  rule_id: string;
  /** raised, cleared, acknowledged, assigned, escalated, shelved, unshelved. */
  kind: string;
  severity: string;
  at: EpochMs;
  actor: string | null;
  /** Why it notifies nobody (`suppressed`, `shelved`), or null. */
  quiet: string | null;
  /** JSON: the alarm as it was then, and kind-specific details. */
  details: Generated<string>;
  /** When the dispatcher fanned it out to deliveries (null: not yet). */
  dispatched_at: EpochMs | null;
  /** What the dispatcher decided: notified, quiet, rate-limited, no-recipients. */
  outcome: string | null;
}

/** A notification channel of an enterprise: webhook, email (SMTP), WeCom or DingTalk robot. */
export interface NotificationChannelsTable {
  id: string;
  tenant_id: string | null;
  name: string;
  kind: string;
  /** JSON of the kind's settings (URL, secret, SMTP host …). */
  config: string;
  enabled: Generated<number>;
  created_by: string | null;
  created_at: EpochMs;
  updated_at: EpochMs;
}

/** A user's subscription: alarms of these severities and sites through this channel. */
export interface NotificationSubscriptionsTable {
  id: string;
  tenant_id: string | null;
  username: string;
  channel_id: string;
  /** JSON array of severities. */
  severities: string;
  /** JSON array of site ids (asset nodes); empty: every site. */
  sites: string;
  /** The email address (email channels). */
  address: string | null;
  enabled: Generated<number>;
  created_at: EpochMs;
}

/** One message to one recipient through one channel, retried until sent or dead-lettered. */
export interface NotificationDeliveriesTable {
  id: string;
  tenant_id: string | null;
  event_id: string;
  channel_id: string;
  /** The address it goes to (an email address, or the channel for group robots and webhooks). */
  recipient: string;
  username: string | null;
  address: string | null;
  /** alarm, flood (a flood summary), test. */
  kind: string;
  /** pending, sent, dead, flooded (held back by flood control). */
  status: string;
  attempts: Generated<number>;
  next_at: EpochMs;
  /** A sender holds it until then (so two processes never send it at once). */
  lease_until: EpochMs | null;
  last_error: string | null;
  /** JSON: title, text and the event it tells of. */
  message: string;
  created_at: EpochMs;
  sent_at: EpochMs | null;
}

/** A comment on an alarm. */
export interface AlarmCommentsTable {
  id: string;
  alarm_id: string;
  ts: EpochMs;
  author: string | null;
  text: string;
}

/** An alarm rule: its condition as JSON (analytics `RuleCondition`). */
export interface AlarmRulesTable {
  id: string;
  tenant_id: string | null;
  name: string;
  severity: string;
  condition: string;
  for_seconds: Generated<number>;
  /** The device it watches; null: every device of the enterprise. */
  device_id: string | null;
  /** The device profile it watches (every device of it); null with device_id null: every device of the enterprise. */
  profile_id: string | null;
  enabled: Generated<number>;
  created_by: string | null;
  created_at: EpochMs;
  updated_at: EpochMs;
  /** JSON `{afterMinutes, roles, users}`, or null: no escalation. */
  escalation: string | null;
}

/** A maintenance work order (issue 6). */
export interface WorkOrdersTable {
  id: string;
  tenant_id: string | null;
  device_id: string;
  title: string;
  description: Generated<string>;
  /** alarm, prediction, inspection, schedule, manual. */
  source: string;
  /** The alarm, prediction, inspection record or schedule due (`<schedule>#<n>`) it came from: unique per source. */
  source_ref: string | null;
  /** urgent, high, normal, low. */
  priority: string;
  /** open, in_progress, done, cancelled. */
  status: string;
  assignee: string | null;
  created_by: string | null;
  created_at: EpochMs;
  updated_at: EpochMs;
  due_at: EpochMs | null;
  started_at: EpochMs | null;
  completed_at: EpochMs | null;
  resolution: Generated<string>;
  /** 1 when starting it put the device under maintenance (completing it returns the device to service). */
  maintenance: Generated<number>;
}

/** A note on a work order. */
export interface WorkOrderNotesTable {
  id: string;
  work_order_id: string;
  ts: EpochMs;
  author: string | null;
  text: string;
}

/** A preventive maintenance schedule: every N days (calendar) or every N run hours of a counter point. */
export interface MaintenanceSchedulesTable {
  id: string;
  tenant_id: string | null;
  device_id: string;
  title: string;
  description: Generated<string>;
  /** calendar or run_hours. */
  kind: string;
  /** Days (calendar) or hours (run_hours) between services. */
  every: number;
  /** The device's run-hour counter point (run_hours). */
  run_hours_point: string | null;
  priority: string;
  assignee: string | null;
  /** Days (calendar) or hours (run_hours) before the due point that the work order is issued. */
  lead: Generated<number>;
  /** When the interval starts counting: creation or the last completed service. */
  anchor_at: EpochMs;
  /** The counter at the last service (run_hours; null until first read). */
  anchor_hours: number | null;
  next_due_at: EpochMs | null;
  next_due_hours: number | null;
  /** How many work orders it has issued (the due number of the next one is seq + 1). */
  seq: Generated<number>;
  enabled: Generated<number>;
  created_by: string | null;
  created_at: EpochMs;
  updated_at: EpochMs;
}

/** A remaining-useful-life model of an enterprise (null: the platform's): the model file as uploaded or trained. */
export interface RulModelsTable {
  id: string;
  tenant_id: string | null;
  name: string;
  description: string;
  /** The model file's text (analytics `serializeRulModel`), checked again on every load. */
  file: string;
  /** JSON: the model's training record. */
  training: string;
  created_by: string | null;
  created_at: EpochMs;
}

/** A model applied to a device profile: which point (and aggregate) feeds each model input, per cycle. */
export interface RulBindingsTable {
  id: string;
  tenant_id: string | null;
  profile_id: string;
  model_id: string;
  /** JSON: analytics `RulInputMapping[]`. */
  inputs: string;
  /** Seconds per model cycle (the bucket width the inputs are aggregated over). */
  cycle_seconds: number;
  created_by: string | null;
  created_at: EpochMs;
}

/** One periodic health assessment of a device: index 0–100, its components, and the RUL when a model applies. */
export interface HealthSnapshotsTable {
  id: string;
  tenant_id: string | null;
  device_id: string;
  ts: EpochMs;
  health: number;
  /** JSON: analytics `HealthComponent[]`. */
  components: string;
  /** Remaining useful life in model cycles, or null. */
  rul: number | null;
  rul_unit_seconds: number | null;
  /** The model's cap: a RUL at the cap means "at least this". */
  rul_cap: number | null;
  model_id: string | null;
}

export type { InspectionPlansTable, InspectionRecordsTable, InspectionRoutesTable, InspectionStandardsTable, InspectionTasksTable } from './schema-inspection.js';
export type { AuditChainHeadTable, DataKeysTable } from './schema-crypto.js';
export type { DataAccessLogTable, DataClassificationHistoryTable, DataClassificationsTable, DataExportRequestsTable, DataLevelGrantsTable, TelemetrySealedTable } from './schema-data-classification.js';
export type { SecurityNoticeKeysTable, SecurityNoticeRecipientsTable, SecurityNoticeRemindersTable, SecurityNoticesTable } from './schema-security-notices.js';
export type { SecurityBaselineModesTable, SecurityBaselineTable, SecurityBlocksTable, SecurityEventTechniquesTable, SecurityEventsTable } from './schema-security-events.js';
export type { SecurityIncidentEventsTable, SecurityIncidentEvidenceTable, SecurityIncidentSerialsTable, SecurityIncidentTasksTable, SecurityIncidentTimelineTable, SecurityIncidentsTable, SecurityResponsePlansTable } from './schema-security-incidents.js';
export type { SecurityAssessmentsTable, SecurityGradesTable, SecurityInspectionItemsTable, SecurityInspectionsTable, SecurityRectificationsTable } from './schema-security-grading.js';
export type { SecurityAssetsTable, SecurityProtectionObjectsTable } from './schema-security-assets.js';
