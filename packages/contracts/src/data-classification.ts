import { z } from 'zod';
import { dataCategories } from './points.js';

/**
 * Industrial data classification and grading (工业数据分类分级, issue 7 item 7), after the MIIT guide
 * (工业数据分类分级指南（试行）, 2020): data domains of industrial enterprises and of platform
 * enterprises, their categories with Chinese and English names, and a default level (1–3) per category.
 * The eight codes device points already carry (`dataCategories` in points.ts) are categories here too.
 * docs/data-classification.md explains every default.
 */

/** The data domains (数据域). */
export const dataDomains = ['rd', 'production', 'operations', 'management', 'external', 'platform', 'enterprise'] as const;
/** A data domain. */
export type DataDomain = (typeof dataDomains)[number];

/** A data level: 1 一级 (small impact), 2 二级, 3 三级 (especially serious impact; strictest protection). */
export type DataLevel = 1 | 2 | 3;
/** zod schema of a level. */
export const dataLevelSchema = z.union([z.literal(1), z.literal(2), z.literal(3)]);

/** One category of the catalogue. */
export interface DataCategoryEntry {
  code: string;
  domain: DataDomain;
  zh: string;
  en: string;
  defaultLevel: DataLevel;
}

/** Names of the domains. */
export const dataDomainNames: Record<DataDomain, { zh: string; en: string; kind: 'industrial' | 'platform' }> = {
  rd: { zh: '研发数据域', en: 'R&D', kind: 'industrial' },
  production: { zh: '生产数据域', en: 'Production', kind: 'industrial' },
  operations: { zh: '运维数据域', en: 'Operations and maintenance', kind: 'industrial' },
  management: { zh: '管理数据域', en: 'Management', kind: 'industrial' },
  external: { zh: '外部数据域', en: 'External', kind: 'industrial' },
  platform: { zh: '平台运营数据域', en: 'Platform operation', kind: 'platform' },
  enterprise: { zh: '企业管理数据域', en: 'Enterprise management', kind: 'platform' },
};

/**
 * The catalogue: every category a point or dataset can carry. Level 3 is never a default: whether data
 * could cause an especially serious accident depends on the process (a reactor's setpoint, not a lathe's),
 * so it is an assessment an enterprise records, with its reason.
 */
export const dataCatalogue = [
  { code: 'rd', domain: 'rd', zh: '研发数据（整体）', en: 'R&D data (whole domain)', defaultLevel: 2 },
  { code: 'rd.design', domain: 'rd', zh: '研发设计数据', en: 'R&D design', defaultLevel: 2 },
  { code: 'rd.test', domain: 'rd', zh: '开发测试数据', en: 'Development and testing', defaultLevel: 1 },
  { code: 'production.control', domain: 'production', zh: '控制信息', en: 'Control information', defaultLevel: 2 },
  { code: 'production.condition', domain: 'production', zh: '工况状态', en: 'Operating conditions', defaultLevel: 1 },
  { code: 'production.process', domain: 'production', zh: '工艺参数', en: 'Process parameters', defaultLevel: 2 },
  { code: 'production.log', domain: 'production', zh: '系统日志', en: 'System logs', defaultLevel: 1 },
  { code: 'operations', domain: 'operations', zh: '运维数据（整体）', en: 'Operations data (whole domain)', defaultLevel: 1 },
  { code: 'operations.logistics', domain: 'operations', zh: '物流数据', en: 'Logistics', defaultLevel: 1 },
  { code: 'operations.after-sales', domain: 'operations', zh: '产品售后服务数据', en: 'After-sales service', defaultLevel: 1 },
  { code: 'management', domain: 'management', zh: '管理数据（整体）', en: 'Management data (whole domain)', defaultLevel: 1 },
  { code: 'management.assets', domain: 'management', zh: '系统设备资产信息', en: 'System and equipment assets', defaultLevel: 1 },
  { code: 'management.customers-products', domain: 'management', zh: '客户与产品信息', en: 'Customers and products', defaultLevel: 2 },
  { code: 'management.supply-chain', domain: 'management', zh: '产品供应链数据', en: 'Supply chain', defaultLevel: 2 },
  { code: 'management.statistics', domain: 'management', zh: '业务统计数据', en: 'Business statistics', defaultLevel: 1 },
  { code: 'external', domain: 'external', zh: '外部数据', en: 'External data', defaultLevel: 1 },
  { code: 'platform.iot', domain: 'platform', zh: '物联采集数据', en: 'IoT collection', defaultLevel: 1 },
  { code: 'platform.models', domain: 'platform', zh: '知识库模型库数据', en: 'Knowledge and model bases', defaultLevel: 2 },
  { code: 'platform.rd', domain: 'platform', zh: '研发数据', en: 'Platform R&D', defaultLevel: 2 },
  { code: 'enterprise.customers', domain: 'enterprise', zh: '客户数据', en: 'Customers', defaultLevel: 2 },
  { code: 'enterprise.partners', domain: 'enterprise', zh: '业务合作数据', en: 'Business partners', defaultLevel: 2 },
  { code: 'enterprise.hr-finance', domain: 'enterprise', zh: '人事财务数据', en: 'HR and finance', defaultLevel: 2 },
] as const satisfies readonly DataCategoryEntry[];

