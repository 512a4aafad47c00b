/**
 * Per-device vibration diagnosis settings (`vibration_settings`): the geometry of the bearing next to the
 * accelerometer and, optionally, the ISO 10816 zone limits of the machine's class. A device attribute
 * rather than a profile field, because two machines of one model often carry different bearings; without
 * a row the diagnosis still runs, looking for shaft faults only.
 */
import { type BearingGeometry, bearingFrequencies } from '@yulian/analytics';
import { type Scope, type Store, YulianError, isYulianError } from '@yulian/core';

/** A device's settings. */
export interface VibrationSettings {
  device: string;
  tenantId: string | null;
  /** The bearing next to the sensor, or null: no bearing defect search. */
  bearing: BearingGeometry | null;
  /** ISO 10816 zone limits A/B, B/C, C/D in mm/s RMS, or null: ISO 10816-3 group 2, rigid (1.4, 2.8, 4.5). */
  isoZonesMmPerS: [number, number, number] | null;
  updatedBy: string | null;
  updatedAt: string;
}

/** What a caller writes. */
export interface VibrationSettingsInput {
  bearing: BearingGeometry | null;
  isoZonesMmPerS?: [number, number, number] | null;
}

/** The settings store. */
export interface VibrationSettingsStore {
  /** A device's settings, or undefined when none were written. */
  get(scope: Scope, device: string): Promise<VibrationSettings | undefined>;
  /** Writes (replaces) a device's settings. @throws YulianError VIBRATION_SETTINGS_INVALID with details.field */
  put(tenantId: string | null, device: string, input: VibrationSettingsInput, actor: string | null): Promise<VibrationSettings>;
}

const invalid = (field: string, message: string): YulianError => new YulianError('VIBRATION_SETTINGS_INVALID', message, { details: { field } });

/** Checks settings as the diagnosis will use them. @throws YulianError VIBRATION_SETTINGS_INVALID with details.field */
export function checkVibrationSettings(input: VibrationSettingsInput): void {
  if (input.bearing) {
    try {
      bearingFrequencies(input.bearing, { shaftHz: 25 });
    } catch (e) {
      if (isYulianError(e)) throw invalid('bearing', e.message);
      throw e;
    }
  }
  const z = input.isoZonesMmPerS;
  if (z && !(z.length === 3 && z.every((v) => Number.isFinite(v) && v > 0) && z[0] < z[1] && z[1] < z[2])) {
    throw invalid('isoZonesMmPerS', `isoZonesMmPerS is ${JSON.stringify(z)}; pass three increasing positive limits in mm/s, e.g. [1.4, 2.8, 4.5].`);
  }
}

/**
 * The `vibration_settings` table.
 * @example await createVibrationSettingsStore(store).put(tenantId, 'compressor-01', { bearing: BEARINGS['6205-2RS'] }, 'demo-engineer')
 */
export function createVibrationSettingsStore(store: Store, now: () => number = Date.now): VibrationSettingsStore {
  const db = store.db;
  const get = async (scope: Scope, device: string): Promise<VibrationSettings | undefined> => {
    let q = db.selectFrom('vibration_settings').selectAll().where('device_id', '=', device);
    if (scope.kind === 'tenant') q = q.where('tenant_id', '=', scope.tenantId);
    const r = await q.executeTakeFirst();
    if (!r) return undefined;
    return {
      device: r.device_id,
      tenantId: r.tenant_id,
      bearing: r.bearing === null ? null : (JSON.parse(r.bearing) as BearingGeometry),
      isoZonesMmPerS: r.iso_zones === null ? null : (JSON.parse(r.iso_zones) as [number, number, number]),
      updatedBy: r.updated_by,
      updatedAt: new Date(Number(r.updated_at)).toISOString(),
    };
  };
  return {
    get,
    async put(tenantId, device, input, actor) {
      checkVibrationSettings(input);
      const row = {
        tenant_id: tenantId,
        bearing: input.bearing ? JSON.stringify(input.bearing) : null,
        iso_zones: input.isoZonesMmPerS ? JSON.stringify(input.isoZonesMmPerS) : null,
        updated_by: actor,
        updated_at: now(),
      };
      await db
        .insertInto('vibration_settings')
        .values({ device_id: device, ...row })
        .onConflict((oc) => oc.column('device_id').doUpdateSet(row))
        .execute();
      return (await get({ kind: 'all' }, device))!;
    },
  };
}
