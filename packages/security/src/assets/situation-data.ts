/**
 * The figures the situation is computed from, read from the store in a few grouped queries: enterprises,
 * registered devices with their site and lifecycle, traffic assets, events grouped by target and source,
 * confirmed security levels, overdue notices and protection listings.
 */
import type { ProtectionLevel } from '@yulian/contracts';
import type { Scope, SecurityAssetsTable, Store } from '@yulian/core';
import { type Selectable, sql } from 'kysely';
import { type EventFigures, noEvents } from './risk.js';

/** A registered device as the inventory shows it. */
export interface DeviceRow {
  id: string;
  tenantId: string | null;
  name: string;
  protocol: string;
  /** host:port it is reached at (Modbus TCP host/port, OPC UA endpoint), if known. */
  address: string | null;
  site: string | null;
  lifecycle: string | null;
}

/** Events grouped per key: device id, ip:port target, or source ip (each with the tenant). */
export interface EventIndex {
  byDevice: Map<string, EventFigures>;
  byTarget: Map<string, EventFigures>;
  bySource: Map<string, EventFigures>;
  byTenant: Map<string, EventFigures>;
}

const merge = (a: EventFigures, b: EventFigures): EventFigures => ({ events: a.events + b.events, notable: a.notable + b.notable, high: a.high + b.high, maxLevel: Math.max(a.maxLevel, b.maxLevel), lastTs: Math.max(a.lastTs, b.lastTs) });
const add = (m: Map<string, EventFigures>, key: string, f: EventFigures) => m.set(key, merge(m.get(key) ?? noEvents, f));
/** The map key of a tenant (null: the platform). */
export const tk = (tenantId: string | null): string => tenantId ?? '*';

/** Where a device configuration says the device answers. */
function addressOf(protocol: string, config: string): string | null {
  try {
    const c = JSON.parse(config) as { host?: unknown; port?: unknown; endpointUrl?: unknown };
    if (typeof c.host === 'string' && typeof c.port === 'number') return `${c.host}:${c.port}`;
    if (protocol === 'opcua' && typeof c.endpointUrl === 'string') {
      const m = /^opc\.tcp:\/\/(\[[^\]]+\]|[^:/]+)(?::(\d+))?/i.exec(c.endpointUrl);
      if (m?.[1]) return `${m[1].replace(/^\[|\]$/g, '')}:${m[2] ?? 4840}`;
    }
  } catch {
    // A configuration that is not JSON names no address.
  }
  return null;
}

