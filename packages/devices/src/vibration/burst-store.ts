/**
 * Accelerometer bursts (`vibration_bursts`, issue 6 item 7): the waveform as Float32 little-endian bytes
 * (64 KiB for 16,384 samples) with its sample rate, shaft speed, unit, device, measuring point and time.
 * Only the newest `keepPerDevice` bursts of a device are kept: a burst is for diagnosis now and trending
 * through its figures, not an archive of raw waveforms.
 */
import { randomUUID } from 'node:crypto';
import { type Scope, type Store, type VibrationBurstsTable, YulianError } from '@yulian/core';
import type { Selectable } from 'kysely';

/** Acceleration units a burst can be stored in. */
export const burstUnits = ['g', 'm/s2'] as const;
/** An acceleration unit. */
export type BurstUnit = (typeof burstUnits)[number];

/** Limits of a stored burst. */
export const burstLimits = {
  /** At least this many samples (enough for 10 revolutions at 3,000 rpm and 5 kHz). */
  minSamples: 1_024,
  /** At most 2^18 samples (1 MiB as Float32): 10 s at 25.6 kHz. */
  maxSamples: 262_144,
  minSampleRateHz: 100,
  maxSampleRateHz: 204_800,
  /** Shaft speed, rpm: above 0, at most 120,000. */
  maxShaftRpm: 120_000,
  /** Bursts kept per device by default. */
  keepPerDevice: 100,
} as const;

/** A burst to store. */
export interface NewBurst {
  tenantId: string | null;
  device: string;
  point: string;
  /** Epoch ms the burst was taken. */
  ts: number;
  sampleRate: number;
  shaftRpm: number;
  unit: BurstUnit;
  source: 'sim' | 'api';
  samples: ArrayLike<number>;
}

/** A stored burst without its samples (lists). */
export interface BurstInfo {
  id: string;
  tenantId: string | null;
  device: string;
  point: string;
  ts: string;
  sampleRate: number;
  shaftRpm: number;
  unit: BurstUnit;
  sampleCount: number;
  source: 'sim' | 'api';
  createdAt: string;
}

/** A stored burst with its samples. */
export interface StoredBurst extends BurstInfo {
  samples: Float32Array;
}

/** The burst store. */
export interface VibrationBurstStore {
  /** Checks, stores and trims the device to the newest `keepPerDevice`. @throws YulianError VIBRATION_BURST_INVALID with details.field */
  add(burst: NewBurst): Promise<BurstInfo>;
  /** A device's bursts, newest first (default 50, at most 1,000). */
  list(scope: Scope, device: string, options?: { limit?: number }): Promise<BurstInfo[]>;
  /** One burst with its samples, the newest without an id. @throws YulianError VIBRATION_BURST_NOT_FOUND */
  get(scope: Scope, device: string, id?: string): Promise<StoredBurst>;
}

const invalid = (field: string, message: string): YulianError => new YulianError('VIBRATION_BURST_INVALID', message, { details: { field } });

/** Checks a burst against {@link burstLimits}. @throws YulianError VIBRATION_BURST_INVALID with details.field */
export function checkBurst(b: Omit<NewBurst, 'tenantId' | 'source'>): void {
  const n = b.samples.length;
  if (n < burstLimits.minSamples || n > burstLimits.maxSamples) {
    throw invalid('samples', `A burst holds ${burstLimits.minSamples} to ${burstLimits.maxSamples} samples; this one has ${n}.`);
  }
  for (let i = 0; i < n; i++) {
    const v = b.samples[i]!;
    // Float32 holds up to 3.4e38: anything beyond becomes Infinity when stored.
    if (!Number.isFinite(v) || Math.abs(v) > 3.4e38) throw invalid('samples', `Sample ${i} is ${v}; every sample must be a finite number.`);
  }
  if (!(Number.isFinite(b.sampleRate) && b.sampleRate >= burstLimits.minSampleRateHz && b.sampleRate <= burstLimits.maxSampleRateHz)) {
    throw invalid('sampleRate', `sampleRate is ${b.sampleRate}; pass ${burstLimits.minSampleRateHz} to ${burstLimits.maxSampleRateHz} Hz.`);
  }
  if (!(Number.isFinite(b.shaftRpm) && b.shaftRpm > 0 && b.shaftRpm <= burstLimits.maxShaftRpm)) {
    throw invalid('shaftRpm', `shaftRpm is ${b.shaftRpm}; pass the shaft speed during the burst, above 0 and at most ${burstLimits.maxShaftRpm} rpm.`);
  }
  if (b.shaftRpm / 60 >= b.sampleRate / 2) throw invalid('shaftRpm', `Shaft speed ${b.shaftRpm} rpm is at or above the Nyquist frequency of ${b.sampleRate} Hz sampling.`);
  if (!burstUnits.includes(b.unit)) throw invalid('unit', `unit is ${String(b.unit)}; pass g or m/s2.`);
  if (!(Number.isSafeInteger(b.ts) && b.ts > 0)) throw invalid('ts', `ts is ${b.ts}; pass epoch milliseconds.`);
  if (!/^[A-Za-z0-9_.:-]{1,64}$/.test(b.point)) throw invalid('point', `point ${JSON.stringify(b.point)}: 1 to 64 letters, digits, _ . : -.`);
}

