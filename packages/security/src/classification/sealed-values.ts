/**
 * Level-3 telemetry at rest: each sample's value (and reason) sealed with SM4 into `telemetry_sealed`,
 * never written to the numeric tables, so neither the raw table nor a rollup holds the number. Sealed
 * points keep raw samples only (no 1 min / 1 h rollups: a rollup of a sealed value would be a plaintext
 * summary of it).
 */
import type { Quality, Sample } from '@yulian/contracts';
import { type Logger, type Store, YulianError } from '@yulian/core';
import type { Sealer } from './sealer.js';

/** A level-3 sample, opened. */
export interface OpenedSample {
  point: string;
  ts: number;
  receivedTs: number;
  value: number | string | null;
  quality: string;
  reason: string | null;
}

/** The sealed-telemetry table. */
export interface SealedValues {
  /** Seals and stores samples of level-3 points (a sample already stored is skipped). */
  write(tenantId: string | null, samples: readonly Sample[]): Promise<{ stored: number; rejected: number }>;
  /** The points of a device that have sealed samples. */
  points(device: string): Promise<string[]>;
  /** The newest sample of each sealed point of a device (or of the named points), opened. */
  latest(device: string, points?: readonly string[]): Promise<OpenedSample[]>;
  /** A point's samples in [from, to), oldest first, at most `limit`, opened. */
  range(device: string, point: string, from: number, to: number, limit: number): Promise<OpenedSample[]>;
  /**
   * Seals the history a point gathered before it became level 3: moves its raw samples into the sealed
   * table and deletes them and the point's rollups from the numeric tables. Answers samples moved.
   */
  sealExisting(device: string, point: string): Promise<number>;
}

const qualityNames = ['good', 'uncertain', 'bad'] as const;
const chunk = 500;

/**
 * The sealed-telemetry table over a store and a sealer.
 * @example const sealed = createSealedValues({ store, sealer }); await sealed.write(tenantId, samples)
 */
export function createSealedValues(options: { store: Store; sealer: Sealer; logger?: Logger }): SealedValues {
  const { store, sealer } = options;
  const db = store.db;
  const log = options.logger?.child({ component: 'sealed-values' });

  // The device, point and time are sealed with the value: an envelope copied to another row does not open there.
  const plaintext = (device: string, point: string, ts: number, value: unknown, reason: string | null): string => JSON.stringify({ d: device, p: point, t: ts, v: value, r: reason });

  async function open(row: { device: string; point: string; ts: number | string; received_ts: number | string; quality: string; envelope: string }): Promise<OpenedSample> {
    const ts = Number(row.ts);
    const body = JSON.parse(await sealer.open(row.envelope)) as { d: string; p: string; t: number; v: number | string | null; r: string | null };
    if (body.d !== row.device || body.p !== row.point || body.t !== ts) throw new YulianError('CRYPTO_TAG_INVALID', `The sealed value of ${row.device}/${row.point} at ${ts} belongs to another sample.`);
    return { point: row.point, ts, receivedTs: Number(row.received_ts), value: body.v, quality: row.quality, reason: body.r };
  }

  async function insert(rows: Array<{ tenant_id: string | null; device: string; point: string; ts: number; received_ts: number; quality: string; envelope: string }>): Promise<number> {
    let stored = 0;
    for (let i = 0; i < rows.length; i += chunk) {
      const r = await db.insertInto('telemetry_sealed').values(rows.slice(i, i + chunk)).onConflict((oc) => oc.columns(['device', 'point', 'ts']).doNothing()).executeTakeFirst();
      stored += Number(r.numInsertedOrUpdatedRows ?? 0);
    }
    return stored;
  }

  return {
    async write(tenantId, samples) {
      let rejected = 0;
      const rows = [];
      for (const s of samples) {
        if (!Number.isSafeInteger(s.ts)) {
          rejected++;
          continue;
        }
        const value = typeof s.value === 'boolean' ? (s.value ? 1 : 0) : s.value;
        rows.push({ tenant_id: tenantId, device: s.device, point: s.point, ts: s.ts, received_ts: s.receivedTs, quality: s.quality, envelope: await sealer.seal(plaintext(s.device, s.point, s.ts, value, s.reason ?? null)) });
      }
      await insert(rows);
      // Counted like the numeric store: a sample delivered again is "stored" (idempotent), not rejected.
      return { stored: rows.length, rejected };
    },
    async points(device) {
      const rows = await db.selectFrom('telemetry_sealed').select('point').distinct().where('device', '=', device).execute();
      return rows.map((r) => r.point).sort();
    },
    async latest(device, points) {
      const names = points ?? (await this.points(device));
      const out: OpenedSample[] = [];
      for (const point of names) {
        const row = await db.selectFrom('telemetry_sealed').selectAll().where('device', '=', device).where('point', '=', point).orderBy('ts', 'desc').limit(1).executeTakeFirst();
        if (row) out.push(await open(row));
      }
      return out.sort((a, b) => a.point.localeCompare(b.point));
    },
    async range(device, point, from, to, limit) {
      const rows = await db.selectFrom('telemetry_sealed').selectAll().where('device', '=', device).where('point', '=', point).where('ts', '>=', from).where('ts', '<', to).orderBy('ts').limit(limit).execute();
      return Promise.all(rows.map(open));
    },
    async sealExisting(device, point) {
      const series = await db.selectFrom('telemetry_series').select(['id', 'tenant_id']).where('device', '=', device).where('point', '=', point).executeTakeFirst();
      if (!series) return 0;
      let moved = 0;
      for (;;) {
        const raw = await db.selectFrom('telemetry_samples').selectAll().where('series_id', '=', series.id).orderBy('ts').limit(chunk).execute();
        if (!raw.length) break;
        const rows = [];
        for (const r of raw) {
          const ts = Number(r.ts);
          const value = r.text ?? (r.value === null ? null : Number(r.value));
          rows.push({ tenant_id: series.tenant_id, device, point, ts, received_ts: ts, quality: qualityNames[r.quality] ?? 'bad', envelope: await sealer.seal(plaintext(device, point, ts, value, r.reason)) });
        }
        // Sealed copy first, then the plaintext goes: a crash in between leaves both, never neither.
        await insert(rows);
        await db.deleteFrom('telemetry_samples').where('series_id', '=', series.id).where('ts', '<=', rows[rows.length - 1]!.ts).execute();
        moved += rows.length;
      }
      await db.deleteFrom('telemetry_1m').where('series_id', '=', series.id).execute();
      await db.deleteFrom('telemetry_1h').where('series_id', '=', series.id).execute();
      if (moved) log?.info({ device, point, moved }, 'sealed the history of a point classified level 3');
      return moved;
    },
  };
}

/** The quality of a sealed sample as the Sample type has it. */
export const asQuality = (q: string): Quality => (q === 'good' || q === 'uncertain' ? q : 'bad');
