/** Epoch milliseconds (bigint columns; pg answers strings, so readers convert with Number). */
type EpochMs = number;

/** An inspection standard of a device profile (issue 6, item 9). */
export interface InspectionStandardsTable {
  id: string;
  tenant_id: string | null;
  profile_id: string;
  name: string;
  /** JSON: contracts `InspectionItem[]`. */
  items: string;
  created_by: string | null;
  created_at: EpochMs;
  updated_at: EpochMs;
}

/** An inspection route: devices in walking order. */
export interface InspectionRoutesTable {
  id: string;
  tenant_id: string | null;
  name: string;
  /** JSON: device ids. */
  devices: string;
  created_by: string | null;
  created_at: EpochMs;
  updated_at: EpochMs;
}

/** An inspection plan: a route on a schedule, with assignees and a time window. */
export interface InspectionPlansTable {
  id: string;
  tenant_id: string | null;
  name: string;
  route_id: string;
  /** JSON: contracts `InspectionSchedule`. */
  schedule: string;
  /** JSON: user names. */
  assignees: string;
  window_minutes: number;
  grace_minutes: number;
  radius_m: number;
  allow_without_position: number;
  enabled: number;
  /** The start of the next round not yet issued. */
  next_at: EpochMs | null;
  created_by: string | null;
  created_at: EpochMs;
  updated_at: EpochMs;
}

/** An inspection round issued by a plan (the route's devices and the plan's terms copied at issue). */
export interface InspectionTasksTable {
  id: string;
  tenant_id: string | null;
  plan_id: string;
  plan_name: string;
  route_name: string;
  /** JSON: device ids in walking order. */
  devices: string;
  /** JSON: user names. */
  assignees: string;
  radius_m: number;
  allow_without_position: number;
  starts_at: EpochMs;
  due_at: EpochMs;
  closes_at: EpochMs;
  completed_at: EpochMs | null;
  created_at: EpochMs;
}

/** A check-in at a device of a round (`checked_in`), then its results (`submitted`). */
export interface InspectionRecordsTable {
  id: string;
  tenant_id: string | null;
  task_id: string;
  device_id: string;
  standard_id: string;
  inspector: string;
  status: string;
  checked_in_at: EpochMs;
  submitted_at: EpochMs | null;
  /** The identifier the QR code (or the typed label) gave. */
  identifier: string;
  /** `verified`, `unavailable` or `no_reference`. */
  position: string;
  lat: number | null;
  lon: number | null;
  accuracy: number | null;
  distance_m: number | null;
  position_error: string | null;
  /** JSON: contracts `InspectionResult[]`. */
  results: string;
  note: string;
  abnormal: number;
  work_order_id: string | null;
}
