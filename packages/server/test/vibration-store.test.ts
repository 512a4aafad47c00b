import { BEARINGS } from '@yulian/analytics';
import { type Store, YulianError, allTenants, storeBackends, tenantScope } from '@yulian/core';
import { type NewBurst, createVibrationBurstStore, createVibrationSettingsStore, decodeSamples, encodeSamples } from '@yulian/devices';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const t0 = Date.UTC(2026, 10, 29, 8, 0, 0);
const burst = (i: number, over: Partial<NewBurst> = {}): NewBurst => ({
  tenantId: 'tenant-a',
  device: 'compressor-01',
  point: 'motor-de',
  ts: t0 + i * 60_000,
  sampleRate: 25_600,
  shaftRpm: 2970,
  unit: 'g',
  source: 'sim',
  samples: Float32Array.from({ length: 2048 }, (_, k) => Math.sin(k / 7) * (i + 1)),
  ...over,
});
const codeOf = (e: unknown): string | undefined => (e instanceof YulianError ? e.code : undefined);

describe('Float32 sample bytes', () => {
  it('round-trips little-endian samples and refuses a body that is not whole samples', () => {
    const samples = Float32Array.from([0, 1.5, -2.25, 1e-7, 3e38]);
    const bytes = encodeSamples(samples);
    expect(bytes.readFloatLE(4)).toBe(1.5);
    expect(decodeSamples(bytes)).toEqual(samples);
    let caught: unknown;
    try {
      decodeSamples(bytes.subarray(0, 7));
    } catch (e) {
      caught = e;
    }
    expect(codeOf(caught)).toBe('VIBRATION_BURST_INVALID');
    expect((caught as YulianError).message).toMatch(/7 bytes, not a whole number of Float32 samples/);
  });
});

for (const backend of await storeBackends()) {
  describe.skipIf(!backend.available)(`vibration bursts on ${backend.name}`, () => {
    let opened: Awaited<ReturnType<typeof backend.open>>;
    let store: Store;

    beforeEach(async () => {
      opened = await backend.open();
      store = opened.store;
    });
    afterEach(async () => opened?.cleanup());

    it('stores bursts with their samples, lists them newest first and keeps only the newest N per device', async () => {
      const bursts = createVibrationBurstStore(store, { keepPerDevice: 3 });
      for (let i = 0; i < 5; i++) await bursts.add(burst(i));
      await bursts.add(burst(0, { device: 'compressor-02' }));
      const list = await bursts.list(tenantScope('tenant-a'), 'compressor-01');
      expect(list.map((b) => b.ts)).toEqual([4, 3, 2].map((i) => new Date(t0 + i * 60_000).toISOString()));
      expect(list[0]).toMatchObject({ device: 'compressor-01', point: 'motor-de', sampleRate: 25_600, shaftRpm: 2970, unit: 'g', sampleCount: 2048, source: 'sim' });
      expect(await bursts.list(allTenants, 'compressor-02')).toHaveLength(1);
      const latest = await bursts.get(tenantScope('tenant-a'), 'compressor-01');
      expect(latest.id).toBe(list[0]!.id);
      expect(latest.samples).toEqual(burst(4).samples);
      const chosen = await bursts.get(allTenants, 'compressor-01', list[2]!.id);
      expect(chosen.samples[10]).toBeCloseTo(Math.sin(10 / 7) * 3, 5);
    });

    it('hides another enterprise’s bursts and answers VIBRATION_BURST_NOT_FOUND', async () => {
      const bursts = createVibrationBurstStore(store);
      const info = await bursts.add(burst(0));
      expect(await bursts.list(tenantScope('tenant-b'), 'compressor-01')).toEqual([]);
      for (const call of [() => bursts.get(tenantScope('tenant-b'), 'compressor-01'), () => bursts.get(tenantScope('tenant-b'), 'compressor-01', info.id), () => bursts.get(allTenants, 'cnc-01')]) {
        await expect(call()).rejects.toSatisfy((e: unknown) => codeOf(e) === 'VIBRATION_BURST_NOT_FOUND');
      }
    });

    it('refuses bursts out of limits, naming the field', async () => {
      const bursts = createVibrationBurstStore(store);
      const cases: Array<[Partial<NewBurst>, string, RegExp]> = [
        [{ samples: new Float32Array(100) }, 'samples', /1024 to 262144 samples; this one has 100/],
        [{ samples: Float64Array.from({ length: 2048 }, (_, i) => (i === 9 ? NaN : 0)) }, 'samples', /Sample 9 is NaN/],
        [{ samples: Float64Array.from({ length: 2048 }, (_, i) => (i === 3 ? 1e39 : 0)) }, 'samples', /Sample 3 is 1e\+39/],
        [{ sampleRate: 0 }, 'sampleRate', /pass 100 to 204800 Hz/],
        [{ shaftRpm: -5 }, 'shaftRpm', /above 0/],
        [{ shaftRpm: 900_000 / 1.0, sampleRate: 1000 }, 'shaftRpm', /at most 120000 rpm/],
        [{ unit: 'mm/s' as 'g' }, 'unit', /pass g or m\/s2/],
        [{ point: 'a b' }, 'point', /letters, digits/],
      ];
      for (const [over, field, message] of cases) {
        let caught: unknown;
        try {
          await bursts.add(burst(0, over));
        } catch (e) {
          caught = e;
        }
        expect(codeOf(caught), field).toBe('VIBRATION_BURST_INVALID');
        expect((caught as YulianError).details, field).toMatchObject({ field });
        expect((caught as Error).message).toMatch(message);
      }
      expect(await bursts.list(allTenants, 'compressor-01')).toEqual([]);
    });

    it('keeps a device’s bearing geometry and zone limits, and refuses an impossible bearing', async () => {
      const settings = createVibrationSettingsStore(store);
      expect(await settings.get(allTenants, 'cnc-01')).toBeUndefined();
      await settings.put('tenant-a', 'cnc-01', { bearing: BEARINGS['6205-2RS'] }, 'demo-engineer');
      const put = await settings.put('tenant-a', 'cnc-01', { bearing: BEARINGS['6203-2RS'], isoZonesMmPerS: [0.71, 1.8, 4.5] }, 'demo-engineer');
      expect(put).toMatchObject({ device: 'cnc-01', bearing: BEARINGS['6203-2RS'], isoZonesMmPerS: [0.71, 1.8, 4.5], updatedBy: 'demo-engineer' });
      expect(await settings.get(tenantScope('tenant-b'), 'cnc-01')).toBeUndefined();
      const bad = await settings.put('tenant-a', 'cnc-01', { bearing: { ...BEARINGS['6205-2RS'], ballDiameterMm: 50 } }, 'x').catch((e: unknown) => e);
      expect(bad).toMatchObject({ code: 'VIBRATION_SETTINGS_INVALID', details: { field: 'bearing' } });
      const zones = await settings.put('tenant-a', 'cnc-01', { bearing: null, isoZonesMmPerS: [3, 2, 1] }, 'x').catch((e: unknown) => e);
      expect(zones).toMatchObject({ code: 'VIBRATION_SETTINGS_INVALID', details: { field: 'isoZonesMmPerS' } });
    });
  });
}