/** A category code of the catalogue. */
export type DataCategoryCode = (typeof dataCatalogue)[number]['code'];
/** Every category code. */
export const dataCategoryCodes = dataCatalogue.map((c) => c.code) as [DataCategoryCode, ...DataCategoryCode[]];
/** zod schema of a category code. */
export const dataCategoryCodeSchema = z.enum(dataCategoryCodes);
// The codes points carry are all in the catalogue (a compile error otherwise).
const pointCodesCovered: ReadonlyArray<DataCategoryCode> = dataCategories;
void pointCodesCovered;

/** The catalogue entry of a code. */
export const categoryOf = (code: DataCategoryCode): DataCategoryEntry => dataCatalogue.find((c) => c.code === code)!;

/**
 * The default category of a device point that says none: writable points are setpoints (工艺参数);
 * read-only points whose key names an alarm, fault, trip or interlock word are control information
 * (控制信息); other read-only points are measurements of operating conditions (工况状态).
 * @example defaultPointCategory({ key: 'speed_sp', access: 'read-write' }) // 'production.process'
 */
export function defaultPointCategory(point: { key: string; name?: string; access?: 'read' | 'read-write' }): DataCategoryCode {
  if (point.access === 'read-write') return 'production.process';
  if (/alarm|fault|alm|trip|interlock/i.test(point.key)) return 'production.control';
  return 'production.condition';
}

/** The datasets that can be classified beside points. `telemetry:<device>` is a device's telemetry. */
export const datasetKinds = ['telemetry', 'audit-log', 'identifier-records', 'asset-register', 'alarm-history'] as const;
/** A dataset kind. */
export type DatasetKind = (typeof datasetKinds)[number];
/** The default category of each dataset kind. */
export const datasetDefaultCategory: Record<DatasetKind, DataCategoryCode> = {
  telemetry: 'platform.iot',
  'audit-log': 'production.log',
  'identifier-records': 'management.customers-products',
  'asset-register': 'management.assets',
  'alarm-history': 'production.condition',
};
/** A dataset name: `telemetry:<device>` or one of the other kinds. */
export const datasetNameSchema = z
  .string()
  .min(1)
  .max(160)
  .regex(/^(telemetry:[A-Za-z0-9_.:-]{1,128}|audit-log|identifier-records|asset-register|alarm-history)$/, 'telemetry:<device>, audit-log, identifier-records, asset-register or alarm-history');

/** Where a classification comes from. */
export const classificationSources = ['default', 'config', 'override'] as const;

/** A point with its effective classification. */
export const pointClassificationSchema = z.object({
  device: z.string(),
  point: z.string(),
  name: z.string(),
  access: z.enum(['read', 'read-write']),
  category: dataCategoryCodeSchema,
  level: dataLevelSchema,
  defaultCategory: dataCategoryCodeSchema,
  defaultLevel: dataLevelSchema,
  source: z.enum(classificationSources),
  reason: z.string().nullable(),
  setBy: z.string().nullable(),
  setAt: z.string().nullable(),
});
/** A point with its effective classification. */
export type PointClassification = z.infer<typeof pointClassificationSchema>;

