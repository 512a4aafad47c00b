import type { Store } from '@yulian/core';
import { sql } from 'kysely';

/** A time series: a point of a device, with the enterprise that owns it. */
export interface SeriesInfo {
  id: number;
  tenantId: string | null;
  device: string;
  point: string;
}

const keyOf = (device: string, point: string): string => `${device}\u0000${point}`;

/**
 * Maps (device, point) to the integer series ids samples are stored under, creating series as they
 * first appear. Kept in memory (a few hundred bytes per series); several processes may create the
 * same series at once — the unique key decides and every process reads the winner back.
 */
export class SeriesRegistry {
  /** device → point → series: the hot path's lookup, without building a key string per sample. */
  private readonly byDevicePoint = new Map<string, Map<string, SeriesInfo>>();
  private readonly byDevice = new Map<string, SeriesInfo[]>();
  private readonly byIdMap = new Map<number, SeriesInfo>();
  private highest = 0;

  constructor(private readonly store: Store) {}

  /** Loads every series (at start). */
  async load(): Promise<void> {
    const rows = await this.store.db.selectFrom('telemetry_series').select(['id', 'tenant_id', 'device', 'point']).execute();
    for (const r of rows) this.remember({ id: Number(r.id), tenantId: r.tenant_id, device: r.device, point: r.point });
  }

  get(device: string, point: string): SeriesInfo | undefined {
    return this.byDevicePoint.get(device)?.get(point);
  }

  /** The series of a device, reading the store again when this process has not seen the device. */
  async ofDevice(device: string): Promise<SeriesInfo[]> {
    const known = this.byDevice.get(device);
    if (known) return known;
    const rows = await this.store.db.selectFrom('telemetry_series').select(['id', 'tenant_id', 'device', 'point']).where('device', '=', device).execute();
    for (const r of rows) this.remember({ id: Number(r.id), tenantId: r.tenant_id, device: r.device, point: r.point });
    return this.byDevice.get(device) ?? [];
  }

  /** A series by id, when this process knows it. */
  byId(id: number): SeriesInfo | undefined {
    return this.byIdMap.get(id);
  }

  /** The series of a device this process knows, without reading the store. */
  ofDeviceKnown(device: string): readonly SeriesInfo[] {
    return this.byDevice.get(device) ?? [];
  }

  /** The largest series id this process knows (0 when none). */
  maxId(): number {
    return this.highest;
  }

  /** Every series id this process knows. */
  allIds(): number[] {
    return [...this.byIdMap.keys()];
  }

  /**
   * Makes sure each (device, point) has a series owned by `tenantId`; a series whose device moved to
   * another enterprise (its gateway was re-registered) follows it.
   */
  async ensure(tenantId: string | null, pairs: Iterable<readonly [string, string]>): Promise<void> {
    const missing = new Map<string, { device: string; point: string }>();
    const moved: SeriesInfo[] = [];
    for (const [device, point] of pairs) {
      const s = this.get(device, point);
      if (!s) missing.set(keyOf(device, point), { device, point });
      else if (s.tenantId !== tenantId) moved.push(s);
    }
    if (missing.size) {
      const now = Date.now();
      const rows = [...missing.values()].map((m) => ({ tenant_id: tenantId, device: m.device, point: m.point, created_at: now }));
      for (let i = 0; i < rows.length; i += 1000) {
        await this.store.db.insertInto('telemetry_series').values(rows.slice(i, i + 1000)).onConflict((oc) => oc.columns(['device', 'point']).doNothing()).execute();
      }
      const devices = [...new Set(rows.map((r) => r.device))];
      for (let i = 0; i < devices.length; i += 500) {
        const found = await this.store.db.selectFrom('telemetry_series').select(['id', 'tenant_id', 'device', 'point']).where('device', 'in', devices.slice(i, i + 500)).execute();
        for (const r of found) this.remember({ id: Number(r.id), tenantId: r.tenant_id, device: r.device, point: r.point });
      }
    }
    for (const s of moved) {
      await this.store.db.updateTable('telemetry_series').set({ tenant_id: tenantId }).where('id', '=', s.id).execute();
      s.tenantId = tenantId;
    }
  }

  /** Devices with telemetry in a tenant (all when null is not a filter): name, series count. */
  async devices(tenantId: string | undefined): Promise<Array<{ device: string; points: number }>> {
    const q = sql<{ device: string; points: number }>`SELECT device, count(*) AS points FROM telemetry_series ${tenantId === undefined ? sql`` : sql`WHERE tenant_id = ${tenantId}`} GROUP BY device ORDER BY device`;
    const { rows } = await q.execute(this.store.db);
    return rows.map((r) => ({ device: r.device, points: Number(r.points) }));
  }

  private remember(s: SeriesInfo): void {
    const prev = this.get(s.device, s.point);
    if (prev) {
      prev.tenantId = s.tenantId;
      return;
    }
    this.byIdMap.set(s.id, s);
    if (s.id > this.highest) this.highest = s.id;
    let points = this.byDevicePoint.get(s.device);
    if (!points) this.byDevicePoint.set(s.device, (points = new Map()));
    points.set(s.point, s);
    const list = this.byDevice.get(s.device);
    if (list) list.push(s);
    else this.byDevice.set(s.device, [s]);
  }
}
