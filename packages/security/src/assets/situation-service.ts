/**
 * The security situation's inventory and risk (安全态势): registered devices joined with the assets seen in
 * traffic, each scored with its reasons, then every enterprise and every Chongqing district scored from
 * them. An enterprise's caller sees its own; the authority sees every enterprise and every district.
 */
import { type DistrictRisk, type EnterpriseRisk, type SecurityAsset, chongqingDistricts } from '@yulian/contracts';
import type { Scope, Store } from '@yulian/core';
import type { Commander } from '../rules/index.js';
import type { IncidentService } from '../incidents/index.js';
import { type EventFigures, assetRisk, districtRisk, enterpriseRisk, noEvents } from './risk.js';
import { createSituationData, tk } from './situation-data.js';

/** A time range, epoch ms (until exclusive). */
export interface SituationRange {
  since: number;
  until: number;
}

/** Inventory, enterprises and districts with their risk. */
export interface SituationAssessment {
  assets: SecurityAsset[];
  enterprises: EnterpriseRisk[];
  districts: DistrictRisk[];
}

/** What `createSituationService` needs. */
export interface SituationServiceOptions {
  store: Store;
  /** Active incidents add to the risk of the assets and enterprises they name. */
  incidents?: Pick<IncidentService, 'list'> | undefined;
  /** The allowed commanders (the platform's gateways): their traffic is the platform's own, not discovered. */
  commanders?: () => readonly Commander[];
  now?: () => number;
}

/** The situation service. */
export interface SituationService {
  /** Everything at once (the situation page). */
  assess(scope: Scope, range: SituationRange): Promise<SituationAssessment>;
}

const sum = (a: EventFigures, b: EventFigures): EventFigures => ({ events: a.events + b.events, notable: a.notable + b.notable, high: a.high + b.high, maxLevel: Math.max(a.maxLevel, b.maxLevel), lastTs: Math.max(a.lastTs, b.lastTs) });
const unspecified = '未标注';

/**
 * Creates the situation service.
 * @example const { assets, enterprises, districts } = await createSituationService({ store }).assess(allTenants, { since, until })
 */
