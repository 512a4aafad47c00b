/** Epoch milliseconds (bigint columns; pg answers strings, so readers convert with Number). */
type EpochMs = number;

/** An enterprise's self-assessment (分类分级自评, issue 7 item 6). */
export interface SecurityAssessmentsTable {
  id: string;
  tenant_id: string;
  /** industrial | platform | resolution */
  kind: string;
  questionnaire_version: string;
  /** JSON {itemId: {option, evidence}}. */
  answers: string;
  score: number;
  /** 1–3; null until every item is answered. */
  proposed_level: number | null;
  /** draft | submitted | returned | confirmed */
  status: string;
  confirmed_level: number | null;
  decision_reason: string | null;
  review_comment: string | null;
  created_by: string | null;
  created_at: EpochMs;
  updated_at: EpochMs;
  submitted_by: string | null;
  submitted_at: EpochMs | null;
  reviewed_by: string | null;
  reviewed_at: EpochMs | null;
}

/** An enterprise's current, confirmed security level. */
export interface SecurityGradesTable {
  tenant_id: string;
  kind: string;
  level: number;
  assessment_id: string;
  confirmed_by: string | null;
  confirmed_at: EpochMs;
  /** Level 3: a year after confirmation; null otherwise. */
  reassess_due_at: EpochMs | null;
}

/** A security inspection (安全检查) of one enterprise. */
export interface SecurityInspectionsTable {
  id: string;
  tenant_id: string;
  level: number;
  checklist_version: string;
  scheduled_for: EpochMs;
  /** JSON string array. */
  inspectors: string;
  note: string;
  /** scheduled | in_progress | rectifying | closed */
  status: string;
  created_by: string | null;
  created_at: EpochMs;
  completed_at: EpochMs | null;
  closed_at: EpochMs | null;
}

/** One checklist item of an inspection and its result. */
export interface SecurityInspectionItemsTable {
  inspection_id: string;
  item_id: string;
  position: number;
  /** pending | pass | finding | not_applicable */
  result: string;
  severity: string | null;
  description: string;
  /** A finding's rectification deadline, when the inspector gave one. */
  deadline: EpochMs | null;
  recorded_by: string | null;
  recorded_at: EpochMs | null;
}

/** A finding's rectification (整改). */
export interface SecurityRectificationsTable {
  id: string;
  inspection_id: string;
  tenant_id: string;
  item_id: string;
  severity: string;
  description: string;
  deadline: EpochMs;
  /** open | reported | closed */
  status: string;
  report: string | null;
  evidence: string | null;
  reported_by: string | null;
  reported_at: EpochMs | null;
  verified_by: string | null;
  verified_at: EpochMs | null;
  review_comment: string | null;
  returns: number;
  created_at: EpochMs;
  updated_at: EpochMs;
}
