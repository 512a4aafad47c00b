/**
 * Risk scores with their reasons (docs/security-situation.md): per asset, per enterprise and per district,
 * each 0–100 and the plain sum of its reasons' points (capped at 100), so that what the console shows
 * adds up. Pure functions: the figures are gathered by `createSituationService`.
 */
import type { ProtectionLevel, RiskReason } from '@yulian/contracts';

/** Events in the range against (or, for a client, from) one asset or enterprise. */
export interface EventFigures {
  events: number;
  /** Events at level 8 or above (likely attacks). */
  notable: number;
  /** Events at level 12 or above (high-impact attacks). */
  high: number;
  maxLevel: number;
  /** The newest event's time, epoch ms (0: none). */
  lastTs: number;
}

/** No events. */
export const noEvents: EventFigures = { events: 0, notable: 0, high: 0, maxLevel: 0, lastTs: 0 };

/** A risk score and its reasons. */
export interface Risk {
  risk: number;
  reasons: RiskReason[];
}

const day = 86_400_000;

/** Events within a day weigh fully, older ones half. */
const recency = (lastTs: number, now: number): number => (now - lastTs <= day ? 1 : 0.5);

const total = (reasons: RiskReason[]): Risk => ({ risk: Math.min(100, reasons.reduce((s, r) => s + r.points, 0)), reasons: reasons.filter((r) => r.points > 0) });

/** A protection listing multiplies what is already there (city ×1.5, district ×1.25), with a floor so a listed object never scores nothing. */
function protectionReason(level: ProtectionLevel | null, subtotal: number): RiskReason | undefined {
  if (!level) return undefined;
  if (level === 'city') return { code: 'PROTECTED_CITY', zh: '市级关键保护对象：风险加权 ×1.5', en: 'On the city list of critical protection objects: risk weighted ×1.5', points: Math.max(10, Math.round(subtotal * 0.5)) };
  return { code: 'PROTECTED_DISTRICT', zh: '区县级关键保护对象：风险加权 ×1.25', en: 'On a district list of critical protection objects: risk weighted ×1.25', points: Math.max(5, Math.round(subtotal * 0.25)) };
}

function eventReasons(e: EventFigures, now: number, o: { severityWeight: number; volumeWeight: number; volumeCap: number; of: 'asset' | 'client' | 'enterprise' }): RiskReason[] {
  if (e.events === 0) return [];
  const fresh = recency(e.lastTs, now) === 1;
  const whose = { asset: ['针对该资产', 'against it'], client: ['来自该主机', 'from this host'], enterprise: ['该企业', 'of the enterprise'] }[o.of];
  const out: RiskReason[] = [
    {
      code: 'EVENT_SEVERITY',
      zh: `${whose[0]}的安全事件 ${e.events} 起，最高 ${e.maxLevel} 级${fresh ? '（24 小时内）' : '（24 小时前，减半）'}`,
      en: `${e.events} security event(s) ${whose[1]}, highest level ${e.maxLevel}${fresh ? ' (within 24 h)' : ' (older than 24 h, halved)'}`,
      points: Math.round(o.severityWeight * e.maxLevel * recency(e.lastTs, now)),
    },
  ];
  if (e.notable > 0) out.push({ code: 'EVENT_VOLUME', zh: `8 级及以上事件 ${e.notable} 起`, en: `${e.notable} event(s) at level 8 or above`, points: Math.min(o.volumeCap, o.volumeWeight * e.notable) });
  return out;
}

/** What an asset's score looks at. */
export interface AssetRiskInput {
  kind: 'device' | 'gateway' | 'discovered';
  role: 'server' | 'client';
  events: EventFigures;
  /** Active incidents naming it (as asset, or as source for a client). */
  openIncidents: number;
  /** Writes it made or received (a discovered client that writes is worse). */
  writes: number;
  protection: ProtectionLevel | null;
  now: number;
}

/**
 * An asset's risk: event severity (3 × highest level, halved after 24 h), event volume (3 per event at
 * level ≥ 8, at most 15), active incidents (10 each, at most 20), unregistered (a server 15; a client 10,
 * and 10 more if it wrote), then the protection weight.
 */
export function assetRisk(a: AssetRiskInput): Risk {
  const reasons = eventReasons(a.events, a.now, { severityWeight: 3, volumeWeight: 3, volumeCap: 15, of: a.role === 'client' ? 'client' : 'asset' });
  if (a.openIncidents > 0) reasons.push({ code: 'OPEN_INCIDENTS', zh: `未结应急事件 ${a.openIncidents} 起`, en: `${a.openIncidents} incident(s) not yet resolved`, points: Math.min(20, 10 * a.openIncidents) });
  if (a.kind === 'discovered' && a.role === 'server') reasons.push({ code: 'UNREGISTERED_SERVER', zh: '未登记的工控服务端（流量中发现，不在设备台账中）', en: 'Unregistered industrial server (seen in traffic, not in the device register)', points: 15 });
  if (a.kind === 'discovered' && a.role === 'client') {
    reasons.push({ code: 'UNKNOWN_CLIENT', zh: '未登记的主机在访问工控设备（不是平台网关或授权工程站）', en: 'An unregistered host talks to plant devices (not the platform gateway or an allowed station)', points: 10 });
    if (a.writes > 0) reasons.push({ code: 'UNKNOWN_CLIENT_WRITES', zh: `未登记主机执行写操作 ${a.writes} 次`, en: `The unregistered host wrote ${a.writes} time(s)`, points: 10 });
  }
  const p = protectionReason(a.protection, reasons.reduce((s, r) => s + r.points, 0));
  if (p) reasons.push(p);
  return total(reasons);
}