/** A dataset with its effective classification. */
export const datasetClassificationSchema = z.object({
  dataset: z.string(),
  category: dataCategoryCodeSchema,
  level: dataLevelSchema,
  defaultCategory: dataCategoryCodeSchema,
  defaultLevel: dataLevelSchema,
  source: z.enum(classificationSources),
  reason: z.string().nullable(),
  setBy: z.string().nullable(),
  setAt: z.string().nullable(),
});
/** A dataset with its effective classification. */
export type DatasetClassification = z.infer<typeof datasetClassificationSchema>;

/** Body of `PUT …/points/{device}/{point}` and `PUT …/datasets/{name}`: a reason is required off the default. */
export const putClassificationSchema = z
  .object({
    category: dataCategoryCodeSchema,
    level: dataLevelSchema,
    reason: z.string().trim().max(1000).optional(),
  })
  .strict();
/** A classification change. */
export type PutClassification = z.infer<typeof putClassificationSchema>;

/** One change in a subject's classification history. */
export const classificationChangeSchema = z.object({
  subject: z.string(),
  category: z.string(),
  level: z.number(),
  previousCategory: z.string().nullable(),
  previousLevel: z.number().nullable(),
  reason: z.string().nullable(),
  setBy: z.string().nullable(),
  setAt: z.string(),
});
/** One classification change. */
export type ClassificationChange = z.infer<typeof classificationChangeSchema>;

/** Body of `POST /api/v1/data-classification/exports`: a device's telemetry to export, and why. */
export const createExportRequestSchema = z
  .object({
    device: z.string().min(1).max(128),
    points: z.array(z.string().min(1).max(64)).max(1000).optional(),
    from: z.number().int(),
    to: z.number().int(),
    tier: z.enum(['raw', '1m', '1h']).default('raw'),
    purpose: z.string().trim().min(4).max(1000),
  })
  .strict();
/** An export request as written. */
export type CreateExportRequest = z.input<typeof createExportRequestSchema>;

/** An export request as the API shows it. */
export const exportRequestSchema = z.object({
  id: z.string(),
  tenantId: z.string().nullable(),
  dataset: z.string(),
  query: z.object({ device: z.string(), points: z.array(z.string()).optional(), from: z.number(), to: z.number(), tier: z.enum(['raw', '1m', '1h']) }),
  category: z.string(),
  level: z.number(),
  purpose: z.string(),
  requestedBy: z.string(),
  requestedAt: z.string(),
  status: z.enum(['pending', 'approved', 'rejected']),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  decisionNote: z.string().nullable(),
  expiresAt: z.string().nullable(),
  downloads: z.number(),
});
/** An export request. */
export type ExportRequestDto = z.infer<typeof exportRequestSchema>;

/** Body of approve/reject. */
export const decideExportSchema = z.object({ note: z.string().trim().max(1000).optional() }).strict();

/** The access report of one dataset: who read or exported it, when, how much. */
export const accessReportSchema = z.object({
  dataset: z.string(),
  level: z.number(),
  from: z.number(),
  to: z.number(),
  totals: z.object({ reads: z.number(), exports: z.number(), denied: z.number(), rows: z.number() }),
  byActor: z.array(z.object({ actor: z.string(), role: z.string(), reads: z.number(), exports: z.number(), denied: z.number(), rows: z.number(), lastAt: z.string() })),
  entries: z.array(z.object({ at: z.string(), actor: z.string(), role: z.string(), action: z.string(), outcome: z.string(), rows: z.number(), level: z.number(), requestId: z.string().nullable() })),
});
/** An access report. */
export type AccessReport = z.infer<typeof accessReportSchema>;

/** Body of `POST …/grants`: let one user read level-3 data beyond their role. */
export const putLevelGrantSchema = z.object({ username: z.string().min(1).max(128), reason: z.string().trim().min(4).max(1000) }).strict();
