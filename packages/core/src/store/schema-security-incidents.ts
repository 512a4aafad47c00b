/** Epoch milliseconds (bigint columns; pg answers strings, so readers convert with Number). */
type EpochMs = number;

/** A security incident (应急事件, issue 7 item 5): a real one or a drill (演练). */
export interface SecurityIncidentsTable {
  id: string;
  tenant_id: string | null;
  /** INC-2026-0001 (real) or DRL-2026-0001 (drill), per enterprise and year. */
  number: string;
  title: string;
  description: string;
  /** critical | high | medium | low */
  severity: string;
  /** The highest security event level linked (0 when opened by hand without events). */
  level: number;
  /** open | investigating | contained | resolved | closed */
  status: string;
  /** real | drill */
  kind: string;
  /** JSON string arrays. */
  techniques: string;
  sources: string;
  assets: string;
  /** tenant|first technique|source ip of an incident opened from events (null: by hand). */
  group_key: string | null;
  event_count: number;
  first_event_at: EpochMs | null;
  last_event_at: EpochMs | null;
  /** null: opened automatically from a security event. */
  opened_by: string | null;
  opened_at: EpochMs;
  owner: string | null;
  plan_id: string | null;
  plan_name: string | null;
  /** JSON {summary, rootCause, actions, lessons} once closed. */
  closure: string | null;
  resolved_at: EpochMs | null;
  closed_by: string | null;
  closed_at: EpochMs | null;
  /** The last timeline entry's sequence number (entries count up from 1). */
  timeline_seq: number;
  updated_at: EpochMs;
}

/** A security event linked to an incident: one incident per event (the event id is the key). */
export interface SecurityIncidentEventsTable {
  event_id: string;
  incident_id: string;
  tenant_id: string | null;
  ts: EpochMs;
  rule_id: number;
  level: number;
  title: string;
  title_en: string;
  /** JSON string array. */
  techniques: string;
  source_ip: string | null;
  /** JSON {ip, port, deviceId}. */
  target: string;
  count: number;
  linked_at: EpochMs;
}

/** One line of an incident's timeline; append-only. */
export interface SecurityIncidentTimelineTable {
  incident_id: string;
  seq: number;
  tenant_id: string | null;
  at: EpochMs;
  actor: string | null;
  kind: string;
  text: string;
  /** JSON object. */
  details: string;
}

/** A response task: from a plan's step or added by hand. */
export interface SecurityIncidentTasksTable {
  id: string;
  incident_id: string;
  tenant_id: string | null;
  seq: number;
  title: string;
  title_en: string;
  role: string;
  assignee: string | null;
  due_at: EpochMs | null;
  /** todo | doing | done | skipped */
  status: string;
  note: string;
  plan_id: string | null;
  started_at: EpochMs | null;
  finished_at: EpochMs | null;
  created_at: EpochMs;
  updated_at: EpochMs;
}

/** Evidence kept on an incident: a text, a link, or a file (bytes kept when small; its SM3 always). */
export interface SecurityIncidentEvidenceTable {
  id: string;
  incident_id: string;
  tenant_id: string | null;
  /** text | link | file */
  kind: string;
  title: string;
  text: string;
  url: string | null;
  file_name: string | null;
  file_size: number | null;
  /** SM3 of the file's bytes, hex. */
  sm3: string | null;
  /** The file's bytes, base64, when uploaded (null: only the hash was recorded). */
  content: string | null;
  added_by: string | null;
  added_at: EpochMs;
}

/** A response plan (应急预案) an enterprise wrote; the built-in ones live in code. */
export interface SecurityResponsePlansTable {
  id: string;
  tenant_id: string | null;
  name: string;
  name_en: string;
  description: string;
  /** JSON string arrays: ATT&CK technique ids, incident kinds. */
  techniques: string;
  kinds: string;
  /** JSON [{title, titleEn, role, dueMinutes}]. */
  steps: string;
  created_by: string | null;
  created_at: EpochMs;
  updated_at: EpochMs;
}

/** Incident number serials per enterprise (or '' for the platform), kind and year. */
export interface SecurityIncidentSerialsTable {
  scope: string;
  kind: string;
  year: number;
  last: number;
}