/** What an enterprise's score looks at. */
export interface EnterpriseRiskInput {
  events: EventFigures;
  /** Its riskiest asset, if any. */
  topAsset?: { name: string; risk: number } | undefined;
  openIncidents: number;
  discovered: number;
  /** Its confirmed security level (分类分级, 1–3), if any. */
  securityLevel?: number | undefined;
  overdueNotices: number;
  protection: ProtectionLevel | null;
  now: number;
}

/**
 * An enterprise's risk: half its riskiest asset's, event severity (2 × highest level, halved after 24 h),
 * high events (3 per event at level ≥ 12, at most 15 — counted by the volume reason), active incidents
 * (10 each, at most 20), discovered assets (5 each, at most 15), its confirmed security level (level 3:
 * 10, level 2: 5), overdue notices (5 each, at most 10), then the protection weight.
 */
export function enterpriseRisk(e: EnterpriseRiskInput): Risk {
  const reasons: RiskReason[] = [];
  if (e.topAsset && e.topAsset.risk > 0) reasons.push({ code: 'TOP_ASSET', zh: `风险最高的资产 ${e.topAsset.name}：${e.topAsset.risk} 分（计一半）`, en: `Riskiest asset ${e.topAsset.name}: ${e.topAsset.risk} (half counts)`, points: Math.round(e.topAsset.risk / 2) });
  reasons.push(...eventReasons({ ...e.events, notable: e.events.high }, e.now, { severityWeight: 2, volumeWeight: 3, volumeCap: 15, of: 'enterprise' }).map((r) => (r.code === 'EVENT_VOLUME' ? { ...r, code: 'HIGH_EVENTS', zh: `12 级及以上高危事件 ${e.events.high} 起`, en: `${e.events.high} high-impact event(s) (level 12 or above)` } : r)));
  if (e.openIncidents > 0) reasons.push({ code: 'OPEN_INCIDENTS', zh: `未结应急事件 ${e.openIncidents} 起`, en: `${e.openIncidents} incident(s) not yet resolved`, points: Math.min(20, 10 * e.openIncidents) });
  if (e.discovered > 0) reasons.push({ code: 'DISCOVERED_ASSETS', zh: `流量中发现未登记资产 ${e.discovered} 个`, en: `${e.discovered} unregistered asset(s) seen in traffic`, points: Math.min(15, 5 * e.discovered) });
  if (e.securityLevel && e.securityLevel >= 2) reasons.push({ code: 'SECURITY_LEVEL', zh: `网络安全分级为${e.securityLevel === 3 ? '三' : '二'}级（受攻击后果更严重）`, en: `Security level ${e.securityLevel} (an attack has graver consequences)`, points: e.securityLevel >= 3 ? 10 : 5 });
  if (e.overdueNotices > 0) reasons.push({ code: 'OVERDUE_NOTICES', zh: `逾期未处置的预警通报 ${e.overdueNotices} 份`, en: `${e.overdueNotices} early-warning notice(s) past their deadline, not disposed`, points: Math.min(10, 5 * e.overdueNotices) });
  const p = protectionReason(e.protection, reasons.reduce((s, r) => s + r.points, 0));
  if (p) reasons.push(p);
  return total(reasons);
}

/** What a district's score looks at. */
export interface DistrictRiskInput {
  /** Its enterprises' scores. */
  enterprises: ReadonlyArray<{ name: string; risk: number }>;
  /** Critical protection objects listed in it (either list). */
  protectionObjects: number;
}

/**
 * A district's risk: its riskiest enterprise's, plus 5 for each other enterprise at 40 or more (at most
 * 20), plus 2 per critical protection object in it (at most 10).
 */
export function districtRisk(d: DistrictRiskInput): Risk {
  const sorted = [...d.enterprises].sort((a, b) => b.risk - a.risk);
  const reasons: RiskReason[] = [];
  const top = sorted[0];
  if (top && top.risk > 0) reasons.push({ code: 'TOP_ENTERPRISE', zh: `风险最高的企业 ${top.name}：${top.risk} 分`, en: `Riskiest enterprise ${top.name}: ${top.risk}`, points: top.risk });
  const more = sorted.slice(1).filter((e) => e.risk >= 40).length;
  if (more > 0) reasons.push({ code: 'MORE_AT_RISK', zh: `另有 ${more} 家企业风险在 40 分及以上`, en: `${more} more enterprise(s) at 40 or above`, points: Math.min(20, 5 * more) });
  if (d.protectionObjects > 0) reasons.push({ code: 'PROTECTION_OBJECTS', zh: `辖区内关键保护对象 ${d.protectionObjects} 个`, en: `${d.protectionObjects} critical protection object(s) in the district`, points: Math.min(10, 2 * d.protectionObjects) });
  return total(reasons);
}
