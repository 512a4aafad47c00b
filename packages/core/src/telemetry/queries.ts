import { sql } from 'kysely';
import type { Scope } from '../identity/index.js';
import { YulianError } from '../errors/index.js';
import type { Store } from '../store/index.js';

/** The newest sample of one point. */
export interface LatestValue {
  point: string;
  ts: number;
  receivedTs: number;
  value: number | string | null;
  quality: string;
  reason: string | null;
}

/** A device that has sent telemetry, with its newest timestamp. */
export interface SeenDevice {
  device: string;
  points: number;
  lastTs: number;
}

/**
 * The newest value of every point of a device, within the caller's tenant.
 * @throws DEVICE_NOT_FOUND when the device has no telemetry in the scope
 */
export async function latestValues(store: Store, scope: Scope, device: string): Promise<LatestValue[]> {
  const tenant = scope.kind === 'tenant' ? sql`AND tenant_id = ${scope.tenantId}` : sql``;
  const { rows } = await sql<{ point: string; ts: number; received_ts: number; value_num: number | null; value_text: string | null; quality: string; reason: string | null }>`
    SELECT t.point, t.ts, t.received_ts, t.value_num, t.value_text, t.quality, t.reason
    FROM telemetry_raw t
    JOIN (SELECT point, max(ts) AS ts FROM telemetry_raw WHERE device = ${device} ${tenant} GROUP BY point) m
      ON t.point = m.point AND t.ts = m.ts
    WHERE t.device = ${device}
    ORDER BY t.point`.execute(store.db);
  if (rows.length === 0) throw new YulianError('DEVICE_NOT_FOUND', `No device ${device}.`);
  return rows.map((r) => ({
    point: r.point,
    ts: Number(r.ts),
    receivedTs: Number(r.received_ts),
    value: r.value_text ?? (r.value_num === null ? null : Number(r.value_num)),
    quality: r.quality,
    reason: r.reason,
  }));
}

/** Devices that have sent telemetry, within the caller's tenant (until the device registry exists). */
export async function seenDevices(store: Store, scope: Scope): Promise<SeenDevice[]> {
  const tenant = scope.kind === 'tenant' ? sql`WHERE tenant_id = ${scope.tenantId}` : sql``;
  const { rows } = await sql<{ device: string; points: number; last_ts: number }>`
    SELECT device, count(DISTINCT point) AS points, max(ts) AS last_ts FROM telemetry_raw ${tenant} GROUP BY device ORDER BY device`.execute(store.db);
  return rows.map((r) => ({ device: r.device, points: Number(r.points), lastTs: Number(r.last_ts) }));
}