export function createSituationService(options: SituationServiceOptions): SituationService {
  const data = createSituationData(options.store);
  const now = options.now ?? Date.now;

  return {
    async assess(scope, range) {
      const at = now();
      const [tenants, devices, rows, events, levels, overdue, protection, incidents] = await Promise.all([
        data.tenants(scope),
        data.devices(scope),
        data.assets(scope),
        data.events(scope, range),
        data.levels(scope),
        data.overdueNotices(scope, at),
        data.protection(),
        options.incidents ? options.incidents.list(scope, { status: 'active', limit: 1000 }) : Promise.resolve([]),
      ]);
      const tenantById = new Map(tenants.map((t) => [t.id, t]));
      const commanders = options.commanders?.() ?? [];
      const isCommander = (tenantId: string | null, ip: string) => commanders.some((c) => c.ip === ip && (c.tenantId === undefined || c.tenantId === tenantId));
      const byAddress = new Map(devices.filter((d) => d.address).map((d) => [`${tk(d.tenantId)}|${d.address}`, d]));
      const deviceById = new Map(devices.map((d) => [d.id, d]));
      const incidentsOf = (tenantId: string | null, names: string[], asSource: boolean) =>
        incidents.filter((i) => i.tenantId === tenantId && names.some((n) => (asSource ? i.sources : i.assets).includes(n))).length;

      // Traffic rows folded onto their registered device where there is one.
      type Draft = Omit<SecurityAsset, 'risk' | 'reasons' | 'events' | 'maxLevel' | 'enterprise' | 'district' | 'protection'> & { figures: EventFigures; incidents: number };
      const drafts = new Map<string, Draft>();
      for (const d of devices) {
        drafts.set(`device|${d.id}`, {
          key: d.id, kind: 'device', tenantId: d.tenantId, deviceId: d.id, name: d.name, protocol: d.protocol, role: 'server', ip: null, port: null, site: d.site, lifecycle: d.lifecycle, via: null,
          firstSeen: null, lastSeen: null, observations: 0, writes: 0, connections: 0, refused: 0, anomalies: 0, figures: events.byDevice.get(d.id) ?? noEvents, incidents: 0,
        });
      }
      for (const r of rows) {
        const t = tk(r.tenant_id);
        const device = r.role === 'server' ? (r.device_id ? deviceById.get(r.device_id) : undefined) ?? byAddress.get(`${t}|${r.ip}:${r.port}`) : undefined;
        const key = device ? `device|${device.id}` : r.id;
        const kind = device ? 'device' : r.role === 'client' && isCommander(r.tenant_id, r.ip) ? 'gateway' : 'discovered';
        const d = drafts.get(key) ?? {
          key: r.id, kind, tenantId: r.tenant_id, deviceId: null, name: r.role === 'client' ? r.ip : `${r.ip}:${r.port}`, protocol: r.protocol, role: r.role as 'server' | 'client', ip: r.ip, port: Number(r.port), site: null, lifecycle: null, via: r.via,
          firstSeen: null, lastSeen: null, observations: 0, writes: 0, connections: 0, refused: 0, anomalies: 0,
          figures: r.role === 'client' ? (events.bySource.get(`${t}|${r.ip}`) ?? noEvents) : (events.byTarget.get(`${t}|${r.ip}:${r.port}`) ?? noEvents), incidents: 0,
        };
        if (d.ip === null) Object.assign(d, { ip: r.ip, port: Number(r.port), via: r.via });
        d.firstSeen = Math.min(d.firstSeen ?? Number.MAX_SAFE_INTEGER, Number(r.first_seen));
        d.lastSeen = Math.max(d.lastSeen ?? 0, Number(r.last_seen));
        d.observations += Number(r.observations);
        d.writes += Number(r.writes);
        d.connections += Number(r.connections);
        d.refused += Number(r.refused);
        d.anomalies += Number(r.anomalies);
        drafts.set(key, d);
      }

      const assets: SecurityAsset[] = [...drafts.values()].map(({ figures, incidents: _, ...d }) => {
        const names = d.role === 'client' ? [d.ip ?? ''] : [d.deviceId ?? '', `${d.ip}:${d.port}`];
        const open = incidentsOf(d.tenantId, names.filter(Boolean), d.role === 'client');
        const level = d.deviceId ? (protection.devices.get(d.deviceId) ?? null) : null;
        const r = assetRisk({ kind: d.kind, role: d.role, events: figures, openIncidents: open, writes: d.writes, protection: level, now: at });
        const t = d.tenantId ? tenantById.get(d.tenantId) : undefined;
        return { ...d, enterprise: t?.name ?? null, district: t?.district || null, events: figures.events, maxLevel: figures.maxLevel, protection: level, ...r };
      });
      assets.sort((a, b) => b.risk - a.risk || (b.lastSeen ?? 0) - (a.lastSeen ?? 0) || a.key.localeCompare(b.key));

      const enterprises: EnterpriseRisk[] = tenants.map((t) => {
        const mine = assets.filter((a) => a.tenantId === t.id);
        const top = mine[0];
        const figures = events.byTenant.get(t.id) ?? noEvents;
        const discovered = mine.filter((a) => a.kind === 'discovered').length;
        const level = protection.tenants.get(t.id) ?? null;
        const r = enterpriseRisk({
          events: figures,
          topAsset: top ? { name: top.name, risk: top.risk } : undefined,
          openIncidents: incidents.filter((i) => i.tenantId === t.id).length,
          discovered,
          securityLevel: levels.get(t.id),
          overdueNotices: overdue.get(t.id) ?? 0,
          protection: level,
          now: at,
        });
        return { tenantId: t.id, code: t.code, name: t.name, district: t.district || unspecified, events: figures.events, high: figures.high, maxLevel: figures.maxLevel, assets: mine.length, discovered, protection: level, ...r };
      });
      enterprises.sort((a, b) => b.risk - a.risk || b.events - a.events || (a.code ?? '').localeCompare(b.code ?? ''));

      // Every district for the authority (the city's view); an enterprise sees its own district only.
      const names = scope.kind === 'all' ? [...chongqingDistricts.map((d) => d.name), ...(enterprises.some((e) => e.district === unspecified) ? [unspecified] : [])] : [...new Set(enterprises.map((e) => e.district))];
      const districts: DistrictRisk[] = names.map((name) => {
        const mine = enterprises.filter((e) => e.district === name);
        const figures = mine.reduce((f, e) => sum(f, { events: e.events, notable: 0, high: e.high, maxLevel: e.maxLevel, lastTs: 0 }), noEvents);
        const r = districtRisk({ enterprises: mine, protectionObjects: scope.kind === 'all' ? (protection.perDistrict.get(name) ?? 0) : 0 });
        return { district: name, en: chongqingDistricts.find((d) => d.name === name)?.en ?? 'Unspecified', enterprises: mine.length, attacked: mine.filter((e) => e.events > 0).length, events: figures.events, high: figures.high, maxLevel: figures.maxLevel, ...r };
      });
      districts.sort((a, b) => b.risk - a.risk || b.events - a.events || b.enterprises - a.enterprises);
      return { assets, enterprises, districts };
    },
  };
}
