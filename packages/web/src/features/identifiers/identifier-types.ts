/**
 * The shapes of the identifier APIs as the console reads them: Handle.Net's `/api/handles` JSON and
 * Yulian's `/api/v1/identifiers/…` (templates, bulk jobs, statistics). The prefixes' shapes come from
 * `@yulian/contracts`; these are not there yet, so they are kept here, mirroring the server's schemas.
 */

/** A reference to one value of a handle (HS_VLIST entries). */
export interface HandleReferenceJson {
  handle: string;
  index: number;
}

/** One server of an HS_SITE value (only what the console shows). */
export interface SiteServerJson {
  serverId: number;
  address: string;
  interfaces: Array<{ query: boolean; admin: boolean; protocol: string; port: number }>;
}

/** HS_SITE data (only what the console shows). */
export interface SiteJson {
  version: number;
  protocolVersion: string;
  serialNumber: number;
  primarySite: boolean;
  multiPrimary: boolean;
  servers: SiteServerJson[];
}

/** A value's data as Handle.Net's JSON writes it. */
export type HandleDataJson =
  | { format: 'string' | 'base64' | 'hex'; value: string }
  | { format: 'admin'; value: { handle: string; index: number; permissions: string } }
  | { format: 'vlist'; value: HandleReferenceJson[] }
  | { format: 'site'; value: SiteJson };

/** One handle value. */
export interface HandleValueJson {
  index: number;
  type: string;
  data: HandleDataJson;
  permissions?: string;
  ttl: number | string;
  timestamp?: string;
  references?: HandleReferenceJson[];
}

/** `GET /api/handles/{handle}`: a record. */
export interface HandleRecord {
  handle: string;
  values: HandleValueJson[];
}

/** `GET /api/handles?prefix=`: one page of a prefix's handles. */
export interface HandlePage {
  prefix: string;
  totalCount: number;
  page: number;
  pageSize: number;
  handles: string[];
}

/** What a template field holds. */
export type TemplateFieldKind = 'text' | 'date' | 'number' | 'url';

/** One field of an identifier template. */
export interface TemplateField {
  key: string;
  /** The Handle value type it is stored as, e.g. `product.productionDate`. */
  type: string;
  kind: TemplateFieldKind;
  required: boolean;
  maxLength: number;
  label: { zh: string; en: string };
}

/** An identifier template (数据模板) from `GET /api/v1/identifiers/templates`. */
export interface IdentifierTemplate {
  id: string;
  version: number;
  name: { zh: string; en: string };
  fields: TemplateField[];
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
