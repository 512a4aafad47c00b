/** Epoch milliseconds (bigint columns; pg answers strings, so readers convert with Number). */
type EpochMs = number;

/** The category and level recorded for a point or dataset (migration 0028). */
export interface DataClassificationsTable {
  /** '' for platform-wide datasets. */
  tenant_id: string;
  /** `point:<device>/<point>` or `dataset:<name>`. */
  subject: string;
  /** point | dataset */
  kind: string;
  device: string | null;
  point: string | null;
  dataset: string | null;
  /** A catalogue code, e.g. `production.process` (contracts `dataCatalogue`). */
  category: string;
  /** 1 | 2 | 3 */
  level: number;
  /** Why it differs from the default (required then). */
  reason: string | null;
  set_by: string | null;
  set_at: EpochMs;
}

/** Every classification change, with what it replaced. */
export interface DataClassificationHistoryTable {
  id: string;
  tenant_id: string;
  subject: string;
  category: string;
  level: number;
  previous_category: string | null;
  previous_level: number | null;
  reason: string | null;
  set_by: string | null;
  set_at: EpochMs;
}

/** A user allowed to read level-3 data beyond their role. */
export interface DataLevelGrantsTable {
  tenant_id: string;
  user_id: string;
  username: string;
  reason: string;
  granted_by: string | null;
  granted_at: EpochMs;
}

/** A level-3 telemetry sample, its value sealed with SM4 (never stored as a number). */
export interface TelemetrySealedTable {
  tenant_id: string | null;
  device: string;
  point: string;
  ts: EpochMs;
  received_ts: EpochMs;
  quality: string;
  /** The sealed JSON `{v, r?}` (value and reason). */
  envelope: string;
}

/** A request to export a level-2/3 dataset, and its approval. */
export interface DataExportRequestsTable {
  id: string;
  tenant_id: string | null;
  dataset: string;
  /** JSON: the export query (device, points, from, to, tier). */
  query: string;
  category: string;
  level: number;
  purpose: string;
  requested_by: string;
  requester_id: string;
  requested_at: EpochMs;
  /** pending | approved | rejected */
  status: string;
  decided_by: string | null;
  decided_at: EpochMs | null;
  decision_note: string | null;
  expires_at: EpochMs | null;
  downloads: number;
  last_download_at: EpochMs | null;
  /** SM3 hex of the last watermarked download. */
  last_digest: string | null;
}

/** One read or export of a classified dataset (the access report reads these). */
export interface DataAccessLogTable {
  id: string;
  tenant_id: string | null;
  dataset: string;
  actor: string;
  role: string;
  /** read | export | denied */
  action: string;
  /** success | failure */
  outcome: string;
  rows: number;
  level: number;
  request_id: string | null;
  at: EpochMs;
  /** JSON text. */
  details: string;
}
