/**
 * The security situation (安全态势, issue 7 item 3): the asset inventory (registered devices joined with
 * the assets seen in traffic), critical protection objects (关键保护对象) on the city and district lists,
 * and risk scores per asset, enterprise and district, each with the reasons that make it up.
 */
import { z } from 'zod';

/** One reason of a risk score: a code, its words in both languages, and the points it adds. */
export const riskReasonSchema = z.object({ code: z.string(), zh: z.string(), en: z.string(), points: z.number() });
/** One reason of a risk score. */
export type RiskReason = z.infer<typeof riskReasonSchema>;

/** The two lists of critical protection objects: the city's (市级) and the districts' (区县级). */
export const protectionLevels = ['city', 'district'] as const;
export type ProtectionLevel = (typeof protectionLevels)[number];

/** How an inventory row is known: a registered device, the platform's own gateway (an allowed commander), or discovered in traffic only (未登记). */
export const assetKinds = ['device', 'gateway', 'discovered'] as const;
export type AssetKind = (typeof assetKinds)[number];

/** One row of the asset inventory, with its risk. */
export const securityAssetSchema = z.object({
  /** The device id, or the traffic asset's id (tenant|ip|port|protocol|role). */
  key: z.string(),
  kind: z.enum(assetKinds),
  tenantId: z.string().nullable(),
  enterprise: z.string().nullable(),
  district: z.string().nullable(),
  deviceId: z.string().nullable(),
  name: z.string(),
  protocol: z.string(),
  role: z.enum(['server', 'client']),
  /** Null for a registered device not seen in traffic yet. */
  ip: z.string().nullable(),
  /** 0 for a client (its ports are ephemeral). */
  port: z.number().nullable(),
  site: z.string().nullable(),
  lifecycle: z.string().nullable(),
  via: z.string().nullable(),
  firstSeen: z.number().nullable(),
  lastSeen: z.number().nullable(),
  observations: z.number(),
  writes: z.number(),
  connections: z.number(),
  refused: z.number(),
  anomalies: z.number(),
  /** Events against it (or from it, for a client) in the range. */
  events: z.number(),
  maxLevel: z.number(),
  protection: z.enum(protectionLevels).nullable(),
  risk: z.number(),
  reasons: z.array(riskReasonSchema),
});
/** One row of the asset inventory. */
export type SecurityAsset = z.infer<typeof securityAssetSchema>;

/** An enterprise's risk. */
export const enterpriseRiskSchema = z.object({
  tenantId: z.string().nullable(),
  code: z.string().nullable(),
  name: z.string(),
  district: z.string(),
  events: z.number(),
  high: z.number(),
  maxLevel: z.number(),
  assets: z.number(),
  discovered: z.number(),
  protection: z.enum(protectionLevels).nullable(),
  risk: z.number(),
  reasons: z.array(riskReasonSchema),
});
export type EnterpriseRisk = z.infer<typeof enterpriseRiskSchema>;

/** A district's (or county's) risk. */
export const districtRiskSchema = z.object({
  district: z.string(),
  en: z.string(),
  enterprises: z.number(),
  /** Enterprises with events in the range. */
  attacked: z.number(),
  events: z.number(),
  high: z.number(),
  maxLevel: z.number(),
  risk: z.number(),
  reasons: z.array(riskReasonSchema),
});
export type DistrictRisk = z.infer<typeof districtRiskSchema>;

/** A critical protection object on a list. */
export const protectionObjectSchema = z.object({
  id: z.string(),
  level: z.enum(protectionLevels),
  district: z.string(),
  tenantId: z.string(),
  enterpriseCode: z.string(),
  enterpriseName: z.string(),
  /** Null: the whole enterprise. */
  deviceId: z.string().nullable(),
  deviceName: z.string().nullable(),
  reason: z.string(),
  createdBy: z.string().nullable(),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type ProtectionObject = z.infer<typeof protectionObjectSchema>;

/** Body of `POST /api/v1/security/protection`: an enterprise (by code) or one of its devices, on the city list or its district's. */
export const protectionObjectInputSchema = z.object({
  level: z.enum(protectionLevels),
  enterprise: z.string().min(1).max(64),
  deviceId: z.string().min(1).max(128).optional(),
  /** District lists: defaults to the enterprise's district. */
  district: z.string().min(1).max(64).optional(),
  reason: z.string().trim().min(1).max(1000),
});
export type ProtectionObjectInput = z.infer<typeof protectionObjectInputSchema>;
