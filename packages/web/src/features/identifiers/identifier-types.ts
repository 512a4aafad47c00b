/**
 * The shapes of the identifier APIs as the console reads them. Handle.Net's value JSON and the templates
 * come from `@yulian/contracts` (as the server writes them); bulk jobs and statistics are mirrored here.
 */
import type { HandleValueJson, SignatureReport } from '@yulian/contracts';

export type { HandleDataJson, HandleReferenceJson, HandleValueJson, IdentifierTemplate, SignatureReport, SiteJson, SiteServerJson, TemplateField, TemplateFieldKind } from '@yulian/contracts';

/** `GET /api/handles/{handle}`: a record. */
export interface HandleRecord {
  handle: string;
  values: HandleValueJson[];
  /** Yulian's addition: how the record's SM2 signature checked out. */
  signature?: SignatureReport;
}

/** `GET /api/handles?prefix=`: one page of a prefix's handles. */
export interface HandlePage {
  prefix: string;
  totalCount: number;
  page: number;
  pageSize: number;
  handles: string[];
}

/** A bulk registration job's state. */
export type BulkJobState = 'queued' | 'running' | 'done' | 'failed';

/** A bulk registration job (批量注册任务). */
export interface BulkJob {
  id: string;
  prefix: string;
  template: string;
  format: 'csv' | 'jsonl';
  state: BulkJobState;
  reason: string | null;
  tenantId: string | null;
  createdBy: string | null;
  totalBytes: number;
  bytesDone: number;
  percent: number;
  rowsDone: number;
  inserted: number;
  failed: number;
  errorCount: number;
  errorsStored: number;
  rowsPerSecond: number | null;
  createdAt: string;
  startedAt: string | null;
  updatedAt: string;
  finishedAt: string | null;
}

/** The counters of one day and prefix. */
export interface StatsCounters {
  registrations: number;
  resolutions: number;
  resolved: number;
  notFound: number;
  invalid: number;
}

/** One row of `GET /api/v1/identifiers/stats`. */
export interface StatsRow extends StatsCounters {
  day: string;
  prefix: string;
}

/** `GET /api/v1/identifiers/stats`. */
export interface StatsAnswer {
  from: string;
  to: string;
  items: StatsRow[];
  totals: StatsCounters;
  truncated: boolean;
}

/** The four targets of the action plan. */
export type TargetKey = 'registrations' | 'resolutions' | 'secondaryNodes' | 'enterprises';

/** `GET /api/v1/identifiers/stats/targets`. */
export interface TargetsAnswer {
  asOf: string;
  items: Array<{ key: TargetKey; label: { zh: string; en: string }; target: number; current: number; percent: number; note: string }>;
  nodes: Array<{ node: string; role: string; parent: string | null; source: 'local' | 'report'; seenAt: string; reporting: boolean }>;
}