/** Float32 little-endian bytes of the samples. */
export function encodeSamples(samples: ArrayLike<number>): Buffer {
  const out = Buffer.alloc(samples.length * 4);
  for (let i = 0; i < samples.length; i++) out.writeFloatLE(samples[i]!, i * 4);
  return out;
}

/** Samples from Float32 little-endian bytes. @throws YulianError VIBRATION_BURST_INVALID when the length is not a multiple of 4 */
export function decodeSamples(bytes: Uint8Array): Float32Array {
  if (bytes.byteLength % 4 !== 0) throw invalid('body', `The body holds ${bytes.byteLength} bytes, not a whole number of Float32 samples (4 bytes each, little-endian).`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(bytes.byteLength / 4);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}

const iso = (ms: number): string => new Date(Number(ms)).toISOString();
const toInfo = (r: Omit<Selectable<VibrationBurstsTable>, 'samples'>): BurstInfo => ({
  id: r.id,
  tenantId: r.tenant_id,
  device: r.device_id,
  point: r.point,
  ts: iso(r.ts),
  sampleRate: Number(r.sample_rate),
  shaftRpm: Number(r.shaft_rpm),
  unit: r.unit as BurstUnit,
  sampleCount: Number(r.sample_count),
  source: r.source as BurstInfo['source'],
  createdAt: iso(r.created_at),
});
const infoColumns = ['id', 'tenant_id', 'device_id', 'point', 'ts', 'sample_rate', 'shaft_rpm', 'unit', 'sample_count', 'source', 'created_at'] as const;

/**
 * The `vibration_bursts` table, every read scoped to the caller's enterprise.
 * @example await createVibrationBurstStore(store).add({ tenantId, device: 'compressor-01', point: 'motor-de', ts: Date.now(), sampleRate: 25_600, shaftRpm: 2970, unit: 'g', source: 'api', samples })
 */
export function createVibrationBurstStore(store: Store, options: { keepPerDevice?: number; now?: () => number } = {}): VibrationBurstStore {
  const db = store.db;
  const keep = options.keepPerDevice ?? burstLimits.keepPerDevice;
  const now = options.now ?? Date.now;
  const scoped = (scope: Scope, device: string) => {
    const q = db.selectFrom('vibration_bursts').where('device_id', '=', device);
    return scope.kind === 'tenant' ? q.where('tenant_id', '=', scope.tenantId) : q;
  };
  return {
    async add(b) {
      checkBurst(b);
      const row = {
        id: randomUUID(),
        tenant_id: b.tenantId,
        device_id: b.device,
        point: b.point,
        ts: b.ts,
        sample_rate: b.sampleRate,
        shaft_rpm: b.shaftRpm,
        unit: b.unit,
        sample_count: b.samples.length,
        source: b.source,
        samples: encodeSamples(b.samples),
        created_at: now(),
      };
      await db.insertInto('vibration_bursts').values(row).execute();
      // Retention: the newest `keep` of the device stay (by time, then id for equal times).
      const kept = db.selectFrom('vibration_bursts').select('id').where('device_id', '=', b.device).orderBy('ts', 'desc').orderBy('id', 'desc').limit(keep);
      await db.deleteFrom('vibration_bursts').where('device_id', '=', b.device).where('id', 'not in', db.selectFrom(kept.as('k')).select('k.id')).execute();
      return toInfo(row);
    },
    async list(scope, device, o = {}) {
      const limit = Math.min(1_000, Math.max(1, o.limit ?? 50));
      const rows = await scoped(scope, device).select(infoColumns).orderBy('ts', 'desc').orderBy('id', 'desc').limit(limit).execute();
      return rows.map(toInfo);
    },
    async get(scope, device, id) {
      let q = scoped(scope, device).selectAll();
      q = id === undefined ? q.orderBy('ts', 'desc').orderBy('id', 'desc').limit(1) : q.where('id', '=', id);
      const row = await q.executeTakeFirst();
      if (!row) throw new YulianError('VIBRATION_BURST_NOT_FOUND', id === undefined ? `Device ${device} has no vibration burst yet.` : `Device ${device} has no vibration burst ${id}.`);
      return { ...toInfo(row), samples: decodeSamples(row.samples) };
    },
  };
}
