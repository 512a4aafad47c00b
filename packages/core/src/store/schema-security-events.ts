/** Epoch milliseconds (bigint columns; pg answers strings, so readers convert with Number). */
type EpochMs = number;

/** A security event raised by a detection rule (issue 7). */
export interface SecurityEventsTable {
  id: string;
  tenant_id: string | null;
  ts: EpochMs;
  rule_id: number;
  level: number;
  title: string;
  title_en: string;
  /** JSON: ATT&CK technique ids. */
  techniques: string;
  tactic: string | null;
  source_ip: string | null;
  source_port: number | null;
  target_ip: string | null;
  target_port: number | null;
  device_id: string | null;
  /** JSON: the observation(s) summarised. */
  details: string;
  count: number;
  group_key: string;
  status: string;
  /** JSON: the active response asked for, or null. */
  response: string | null;
  created_at: EpochMs;
}

/** One technique of a security event (for counts and filters). */
export interface SecurityEventTechniquesTable {
  event_id: string;
  technique: string;
  tenant_id: string | null;
  ts: EpochMs;
}

/** One learned communication of the baseline. */
export interface SecurityBaselineTable {
  /** tenant|protocol|source|target|unit|function. */
  id: string;
  tenant_id: string | null;
  protocol: string;
  source: string;
  target: string;
  unit: number;
  function: string;
  address_min: number | null;
  address_max: number | null;
  first_seen: EpochMs;
  last_seen: EpochMs;
  count: number;
}

/** A tenant's baseline mode. */
export interface SecurityBaselineModesTable {
  /** The tenant id, or '*' for platform-wide traffic. */
  tenant_key: string;
  tenant_id: string | null;
  mode: string;
  learning_since: EpochMs | null;
  updated_at: EpochMs;
  updated_by: string | null;
}

/** A source blocked at the guards (active response or by hand) until a time; kept so a restart does not lift it. */
export interface SecurityBlocksTable {
  ip: string;
  until: EpochMs;
  reason: string;
  blocked_by: string;
  event_id: string | null;
  tenant_id: string | null;
  created_at: EpochMs;
}
