import type { DataCategoryCode, DataLevel, TelemetryBatch } from '@yulian/contracts';
import { type GatewayRegistry, type Scope, YulianError, allTenants } from '@yulian/core';
import type { TelemetryStore } from '@yulian/devices';
import type { DataClassificationService, DeviceDirectory, PointDefinition } from '@yulian/security';

type ConfigPoint = { key?: unknown; name?: unknown; access?: unknown; dataClass?: { category?: DataCategoryCode; level?: DataLevel } };

const definitionsOf = (config: Record<string, unknown>): PointDefinition[] =>
  (Array.isArray(config['points']) ? (config['points'] as ConfigPoint[]) : [])
    .filter((p) => typeof p.key === 'string')
    .map((p) => ({ key: p.key as string, name: typeof p.name === 'string' ? p.name : '', access: p.access === 'read-write' ? 'read-write' : 'read', ...(p.dataClass ? { dataClass: p.dataClass } : {}) }));

/**
 * The devices classification knows: a configured device's points (with their configured data class),
 * plus the points seen only in telemetry (read-only measurements by default) and the sealed ones.
 */
export function createDeviceDirectory(options: { gateways: GatewayRegistry; telemetry: TelemetryStore; sealedPoints: (device: string) => Promise<string[]> }): DeviceDirectory {
  const { gateways, telemetry } = options;
  return {
    async device(scope: Scope, device: string) {
      const record = await gateways.getDevice(scope, device).catch(() => undefined);
      const seen = await telemetry.points(scope, device).catch(() => [] as string[]);
      if (!record && !seen.length) throw new YulianError('DEVICE_NOT_FOUND', `No device ${device}.`);
      const tenantId = record ? record.tenantId : ((await telemetry.tenantOf(device)) ?? null);
      const points = record ? definitionsOf(record.config) : [];
      const known = new Set(points.map((p) => p.key));
      const sealed = record || seen.length ? await options.sealedPoints(device) : [];
      for (const key of [...seen, ...sealed]) {
        if (known.has(key)) continue;
        known.add(key);
        points.push({ key, name: '', access: 'read' });
      }
      return { tenantId, points: points.sort((a, b) => a.key.localeCompare(b.key)) };
    },
    async configuredLevels() {
      const out: Array<{ device: string; point: string; level: DataLevel }> = [];
      for (const d of await gateways.listDevices(allTenants)) {
        for (const p of definitionsOf(d.config)) if (p.dataClass?.level !== undefined) out.push({ device: d.id, point: p.key, level: p.dataClass.level });
      }
      return out;
    },
  };
}

/**
 * A telemetry store whose level-3 samples never reach the numeric tables: `write` seals them into
 * `telemetry_sealed` (through the classification service) and stores the rest as before; reads of the
 * numeric store leave level-3 points out (its latest-value cache may still hold a value from before
 * the point became level 3). One in-memory lookup per sample, none when no point is level 3.
 */
export function sealingTelemetryStore(inner: TelemetryStore, classification: DataClassificationService): TelemetryStore {
  const visible = <T extends { point: string }>(device: string, items: T[]): T[] => (classification.hasLevel3() ? items.filter((i) => !classification.isLevel3(device, i.point)) : items);
  return {
    ...inner,
    async write(tenantId, samples) {
      if (!classification.hasLevel3()) return inner.write(tenantId, samples);
      let sealed: typeof samples[number][] | undefined;
      for (const s of samples) if (classification.isLevel3(s.device, s.point)) (sealed ??= []).push(s);
      if (!sealed) return inner.write(tenantId, samples);
      const plain = samples.filter((s) => !classification.isLevel3(s.device, s.point));
      const [a, b] = await Promise.all([classification.sealed.write(tenantId, sealed), plain.length ? inner.write(tenantId, plain) : { stored: 0, rejected: 0 }]);
      return { stored: a.stored + b.stored, rejected: a.rejected + b.rejected };
    },
    async latest(scope, device) {
      return visible(device, await inner.latest(scope, device));
    },
    async query(scope, q) {
      return visible(q.device, await inner.query(scope, q));
    },
  };
}

/** A stored batch without its level-3 samples, for what shows values to everyone (live values, OPC UA). */
export function withoutLevel3(batch: TelemetryBatch, classification: DataClassificationService | undefined): TelemetryBatch {
  if (!classification?.hasLevel3()) return batch;
  const samples = batch.samples.filter((s) => !classification.isLevel3(s.device, s.point));
  return samples.length === batch.samples.length ? batch : { ...batch, samples };
}