/** Reads the situation's figures for a scope and time range. */
export function createSituationData(store: Store) {
  const db = store.db;
  /** The tenant to filter on, or undefined for every enterprise. */
  const only = (scope: Scope): string | undefined => (scope.kind === 'tenant' ? scope.tenantId : undefined);
  return {
    async tenants(scope: Scope) {
      let q = db.selectFrom('tenants').select(['id', 'code', 'name', 'district']);
      const t = only(scope);
      if (t) q = q.where('id', '=', t);
      return q.orderBy('code').execute();
    },
    async devices(scope: Scope): Promise<DeviceRow[]> {
      let q = db
        .selectFrom('devices as d')
        .leftJoin('device_assets as a', 'a.device_id', 'd.id')
        .leftJoin('asset_nodes as n', 'n.id', 'a.site_id')
        .select(['d.id', 'd.tenant_id', 'd.name', 'd.protocol', 'd.config', 'a.lifecycle', 'n.name as site']);
      const t = only(scope);
      if (t) q = q.where('d.tenant_id', '=', t);
      const rows = await q.orderBy('d.id').limit(10_000).execute();
      return rows.map((r) => ({ id: r.id, tenantId: r.tenant_id, name: r.name, protocol: r.protocol, address: addressOf(r.protocol, r.config), site: r.site ?? null, lifecycle: r.lifecycle ?? null }));
    },
    async assets(scope: Scope): Promise<Selectable<SecurityAssetsTable>[]> {
      let q = db.selectFrom('security_assets').selectAll();
      const t = only(scope);
      if (t) q = q.where('tenant_id', '=', t);
      return q.orderBy('last_seen', 'desc').limit(10_000).execute();
    },
    async events(scope: Scope, range: { since: number; until: number }): Promise<EventIndex> {
      let q = db
          .selectFrom('security_events')
          .select([
            'tenant_id',
            'device_id',
            'target_ip',
            'target_port',
            'source_ip',
            sql<number>`count(*)`.as('events'),
            sql<number>`sum(case when level >= 8 then 1 else 0 end)`.as('notable'),
            sql<number>`sum(case when level >= 12 then 1 else 0 end)`.as('high'),
            sql<number>`max(level)`.as('max_level'),
            sql<number>`max(ts)`.as('last_ts'),
          ])
          .where('ts', '>=', range.since)
          .where('ts', '<', range.until);
      const t = only(scope);
      if (t) q = q.where('tenant_id', '=', t);
      const rows = await q.groupBy(['tenant_id', 'device_id', 'target_ip', 'target_port', 'source_ip']).execute();
      const index: EventIndex = { byDevice: new Map(), byTarget: new Map(), bySource: new Map(), byTenant: new Map() };
      for (const r of rows) {
        const f: EventFigures = { events: Number(r.events), notable: Number(r.notable ?? 0), high: Number(r.high ?? 0), maxLevel: Number(r.max_level ?? 0), lastTs: Number(r.last_ts ?? 0) };
        const t = tk(r.tenant_id);
        add(index.byTenant, t, f);
        if (r.device_id) add(index.byDevice, r.device_id, f);
        else if (r.target_ip && r.target_port !== null) add(index.byTarget, `${t}|${r.target_ip}:${r.target_port}`, f);
        if (r.source_ip) add(index.bySource, `${t}|${r.source_ip}`, f);
      }
      return index;
    },
    /** Confirmed security levels (the highest of an enterprise's kinds). */
    async levels(scope: Scope): Promise<Map<string, number>> {
      let q = db.selectFrom('security_grades').select(['tenant_id', sql<number>`max(level)`.as('level')]);
      const t = only(scope);
      if (t) q = q.where('tenant_id', '=', t);
      const rows = await q.groupBy('tenant_id').execute();
      return new Map(rows.map((r) => [r.tenant_id, Number(r.level)]));
    },
    /** Notices past their deadline that the enterprise has not reported disposal of. */
    async overdueNotices(scope: Scope, now: number): Promise<Map<string, number>> {
      let q = db
          .selectFrom('security_notice_recipients as r')
          .innerJoin('security_notices as n', 'n.id', 'r.notice_id')
          .select(['r.tenant_id', sql<number>`count(*)`.as('n')])
          .where('r.status', 'in', ['received', 'acknowledged'])
          .where('n.status', '=', 'issued')
          .where('n.deadline', '<', now);
      const t = only(scope);
      if (t) q = q.where('r.tenant_id', '=', t);
      const rows = await q.groupBy('r.tenant_id').execute();
      return new Map(rows.map((r) => [r.tenant_id, Number(r.n)]));
    },
    /** Protection listings: the strongest level per enterprise (device null) and per device, and the count per district. */
    async protection(): Promise<{ tenants: Map<string, ProtectionLevel>; devices: Map<string, ProtectionLevel>; perDistrict: Map<string, number> }> {
      const rows = await db.selectFrom('security_protection_objects').select(['level', 'district', 'tenant_id', 'device_id']).execute();
      const out = { tenants: new Map<string, ProtectionLevel>(), devices: new Map<string, ProtectionLevel>(), perDistrict: new Map<string, number>() };
      for (const r of rows) {
        const m = r.device_id ? out.devices : out.tenants;
        const key = r.device_id ?? r.tenant_id;
        if (m.get(key) !== 'city') m.set(key, r.level as ProtectionLevel);
        out.perDistrict.set(r.district, (out.perDistrict.get(r.district) ?? 0) + 1);
      }
      return out;
    },
  };
}
